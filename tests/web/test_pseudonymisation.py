"""What a viewer of the loaded demo reaches re-identifies no one, on every page and in the JSON.

The re-identification check (``crowd_sizes``) is the core test's: for every person, at least
five people show exactly what they show. The demo is the real one, loaded as ``make demo`` does.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from core.test_pseudonymise import ANSWERING, crowd_sizes
from django.core.management import call_command
from django.urls import reverse
from web.conftest import client_for, make_user

from placelab.web.studies.models import Membership, Study

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROSTER = list(csv.DictReader((EXAMPLES / "people.csv").open(encoding="utf-8")))


@pytest.fixture
def demo(db) -> Study:
    call_command("load_demo", str(EXAMPLES), stdout=io.StringIO())
    study = Study.objects.get(locality="Riverside", field="Secondary education")
    assert [w.analyses.get().status for w in study.waves.order_by("number")] == ["done", "done"]
    return study


@pytest.fixture
def demo_viewer(demo):
    user = make_user("council-member")
    Membership.objects.create(study=demo, user=user, role=Membership.VIEWER)
    return client_for(user)


def result_json(client, study: Study) -> dict:
    response = client.get(reverse("api:analysis_result", args=[study.pk, 1]))
    assert response.status_code == 200
    return response.json()


def leaks(text: str, *, titles: str = "all") -> list[str]:
    """Every roster name, organisation or role title found in ``text``.

    ``titles="several words"`` leaves out one-word titles for pages: "Coordinator" and "Member"
    are also the page's own words (a Gould and Fernandez role, a study's members).
    """
    found = []
    for row in ROSTER:
        found += [row[c] for c in ("name", "organisation") if row[c] in text]
        title = row["role_title"]
        if (titles == "all" or " " in title) and title in text:
            found.append(title)
    return found


def test_a_viewers_result_of_the_demo_passes_the_re_identification_check(demo, demo_viewer):
    shown = result_json(demo_viewer, demo)
    assert shown["pseudonymised"] is True
    result = shown["result"]
    sizes = crowd_sizes(result)
    assert len(sizes) == 137
    assert min(sizes.values()) >= 5
    assert result["ties_directed"] is False


def test_a_viewers_result_holds_no_roster_name_organisation_or_title(demo, demo_viewer):
    shown = result_json(demo_viewer, demo)
    assert leaks(json.dumps(shown, ensure_ascii=False)) == []
    assert "respondents" not in shown["diagnosis"]  # each respondent's own scores
    for person in shown["result"]["people"]:
        assert not ANSWERING & set(person)
        assert all(not ANSWERING & set(m) for m in person["networks"].values())


def test_a_viewers_ties_name_each_pair_once(demo, demo_viewer):
    ties = result_json(demo_viewer, demo)["result"]["ties"]
    assert set(ties) == {"work", "social", "innovation", "expert", "strategic", "learning",
                         "decision"}  # fmt: skip
    for network, pairs in ties.items():
        keys = [tuple(pair[:2]) for pair in pairs]
        assert len(keys) == len({frozenset(k) for k in keys}), network
        assert all(a.startswith("Person ") and b.startswith("Person ") for a, b in keys)


def test_the_owner_still_sees_names_and_who_named_whom(demo):
    shown = result_json(client_for(demo.owner), demo)
    assert shown["pseudonymised"] is False
    assert "ties_directed" not in shown["result"] or shown["result"]["ties_directed"]
    people = {p["id"]: p for p in shown["result"]["people"]}
    assert people["p001"]["name"] == "Tariq Owen" and people["p001"]["responded"] is False


def test_the_pages_a_viewer_reaches_name_no_one(demo, demo_viewer):
    pages = [
        reverse("studies:detail", args=[demo.pk]),
        reverse("studies:analysis", args=[demo.pk, 1]),
        reverse("api:analysis_status", args=[demo.pk, 1]),
        reverse("studies:map", args=[demo.pk, 1]),
        reverse("api:map_data", args=[demo.pk, 1]),
    ]
    for url in pages:
        response = demo_viewer.get(url)
        assert response.status_code == 200, url
        assert leaks(response.content.decode(), titles="several words") == [], url
