"""Smoke test of the layout benchmark: it runs, compares with its baselines, draws its pictures.

Nothing here is timed; the benchmark itself is run by hand (``python -m bench.layout``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_layout_benchmark_runs_and_draws_both_pictures(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.layout", "--sizes", "200", "--pictures", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "200 people" in done.stdout
    assert "igraph plain FR" in done.stdout and "NetworkX spring_layout" in done.stdout
    for style in ("lines", "aggregated"):
        assert (tmp_path / f"across-200-{style}.png").read_bytes().startswith(b"\x89PNG")
