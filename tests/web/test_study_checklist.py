"""The study page's checklist (what is done, what is next) and its figures that keep themselves
current (issue 11). Counts are checked against the small study counted by hand: twelve people in
four organisations (tests/small_study.py), eleven of whom answer (web.builders).
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from web.builders import answer_everything, submit
from web.conftest import PASSWORD

from placelab.web.studies.models import (
    Invitation,
    Organisation,
    Participant,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.services.analysis import analysis_run_now


def steps_of(client, study) -> dict[str, tuple[str, str]]:
    """Each step of the checklist as (state, words), read from the page as a reader sees it."""
    page = client.get(reverse("studies:detail", args=[study.pk])).content.decode()
    listed = page.split('<ol class="checklist"')[1].split("</ol>")[0]
    steps = {}
    for state, body in re.findall(r'<li class="step (\w+)">(.*?)</li>', listed, re.S):
        title = re.search(r'<span class="what">\s*<(?:a [^>]*|strong)>(.*?)<', body).group(1)
        words = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", body))).strip()
        steps[title] = (state, words)
    return steps


def state_and_words(client, study) -> list[tuple[str, str]]:
    return list(steps_of(client, study).values())


def test_a_new_study_lands_on_its_page_with_the_first_step_next(owner_client):
    response = owner_client.post(
        reverse("studies:create"),
        {"locality": "Eastfield", "field": "youth work", "description": ""},
        follow=True,
    )
    study = Study.objects.get(locality="Eastfield")
    assert response.redirect_chain[-1][0] == reverse("studies:detail", args=[study.pk])
    states = state_and_words(owner_client, study)
    assert states[0] == ("next", "Next: Organisations 0 organisations Add organisations")
    assert states[1] == (
        "later",
        "To do: Roster 0 people on the roster Add people or import a list",
    )
    assert states[2][0] == "done" and "Wave 1: draft" in states[2][1]  # made with the study
    html = response.content.decode()
    assert reverse("studies:organisations", args=[study.pk]) in html


def test_each_step_is_done_as_the_owner_gets_there(owner_client, study, wave):
    # The small study: 4 organisations (Council, two schools, Trust), 12 people, each with a link, the wave open, none sent.
    words = [w for _, w in state_and_words(owner_client, study)]
    states = [s for s, _ in state_and_words(owner_client, study)]
    assert states == ["done"] * 5 + ["next", "later", "later"]
    assert "Organisations 4 organisations" in words[0]
    assert "Roster 12 people on the roster" in words[1]
    assert "Survey links for everyone 12 of 12 people on the roster have a link" in words[3]
    assert "Invitations emailed 0 of 12 emailed Send the invitations" in words[5]
    assert "Responses 0 of 12 submitted (0%), 0 started" in words[6]

    Invitation.objects.filter(wave=wave).update(sent=timezone.now())
    submit(wave, "p01")
    submit(wave, "p02", submitted=False)
    words = [w for _, w in state_and_words(owner_client, study)]
    states = [s for s, _ in state_and_words(owner_client, study)]
    assert states == ["done"] * 6 + ["next", "later"]
    assert "Invitations emailed 12 of 12 emailed" in words[5]
    assert "Responses 1 of 12 submitted (8%), 2 started" in words[6]  # 1/12 = 8.3%


def test_a_closed_and_analysed_wave_has_every_step_done(owner_client, study, wave):
    study.networks = ["work", "innovation", "expert"]
    study.save()
    Invitation.objects.filter(wave=wave).update(sent=timezone.now())
    answer_everything(wave)  # eleven of twelve
    Wave.objects.filter(pk=wave.pk).update(status=Wave.CLOSED, closed=timezone.now())
    analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    found = state_and_words(owner_client, study)
    assert [s for s, _ in found] == ["done"] * 8
    assert "Responses 11 of 12 submitted (92%), 11 started" in found[6][1]
    assert "Analysis Analysed" in found[7][1]
    html = owner_client.get(reverse("studies:detail", args=[study.pk])).content.decode()
    assert "Every step is done for Wave 1: show the checklist" in html  # folded, findings first


def test_answers_after_the_analysis_make_it_next_again(analyst_client, study, wave):
    study.networks = ["work"]
    study.save()
    submit(wave, "p01", [("work", "p02", 3)])
    run = analysis_run_now(wave=wave)
    Response.objects.filter(invitation__participant__key="p01").update(submitted=run.finished)
    submit(wave, "p02", [("work", "p01", 3)])
    state, words = steps_of(analyst_client, study)["Analysis"]
    assert "answers have come in since" in words and state == "later"  # responses come first
    assert "Run the analysis" in words


def test_people_without_an_email_are_counted_apart(owner_client, study, wave):
    Participant.objects.filter(key__in=["p01", "p02"]).update(email="")
    Invitation.objects.filter(wave=wave).exclude(participant__email="").update(sent=timezone.now())
    state, words = steps_of(owner_client, study)["Invitations emailed"]
    assert state == "done"
    assert "10 of 12 emailed; 2 without an email address (copy their links)" in words


@pytest.mark.parametrize("persona", ["viewer", "analyst"])
def test_others_see_where_it_stands_without_set_up_steps_or_links(request, study, wave, persona):
    client = request.getfixturevalue(f"{persona}_client")
    steps = steps_of(client, study)
    assert list(steps) == ["Responses", "Analysis"]
    html = client.get(reverse("studies:detail", args=[study.pk])).content.decode()
    for name in ("organisations", "roster", "settings", "study_archive"):
        assert reverse(f"studies:{name}", args=[study.pk]) not in html
    assert reverse("studies:invitations", args=[study.pk, 1]) not in html
    assert "Where the study stands" in html
    run = "Run the analysis" in steps["Analysis"][1]
    assert run == (persona == "analyst")


def test_a_viewer_is_not_told_the_figures_of_fewer_than_five(viewer_client, owner, viewer):
    from placelab.web.studies.models import Membership

    study = Study.objects.create(locality="Tiny", field="x", owner=owner)
    Membership.objects.create(study=study, user=viewer, role=Membership.VIEWER)
    wave = Wave.objects.create(study=study, number=1, status=Wave.OPEN)
    organisation = Organisation.objects.create(
        study=study, name="O", sector="health", layer="frontline"
    )
    for key in ("a", "b", "c"):
        person = Participant.objects.create(study=study, key=key, organisation=organisation, sector="health", layer="frontline")  # fmt: skip
        Invitation.objects.create(wave=wave, participant=person)
    assert "fewer than 5" in steps_of(viewer_client, study)["Responses"][1]
    data = viewer_client.get(reverse("api:study_status", args=[study.pk])).json()
    assert data["overall"]["hidden"] == "fewer than 5"
    assert data["overall"]["submitted"] is None and data["overall"]["sent"] is None


def test_the_status_json_gives_the_current_waves_figures(owner_client, study, wave):
    Invitation.objects.filter(participant__key__in=["p01", "p02", "p03"]).update(
        sent=timezone.now()
    )
    submit(wave, "p01")
    response = owner_client.get(reverse("api:study_status", args=[study.pk]))
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert (data["wave"], data["status"], data["groups"]) == (1, "open", {})
    overall = data["overall"]
    assert (overall["invited"], overall["sent"], overall["started"], overall["submitted"]) == (
        12, 3, 1, 1,
    )  # fmt: skip
    assert overall["rate"] == pytest.approx(1 / 12)


def test_the_status_json_follows_the_latest_wave_not_archived(owner_client, study, wave):
    Wave.objects.create(study=study, number=2, archived=timezone.now())
    assert owner_client.get(reverse("api:study_status", args=[study.pk])).json()["wave"] == 1


def test_the_page_costs_as_many_queries_at_any_size(owner_client, study, wave):
    """Counts are aggregates: adding 200 people, links and answers adds no query."""
    url = reverse("studies:detail", args=[study.pk])
    owner_client.get(url)
    with CaptureQueriesContext(connection) as small:
        owner_client.get(url)
    organisation = study.organisations.first()
    people = Participant.objects.bulk_create(
        Participant(study=study, key=f"x{i}", name=f"Extra {i}", email=f"x{i}@example.org",
                    organisation=organisation, sector="health", layer="frontline")
        for i in range(200)
    )  # fmt: skip
    links = Invitation.objects.bulk_create(Invitation(wave=wave, participant=p) for p in people)
    Response.objects.bulk_create(
        Response(invitation=i, submitted=timezone.now()) for i in links[:150]
    )
    with CaptureQueriesContext(connection) as large:
        page = owner_client.get(url).content.decode()
    assert "150 of 212 submitted" in re.sub(r"<[^>]+>", "", page)
    assert len(large.captured_queries) == len(small.captured_queries)


# --- in a browser: the figures keep themselves current ------------------------------------


def signed_in(browser, live_server, user, **context):
    page = browser.new_context(viewport={"width": 390, "height": 844}, **context).new_page()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_response_submitted_while_the_page_is_open_shows_without_a_reload(
    browser, live_server, study, wave, owner
):
    page = signed_in(browser, live_server, owner)
    page.clock.install()
    page.goto(live_server.url + reverse("studies:detail", args=[study.pk]))
    checklist = page.locator("ol.checklist")
    submitted = checklist.locator('[data-field="submitted"]')
    expect(submitted).to_have_text("0")
    page.evaluate("window.__same_page = true")  # gone if the page reloads

    Invitation.objects.filter(wave=wave, participant__key__in=["p01", "p02"]).update(
        sent=timezone.now()
    )
    submit(wave, "p01")
    page.clock.run_for(11_000)  # live.js polls every 10 seconds
    expect(submitted).to_have_text("1")
    expect(checklist.locator('[data-field="percent"]')).to_have_text("8%")
    expect(checklist.locator('[data-field="sent"]')).to_have_text("2")
    expect(page.get_by_role("status")).to_have_text("Now 1 of 12 have submitted.")
    assert page.evaluate("window.__same_page") is True
    expect(page.locator('[data-live="as_of"]')).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_figures_are_plain_with_a_refresh_link(
    browser, live_server, study, wave, owner
):
    page = signed_in(browser, live_server, owner, java_script_enabled=False)
    page.goto(live_server.url + reverse("studies:detail", args=[study.pk]))
    expect(page.locator("ol.checklist")).to_contain_text("0 of 12 submitted (0%), 0 started")
    submit(wave, "p01")
    page.get_by_role("link", name="Refresh the figures").click()
    expect(page.locator("ol.checklist")).to_contain_text("1 of 12 submitted (8%), 1 started")
