"""A roster import takes the files spreadsheets write: each encoding and separator, headers in
any case, labels or codes; and an owner may import the good rows of a file and skip the bad ones,
whose list stays after the import. Through the real pages (the worker's task run directly, as
in test_roster_import.py), and once in a browser."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from web.conftest import client_for

from placelab.web.studies.models import PendingImport, Study
from placelab.web.studies.tasks import import_roster

# As a council officer's spreadsheet has it: capitalised headers, a synonym, labels and codes.
HEADER = ["ID", "Full name", "Organisation name", "Sector", "Layer", "Seniority", "E-mail"]
PEOPLE = [
    ["p13", "Renée O’Neill", "Clinic", "Health", "Frontline", "Middle", "renee@example.org"],
    ["p14", "Šárka Novák", "Borough Council", "Local authority", "systemic", "SENIOR", ""],
    ["p15", "Zoë Ångström", "Tenants", "Residents’ groups", "public", "resident", ""],
]
# Latin-1 has no ’ Š (bytes 0x80-0x9F in Windows-1252): its file names others.
LATIN_PEOPLE = [
    ["p13", "José Núñez", "Clinic", "health", "frontline", "middle", "jose@example.org"],
    ["p14", "Søren Weiß", "Borough Council", "Local Authority", "Systemic", "senior", ""],
]
# Five problems on three rows, and a good row between them (test_roster_import.BAD, by label).
BAD = [
    ["p13", "Lee Moss", "Clinic", "housing", "frontline", "boss", "lee@example.org"],
    ["p14", "Mo Ray", "Clinic", "Health", "frontline", "", "not-an-email"],
    ["p13", "Again", "Clinic", "health", "", "middle", ""],
    ["p15", "Fine", "Clinic", "Health", "Public", "", ""],
]
SECTORS_SAID = (
    "one of: Local authority, Schools and colleges, Health, Police and justice, Voluntary and "
    "community sector, Business, University, Funders, Residents' groups, Other"
)


def _text(rows: list[list[str]], separator: str = ",") -> str:
    lines = io.StringIO()
    csv.writer(lines, delimiter=separator, lineterminator="\r\n").writerows([HEADER, *rows])
    return lines.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _url(study: Study) -> str:
    return reverse("studies:roster_import", args=[study.pk])


def _upload(client: Client, study: Study, data: bytes, name: str = "people.csv"):
    response = client.post(_url(study), {"step": "upload", "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    import_roster.call(PendingImport.objects.latest("pk").pk)
    return client.get(response["Location"])


def _confirm(client: Client, study: Study, ticket: str, **choice: str):
    return client.post(_url(study), {"step": "confirm", "ticket": ticket, **choice})


def _people(study: Study, keys: tuple[str, ...] = ("p13", "p14", "p15")) -> list[tuple]:
    found = study.participants.filter(key__in=keys).order_by("key")
    return [(p.key, p.name, p.sector, p.layer, p.seniority) for p in found]


# --- each file variant --------------------------------------------------------------------------

VARIANTS = {
    "utf-8, commas": (_text(PEOPLE).encode("utf-8"), "UTF-8", "commas"),
    "utf-8 with a byte order mark, semicolons": (
        b"\xef\xbb\xbf" + _text(PEOPLE, ";").encode("utf-8"),
        "UTF-8 (with a byte order mark)", "semicolons",
    ),
    "utf-16, tabs (Excel's Unicode text)": (
        _text(PEOPLE, "\t").encode("utf-16"), "UTF-16", "tabs",
    ),
    "windows-1252, semicolons (Excel on Windows in much of Europe)": (
        _text(PEOPLE, ";").encode("cp1252"), "Windows-1252 (Excel on Windows)", "semicolons",
    ),
    "windows-1252, commas (Excel's plain CSV on Windows)": (
        _text(PEOPLE).encode("cp1252"), "Windows-1252 (Excel on Windows)", "commas",
    ),
}  # fmt: skip
SAVED = [
    ("p13", "Renée O’Neill", "health", "frontline", "middle"),
    ("p14", "Šárka Novák", "local_authority", "systemic", "senior"),
    ("p15", "Zoë Ångström", "resident_group", "public", "resident"),
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_is_read_said_and_saved_as_written(owner_client, study, variant):
    data, encoding, separator = VARIANTS[variant]

    preview = _upload(owner_client, study, data)

    text = preview.content.decode()
    assert f"Read as {encoding}, with cells separated by {separator}." in text
    assert preview.context["preview"]["problems"] == []
    assert "Confirm and save 3 rows" in text
    _confirm(owner_client, study, preview.context["ticket"])
    assert _people(study) == SAVED
    assert study.participants.get(key="p13").email == "renee@example.org"
    assert study.organisations.get(name="Tenants").sector == "resident_group"


def test_a_latin_1_file_is_read_and_said(owner_client, study):
    preview = _upload(owner_client, study, _text(LATIN_PEOPLE).encode("latin-1"))

    assert "Read as Latin-1 (ISO 8859-1), with cells separated by commas." in (
        preview.content.decode()
    )
    _confirm(owner_client, study, preview.context["ticket"])
    assert _people(study) == [
        ("p13", "José Núñez", "health", "frontline", "middle"),
        ("p14", "Søren Weiß", "local_authority", "systemic", "senior"),
    ]


def test_a_workbook_with_capitalised_headers_and_labels_is_read(owner_client, study):
    preview = _upload(owner_client, study, _xlsx(PEOPLE), name="people.xlsx")

    assert preview.context["preview"]["problems"] == []
    assert "Read as" not in preview.content.decode()  # a workbook has no encoding to say
    _confirm(owner_client, study, preview.context["ticket"])
    assert _people(study) == SAVED


def test_the_preview_shows_labels_not_codes(owner_client, study):
    page = _upload(owner_client, study, _text(PEOPLE).encode("utf-8")).content.decode()

    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert cells[-3:] == ["Residents&#x27; groups", "Public", "Resident"]
    assert "resident_group" not in page


def test_a_file_no_encoding_reads_is_refused_with_where_and_what_to_do(owner_client, study):
    data = _text(PEOPLE, ";").encode("cp1252").replace(b"Zo\xeb", b"Zo\x81")

    page = _upload(owner_client, study, data).content.decode()

    assert "people.csv could not be read: nothing has been saved" in page
    position = data.index(b"\x81")
    assert (
        f"people.csv, row 4, column &#x27;Full name&#x27;: byte {position} (0x81) is not text in "
        "UTF-8, Windows-1252 or Latin-1 (expected a file saved as &#x27;CSV UTF-8&#x27; in a "
        "spreadsheet)" in page
    )
    assert _people(study) == []


def test_an_unknown_sector_is_refused_with_the_labels_it_may_be(owner_client, study):
    page = _upload(owner_client, study, _text(BAD).encode("utf-8")).content.decode()

    said = SECTORS_SAID.replace("'", "&#x27;")
    assert (
        f"Row 2, column <code>sector</code>: unknown sector &#x27;housing&#x27; (expected {said})"
        in page
    )
    assert (
        "Row 2, column <code>seniority</code>: unknown seniority &#x27;boss&#x27; "
        "(expected one of: Senior, Middle, Frontline, Resident)" in page
    )


def test_the_upload_page_says_which_files_it_reads_and_the_words_it_takes(owner_client, study):
    page = owner_client.get(_url(study)).content.decode()

    assert "UTF-8, UTF-16, Windows-1252" in page and "commas, semicolons or tabs" in page
    assert "Local authority, Schools and colleges, Health" in page
    assert "A file may hold up to <strong>20,000 people</strong>" in page


# --- keep the good rows -------------------------------------------------------------------------

SKIPPED_CSV = [
    ["row", "id", "column", "problem", "expected"],
    ["2", "p13", "sector", "unknown sector 'housing'", SECTORS_SAID],
    ["2", "p13", "seniority", "unknown seniority 'boss'", "one of: Senior, Middle, Frontline, Resident"],
    ["3", "p14", "email", "'not-an-email' is not an email address",
     "an address like name@example.org, or blank"],
    ["4", "p13", "id", "id 'p13' is already used in row 2", "one row per person"],
    ["4", "p13", "layer", "the layer is blank", "a layer in every row"],
]  # fmt: skip


def test_the_owner_may_import_the_good_rows_and_the_skipped_ones_stay_listed(owner_client, study):
    preview = _upload(owner_client, study, _text(BAD).encode("utf-8"))
    text = preview.content.decode()
    assert "5 problems to fix on 3 rows: nothing has been saved" in text
    assert "Import the 1 good row and skip the 3 with problems" in text
    # A value refused is shown as typed, the others by their labels.
    assert "<td>housing</td>" in text and "<td>Health</td>" in text and "<td>Frontline</td>" in text
    assert _people(study) == []

    response = _confirm(owner_client, study, preview.context["ticket"], skip="problems")

    assert _people(study) == [("p15", "Fine", "health", "public", "")]
    pending = PendingImport.objects.get(study=study)
    done = owner_client.get(response["Location"])
    page = done.content.decode()
    assert "Imported people.csv: 1 added, 0 updated" in page
    assert "3 rows with problems were skipped: nothing from them was saved." in page
    assert "Row 3, column <code>email</code>: &#x27;not-an-email&#x27; is not an email" in page
    assert done["Cache-Control"] == "no-store"
    skipped = reverse("studies:roster_import_skipped", args=[study.pk, pending.pk])
    assert skipped in page
    download = owner_client.get(skipped)
    assert download["Content-Disposition"] == 'attachment; filename="people-skipped-rows.csv"'
    assert list(csv.reader(io.StringIO(download.content.decode()))) == SKIPPED_CSV
    # Still there on coming back; gone with the next upload.
    assert "Imported people.csv" in owner_client.get(response["Location"]).content.decode()
    _upload(owner_client, study, _text(PEOPLE).encode("utf-8"))
    assert owner_client.get(skipped).status_code == 404


def test_a_file_with_problems_saves_nothing_unless_the_owner_chooses_to_skip(owner_client, study):
    preview = _upload(owner_client, study, _text(BAD).encode("utf-8"))

    response = _confirm(owner_client, study, preview.context["ticket"])  # no choice made

    again = owner_client.get(response["Location"])
    assert "5 problems to fix on 3 rows" in again.content.decode()
    assert _people(study) == []


def test_a_row_that_went_wrong_since_the_preview_sends_the_owner_back_to_it(owner_client, study):
    study.extra_sectors = ["housing_association"]
    study.save()
    rows = [
        ["p13", "Lee", "Homes", "Housing association", "public", "", ""],
        ["p14", "Mo", "Clinic", "nowhere", "public", "", ""],
        ["p15", "Di", "Clinic", "health", "public", "", ""],
    ]
    preview = _upload(owner_client, study, _text(rows).encode("utf-8"))
    assert "Import the 2 good rows and skip the 1 with problems" in preview.content.decode()
    study.extra_sectors = []
    study.save()

    response = _confirm(owner_client, study, preview.context["ticket"], skip="problems")

    again = owner_client.get(response["Location"])
    assert [(p["row"], p["column"]) for p in again.context["preview"]["problems"]] == [
        (2, "sector"), (3, "sector"),
    ]  # fmt: skip
    assert _people(study) == []
    assert "Import the 1 good row and skip the 2 with problems" in again.content.decode()
    _confirm(owner_client, study, again.context["ticket"], skip="problems")
    assert _people(study) == [("p15", "Di", "health", "public", "")]


def test_a_big_file_with_bad_rows_is_saved_by_the_worker_without_them(owner_client, study):
    good = [
        [f"w{i:04d}", f"Person {i}", "Org", "Health", "Frontline", "", ""] for i in range(2_100)
    ]
    bad = [["x1", "Bad", "Org", "Nowhere", "Frontline", "", ""]]
    preview = _upload(owner_client, study, _text(good[:1000] + bad + good[1000:]).encode())
    assert "Import the 2,100 good rows and skip the 1 with problems" in preview.content.decode()

    response = _confirm(owner_client, study, preview.context["ticket"], skip="problems")
    import_roster.call(PendingImport.objects.get(study=study).pk)

    page = owner_client.get(response["Location"]).content.decode()
    assert "Imported people.csv: 2,100 added, 0 updated" in page
    assert "Row 1002, column <code>sector</code>: unknown sector &#x27;Nowhere&#x27;" in page
    assert study.participants.filter(key__startswith="w").count() == 2_100
    assert not study.participants.filter(key="x1").exists()


def test_only_the_uploader_downloads_the_skipped_rows(owner_client, study, analyst):
    preview = _upload(owner_client, study, _text(BAD).encode("utf-8"))
    _confirm(owner_client, study, preview.context["ticket"], skip="problems")
    pending = PendingImport.objects.get(study=study)
    skipped = reverse("studies:roster_import_skipped", args=[study.pk, pending.pk])

    assert client_for(analyst).get(skipped).status_code == 404
    assert owner_client.get(skipped).status_code == 200


# --- in a browser -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desk", "phone"])
def test_in_a_browser_a_windows_excel_file_imports_its_good_rows_and_lists_the_bad(
    browser, live_server, study, owner, tmp_path, viewport
):
    from playwright.sync_api import expect
    from web.test_accessibility import violations
    from web.test_browser_flow import sign_in

    rows = [*PEOPLE[:2], ["p16", "Oona Ó Sé", "Clinic", "Hospital", "frontline", "", ""]]
    (tmp_path / "people.csv").write_bytes(_text(rows, ";").encode("cp1252"))
    page = browser.new_page(viewport=dict(zip(("width", "height"), viewport, strict=True)))
    sign_in(page, live_server.url, owner.username)
    page.goto(live_server.url + _url(study))
    page.set_input_files("input[type=file]", str(tmp_path / "people.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading people.csv")

    import_roster.call(PendingImport.objects.get(study=study).pk)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import preview: people.csv", timeout=15_000
    )
    expect(page.get_by_text(
        "Read as Windows-1252 (Excel on Windows), with cells separated by semicolons."
    )).to_be_visible()  # fmt: skip
    expect(page.get_by_role("alert")).to_contain_text(
        f"Row 4, column sector: unknown sector 'Hospital' (expected {SECTORS_SAID})"
    )
    expect(page.get_by_role("cell", name="Oona Ó Sé")).to_be_visible()
    assert not violations(page)
    page.get_by_role("button", name="Import the 2 good rows and skip the 1 with problems").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Imported people.csv: 2 added, 0 updated"
    )
    expect(page.get_by_role("status")).to_have_text(
        "1 row with problems was skipped: nothing from it was saved. Correct it in your file, "
        "then import that row again."
    )
    assert not violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the list of skipped rows (CSV)").click()
    lines = list(csv.reader(open(download.value.path(), encoding="utf-8")))
    assert lines[1][:4] == ["4", "p16", "sector", "unknown sector 'Hospital'"]
    assert _people(study) == SAVED[:2]
    page.close()
