"""Setting a study up: the list, a new study, the survey's set-up and the waves."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from web.conftest import client_for, make_user

from placelab.core.toolkit.bank import load_bank
from placelab.core.vocabulary import NETWORKS, QUESTIONS
from placelab.web.studies.models import Organisation, Study, Wave


def _settings_data(study: Study, **changes) -> dict:
    """What the set-up form posts when nothing is changed, with ``changes`` applied."""
    data = {
        "locality": study.locality,
        "field": study.field,
        "description": study.description,
        "networks": list(study.networks),
        "groups": [g.id for g in load_bank().groups if g.id not in study.excluded_groups],
        "extra_sectors": ", ".join(study.extra_sectors),
        "attributes": "\n".join(f"{a['key']}: {a['label']}" for a in study.attributes),
        **{f"question_{n}": study.question(n) for n in NETWORKS},
    }
    return data | changes


def _pages(study: Study) -> list[str]:
    return [
        reverse("studies:settings", args=[study.pk]),
        reverse("studies:waves", args=[study.pk]),
        reverse("studies:wave", args=[study.pk, 1]),
    ]


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_every_set_up_page(outsider_client, study, method):
    for url in _pages(study):
        response = getattr(outsider_client, method)(url, {"action": "close"})
        assert response.status_code == 404, url
    assert study.waves.get(number=1).status == Wave.OPEN


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client"])
def test_the_survey_set_up_is_the_owners_alone(request, study, persona):
    client = request.getfixturevalue(persona)
    url = reverse("studies:settings", args=[study.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, _settings_data(study, locality="Hacked")).status_code == 404
    study.refresh_from_db()
    assert study.locality == "Riverside"


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client"])
def test_analysts_and_viewers_see_the_waves_but_cannot_change_them(request, study, persona):
    client = request.getfixturevalue(persona)

    listing = client.get(reverse("studies:waves", args=[study.pk]))
    page = client.get(reverse("studies:wave", args=[study.pk, 1]))
    added = client.post(reverse("studies:waves", args=[study.pk]), {"title": "Two"})
    closed = client.post(reverse("studies:wave", args=[study.pk, 1]), {"action": "close"})

    assert (listing.status_code, page.status_code) == (200, 200)
    assert b"Add a wave" not in listing.content and b"Close the wave" not in page.content
    assert (added.status_code, closed.status_code) == (404, 404)
    assert list(study.waves.values_list("number", "status")) == [(1, Wave.OPEN)]


def test_set_up_pages_send_an_anonymous_visitor_to_sign_in(client, study):
    for url in [reverse("studies:list"), reverse("studies:create"), *_pages(study)]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


# --- the list and a new study --------------------------------------------------------------------


def test_the_list_shows_the_studies_a_user_owns_or_has_a_role_on(analyst, owner, study):
    other = Study.objects.create(locality="Hilltop", field="health", owner=owner)
    mine = Study.objects.create(locality="Seaside", field="youth work", owner=analyst)

    response = client_for(analyst).get(reverse("studies:list"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Riverside" in text and "Seaside" in text and "Hilltop" not in text
    roles = {s.pk: role for s, role in response.context["studies"]}
    assert roles == {study.pk: "analyst", mine.pk: "owner"}
    assert other.pk not in roles
    assert reverse("studies:create") in text


def test_the_list_shows_a_study_name_with_html_as_text(owner):
    Study.objects.create(locality="<script>alert(1)</script>", field="x", owner=owner)

    text = client_for(owner).get(reverse("studies:list")).content.decode()

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_creating_a_study_makes_the_creator_owner_and_a_draft_first_wave(owner_client, owner):
    response = owner_client.post(
        reverse("studies:create"),
        {"locality": "Lowtown", "field": "early years", "description": "A first look."},
    )

    study = Study.objects.get(locality="Lowtown")
    assert response.status_code == 302
    assert response["Location"] == reverse("studies:detail", args=[study.pk])
    assert (study.owner, study.field, study.description) == (owner, "early years", "A first look.")
    assert list(study.waves.values_list("number", "status")) == [(1, Wave.DRAFT)]
    assert study.networks == list(NETWORKS)


def test_a_new_study_needs_a_locality_and_a_field(owner_client):
    response = owner_client.post(reverse("studies:create"), {"locality": "", "field": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"locality", "field"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Study.objects.exists()


# --- the survey's set-up -----------------------------------------------------------------------


def test_the_owner_chooses_networks_and_edits_a_question(owner_client, study):
    data = _settings_data(
        study,
        locality="Riverside borough",
        networks=["work", "innovation"],
        question_work="Who do you swap news with at work?",
    )

    response = owner_client.post(reverse("studies:settings", args=[study.pk]), data)

    assert response.status_code == 302
    study.refresh_from_db()
    assert study.locality == "Riverside borough"
    assert study.networks == ["work", "innovation"]
    assert study.question("work") == "Who do you swap news with at work?"
    assert study.question("social") == QUESTIONS["social"]


def test_a_blank_question_goes_back_to_the_default(owner_client, study):
    study.questions = {**QUESTIONS, "expert": "Old wording?"}
    study.save()

    owner_client.post(
        reverse("studies:settings", args=[study.pk]), _settings_data(study, question_expert="")
    )

    study.refresh_from_db()
    assert study.question("expert") == QUESTIONS["expert"]
    assert study.questions == QUESTIONS


def test_the_survey_asks_at_least_one_network(owner_client, study):
    response = owner_client.post(
        reverse("studies:settings", args=[study.pk]), _settings_data(study, networks=[])
    )

    assert response.status_code == 200
    assert "Ask at least one network." in response.content.decode()
    study.refresh_from_db()
    assert study.networks == list(NETWORKS)


def test_unticked_item_groups_are_switched_off(owner_client, study):
    groups = [g.id for g in load_bank().groups]

    owner_client.post(
        reverse("studies:settings", args=[study.pk]), _settings_data(study, groups=groups[1:])
    )

    study.refresh_from_db()
    assert study.excluded_groups == groups[:1]


def test_extra_sectors_and_attributes_are_saved(owner_client, study):
    data = _settings_data(
        study,
        extra_sectors="housing_association, faith_group",
        attributes="years_in_post: How many years have you been in post?\n\nward: Your ward",
    )

    owner_client.post(reverse("studies:settings", args=[study.pk]), data)

    study.refresh_from_db()
    assert study.extra_sectors == ["housing_association", "faith_group"]
    assert "housing_association" in study.sectors
    assert study.attributes == [
        {"key": "years_in_post", "label": "How many years have you been in post?"},
        {"key": "ward", "label": "Your ward"},
    ]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("extra_sectors", "Housing Association", "is not a sector id"),
        ("attributes", "sector: Your sector", "already a roster column"),
        ("attributes", "email: Your email", "already a roster column"),
        ("attributes", "Years in post: How long?", "is not a key"),
        ("attributes", "ward: Ward\nward: Again", "Line 2: the key 'ward' is used twice"),
        ("attributes", "ward", "Line 1: give a key, a colon, then the question"),
    ],
)
def test_it_refuses_a_bad_sector_or_attribute(owner_client, study, field, value, says):
    response = owner_client.post(
        reverse("studies:settings", args=[study.pk]), _settings_data(study, **{field: value})
    )

    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors[field])
    study.refresh_from_db()
    assert (study.extra_sectors, study.attributes) == ([], [])


def test_it_will_not_drop_an_extra_sector_still_in_use(owner_client, study):
    study.extra_sectors = ["housing_association"]
    study.save()
    Organisation.objects.create(
        study=study, name="Homes", sector="housing_association", layer="sectoral"
    )

    response = owner_client.post(
        reverse("studies:settings", args=[study.pk]), _settings_data(study, extra_sectors="")
    )

    assert "still used" in " ".join(response.context["form"].errors["extra_sectors"])
    study.refresh_from_db()
    assert study.extra_sectors == ["housing_association"]


def test_the_set_up_form_shows_the_current_wording_and_labels_every_input(owner_client, study):
    study.attributes = [{"key": "ward", "label": "<b>Your ward</b>"}]
    study.save()

    text = owner_client.get(reverse("studies:settings", args=[study.pk])).content.decode()

    assert QUESTIONS["decision"] in text
    assert "&lt;b&gt;Your ward&lt;/b&gt;" in text and "<b>Your ward</b>" not in text
    for network in NETWORKS:
        assert f'<label for="id_question_{network}">' in text


# --- waves -------------------------------------------------------------------------------------


def test_the_owner_adds_a_wave_as_the_next_draft(owner_client, study):
    response = owner_client.post(
        reverse("studies:waves", args=[study.pk]), {"title": "Spring", "closes": "2031-05-01"}
    )

    added = study.waves.get(number=2)
    assert response["Location"] == reverse("studies:wave", args=[study.pk, 2])
    assert (added.title, added.status, added.closes) == (
        "Spring",
        Wave.DRAFT,
        datetime.date(2031, 5, 1),
    )


def test_a_wave_goes_draft_open_closed_and_reopens(owner_client, study):
    draft = Wave.objects.create(study=study, number=2)
    url = reverse("studies:wave", args=[study.pk, 2])
    seen = []
    for action in ["open", "close", "reopen", "close"]:
        response = owner_client.post(url, {"action": action})
        assert response["Location"] == url
        draft.refresh_from_db()
        seen.append(draft.status)

    assert seen == [Wave.OPEN, Wave.CLOSED, Wave.OPEN, Wave.CLOSED]


def test_a_draft_wave_cannot_be_closed(owner_client, study):
    Wave.objects.create(study=study, number=2)
    url = reverse("studies:wave", args=[study.pk, 2])

    response = owner_client.post(url, {"action": "close"}, follow=True)

    assert study.waves.get(number=2).status == Wave.DRAFT
    assert "A draft wave cannot become closed." in response.content.decode()


def test_the_owner_sets_and_clears_a_close_date(owner_client, wave):
    url = reverse("studies:wave", args=[wave.study_id, 1])

    owner_client.post(url, {"action": "save", "title": "", "closes": "2031-06-30"})
    wave.refresh_from_db()
    dated = wave.closes
    owner_client.post(url, {"action": "save", "title": "", "closes": ""})
    wave.refresh_from_db()

    assert (dated, wave.closes) == (datetime.date(2031, 6, 30), None)


def test_a_close_date_is_shown_to_the_date_input_as_iso(owner_client, wave):
    wave.closes = datetime.date(2031, 6, 30)
    wave.save()

    text = owner_client.get(reverse("studies:wave", args=[wave.study_id, 1])).content.decode()

    assert 'type="date" name="closes" value="2031-06-30"' in text


def test_an_unknown_wave_action_changes_nothing(owner_client, wave):
    wave.title = "Autumn"
    wave.save()

    response = owner_client.post(reverse("studies:wave", args=[wave.study_id, 1]), {"action": "x"})

    assert response.status_code == 400
    wave.refresh_from_db()
    assert (wave.title, wave.status) == ("Autumn", Wave.OPEN)


def test_a_bad_close_date_is_a_form_error(owner_client, wave):
    url = reverse("studies:wave", args=[wave.study_id, 1])

    response = owner_client.post(url, {"action": "save", "closes": "next tuesday"})

    assert response.status_code == 200
    assert "closes" in response.context["form"].errors


def test_the_wave_page_links_to_its_invitations_responses_and_analysis(owner_client, study):
    text = owner_client.get(reverse("studies:wave", args=[study.pk, 1])).content.decode()

    for name in ["invitations", "responses", "analysis"]:
        assert reverse(f"studies:{name}", args=[study.pk, 1]) in text


def test_a_viewer_is_not_shown_the_invitations_link(viewer_client, study):
    text = viewer_client.get(reverse("studies:wave", args=[study.pk, 1])).content.decode()

    assert reverse("studies:invitations", args=[study.pk, 1]) not in text
    assert reverse("studies:responses", args=[study.pk, 1]) in text


def test_a_wave_of_another_study_is_404(owner_client, owner, study):
    other = Study.objects.create(locality="Elsewhere", field="x", owner=make_user("someone"))
    Wave.objects.create(study=other, number=2)

    assert owner_client.get(reverse("studies:wave", args=[study.pk, 2])).status_code == 404
