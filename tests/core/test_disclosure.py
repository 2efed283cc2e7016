"""No group under five is broken out, nor one that subtraction from the total would reveal."""

import pytest

from placelab.core.disclosure import OTHER_SECTORS, shown_groups
from placelab.core.networks.layout import OTHER_SECTORS as REGION
from placelab.core.networks.layout import region_keys
from placelab.core.pseudonymise import shown_attributes


@pytest.mark.parametrize(
    ("sizes", "total", "shown"),
    [
        # Nothing small: everything shows.
        ({"a": 5, "b": 7}, None, {"a", "b"}),
        # A group of 3 hidden; the smallest other (6) goes too, else 9 + 6 + 3 - 9 - 6 = 3.
        ({"a": 9, "b": 6, "c": 3}, None, {"a"}),
        # Two small groups hiding 4 + 2 = 6 people together: no one else need be hidden.
        ({"a": 9, "b": 4, "c": 2}, None, {"a"}),
        # Two people in no group count as left out too.
        ({"a": 9, "b": 6}, 17, {"a"}),
        # Everyone in small groups: nothing to show.
        ({"a": 4, "b": 4}, None, set()),
        # Ties in size: the first name goes first, so the result never depends on order.
        ({"b": 6, "a": 6, "c": 1}, None, {"b"}),
    ],
)
def test_shown_groups_by_hand(sizes, total, shown):
    assert set(shown_groups(sizes, total)) == shown


def test_what_is_left_out_is_never_fewer_than_the_minimum_unless_nothing_is():
    for sizes in ({"a": 9, "b": 6, "c": 3}, {"a": 5, "b": 5, "c": 4, "d": 1}, {"a": 30, "b": 1}):
        shown = shown_groups(sizes, min_group=5)
        left_out = sum(sizes.values()) - sum(shown.values())
        assert left_out == 0 or left_out >= 5


def test_the_maps_and_a_viewers_tables_merge_small_sectors_under_one_key():
    """A viewer sees a small sector's people as 'other_sectors' in the tables and the map's
    region of that name; two keys would let the region split a group the tables keep whole."""
    sectors = ["health"] * 5 + ["funder"] * 2 + ["business"] * 3 + ["other"] * 6
    people = [{"id": str(i), "sector": s} for i, s in enumerate(sectors)]
    shown = shown_attributes(people, attributes=["sector"])
    regions = region_keys(sectors)
    assert REGION == OTHER_SECTORS
    assert all(shown[p["id"]]["sector"] == regions[p["sector"]] for p in people)
