"""Shared fixtures: one small, valid study written to files, for tests to read or to break."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_study import SMALL_PEOPLE, SMALL_TIES


@pytest.fixture
def small_study(tmp_path: Path) -> tuple[Path, Path]:
    """A valid people.csv and ties.csv in ``tmp_path``; returns (people, ties)."""
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text(SMALL_PEOPLE, encoding="utf-8")
    ties.write_text(SMALL_TIES, encoding="utf-8")
    return people, ties
