"""People named as "someone not on the list": grouped, counted, and added to the roster."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web.conftest import build_study

from placelab.web.studies.models import Nomination, Organisation, Participant, Response, Wave
from placelab.web.studies.selectors.invitations import outsiders_get, same_name
from placelab.web.studies.services.invitations import invitations_create
from placelab.web.studies.views_invite import outsider_form_prefix

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def named(wave) -> Wave:
    """p01 and p02 name Øyvind Dahl (spelt two ways), p05 names Mary Smith, p06 a script."""
    invitations = {i.participant.key: i for i in wave.invitations.select_related("participant")}

    def names(key: str, *pairs: tuple[str, str]) -> None:
        response = Response.objects.create(invitation=invitations[key])
        for network, text in pairs:
            Nomination.objects.create(response=response, network=network, outsider=text)

    names("p01", ("innovation", "Øyvind Dahl"), ("work", "Øyvind Dahl"))
    names("p02", ("work", " øyvind   DAHL "))
    names("p05", ("expert", "Mary Smith"))
    names("p06", ("work", SCRIPT))
    return wave


def url(wave: Wave) -> str:
    return reverse("studies:outsiders", args=[wave.study_id, wave.number])


def form_data(wave: Wave, named_as: str, /, **fields) -> dict:
    """The POST of the form for the person named ``named_as``, with ``fields`` filled in."""
    outsider = next(o for o in outsiders_get(wave=wave) if o.key == same_name(named_as))
    prefix = outsider_form_prefix(outsider)
    return {"outsider": outsider.key, **{f"{prefix}-{k}": v for k, v in fields.items()}}


# Access


@pytest.mark.parametrize("persona", ["outsider_client", "viewer_client", "analyst_client"])
def test_only_the_owner_sees_or_adds_people_named_off_the_list(request, persona, named):
    client = request.getfixturevalue(persona)
    assert client.get(url(named)).status_code == 404
    data = form_data(named, "Mary Smith", key="p13", name="Mary Smith", sector="other",
                     layer="public")  # fmt: skip
    assert client.post(url(named), data).status_code == 404
    assert not Participant.objects.filter(key="p13").exists()


# Grouping


def test_names_are_grouped_regardless_of_case_and_spacing(named):
    found = {o.key: o for o in outsiders_get(wave=named)}
    assert set(found) == {"øyvind dahl", "mary smith", same_name(SCRIPT)}
    dahl = found["øyvind dahl"]
    assert dahl.name == "Øyvind Dahl"  # the spelling most used
    assert dahl.named_by == 2
    assert dahl.networks_shown == ["work", "innovation"]  # in the study's order
    assert found["mary smith"].named_by == 1 and found["mary smith"].networks_shown == ["expert"]


def test_the_most_named_come_first(named):
    assert outsiders_get(wave=named)[0].key == "øyvind dahl"


def test_another_waves_names_are_not_listed(named, study):
    second = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    assert outsiders_get(wave=second) == []


def test_the_page_shows_each_name_with_how_many_named_them(owner_client, named):
    text = owner_client.get(url(named)).content.decode()
    assert "Øyvind Dahl" in text
    assert "Named by 2 respondents, in work, innovation." in text
    assert "Add Mary Smith to the roster" in text


def test_a_name_with_html_shows_as_text(owner_client, named):
    text = owner_client.get(url(named)).content.decode()
    assert SCRIPT not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text


# Adding to the roster


def test_adding_someone_puts_them_on_the_roster_for_the_next_wave(owner_client, named, study):
    trust = Organisation.objects.get(study=study, name="Trust")
    data = form_data(named, "Øyvind Dahl", key="p13", name="Øyvind Dahl",
                     email="od@example.org", organisation=trust.pk)  # fmt: skip
    response = owner_client.post(url(named), data)
    assert response.status_code == 302
    person = Participant.objects.get(study=study, key="p13")
    assert (person.name, person.email, person.organisation) == (
        "Øyvind Dahl",
        "od@example.org",
        trust,
    )
    assert (person.sector, person.layer) == ("voluntary_community", "systemic")  # the Trust's
    text = owner_client.get(url(named)).content.decode()
    assert "Added to the roster as Øyvind Dahl (p13)" in text
    assert "Add Øyvind Dahl to the roster" not in text
    second = Wave.objects.create(study=study, number=2, status=Wave.DRAFT)
    invitations_create(wave=second)
    assert second.invitations.filter(participant=person).exists()


def test_a_sector_and_layer_given_are_kept(owner_client, named, study):
    data = form_data(named, "Mary Smith", key="m1", name="Mary Smith", sector="health",
                     layer="frontline")  # fmt: skip
    assert owner_client.post(url(named), data).status_code == 302
    person = Participant.objects.get(study=study, key="m1")
    assert (person.organisation, person.sector, person.layer) == (None, "health", "frontline")


def test_without_an_organisation_a_sector_and_layer_are_asked_for(owner_client, named, study):
    data = form_data(named, "Mary Smith", key="m1", name="Mary Smith")
    response = owner_client.post(url(named), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose a sector, or an organisation to take it from." in text
    prefix = next(k for k in data if k.endswith("-key")).removesuffix("-key")
    # The error is tied to its field for screen readers.
    assert f'aria-describedby="id_{prefix}-sector_helptext id_{prefix}-sector_error"' in text
    assert not Participant.objects.filter(study=study, key="m1").exists()


def test_a_key_already_on_the_roster_is_refused(owner_client, named, study):
    data = form_data(named, "Mary Smith", key="p01", name="Mary Smith", sector="health",
                     layer="public")  # fmt: skip
    response = owner_client.post(url(named), data)
    assert response.status_code == 400
    assert "is already used" in response.content.decode()
    assert Participant.objects.filter(study=study, key="p01").get().name == "Ann Lee"


def test_an_organisation_of_another_study_is_refused(owner_client, owner, named, study):
    elsewhere = build_study(owner, locality="Elsewhere").organisations.get(name="Trust")
    data = form_data(named, "Mary Smith", key="m1", name="Mary Smith",
                     organisation=elsewhere.pk)  # fmt: skip
    assert owner_client.post(url(named), data).status_code == 400
    assert not Participant.objects.filter(study=study, key="m1").exists()


def test_someone_with_the_same_name_on_the_roster_shows_as_added(named, study):
    Participant.objects.create(study=study, key="p20", name="Mary  SMITH", sector="health",
                               layer="public")  # fmt: skip
    found = {o.key: o for o in outsiders_get(wave=named)}
    assert found["mary smith"].added.key == "p20"


def test_the_form_suggests_the_next_roster_id(owner_client, named):
    text = owner_client.get(url(named)).content.decode()
    assert 'value="p13"' in text
