"""PASCAL's opportunity x motivation x resources, and the method chooser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placelab.core.errors import InputError
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.toolkit.methods import choose_methods, load_methods
from placelab.core.toolkit.omr import omr_scores

TARGETS = load_guidance().omr["targets"]
NAMED = {
    "method": {"pilots", "pathfinders", "collaboratives", "communities_of_practice", "design_led",
               "skunk_works", "open_methods", "social_entrepreneurship", "zones",
               "competitive_funds", "action_learning", "open_space", "intermediaries",
               # chapter 6's own options: mobilising the public, commissioning, a cadre
               "mobilise_public", "commissioning", "cadre_of_innovators"},
    "finance": {"small_grants", "zone_funding", "parallel_testing", "social_venture_funds",
                "investment_packages", "local_free_money"},
}  # fmt: skip


def omr_means(provider=(4.0, 4.0, 4.0), community=(4.0, 4.0, 4.0)) -> dict:
    out = {}
    for target, values in (("provider", provider), ("community", community)):
        for condition, value in zip(
            ("opportunity", "motivation", "resources"), values, strict=True
        ):
            out[f"omr_{target}_{condition}"] = value
    return out


def test_the_product_rescales_each_condition_and_multiplies():
    scores = omr_scores(omr_means(provider=(5.0, 3.0, 4.0)), TARGETS)["providers"]
    assert scores["levels"] == {"opportunity": 1.0, "motivation": 0.5, "resources": 0.75}
    assert scores["product"] == pytest.approx(0.375)
    assert scores["balanced"] == pytest.approx(0.375 ** (1 / 3))
    assert scores["limiting"] == ["motivation"]


def test_one_absent_condition_pulls_the_product_to_zero_and_is_named():
    scores = omr_scores(omr_means(community=(5.0, 5.0, 1.0)), TARGETS)["community"]
    assert scores["product"] == 0.0 and scores["limiting"] == ["resources"]


def test_near_ties_name_every_limiting_factor_and_missing_ones_are_listed():
    means = omr_means(provider=(2.0, 2.1, 4.0))
    means["omr_community_motivation"] = None
    scores = omr_scores(means, TARGETS)
    assert scores["providers"]["limiting"] == ["opportunity", "motivation"]
    assert scores["community"]["product"] is None and scores["community"]["missing"] == [
        "motivation"
    ]


def test_the_chooser_offers_every_method_and_kind_of_finance_the_report_names():
    result = choose_methods({})
    assert {m["id"] for m in result["methods"]} == NAMED["method"]
    assert {m["id"] for m in result["finance"]} == NAMED["finance"]
    assert result["heuristic"] is True and "heuristic" in result["note"]
    assert [f["id"] for f in result["factors"]] == ["urgency", "capital", "professions", "evidence"]
    assert all(f["source"] == "unknown" for f in result["factors"])
    assert all(m["score"] == 0 and not m["reasons"] for m in result["methods"])


def test_every_option_has_a_reason_for_each_factor_it_leans_on():
    for option in load_methods().options:
        assert option.fit, option.id
        for factor, (fit, if_high, if_low) in option.fit.items():
            assert factor in {"urgency", "capital", "professions", "evidence"}
            assert -1 <= fit <= 1 and fit != 0
            assert len(if_high.split()) >= 4 and len(if_low.split()) >= 4 and if_high != if_low


def test_where_much_is_known_brokers_of_proven_ideas_lead_and_pilots_trail():
    methods = choose_methods({}, context={"evidence": 5, "urgency": 4})["methods"]
    names = [m["id"] for m in methods]
    assert names[0] == "intermediaries"
    assert names.index("pilots") > len(names) // 2
    top = methods[0]
    assert top["score"] == pytest.approx(1.0 * 1.0 + 0.5 * 0.5)
    assert [r["factor"] for r in top["reasons"]] == ["evidence", "urgency"]
    assert top["reasons"][0]["text"].startswith("+ much is known")


def test_weights_are_editable_and_change_the_ranking():
    means = {"context_urgency": 5.0, "context_professions": 5.0, "context_evidence": 1.0}
    default = choose_methods(means)["methods"][0]["id"]
    leaning = choose_methods(means, weights={"professions": 0.0, "urgency": 3.0})
    assert leaning["weights"]["urgency"] == 3.0
    assert leaning["methods"][0]["id"] != default
    with pytest.raises(InputError, match="unknown factor"):
        choose_methods(means, weights={"cost": 1.0})


def test_a_stated_level_overrides_the_survey_and_is_checked():
    result = choose_methods({"context_capital": 1.0}, context={"capital": 5})
    capital = next(f for f in result["factors"] if f["id"] == "capital")
    assert (capital["level"], capital["source"]) == (5, "given")
    with pytest.raises(InputError, match="off the scale"):
        choose_methods({}, context={"capital": 7})


@pytest.mark.parametrize("level", [1.0, 2.4, 3.5, 5.0])
def test_a_reason_argues_the_way_its_sign_says(level):
    # Competitive funds suit capital-heavy services: where the service runs on people the
    # term is negative, and its reason must count against them, not make the case for them.
    funds = next(
        m for m in choose_methods({}, context={"capital": level})["methods"]
        if m["id"] == "competitive_funds"
    )  # fmt: skip
    (reason,) = funds["reasons"]
    fit, if_high, if_low = next(o for o in load_methods().options
                                if o.id == "competitive_funds").fit["capital"]  # fmt: skip
    assert fit > 0
    if level >= 3.5:
        assert (
            reason["text"] == f"+ the service depends on costly buildings or equipment: {if_high}"
        )
    else:
        assert reason["text"] == f"- the service runs mostly on people: {if_low}"


@given(st.floats(min_value=2.45, max_value=3.55))
def test_the_middle_of_the_scale_reads_middling_and_counts_for_nothing(level):
    result = choose_methods({}, context={"urgency": level})
    urgency = next(f for f in result["factors"] if f["id"] == "urgency")
    middle = 2.5 <= float(f"{level:.1f}") < 3.5
    assert (urgency["reading"] == "middling") == middle
    reasons = [r for m in result["methods"] + result["finance"] for r in m["reasons"]]
    assert (not reasons) == middle
    for reason in reasons:  # the sign shown and the sign of the term agree
        assert reason["text"][0] == ("+" if reason["contribution"] > 0 else "-")
