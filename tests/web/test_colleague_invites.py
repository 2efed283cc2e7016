"""The owner gives colleagues access by email (issue 11): an address with no account gets one
and a link to set a password (single-use, expiring); everyone is told; the owner's page answers
alike whether or not an account existed."""

from __future__ import annotations

import csv
import datetime
import re
import socket

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from small_study import SMALL_PEOPLE
from web.conftest import client_for, make_user
from web.test_accessibility import PHONE, violations

from placelab.web.studies.models import AuditEvent, Membership
from placelab.web.studies.selectors.results import pseudonyms
from placelab.web.studies.services.access import InvitationTokens

NEW = "new.colleague@example.org"
NEW_PASSWORD = "river-bank-lantern-42"
NAMES = [row["name"] for row in csv.DictReader(SMALL_PEOPLE.splitlines())]
Users = get_user_model()


def _access(study) -> str:
    return reverse("studies:access", args=[study.pk])


def _grant(client, study, email: str, role: str = "viewer"):
    return client.post(_access(study), {"email": email, "role": role}, follow=True)


def _said(response, email: str) -> list[str]:
    return [str(m).replace(email, "EMAIL") for m in response.context["messages"]]


def _rows(html: str) -> dict[str, tuple[str, str]]:
    """The access table as a reader sees it: each address with its role and its status, the
    date taken out."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], flags=re.S):
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
                 for c in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]  # fmt: skip
        rows[cells[0].split()[0]] = (cells[1], re.sub(r" ?\d+ \w+ \d{4}", "", cells[2]))
    return rows


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/invited/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def _set_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the emailed link as Django's page wants (it moves the token into the session),
    then set the password; returns the answer to the form."""
    opened = client.get(_path(link))
    assert opened.status_code == 302, opened.status_code
    form = opened["Location"]
    return client.post(form, {"new_password1": password, "new_password2": password})


# --- an address with no account, and one with -------------------------------------------------


def test_a_new_address_gets_an_account_without_a_password_and_a_link_to_set_one(
    owner_client, study, mailoutbox, settings
):
    response = _grant(owner_client, study, NEW, "viewer")

    user = Users.objects.get(email=NEW)
    assert user.get_username() == NEW and not user.has_usable_password()
    assert Membership.objects.get(study=study, user=user).role == Membership.VIEWER
    assert _said(response, NEW) == [
        "We've emailed EMAIL: they have viewer access to this study once they sign in."
    ]
    (message,) = mailoutbox
    assert message.to == [NEW] and message.reply_to == ["olive_owner@example.org"]
    assert message.subject == "olive_owner has given you access to the study of secondary " \
        "education in Riverside"  # fmt: skip
    assert "olive_owner (olive_owner@example.org) has given you viewer access" in message.body
    assert "names replaced by codes" in message.body
    assert "This link works once, for 3 days" in message.body
    assert _link(message).startswith(settings.SITE_URL + "/accounts/invited/")
    html = message.alternatives[0][0]
    assert _link(message).replace("&", "&amp;") in html and "Set your password" in html


def test_an_existing_account_is_given_the_role_and_sent_to_the_study(
    owner_client, study, mailoutbox, settings
):
    newcomer = make_user("newcomer")

    _grant(owner_client, study, "NewComer@Example.org", "analyst")

    assert Users.objects.filter(email__iexact="newcomer@example.org").count() == 1
    assert Membership.objects.get(study=study, user=newcomer).role == Membership.ANALYST
    (message,) = mailoutbox
    assert message.to == ["newcomer@example.org"]
    assert "has given you analyst access" in message.body
    assert "sees the results with people's names" in message.body
    assert settings.SITE_URL + reverse("studies:detail", args=[study.pk]) in message.body
    assert "sign in with your user name, newcomer" in message.body
    assert "/accounts/invited/" not in message.body  # they have a password already


def test_the_answer_and_the_table_are_the_same_whether_or_not_the_account_existed(
    owner_client, study, mailoutbox
):
    make_user("newcomer")

    known = _grant(owner_client, study, "newcomer@example.org")
    unknown = _grant(owner_client, study, NEW)

    assert _said(known, "newcomer@example.org") == _said(unknown, NEW)
    assert known.redirect_chain == unknown.redirect_chain
    rows = _rows(unknown.content.decode())
    assert rows["newcomer@example.org"] == rows[NEW] == ("Viewer", "Invited, not yet signed in")
    assert len(mailoutbox) == 2


def test_an_invited_colleague_shows_as_active_once_they_sign_in(owner_client, study):
    newcomer = make_user("newcomer")
    _grant(owner_client, study, "newcomer@example.org")

    client_for(newcomer)  # signs in: last_login moves past the grant

    text = owner_client.get(_access(study)).content.decode()
    assert _rows(text)["newcomer@example.org"] == ("Viewer", "Active, since")
    assert "Send the invitation to newcomer@example.org again" not in text


def test_granting_again_changes_the_role_and_says_so(owner_client, study, mailoutbox):
    _grant(owner_client, study, NEW, "viewer")

    response = _grant(owner_client, study, NEW, "analyst")

    assert _said(response, NEW) == ["We've emailed EMAIL: their access is now analyst."]
    assert Membership.objects.get(study=study, user__email=NEW).role == Membership.ANALYST
    assert Users.objects.filter(email=NEW).count() == 1
    assert mailoutbox[1].subject.endswith("in Riverside is now analyst")
    assert "you are now an analyst" in mailoutbox[1].body
    assert "/accounts/invited/" in mailoutbox[1].body  # still no password: the link again


def test_the_owners_own_address_and_a_bad_address_are_refused_and_change_nothing(
    owner_client, study, mailoutbox
):
    before = set(Membership.objects.values_list("pk", "role"))

    own = _grant(owner_client, study, "Olive_Owner@example.org")
    bad = _grant(owner_client, study, "not an address")

    assert "owner" in " ".join(own.context["form"].errors["email"])
    assert "valid email" in " ".join(bad.context["form"].errors["email"])
    assert set(Membership.objects.values_list("pk", "role")) == before
    assert not Users.objects.filter(email=NEW).exists() and mailoutbox == []


def test_a_new_accounts_user_name_is_the_address_in_lower_case(owner_client, study):
    _grant(owner_client, study, "Ada.Lovelace@Example.ORG")

    user = Users.objects.get(email__iexact="ada.lovelace@example.org")
    assert user.get_username() == "ada.lovelace@example.org"


def test_a_user_name_taken_by_another_account_gets_a_derived_one(owner_client, study):
    Users.objects.create_user(username=NEW, email="someone.else@example.org")

    _grant(owner_client, study, NEW)

    assert Users.objects.get(email=NEW).get_username() == "new.colleague-2"


# --- the emailed link: single-use, expiring, then the study -----------------------------------


def test_the_link_sets_a_password_signs_them_in_and_opens_the_study(
    owner_client, study, mailoutbox, client
):
    _grant(owner_client, study, NEW, "viewer")

    response = _set_password(client, _link(mailoutbox[0]))

    assert response["Location"] == reverse("studies:detail", args=[study.pk])
    assert client.get(response["Location"]).status_code == 200
    user = Users.objects.get(email=NEW)
    assert user.check_password(NEW_PASSWORD) and user.last_login is not None


def test_the_link_works_once(owner_client, study, mailoutbox, client):
    _grant(owner_client, study, NEW)
    link = _link(mailoutbox[0])
    _set_password(client, link)

    again = Client().get(_path(link))

    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()
    assert Users.objects.get(email=NEW).check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("after", "works"),
    [(datetime.timedelta(days=2, hours=23), True), (datetime.timedelta(days=3, minutes=1), False)],
    ids=["within-3-days", "after-3-days"],
)
def test_the_link_runs_out_after_three_days(
    owner_client, study, mailoutbox, client, monkeypatch, after, works
):
    _grant(owner_client, study, NEW)
    later = datetime.datetime.now() + after
    monkeypatch.setattr(InvitationTokens, "_now", lambda self: later)  # the clock, not our code

    opened = client.get(_path(_link(mailoutbox[0])))

    assert (opened.status_code == 302) is works
    if not works:
        assert "This link no longer works" in opened.content.decode()


def test_a_reset_link_of_another_kind_does_not_open_the_invitation_page(
    owner_client, study, client
):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _grant(owner_client, study, NEW)
    user = Users.objects.get(email=NEW)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    opened = client.get(reverse("invitation_accept", args=[study.pk, uid, token]))

    assert "This link no longer works" in opened.content.decode()


def test_a_weak_password_is_refused_with_the_reason(owner_client, study, mailoutbox, client):
    _grant(owner_client, study, NEW)

    response = _set_password(client, _link(mailoutbox[0]), password="12345678")

    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    assert not Users.objects.get(email=NEW).has_usable_password()


# --- send again, take away --------------------------------------------------------------------


def test_send_again_emails_a_fresh_link_and_the_first_still_works_until_used(
    owner_client, study, mailoutbox, client
):
    _grant(owner_client, study, NEW)
    membership = Membership.objects.get(study=study, user__email=NEW)

    response = owner_client.post(
        reverse("studies:access_resend", args=[study.pk, membership.pk]), follow=True
    )

    assert _said(response, NEW) == ["We've emailed EMAIL again."]
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [NEW]
    first, second = _link(mailoutbox[0]), _link(mailoutbox[1])
    _set_password(client, second)
    assert "This link no longer works" in Client().get(_path(first)).content.decode()


def test_taking_access_away_tells_them_and_removes_an_account_never_used(
    owner_client, study, mailoutbox
):
    _grant(owner_client, study, NEW)
    link = _link(mailoutbox[0])
    membership = Membership.objects.get(study=study, user__email=NEW)

    response = owner_client.post(
        reverse("studies:access_revoke", args=[study.pk, membership.pk]), follow=True
    )

    assert _said(response, NEW) == ["EMAIL no longer has access to this study; we've told them."]
    assert not Users.objects.filter(email=NEW).exists()
    assert mailoutbox[1].to == [NEW] and "has taken away your viewer access" in mailoutbox[1].body
    assert "/accounts/invited/" not in mailoutbox[1].body
    assert "This link no longer works" in Client().get(_path(link)).content.decode()


def test_taking_access_away_keeps_an_account_that_was_in_use(owner_client, study, mailoutbox):
    membership = study.memberships.get(role=Membership.ANALYST)

    owner_client.post(reverse("studies:access_revoke", args=[study.pk, membership.pk]))

    assert Users.objects.filter(username="andy_analyst").exists()
    assert mailoutbox[0].to == ["andy_analyst@example.org"]
    assert mailoutbox[0].subject.endswith("has ended")


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client", "outsider_client"])
def test_only_the_owner_sends_again(request, study, persona, mailoutbox):
    client = request.getfixturevalue(persona)
    membership = study.memberships.get(role=Membership.VIEWER)

    response = client.post(reverse("studies:access_resend", args=[study.pk, membership.pk]))

    assert response.status_code == 404 and mailoutbox == []


def test_a_mail_server_that_does_not_answer_leaves_the_access_and_says_so(
    owner_client, study, settings
):
    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False

    response = _grant(owner_client, study, NEW)

    assert _said(response, NEW)[0].startswith("EMAIL has viewer access, but the email could not")
    assert Membership.objects.filter(study=study, user__email=NEW).exists()
    assert "Send again" in response.content.decode()


def test_giving_and_taking_access_is_in_the_audit_log_by_address(owner_client, study):
    _grant(owner_client, study, NEW)
    membership = Membership.objects.get(study=study, user__email=NEW)
    owner_client.post(reverse("studies:access_revoke", args=[study.pk, membership.pk]))

    lines = list(
        AuditEvent.objects.filter(study=study).order_by("at", "pk").values_list("detail", flat=True)
    )
    assert lines == [f"Gave {NEW} viewer access", f"Took away {NEW}'s viewer access"]


# --- in a browser: the colleague opens the email on a phone -------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_invited_viewer_sets_a_password_and_sees_pseudonyms_not_names(
    live_server, browser, owner, analysed, study, mailoutbox, settings
):
    from playwright.sync_api import expect
    from web.test_browser_flow import sign_in

    settings.SITE_URL = live_server.url
    desk = browser.new_page()
    sign_in(desk, live_server.url, owner.username)
    desk.goto(live_server.url + _access(study))
    desk.get_by_label("Their email address").fill(NEW)
    desk.get_by_role("radio", name=re.compile("^Viewer")).check()
    desk.get_by_role("button", name="Give access and email them").click()
    expect(desk.get_by_text(f"We've emailed {NEW}")).to_be_visible()
    expect(desk.get_by_role("row", name=re.compile(re.escape(NEW)))).to_contain_text("Invited")

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(_link(mailoutbox[-1]))
    expect(phone.get_by_role("heading", name="Set your password")).to_be_visible()
    assert not violations(phone), "the set-password page"
    phone.get_by_label("New password:", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Set my password and open the study").click()
    expect(phone.get_by_text("Your password is set and you are signed in.")).to_be_visible()
    assert phone.url.endswith(reverse("studies:detail", args=[study.pk]))

    phone.goto(live_server.url + reverse("studies:analysis", args=[study.pk, 1]) + "?network=work")
    shown = phone.locator("main").inner_text()
    assert not [name for name in NAMES if name in shown]
    assert any(code in shown for code in pseudonyms(study).values())

    desk.reload()
    expect(desk.get_by_role("row", name=re.compile(re.escape(NEW)))).to_contain_text("Active")
    spent = browser.new_context(viewport=PHONE).new_page()
    spent.goto(_link(mailoutbox[-1]))
    expect(spent.get_by_role("heading", name="This link no longer works")).to_be_visible()
    assert not violations(spent), "the spent link's page"
