"""Importing a roster: upload, read by the worker, a preview of the rows and every problem, then
confirm. The worker's task is run here directly (``import_roster.call``), as the reports' are."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from web.conftest import build_study, client_for, make_user, on_postgres

from placelab.core.io.tables import read_table_bytes
from placelab.web.studies.models import Participant, PendingImport, Study
from placelab.web.studies.selectors.roster import roster_preview
from placelab.web.studies.services.roster import roster_imports_purge
from placelab.web.studies.services.workers import work_recover, workers_sweep
from placelab.web.studies.tasks import import_roster

HEADER = "id,name,organisation,sector,layer,seniority,responded,email,ward"
GOOD = f"""\
{HEADER}
p01,Ann Lee-Moss,Council,local_authority,systemic,senior,yes,ann@example.org,North
p13,Lee Moss,Clinic,health,frontline,middle,,lee@example.org,South
p14,Mo Ray,Clinic,health,frontline,,no,,
"""
# Five problems on three rows, and a good row between them.
BAD = f"""\
{HEADER}
p13,Lee Moss,Clinic,housing,frontline,boss,yes,lee@example.org,
p14,Mo Ray,Clinic,health,frontline,,yes,not-an-email,
p13,Again,Clinic,health,,middle,yes,,
p15,Fine,Clinic,health,public,,yes,,
"""


def _url(study: Study) -> str:
    return reverse("studies:roster_import", args=[study.pk])


def _csv(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _upload(client: Client, study: Study, upload: SimpleUploadedFile):
    """Upload, let the worker read it, and open the import's page: the preview (or the upload
    page, when the file is refused)."""
    response = _send(client, study, upload)
    if response.status_code != 302:
        return response
    import_roster.call(PendingImport.objects.latest("pk").pk)
    return client.get(response["Location"])


def _send(client: Client, study: Study, upload: SimpleUploadedFile):
    return client.post(_url(study), {"step": "upload", "file": upload})


def _confirm(client: Client, study: Study, ticket: str):
    return client.post(_url(study), {"step": "confirm", "ticket": ticket})


def _keys(study: Study) -> list[str]:
    return sorted(study.participants.values_list("key", flat=True))


ROSTER = [f"p{i:02d}" for i in range(1, 13)]


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_the_import(outsider_client, study, method):
    send = getattr(outsider_client, method)

    assert send(_url(study)).status_code == 404
    assert send(_url(study), {"step": "upload", "file": _csv(GOOD)}).status_code == 404
    assert send(_url(study), {"step": "confirm", "ticket": "x"}).status_code == 404
    assert _keys(study) == ROSTER


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client"])
def test_the_import_is_the_owners_alone(request, owner_client, study, persona):
    client = request.getfixturevalue(persona)
    ticket = _upload(owner_client, study, _csv(GOOD)).context["ticket"]

    assert client.get(_url(study)).status_code == 404
    assert _upload(client, study, _csv(GOOD)).status_code == 404
    assert _confirm(client, study, ticket).status_code == 404
    assert _keys(study) == ROSTER


# --- the preview --------------------------------------------------------------------------------


def test_the_preview_shows_every_row_and_saves_nothing(owner_client, study):
    response = _upload(owner_client, study, _csv(GOOD))

    preview = response.context["preview"]
    assert response.status_code == 200
    assert [(r["row"], r["key"], r["updates"]) for r in preview["sample"]] == [
        (2, "p01", True), (3, "p13", False), (4, "p14", False),
    ]  # fmt: skip
    assert (preview["adds"], preview["updates"], preview["problems"]) == (2, 1, [])
    assert preview["attribute_columns"] == ["ward"]
    text = response.content.decode()
    assert "Lee Moss" in text and "Confirm and save 3 rows" in text
    assert _keys(study) == ROSTER
    assert not study.organisations.filter(name="Clinic").exists()


def test_the_preview_lists_every_problem_by_row_and_column_and_offers_only_to_skip_them(
    owner_client, study
):
    response = _upload(owner_client, study, _csv(BAD))

    problems = response.context["preview"]["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [
        (2, "sector"), (2, "seniority"), (3, "email"), (4, "id"), (4, "layer"),
    ]  # fmt: skip
    text = response.content.decode()
    assert "5 problems to fix on 3 rows: nothing has been saved" in text
    assert "Row 2, column <code>sector</code>: unknown sector &#x27;housing&#x27;" in text
    assert "Row 3, column <code>email</code>" in text and "not an email address" in text
    assert "Row 4, column <code>id</code>: id &#x27;p13&#x27; is already used in row 2" in text
    assert "(expected one of: Local authority, Schools and colleges, Health," in text
    assert "Confirm and save" not in text
    assert "Import the 1 good row and skip the 3 with problems" in text  # the owner's choice
    assert _keys(study) == ROSTER
    assert not study.organisations.filter(name="Clinic").exists()


def test_a_file_with_problems_cannot_be_confirmed_afterwards(owner_client, study):
    good = _upload(owner_client, study, _csv(GOOD)).context["ticket"]
    _upload(owner_client, study, _csv(BAD))

    response = _confirm(owner_client, study, good)

    assert response["Location"] == _url(study)
    assert _keys(study) == ROSTER


def test_a_missing_column_is_named_at_row_1(owner_client, study):
    text = "id,name,organisation,sector,seniority\np13,Lee,Clinic,health,\n"

    problems = _upload(owner_client, study, _csv(text)).context["preview"]["problems"]

    assert [(p["row"], p["column"]) for p in problems] == [(1, "layer")]


def test_a_responded_column_is_optional_and_ignored(owner_client, study):
    without = "id,name,organisation,sector,layer,seniority\np13,Lee,Clinic,health,public,\n"
    odd = "id,name,organisation,sector,layer,seniority,responded\np13,Lee,,health,public,,maybe\n"

    for text in (without, odd):
        assert _upload(owner_client, study, _csv(text)).context["preview"]["problems"] == []


def test_a_sector_is_judged_against_the_studys_sectors(owner_client, study):
    text = f"{HEADER}\np13,Lee,Homes,housing_association,public,,,,\n"
    refused = _upload(owner_client, study, _csv(text)).context["preview"]["problems"]
    study.extra_sectors = ["housing_association"]
    study.save()

    accepted = _upload(owner_client, study, _csv(text)).context["preview"]["problems"]

    assert [(p["row"], p["column"]) for p in refused] == [(2, "sector")]
    assert accepted == []


def test_an_over_long_id_is_a_problem_at_its_cell(owner_client, study):
    text = f"{HEADER}\n{'p' * 101},Lee,Clinic,health,public,,,,\n"

    problems = _upload(owner_client, study, _csv(text)).context["preview"]["problems"]

    assert [(p["row"], p["column"], p["expected"]) for p in problems] == [
        (2, "id", "at most 100 characters")
    ]


def test_a_name_with_html_shows_as_text_in_the_preview(owner_client, study):
    text = f"{HEADER}\np13,<script>alert(1)</script>,<b>Org</b>,health,public,,,,\n"

    page = _upload(owner_client, study, _csv(text)).content.decode()

    assert "<script>alert(1)</script>" not in page and "<b>Org</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("people.txt", b"id\n", "neither a CSV nor an XLSX file"),
        ("people.csv", b"id,name\np1,Zo\x81\n", "is not text in UTF-8, Windows-1252 or Latin-1"),
        ("people.xlsx", b"this is not a workbook", "not a readable XLSX workbook"),
        ("people.csv", b"", "The submitted file is empty"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused_with_why(owner_client, study, name, content, says):
    response = _upload(owner_client, study, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert says in response.content.decode()  # beside the field, or as the worker found it
    assert "preview" not in response.context
    assert _keys(study) == ROSTER


# --- confirm ------------------------------------------------------------------------------------


def test_confirm_adds_new_people_updates_known_ones_and_creates_organisations(owner_client, study):
    ticket = _upload(owner_client, study, _csv(GOOD)).context["ticket"]

    response = _confirm(owner_client, study, ticket)

    assert response["Location"] == reverse("studies:roster", args=[study.pk])
    assert _keys(study) == [*ROSTER, "p13", "p14"]
    ann = study.participants.get(key="p01")
    assert (ann.name, ann.email, ann.attributes) == (
        "Ann Lee-Moss", "ann@example.org", {"ward": "North"},
    )  # fmt: skip
    clinic = study.organisations.get(name="Clinic")
    assert (clinic.sector, clinic.layer) == ("health", "frontline")
    lee = study.participants.get(key="p13")
    assert (lee.organisation, lee.seniority, lee.email) == (clinic, "middle", "lee@example.org")
    assert study.participants.get(key="p14").attributes == {}
    message = owner_client.get(reverse("studies:roster", args=[study.pk])).content.decode()
    assert "2 added, 1 updated" in message


def test_a_file_without_an_email_column_keeps_the_emails_on_record(owner_client, study):
    text = "id,name,organisation,sector,layer,seniority\np01,Ann L,Council,health,public,\n"
    ticket = _upload(owner_client, study, _csv(text)).context["ticket"]

    _confirm(owner_client, study, ticket)

    ann = study.participants.get(key="p01")
    assert (ann.name, ann.email, ann.sector) == ("Ann L", "p01@example.org", "health")


def test_an_xlsx_roster_imports(owner_client, study):
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(","))
    book.active.append(["p13", "Lee Moss", "Clinic", "health", "frontline", "middle", None])
    book.active.append([20, "Numbered", None, "business", "public", None, "yes", None, 7])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("roster.xlsx", data.getvalue())

    preview = _upload(owner_client, study, upload)
    _confirm(owner_client, study, preview.context["ticket"])

    assert preview.context["preview"]["problems"] == []
    assert _keys(study) == ["20", *ROSTER, "p13"]
    assert study.participants.get(key="20").attributes == {"ward": "7"}
    assert study.participants.get(key="p13").organisation.name == "Clinic"


def test_confirm_without_a_preview_saves_nothing_and_says_why(owner_client, study):
    response = _confirm(owner_client, study, "made-up")

    assert response["Location"] == _url(study)
    page = owner_client.get(_url(study)).content.decode()
    assert "Nothing was imported: this preview is no longer current" in page
    assert _keys(study) == ROSTER


def test_confirming_twice_imports_once(owner_client, study):
    ticket = _upload(owner_client, study, _csv(GOOD)).context["ticket"]
    _confirm(owner_client, study, ticket)
    Participant.objects.filter(study=study, key="p14").delete()

    again = _confirm(owner_client, study, ticket)

    assert again["Location"] == _url(study)
    assert "p14" not in _keys(study)


def test_the_preview_kept_for_one_study_does_not_import_into_another(owner, owner_client, study):
    other = build_study(owner, locality="Hilltop")
    ticket = _upload(owner_client, study, _csv(GOOD)).context["ticket"]

    _confirm(owner_client, other, ticket)

    assert _keys(other) == ROSTER


def test_confirm_checks_again_against_the_study_as_it_is_now(owner_client, study):
    study.extra_sectors = ["housing_association"]
    study.save()
    text = f"{HEADER}\np13,Lee,Homes,housing_association,public,,,,\n"
    ticket = _upload(owner_client, study, _csv(text)).context["ticket"]
    study.extra_sectors = []
    study.save()

    response = _confirm(owner_client, study, ticket)

    problems = owner_client.get(response["Location"]).context["preview"]["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "sector")]
    assert _keys(study) == ROSTER
    assert not study.organisations.filter(name="Homes").exists()


def test_one_email_for_two_people_is_a_problem_whatever_its_case(owner_client, study):
    shared = f"""\
{HEADER}
p13,Lee Moss,Clinic,health,frontline,middle,,lee@example.org,
p14,Mo Ray,Clinic,health,frontline,,,LEE@Example.org,
p15,Di Ng,Clinic,health,frontline,,,P03@example.org,
p02,Bea Kwan,Council,local_authority,systemic,middle,,bea@example.org,
"""
    response = _upload(owner_client, study, _csv(shared))

    problems = response.context["preview"]["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "email"), (4, "email")]
    assert "also the email of row 2" in problems[0]["detail"]
    assert "'p03', already on the roster" in problems[1]["detail"]
    assert _keys(study) == ROSTER


def test_a_nul_byte_in_a_name_is_refused_at_the_preview_by_row_and_column(owner_client, study):
    response = _upload(owner_client, study, _csv(GOOD.replace("Mo Ray", "Mo\x00Ray")))

    assert response.status_code == 200
    text = response.content.decode()
    assert "row 4, column &#x27;name&#x27;" in text and "control character (U+0000)" in text
    assert _keys(study) == ROSTER


# --- kept in the database, read by the worker -----------------------------------------------


def _pending(study: Study) -> PendingImport:
    return PendingImport.objects.get(study=study)


def test_an_upload_waits_for_the_worker_on_a_page_that_follows_it(owner_client, study):
    response = _send(owner_client, study, _csv(GOOD))

    page = owner_client.get(response["Location"])
    assert "Reading people.csv" in page.content.decode()
    assert 'data-status-url="' in page.content.decode() and page["Cache-Control"] == "no-store"
    status = owner_client.get(response["Location"], HTTP_ACCEPT="application/json").json()
    assert status["status"] == "queued" and "Waiting for the background worker" in status["message"]
    pending = _pending(study)
    assert bytes(pending.upload).startswith(b"id,name") and pending.rows == []
    assert _keys(study) == ROSTER

    import_roster.call(pending.pk)

    pending.refresh_from_db()
    assert (pending.status, bytes(pending.upload), len(pending.rows)) == ("done", b"", 3)
    assert (
        owner_client.get(response["Location"], HTTP_ACCEPT="application/json").json()["status"]
        == "done"
    )
    assert "Confirm and save 3 rows" in owner_client.get(response["Location"]).content.decode()


def test_nothing_of_the_import_is_kept_in_the_session(owner_client, study):
    from django.contrib.sessions.models import Session

    _upload(owner_client, study, _csv(GOOD))

    for session in Session.objects.all():
        data = session.get_decoded()
        assert not [k for k in data if "roster" in k or "import" in k], data
        assert "Lee Moss" not in str(data) and len(session.session_data) < 1000


def test_an_upload_expires_within_a_day_and_then_saves_nothing(owner_client, study):
    ticket = _upload(owner_client, study, _csv(GOOD)).context["ticket"]
    pending = _pending(study)
    assert timedelta(hours=23) < pending.expires - timezone.now() <= timedelta(hours=24)
    PendingImport.objects.filter(pk=pending.pk).update(expires=timezone.now() - timedelta(1))

    response = _confirm(owner_client, study, ticket)

    assert response["Location"] == _url(study)
    page = owner_client.get(_url(study)).content.decode()
    assert "Nothing was imported: this preview is no longer current" in page
    assert _keys(study) == ROSTER
    status = reverse("studies:roster_import_status", args=[study.pk, pending.pk])
    assert owner_client.get(status, HTTP_ACCEPT="application/json").json()["status"] == "failed"
    assert owner_client.get(status)["Location"] == _url(study)
    assert roster_imports_purge() == 1 and not PendingImport.objects.exists()


def test_expired_uploads_are_purged_and_current_ones_kept(owner_client, study):
    _upload(owner_client, study, _csv(GOOD))
    PendingImport.objects.update(expires=timezone.now() - timedelta(minutes=1))
    kept = PendingImport.objects.create(
        study=study, user=study.owner, file_name="b.csv", expires=timezone.now() + timedelta(1)
    )

    assert roster_imports_purge() == 1

    assert list(PendingImport.objects.all()) == [kept]


def test_the_workers_sweep_deletes_expired_uploads(owner_client, study):
    _upload(owner_client, study, _csv(GOOD))
    PendingImport.objects.update(expires=timezone.now() - timedelta(seconds=1))

    workers_sweep()

    assert not PendingImport.objects.exists()


def test_an_upload_whose_worker_died_is_read_again_and_after_three_says_so(owner_client, study):
    page = _send(owner_client, study, _csv(GOOD))["Location"]
    stale = timezone.now() - timedelta(minutes=2)
    PendingImport.objects.update(status="running", heartbeat=stale, attempts=1, worker="gone:1:x")

    assert work_recover("roster import") == 1
    import_roster.call(_pending(study).pk)

    assert (_pending(study).status, _pending(study).attempts) == ("done", 2)
    assert "Confirm and save 3 rows" in owner_client.get(page).content.decode()
    PendingImport.objects.update(status="running", heartbeat=stale, attempts=3)
    work_recover("roster import")
    text = owner_client.get(page).content.decode()
    assert "people.csv could not be read: nothing has been saved" in text
    assert "stopped three times before it finished" in text
    assert _keys(study) == ROSTER


def test_only_the_owner_who_uploaded_it_sees_or_confirms_it(owner_client, study):
    ticket = _upload(owner_client, study, _csv(GOOD)).context["ticket"]
    pending = _pending(study)
    successor = make_user("sam_successor")
    study.owner = successor  # the study changed hands after the upload
    study.save()
    client = client_for(successor)

    assert (
        client.get(reverse("studies:roster_import_status", args=[study.pk, pending.pk])).status_code
        == 404
    )
    assert _confirm(client, study, ticket).status_code == 404
    assert _keys(study) == ROSTER and PendingImport.objects.filter(pk=pending.pk).exists()


def test_a_new_upload_replaces_the_users_earlier_one(owner_client, study):
    _upload(owner_client, study, _csv(GOOD))
    _upload(owner_client, study, _csv(BAD))

    assert [p.file_name for p in PendingImport.objects.all()] == ["people.csv"]
    assert _pending(study).preview["problem_count"] == 5


def test_a_new_upload_leaves_a_confirmed_one_being_saved_to_finish(owner_client, study):
    rows = "".join(f"w{i:04d},Person {i},Org,health,frontline,,,,\n" for i in range(2_001))
    ticket = _upload(owner_client, study, _csv(f"{HEADER}\n{rows}", name="big.csv")).context[
        "ticket"
    ]
    _confirm(owner_client, study, ticket)  # queued for the worker: above 2,000 rows
    saving = PendingImport.objects.get()

    _upload(owner_client, study, _csv(GOOD))
    import_roster.call(saving.pk)

    assert PendingImport.objects.count() == 2
    assert study.participants.filter(key="w2000").exists()


# --- limits -------------------------------------------------------------------------------------


def test_the_upload_page_states_the_limits(owner_client, study):
    page = owner_client.get(_url(study)).content.decode()

    assert "up to <strong>20,000 people</strong>" in page
    assert "up to <strong>10.0\xa0MB</strong>" in page


def test_a_file_with_too_many_rows_is_refused_before_it_is_read(owner_client, study):
    rows = "".join(f"p{i},Person {i},Org,health,public,\n" for i in range(100_000))
    upload = _csv("id,name,organisation,sector,layer,seniority\n" + rows)

    started = time.perf_counter()
    response = _send(owner_client, study, upload)
    took = time.perf_counter() - started

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "This file has 100,000 rows; placelab takes up to 20,000 people per study."
    ]
    assert not PendingImport.objects.exists() and _keys(study) == ROSTER
    assert took < 3, took  # counted, not read: the page answers at once


def test_a_workbook_with_too_many_rows_is_refused_by_its_declared_size(
    owner_client, study, settings
):
    settings.PLACELAB_ROSTER_MAX_ROWS = 5
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(","))
    for i in range(7):
        book.active.append([f"q{i}", "Name", "Org", "health", "public"])
    data = io.BytesIO()
    book.save(data)

    response = _send(owner_client, study, SimpleUploadedFile("big.xlsx", data.getvalue()))

    assert response.context["form"].errors["file"] == [
        "This file has 7 rows; placelab takes up to 5 people per study."
    ]
    assert not PendingImport.objects.exists()


def test_a_csv_whose_quoted_line_breaks_make_many_lines_is_counted_by_its_records(
    owner_client, study, settings
):
    settings.PLACELAB_ROSTER_MAX_ROWS = 3
    text = 'id,name,organisation,sector,layer,seniority\np1,"A\n\n\n\nB",Org,health,public,\n'

    response = _upload(owner_client, study, _csv(text))

    assert response.context["preview"]["rows"] == 1


def test_a_file_over_the_size_limit_is_refused(owner_client, study, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = _send(owner_client, study, _csv(GOOD + "p20,x,y,health,public,,,," + "z" * 2000))

    assert "expected at most 1 KB" in " ".join(response.context["form"].errors["file"])
    assert not PendingImport.objects.exists()


def test_a_big_files_preview_lists_100_kinds_of_problem_counts_the_rest_and_shows_50_rows(
    owner_client, study
):
    rows = "".join(f"q{i},Person {i},Org,nowhere{i},public,\n" for i in range(150))
    text = "id,name,organisation,sector,layer,seniority\n" + rows

    response = _upload(owner_client, study, _csv(text))

    page = response.content.decode()
    assert "150 problems to fix: nothing has been saved" in page
    assert page.count("unknown sector") == 100
    assert "And 50 more problems not listed here" in page
    assert "The first 50 of the 150 rows with problems" in page
    assert "Person 49<" in page and "Person 50<" not in page
    assert 'value="confirm"' not in page


def test_one_problem_on_many_rows_is_said_once_with_its_rows(owner_client, study):
    good = "".join(f"g{i},Fine {i},Org,health,public,\n" for i in range(60))
    bad = "".join(f"q{i},Person {i},Org,housing,public,\n" for i in range(30))
    text = "id,name,organisation,sector,layer,seniority\n" + good + bad

    response = _upload(owner_client, study, _csv(text))

    page = response.content.decode()
    assert "30 problems to fix" in page and page.count("unknown sector") == 1
    assert (
        "Rows 62, 63, 64, 65, 66, 67, 68, 69, 70, 71 and 20 more, column <code>sector</code>"
        in page
    )
    assert "The rows with problems" in page and "Person 29<" in page and "Fine 0<" not in page


# --- a big import: read and saved by the worker, in bulk -------------------------------------


def test_20000_people_are_read_previewed_and_saved_in_seconds(owner_client, study, capsys):
    rows = "".join(
        f"n{i:05d},Person {i},Org {i % 300},health,frontline,middle,,n{i}@example.org,W{i % 9}\n"
        for i in range(19_990)
    )
    upload = _csv(f"{HEADER}\n" + rows + GOOD.split("\n", 1)[1], name="big.csv")

    started = time.perf_counter()
    page = _upload(owner_client, study, upload)
    read = time.perf_counter() - started

    text = page.content.decode()
    assert "The first 50 of 19,993 rows" in text
    assert len(page.content) < 100_000, len(page.content)  # a sample, never every row
    confirmed = _confirm(owner_client, study, page.context["ticket"])
    assert _pending(study).status == "queued"  # above 2,000 rows: saved by the worker
    assert "Saving big.csv" in owner_client.get(confirmed["Location"]).content.decode()
    started = time.perf_counter()
    import_roster.call(_pending(study).pk)
    saved = time.perf_counter() - started

    done = owner_client.get(confirmed["Location"])
    assert done["Location"] == reverse("studies:roster", args=[study.pk])
    roster = owner_client.get(done["Location"])
    assert "19,992 added, 1 updated" in roster.content.decode()
    assert "20,004 people, 1 to 200 shown" in roster.content.decode()  # a page, not 9 MB
    assert len(roster.content) < 300_000 and "Page 1 of 101" in roster.content.decode()
    assert study.participants.count() == 12 + 19_992
    assert study.participants.get(key="n12345").attributes == {"ward": "W6"}
    assert study.organisations.filter(name__startswith="Org ").count() == 300
    assert not PendingImport.objects.exists()
    with capsys.disabled():
        print(f"\n20,000-row roster: read and checked {read:.1f} s, saved {saved:.1f} s")
    assert read < 30 and saved < 30


# --- end to end, with a real worker process -------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not on_postgres(), reason="a worker process needs PostgreSQL's test database")
def test_a_real_worker_reads_and_saves_a_big_roster_while_the_pages_follow(tmp_path, owner):
    from web.test_worker_recovery import Workers, wait_for

    study = build_study(owner)
    client = client_for(owner)
    rows = "".join(f"w{i:04d},Person {i},Org,health,frontline,,,,\n" for i in range(3_000))
    workers = Workers(tmp_path)
    try:
        workers.start()
        page = _send(client, study, _csv(f"{HEADER}\n{rows}", name="big.csv"))["Location"]

        def done() -> bool:
            return client.get(page, HTTP_ACCEPT="application/json").json()["status"] == "done"

        wait_for(done, 60, "the worker reads the file")
        preview = client.get(page)
        assert "The first 50 of 3,000 rows" in preview.content.decode()
        _confirm(client, study, preview.context["ticket"])
        assert "Saving big.csv" in client.get(page).content.decode()
        wait_for(done, 60, "the worker saves it")
    finally:
        workers.stop_all()

    roster = client.get(page, follow=True).content.decode()
    assert "Imported big.csv: 3,000 added, 0 updated." in roster
    assert study.participants.count() == 12 + 3_000
    assert not PendingImport.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_page_follows_the_worker_to_the_preview_then_saves(
    browser, live_server, study, owner, tmp_path
):
    from playwright.sync_api import expect
    from web.test_browser_flow import sign_in

    (tmp_path / "people.csv").write_text(GOOD, encoding="utf-8")
    page = browser.new_page()
    sign_in(page, live_server.url, owner.username)
    page.goto(live_server.url + _url(study))
    expect(page.get_by_text("A file may hold up to 20,000 people")).to_be_visible()
    page.set_input_files("input[type=file]", str(tmp_path / "people.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading people.csv")

    import_roster.call(_pending(study).pk)  # the worker's part, while the page polls

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import preview: people.csv", timeout=15_000
    )
    page.get_by_role("button", name="Confirm and save 3 rows").click()
    expect(page.get_by_text("Imported people.csv: 2 added, 1 updated.")).to_be_visible()
    assert _keys(study) == [*ROSTER, "p13", "p14"]
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [(1280, 900), (375, 740)], ids=["desk", "phone"])
def test_the_import_pages_pass_axe(browser, live_server, study, owner, viewport):
    from playwright.sync_api import expect
    from web.test_accessibility import WCAG_21_AA, Axe
    from web.test_browser_flow import sign_in

    client = client_for(owner)
    page = browser.new_page(viewport=dict(zip(("width", "height"), viewport, strict=True)))
    sign_in(page, live_server.url, owner.username)
    latin = SimpleUploadedFile("people.csv", b"id,name\np1,Zo\x81\n")  # no text it reads
    failing = []
    shown = "Import preview: people.csv"
    steps = [(_csv(GOOD), False, "Reading people.csv"), (latin, True, "Import a roster"),
             (_csv(BAD), True, shown), (_csv(GOOD), True, shown)]  # fmt: skip
    for upload, read, heading in steps:
        url = _send(client, study, upload)["Location"]
        if read:
            import_roster.call(_pending(study).pk)
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        results = Axe().run(page, options=WCAG_21_AA)
        failing += [results.generate_report()] if results.violations_count else []
    assert not failing, "\n".join(failing)
    page.close()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_template_to_download_imports_as_it_stands(owner_client, study, suffix):
    """The template's columns are the import's own, with the study's attributes, and its
    example row passes the preview without a problem."""
    study.attributes = [{"key": "years_in_post", "label": "How many years have you been in post?"}]
    study.save()
    response = owner_client.get(reverse("studies:roster_template", args=[study.pk, suffix]))
    assert response.status_code == 200
    assert f'filename="roster-template.{suffix}"' in response["Content-Disposition"]

    table = read_table_bytes(response.content, f"roster-template.{suffix}")
    assert table.columns[:7] == (
        "id",
        "name",
        "email",
        "organisation",
        "sector",
        "layer",
        "seniority",
    )
    assert table.columns[-1] == "years_in_post"
    preview = roster_preview(study=study, table=table)
    assert not preview.problems and len(preview.rows) == 1


def test_the_import_page_offers_the_template(owner_client, study):
    text = owner_client.get(reverse("studies:roster_import", args=[study.pk])).content.decode()
    for suffix in ("xlsx", "csv"):
        assert reverse("studies:roster_template", args=[study.pk, suffix]) in text
    assert owner_client.get(f"/studies/{study.pk}/roster/template.pdf").status_code == 404
