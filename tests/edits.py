"""Edits that break a valid test file in one known place; each returns the row it touched."""

from __future__ import annotations

import csv
from pathlib import Path


def replace_line(path: Path, starts: str, new: str) -> int:
    """Replace the first line starting with ``starts``; return its row number as a sheet shows it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(starts))
    lines[index] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def append_line(path: Path, line: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines() + [line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    at = records[0].index(column)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([r[:at] + r[at + 1 :] for r in records])
