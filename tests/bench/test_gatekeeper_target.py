"""The benchmark fails when the gatekeepers found at 10,000 people miss their target."""

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
        "gatekeepers at 10,000 people, all: 94.4% of the exact set, under 95%"
    ]
    verdicts = [met for text, met in target_lines(results) if text.startswith("gatekeepers")]
    assert verdicts == [True, False]


def test_overlaps_at_the_target_pass():
    assert failed_cases(results_with({"innovation": 0.95, "all": 1.0})) == []
