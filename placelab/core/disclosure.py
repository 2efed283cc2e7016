"""Groups smaller than five are never broken out (DESIGN.md, "Promises to users").

Hiding the small groups is not enough on its own: the total, less the groups shown, would give
away the people left out if they were fewer than ``min_group``. So while the people left out
(small groups, and anyone in no group) number between 1 and ``min_group - 1``, the smallest
shown group is hidden too (complementary suppression, as statistical agencies practise it).
Every table that breaks people down by group applies this one rule.
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_GROUP = 5
# Where the sectors too small to show are merged: one region of the maps, one row of a table,
# the sector a viewer sees for their people (placelab.core.pseudonymise).
OTHER_SECTORS = "other_sectors"


def shown_groups(
    sizes: Mapping[str, int], total: int | None = None, *, min_group: int = MIN_GROUP
) -> dict[str, int]:
    """The groups whose figures may be shown, with their sizes.

    ``sizes`` counts the people in each group; ``total`` is everyone the figures cover (by
    default the sum of ``sizes``; more when some people are in no group).

    >>> shown_groups({"council": 9, "schools": 6, "trust": 3})
    {'council': 9}
    >>> shown_groups({"council": 9, "schools": 6, "trust": 5})
    {'council': 9, 'schools': 6, 'trust': 5}
    """
    visible = {group: n for group, n in sizes.items() if n >= min_group}
    left_out = (sum(sizes.values()) if total is None else total) - sum(visible.values())
    while 0 < left_out < min_group and visible:
        smallest = min(visible, key=lambda group: (visible[group], group))
        left_out += visible.pop(smallest)
    return visible
