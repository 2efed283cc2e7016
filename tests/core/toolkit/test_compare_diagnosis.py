"""Two diagnoses compared: hand-worked intervals, the overlap rule, the phase's rule, and groups
only where both waves show them."""

from __future__ import annotations

import pytest

from placelab.core.toolkit.compare_diagnosis import (
    CLEAR,
    NOT_CLEAR,
    compare_diagnoses,
    t_interval,
)

T_24 = 2.064  # t(0.975, 24 degrees of freedom), from a printed table


def _scale(scale: str, mean: float, sd: float = 0.5, n: int = 25) -> dict:
    return {"id": scale, "title": scale.title(), "n": n, "mean": mean, "sd": sd,
            "interval": t_interval(mean, sd, n)}  # fmt: skip


def _lifecycle(phase: int, share: float, described: bool = True) -> dict:
    named = {"id": phase, "name": f"Phase {phase}"}
    return {
        "phase": named if described else None,
        "leading": named,
        "confidence": {"label": "high", "bootstrap_share": share},
        "agreement": 0.5,
    }


def _diagnosis(value: float, *, phase: int = 1, share: float = 0.95, rows=(), **extra) -> dict:
    return {
        "inputs": {"scored_respondents": 25},
        "scales": [_scale("triangle_value", value), _scale("triangle_authority", 3.0)],
        "lifecycle": _lifecycle(phase, share, **extra),
        "triangle": {"weak_corner": {"corner": "value"}, "path": "success"},
        "omr": {"providers": {"balanced": 0.5}, "community": {"balanced": 0.25}},
        "breakdowns": {"shown": list(rows)},
    }


def test_the_interval_is_the_t_interval_worked_by_hand():
    # 2.0 +- 2.064 x 0.5 / sqrt(25) = 2.0 +- 0.2064
    low, high = t_interval(2.0, 0.5, 25)
    assert low == pytest.approx(2.0 - T_24 * 0.1, abs=1e-3)
    assert high == pytest.approx(2.0 + T_24 * 0.1, abs=1e-3)
    assert t_interval(2.0, 0.5, 1) is None


@pytest.mark.parametrize(
    ("after", "verdict"),
    [
        (2.5, CLEAR),  # [1.79, 2.21] and [2.29, 2.71] do not overlap
        (2.3, NOT_CLEAR),  # [2.09, 2.51] overlaps [1.79, 2.21]
        (1.5, CLEAR),  # a fall counts as much as a rise
    ],
)
def test_a_change_is_clear_only_when_the_intervals_do_not_overlap(after, verdict):
    compared = compare_diagnoses(_diagnosis(2.0), _diagnosis(after))

    value = next(s for s in compared["triangle"]["scores"] if s["scale"] == "triangle_value")
    assert value["change"] == pytest.approx(after - 2.0)
    assert value["verdict"] == verdict
    authority = next(s for s in compared["triangle"]["scores"] if s["scale"] != "triangle_value")
    assert authority["verdict"] == NOT_CLEAR and authority["change"] == 0


def test_a_score_missing_in_one_wave_is_no_clear_change():
    after = _diagnosis(2.5)
    after["scales"] = after["scales"][1:]
    scores = compare_diagnoses(_diagnosis(2.0), after)["triangle"]["scores"]
    value = next(s for s in scores if s["scale"] == "triangle_value")
    assert value["after"] is None and value["change"] is None and value["verdict"] == NOT_CLEAR


@pytest.mark.parametrize(
    ("second", "verdict"),
    [
        ({"phase": 2, "share": 0.9}, CLEAR),
        ({"phase": 2, "share": 0.6}, NOT_CLEAR),  # the later reading is not confident
        ({"phase": 2, "share": 0.9, "described": False}, NOT_CLEAR),  # no phase named
        ({"phase": 1, "share": 0.99}, NOT_CLEAR),  # the same phase
    ],
)
def test_the_phase_changes_clearly_only_between_two_confident_named_phases(second, verdict):
    compared = compare_diagnoses(_diagnosis(2.0, phase=1, share=0.8), _diagnosis(2.0, **second))
    assert compared["phase"]["verdict"] == verdict
    assert compared["phase"]["moved"] == second["phase"] - 1


def test_groups_are_compared_only_where_both_waves_show_them():
    def row(group: str, mean: float, n: int = 10) -> dict:
        return {"grouping": "sector", "scale": "triangle_value", "group": group, "n": n,
                "mean": mean, "sd": 0.4}  # fmt: skip

    before = _diagnosis(2.0, rows=[row("health", 2.0), row("police_justice", 2.0)])
    after = _diagnosis(2.0, rows=[row("health", 3.0)])  # police and justice held back
    groups = compare_diagnoses(before, after)["groups"]

    assert list(groups["sector"]) == ["health"] and groups["layer"] == {}
    (score,) = groups["sector"]["health"]["scores"]
    # 2.0 +- t(9) x 0.4 / sqrt(10): t(9) = 2.262, so [1.71, 2.29] against [2.71, 3.29]
    assert score["before"]["interval"][1] == pytest.approx(2.0 + 2.262 * 0.4 / 10**0.5, abs=1e-3)
    assert score["verdict"] == CLEAR
    assert groups["sector"]["health"]["label"] == "Health"


def test_the_triangle_and_conditions_are_given_before_and_after():
    compared = compare_diagnoses(_diagnosis(2.0), _diagnosis(2.0))
    assert compared["triangle"]["weak_corner"] == {"before": "value", "after": "value"}
    assert compared["omr"]["providers"]["balanced"] == {"before": 0.5, "after": 0.5, "change": 0}
    assert compared["respondents"] == {"before": 25, "after": 25}
    assert "do not overlap" in compared["method"]


def test_the_demo_waves_diagnoses_compare(tmp_path):
    from pathlib import Path

    from placelab.core.toolkit import diagnose_files

    examples = Path(__file__).parents[3] / "examples"
    waves = [diagnose_files(f / "answers.csv", f / "people.csv") for f in
             (examples, examples / "wave2")]  # fmt: skip
    compared = compare_diagnoses(*waves)

    assert compared["phase"]["before"]["name"] == waves[0]["lifecycle"]["leading"]["name"]
    means = {s["id"]: s["mean"] for s in waves[1]["scales"]}
    for score in compared["triangle"]["scores"]:
        assert score["after"]["mean"] == means[score["scale"]]
    shown = {(r["grouping"], r["group"]) for r in waves[0]["breakdowns"]["shown"]}
    for grouping, groups in compared["groups"].items():
        assert all((grouping, group) in shown for group in groups)
