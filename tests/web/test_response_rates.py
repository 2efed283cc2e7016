"""The response rate, overall and by group, on the page and in the JSON API.

The small study (tests/small_study.py): Council p01-p04 (local authority), School A p05-p06 and
School B p07-p08 (school or college), Trust p09-p12 (voluntary and community); systemic layer
p01, p02, p05, p09, the rest sectoral. In ``answered`` below, p01, p05, p06 and p10 submitted,
p02 and p09 started, and p08's invitation is revoked, so by hand:

    overall                 invited 11  started 6  submitted 4
    Council                 4  2  1     School A  2  2  2
    School B                1  0  0     Trust     4  2  1
    local_authority         4  2  1     school_college  3  2  2    voluntary_community  4  2  1
    systemic                4  4  2     sectoral        7  2  2
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from web.conftest import build_study, client_for

from placelab.web.studies.access import ANALYST, OWNER, VIEWER, StudyAccess
from placelab.web.studies.models import Invitation, Organisation, Participant, Response, Wave
from placelab.web.studies.selectors.response_rates import (
    PROTECTING,
    SMALL,
    Rate,
    grouped_rates_get,
    overall_rate_get,
    rates_for,
    suppress_small_groups,
)
from placelab.web.studies.services.invitations import invitations_create

SCRIPT = "<script>alert('x')</script>"


def figures(rate: Rate) -> tuple:
    return (rate.invited, rate.started, rate.submitted)


def by_label(rows: list[Rate]) -> dict[str, tuple]:
    return {r.label: figures(r) for r in rows}


@pytest.fixture
def answered(wave) -> Wave:
    now = timezone.now()
    invitations = {i.participant.key: i for i in wave.invitations.select_related("participant")}
    for key in ("p01", "p05", "p06", "p10"):
        Response.objects.create(invitation=invitations[key], submitted=now)
    for key in ("p02", "p09"):
        Response.objects.create(invitation=invitations[key])
    Invitation.objects.filter(pk=invitations["p08"].pk).update(revoked=now)
    return wave


@pytest.fixture
def bigger(answered, study) -> Wave:
    """Three more at the Council (sectoral), so that some groups reach five."""
    council = Organisation.objects.get(study=study, name="Council")
    for n in (13, 14, 15):
        Participant.objects.create(
            study=study, key=f"p{n}", name=f"Person {n}", organisation=council,
            sector="local_authority", layer="sectoral",
        )  # fmt: skip
    invitations_create(wave=answered)
    return answered


def api(wave: Wave) -> str:
    return reverse("api:response_rate", args=[wave.study_id, wave.number])


def page(wave: Wave) -> str:
    return reverse("studies:responses", args=[wave.study_id, wave.number])


# Counts, against the hand counts above


def test_the_overall_rate_counts_active_invitations(answered):
    overall = overall_rate_get(wave=answered)
    assert figures(overall) == (11, 6, 4)
    assert overall.rate == pytest.approx(4 / 11)
    assert overall.percent == "36%"


def test_rates_by_organisation(answered):
    rows = grouped_rates_get(wave=answered, grouping="organisation")
    assert by_label(rows) == {
        "Council": (4, 2, 1),
        "School A": (2, 2, 2),
        "School B": (1, 0, 0),
        "Trust": (4, 2, 1),
    }


def test_rates_by_sector(answered):
    rows = grouped_rates_get(wave=answered, grouping="sector")
    assert {r.key: figures(r) for r in rows} == {
        "local_authority": (4, 2, 1),
        "school_college": (3, 2, 2),
        "voluntary_community": (4, 2, 1),
    }
    assert [r.label for r in rows] == [
        "Local authority",
        "Schools and colleges",
        "Voluntary and community sector",
    ]


def test_rates_by_layer(answered):
    rows = grouped_rates_get(wave=answered, grouping="layer")
    assert {r.key: figures(r) for r in rows} == {"systemic": (4, 4, 2), "sectoral": (7, 2, 2)}


def test_someone_without_an_organisation_is_counted_under_no_organisation(study, wave):
    Participant.objects.create(study=study, key="p13", sector="other", layer="public")
    invitations_create(wave=wave)
    rows = by_label(grouped_rates_get(wave=wave, grouping="organisation"))
    assert rows["No organisation"] == (1, 0, 0)


def test_each_grouping_is_one_query(answered, django_assert_num_queries):
    with django_assert_num_queries(1):
        grouped_rates_get(wave=answered, grouping="sector")
    with django_assert_num_queries(1):
        overall_rate_get(wave=answered)


def test_another_waves_answers_do_not_count(answered, study):
    second = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    invitations_create(wave=second)
    assert figures(overall_rate_get(wave=second)) == (12, 0, 0)
    assert figures(overall_rate_get(wave=answered)) == (11, 6, 4)


# Small groups


def rate(key: str, invited: int) -> Rate:
    return Rate(key=key, label=key, invited=invited, started=0, submitted=0)


def test_a_group_under_five_is_withheld_and_so_is_the_smallest_other_when_needed():
    rows = suppress_small_groups([rate("a", 10), rate("b", 3), rate("c", 8)])
    assert [(r.key, r.hidden) for r in rows] == [("a", ""), ("b", SMALL), ("c", PROTECTING)]
    assert rows[1].invited is None and rows[2].rate is None


def test_small_groups_that_add_up_to_five_protect_each_other():
    rows = suppress_small_groups([rate("a", 10), rate("b", 3), rate("c", 2)])
    assert [r.hidden for r in rows] == ["", SMALL, SMALL]


def test_groups_of_five_or_more_are_all_shown():
    rows = suppress_small_groups([rate("a", 5), rate("b", 20)])
    assert [figures(r) for r in rows] == [(5, 0, 0), (20, 0, 0)]


@pytest.mark.parametrize("role", [VIEWER, ANALYST])
def test_viewers_and_analysts_do_not_see_groups_under_five(bigger, study, role):
    rates = rates_for(access=StudyAccess(study, role), wave=bigger)
    organisations = {r.label: r for r in rates.groups["organisation"]}
    assert figures(organisations["Council"]) == (7, 2, 1)
    for small in ("School A", "School B", "Trust"):
        assert organisations[small].hidden == SMALL and organisations[small].invited is None
    sectors = {r.key: r for r in rates.groups["sector"]}
    assert figures(sectors["local_authority"]) == (7, 2, 1)
    assert sectors["school_college"].hidden == SMALL
    layers = {r.key: r for r in rates.groups["layer"]}
    # systemic (4) is small, and sectoral is the total minus systemic: both withheld.
    assert layers["systemic"].hidden == SMALL and layers["sectoral"].hidden == PROTECTING
    assert figures(rates.overall) == (14, 6, 4)


def test_the_owner_sees_every_group(bigger, study):
    rates = rates_for(access=StudyAccess(study, OWNER), wave=bigger)
    assert all(not r.hidden for rows in rates.groups.values() for r in rows)
    assert by_label(rates.groups["organisation"])["School B"] == (1, 0, 0)


# The page


def test_an_outsider_gets_404_on_the_page_and_the_api(outsider_client, wave):
    assert outsider_client.get(page(wave)).status_code == 404
    assert outsider_client.get(api(wave)).status_code == 404


def test_the_owner_of_another_study_gets_404(study, wave, outsider):
    build_study(outsider, locality="Elsewhere")
    client = client_for(outsider)
    assert client.get(page(wave)).status_code == 404
    assert client.get(api(wave)).status_code == 404


def test_a_wave_that_does_not_exist_is_404(owner_client, study):
    missing = Wave(study=study, number=9)
    assert owner_client.get(page(missing)).status_code == 404
    assert owner_client.get(api(missing)).status_code == 404


def test_a_viewer_sees_the_figures_but_not_who_is_missing(viewer_client, bigger):
    response = viewer_client.get(page(bigger))
    assert response.status_code == 200
    text = response.content.decode()
    assert "fewer than 5" in text
    assert "Who has not answered" not in text
    for name in ("Bea Kwan", "Gus Hay", "p03@example.org"):
        assert name not in text
    assert reverse("api:response_rate", args=[bigger.study_id, 1]) in text  # live.js polls it
    assert "Refresh the figures" in text  # and without JavaScript, a link


def test_the_owner_sees_who_has_not_answered_with_their_link_status(owner_client, answered):
    text = owner_client.get(page(answered)).content.decode()
    assert "Who has not answered" in text
    assert "Bea Kwan" in text  # started, not submitted
    assert "Gus Hay" in text and "Revoked" in text  # p08
    assert "p03@example.org" in text
    missing = text.split("Who has not answered", 1)[1]
    assert "Ann Lee" not in missing  # submitted


def test_a_name_with_html_shows_as_text_on_the_responses_page(owner_client, study, wave):
    Participant.objects.create(study=study, key="x1", name=SCRIPT, sector="other", layer="public")
    invitations_create(wave=wave)
    text = owner_client.get(page(wave)).content.decode()
    assert SCRIPT not in text
    assert "&lt;script&gt;" in text


# The JSON API


def test_the_api_gives_the_owner_every_figure(owner_client, answered):
    data = owner_client.get(api(answered)).json()
    assert data["overall"]["invited"] == 11 and data["overall"]["submitted"] == 4
    assert data["overall"]["rate"] == pytest.approx(4 / 11)
    layers = {
        r["key"]: (r["invited"], r["started"], r["submitted"]) for r in data["groups"]["layer"]
    }
    assert layers == {"systemic": (4, 4, 2), "sectoral": (7, 2, 2)}
    assert data["status"] == "open" and data["minimum_group"] == 5


@pytest.mark.parametrize("persona", ["viewer_client", "analyst_client"])
def test_the_api_withholds_small_groups_from_others(request, persona, bigger):
    data = request.getfixturevalue(persona).get(api(bigger)).json()
    organisations = {r["label"]: r for r in data["groups"]["organisation"]}
    assert organisations["Council"]["invited"] == 7
    assert organisations["School B"] == {
        "key": "School B", "label": "School B", "invited": None, "started": None,
        "submitted": None, "hidden": SMALL, "rate": None,
    }  # fmt: skip


def test_the_api_names_nobody_whoever_asks(owner_client, viewer_client, answered):
    names = list(Participant.objects.values_list("name", flat=True))
    for client in (owner_client, viewer_client):
        body = client.get(api(answered)).content.decode("unicode_escape")
        assert not [name for name in names if name in body]
        assert "@example.org" not in body


def test_the_api_is_not_cached(viewer_client, wave):
    response = viewer_client.get(api(wave))
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"


def test_the_api_follows_answers_as_they_arrive(viewer_client, study, wave):
    assert viewer_client.get(api(wave)).json()["overall"]["submitted"] == 0
    Response.objects.create(invitation=wave.invitations.first(), submitted=timezone.now())
    assert viewer_client.get(api(wave)).json()["overall"]["submitted"] == 1
