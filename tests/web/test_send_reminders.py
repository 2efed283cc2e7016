"""Reminders: only to sent, active, unsubmitted invitations, at most once every 24 hours.

Time is passed in as ``now`` rather than mocked; the command's own clock is the real one, so
its tests place the invitations relative to it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from web.builders import run_worker
from web.conftest import build_study

from placelab.core.errors import PlacelabError
from placelab.web.studies.management.commands.send_reminders import (
    open_waves,
    remind_wave,
    summary,
)
from placelab.web.studies.models import Invitation, Participant, Response, Wave
from placelab.web.studies.selectors.invitations import survey_link
from placelab.web.studies.services.invitations import reminders_due_get, reminders_send

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def set_up(wave: Wave, now: dt.datetime) -> dict[str, Invitation]:
    """p01, p02 (started) and p08 (last reminded 25 hours ago) are due; nobody else is."""
    invitations = {i.participant.key: i for i in wave.invitations.select_related("participant")}

    def mark(key: str, **fields) -> None:
        Invitation.objects.filter(pk=invitations[key].pk).update(**fields)

    two_days = now - 48 * HOUR
    for key in ("p01", "p02", "p03", "p04", "p09"):
        mark(key, sent=two_days)
    Response.objects.create(invitation=invitations["p02"])
    Response.objects.create(invitation=invitations["p03"], submitted=now - 30 * HOUR)
    mark("p04", revoked=now - 30 * HOUR)
    mark("p06", sent=now - 2 * HOUR)  # invited this morning: too soon
    mark("p07", sent=now - 72 * HOUR, reminded=now - 5 * HOUR, reminders=1)
    mark("p08", sent=now - 72 * HOUR, reminded=now - 25 * HOUR, reminders=1)
    Participant.objects.filter(study_id=wave.study_id, key="p09").update(email="")
    return invitations


def recipients(mailoutbox) -> list[str]:
    return sorted(m.to[0].split("@")[0] for m in mailoutbox)


def test_reminders_go_only_to_sent_active_unsubmitted_invitations(wave, mailoutbox):
    set_up(wave, NOW)
    delivery = reminders_send(wave=wave, now=NOW)
    assert recipients(mailoutbox) == ["p01", "p02", "p08"]
    assert sorted(i.participant.key for i in delivery.sent) == ["p01", "p02", "p08"]


def test_a_reminder_is_counted_and_dated(wave, mailoutbox):
    invitations = set_up(wave, NOW)
    reminders_send(wave=wave, now=NOW)
    p08 = Invitation.objects.get(pk=invitations["p08"].pk)
    assert (p08.reminders, p08.reminded) == (2, NOW)
    p07 = Invitation.objects.get(pk=invitations["p07"].pk)
    assert (p07.reminders, p07.reminded) == (1, NOW - 5 * HOUR)  # untouched


def test_nobody_is_reminded_twice_within_24_hours(wave, mailoutbox):
    set_up(wave, NOW)
    reminders_send(wave=wave, now=NOW)
    assert reminders_send(wave=wave, now=NOW).sent == []
    # 23 hours on, only p06 (invited 25 hours before) and p07 (reminded 28 hours before).
    later = reminders_send(wave=wave, now=NOW + 23 * HOUR)
    assert sorted(i.participant.key for i in later.sent) == ["p06", "p07"]
    day_on = reminders_send(wave=wave, now=NOW + 24 * HOUR)
    assert sorted(i.participant.key for i in day_on.sent) == ["p01", "p02", "p08"]
    assert len(mailoutbox) == 3 + 2 + 3


def test_someone_who_submits_is_not_reminded_again(wave, mailoutbox):
    invitations = set_up(wave, NOW)
    reminders_send(wave=wave, now=NOW)
    Response.objects.filter(invitation=invitations["p02"]).update(submitted=NOW + HOUR)
    later = reminders_send(wave=wave, now=NOW + 25 * HOUR)
    assert "p02" not in [i.participant.key for i in later.sent]


def test_the_reminder_email_says_so_and_carries_the_link(wave, mailoutbox):
    invitations = set_up(wave, NOW)
    reminders_send(wave=wave, now=NOW)
    email = next(m for m in mailoutbox if m.to == ["p01@example.org"])
    assert email.subject.startswith("Reminder:")
    assert survey_link(invitations["p01"].token) in email.body
    assert "personal to you" in email.body


def test_a_wave_that_is_not_open_sends_no_reminders(study, wave, mailoutbox):
    set_up(wave, NOW)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.CLOSED)
    wave.refresh_from_db()
    with pytest.raises(PlacelabError, match="closed"):
        reminders_send(wave=wave, now=NOW)
    assert mailoutbox == []


def test_the_due_list_matches_what_is_sent(wave):
    set_up(wave, NOW)
    due = sorted(i.participant.key for i in reminders_due_get(wave=wave, now=NOW))
    assert due == ["p01", "p02", "p08"]


# The button


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_remind_button_reminds_and_says_who_must_wait(owner_client, wave, mailoutbox):
    set_up(wave, timezone.now())
    address = reverse("studies:invitations_remind", args=[wave.study_id, wave.number])
    response = owner_client.post(address, follow=True)
    text = response.content.decode()
    run_worker()
    assert recipients(mailoutbox) == ["p01", "p02", "p08"]
    assert "3 reminders are going out now" in text
    assert "2 more were contacted in the last 24 hours" in text  # p06 and p07
    assert "at most once every 24 hours" in text


@pytest.mark.parametrize("persona", ["viewer_client", "analyst_client", "outsider_client"])
def test_only_the_owner_can_press_remind(request, persona, wave, mailoutbox):
    set_up(wave, timezone.now())
    address = reverse("studies:invitations_remind", args=[wave.study_id, wave.number])
    assert request.getfixturevalue(persona).post(address).status_code == 404
    assert mailoutbox == []


# The command


def test_open_waves_are_the_only_ones_reminded(study, owner):
    draft = Wave.objects.create(study=study, number=2, status=Wave.DRAFT)
    other = build_study(owner, locality="Elsewhere").waves.get(number=1)
    waves = list(open_waves())
    assert study.waves.get(number=1) in waves and other in waves
    assert draft not in waves


def test_remind_wave_and_its_summary(wave, mailoutbox):
    set_up(wave, NOW)
    delivery = remind_wave(wave, now=NOW)
    assert summary(wave, delivery) == (
        f"secondary education in Riverside (study {wave.study_id}), Wave 1: 3 reminded"
    )


def test_the_command_reminds_every_open_wave(study, wave, owner, mailoutbox):
    other = build_study(owner, locality="Elsewhere").waves.get(number=1)
    closed = build_study(owner, locality="Shut", wave_status=Wave.CLOSED).waves.get(number=1)
    now = timezone.now()
    for each in (wave, other, closed):
        Invitation.objects.filter(wave=each, participant__key="p01").update(sent=now - 48 * HOUR)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert len(mailoutbox) == 2
    assert "Riverside" in out.getvalue() and "Elsewhere" in out.getvalue()
    assert "Shut" not in out.getvalue()
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 2  # run again at once: nobody is reminded twice
