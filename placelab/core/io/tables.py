"""Read a CSV or XLSX file into rows of text, keeping each row's number for error messages."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from placelab.core.errors import InputError

# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (CSV
# injection: OWASP, "CSV Injection"); a name such as =HYPERLINK(...) could leak the sheet.
FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"  # the spreadsheets' own mark for "this cell is text"


@dataclass(frozen=True)
class Table:
    """The rows of one file as text, with the row number a spreadsheet would show (header = 1)."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def require(self, columns: tuple[str, ...]) -> None:
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise InputError(
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}",
                file=self.file,
                row=1,
                column=missing[0],
                expected="a header with " + ", ".join(columns),
            )


def read_table(path: str | Path) -> Table:
    """Read ``path`` (``.csv`` or ``.xlsx``) as a :class:`Table`; raise InputError if it can't be."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    return read_table_bytes(path.read_bytes(), str(path))


def read_table_bytes(data: bytes, name: str) -> Table:
    """Read a file's bytes as a :class:`Table`, as :func:`read_table` reads a path.

    ``name`` (an upload's file name) says the format by its suffix and names the file in errors;
    nothing is written to disk.
    """
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        header, body = _xlsx_rows(data, name)
    else:
        header, body = _csv_rows(data, name)
    return _table(name, header, body)


def _csv_rows(raw: bytes, file: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"byte {error.start} is not valid UTF-8",
            file=file,
            row=row,
            column=_column_at(raw, error.start) if row > 1 else None,
            expected="a UTF-8 encoded file (save as 'CSV UTF-8' in a spreadsheet)",
        ) from None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise InputError(f"not a readable CSV file: {error}", file=file) from None
    if not records:
        return [], []
    return records[0], [[_from_csv_cell(cell) for cell in record] for record in records[1:]]


def csv_cell(value: object) -> object:
    """A value as a CSV cell that a spreadsheet shows as text, never runs: text starting like a
    formula gets a leading ``'``. :func:`read_table` takes it off again, so the file reads back
    as written (numbers are left alone).

    >>> csv_cell("=SUM(1,2)"), csv_cell("-"), csv_cell("'Ohana Trust"), csv_cell(-3)
    ("'=SUM(1,2)", "'-", "'Ohana Trust", -3)
    """
    if isinstance(value, str) and (value[:1] in FORMULA_STARTS or _escaped(value)):
        return QUOTE + value
    return value


def _escaped(text: str) -> bool:
    """Does ``text`` start with the ``'`` that :func:`csv_cell` adds? (A ``'`` before a formula's
    first character or before another ``'``; a name such as 'Ohana keeps its own.)"""
    return len(text) > 1 and text[0] == QUOTE and (text[1] in FORMULA_STARTS or text[1] == QUOTE)


def _from_csv_cell(text: str) -> str:
    return text[1:] if _escaped(text) else text


# Control characters (NUL and the like, not tab or line breaks) are never part of a name or a
# code, and PostgreSQL cannot store a NUL at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters(file: str, row: int, cells: dict[str, str]) -> None:
    for column, text in cells.items():
        found = _CONTROL.search(text)
        if found:
            raise InputError(
                f"the cell holds a control character (U+{ord(found.group()):04X})",
                file=file, row=row, column=column, expected="text without control characters",
            )  # fmt: skip


def _column_at(raw: bytes, position: int) -> str | None:
    """The header name of the cell holding byte ``position``, which is past the header."""
    line_start = raw.rfind(b"\n", 0, position) + 1
    # Everything before the first bad byte decodes; count the cells it opens.
    before = raw[line_start:position].decode("utf-8", errors="replace")
    index = len(next(csv.reader([before + "x"]))) - 1
    header = raw[: raw.find(b"\n")].decode("utf-8-sig", errors="replace")
    names = next(csv.reader([header.rstrip("\r")]), [])
    return names[index].strip() if index < len(names) else None


def _xlsx_rows(raw: bytes, file: str) -> tuple[list[str], list[list[str]]]:
    import openpyxl  # imported here: only spreadsheet users pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InputError(f"not a readable XLSX workbook: {error}", file=file) from None
    sheet = book.worksheets[0]
    records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not records:
        return [], []
    return records[0], records[1:]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(file: str, header: list[str], body: list[list[str]]) -> Table:
    columns = tuple(c.strip() for c in header)
    if not columns or not any(columns):
        raise InputError("the file is empty", file=file, expected="a header row and data rows")
    # A spreadsheet pads its header with empty cells to the width of its widest row.
    while not columns[-1]:
        columns = columns[:-1]
    if "" in columns:
        raise InputError(
            f"column {columns.index('') + 1} of the header has no name", file=file, row=1,
            expected="a name for every column",
        )  # fmt: skip
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            raise InputError(f"column {name!r} appears twice", file=file, row=1, column=name)
        seen.add(name)
    rows = []
    for offset, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are common at the end of exported sheets
        if len(record) > len(columns) and any(c.strip() for c in record[len(columns) :]):
            raise InputError(
                f"the row has {len(record)} cells but the header has {len(columns)}",
                file=file,
                row=offset,
            )
        cells = {
            name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(columns)
        }
        _refuse_control_characters(file, offset, cells)
        rows.append((offset, cells))
    if not rows:
        raise InputError("the file has a header but no data rows", file=file)
    return Table(file, columns, tuple(rows))
