"""A shorter self-assessment: the planned-missingness draw, and the diagnosis with what it was given.

The draw's properties are checked over many seeds; pairwise alpha against a hand-worked example
and pandas' own pairwise covariance; and the demo's answers, thinned by the design, against the
demo's full answers.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit import diagnose, load_bank, read_answers
from placelab.core.toolkit.planned import (
    SHORT_FORM,
    as_asked,
    planned_items,
    seed_from,
    share_of_scale,
)
from placelab.core.toolkit.scoring import (
    alpha_interval,
    cronbach_alpha,
    pairwise_alpha,
    pairwise_covariance,
)

from .conftest import EXAMPLES


def _scales_asked(bank, asked) -> Counter:
    """How many statements of each scale a draw asks."""
    return Counter(bank.items[bank.item_ids.index(i)].scale for i in asked)


# --- the draw --------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(statements=st.integers(min_value=2, max_value=90), seed=st.integers(0, 2**63))
def test_a_draw_asks_half_of_each_scale_it_asks_within_the_budget(statements, seed):
    bank = load_bank()
    asked = planned_items(bank, statements, seed=seed)
    assert asked == planned_items(bank, statements, seed=seed)  # the same seed, the same draw
    assert len(set(asked)) == len(asked) and set(asked) <= set(bank.item_ids)
    if statements >= len(bank.items):
        assert asked == bank.item_ids
        return
    assert statements - 2 <= len(asked) <= statements  # no scale's share of 2-3 fits the rest
    halves = sum(share_of_scale(len(bank.scale_items(s.id))) for s in bank.scales)
    for scale, n in _scales_asked(bank, asked).items():
        half = share_of_scale(len(bank.scale_items(scale)))
        assert n == half if statements <= halves else n >= half


def test_the_short_form_asks_every_phase_of_everyone_and_spreads_the_rest(bank):
    draws = [planned_items(bank, SHORT_FORM, seed=f"token-{n}") for n in range(400)]
    counts = Counter(s for asked in draws for s in _scales_asked(bank, asked))
    phases = [s.id for s in bank.scales if s.group == "lifecycle"]
    assert all(counts[p] == len(draws) for p in phases)
    # 12 statements go to the five phases, 8 to about 3-4 of the other 19 scales' 40 halves:
    # each is asked of roughly a fifth of the respondents, none of under a tenth.
    rest = [counts[s.id] / len(draws) for s in bank.scales if s.id not in phases]
    assert len(rest) == 19 and min(rest) > 0.1 and 0.15 < float(np.mean(rest)) < 0.25


def test_every_pair_of_statements_of_a_scale_is_asked_together_by_someone(bank):
    together: Counter = Counter()
    for n in range(600):
        asked = set(planned_items(bank, SHORT_FORM, seed=n))
        for scale in bank.scales:
            ids = [i.id for i in bank.scale_items(scale.id)]
            together.update(p for p in itertools.combinations(ids, 2) if set(p) <= asked)
    for scale in bank.scales:
        ids = [i.id for i in bank.scale_items(scale.id)]
        assert all(together[p] > 0 for p in itertools.combinations(ids, 2)), scale.id


def test_a_study_asking_every_statement_or_a_small_bank_gets_all_of_it(bank):
    assert planned_items(bank, None, seed=1) == bank.item_ids
    assert planned_items(bank, len(bank.items), seed=1) == bank.item_ids
    small = bank.without_groups(["lifecycle", "triangle", "omr_providers", "omr_community"])
    assert planned_items(small, 100, seed=1) == small.item_ids


def test_a_token_seeds_the_same_draw_for_ever():
    # The seed is the first 8 bytes of SHA-256: fixed here so that a change of rule shows.
    assert seed_from("abc") == int("ba7816bf8f01cfea", 16)


def test_the_bank_as_asked_keeps_only_the_groups_with_a_statement(bank):
    asked = planned_items(bank, SHORT_FORM, seed=7)
    shown = bank.asking(asked)
    assert shown.item_ids == asked
    assert {g.id for g in shown.groups} == {bank.group_of(s) for s in _scales_asked(bank, asked)}


# --- alpha from pairwise-complete covariances ------------------------------------------------


def test_pairwise_covariance_is_pandas_pairwise_covariance():
    rng = np.random.default_rng(5)
    data = rng.integers(1, 6, size=(30, 4)).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan
    cov, pairs = pairwise_covariance(data)
    expected = pd.DataFrame(data).cov(min_periods=2).to_numpy()
    np.testing.assert_allclose(cov, expected)
    assert pairs[0, 1] == int((np.isfinite(data[:, 0]) & np.isfinite(data[:, 1])).sum())


def test_pairwise_alpha_with_complete_answers_is_the_usual_alpha():
    data = np.array([[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 4]], dtype=float)
    assert pairwise_alpha(data) == pytest.approx(cronbach_alpha(data)) == pytest.approx(5 / 6)


def test_pairwise_alpha_by_hand_when_each_answered_two_of_three():
    # Six respondents, each asked two of three items (a planned design):
    #   a,b: (1,2) (3,3)   b,c: (2,3) (4,4)   a,c: (2,2) (4,5)
    # var(a) over 1,3,2,4 = 5/3; var(b) over 2,3,2,4 = 11/12; var(c) over 3,4,2,5 = 5/3;
    # cov(a,b) over (1,2),(3,3) = (-1)(-1/2)+(1)(1/2) = 1; cov(b,c) over (2,3),(4,4) = 1;
    # cov(a,c) over (2,2),(4,5) = (-1)(-3/2)+(1)(3/2) = 3.
    # Trace 5/3 + 11/12 + 5/3 = 17/4; grand sum 17/4 + 2 x 5 = 57/4;
    # alpha = 3/2 x (1 - 17/57) = 3/2 x 40/57 = 20/19: above 1, as pairwise alpha may be on
    # so few answers (a matrix of pairwise covariances need not be any data's covariance).
    nan = np.nan
    data = np.array([[1, 2, nan], [3, 3, nan], [nan, 2, 3], [nan, 4, 4], [2, nan, 2], [4, nan, 5]])
    assert pairwise_alpha(data) == pytest.approx(20 / 19)


def test_alpha_is_undefined_when_a_pair_was_never_asked_together():
    nan = np.nan
    data = np.array([[1, 2, nan], [3, 3, nan], [nan, 2, 3], [nan, 4, 4]])
    assert pairwise_alpha(data) is None and alpha_interval(data, resamples=50) is None


def test_alpha_interval_widens_with_fewer_answers():
    rng = np.random.default_rng(11)
    trait = rng.normal(0, 1, size=(200, 1))
    data = np.clip(np.rint(3 + trait + rng.normal(0, 0.8, size=(200, 4))), 1, 5)
    thinned = data.copy()
    for row in thinned:  # each answers two of four, as the design asks
        row[rng.choice(4, size=2, replace=False)] = np.nan
    full, thin = alpha_interval(data, seed=1), alpha_interval(thinned, seed=1)
    assert full[0] < cronbach_alpha(data) < full[1]
    assert thin[1] - thin[0] > full[1] - full[0]


# --- the demo, answered in full and by the design --------------------------------------------


@pytest.fixture(scope="module")
def demo_both(bank):
    people = people_from_table(read_table(EXAMPLES / "people.csv"))
    full = read_answers(EXAMPLES / "answers.csv", bank, people=people)
    asked = {r: planned_items(bank, SHORT_FORM, seed=r) for r in full.respondents}
    planned = as_asked(full, asked)
    return (
        diagnose(full, bank=bank, people=people),
        diagnose(planned, bank=bank, people=people),
        planned,
    )


def test_statements_not_asked_are_missing_not_dont_know(demo_both, bank):
    full, planned, answers = demo_both
    assert planned["inputs"]["dont_know"] < full["inputs"]["dont_know"]
    assert planned["inputs"]["answers"] <= 20 * 92
    for f, p in zip(full["scales"], planned["scales"], strict=True):
        # the share of "don't know" among the answers given stays what it was, within noise
        assert p["dont_know_share"] == pytest.approx(f["dont_know_share"], abs=0.15)


def test_the_short_form_keeps_every_scale_mean_inside_its_interval(demo_both):
    full, planned, _answers = demo_both
    outside = []
    for f, p in zip(full["scales"], planned["scales"], strict=True):
        low, high = p["interval"]
        outside += [f["id"]] if not low <= f["mean"] <= high else []
        # The stated tolerance: within the width of its own 95% interval (about 4 standard
        # errors) of the full answers' mean, and that interval wider than the full one.
        assert abs(p["mean"] - f["mean"]) < high - low, f["id"]
        assert high - low > f["interval"][1] - f["interval"][0], f["id"]
    # 95% intervals: of 24, about one may miss (the short form's answers are a subset of the
    # full ones, so fewer do); with this seed the value scale's 13 respondents are the one.
    assert outside == ["triangle_value"]


def test_the_short_form_keeps_the_phase_and_its_alpha_is_honest_about_thin_data(demo_both):
    full, planned, _answers = demo_both
    assert planned["lifecycle"]["phase"]["id"] == full["lifecycle"]["phase"]["id"]
    for f, p in zip(full["scales"], planned["scales"], strict=True):
        alpha = p["alpha"]
        assert alpha["fewest_pairs"] <= f["alpha"]["fewest_pairs"]
        if alpha["interval"] is None:
            continue  # too few pairs to say: no interval rather than a false one
        low, high = alpha["interval"]
        if f["id"].startswith("phase_"):  # asked of everyone: alpha within 0.1, inside its CI
            assert abs(alpha["value"] - f["alpha"]["value"]) < 0.1
            assert low <= f["alpha"]["value"] <= high, f["id"]
    thin = [p for p in planned["scales"] if p["alpha"]["interval"] is not None]
    covered = [p for p, f in zip(planned["scales"], full["scales"], strict=True)
               if p["alpha"]["interval"] is not None
               and p["alpha"]["interval"][0] <= f["alpha"]["value"] <= p["alpha"]["interval"][1]]  # fmt: skip
    assert len(covered) == len(thin)
