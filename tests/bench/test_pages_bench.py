"""Smoke test of the pages benchmark (``python -m bench.pages``): it builds a small study, asks
every page, prints its table, and its exit status says whether every page met the limit.
Nothing here is timed: the figures at 10,000 people are measured by hand (bench/README.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    # Its own SQLite database in ``folder``, never the suite's or a real one.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "bench.pages", "--people", "120", "--responses", "40",
         "--repeats", "1", "--folder", str(folder), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip


def test_the_benchmark_times_every_page_and_exits_0_when_all_are_under_the_limit(tmp_path):
    done = run(tmp_path, "--limit-ms", "100000")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "120 people, 40 responses" in done.stdout
    for page in ("| roster |", "| invitations |", "| responses |", "| study page |",
                 "| survey: consent |", "| survey: review |", "| named off the list |"):  # fmt: skip
        assert page in done.stdout
    assert "**no**" not in done.stdout


def test_it_exits_1_and_names_the_pages_over_the_limit(tmp_path):
    done = run(tmp_path, "--limit-ms", "0")
    assert done.returncode == 1
    assert "FAIL roster:" in done.stderr and "FAIL invitations:" in done.stderr
    assert "**no**" in done.stdout
