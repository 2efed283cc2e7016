"""Signing in is limited (django-axes): 10 wrong passwords for one user name from one address
pause that pair for 15 minutes, with a page that says until when; everyone else signs in."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from web.conftest import PASSWORD
from web.test_accessibility import DESK, PHONE, violations

LOGIN = "/accounts/login/"
HERE, THERE = "203.0.113.5", "198.51.100.7"


def sign_in(username: str, password: str, address: str = HERE, **headers):
    return Client(REMOTE_ADDR=address, **headers).post(
        LOGIN, {"username": username, "password": password}
    )


def wrong(username: str, times: int, address: str = HERE, **headers) -> list[int]:
    return [sign_in(username, "not-it", address, **headers).status_code for _ in range(times)]


def test_ten_wrong_passwords_pause_the_account_from_that_address(owner):
    assert wrong("olive_owner", 9) == [200] * 9  # the form again, saying they do not match
    tenth = sign_in("olive_owner", "not-it")

    right = sign_in("olive_owner", PASSWORD)

    assert tenth.status_code == 429
    assert right.status_code == 429, "the right password is refused while paused"
    text = right.content.decode()
    assert "Signing in is paused for this account" in text
    last = AccessAttempt.objects.get(username="olive_owner").attempt_time
    until = timezone.localtime(last + datetime.timedelta(minutes=15)).strftime("%H:%M")
    assert "Try again after <strong><time datetime=" in text and f">{until}</time>" in text
    assert 'rel="stylesheet"' in text  # the site's own styled page, not a bare message
    assert "sessionid" not in right.cookies  # nobody was signed in


def test_another_user_and_the_same_user_elsewhere_are_unaffected(owner, analyst):
    wrong("olive_owner", 10)

    assert sign_in("andy_analyst", PASSWORD)["Location"] == reverse("studies:list")
    assert sign_in("olive_owner", PASSWORD, THERE)["Location"] == reverse("studies:list")


def test_signing_in_before_the_tenth_clears_the_count(owner):
    wrong("olive_owner", 9)
    assert sign_in("olive_owner", PASSWORD).status_code == 302

    assert wrong("olive_owner", 9) == [200] * 9
    assert sign_in("olive_owner", PASSWORD).status_code == 302


def test_after_fifteen_minutes_the_right_password_works_again(owner):
    wrong("olive_owner", 10)
    earlier = timezone.now() - datetime.timedelta(minutes=15, seconds=5)
    AccessAttempt.objects.update(attempt_time=earlier)

    assert sign_in("olive_owner", PASSWORD).status_code == 302


def test_tries_while_paused_do_not_move_the_time_given(owner):
    wrong("olive_owner", 10)
    before = AccessAttempt.objects.get().attempt_time

    wrong("olive_owner", 3)

    assert AccessAttempt.objects.get().attempt_time == before


def test_a_forwarded_address_is_ignored_without_a_proxy(owner):
    for n in range(10):
        sign_in("olive_owner", "not-it", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert sign_in("olive_owner", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_proxy_the_address_it_saw_is_counted(owner, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "placelab.web.login_limits.forwarded_client_ip"
    proxy = "10.0.0.1"
    # A client may put anything first; the proxy adds the address it saw last.
    for n in range(10):
        sign_in("olive_owner", "not-it", proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HERE}")

    assert sign_in("olive_owner", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=HERE).status_code == 429
    elsewhere = sign_in("olive_owner", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=THERE)
    assert elsewhere.status_code == 302


@pytest.mark.parametrize(("behind", "expected"), [("1", "forwarded_client_ip"), ("0", "None")])
def test_the_proxy_setting_decides_whose_address_counts(behind, expected):
    env = {**os.environ, "PLACELAB_DEBUG": "1", "PLACELAB_BEHIND_PROXY": behind}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'placelab.web.settings'; "
        "from django.conf import settings; "
        "print(getattr(settings, 'AXES_CLIENT_IP_CALLABLE', None))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert done.stdout.strip().endswith(expected), done.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_lockout_page_passes_axe_and_leads_back(browser, live_server, owner, viewport):
    page = browser.new_page(viewport=viewport)
    for _ in range(10):
        page.goto(live_server.url + LOGIN)
        page.get_by_label("User name").fill("olive_owner")
        page.get_by_label("Password").fill("not-it")
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Signing in is paused for this account"
    )
    assert not violations(page)
    page.get_by_role("link", name="Back to signing in").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
