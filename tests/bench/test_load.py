"""Smoke test of the load benchmark: a few respondents walk the whole survey through a real
gunicorn against PostgreSQL, and the script checks that every acknowledged answer is stored
once. Nothing here is timed (the suite runs beside other work; a p95 of 10 s passes): the
200-respondent figures are measured by hand, ``python -m bench.load`` (bench/README.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("DATABASE_URL", "")
if not SERVER.startswith("postgres"):
    SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(SERVER, connect_timeout=3).close()
    except Exception:
        return False
    return True


pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not postgres_answers(), reason="needs PostgreSQL at 127.0.0.1:5432"),
]


def test_ten_respondents_walk_the_survey_and_every_answer_is_stored_once(tmp_path: Path):
    database = urlsplit(SERVER)._replace(path=f"/placelab_load_smoke_{os.getpid()}").geturl()
    figures = tmp_path / "load.json"
    command = [
        sys.executable, "-m", "bench.load", "--respondents", "10", "--doubles", "2",
        "--think", "0.5", "--time-limit", "120", "--workers", "2", "--p95-limit", "10",
        "--database-url", database, "--json", str(figures), "--drop",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[PASS]" in done.stdout
    found = json.loads(figures.read_text())
    assert found["finished"] == 10 and found["error_count"] == 0
    check = found["check"]
    assert check["responses"] == 10 and check["submitted"] == 10 and not check["problems"]
    assert check["nominations"] > 10 * 7 and check["answers"] > 10 * 40
    # The doubled respondents posted a network page and the submission twice at once.
    assert found["kinds"]["review POST"]["requests"] == 12
