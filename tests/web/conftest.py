"""Personas and a small study in the database, shared by the web tests.

Database tests run on SQLite, and again on the PostgreSQL at 127.0.0.1:5432 when ``make test``
finds it (DATABASE_URL). The header of every run says which.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from small_study import SMALL_PEOPLE
from web.builders import answer_everything

from placelab.web.studies.models import (
    AnalysisRun,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Study,
    Wave,
)
from placelab.web.studies.services.analysis import analysis_run_now

PASSWORD = "a-long-test-password-7"


def pytest_report_header(config) -> str:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine == "postgresql":
        return "database tests: PostgreSQL (DATABASE_URL)"
    return "database tests: SQLite (set DATABASE_URL to run them on PostgreSQL; make test does)"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Hashing a password the production way takes a quarter of a second: too slow per persona."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )


@pytest.fixture
def owner(db):
    return make_user("olive_owner")


@pytest.fixture
def analyst(db):
    return make_user("andy_analyst")


@pytest.fixture
def viewer(db):
    return make_user("vera_viewer")


@pytest.fixture
def outsider(db):
    return make_user("oscar_outsider")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return client_for(owner)


@pytest.fixture
def analyst_client(analyst, study) -> Client:
    return client_for(analyst)


@pytest.fixture
def viewer_client(viewer, study) -> Client:
    return client_for(viewer)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return client_for(outsider)


def build_study(owner, *, locality: str = "Riverside", wave_status: str = Wave.OPEN) -> Study:
    """The twelve people of tests/small_study.py, with an open wave and invitations."""
    study = Study.objects.create(locality=locality, field="secondary education", owner=owner)
    wave = Wave.objects.create(study=study, number=1, status=wave_status)
    for row in csv.DictReader(io.StringIO(SMALL_PEOPLE)):
        organisation, _ = Organisation.objects.get_or_create(
            study=study, name=row["organisation"],
            defaults={"sector": row["sector"], "layer": row["layer"]},
        )  # fmt: skip
        person = Participant.objects.create(
            study=study, key=row["id"], name=row["name"], email=f"{row['id']}@example.org",
            organisation=organisation, sector=row["sector"], layer=row["layer"],
            seniority=row["seniority"],
        )  # fmt: skip
        Invitation.objects.create(wave=wave, participant=person)
    return study


@pytest.fixture
def study(owner, analyst, viewer) -> Study:
    """Riverside's study: owned by ``owner``, with ``analyst`` and ``viewer`` given those roles."""
    study = build_study(owner)
    Membership.objects.create(study=study, user=analyst, role=Membership.ANALYST)
    Membership.objects.create(study=study, user=viewer, role=Membership.VIEWER)
    return study


@pytest.fixture
def wave(study) -> Wave:
    return study.waves.get(number=1)


@pytest.fixture
def analysed(study, wave) -> AnalysisRun:
    """Wave 1 answered by eleven of the twelve (p08 did not), analysed in the small study's
    three networks; the result holds its ties and layout."""
    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    run = analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    assert run.status == AnalysisRun.DONE, run.error
    return run


@pytest.fixture
def invitation(wave) -> Invitation:
    """Ann Lee's (p01) invitation to wave 1."""
    return wave.invitations.get(participant__key="p01")


CHROMIUM = "/usr/bin/chromium"
# As root, on a machine with no network: no sandbox, and no background calls to other hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server) -> Iterator:
    """Debian's chromium through Playwright, against the live server; never a downloaded one."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright's event loop runs, Django keeps the database connections of this
        # context apart: close them here, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()
    connections.close_all()
