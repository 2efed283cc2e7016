"""Someone with an account who has forgotten their password chooses a new one from an emailed
link, on the site's own pages (Django's views, our templates); the link works once."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from web.conftest import PASSWORD, make_user
from web.test_accessibility import DESK, PHONE, violations

NEW_PASSWORD = "harbour-lamp-orchard-19"


def _ask(client, email: str):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_the_sign_in_page_offers_a_new_password(client):
    text = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}">Forgotten your password?' in text


@pytest.mark.django_db
def test_an_account_gets_a_link_that_sets_a_new_password_once(client, mailoutbox):
    user = make_user("ruth_reset")

    asked = _ask(client, "Ruth_Reset@example.org")

    assert "Check your email" in asked.content.decode()
    (message,) = mailoutbox
    assert message.to == ["ruth_reset@example.org"]
    assert message.subject == "Choose a new password for placelab"
    assert "the placelab account ruth_reset" in message.body and "&amp;" not in message.body
    link = re.sub(r"^https?://[^/]+", "", _link(message))
    form = client.get(link)["Location"]
    done = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert "This link no longer works" in Client().get(link).content.decode()


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client, mailoutbox):
    make_user("ruth_reset")

    known = _ask(client, "ruth_reset@example.org")
    unknown = _ask(client, "nobody@example.org")

    assert known.redirect_chain == unknown.redirect_chain
    assert [m.to for m in mailoutbox] == [["ruth_reset@example.org"]]


@pytest.mark.django_db
def test_an_invited_colleague_without_a_password_is_not_sent_a_reset_link(client, mailoutbox):
    get_user_model().objects.create_user(username="ivy@example.org", email="ivy@example.org")

    _ask(client, "ivy@example.org")

    assert mailoutbox == []  # Django's rule: their owner sends the invitation again instead


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_new_password_pages_pass_axe(browser, live_server, mailoutbox, viewport):
    make_user("ruth_reset")
    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    found = {"ask": violations(page)}
    page.get_by_label("Email").fill("ruth_reset@example.org")
    page.get_by_role("button", name="Email me a link").click()
    found["check your email"] = violations(page)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", _link(mailoutbox[-1])))
    found["choose"] = violations(page)
    page.get_by_label("New password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation:").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    found["changed"] = violations(page)
    assert page.get_by_role("heading", name="Your password is changed").is_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("User name").fill("ruth_reset")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith(reverse("studies:list"))
    assert not any(found.values()), "\n".join(f"{p}:\n{r}" for p, r in found.items() if r)
