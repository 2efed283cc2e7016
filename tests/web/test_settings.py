"""Settings come from the environment, fail loudly on a bad value, and are safe by default."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

PRODUCTION = {
    "PLACELAB_SECRET_KEY": secrets.token_urlsafe(50),
    "PLACELAB_ALLOWED_HOSTS": "placelab.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with only the given placelab variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PLACELAB_", "DATABASE_", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "placelab.web.manage", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_defaults_are_safe():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.EMAIL_BACKEND.rsplit('.', 2)[-2])"
    )
    done = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert done.stdout.split() == ["False", "True", "True", "True", "True", "console"], done.stderr


def test_production_redirects_to_https_except_the_health_check(tmp_path):
    """A load balancer probes /health over plain HTTP inside its network; pages go to HTTPS."""
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='placelab.example.org'); "
        "print(c.get('/health').status_code, c.get('/studies/').status_code)"
    )
    done = manage(
        "shell", "--no-imports", "-c", code, PLACELAB_DATA_DIR=str(tmp_path), **PRODUCTION
    )
    health, page = done.stdout.split()
    assert health in {"200", "503"}, done.stderr  # answered: no worker beats in this test
    assert page == "301"


def test_a_missing_secret_key_stops_the_app_with_a_message():
    done = manage("check", PLACELAB_ALLOWED_HOSTS="placelab.example.org")
    assert done.returncode != 0
    assert "PLACELAB_SECRET_KEY is not set" in done.stderr


def test_a_short_secret_key_stops_the_app_rather_than_warning():
    done = manage(
        "check", PLACELAB_SECRET_KEY="short", PLACELAB_ALLOWED_HOSTS="placelab.example.org"
    )
    assert done.returncode != 0
    assert "PLACELAB_SECRET_KEY is too short" in done.stderr


def test_a_bad_boolean_is_refused_not_guessed():
    done = manage("check", PLACELAB_DEBUG="maybe")
    assert done.returncode != 0
    assert "PLACELAB_DEBUG='maybe'" in done.stderr


def test_database_url_switches_to_postgresql_and_email_host_to_smtp():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.EMAIL_BACKEND)"
    )
    done = manage(
        "shell", "--no-imports", "-c", code, PLACELAB_DEBUG="1", PLACELAB_EMAIL_HOST="smtp.example.org",
        DATABASE_URL="postgres://someone@db.example.org:5432/placelab",
    )  # fmt: skip
    assert done.stdout.split() == [
        "django.db.backends.postgresql",
        "placelab",
        "django.core.mail.backends.smtp.EmailBackend",
    ], done.stderr
