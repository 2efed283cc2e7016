"""The real server: gunicorn with placelab's configuration, as production and `make demo` run it.

Two gunicorn processes on two loopback ports share one PostgreSQL test database, as two app
servers behind a load balancer would: a respondent can move between them mid-survey, and each
reports the same health. A third, in production settings, is pointed at a closed port to show
what a respondent sees when the database is lost. No access or error log holds a survey token.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import timezone
from web.conftest import PASSWORD, on_postgres
from web.servers import ROOT, Browser, CuttableLink, Server, free_port, start_gunicorn, stop

from placelab.core.toolkit.bank import load_bank
from placelab.web.studies.models import Invitation, Response, Study, Worker
from placelab.web.views_errors import server_error

NOT_SAVED = "Your answers on this page were not saved"


def items_of(group: str) -> list[str]:
    bank = load_bank()
    scales = {s.id for s in bank.scales if s.group == group}
    return [i.id for i in bank.items if i.scale in scales]


# ---------------------------------------------------------------------------------------------
# Two app servers sharing one PostgreSQL database


@pytest.fixture(scope="module")
def two_servers(django_db_setup, tmp_path_factory) -> Iterator[list[Server]]:
    """Started once for the module: between tests the database is emptied under them, as
    pooled connections that sit idle hold no lock."""
    tmp_path = tmp_path_factory.mktemp("two-servers")
    settings = connection.settings_dict
    database = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    started = [start_gunicorn(tmp_path, name, DATABASE_URL=database) for name in ("a", "b")]
    yield [server for _, server in started]
    for process, _ in started:
        stop(process)


@pytest.fixture
def survey_study(study):
    """Riverside asking two networks, a page each, and two item groups: seven numbered pages."""
    groups = {g.id for g in load_bank().groups}
    study.survey_layout = Study.PAGES
    study.networks = ["work", "innovation"]
    study.excluded_groups = sorted(groups - {"lifecycle", "triangle"})
    study.save()
    return study


def survey_posts(study) -> list[tuple[str, dict]]:
    def pid(key: str) -> int:
        return study.participants.get(key=key).pk

    lifecycle, triangle = items_of("lifecycle"), items_of("triangle")
    return [
        ("consent", {"agree": "on"}),
        ("about", {"seniority": "senior"}),
        ("network-work", {"alter": [pid("p02"), pid("p05")], f"freq-{pid('p02')}": "5"}),
        ("network-innovation", {"alter": [pid("p09")], "outsider_1": "Harbour Trust"}),
        ("assessment-lifecycle", {lifecycle[0]: "4", lifecycle[1]: "dk"}),
        ("assessment-triangle", {triangle[0]: "1"}),
        ("review", {"action": "submit"}),
    ]


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres(), reason="two servers share one PostgreSQL database")
@pytest.mark.django_db(transaction=True)
def test_a_survey_started_on_one_server_and_finished_on_another_keeps_every_answer(
    two_servers, survey_study
):
    a, b = two_servers
    invitation = Invitation.objects.get(wave__study=survey_study, participant__key="p01")
    browser, posts = Browser(), survey_posts(survey_study)
    for number, (page, data) in enumerate(posts):
        server = a if number < 3 else b  # consent, about and work through a; the rest through b
        status, headers, _ = browser.post(
            server.base, f"/s/{invitation.token}/{page}/", {"action": "next", **data}
        )
        assert status == 302, (page, status)
    status, _, thanks = browser.get(b.base, headers["Location"])
    assert status == 200 and "You can still change your answers" in thanks

    saved = Response.objects.get(invitation=invitation)
    assert saved.consented and saved.submitted and saved.page == "thanks"
    assert saved.about["seniority"] == "senior"
    ties = {
        (n.network, n.alter.key if n.alter else n.outsider, n.frequency)
        for n in saved.nominations.select_related("alter")
    }
    assert ties == {
        ("work", "p02", 5),
        ("work", "p05", None),
        ("innovation", "p09", None),
        ("innovation", "Harbour Trust", None),
    }
    lifecycle, triangle = items_of("lifecycle"), items_of("triangle")
    assert dict(saved.answers.values_list("item", "value")) == {
        lifecycle[0]: "4",
        lifecycle[1]: "dk",
        triangle[0]: "1",
    }
    # Both servers logged the survey's pages, and neither log holds the token.
    for server in (a, b):
        assert "/s/…/" in server.access_log.read_text()
        assert invitation.token not in server.logs()


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres(), reason="two servers share one PostgreSQL database")
@pytest.mark.django_db(transaction=True)
def test_an_owner_signed_in_through_one_server_is_signed_in_on_the_other(
    two_servers, study, owner, settings
):
    # The servers hash passwords the production way: store the owner's that way too.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    owner.set_password(PASSWORD)
    owner.save()
    a, b = two_servers
    browser = Browser()
    status, headers, _ = browser.post(
        a.base, "/accounts/login/", {"username": owner.username, "password": PASSWORD}
    )
    assert status == 302 and headers["Location"] == "/studies/"
    status, _, page = browser.get(b.base, f"/studies/{study.pk}/")
    assert status == 200 and "Riverside" in page
    status, _, page = browser.get(a.base, f"/studies/{study.pk}/roster/")
    assert status == 200 and "Ann Lee" in page


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres(), reason="two servers share one PostgreSQL database")
@pytest.mark.django_db(transaction=True)
def test_health_through_either_server_follows_the_newest_worker_heartbeat(two_servers):
    worker = Worker.objects.create(name="host:1:abc", host="host", pid=1, seen=timezone.now())
    for server in two_servers:
        status, headers, body = Browser().get(server.base, "/health")
        assert status == 200, body
        assert headers["Content-Type"] == "application/json"
        assert '"database": "ok"' in body and '"ok": true' in body

    worker.seen = timezone.now() - timedelta(minutes=5)
    worker.save()
    for server in two_servers:
        status, _, body = Browser().get(server.base, "/health")
        assert status == 503
        assert '"database": "ok"' in body and '"ok": false' in body
        age = int(re.search(r'"newest_heartbeat_age_s": (\d+)', body)[1])
        assert 300 <= age < 400


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres(), reason="relays to PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_database_lost_mid_survey_keeps_earlier_pages_and_takes_the_page_again_after(
    tmp_path, survey_study
):
    settings = connection.settings_dict
    link = CuttableLink((settings["HOST"], int(settings["PORT"])))
    database = f"postgres://{settings['USER']}@127.0.0.1:{link.port}/{settings['NAME']}"
    process, server = start_gunicorn(
        tmp_path, "cut", DATABASE_URL=database, PLACELAB_WEB_WORKERS="1",
        PLACELAB_DB_POOL_TIMEOUT="2",
    )  # fmt: skip
    try:
        invitation = Invitation.objects.get(wave__study=survey_study, participant__key="p01")
        base, about = f"/s/{invitation.token}/", f"/s/{invitation.token}/about/"
        browser = Browser()
        assert browser.post(server.base, base + "consent/", {"agree": "on"})[0] == 302
        csrf = browser.form(server.base, about)

        link.cut()
        answer = {"action": "next", "seniority": "senior"}
        status, headers, page = browser.submit(server.base, about, csrf, answer)
        assert status == 503 and headers["Retry-After"] == "60"
        assert NOT_SAVED in page

        # The respondent waits and presses again: the page is saved, the consent kept.
        link.restore()
        deadline = time.monotonic() + 30
        while status != 302 and time.monotonic() < deadline:
            time.sleep(1)
            status, _, _ = browser.submit(server.base, about, csrf, answer)
        assert status == 302
        saved = Response.objects.get(invitation=invitation)
        assert saved.consented and saved.about["seniority"] == "senior"
    finally:
        stop(process)
        link.cut()


# ---------------------------------------------------------------------------------------------
# A server whose database has gone (production settings)


@pytest.fixture(scope="module")
def lost_database(tmp_path_factory) -> Iterator[Server]:
    """gunicorn with production settings (DEBUG off, collected static files) and a database
    URL whose port nobody listens on."""
    tmp = tmp_path_factory.mktemp("lost-database")
    production = {
        "PLACELAB_DEBUG": "0",
        "PLACELAB_SECRET_KEY": secrets.token_urlsafe(50),
        "PLACELAB_DATA_DIR": str(tmp),
        "PLACELAB_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies sent without TLS.
        "PLACELAB_SSL_REDIRECT": "0",
        "PLACELAB_SECURE_COOKIES": "0",
        "PLACELAB_HSTS_SECONDS": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        "PLACELAB_DB_POOL_TIMEOUT": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "placelab.web.manage", "collectstatic", "--no-input"],
        cwd=ROOT, env={**os.environ, **production}, check=True, capture_output=True,
    )  # fmt: skip
    process, server = start_gunicorn(tmp, "lost", **production)
    yield server
    stop(process)


def test_a_survey_page_that_loses_the_database_says_its_answers_were_not_saved(lost_database):
    token = secrets.token_urlsafe(32)
    status, headers, page = Browser().get(lost_database.base, f"/s/{token}/network-work/")
    assert status == 503
    assert headers["Retry-After"] == "60"
    assert NOT_SAVED in page
    assert "answers saved on earlier pages are kept" in page
    # Styled with the site's own stylesheet, which the server still serves.
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+site\.[^"]+\.css)"', page)[1]
    status, headers, _ = Browser().get(lost_database.base, stylesheet)
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert token not in lost_database.logs()
    assert "/s/…/network-work/" in lost_database.access_log.read_text()


def test_signing_in_without_the_database_says_something_went_wrong(lost_database):
    browser = Browser()
    status, headers, page = browser.post(
        lost_database.base, "/accounts/login/", {"username": "olive", "password": "x" * 12}
    )
    assert status == 503 and headers["Retry-After"] == "60"
    assert "Something went wrong" in page and "wait a minute and try again" in page
    assert NOT_SAVED not in page


def test_health_says_the_database_is_unreachable(lost_database):
    status, _, body = Browser().get(lost_database.base, "/health")
    assert status == 503
    assert '"database": "unreachable' in body and '"ok": false' in body
    assert "postgres://" not in body and "gone" not in body


# ---------------------------------------------------------------------------------------------
# The error handler itself, for errors outside a view (in a middleware, in the template)


def test_the_error_handler_answers_503_for_a_lost_database_and_500_otherwise():
    request = RequestFactory().get("/s/abc/about/")
    try:
        raise OperationalError("the server closed the connection")
    except OperationalError:
        lost = server_error(request)
    try:
        raise ValueError("a bug")
    except ValueError:
        broken = server_error(RequestFactory().get("/studies/"))
    assert lost.status_code == 503 and lost["Retry-After"] == "60"
    assert NOT_SAVED in lost.content.decode()
    assert broken.status_code == 500 and "Retry-After" not in broken
    assert "Something went wrong" in broken.content.decode()
    assert lost["Cache-Control"] == broken["Cache-Control"] == "no-store"


# ---------------------------------------------------------------------------------------------
# Django's own loggers (runserver's django.server, django.request) pass through the same filter


def test_djangos_loggers_write_survey_addresses_without_the_token():
    token = secrets.token_urlsafe(32)
    for name, message, args in (
        ("django.server", '"%s" %s %s', (f"GET /s/{token}/about/ HTTP/1.1", 302, 0)),
        ("django.request", "Not Found: %s", (f"/s/{token}/nowhere/",)),
    ):
        logger = logging.getLogger(name)
        record = logger.makeRecord(name, logging.WARNING, __file__, 1, message, args, None)
        # Where the record goes: up to the root's handlers, each of which filters it.
        assert not logger.handlers and logger.propagate
        handlers = logging.getLogger().handlers
        assert handlers and all(h.filter(record) for h in handlers)
        assert token not in record.getMessage() and "/s/…/" in record.getMessage()
