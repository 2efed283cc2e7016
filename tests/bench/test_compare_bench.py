"""Smoke test of the two-wave comparison benchmark: it runs end to end on a small locality, says
what it measured, and fails when a target is missed or a step fails. Nothing here is timed; the
benchmark itself is run by hand (``python -m bench.compare``) or by ``make bench``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--people", "60", "--resamples", "20", "--runs", "1"]


def bench(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench.compare", *options],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_the_comparison_benchmark_runs_and_reports_its_targets():
    # Targets no comparison misses, so that a loaded machine cannot fail the test.
    done = bench(*SMALL, "--ratio-target", "1000", "--command-ratio-target", "1000")
    assert done.returncode == 0, done.stderr
    assert "Comparing two waves at 60 people" in done.stdout
    for step in ("baseline: read and analyse one wave", "read both waves and compare_waves",
                 "analysis: answered both, later wave", "bootstrap intervals",
                 "placelab analyze --json, one wave", "placelab compare --json"):  # fmt: skip
        assert step in done.stdout
    assert done.stdout.count("[PASS]") == 3


def test_a_missed_target_fails_the_benchmark():
    done = bench(*SMALL, "--ratio-target", "0.01")
    assert done.returncode == 1
    assert "[FAIL] read both waves and compare_waves" in done.stdout
    assert "FAILED: comparing two waves, 60 people: read both waves and compare_waves" in (
        done.stderr
    )


def test_a_failed_step_fails_the_benchmark():
    done = bench("--people", "1", "--resamples", "20")  # the generator needs two people
    assert done.returncode == 1
    assert "FAILED: comparing two waves, 1 people" in done.stderr
    assert "at least 2 people" in done.stderr
