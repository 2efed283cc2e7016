"""The owner deletes a person, a response, a wave or the study; the admin deletes the same way.

After a person is deleted no row anywhere (stored results, report files, the audit log, the
admin's log) holds their name, email or roster id, others' nominations of them are gone, and
each wave that had a finished analysis is analysed again without them.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from web.builders import run_worker
from web.conftest import client_for

from placelab.web.studies.models import (
    AnalysisRun,
    AuditEvent,
    Invitation,
    Nomination,
    Participant,
    Response,
    RunFile,
    Study,
)
from placelab.web.studies.services.reports import reports_write

ANN = {"key": "p01", "name": "Ann Lee", "email": "p01@example.org"}


def everything_stored() -> str:
    """Every row of every table, as text (binary columns read as Latin-1), one row a line."""
    lines = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*fields):
            cells = [bytes(c).decode("latin-1") if isinstance(c, bytes | memoryview) else c
                     for c in row]  # fmt: skip
            lines.append(json.dumps(cells, default=str, ensure_ascii=False))
    return "\n".join(lines)


def holds(text: str, key: str) -> bool:
    """Does ``text`` hold the roster id ``key`` as a word of its own (not inside a token)?"""
    return re.search(rf"(?<![A-Za-z0-9_-]){re.escape(key)}(?![A-Za-z0-9_-])", text) is not None


def delete_url(study, person) -> str:
    return reverse("studies:participant_delete", args=[study.pk, person.pk])


@pytest.fixture
def reported(analysed):
    """The analysed wave with its reports written, with names and pseudonymised."""
    reports_write(run_id=analysed.pk)
    assert RunFile.objects.filter(run=analysed, status=RunFile.DONE).count() >= 2
    return analysed


@pytest.mark.django_db(transaction=True)
def test_a_deleted_person_is_in_no_row_anywhere_and_the_wave_is_analysed_again(
    study, wave, reported, owner_client
):
    ann = study.participants.get(key="p01")
    text = everything_stored()
    assert ANN["name"] in text and holds(text, "p01")
    named_by_others = Nomination.objects.filter(alter=ann).count()
    assert named_by_others > 0

    page = owner_client.get(delete_url(study, ann))
    assert f"{named_by_others} nominations of them by other people" in page.content.decode()
    assert "analysed again" in page.content.decode()
    done = owner_client.post(delete_url(study, ann), {"confirm": "p01"}, follow=True)
    assert "running again without them" in done.content.decode()

    assert not AnalysisRun.objects.filter(pk=reported.pk).exists()
    assert AnalysisRun.objects.get(wave=wave).status == AnalysisRun.QUEUED
    text = everything_stored()
    assert ANN["name"] not in text and ANN["email"] not in text and not holds(text, "p01")

    run_worker()  # the new analysis and its reports, without her
    rerun = AnalysisRun.objects.get(wave=wave)
    assert rerun.status == AnalysisRun.DONE, rerun.error
    assert RunFile.objects.filter(run=rerun, status=RunFile.DONE).exists()
    text = everything_stored()
    assert ANN["name"] not in text and ANN["email"] not in text and not holds(text, "p01")
    assert holds(text, "p02")  # the others are still analysed


@pytest.mark.django_db
def test_deleting_a_person_removes_their_nominations_and_others_nominations_of_them(
    study, wave, analysed, owner_client
):
    ann = study.participants.get(key="p01")
    made = Nomination.objects.filter(response__invitation__participant=ann).count()
    of_her = Nomination.objects.filter(alter=ann).count()
    total = Nomination.objects.count()
    owner_client.post(delete_url(study, ann), {"confirm": "p01"})
    assert not Participant.objects.filter(pk=ann.pk).exists()
    assert Nomination.objects.count() == total - made - of_her
    # Bea, who named Ann, keeps her response and her other nominations.
    assert Response.objects.filter(invitation__participant__key="p02").exists()
    event = AuditEvent.objects.get(action=AuditEvent.DELETED)
    assert "Local authority" in event.detail and "Ann" not in event.detail
    assert event.username == "olive_owner"


@pytest.mark.django_db
def test_a_nomination_typed_with_their_name_off_the_list_goes_too(study, wave, owner_client):
    from web.builders import submit

    submit(wave, "p02", [("work", " ann  LEE ", 3), ("work", "Øyvind Dahl", None)])
    ann = study.participants.get(key="p01")
    owner_client.post(delete_url(study, ann), {"confirm": "p01"})
    assert list(Nomination.objects.values_list("outsider", flat=True)) == ["Øyvind Dahl"]


@pytest.mark.django_db
def test_a_wrong_confirmation_changes_nothing(study, wave, analysed, owner_client):
    ann = study.participants.get(key="p01")
    before = (Participant.objects.count(), Nomination.objects.count(), AnalysisRun.objects.count())
    owner_client.post(delete_url(study, ann), {"confirm": "p02"})
    owner_client.post(delete_url(study, ann), {})
    wrong = owner_client.post(
        reverse("studies:study_delete", args=[study.pk]), {"confirm": "Riverside"}
    )
    assert wrong.status_code == 400 and "Nothing was deleted" in wrong.content.decode()
    owner_client.post(reverse("studies:wave_delete", args=[study.pk, 1]), {"confirm": "2"})
    after = (Participant.objects.count(), Nomination.objects.count(), AnalysisRun.objects.count())
    assert after == before and Study.objects.filter(pk=study.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.DELETED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["analyst", "viewer"])
def test_an_analyst_and_a_viewer_cannot_delete_or_export(who, study, wave, analysed, request):
    client = client_for(request.getfixturevalue(who))
    ann = study.participants.get(key="p01")
    response = Response.objects.get(invitation__participant=ann)
    for url, data in [
        (delete_url(study, ann), {"confirm": "p01"}),
        (reverse("studies:participant_export", args=[study.pk, ann.pk]), {}),
        (reverse("studies:response_delete", args=[study.pk, 1, response.pk]),
         {"confirm": str(response.pk)}),
        (reverse("studies:wave_delete", args=[study.pk, 1]), {"confirm": "1"}),
        (reverse("studies:study_delete", args=[study.pk]), {"confirm": str(study)}),
    ]:  # fmt: skip
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert Participant.objects.filter(pk=ann.pk).exists() and Response.objects.count() == 11
    assert AnalysisRun.objects.filter(pk=analysed.pk).exists()


@pytest.mark.django_db
def test_deleting_a_response_keeps_the_person_and_reanalyses_the_wave(
    study, wave, analysed, owner_client
):
    bea = Response.objects.get(invitation__participant__key="p02")
    url = reverse("studies:response_delete", args=[study.pk, 1, bea.pk])
    assert "analysed again straight away" in owner_client.get(url).content.decode()
    owner_client.post(url, {"confirm": str(bea.pk)})
    assert not Response.objects.filter(pk=bea.pk).exists()
    assert study.participants.filter(key="p02").exists()
    assert not Nomination.objects.filter(response_id=bea.pk).exists()
    assert AnalysisRun.objects.get(wave=wave).status == AnalysisRun.QUEUED


@pytest.mark.django_db
def test_deleting_a_wave_takes_its_answers_and_analyses_and_keeps_the_roster(
    study, wave, analysed, owner_client
):
    url = reverse("studies:wave_delete", args=[study.pk, 1])
    assert "11 responses" in owner_client.get(url).content.decode()
    owner_client.post(url, {"confirm": "1"})
    assert not study.waves.exists() and not Response.objects.exists()
    assert not AnalysisRun.objects.exists() and study.participants.count() == 12


@pytest.mark.django_db
def test_deleting_the_study_needs_its_name_and_keeps_the_audit_log(
    study, wave, analysed, owner_client
):
    url = reverse("studies:study_delete", args=[study.pk])
    done = owner_client.post(url, {"confirm": "  Secondary Education in riverside "}, follow=True)
    assert done.status_code == 200 and "Deleted the study" in done.content.decode()
    assert not Study.objects.exists() and not Participant.objects.exists()
    assert not Invitation.objects.exists() and not AnalysisRun.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.DELETED)
    assert event.study is None and event.study_title == "secondary education in Riverside"


@pytest.mark.django_db
def test_the_export_holds_everything_about_one_person_and_never_who_named_them(
    study, wave, analysed, owner_client
):
    ann = study.participants.get(key="p01")
    got = owner_client.get(reverse("studies:participant_export", args=[study.pk, ann.pk]))
    assert got["Content-Type"] == "application/json"
    assert 'filename="p01.json"' in got["Content-Disposition"]
    data = json.loads(got.content)
    assert data["person"]["name"] == "Ann Lee" and data["person"]["email"] == ANN["email"]
    assert data["person"]["organisation"] == "Council"
    (invitation,) = data["invitations"]
    assert invitation["wave"] == 1 and "token" not in invitation
    assert ann.invitations.get().token not in got.content.decode()
    (response,) = data["responses"]
    assert response["submitted"] and response["answers"]
    assert {"network": "work", "person": "Bea Kwan", "off_the_list": False,
            "frequency": None} in response["nominations"]  # fmt: skip
    of_her = Nomination.objects.filter(alter=ann).values_list("network", flat=True)
    assert data["named_by_others"] == dict(Counter(of_her)) == {"expert": 1, "innovation": 1,
                                                                "work": 1}  # fmt: skip
    assert "p02" not in json.dumps(data["named_by_others"])
    assert AuditEvent.objects.filter(action=AuditEvent.EXPORTED).exists()


@pytest.mark.django_db
def test_deleting_in_the_admin_goes_through_the_same_erasure(study, wave, analysed):
    staff = get_user_model().objects.create_superuser("sam_staff", "s@example.org", "pw-long-1")
    client = client_for(staff)
    ann = study.participants.get(key="p01")
    url = reverse("admin:studies_participant_delete", args=[ann.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Nomination.objects.filter(alter_id=ann.pk).exists()
    assert not AnalysisRun.objects.filter(pk=analysed.pk).exists()
    assert AnalysisRun.objects.get(wave=wave).status == AnalysisRun.QUEUED
    text = everything_stored()
    assert ANN["name"] not in text and not holds(text, "p01")
    assert AuditEvent.objects.get(action=AuditEvent.DELETED).username == "sam_staff"


@pytest.mark.django_db
def test_an_analysis_under_way_when_a_person_is_deleted_is_replaced(
    study, wave, analysed, owner_client
):
    # A worker may have read her answers already: its run must not be what the page shows.
    running = AnalysisRun.objects.create(wave=wave, status=AnalysisRun.RUNNING)
    ann = study.participants.get(key="p01")
    owner_client.post(delete_url(study, ann), {"confirm": "p01"})
    assert not AnalysisRun.objects.filter(pk__in=[running.pk, analysed.pk]).exists()
    (fresh,) = AnalysisRun.objects.filter(wave=wave)
    assert fresh.status == AnalysisRun.QUEUED
