"""A CSV roster in each encoding and separator a spreadsheet writes is read as written, and the
reader says how it read it.

Every file here is real bytes produced by Python's own codecs (the reference: the text encoded
is the text expected back), written to disk and read through ``read_table`` as the CLI reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from placelab.core.errors import InputError
from placelab.core.io.tables import csv_separator, read_table

NAMES = ["Zoë Ångström", "José Núñez", "Søren Weiß"]  # letters all five encodings hold


def _csv(names: list[str], separator: str = ",") -> str:
    lines = [separator.join(("id", "name", "sector"))]
    lines += [separator.join((f"p{i}", name, "health")) for i, name in enumerate(names, 1)]
    return "\r\n".join(lines) + "\r\n"  # Excel ends lines with CR LF


def _read(tmp_path: Path, data: bytes):
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    return read_table(path)


def _names(table) -> list[str]:
    return [cells["name"] for _, cells in table.rows]


@pytest.mark.parametrize(
    ("encode", "says"),
    [
        (lambda text: text.encode("utf-8"), "UTF-8"),
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "UTF-8 (with a byte order mark)"),
        (lambda text: text.encode("utf-16"), "UTF-16"),  # with its byte order mark
        (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "UTF-16"),
        (lambda text: b"\xff\xfe" + text.encode("utf-16-le"), "UTF-16"),
        (lambda text: text.encode("latin-1"), "Latin-1 (ISO 8859-1)"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-be", "utf-16-le", "latin-1"],
)
def test_each_encoding_is_read_as_written_and_named(tmp_path, encode, says):
    table = _read(tmp_path, encode(_csv(NAMES)))

    assert table.columns == ("id", "name", "sector")
    assert _names(table) == NAMES
    assert table.read_as == f"Read as {says}, with cells separated by commas."


def test_a_windows_1252_file_is_read_with_its_letters_at_0x80_to_0x9f(tmp_path):
    names = ["Renée O’Neill", "Šárka Œuvre", "Žofie “Zo” Brož", "Fund – €5"]
    data = _csv(names).encode("cp1252")
    assert any(0x80 <= byte <= 0x9F for byte in data)  # the bytes Latin-1 has no letter for

    table = _read(tmp_path, data)

    assert _names(table) == names
    assert table.encoding == "cp1252"
    assert (
        table.read_as == "Read as Windows-1252 (Excel on Windows), with cells separated by commas."
    )


def test_a_latin_1_file_reads_the_same_as_windows_1252_would(tmp_path):
    data = _csv(NAMES).encode("latin-1")

    table = _read(tmp_path, data)

    # Without bytes 0x80-0x9F the two encodings agree on every byte.
    assert _names(table) == NAMES == [n.encode("latin-1").decode("cp1252") for n in NAMES]
    assert table.encoding == "latin-1"


def test_utf_8_is_tried_before_the_single_byte_encodings(tmp_path):
    # "Zoë" in UTF-8 is also valid Windows-1252 ("ZoÃ«"): UTF-8 is the likelier and wins.
    table = _read(tmp_path, _csv(["Zoë"]).encode("utf-8"))

    assert _names(table) == ["Zoë"] and table.encoding == "utf-8"


@pytest.mark.parametrize(
    ("separator", "says"), [(",", "commas"), (";", "semicolons"), ("\t", "tabs")]
)
def test_each_separator_is_found_from_the_header_and_named(tmp_path, separator, says):
    table = _read(tmp_path, _csv(NAMES, separator).encode("utf-8"))

    assert table.columns == ("id", "name", "sector")
    assert _names(table) == NAMES
    assert table.read_as == f"Read as UTF-8, with cells separated by {says}."


def test_excel_on_windows_in_french_or_german_writes_semicolons_in_windows_1252(tmp_path):
    text = "id;name;organisation;sector\r\np1;Renée O’Neill;Conseil, Nord;health\r\n"

    table = _read(tmp_path, text.encode("cp1252"))

    assert table.rows == (
        (2, {"id": "p1", "name": "Renée O’Neill", "organisation": "Conseil, Nord",
             "sector": "health"}),
    )  # fmt: skip
    assert table.read_as == (
        "Read as Windows-1252 (Excel on Windows), with cells separated by semicolons."
    )


def test_a_utf_16_file_with_tabs_as_excels_unicode_text_writes_it(tmp_path):
    table = _read(tmp_path, _csv(NAMES, "\t").encode("utf-16"))

    assert _names(table) == NAMES
    assert table.read_as == "Read as UTF-16, with cells separated by tabs."


@pytest.mark.parametrize(
    ("header", "separator"),
    [
        ('"Organisation, name";id;sector', ";"),  # a quoted comma is not a separator
        ("id,name;with;semicolons", ";"),  # more cells by semicolons than by commas
        ("id", ","),  # one column: a comma, the default
        ("id\tname, with a comma\tsector\tlayer", "\t"),
    ],
)
def test_the_separator_is_the_one_that_splits_the_header_into_most_cells(header, separator):
    assert csv_separator(header + "\nrest") == separator


def test_a_byte_that_is_text_in_none_of_the_encodings_is_named_by_row_and_column(tmp_path):
    data = _csv(NAMES, ";").encode("cp1252").replace("Søren".encode("cp1252"), b"S\x81ren")

    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)

    error = caught.value
    assert (error.row, error.column) == (4, "name")
    assert "(0x81) is not text in UTF-8, Windows-1252 or Latin-1" in error.detail
    assert error.expected == "a file saved as 'CSV UTF-8' in a spreadsheet"


def test_a_file_marked_utf_8_that_is_not_is_refused_not_guessed(tmp_path):
    data = b"\xef\xbb\xbf" + _csv(NAMES).encode("cp1252")

    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)

    assert caught.value.row == 2 and "is not text in UTF-8" in caught.value.detail


def test_a_file_mixing_utf_8_and_windows_1252_is_refused_not_garbled(tmp_path):
    # Pasted together: Zoë in UTF-8 (C3 AB) and José in Windows-1252 (E9). Read as Windows-1252
    # the first would be saved as "ZoÃ«".
    data = _csv(["Zoë"]).encode("utf-8") + "p9,José,health\r\n".encode("cp1252")

    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)

    assert (caught.value.row, caught.value.column) == (3, "name")
    assert "(0xE9) is not text in UTF-8" in caught.value.detail


def test_a_utf_16_file_cut_short_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        _read(tmp_path, _csv(NAMES).encode("utf-16")[:-1])

    assert "UTF-16" in caught.value.detail


# Names a Windows-1252 spreadsheet can hold: letters, spaces and its punctuation.
WINDOWS_TEXT = st.text(
    st.characters(codec="cp1252", categories=("L", "Zs", "Pd", "Pi", "Pf", "Sc")),
    min_size=1, max_size=20,
).map(str.strip).filter(bool)  # fmt: skip


@given(names=st.lists(WINDOWS_TEXT, min_size=1, max_size=5))
def test_any_names_saved_in_windows_1252_read_back_as_saved(tmp_path_factory, names):
    data = _csv(names, ";").encode("cp1252")
    try:
        data.decode("utf-8")
        assume(False)  # also valid UTF-8 (then read as UTF-8): rare, and not this test's case
    except UnicodeDecodeError:
        pass
    # A capital such as Â or É before a sign such as ¢ or ’ is also UTF-8's form of a letter:
    # beside other bytes it reads as a mixed file and is refused (the test below).
    assume(not re.search(rb"[\xc2-\xdf][\x80-\xbf]", data))
    assume(all(n == " ".join(n.split()) for n in names))  # cells are stripped on reading

    table = _read(tmp_path_factory.mktemp("cp1252"), data)

    assert _names(table) == names
    assert table.encoding in ("cp1252", "latin-1")
