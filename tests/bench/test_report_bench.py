"""Smoke test of the report benchmark: it runs end to end on a small locality and says what it
measured. Nothing here is timed; the benchmark itself is run by hand (``python -m bench.report``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_benchmark_runs_and_reports_its_targets(tmp_path: Path):
    pdf = tmp_path / "bench.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "bench.report", "--people", "60", "--pdf", str(pdf)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert "FAILED" not in done.stderr, done.stderr  # a step failing, not a target missed
    assert "The report at 60 people" in done.stdout
    assert "baseline: analysis" in done.stdout and "PDF: Chromium printing the HTML" in done.stdout
    assert "full HTML and PDF, seconds" in done.stdout and "PDF size, MB" in done.stdout
    assert pdf.read_bytes().startswith(b"%PDF-")
