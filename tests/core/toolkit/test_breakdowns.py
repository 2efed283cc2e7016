"""Groups of fewer than five are never broken out, directly or by subtraction."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from placelab.core.toolkit.breakdowns import breakdowns, divided_views


def frame(sizes: dict[str, int], seed: int = 0, missing: int = 0):
    """Scores on one scale for groups of the given sizes; ``missing`` people with no sector."""
    rng = np.random.default_rng(seed)
    ids = [f"{g}-{n}" for g, size in sizes.items() for n in range(size)]
    ids += [f"none-{n}" for n in range(missing)]
    sectors = [g for g, size in sizes.items() for _ in range(size)] + [""] * missing
    people = pd.DataFrame({"sector": sectors}, index=ids)
    scores = pd.DataFrame({"s": rng.uniform(1, 5, len(ids))}, index=ids)
    return scores, people


def test_a_group_of_four_is_held_back_and_so_is_the_smallest_other():
    scores, people = frame({"a": 20, "b": 8, "c": 4})
    shown, held = breakdowns(scores, people, groupings=("sector",))
    assert [r["group"] for r in shown] == ["a"]
    assert held == [{"grouping": "sector", "scale": "s", "groups": ["b", "c"], "respondents": 12}]


def test_groups_of_five_or_more_are_all_shown_when_nothing_small_is_left():
    scores, people = frame({"a": 5, "b": 6})
    shown, held = breakdowns(scores, people, groupings=("sector",))
    assert {r["group"]: r["n"] for r in shown} == {"a": 5, "b": 6} and held == []
    a = shown[0]
    assert a["mean"] == scores.loc[people["sector"] == "a", "s"].mean()


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=6),
    missing=st.integers(0, 6),
    seed=st.integers(0, 99),
)
def test_no_group_under_five_can_be_seen_or_worked_out(sizes, missing, seed):
    scores, people = frame({f"g{n}": s for n, s in enumerate(sizes)}, seed, missing)
    shown, held = breakdowns(scores, people, groupings=("sector",))
    assert all(row["n"] >= 5 for row in shown)
    left_out = len(scores) - sum(row["n"] for row in shown)
    # The overall mean less the groups shown covers five people or more (or nothing is shown).
    assert left_out == 0 or left_out >= 5 or not shown
    assert sum(h["respondents"] for h in held) == left_out


def test_a_respondent_without_a_score_does_not_count_towards_a_group():
    scores, people = frame({"a": 6, "b": 9, "c": 12})
    scores.iloc[:2, 0] = np.nan  # two of group a skipped the scale: four left, too few
    shown, held = breakdowns(scores, people, groupings=("sector",))
    assert [r["group"] for r in shown] == ["c"]
    assert held[0]["groups"] == ["a", "b"] and held[0]["respondents"] == 13


def test_groups_a_point_apart_are_reported_as_divided():
    rows = [
        {"grouping": "seniority", "scale": "s", "group": "senior", "n": 6, "mean": 4.1, "sd": 0.5},
        {
            "grouping": "seniority",
            "scale": "s",
            "group": "frontline",
            "n": 9,
            "mean": 2.9,
            "sd": 0.5,
        },
        {"grouping": "seniority", "scale": "t", "group": "senior", "n": 6, "mean": 3.0, "sd": 0.5},
        {
            "grouping": "seniority",
            "scale": "t",
            "group": "frontline",
            "n": 9,
            "mean": 3.5,
            "sd": 0.5,
        },
    ]
    (divided,) = divided_views(rows, gap=1.0)
    assert divided["scale"] == "s" and divided["lowest"]["group"] == "frontline"
    assert divided["gap"] == 4.1 - 2.9
