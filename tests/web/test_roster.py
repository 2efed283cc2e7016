"""The owner's organisations and roster, one by one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web.conftest import make_user

from placelab.web.studies.models import Participant, Study

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _person(**changes) -> dict:
    data = {
        "key": "p13", "name": "Lee Moss", "email": "lee@example.org", "organisation": "",
        "new_organisation": "", "sector": "health", "layer": "frontline", "seniority": "middle",
    }  # fmt: skip
    return data | changes


def _roster(study: Study) -> str:
    return reverse("studies:roster", args=[study.pk])


def _organisations(study: Study) -> str:
    return reverse("studies:organisations", args=[study.pk])


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_the_roster_and_organisations(outsider_client, study, method):
    send = getattr(outsider_client, method)

    assert send(_roster(study), _person()).status_code == 404
    assert (
        send(
            _organisations(study), {"name": "X", "sector": "health", "layer": "public"}
        ).status_code
        == 404
    )
    assert not study.participants.filter(key="p13").exists()
    assert not study.organisations.filter(name="X").exists()


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client"])
def test_the_roster_and_organisations_are_the_owners_alone(request, study, persona):
    client = request.getfixturevalue(persona)
    council = study.organisations.get(name="Council")
    ann = study.participants.get(key="p01")

    assert client.get(_roster(study)).status_code == 404
    assert client.get(_organisations(study)).status_code == 404
    assert client.post(_roster(study), _person()).status_code == 404
    edited = _person(participant=ann.pk, key="p01", name="Changed")
    assert client.post(_roster(study), edited).status_code == 404
    renamed = {"organisation": council.pk, "name": "Renamed", "sector": "health", "layer": "public"}
    assert client.post(_organisations(study), renamed).status_code == 404
    assert study.participants.count() == 12
    assert study.participants.get(key="p01").name == "Ann Lee"
    assert study.organisations.get(pk=council.pk).name == "Council"


def test_the_owner_cannot_edit_a_person_of_another_study(owner_client, study):
    other = Study.objects.create(locality="Else", field="x", owner=make_user("someone"))
    theirs = Participant.objects.create(study=other, key="p01", sector="health", layer="public")

    response = owner_client.post(_roster(study), _person(participant=theirs.pk, name="Mine now"))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == ""


# --- organisations ------------------------------------------------------------------------------


def test_the_owner_lists_organisations_with_how_many_people(owner_client, study):
    response = owner_client.get(_organisations(study))

    counts = {o.name: o.people_count for o in response.context["organisations"]}
    assert counts == {"Council": 4, "School A": 2, "School B": 2, "Trust": 4}


def test_the_owner_adds_an_organisation(owner_client, study):
    response = owner_client.post(
        _organisations(study), {"name": "Clinic", "sector": "health", "layer": "frontline"}
    )

    assert response["Location"] == _organisations(study)
    clinic = study.organisations.get(name="Clinic")
    assert (clinic.sector, clinic.layer) == ("health", "frontline")


def test_an_organisation_name_is_unique_in_a_study(owner_client, study):
    response = owner_client.post(
        _organisations(study), {"name": "Council", "sector": "health", "layer": "frontline"}
    )

    assert response.status_code == 200
    assert "already an organisation called 'Council'" in " ".join(
        response.context["form"].errors["name"]
    )
    assert study.organisations.filter(name="Council").count() == 1


def test_the_owner_edits_an_organisation(owner_client, study):
    trust = study.organisations.get(name="Trust")

    form = owner_client.get(_organisations(study), {"edit": trust.pk})
    response = owner_client.post(
        _organisations(study),
        {"organisation": trust.pk, "name": "Youth Trust", "sector": "funder", "layer": "systemic"},
    )

    assert form.context["form"].initial["name"] == "Trust"
    assert response.status_code == 302
    trust.refresh_from_db()
    assert (trust.name, trust.sector, trust.layer) == ("Youth Trust", "funder", "systemic")


def test_renaming_an_organisation_to_a_taken_name_is_refused(owner_client, study):
    trust = study.organisations.get(name="Trust")

    response = owner_client.post(
        _organisations(study),
        {"organisation": trust.pk, "name": "Council", "sector": "funder", "layer": "systemic"},
    )

    assert "name" in response.context["form"].errors
    trust.refresh_from_db()
    assert trust.name == "Trust"


def test_an_organisation_sector_must_be_one_the_study_allows(owner_client, study):
    data = {"name": "Homes", "sector": "housing_association", "layer": "public"}
    refused = owner_client.post(_organisations(study), data)
    study.extra_sectors = ["housing_association"]
    study.save()
    accepted = owner_client.post(_organisations(study), data)

    assert "sector" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert study.organisations.get(name="Homes").sector == "housing_association"


# --- people -------------------------------------------------------------------------------------


def test_the_roster_lists_every_participant(owner_client, study):
    text = owner_client.get(_roster(study)).content.decode()

    for person in study.participants.all():
        assert person.key in text and person.email in text
    assert "Zoë Ångström" in text


def test_the_roster_and_organisations_read_in_labels_not_codes(owner_client, study):
    """An officer reads "Local authority", "Systemic", "Senior", never local_authority."""
    for page in (_roster(study), _organisations(study)):
        cells = owner_client.get(page).content.decode().split("<tbody>")[1].split("</tbody>")[0]
        assert "Local authority" in cells and "Systemic" in cells, page
        for code in ("local_authority", "school_college", "systemic", ">senior<"):
            assert code not in cells, (page, code)


def test_a_name_with_html_shows_as_text_in_the_roster(owner_client, study):
    Participant.objects.create(
        study=study, key="p99", name=SCRIPT, sector="health", layer="public",
        attributes={"ward": SCRIPT},
    )  # fmt: skip
    study.attributes = [{"key": "ward", "label": "Ward"}]
    study.save()

    text = owner_client.get(_roster(study)).content.decode()

    assert SCRIPT not in text
    assert text.count(ESCAPED) >= 2


def test_the_owner_adds_a_person_to_an_existing_organisation(owner_client, study):
    council = study.organisations.get(name="Council")

    response = owner_client.post(_roster(study), _person(organisation=council.pk))

    assert response["Location"] == _roster(study)
    lee = study.participants.get(key="p13")
    assert (lee.name, lee.email, lee.organisation, lee.sector, lee.layer, lee.seniority) == (
        "Lee Moss", "lee@example.org", council, "health", "frontline", "middle",
    )  # fmt: skip


def test_a_typed_organisation_is_created_with_the_persons_sector_and_layer(owner_client, study):
    owner_client.post(_roster(study), _person(new_organisation="Clinic"))

    clinic = study.organisations.get(name="Clinic")
    assert (clinic.sector, clinic.layer) == ("health", "frontline")
    assert study.participants.get(key="p13").organisation == clinic


def test_a_typed_name_of_an_existing_organisation_uses_it(owner_client, study):
    owner_client.post(_roster(study), _person(new_organisation="Council"))

    assert study.organisations.filter(name="Council").count() == 1
    assert study.participants.get(key="p13").organisation.name == "Council"


def test_picking_and_typing_an_organisation_at_once_is_refused(owner_client, study):
    council = study.organisations.get(name="Council")

    response = owner_client.post(
        _roster(study), _person(organisation=council.pk, new_organisation="Clinic")
    )

    assert "new_organisation" in response.context["form"].errors
    assert not study.participants.filter(key="p13").exists()
    assert not study.organisations.filter(name="Clinic").exists()


def test_a_blank_roster_id_takes_the_next_free_one(owner_client, study):
    form = owner_client.get(_roster(study)).context["form"]
    owner_client.post(_roster(study), _person(key=""))

    assert form.next_key == "p13"
    assert study.participants.get(name="Lee Moss").key == "p13"


def test_the_first_id_of_an_empty_roster_is_p001(owner_client, owner):
    study = Study.objects.create(locality="New", field="x", owner=owner)

    owner_client.post(_roster(study), _person(key=""))

    assert study.participants.get().key == "p001"


def test_a_roster_id_is_unique_in_a_study(owner_client, study):
    response = owner_client.post(_roster(study), _person(key="p01"))

    assert "already used" in " ".join(response.context["form"].errors["key"])
    assert study.participants.get(key="p01").name == "Ann Lee"


def test_a_malformed_email_is_a_form_error(owner_client, study):
    response = owner_client.post(_roster(study), _person(email="not an email"))

    assert "email" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not study.participants.filter(key="p13").exists()


def test_the_study_attributes_are_asked_and_saved(owner_client, study):
    study.attributes = [{"key": "ward", "label": "Which ward do you work in?"}]
    study.save()

    page = owner_client.get(_roster(study)).content.decode()
    owner_client.post(_roster(study), _person(attr_ward="North"))

    assert "Which ward do you work in?" in page
    assert study.participants.get(key="p13").attributes == {"ward": "North"}


def test_the_owner_edits_a_person(owner_client, study):
    ann = study.participants.get(key="p01")
    school = study.organisations.get(name="School A")

    form = owner_client.get(_roster(study), {"edit": ann.pk})
    response = owner_client.post(
        _roster(study),
        _person(participant=ann.pk, key="p01", name="Ann Lee-Moss", organisation=school.pk),
    )

    assert form.context["form"].initial["name"] == "Ann Lee"
    assert response.status_code == 302
    ann.refresh_from_db()
    assert (ann.key, ann.name, ann.organisation) == ("p01", "Ann Lee-Moss", school)
    assert study.participants.count() == 12


def test_an_edit_keeps_attributes_the_form_does_not_ask(owner_client, study):
    ann = study.participants.get(key="p01")
    ann.attributes = {"imported": "yes", "ward": "South"}
    ann.save()
    study.attributes = [{"key": "ward", "label": "Ward"}]
    study.save()

    owner_client.post(_roster(study), _person(participant=ann.pk, key="p01", attr_ward=""))

    ann.refresh_from_db()
    assert ann.attributes == {"imported": "yes"}


def test_a_long_roster_is_shown_200_people_a_page(owner_client, study):
    Participant.objects.bulk_create(
        Participant(study=study, key=f"x{i:03d}", name=f"Extra {i}", sector="health",
                    layer="public")
        for i in range(250)
    )  # fmt: skip

    first = owner_client.get(_roster(study)).content.decode()
    second = owner_client.get(_roster(study) + "?page=2").content.decode()

    assert "262 people, 1 to 200 shown" in first and "Page 1 of 2" in first
    assert "Extra 187<" in first and "Extra 188<" not in first  # p01-p12, then x000-x187
    assert "262 people, 201 to 262 shown" in second and "Extra 249<" in second
    assert 'href="?page=1">Previous' in second
