"""Names are data: a study, a person, an organisation or an outsider called ``<script>`` shows
as text on every page, the owner's and the respondent's, after an analysis has used them."""

from __future__ import annotations

from django.urls import reverse
from web.builders import answer_everything
from web.test_access_everywhere import NEEDS, address

from placelab.web.studies.models import Nomination, Organisation, Participant, Response
from placelab.web.studies.services.analysis import analysis_run_now

HOSTILE = '<script>alert("pwned")</script>'
RAW = HOSTILE.encode()
ESCAPED = b"&lt;script&gt;"


def make_hostile(study, wave) -> None:
    study.locality = f"{HOSTILE} Riverside"
    study.description = HOSTILE
    study.save()
    Participant.objects.filter(study=study, key="p01").update(name=f"{HOSTILE} Ann")
    Organisation.objects.filter(study=study, name="Trust").update(name=f"<b>Trust</b>{HOSTILE}")
    answer_everything(wave)
    response = Response.objects.get(invitation__participant__key="p02")
    Nomination.objects.create(response=response, network="work", outsider=HOSTILE, frequency=2)
    run = analysis_run_now(wave=wave)
    assert run.status == run.DONE, run.error


def test_no_page_of_the_study_lets_a_name_run_as_html(study, wave, owner_client, viewer_client):
    make_hostile(study, wave)
    pages = [reverse("studies:list")] + [
        address(name, study, wave) for name in NEEDS if not name.startswith("api:")
    ]
    for client in (owner_client, viewer_client):
        for url in pages:
            response = client.get(url)
            if response.status_code in (404, 405):
                continue  # an owner's page the viewer may not open, or an action (POST only)
            assert response.status_code == 200, url
            if not response["Content-Type"].startswith("text/html"):
                continue  # a download (the wave's CSV files): data, not a page
            assert RAW not in response.content, url
    owner_page = owner_client.get(reverse("studies:roster", args=[study.pk])).content
    assert ESCAPED in owner_page


def test_the_survey_shows_hostile_names_as_text(study, wave):
    make_hostile(study, wave)
    invitation = wave.invitations.get(participant__key="p08")  # who has not answered
    client = owner_free_client()
    client.post(reverse("survey:page", args=[invitation.token, "consent"]), {"agree": "on"})
    ann = study.participants.get(key="p01").pk
    client.post(reverse("survey:page", args=[invitation.token, "people"]),
                {"alter": [ann], "outsider_1": HOSTILE})  # fmt: skip
    for page in ("consent", "about", "people", "people?q=ann", "grid", "review"):
        slug, _, query = page.partition("?")
        address_ = reverse("survey:page", args=[invitation.token, slug]) + f"?{query}"
        response = client.get(address_, follow=True)
        assert response.status_code == 200, page
        assert RAW not in response.content, page
        assert b"Ann" in response.content or slug in ("consent", "about"), page  # named, as text
    found = client.get(reverse("survey:people", args=[invitation.token]), {"q": "ann"})
    assert found["Content-Type"].startswith("application/json")  # data, never read as a page
    assert found.json()["people"][0]["name"] == f"{HOSTILE} Ann"


def test_the_json_says_it_is_json(study, wave, owner_client):
    make_hostile(study, wave)
    for name in ("api:response_rate", "api:analysis_status", "api:analysis_result"):
        response = owner_client.get(address(name, study, wave))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")


def owner_free_client():
    """A respondent's browser: no one is signed in."""
    from django.test import Client

    return Client()
