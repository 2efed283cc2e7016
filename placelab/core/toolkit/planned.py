"""A shorter self-assessment by planned missingness: each respondent answers a random share.

Each respondent is asked about ``statements`` of the bank's statements, drawn for them from a
seed (in the web, their invitation's private token) so that the draw can be repeated and is
recorded. The design works scale by scale, so that what is asked can still be scored:

1. the scales of the *whole groups* (by default the lifecycle, whose phases each respondent's
   own reading compares) come first, in a random order; then every other scale, in a random
   order;
2. going down that order, a scale is taken if half its statements (rounded up, and at least
   two when it has two) still fit in the budget, else passed over;
3. from each scale taken, that many of its statements are drawn at random; a budget left over
   once every scale is taken adds one more statement to each scale in turn, in the same order.

So a respondent answers half of each scale they are asked, which is what the scoring rule
(``scoring.scale_scores``, ``min_answered`` 0.5) needs for a score; every scale is asked of
roughly ``statements`` / (half the bank) of the respondents; and any two statements of a scale
are drawn together with a known, non-zero chance, so Cronbach's alpha can be computed from
pairwise-complete covariances (``scoring.pairwise_covariance``). The design is missing
completely at random by construction (Graham, Taylor, Olchowski and Cumsille 2006, "Planned
missing data designs in psychological research", Psychological Methods 11(4), 323-343,
doi:10.1037/1082-989X.11.4.323): a statement not asked is missing by design, never a
"don't know".
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np

from placelab.core.toolkit.answers import Answers
from placelab.core.toolkit.bank import ItemBank

# What a new study asks of each respondent: with five names in three networks, the survey then
# stays within the 60 taps (issue 11, "a shorter self-assessment").
SHORT_FORM = 20
WHOLE_GROUPS = ("lifecycle",)


def seed_from(text: str) -> int:
    """A 64-bit seed from any text (an invitation's token, a respondent's id): stable forever."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def share_of_scale(size: int) -> int:
    """How many of a scale's statements a respondent asked about it answers: half, rounded up."""
    return min(size, max(2, math.ceil(size / 2))) if size > 1 else size


def planned_items(
    bank: ItemBank,
    statements: int | None,
    *,
    seed: int | str,
    whole_groups: Iterable[str] = WHOLE_GROUPS,
) -> tuple[str, ...]:
    """The statements one respondent is asked, in the bank's order (see the module's notes).

    ``statements`` None, or at least the bank's size, asks every statement. The same bank,
    number and seed always give the same statements.

    Examples
    --------
    >>> from placelab.core.toolkit import load_bank
    >>> asked = planned_items(load_bank(), 20, seed="a token")
    >>> len(asked) <= 20, asked == planned_items(load_bank(), 20, seed="a token")
    (True, True)
    """
    if statements is None or statements >= len(bank.items):
        return bank.item_ids
    rng = np.random.default_rng(seed_from(seed) if isinstance(seed, str) else seed)
    first = set(whole_groups)
    scales = [s.id for s in bank.scales if bank.scale_items(s.id)]
    ahead = [s for s in scales if bank.group_of(s) in first]
    rest = [s for s in scales if bank.group_of(s) not in first]
    order = [ahead[i] for i in rng.permutation(len(ahead))]
    order += [rest[i] for i in rng.permutation(len(rest))]
    chosen: dict[str, list[str]] = {}
    budget = statements
    for scale in order:
        items = [i.id for i in bank.scale_items(scale)]
        take = share_of_scale(len(items))
        if take <= budget:
            chosen[scale] = [items[int(i)] for i in rng.permutation(len(items))]
            budget -= take
    asked = {i for scale, items in chosen.items() for i in items[: share_of_scale(len(items))]}
    every_scale = len(chosen) == len(order)
    while every_scale and budget > 0 and len(asked) < sum(map(len, chosen.values())):
        for items in chosen.values():  # a budget beyond every scale's half: one more each
            more = next((i for i in items if i not in asked), None)
            if more is not None and budget > 0:
                asked.add(more)
                budget -= 1
    return tuple(i for i in bank.item_ids if i in asked)


def as_asked(answers: Answers, asked: Mapping[str, Iterable[str]]) -> Answers:
    """The answers with every statement a respondent was not asked made missing (not "don't
    know"): what the same people would have given under a planned design. Respondents missing
    from ``asked`` keep all their answers."""
    values, dont_know = answers.values.copy(), answers.dont_know.copy()
    for respondent, items in asked.items():
        if respondent not in values.index:
            continue
        unasked = values.columns.difference(list(items))
        values.loc[respondent, unasked] = np.nan
        dont_know.loc[respondent, unasked] = False
    return replace(answers, values=values, dont_know=dont_know)
