"""Archiving a study or a wave: read-only, listed apart, restorable, in the audit log (issue 11).

The rule that refuses changes lives once, in ``access.study_view``; these tests reach it through
the real views with the Django client.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from web.builders import submit
from web.conftest import PASSWORD
from web.test_accessibility import DESK, PHONE, violations

from placelab.web.studies.models import AuditEvent, Invitation, Participant, Study, Wave
from placelab.web.studies.services import archive

REFUSED = "is archived, so it can be read but not changed"


def text(response) -> str:
    return response.content.decode()


def state(study: Study) -> tuple:
    """What a change could touch: the study's words, waves, roster, grants and links."""
    study.refresh_from_db()
    return (
        (study.locality, study.field, tuple(study.networks)),
        tuple(study.waves.values_list("number", "status").order_by("number")),
        tuple(study.participants.values_list("key", "name").order_by("key")),
        tuple(study.organisations.values_list("name", flat=True).order_by("name")),
        tuple(study.memberships.values_list("user_id", "role").order_by("user_id")),
        tuple(Invitation.objects.filter(wave__study=study).values_list("sent", "revoked")),
    )


@pytest.fixture
def archived(study, owner) -> Study:
    archive.study_archive(study=study, user=owner)
    study.refresh_from_db()
    return study


# --- archiving a study ------------------------------------------------------------------


def test_the_confirmation_says_the_open_wave_will_close(owner_client, study):
    html = text(owner_client.get(reverse("studies:study_archive", args=[study.pk])))
    assert "Archive secondary education in Riverside?" in html
    assert "Archiving closes Wave 1, which is open." in html
    assert reverse("studies:study_delete", args=[study.pk]) in html  # deletion from here too
    assert state(study)[1] == ((1, Wave.OPEN),) and study.archived is None  # a look changes nothing


def test_archiving_closes_the_open_wave_and_lists_the_study_apart(owner_client, study, owner):
    response = owner_client.post(reverse("studies:study_archive", args=[study.pk]), follow=True)
    html = text(response)
    study.refresh_from_db()
    assert study.archived is not None
    assert study.waves.get().status == Wave.CLOSED and study.waves.get().closed is not None
    assert "Archived secondary education in Riverside; closed Wave 1, which was open." in html
    active, folded = html.split("<h2>Archived studies</h2>")
    assert reverse("studies:detail", args=[study.pk]) not in active
    assert "<details" in folded and reverse("studies:detail", args=[study.pk]) in folded
    assert "All your studies are archived" in active
    event = AuditEvent.objects.get(action=AuditEvent.ARCHIVED)
    assert (event.user, event.study, event.detail) == (owner, study, "The study, closing Wave 1")


def test_a_member_sees_the_archived_study_apart_too(viewer_client, archived):
    html = text(viewer_client.get(reverse("studies:list")))
    assert html.index("<h2>Archived studies</h2>") < html.index(
        reverse("studies:detail", args=[archived.pk])
    )


@pytest.mark.parametrize(
    ("name", "data", "wave_url"),
    [
        ("studies:settings", {"locality": "Elsewhere", "field": "x", "networks": ["work"]}, False),
        ("studies:waves", {"title": "Second round"}, False),
        ("studies:wave", {"action": "reopen"}, True),
        ("studies:organisations", {"name": "New Org", "sector": "health", "layer": "frontline"}, False),
        ("studies:roster", {"key": "p99", "name": "New Person", "sector": "health", "layer": "frontline"}, False),
        ("studies:access", {"who": "andy_analyst", "role": "viewer"}, False),
        ("studies:invitations", {"action": "create"}, True),
        ("studies:invitations_send", {}, True),
        ("studies:invitations_remind", {}, True),
        ("studies:analysis_run", {}, True),
    ],
)  # fmt: skip
def test_an_archived_study_refuses_every_change(owner_client, archived, name, data, wave_url):
    before = state(archived)
    args = [archived.pk, 1] if wave_url else [archived.pk]
    response = owner_client.post(reverse(name, args=args), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("studies:detail", args=[archived.pk])
    assert "secondary education in Riverside " + REFUSED in text(response)
    assert "To change it, restore it from its overview page." in text(response)
    assert state(archived) == before
    assert not archived.waves.get().analyses.exists()


@pytest.mark.parametrize("persona", ["owner", "analyst", "viewer"])
def test_an_archived_study_is_still_read_by_everyone_with_a_banner(request, archived, persona):
    client = request.getfixturevalue(f"{persona}_client")
    for name, args in [
        ("studies:detail", [archived.pk]),
        ("studies:waves", [archived.pk]),
        ("studies:wave", [archived.pk, 1]),
        ("studies:responses", [archived.pk, 1]),
        ("studies:analysis", [archived.pk, 1]),
    ]:
        html = text(client.get(reverse(name, args=args)))
        assert "This study is archived" in html, name
        restore = reverse("studies:study_restore", args=[archived.pk])
        assert (restore in html) == (persona == "owner"), name


def test_an_archived_study_hides_its_set_up_forms(owner_client, archived):
    assert "Add a wave</button>" not in text(
        owner_client.get(reverse("studies:waves", args=[archived.pk]))
    )
    wave_page = text(owner_client.get(reverse("studies:wave", args=[archived.pk, 1])))
    assert 'value="reopen"' not in wave_page and "Save details" not in wave_page


def test_an_archived_studys_reports_can_still_be_asked_for(analyst_client, archived):
    # A report is made on request (a POST) from the latest analysis: not a change to the study.
    response = analyst_client.post(reverse("studies:report_html", args=[archived.pk, 1]))
    assert response.status_code == 404  # never analysed: nothing to report, but not refused
    assert REFUSED not in text(response)


def test_an_archived_study_can_still_be_deleted(owner_client, archived):
    url = reverse("studies:study_delete", args=[archived.pk])
    response = owner_client.post(url, {"confirm": str(archived)})
    assert response.status_code == 302
    assert not Study.objects.filter(pk=archived.pk).exists()


def test_an_archived_study_can_still_erase_a_person(owner_client, archived):
    person = archived.participants.get(key="p03")
    url = reverse("studies:participant_delete", args=[archived.pk, person.pk])
    owner_client.post(url, {"confirm": "p03"})
    assert not Participant.objects.filter(pk=person.pk).exists()


def test_restoring_lets_the_owner_change_it_again(owner_client, archived, owner):
    response = owner_client.post(reverse("studies:study_restore", args=[archived.pk]), follow=True)
    assert "it can be changed again" in text(response)
    archived.refresh_from_db()
    assert archived.archived is None
    assert archived.waves.get().status == Wave.CLOSED  # restoring reopens nothing
    event = AuditEvent.objects.get(action=AuditEvent.RESTORED)
    assert (event.user, event.detail) == (owner, "The study")
    owner_client.post(reverse("studies:wave", args=[archived.pk, 1]), {"action": "reopen"})
    assert archived.waves.get().status == Wave.OPEN


def test_archiving_twice_records_it_once(owner_client, study):
    for _ in range(2):
        owner_client.post(reverse("studies:study_archive", args=[study.pk]))
    assert AuditEvent.objects.filter(action=AuditEvent.ARCHIVED).count() == 1


def test_no_one_but_the_owner_archives(analyst_client, viewer_client, study):
    for client in (analyst_client, viewer_client):
        assert client.post(reverse("studies:study_archive", args=[study.pk])).status_code == 404
    study.refresh_from_db()
    assert study.archived is None


# --- archiving a wave -------------------------------------------------------------------


def test_the_wave_confirmation_says_it_will_close(owner_client, study):
    html = text(owner_client.get(reverse("studies:wave_archive", args=[study.pk, 1])))
    assert "Wave 1 is open: archiving closes it." in html
    assert reverse("studies:wave_delete", args=[study.pk, 1]) in html


def test_an_archived_wave_is_closed_listed_apart_and_its_links_show_closed(
    owner_client, client, study, wave, owner
):
    token = wave.invitations.get(participant__key="p01").token
    response = owner_client.post(reverse("studies:wave_archive", args=[study.pk, 1]), follow=True)
    assert "Archived Wave 1; closed Wave 1, which was open." in text(response)
    wave.refresh_from_db()
    assert wave.archived is not None and wave.status == Wave.CLOSED
    waves_page = text(owner_client.get(reverse("studies:waves", args=[study.pk])))
    listed, folded = waves_page.split("<h2>Archived waves</h2>")
    assert "Every wave is archived." in listed
    assert reverse("studies:wave", args=[study.pk, 1]) in folded.split("</details>")[0]
    overview = text(owner_client.get(reverse("studies:detail", args=[study.pk])))
    assert "Archived waves (1)" in overview
    assert "Every wave is archived" in overview and "Add a wave</a>" in overview  # what is next
    assert "This survey is closed" in text(client.get(reverse("survey:start", args=[token])))
    detail = AuditEvent.objects.get(action=AuditEvent.ARCHIVED).detail
    assert detail == "Wave 1, closing Wave 1"


def test_an_archived_wave_refuses_reopening_and_sending(owner_client, study, wave, owner):
    archive.wave_archive(wave=wave, user=owner)
    before = state(study)
    for name, data in [
        ("studies:wave", {"action": "reopen"}),
        ("studies:invitations_send", {}),
        ("studies:invitations", {"action": "create"}),
    ]:
        response = owner_client.post(reverse(name, args=[study.pk, 1]), data, follow=True)
        assert response.redirect_chain[-1][0] == reverse("studies:wave", args=[study.pk, 1])
        assert "Wave 1 " + REFUSED in text(response), name
        assert "To change it, restore it from its page." in text(response)
    assert state(study) == before
    wave_page = text(owner_client.get(reverse("studies:wave", args=[study.pk, 1])))
    assert "Wave 1 is archived" in wave_page
    assert reverse("studies:wave_restore", args=[study.pk, 1]) in wave_page


def test_an_archived_waves_analysis_stays_readable(viewer_client, study, wave, owner):
    archive.wave_archive(wave=wave, user=owner)
    response = viewer_client.get(reverse("studies:analysis", args=[study.pk, 1]))
    assert response.status_code == 200 and "Wave 1 is archived" in text(response)


def test_other_waves_stay_changeable(owner_client, study, wave, owner):
    archive.wave_archive(wave=wave, user=owner)
    owner_client.post(reverse("studies:waves", args=[study.pk]), {"title": "Second round"})
    second = study.waves.get(number=2)
    owner_client.post(reverse("studies:wave", args=[study.pk, 2]), {"action": "open"})
    second.refresh_from_db()
    assert second.status == Wave.OPEN


def test_restoring_a_wave_keeps_it_closed_until_reopened(owner_client, study, wave, owner):
    submit(wave, "p01")
    archive.wave_archive(wave=wave, user=owner)
    response = owner_client.post(reverse("studies:wave_restore", args=[study.pk, 1]), follow=True)
    assert "Restored Wave 1: it is closed." in text(response)
    wave.refresh_from_db()
    assert wave.archived is None and wave.status == Wave.CLOSED
    assert AuditEvent.objects.filter(action=AuditEvent.RESTORED, detail="Wave 1").exists()
    owner_client.post(reverse("studies:wave", args=[study.pk, 1]), {"action": "reopen"})
    wave.refresh_from_db()
    assert wave.status == Wave.OPEN


# --- in a browser -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_archived_pages_pass_axe(browser, live_server, study, wave, owner, viewport):
    Wave.objects.create(study=study, number=2, archived=timezone.now())
    archive.study_archive(study=study, user=owner)
    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("User name").fill(owner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    found = {}
    for url in [
        reverse("studies:list"),
        reverse("studies:detail", args=[study.pk]),
        reverse("studies:waves", args=[study.pk]),
        reverse("studies:wave", args=[study.pk, 2]),
    ]:
        page.goto(live_server.url + url)
        if page.locator("details").count():
            page.locator("details summary").first.click()  # what is folded away is checked too
        found[url] = violations(page)
    assert not any(found.values()), "\n".join(f"{u}:\n{r}" for u, r in found.items() if r)


def test_an_archived_draft_wave_says_closed_not_that_it_will_open(owner_client, client, study):
    draft = Wave.objects.create(study=study, number=2)
    person = study.participants.first()
    token = draft.invitations.create(participant=person).token
    assert "This survey is not open yet" in text(client.get(reverse("survey:start", args=[token])))
    owner_client.post(reverse("studies:wave_archive", args=[study.pk, 2]))
    page = text(client.get(reverse("survey:start", args=[token])))
    assert "This survey is closed" in page and "not open yet" not in page
