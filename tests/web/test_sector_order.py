"""The owner chooses the order of the sectors on the maps, by their names, on the set-up page."""

from __future__ import annotations

from django.urls import reverse
from web.test_study_setup import _settings_data

from placelab.web.studies.models import Study


def _settings(study: Study, **changes) -> dict:
    return _settings_data(study, **{"sector_order": "", **changes})


def test_the_owner_puts_the_voluntary_sector_first_by_its_name(owner_client, study):
    url = reverse("studies:settings", args=[study.pk])
    page = owner_client.get(url).content.decode()
    assert "Order of the sectors on the maps" in page
    assert "Local authority, Schools and colleges" in page  # the usual order, in words

    response = owner_client.post(
        url, _settings(study, sector_order="voluntary and community sector, Residents' groups")
    )

    assert response.status_code == 302
    study.refresh_from_db()
    assert study.sector_order == ["voluntary_community", "resident_group"]
    shown = owner_client.get(url).content.decode()
    assert "Voluntary and community sector, Residents&#x27; groups" in shown


def test_an_extra_sector_can_be_placed_too(owner_client, study):
    owner_client.post(
        reverse("studies:settings", args=[study.pk]),
        _settings(study, extra_sectors="student_council", sector_order="Student council, health"),
    )
    study.refresh_from_db()
    assert study.sector_order == ["student_council", "health"]


def test_a_name_that_is_no_sector_is_refused_and_nothing_changes(owner_client, study):
    response = owner_client.post(
        reverse("studies:settings", args=[study.pk]),
        _settings(study, locality="Elsewhere", sector_order="Local authority, Churches"),
    )
    assert response.status_code == 200
    assert (
        "&#x27;Churches&#x27; is not one of this study&#x27;s sectors" in response.content.decode()
    )
    study.refresh_from_db()
    assert study.sector_order == [] and study.locality == "Riverside"
