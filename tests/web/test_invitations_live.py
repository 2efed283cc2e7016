"""The invitations page's figures: counted in the database, right after Send without a refresh,
and the lists of a large roster read a page at a time, searched in the database."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from web.builders import run_worker
from web.conftest import PASSWORD, build_study, client_for

from placelab.web.studies.models import Invitation, Nomination, Participant, Response, Wave
from placelab.web.studies.selectors.invitations import ROWS_PER_PAGE, invitation_rows_page

# The worker closes database connections between tasks, which would end a test's transaction.
worker_db = pytest.mark.django_db(transaction=True)


def url(name: str, wave: Wave) -> str:
    return reverse(f"studies:{name}", args=[wave.study_id, wave.number])


def figures(client, wave: Wave) -> dict:
    response = client.get(url("invitations_status", wave))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def add_people(wave: Wave, count: int) -> None:
    """``count`` more people on the roster, each invited; every tenth without an email."""
    people = Participant.objects.bulk_create(
        Participant(
            study_id=wave.study_id, key=f"q{n:04d}", name=f"Quinn Person {n:04d}",
            email="" if n % 10 == 0 else f"q{n:04d}@example.org", sector="other", layer="public",
        )
        for n in range(count)
    )  # fmt: skip
    Invitation.objects.bulk_create(Invitation(wave=wave, participant=p) for p in people)


# The figures


def test_the_figures_are_counted_from_the_database(owner_client, study, wave):
    # Twelve people, each invited (tests/small_study.py); nobody emailed yet.
    assert figures(owner_client, wave) | {"as_of": None} == {
        "status": "open", "as_of": None, "roster": 12, "invited": 12, "sent": 0, "unsent": 12,
        "without_email": 0, "due": 0, "waiting": 0, "sending": False, "reminding": False,
    }  # fmt: skip
    Participant.objects.filter(study=study, key="p02").update(email="")
    wave.invitations.filter(participant__key="p03").update(revoked="2026-11-01T00:00Z")
    found = figures(owner_client, wave)
    # p02 has no address (copied by hand), p03's link is revoked: ten are left to email.
    assert (found["unsent"], found["without_email"], found["invited"]) == (10, 1, 12)


def test_only_the_owner_reads_the_figures(analyst_client, viewer_client, outsider_client, wave):
    for client in (analyst_client, viewer_client, outsider_client):
        assert client.get(url("invitations_status", wave)).status_code == 404


@worker_db
def test_after_send_the_figures_say_sending_until_the_worker_is_done(owner, mailoutbox):
    study = build_study(owner)
    wave = study.waves.get()
    client = client_for(owner)
    response = client.post(url("invitations_send", wave), follow=True)
    page = response.content.decode()
    assert "12 invitations are going out now" in page
    assert "Sending 12 invitations…" in page
    found = figures(client, wave)
    assert found["sending"] is True and found["unsent"] == 12 and found["sent"] == 0
    run_worker()
    found = figures(client, wave)
    assert found["sending"] is False and found["unsent"] == 0 and found["sent"] == 12
    assert len(mailoutbox) == 12
    assert "Sending" not in client.get(url("invitations", wave)).content.decode()


@pytest.mark.browser
@worker_db
def test_the_page_follows_the_sending_without_a_refresh(browser, live_server, owner, mailoutbox):
    from playwright.sync_api import expect

    study = build_study(owner)
    wave = study.waves.get()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("User name").fill(owner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + url("invitations", wave))
    send = page.get_by_role("button", name=re.compile("Email invitations"))
    expect(send).to_have_text("Email invitations (12 not yet sent)")
    send.click()
    status = page.locator('[data-live="sending"][role="status"]')
    expect(status).to_contain_text("Sending 12 invitations…")
    loaded = page.evaluate("performance.timeOrigin")
    run_worker()
    expect(status).to_have_text("Done: every invitation has been sent.", timeout=10_000)
    expect(send).to_have_text("Email invitations (0 not yet sent)")
    expect(page.locator('[data-figure="sent"]')).to_have_text("12")
    assert page.evaluate("performance.timeOrigin") == loaded  # the same page, not reloaded
    assert len(mailoutbox) == 12


# A large roster, a page at a time


def test_the_invitations_page_shows_one_page_of_a_long_roster(owner_client, wave):
    add_people(wave, 238)  # 250 in all
    page = owner_client.get(url("invitations", wave)).content.decode()
    assert "250 people, 1 to 100 shown" in page
    assert page.count("<tr>") - 1 == ROWS_PER_PAGE  # the head's row and 100
    last = owner_client.get(url("invitations", wave) + "?page=3").content.decode()
    assert "201 to 250 shown" in last and "Page 3 of 3" in last
    assert "Quinn Person 0237" in last


def test_the_invitations_page_costs_the_same_queries_at_12_and_250_people(owner_client, wave):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get(url("invitations", wave)).status_code == 200
        return len(captured)

    owner_client.get(url("invitations", wave))  # the first sight of names writes the audit line
    small = queries()
    add_people(wave, 238)
    assert queries() == small


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("quinn person 0007", ["Quinn Person 0007"]),  # a name, in any case
        ("p05@example", ["Zoë Ångström"]),  # an email
        ("P05", ["Zoë Ångström"]),  # a roster id, whole
        ("school b", ["Fay Gu", "Gus Hay"]),  # an organisation (tests/small_study.py)
    ],
)
def test_search_finds_by_name_email_id_or_organisation(owner_client, wave, search, found):
    add_people(wave, 30)
    page, rows = invitation_rows_page(wave=wave, number=1, search=search)
    assert [row.participant.name for row in rows] == found
    assert page.paginator.count == len(found)
    text = owner_client.get(url("invitations", wave), {"q": search}).content.decode()
    assert all(name in text for name in found)


def test_the_list_of_people_without_an_email_is_paged_like_the_rest(owner_client, wave):
    add_people(wave, 150)  # q0000, q0010, ... q0140: fifteen without an address
    text = owner_client.get(url("invitations", wave)).content.decode()
    assert "15 people have a link but no email address" in text
    only = owner_client.get(url("invitations", wave), {"show": "without-email"}).content.decode()
    assert "15 people" in only and only.count('<code class="link"') == 15


def test_the_responses_page_pages_and_searches_those_who_have_not_answered(owner_client, wave):
    add_people(wave, 238)
    for invitation in wave.invitations.filter(participant__key__lt="q0100"):
        Response.objects.create(invitation=invitation, submitted="2026-11-02T10:00Z")
    # 112 submitted (the twelve and q0000 to q0099), 138 have not.
    text = owner_client.get(url("responses", wave)).content.decode()
    assert "138 people have not submitted, 1 to 100 shown" in text
    assert "Quinn Person 0099" not in text
    searched = owner_client.get(url("responses", wave), {"q": "Quinn Person 0150"}).content
    assert "1 person has not submitted among those matching" in searched.decode()


def test_people_named_off_the_list_are_shown_a_page_at_a_time(owner_client, wave):
    invitation = wave.invitations.get(participant__key="p01")
    response = Response.objects.create(invitation=invitation)
    Nomination.objects.bulk_create(
        Nomination(response=response, network="work", outsider=f"Sam Outsider {n:02d}")
        for n in range(30)
    )
    first = owner_client.get(url("outsiders", wave)).content.decode()
    assert "30 names, 1 to 5 shown" in first
    assert first.count("<summary>") == 5 and "Sam Outsider 04" in first
    last = owner_client.get(url("outsiders", wave), {"page": 6}).content.decode()
    assert last.count("<summary>") == 5 and "Sam Outsider 29" in last
