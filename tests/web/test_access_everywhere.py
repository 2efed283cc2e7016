"""Every address of a study, read from the URL map itself, is closed to those without a role.

A page added later is in the map, so these tests cover it, or fail until its rule is stated in
``NEEDS`` below.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from placelab.web.studies.models import AnalysisRun, Membership

# The weakest role that may open each address of a study; anyone weaker gets 404.
NEEDS = {
    "studies:detail": "viewer",
    "studies:waves": "viewer",
    "studies:wave": "viewer",
    "studies:responses": "viewer",
    "studies:analysis": "viewer",
    "studies:map": "viewer",
    "studies:map_svg": "viewer",
    "studies:map_png": "viewer",
    "studies:report_pdf": "viewer",
    "studies:report_html": "viewer",
    "api:response_rate": "viewer",
    "api:analysis_status": "viewer",
    "api:analysis_result": "viewer",
    "api:map_data": "viewer",
    "api:study_status": "viewer",
    "studies:compare": "viewer",
    "studies:compare_status": "viewer",
    "studies:compare_json": "viewer",
    "studies:analysis_run": "analyst",
    "studies:wave_export": "analyst",
    "studies:analysis_graphml": "analyst",
    "studies:analysis_gexf": "analyst",
    "studies:analysis_xlsx": "analyst",
    "studies:compare_run": "analyst",
    "studies:settings": "owner",
    "studies:access": "owner",
    "studies:access_revoke": "owner",
    "studies:access_resend": "owner",
    "studies:audit": "owner",
    "studies:audit_csv": "owner",
    "studies:organisations": "owner",
    "studies:roster": "owner",
    "studies:roster_import": "owner",
    "studies:roster_template": "owner",
    "studies:roster_import_status": "owner",
    "studies:roster_import_skipped": "owner",
    "studies:invitations": "owner",
    "studies:invitations_send": "owner",
    "studies:invitations_status": "owner",
    "studies:invitation_wording": "owner",
    "studies:invitations_remind": "owner",
    "studies:invitation_revoke": "owner",
    "studies:outsiders": "owner",
    "studies:protection": "owner",
    "studies:study_delete": "owner",
    "studies:wave_delete": "owner",
    "studies:participant_delete": "owner",
    "studies:participant_export": "owner",
    "studies:response_delete": "owner",
    "studies:study_archive": "owner",
    "studies:study_restore": "owner",
    "studies:wave_archive": "owner",
    "studies:wave_restore": "owner",
}


def study_addresses() -> dict[str, str]:
    """Every named URL whose pattern takes a study, as 'namespace:name' -> pattern."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and "<int:study_id>" in str(entry.pattern):
                found[f"{namespace}:{entry.name}"] = prefix + str(entry.pattern)

    walk(get_resolver().url_patterns, "", None)
    return found


def address(name: str, study, wave) -> str:
    pattern = study_addresses()[name]
    values = {
        "study_id": study.pk,
        "number": wave.number,
        "membership_id": study.memberships.first().pk,
        "invitation_id": wave.invitations.first().pk,
        "network": "work",
        "format": "csv",
        "import_id": 1,  # no such import: 404 for everyone, as another owner's upload is
        "participant_id": study.participants.first().pk,
        # No one has answered in this study: 404 for every role, the owner included.
        "response_id": 999999,
        "comparison_id": 999999,  # no comparison yet: 404 for every role
    }
    return reverse(name, kwargs={k: v for k, v in values.items() if f":{k}>" in pattern})


def test_every_address_of_a_study_has_a_stated_rule():
    assert set(study_addresses()) == set(NEEDS)


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_an_outsider_gets_404_everywhere_and_changes_nothing(name, study, wave, outsider_client):
    url = address(name, study, wave)
    before = snapshot(study)
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"action": "close", "role": "analyst"}).status_code == 404
    assert snapshot(study) == before


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_a_signed_out_visitor_is_sent_to_sign_in(name, study, wave, client):
    response = client.get(address(name, study, wave))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, role in NEEDS.items() if role != "viewer"))
def test_a_viewer_gets_404_where_a_stronger_role_is_needed(name, study, wave, viewer_client):
    url = address(name, study, wave)
    before = snapshot(study)
    assert viewer_client.get(url).status_code == 404
    assert viewer_client.post(url, {"action": "close"}).status_code == 404
    assert snapshot(study) == before


@pytest.mark.parametrize("name", sorted(n for n, role in NEEDS.items() if role == "owner"))
def test_an_analyst_gets_404_on_the_owners_pages(name, study, wave, analyst_client):
    assert analyst_client.get(address(name, study, wave)).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, role in NEEDS.items() if role == "viewer"))
def test_a_viewer_can_read_what_viewers_may_read(name, study, wave, viewer_client):
    assert viewer_client.get(address(name, study, wave)).status_code in (200, 404)
    # 404 only where there is nothing yet (the JSON, a map or the report of an analysis never run,
    # a comparison never made).
    if not name.startswith(
        ("api:analysis", "api:map_data", "studies:map_", "studies:report_", "studies:compare_")
    ):
        assert viewer_client.get(address(name, study, wave)).status_code == 200


def test_a_revoked_membership_closes_every_address(study, wave, viewer, viewer_client):
    Membership.objects.filter(user=viewer).delete()
    for name in NEEDS:
        assert viewer_client.get(address(name, study, wave)).status_code == 404, name


def snapshot(study) -> tuple:
    """What an action could change: the study, its waves, roster, grants, links and runs."""
    study.refresh_from_db()
    return (
        (study.locality, study.field, tuple(study.networks), str(study.questions)),
        tuple(study.waves.values_list("number", "status")),
        tuple(study.participants.values_list("key", "name", "email").order_by("key")),
        tuple(study.memberships.values_list("user_id", "role").order_by("user_id")),
        tuple(
            study.waves.first()
            .invitations.values_list("token", "sent", "revoked", "reminders")
            .order_by("pk")
        ),
        AnalysisRun.objects.filter(wave__study=study).count(),
    )
