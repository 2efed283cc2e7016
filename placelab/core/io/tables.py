"""Read a CSV or XLSX file into rows of text, keeping each row's number for error messages."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from placelab.core.errors import InputError

# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (CSV
# injection: OWASP, "CSV Injection"); a name such as =HYPERLINK(...) could leak the sheet.
FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"  # the spreadsheets' own mark for "this cell is text"

# The encodings a CSV is read in, in the reader's words (:func:`decode_csv` says in what order).
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with a byte order mark)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Excel on Windows)",
    "latin-1": "Latin-1 (ISO 8859-1)",
}
# The separators a CSV's cells may have, in the order preferred when the header is one cell.
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
# Bytes 0x80-0x9F: letters and punctuation in Windows-1252, control characters in Latin-1.
_WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")
# UTF-8's two-byte letters (é is C3 A9). In a Windows-1252 file these pairs would be a capital
# letter and a sign ("Ã©"), which names seldom hold; beside a byte that is not UTF-8 they mean a
# file that mixes the two, which no one reading gets right.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]")


@dataclass(frozen=True)
class Table:
    """The rows of one file as text, with the row number a spreadsheet would show (header = 1)."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    encoding: str = ""  # a key of ENCODINGS for a CSV; blank for a workbook
    separator: str = ""  # a key of SEPARATORS for a CSV

    @property
    def read_as(self) -> str:
        """How a CSV was read, in a reader's words; blank for a workbook."""
        if not self.encoding:
            return ""
        cells = SEPARATORS.get(self.separator, "commas")
        return f"Read as {ENCODINGS[self.encoding]}, with cells separated by {cells}."

    def renamed(self, names: Mapping[str, str]) -> Table:
        """This table with each column whose :func:`header_key` is in ``names`` renamed to the
        name it maps to; two columns that come to one name are refused at row 1."""
        columns = tuple(names.get(header_key(c), c) for c in self.columns)
        if columns == self.columns:
            return self
        seen: dict[str, str] = {}
        for given, name in zip(self.columns, columns, strict=True):
            if name in seen:
                raise InputError(
                    f"columns {seen[name]!r} and {given!r} both mean {name!r}", file=self.file,
                    row=1, column=given, expected="each column once",
                )  # fmt: skip
            seen[name] = given
        rename = dict(zip(self.columns, columns, strict=True))
        rows = tuple((row, {rename[k]: v for k, v in cells.items()}) for row, cells in self.rows)
        return replace(self, columns=columns, rows=rows)

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


def header_key(name: str) -> str:
    """A column's name as headers are compared: case, spaces, underscores and hyphens aside.

    >>> header_key(" Organisation_Name "), header_key("E-mail")
    ('organisation name', 'e mail')
    """
    return " ".join(re.sub(r"[_\-\s]+", " ", name).split()).casefold()


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
        return _table(name, header, body)
    text, encoding = decode_csv(data, name)
    separator = csv_separator(text)
    header, body = _csv_rows(text, name, separator)
    return replace(_table(name, header, body), encoding=encoding, separator=separator)


def decode_csv(raw: bytes, file: str) -> tuple[str, str]:
    """The text of a CSV file's bytes, and the encoding (a key of ``ENCODINGS``) it was read in.

    Tried in order, the first that fits used:

    1. a byte order mark: UTF-16 (either byte order) or UTF-8;
    2. strict UTF-8, which text in a single-byte encoding almost never passes by chance (an
       accented letter there is one byte above 0x7F, never valid UTF-8 alone);
    3. Windows-1252 or Latin-1. They agree on every byte but 0x80-0x9F, where Windows-1252 has
       letters and punctuation (€ ’ “ – Š œ) and Latin-1 control characters no name holds: a
       file using those bytes is Windows-1252, one without them reads the same in both and is
       called Latin-1, the narrower claim.

    Refused, by the row and column of the first byte at fault: a file whose other accented
    letters are UTF-8's (it mixes two encodings, so no one reading is right), and the five
    bytes Windows-1252 leaves unused (0x81, 0x8D, 0x8F, 0x90, 0x9D). No detector is used: on
    rosters of 3 to 300 people with European names (bench/roster_encodings.py),
    charset-normalizer 3.5 read 0 to 20 of 40 Windows-1252 or Latin-1 files right, taking most
    for Windows-1250; these attempts read all of them, and all UTF-8 and UTF-16 files as it did.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(
                "the file starts as UTF-16 text but its bytes end part-way through a letter",
                file=file, expected="a whole UTF-16 file, or one saved as 'CSV UTF-8'",
            ) from None  # fmt: skip
    marked = raw.startswith(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig" if marked else "utf-8"
    except UnicodeDecodeError as error:
        if marked or _UTF8_LETTER.search(raw):  # UTF-8 but for some bytes: no reading is right
            raise _unreadable_byte(raw, error.start, file, "UTF-8") from None
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _unreadable_byte(raw, error.start, file, "UTF-8, Windows-1252 or Latin-1") from None
    return text, "cp1252" if _WINDOWS_ONLY.search(raw) else "latin-1"


def csv_separator(text: str) -> str:
    """The separator of a CSV's cells: of those in ``SEPARATORS``, the one that splits the
    header line into most cells (a comma when none splits it), read as a CSV so that a quoted
    header such as "Council, North" is one cell.

    >>> csv_separator("id;name;sector\\np1;Ann, Lee;health"), csv_separator('id\\tname')
    (';', '\\t')
    """
    header = text.split("\n", 1)[0]
    cells = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=cells.__getitem__)  # max keeps the first of equals: a comma


def _unreadable_byte(raw: bytes, position: int, file: str, tried: str) -> InputError:
    """The error for a byte that the encodings ``tried`` have no letter for, at its row and
    column (found in the file read one character a byte, so that positions agree)."""
    text = raw.decode("latin-1")
    row = text.count("\n", 0, position) + 1
    return InputError(
        f"byte {position} (0x{raw[position]:02X}) is not text in {tried}",
        file=file, row=row, column=_column_at(text, position) if row > 1 else None,
        expected="a file saved as 'CSV UTF-8' in a spreadsheet",
    )  # fmt: skip


def _csv_rows(text: str, file: str, separator: str) -> tuple[list[str], list[list[str]]]:
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
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


def _column_at(text: str, position: int) -> str | None:
    """The header name of the cell holding character ``position``, which is past the header."""
    separator = csv_separator(text)
    line_start = text.rfind("\n", 0, position) + 1
    # Count the cells the line opens before the position.
    before = text[line_start:position]
    index = len(next(csv.reader([before + "x"], delimiter=separator))) - 1
    header = text[: text.find("\n")].removeprefix("\xef\xbb\xbf")
    names = next(csv.reader([header.rstrip("\r")], delimiter=separator), [])
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
