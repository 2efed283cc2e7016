"""The invitations page: create, send, revoke and renew private links; the owner's alone."""

from __future__ import annotations

import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from web.builders import run_worker
from web.conftest import build_study, client_for, on_postgres

from placelab.core.errors import PlacelabError
from placelab.web.studies.models import Invitation, Participant, Response, Wave
from placelab.web.studies.selectors.invitations import invitation_rows_get, survey_link
from placelab.web.studies.services.invitations import (
    invitation_renew,
    invitation_revoke,
    invitations_create,
    invitations_send,
)

SCRIPT = "<script>alert('x')</script>"

# The worker closes database connections between tasks, which would end a test's transaction.
worker_db = pytest.mark.django_db(transaction=True)


class BouncingBackend(LocmemBackend):
    """A mail server that refuses one address and delivers the rest (to the locmem outbox)."""

    def send_messages(self, messages):
        for message in messages:
            if any("bounce" in to for to in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def url(name: str, wave: Wave, *extra) -> str:
    return reverse(f"studies:{name}", args=[wave.study_id, wave.number, *extra])


def owner_pages(wave: Wave, invitation: Invitation) -> list[tuple[str, str]]:
    """Every page and action of this area that only the owner may reach: (method, url)."""
    return [
        ("get", url("invitations", wave)),
        ("post", url("invitations", wave)),
        ("post", url("invitations_send", wave)),
        ("post", url("invitations_remind", wave)),
        ("post", url("invitation_revoke", wave, invitation.pk)),
        ("get", url("outsiders", wave)),
        ("post", url("outsiders", wave)),
    ]


# Access


@pytest.mark.parametrize("persona", ["outsider_client", "viewer_client", "analyst_client"])
def test_nobody_but_the_owner_reaches_any_invitation_page_or_action(
    request, persona, wave, invitation, mailoutbox
):
    client = request.getfixturevalue(persona)
    for method, address in owner_pages(wave, invitation):
        response = getattr(client, method)(address, {"action": "create"})
        assert response.status_code == 404, (method, address)
    invitation.refresh_from_db()
    assert invitation.sent is None and invitation.revoked is None
    assert mailoutbox == []


def test_an_anonymous_visitor_is_sent_to_sign_in(client, wave):
    response = client.get(url("invitations", wave))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_owner_of_another_study_gets_404(study, wave, invitation, outsider):
    build_study(outsider, locality="Elsewhere")
    client = client_for(outsider)
    assert client.get(url("invitations", wave)).status_code == 404
    assert client.post(url("invitation_revoke", wave, invitation.pk)).status_code == 404


def test_an_invitation_of_another_wave_cannot_be_revoked_through_this_one(
    owner_client, study, wave, invitation
):
    other = Wave.objects.create(study=study, number=2)
    response = owner_client.post(url("invitation_revoke", other, invitation.pk))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked is None


def test_send_only_answers_post(owner_client, wave, mailoutbox):
    assert owner_client.get(url("invitations_send", wave)).status_code == 405
    assert mailoutbox == []


# The page


def test_the_page_lists_everyone_with_their_private_link(owner_client, wave, invitation):
    response = owner_client.get(url("invitations", wave))
    assert response.status_code == 200
    page = response.content.decode()
    assert survey_link(invitation.token) in page
    assert page.count('<code class="link"') == 12
    assert "Invited, not sent" in page
    assert "Zoë Ångström" in page


def test_a_name_with_html_shows_as_text(owner_client, study, wave):
    Participant.objects.create(study=study, key="x1", name=SCRIPT, sector="other", layer="public")
    invitations_create(wave=wave)
    page = owner_client.get(url("invitations", wave)).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_statuses_follow_how_far_each_person_got(study, wave):
    now = timezone.now()
    by_key = {i.participant.key: i for i in wave.invitations.select_related("participant")}
    Invitation.objects.filter(pk=by_key["p02"].pk).update(sent=now)
    Invitation.objects.filter(pk=by_key["p03"].pk).update(sent=now, reminded=now, reminders=2)
    Response.objects.create(invitation=by_key["p04"])
    Response.objects.create(invitation=by_key["p05"], submitted=now)
    Invitation.objects.filter(pk=by_key["p06"].pk).update(revoked=now)
    Participant.objects.create(study=study, key="p13", name="New Person", sector="other",
                               layer="public")  # fmt: skip
    status = {row.participant.key: row.status for row in invitation_rows_get(wave=wave)}
    assert status["p01"] == "invited, not sent"
    assert status["p02"] == "sent"
    assert status["p03"] == "reminded"
    assert status["p04"] == "started"
    assert status["p05"] == "submitted"
    assert status["p06"] == "revoked"
    assert status["p13"] == "not invited"


# Creating invitations


def test_creating_invitations_twice_gives_each_person_one(owner_client, study, wave):
    Invitation.objects.filter(wave=wave, participant__key__in=["p01", "p02"]).delete()
    owner_client.post(url("invitations", wave), {"action": "create"})
    owner_client.post(url("invitations", wave), {"action": "create"})
    assert wave.invitations.count() == 12
    assert wave.invitations.values("participant").distinct().count() == 12


def test_people_added_to_the_roster_later_get_theirs_when_pressed_again(study, wave):
    before = {i.participant_id: i.token for i in wave.invitations.all()}
    Participant.objects.create(study=study, key="p13", name="Lee Ma", sector="other",
                               layer="public")  # fmt: skip
    assert invitations_create(wave=wave) == 1
    assert invitations_create(wave=wave) == 0
    after = {i.participant_id: i.token for i in wave.invitations.all()}
    assert len(after) == 13
    assert all(after[pid] == token for pid, token in before.items())  # old links unchanged


def test_a_closed_wave_takes_no_new_invitations(study):
    closed = Wave.objects.create(study=study, number=2, status=Wave.CLOSED)
    with pytest.raises(PlacelabError, match="closed"):
        invitations_create(wave=closed)
    assert closed.invitations.count() == 0


def test_a_draft_wave_can_be_given_its_invitations_before_it_opens(study):
    draft = Wave.objects.create(study=study, number=2, status=Wave.DRAFT)
    assert invitations_create(wave=draft) == 12


# Sending


@worker_db
def test_the_invitation_email_carries_the_private_link_and_explains_itself(
    owner_client, wave, invitation, mailoutbox
):
    owner_client.post(url("invitations_send", wave))
    run_worker()
    email = next(m for m in mailoutbox if m.to == ["p01@example.org"])
    link = survey_link(invitation.token)
    assert link.startswith("http") and invitation.token in link
    assert link in email.body
    assert "secondary education" in email.subject and "Riverside" in email.subject
    assert "Dear Ann Lee" in email.body
    assert "personal to you" in email.body
    assert "How your answers are used" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html


@worker_db
def test_sending_twice_emails_each_person_once(owner_client, wave, mailoutbox):
    page = owner_client.post(url("invitations_send", wave), follow=True).content.decode()
    assert "12 invitations are going out now" in page
    assert mailoutbox == []  # the worker sends them, not the request
    owner_client.post(url("invitations_send", wave))  # pressed again before the worker ran
    run_worker()
    recipients = [m.to[0] for m in mailoutbox]
    assert len(recipients) == 12
    assert len(set(recipients)) == 12
    assert not wave.invitations.filter(sent__isnull=True).exists()


@worker_db
def test_revoked_invitations_and_people_without_email_are_not_emailed(
    owner_client, wave, mailoutbox
):
    by_key = {i.participant.key: i for i in wave.invitations.select_related("participant")}
    invitation_revoke(invitation=by_key["p03"])
    Participant.objects.filter(key="p04").update(email="")
    response = owner_client.post(url("invitations_send", wave), follow=True)
    run_worker()
    assert len(mailoutbox) == 10
    assert {"p03@example.org", "p04@example.org"}.isdisjoint(m.to[0] for m in mailoutbox)
    page = response.content.decode()
    assert "People without an email address" in page
    assert survey_link(by_key["p04"].token) in page
    assert "1 person has no email address: copy their links below." in page


def test_nothing_is_sent_unless_the_wave_is_open(owner_client, study, mailoutbox):
    draft = Wave.objects.create(study=study, number=2, status=Wave.DRAFT)
    invitations_create(wave=draft)
    response = owner_client.post(url("invitations_send", draft), follow=True)
    assert mailoutbox == []
    assert "only while a wave is open" in response.content.decode()
    assert not draft.invitations.filter(sent__isnull=False).exists()


def test_an_email_the_server_refuses_stays_unsent_for_the_next_try(settings, wave, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.BouncingBackend"
    Participant.objects.filter(key="p02").update(email="bounce@example.org")
    delivery = invitations_send(wave=wave)
    assert [i.participant.key for i in delivery.failed] == ["p02"]
    assert len(mail.outbox) == 11
    assert list(wave.invitations.filter(sent__isnull=True).values_list("participant__key",
                                                                       flat=True)) == ["p02"]  # fmt: skip


def test_an_unreachable_mail_server_marks_nothing_sent(settings, wave):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    delivery = invitations_send(wave=wave)
    assert len(delivery.failed) == 12 and delivery.sent == []
    assert not wave.invitations.filter(sent__isnull=False).exists()


# Revoking and renewing


def test_revoking_closes_the_link(owner_client, wave, invitation):
    response = owner_client.post(url("invitation_revoke", wave, invitation.pk))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked is not None
    assert not Invitation.objects.active().filter(token=invitation.token).exists()
    page = owner_client.get(url("invitations", wave)).content.decode()
    assert survey_link(invitation.token) not in page
    assert "Issue a new link" in page


def test_a_revoked_link_opens_nothing_at_the_survey(owner_client, client, wave, invitation):
    """Depends on the survey view (surveys/views.py): it must not open a revoked token."""
    owner_client.post(url("invitation_revoke", wave, invitation.pk))
    response = client.get(reverse("survey:start", args=[invitation.token]))
    assert response.status_code == 404


def test_revoking_twice_changes_nothing_the_second_time(invitation):
    assert invitation_revoke(invitation=invitation) is True
    first = Invitation.objects.get(pk=invitation.pk).revoked
    assert invitation_revoke(invitation=invitation) is False
    assert Invitation.objects.get(pk=invitation.pk).revoked == first


def test_a_new_link_replaces_the_revoked_one_for_good(owner_client, client, wave, invitation):
    old = invitation.token
    Invitation.objects.filter(pk=invitation.pk).update(sent=timezone.now(), reminders=1)
    Response.objects.create(invitation=invitation)
    invitation_revoke(invitation=invitation)
    owner_client.post(url("invitations", wave), {"action": "renew", "invitation": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.token != old and invitation.revoked is None
    assert invitation.sent is None and invitation.reminders == 0  # Send emails the new link
    assert Response.objects.filter(invitation=invitation).exists()  # saved answers are kept
    assert not Invitation.objects.filter(token=old).exists()
    # Depends on the survey view: the old link stays dead.
    assert client.get(reverse("survey:start", args=[old])).status_code == 404


def test_an_active_invitation_is_not_renewed(invitation):
    old = invitation.token
    assert invitation_renew(invitation=invitation) is False
    invitation.refresh_from_db()
    assert invitation.token == old


@pytest.mark.skipif(
    not on_postgres(),
    reason="SQLite's shared in-memory test database locks whole tables across threads: "
    "the sequential case is test_sending_twice_emails_each_person_once",
)
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_email_each_person_once(owner):
    """Two presses racing in two threads (two database connections): each row is won once."""
    wave = build_study(owner).waves.get(number=1)
    barrier = threading.Barrier(2)
    results = []

    def press() -> None:
        try:
            barrier.wait()
            results.append(invitations_send(wave=wave))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(set(recipients)) and len(recipients) == 12
    assert sum(len(r.sent) for r in results) == 12


@worker_db
def test_a_wave_closed_before_the_worker_runs_sends_nothing(owner_client, wave, mailoutbox):
    owner_client.post(url("invitations_send", wave))
    Wave.objects.filter(pk=wave.pk).update(status=Wave.CLOSED)
    run_worker()
    assert mailoutbox == []
    assert not wave.invitations.filter(sent__isnull=False).exists()
