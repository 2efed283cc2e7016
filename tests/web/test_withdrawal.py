"""A respondent withdraws from their own link: their answers and others' nominations of them
go, a stub keeps only their roster id, and they are left out of everything from then on."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from web.builders import submit

from placelab.core.io.tables import read_table_bytes
from placelab.web.studies.access import OWNER, StudyAccess
from placelab.web.studies.models import (
    AnalysisRun,
    AuditEvent,
    Invitation,
    Nomination,
    Participant,
    Response,
    Wave,
)
from placelab.web.studies.selectors.analysis_inputs import wave_tables
from placelab.web.studies.selectors.invitations import invitation_rows_get
from placelab.web.studies.selectors.response_rates import rates_for
from placelab.web.studies.selectors.roster import roster_preview
from placelab.web.studies.selectors.survey_people import roster_find
from placelab.web.studies.services.invitations import invitations_create


def withdraw(client, invitation: Invitation):
    return client.post(reverse("survey:withdraw", args=[invitation.token]), {"confirm": "withdraw"})


@pytest.mark.django_db
def test_the_consent_and_thanks_pages_offer_withdrawal(client, wave, invitation):
    consent = client.get(reverse("survey:page", args=[invitation.token, "consent"]))
    assert reverse("survey:withdraw", args=[invitation.token]) in consent.content.decode()
    submit(wave, "p01")
    thanks = client.get(reverse("survey:page", args=[invitation.token, "thanks"]))
    assert reverse("survey:withdraw", args=[invitation.token]) in thanks.content.decode()
    assert reverse("survey:my_data", args=[invitation.token]) in thanks.content.decode()


@pytest.mark.django_db
def test_the_confirmation_page_changes_nothing_until_confirmed(client, wave, invitation):
    submit(wave, "p01", [("work", "p02", 3)])
    page = client.get(reverse("survey:withdraw", args=[invitation.token]))
    assert page.status_code == 200 and "This cannot be undone" in page.content.decode()
    client.post(reverse("survey:withdraw", args=[invitation.token]), {"confirm": "no"})
    ann = Participant.objects.get(key="p01")
    assert ann.withdrawn is None and ann.name == "Ann Lee"
    assert Response.objects.filter(invitation=invitation).exists()


@pytest.mark.django_db
def test_withdrawing_deletes_their_answers_and_others_nominations_and_keeps_a_stub(
    client, study, wave, analysed, invitation
):
    ann = Participant.objects.get(key="p01")
    assert Nomination.objects.filter(alter=ann).exists()
    done = withdraw(client, invitation)
    assert done.status_code == 200
    assert "You have withdrawn from the study" in done.content.decode()
    ann.refresh_from_db()
    assert ann.withdrawn is not None and ann.key == "p01"
    assert (ann.name, ann.email, ann.attributes, ann.organisation) == ("", "", {}, None)
    assert not Response.objects.filter(invitation__participant=ann).exists()
    assert not Nomination.objects.filter(alter=ann).exists()
    assert Invitation.objects.get(pk=invitation.pk).revoked is not None
    # The stored result held her: it is gone, and the wave is analysed again.
    assert not AnalysisRun.objects.filter(pk=analysed.pk).exists()
    assert AnalysisRun.objects.get(wave=wave).status == AnalysisRun.QUEUED
    event = AuditEvent.objects.get(action=AuditEvent.WITHDREW)
    assert "Ann" not in event.detail and "p01" not in event.detail and event.user is None


@pytest.mark.django_db
def test_after_withdrawing_the_link_opens_nothing(client, wave, invitation):
    withdraw(client, invitation)
    for url in (
        reverse("survey:start", args=[invitation.token]),
        reverse("survey:page", args=[invitation.token, "consent"]),
        reverse("survey:withdraw", args=[invitation.token]),
        reverse("survey:my_data", args=[invitation.token]),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_withdrawn_person_is_left_out_everywhere(client, study, wave, invitation):
    ann = Participant.objects.get(key="p01")
    bea = Invitation.objects.get(wave=wave, participant__key="p02")

    def found_by_bea() -> set[int]:  # the names Bea may pick, found by Ann's organisation
        people, _more = roster_find(invitation=bea, query=ann.organisation.name)
        return {p["id"] for p in people}

    assert ann.pk in found_by_bea()
    withdraw(client, invitation)
    assert ann.pk not in found_by_bea()
    assert ann not in [row.participant for row in invitation_rows_get(wave=wave)]
    rates = rates_for(access=StudyAccess(study, OWNER), wave=wave)
    assert rates.overall.invited == 11
    submit(wave, "p02", [("work", "p03", 3)])
    people = [cells["id"] for _row, cells in wave_tables(wave).people.rows]
    assert "p01" not in people and "p02" in people
    second = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    assert invitations_create(wave=second) == 11
    assert not second.invitations.filter(participant=ann).exists()


@pytest.mark.django_db
def test_the_roster_shows_only_a_count_and_an_import_skips_them(
    client, owner_client, study, invitation
):
    withdraw(client, invitation)
    page = owner_client.get(reverse("studies:roster", args=[study.pk])).content.decode()
    assert "1 withdrawn" in page and ">p01<" not in page
    upload = (
        "id,name,organisation,sector,layer,seniority\n"
        "p01,Ann Lee,Council,local_authority,systemic,senior\n"
    )
    preview = roster_preview(study=study, table=read_table_bytes(upload.encode(), "roster.csv"))
    assert preview.rows == [] and preview.skipped == ("p01",)


@pytest.mark.django_db
def test_they_can_download_their_own_data_first(client, wave, invitation):
    submit(wave, "p01", [("work", "p02", 3)], {"q1": "4"})
    got = client.get(reverse("survey:my_data", args=[invitation.token]))
    assert got["Content-Type"] == "application/json" and got["Cache-Control"].startswith("no-store")
    data = json.load(io.BytesIO(got.content))
    assert data["person"]["name"] == "Ann Lee"
    assert data["responses"][0]["nominations"][0]["person"] == "Bea Kwan"
    assert invitation.token not in got.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_respondent_withdraws_in_a_real_browser(live_server, browser, wave, invitation):
    submit(wave, "p01", [("work", "p02", 3)])
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + reverse("survey:page", args=[invitation.token, "thanks"]))
    page.get_by_role("link", name="withdraw from this study").click()
    assert page.get_by_role("heading", name="Withdraw from this study").is_visible()
    page.get_by_role("button", name="Withdraw and delete my answers").click()
    assert page.get_by_role("heading", name="You have withdrawn from the study").is_visible()
    assert not Response.objects.exists()
    assert Participant.objects.get(key="p01").withdrawn is not None
    gone = page.goto(live_server.url + reverse("survey:start", args=[invitation.token]))
    assert gone.status == 404
