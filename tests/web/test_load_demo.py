"""``manage.py load_demo`` gives a newcomer an answered, analysed study and an open survey."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from placelab.web.studies.models import AnalysisRun, Response, Study, Wave

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", str(EXAMPLES), stdout=out)
    return out.getvalue()


def signs_in(client: Client, password: str) -> bool:
    """Through the sign-in page, as the demo's owner would (and as django-axes counts tries)."""
    response = client.post("/accounts/login/", {"username": "demo", "password": password})
    return response.status_code == 302


def test_the_demo_owner_finds_an_analysed_study_and_an_open_survey(db):
    printed = load_demo()
    password = re.search(r"password '([^']+)'", printed).group(1)
    client = Client()
    assert signs_in(client, password)

    answered = Study.objects.get(locality="Riverside")
    wave = answered.waves.get(number=1)
    assert wave.status == Wave.CLOSED
    assert wave.invitations.count() == 137  # the demo locality of examples/people.csv
    assert Response.objects.submitted().filter(invitation__wave=wave).count() == 92
    run = wave.analyses.get()
    assert run.status == AnalysisRun.DONE, run.error
    assert run.result["inputs"]["respondents"] == 92
    assert run.diagnosis["lifecycle"]["phase"]["name"]
    assert b"Findings" in client.get(f"/studies/{answered.pk}/").content

    link = re.search(r"http://\S+(/s/[\w-]+/)", printed).group(1)
    assert Client().get(link, follow=True).status_code == 200
    assert Study.objects.get(locality="Northfield").waves.get().status == Wave.OPEN


def test_the_answered_study_has_a_second_analysed_wave_a_year_on(db):
    load_demo()
    study = Study.objects.get(locality="Riverside")
    assert list(study.waves.values_list("number", "status")) == [(1, Wave.CLOSED), (2, Wave.CLOSED)]
    first, second = study.waves.order_by("number")
    # examples/wave2: 136 invited (6 have left, 5 joined in their posts), 95 answered.
    assert second.invitations.count() == 136
    assert Response.objects.submitted().filter(invitation__wave=second).count() == 95
    assert study.participants.count() == 142  # the leavers stay on the roster, uninvited
    invited = [
        set(w.invitations.values_list("participant__key", flat=True)) for w in (first, second)
    ]
    assert len(invited[0] - invited[1]) == 6 and len(invited[1] - invited[0]) == 5
    for wave in (first, second):
        run = wave.analyses.get()
        assert run.status == AnalysisRun.DONE, run.error
        assert run.diagnosis["lifecycle"]["phase"]["name"]
    assert second.analyses.get().result["inputs"]["respondents"] == 95
    # The story of the second wave, as the web's own analyses store it.
    reach = [voluntary_reach(wave.analyses.get().result) for wave in (first, second)]
    assert reach[1] > 2 * reach[0]


def voluntary_reach(result: dict) -> float:
    """The voluntary sector's share of tie ends reaching the core group, all networks together."""
    groups = result["networks"]["all"]["mixing"]["sector"]["groups"]
    return next(g["reach_core"] for g in groups if g["group"] == "voluntary_community")


def test_loading_again_replaces_the_demo_and_changes_the_password(db):
    first = re.search(r"password '([^']+)'", load_demo()).group(1)
    second = re.search(r"password '([^']+)'", load_demo()).group(1)
    assert first != second
    assert Study.objects.count() == 2
    assert not signs_in(Client(), first)


def test_a_missing_folder_says_how_to_make_the_files(db, tmp_path):
    with pytest.raises(CommandError, match="make demo-data"):
        call_command("load_demo", str(tmp_path))
    assert not Study.objects.exists()


def test_the_models_and_their_migrations_agree(db):
    # A model change without its migration would pass tests (they build from the models' state
    # through migrations) yet break an existing database.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
