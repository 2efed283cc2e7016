"""Cronbach's alpha against a hand-worked example and two published ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placelab.core.toolkit import cronbach_alpha
from placelab.core.toolkit.answers import Answers
from placelab.core.toolkit.bank import Item, ItemBank, Scale
from placelab.core.toolkit.scoring import alpha_from_covariance, scale_scores, scale_summaries


def test_alpha_matches_a_hand_worked_example():
    # Four respondents, three items.
    data = np.array([[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 4]])
    # Item variances (n - 1): item 1: mean 3.5, squares 2.25+0.25+0.25+2.25 = 5, /3 = 5/3;
    # item 2: mean 3.5, squares 4 x 0.25 = 1, /3 = 1/3; item 3: mean 4, 1+1+0+0 = 2, /3 = 2/3.
    # Totals 8, 13, 10, 13: mean 11, squares 9+4+1+4 = 18, /3 = 6.
    # alpha = 3/2 x (1 - (5/3 + 1/3 + 2/3) / 6) = 3/2 x (1 - 8/18) = 3/2 x 10/18 = 5/6.
    assert cronbach_alpha(data) == pytest.approx(5 / 6)


def test_alpha_matches_a_published_worked_example():
    # Source: Zach Bobbitt, "How to Calculate Cronbach's Alpha in Python", Statology,
    # 17 August 2021 (statology.org): ten customers
    # rate a restaurant on three questions; pingouin.cronbach_alpha reports 0.7734375.
    q1 = [1, 2, 2, 3, 2, 2, 3, 3, 2, 3]
    q2 = [1, 1, 1, 2, 3, 3, 2, 3, 3, 3]
    q3 = [1, 1, 2, 1, 2, 3, 3, 3, 2, 3]
    assert cronbach_alpha(np.column_stack([q1, q2, q3])) == pytest.approx(0.7734375)


def test_alpha_from_a_covariance_matrix_matches_statsbase():
    # Source: the documentation of StatsBase.jl's ``cronbachalpha`` (JuliaStats, v0.34), whose
    # example covariance matrix has "Cronbach's alpha for all items: 0.8136" and, with the
    # first item dropped, 0.7500.
    cov = np.array([[10, 6, 6, 6], [6, 11, 6, 6], [6, 6, 12, 6], [6, 6, 6, 13]])
    assert alpha_from_covariance(cov) == pytest.approx(0.8136, abs=5e-5)
    assert alpha_from_covariance(cov[1:, 1:]) == pytest.approx(0.75)


def test_alpha_agrees_with_the_mean_covariance_form():
    rng = np.random.default_rng(3)
    data = rng.integers(1, 6, size=(40, 5)).astype(float) + rng.normal(0, 1, size=(40, 1))
    cov = np.cov(data, rowvar=False)
    k = cov.shape[0]
    mean_var = np.trace(cov) / k
    mean_cov = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    expected = k * mean_cov / (mean_var + (k - 1) * mean_cov)
    assert cronbach_alpha(data) == pytest.approx(expected)


@pytest.mark.parametrize(
    "data",
    [np.array([[1], [2], [3]]), np.array([[1, 2, 3]]), np.array([[3, 3], [3, 3], [3, 3]])],
    ids=["one item", "one respondent", "no variance"],
)
def test_alpha_is_undefined_rather_than_a_number_it_cannot_be(data):
    assert cronbach_alpha(data) is None


def test_a_scale_reports_pairwise_alpha_and_says_how_many_answered():
    bank = ItemBank(
        version="t", answer_scale={}, groups=(),
        scales=(Scale("s", "g", "S"),),
        items=(Item("a", "s", "A"), Item("b", "s", "B"), Item("c", "s", "C", reverse=True)),
    )  # fmt: skip
    values = np.array([[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 4], [5, np.nan, 1]], dtype=float)
    values[:4, 2] = 6 - values[:4, 2]  # as answered: c is reverse-worded
    index = pd.Index(["r1", "r2", "r3", "r4", "r5"])
    answers = Answers(
        "t.csv",
        pd.DataFrame(values, index=index, columns=["a", "b", "c"]),
        pd.DataFrame(np.isnan(values), index=index, columns=["a", "b", "c"]),
        {r: 2 for r in index},
    )
    scores = scale_scores(answers, bank)
    (summary,) = scale_summaries(answers, bank, scores, (2.5, 3.5))
    # r1-r4 alone give 5/6 (the hand-worked example above). r5 (scored a 5, b missing, c 5)
    # joins every pair it answered: var(a) over 5 = 6.8/4 = 17/10, var(b) over 4 = 1/3,
    # var(c) over 5 = 2.8/4 = 7/10; cov(a,b) over r1-r4 = 2/3, cov(b,c) = 1/3, cov(a,c) over 5 =
    # 3.2/4 = 4/5. Trace 41/15, grand sum 41/15 + 2 x 9/5 = 95/15: alpha = 3/2 x 54/95 = 81/95.
    alpha = summary["alpha"]
    assert alpha["value"] == pytest.approx(81 / 95)
    assert (alpha["respondents"], alpha["items"], alpha["fewest_pairs"], alpha["complete"]) == (
        5, 3, 4, 4,
    )  # fmt: skip
    assert summary["n"] == 5  # r5 answered 2 of 3 items: enough for a score
    assert summary["dont_know_share"] == pytest.approx(1 / 15)
