"""The token is the only key: what an unknown, revoked, foreign or closed token may open."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from web.conftest import build_study

from placelab.web.studies.models import Invitation, Nomination, Response, Wave

PAGES = ["consent", "about", "network-work", "assessment-lifecycle", "review", "thanks"]


def url(token: str, page: str | None = None) -> str:
    if page is None:
        return reverse("survey:start", args=[token])
    return reverse("survey:page", args=[token, page])


def consent(client, invitation):
    return client.post(url(invitation.token, "consent"), {"agree": "on"})


@pytest.fixture
def study(study):
    """The pages these tests post to are those of a study asking a page per network."""
    study.survey_layout = "pages"
    study.save()
    return study


@pytest.fixture
def hillside(owner):
    """A second study, with its own roster and tokens."""
    hillside = build_study(owner, locality="Hillside")
    hillside.survey_layout = "pages"
    hillside.save()
    return hillside


def test_an_unknown_token_is_not_found(client, invitation):
    token = invitation.token[:-4] + "AAAA"
    assert client.get(url(token)).status_code == 404
    for page in PAGES:
        assert client.get(url(token, page)).status_code == 404
        assert client.post(url(token, page), {"agree": "on"}).status_code == 404
    assert not Response.objects.exists()


def test_a_revoked_token_opens_nothing_and_changes_nothing(client, study, invitation):
    consent(client, invitation)
    client.post(url(invitation.token, "network-work"),
                {"alter": [study.participants.get(key="p02").pk]})  # fmt: skip
    invitation.revoked = timezone.now()
    invitation.save()
    assert client.get(url(invitation.token)).status_code == 404
    for page in PAGES:
        assert client.get(url(invitation.token, page)).status_code == 404
        posted = {"agree": "on", "alter": [study.participants.get(key="p03").pk],
                  "action": "submit"}  # fmt: skip
        assert client.post(url(invitation.token, page), posted).status_code == 404
    saved = Response.objects.get()
    assert saved.submitted is None
    assert list(Nomination.objects.values_list("alter__key", flat=True)) == ["p02"]


def test_unknown_and_revoked_tokens_look_the_same(client, invitation):
    invitation.revoked = timezone.now()
    invitation.save()
    revoked = client.get(url(invitation.token))
    unknown = client.get(url("x" * 43))
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content


def test_a_token_from_another_study_cannot_name_this_studys_people(client, study, hillside):
    theirs = Invitation.objects.get(wave__study=hillside, participant__key="p01")
    consent(client, theirs)
    riverside_ids = list(study.participants.values_list("pk", flat=True))
    response = client.post(url(theirs.token, "network-work"),
                           {"alter": riverside_ids[1:3], "action": "next"})  # fmt: skip
    assert response.status_code == 200
    assert "is not on it" in response.content.decode()
    assert not Nomination.objects.exists()
    assert not Response.objects.filter(invitation__wave__study=study).exists()


def test_a_token_shows_only_its_own_studys_roster(client, study, hillside):
    study.participants.filter(key="p02").update(name="Only In Riverside")
    theirs = Invitation.objects.get(wave__study=hillside, participant__key="p01")
    consent(client, theirs)
    page = client.get(url(theirs.token, "network-work") + "?q=only").content.decode()
    assert "Only In Riverside" not in page and "No one on the list matches" in page
    assert "Bea Kwan" in client.get(url(theirs.token, "network-work") + "?q=bea").content.decode()
    found = client.get(reverse("survey:people", args=[theirs.token]), {"q": "only"}).json()
    assert found == {"people": [], "more": False}


def test_a_token_saves_only_to_its_own_wave(client, study, wave):
    second = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    person = study.participants.get(key="p01")
    later = Invitation.objects.create(wave=second, participant=person)
    consent(client, later)
    client.post(url(later.token, "network-work"), {"alter": [study.participants.get(key="p02").pk]})
    assert list(Response.objects.values_list("invitation__wave__number", flat=True)) == [2]
    earlier = wave.invitations.get(participant=person)
    assert client.get(url(earlier.token))["Location"] == url(earlier.token, "consent")


def test_a_closed_wave_takes_no_more_edits(client, study, wave, invitation):
    consent(client, invitation)
    p02 = study.participants.get(key="p02").pk
    client.post(url(invitation.token, "network-work"), {"alter": [p02]})
    before = Response.objects.get()
    wave.status = Wave.CLOSED
    wave.save()
    page = client.get(url(invitation.token))
    assert page.status_code == 200 and "This survey is closed" in page.content.decode()
    assert "This survey is closed" in client.get(url(invitation.token, "about")).content.decode()
    for page in PAGES:
        posted = {"agree": "on", "alter": [], "outsider_1": "Mo", "action": "submit"}
        response = client.post(url(invitation.token, page), posted)
        assert response.status_code == 409
    after = Response.objects.get()
    assert (after.submitted, after.page, after.updated) == (None, before.page, before.updated)
    assert list(Nomination.objects.values_list("alter", flat=True)) == [p02]


def test_a_draft_wave_is_not_open_yet(client, owner):
    study = build_study(owner, locality="Lakeside", wave_status=Wave.DRAFT)
    invitation = Invitation.objects.filter(wave__study=study).first()
    page = client.get(url(invitation.token))
    assert page.status_code == 200 and "not open yet" in page.content.decode()
    assert client.post(url(invitation.token, "consent"), {"agree": "on"}).status_code == 409
    assert not Response.objects.exists()


def test_signing_in_gives_no_way_round_the_token(owner_client, study, invitation):
    invitation.revoked = timezone.now()
    invitation.save()
    assert owner_client.get(url(invitation.token, "consent")).status_code == 404


def test_no_browser_or_proxy_keeps_a_copy_of_a_survey_page(client, invitation):
    consent(client, invitation)
    for response in (client.get(url(invitation.token)), client.get(url(invitation.token, "about"))):
        assert response.status_code in (200, 302)
        policy = response["Cache-Control"]
        assert "no-store" in policy and "private" in policy, policy
