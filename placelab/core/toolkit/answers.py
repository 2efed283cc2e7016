"""Read self-assessment answers, or say exactly which file, row and column is wrong.

Two layouts, told apart by the header:

- long: ``respondent,item,answer``, one row per answer (what a database exports);
- wide: ``respondent`` and one column per item id, one row per respondent (what most survey
  tools export).

An answer is 1 to 5 on the agreement scale, ``dk`` for "don't know" (also "don't know" or
"dont know", any case), or blank for a question skipped. Both ``dk`` and blank are missing
values when scoring; ``dk`` is counted, since not knowing is itself telling. Answers to items
of a group the study switched off are ignored and counted. Nothing is read into a diagnosis
until the whole file has passed.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from placelab.core.errors import InputError
from placelab.core.io.tables import Table, read_table
from placelab.core.toolkit.bank import ItemBank

LONG = ("respondent", "item", "answer")
DONT_KNOW = {"dk", "don't know", "dont know", "don’t know"}
SCALE_POINTS = {"1": 1.0, "2": 2.0, "3": 3.0, "4": 4.0, "5": 5.0}
EXPECTED_ANSWER = "1, 2, 3, 4 or 5, dk for don't know, or blank if skipped"


@dataclass(frozen=True)
class Answers:
    """Checked answers: respondents (rows, file order) by bank items (columns, bank order).

    ``values`` holds 1-5 as floats, NaN where the answer is missing; ``dont_know`` marks the
    missing values that were "don't know". ``rows`` is each respondent's first row in the file.
    """

    file: str
    values: pd.DataFrame
    dont_know: pd.DataFrame
    rows: dict[str, int]
    ignored: int = 0

    @property
    def respondents(self) -> tuple[str, ...]:
        return tuple(self.values.index)

    def fingerprint(self) -> str:
        """A hash of the checked answers, stored with the diagnosis."""
        digest = hashlib.sha256(self.values.to_csv().encode())
        digest.update(self.dont_know.to_csv().encode())
        return digest.hexdigest()


def read_answers(
    path: str | Path, bank: ItemBank, *, people: pd.DataFrame | None = None
) -> Answers:
    """Read and check an answers file (CSV or XLSX) against the bank and, if given, the roster."""
    return answers_from_table(read_table(path), bank, people=people)


def answered_items(table: Table) -> set[str]:
    """The item ids a table of answers names, in either layout (nothing checked yet)."""
    if "item" in table.columns:
        return {cells["item"] for _row, cells in table.rows if cells.get("item")}
    return {c for c in table.columns if c != "respondent"}


def answers_from_table(
    table: Table, bank: ItemBank, *, people: pd.DataFrame | None = None
) -> Answers:
    """Check a table of answers in either layout; raise InputError at the first bad cell."""
    is_long = "item" in table.columns or "answer" in table.columns
    cells = _long_cells(table, bank) if is_long else _wide_cells(table, bank)
    values: dict[tuple[str, str], float] = {}
    dont_know: set[tuple[str, str]] = set()
    rows: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    ignored = 0
    for row, column, respondent, item, text in cells:
        rows.setdefault(respondent, row)
        key = (respondent, item)
        if key in seen:
            raise InputError(
                f"{respondent!r} already answered {item!r} in row {seen[key]}",
                file=table.file, row=row, column=column, expected="one answer per item",
            )  # fmt: skip
        seen[key] = row
        answer = _parse_answer(table, row, column, text)
        if bank.switched_off(item):
            ignored += answer is not None
        elif answer == "dk":
            dont_know.add(key)
        elif answer is not None:
            values[key] = float(answer)
    if people is not None:
        _check_roster(table, rows, people)
    return _answers(table.file, bank, rows, values, dont_know, ignored)


def _long_cells(table: Table, bank: ItemBank):
    table.require(LONG)
    for row, cells in table.rows:
        for column in ("respondent", "item"):
            if not cells[column]:
                raise InputError(f"the {column} is blank", file=table.file, row=row, column=column)
        _check_item(table, row, "item", cells["item"], bank)
        yield row, "answer", cells["respondent"], cells["item"], cells["answer"]


def _wide_cells(table: Table, bank: ItemBank):
    if "respondent" not in table.columns:
        raise InputError(
            "no 'respondent' column", file=table.file, row=1,
            expected="a header respondent,item,answer (one row per answer) or respondent and "
            "one column per item id (one row per respondent)",
        )  # fmt: skip
    items = [c for c in table.columns if c != "respondent"]
    for column in items:
        _check_item(table, 1, column, column, bank)
    first: dict[str, int] = {}
    for row, cells in table.rows:
        respondent = cells["respondent"]
        if not respondent:
            raise InputError(
                "the respondent is blank", file=table.file, row=row, column="respondent"
            )
        if respondent in first:
            raise InputError(
                f"respondent {respondent!r} already has a row (row {first[respondent]})",
                file=table.file, row=row, column="respondent", expected="one row per respondent",
            )  # fmt: skip
        first[respondent] = row
        for column in items:
            yield row, column, respondent, column, cells[column]


def _check_item(table: Table, row: int, column: str, item: str, bank: ItemBank) -> None:
    if item in bank.item_ids or bank.switched_off(item):
        return
    near = difflib.get_close_matches(item, bank.item_ids, n=1, cutoff=0.6)
    hint = f": did you mean {near[0]!r}?" if near else ""
    raise InputError(
        f"unknown item {item!r}{hint}",
        file=table.file, row=row, column=column,
        expected=f"an item id of item bank version {bank.version} (placelab items, or the "
        "study's own added with --items)",
    )  # fmt: skip


def _parse_answer(table: Table, row: int, column: str, text: str) -> str | float | None:
    word = text.strip().lower()
    if not word:
        return None
    if word in DONT_KNOW:
        return "dk"
    if word in SCALE_POINTS:
        return SCALE_POINTS[word]
    raise InputError(
        f"answer {text!r} is not on the scale",
        file=table.file, row=row, column=column, expected=EXPECTED_ANSWER,
    )  # fmt: skip


def _check_roster(table: Table, rows: dict[str, int], people: pd.DataFrame) -> None:
    responded = people["responded"].to_dict()
    for respondent, row in rows.items():
        if respondent not in responded:
            raise InputError(
                f"respondent {respondent!r} is not in the people file",
                file=table.file, row=row, column="respondent",
                expected="the id of a person in the people file",
            )  # fmt: skip
        if not responded[respondent]:
            raise InputError(
                f"respondent {respondent!r} is marked in the people file as not having responded",
                file=table.file, row=row, column="respondent",
            )  # fmt: skip


def _answers(
    file: str,
    bank: ItemBank,
    rows: dict[str, int],
    values: dict[tuple[str, str], float],
    dont_know: set[tuple[str, str]],
    ignored: int,
) -> Answers:
    index = pd.Index(list(rows), name="respondent", dtype=str)
    columns = pd.Index(bank.item_ids, name="item", dtype=str)
    matrix = np.full((len(index), len(columns)), np.nan)
    flags = np.zeros(matrix.shape, dtype=bool)
    at_row = {r: n for n, r in enumerate(index)}
    at_col = {c: n for n, c in enumerate(columns)}
    for (respondent, item), value in values.items():
        matrix[at_row[respondent], at_col[item]] = value
    for respondent, item in dont_know:
        flags[at_row[respondent], at_col[item]] = True
    return Answers(
        file=file,
        values=pd.DataFrame(matrix, index=index, columns=columns),
        dont_know=pd.DataFrame(flags, index=index, columns=columns),
        rows=rows,
        ignored=ignored,
    )
