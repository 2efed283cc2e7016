"""The benchmark fails when a target is missed: the gatekeepers found at 10,000 people, the
seconds and the peak memory of each size."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # bench/ is not installed; tests/bench must not shadow it

from bench.run import GATEKEEPER_TARGET, failed_cases, target_lines  # noqa: E402


def results_with(overlaps: dict[str, float]) -> dict:
    networks = {name: {"gatekeepers": {"overlap": share}} for name, share in overlaps.items()}
    return {"sizes": {}, "agreement": {"networks": networks}}


def test_a_gatekeeper_overlap_under_the_target_fails_the_benchmark():
    results = results_with({"innovation": 0.96, "all": 0.944})
    assert GATEKEEPER_TARGET == 0.95
    assert failed_cases(results) == [
        "target missed: gatekeepers at 10,000 (all): at least 95% of the exact set (found 94.4%)"
    ]
    verdicts = [met for text, met in target_lines(results) if text.startswith("gatekeepers")]
    assert verdicts == [True, False]


def test_overlaps_at_the_target_pass():
    assert failed_cases(results_with({"innovation": 0.95, "all": 1.0})) == []


def test_a_missed_target_fails_the_run():
    def results(seconds: float, peak_mb: float) -> dict:
        case = {"seconds": seconds, "peak_mb": peak_mb, "ties": 1}
        return {"sizes": {1_000: {"placelab": case, "baseline": None},
                          100_000: {"placelab": case, "baseline": None}}, "agreement": None}  # fmt: skip

    assert failed_cases(results(0.5, 1_000)) == []
    assert failed_cases(results(0.5, 5_000)) == [
        "target missed: 100,000 people under 4,096 MB at peak"
    ]
    assert "target missed: 1,000 people under 1 s" in failed_cases(results(1.5, 1_000))
