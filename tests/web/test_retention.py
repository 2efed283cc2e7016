"""The retention period: the owner is emailed 14 days before a closed wave's answers fall due,
once, and the answers are deleted when due; dates are moved, the email outbox is real."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from placelab.web.studies.models import AnalysisRun, AuditEvent, Nomination, Response, Wave
from placelab.web.studies.services.retention import day, retention_apply, waves_due

DAY = dt.timedelta(days=1)


CLOSED_DAYS_AGO = 60


@pytest.fixture
def kept(study, wave, analysed):
    """The analysed wave, closed 60 days ago, in a study that keeps answers 30 days: the
    moment its answers fall due (30 days ago, at the end of that day)."""
    closes = timezone.localdate() - CLOSED_DAYS_AGO * DAY
    Wave.objects.filter(pk=wave.pk).update(status=Wave.CLOSED, closes=closes)
    study.retention_days = 30
    study.save()
    (due,) = waves_due(study=study)
    assert timezone.localtime(due.due).date() in (closes + 30 * DAY, closes + 31 * DAY)
    return due.due


@pytest.mark.django_db
def test_the_owner_sets_the_period_on_the_data_protection_page(study, owner_client):
    url = reverse("studies:protection", args=[study.pk])
    assert owner_client.post(url, {"days": "0"}).status_code == 200  # refused: at least one day
    owner_client.post(url, {"days": "365"})
    study.refresh_from_db()
    assert study.retention_days == 365
    owner_client.post(url, {"days": ""})
    study.refresh_from_db()
    assert study.retention_days is None
    assert AuditEvent.objects.filter(action=AuditEvent.RETAINED).count() == 2


@pytest.mark.django_db
def test_the_owner_is_told_once_fourteen_days_before_then_the_answers_go(
    kept, study, wave, analysed, mailoutbox
):
    before = retention_apply(now=kept - 15 * DAY)
    assert before.notified == [] and mailoutbox == []

    notice = retention_apply(now=kept - 14 * DAY)
    assert notice.notified == [study] and notice.deleted == []
    (email,) = mailoutbox
    assert email.to == ["olive_owner@example.org"]
    assert day(kept) in email.body and str(wave) in email.body
    assert Response.objects.count() == 11

    again = retention_apply(now=kept - DAY)
    assert again.notified == [] and again.deleted == [] and len(mailoutbox) == 1

    due = retention_apply(now=kept)
    assert due.deleted == [wave]
    assert not Response.objects.exists() and not Nomination.objects.exists()
    assert not AnalysisRun.objects.exists()
    assert study.participants.count() == 12 and study.waves.count() == 1  # roster and wave stay
    event = AuditEvent.objects.get(action=AuditEvent.RETAINED)
    assert "11 responses" in event.detail and event.user is None

    assert retention_apply(now=kept + 100 * DAY).deleted == []  # nothing left to delete
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_late_notice_still_gives_fourteen_days(kept, study, mailoutbox):
    late = kept + 3 * DAY  # the daily command did not run for weeks
    assert retention_apply(now=late).deleted == []
    assert day(late + 14 * DAY) in mailoutbox[0].body
    assert retention_apply(now=late + 13 * DAY).deleted == []
    assert len(retention_apply(now=late + 14 * DAY).deleted) == 1


@pytest.mark.django_db
def test_an_open_wave_and_a_study_without_a_period_keep_their_answers(
    study, wave, analysed, mailoutbox
):
    far = timezone.now() + 10_000 * DAY
    assert retention_apply(now=far).deleted == []  # no period set
    study.retention_days = 1
    study.save()
    assert retention_apply(now=far).deleted == []  # the wave is still open
    assert Response.objects.count() == 11 and mailoutbox == []


@pytest.mark.django_db
def test_changing_the_period_asks_for_a_new_notice(kept, study, owner_client, mailoutbox):
    retention_apply(now=kept - 14 * DAY)
    owner_client.post(reverse("studies:protection", args=[study.pk]), {"days": "31"})
    study.refresh_from_db()
    assert study.retention_notice_sent is None
    retention_apply(now=kept - 13 * DAY)
    assert len(mailoutbox) == 2 and day(kept + DAY) in mailoutbox[1].body


@pytest.mark.django_db
def test_the_daily_command_runs_the_pass(kept, study, capsys, mailoutbox):
    call_command("apply_retention")  # today: 30 days past the due date
    assert "Told 1 owner(s)" in capsys.readouterr().out
    assert len(mailoutbox) == 1
    assert Response.objects.count() == 11  # fourteen days' notice first, even when overdue


@pytest.mark.django_db
def test_the_tab_shows_when_answers_go_and_when_the_owner_was_told(kept, study, owner_client):
    retention_apply(now=kept - 14 * DAY)
    page = owner_client.get(reverse("studies:protection", args=[study.pk])).content.decode()
    assert "Answers due for deletion" in page and day(kept) in page
    assert f"We emailed you about these dates on {day(kept - 14 * DAY)}" in page


@pytest.mark.django_db
def test_a_mail_server_that_is_down_deletes_nothing_and_the_next_pass_tells_the_owner(
    kept, study, settings, mailoutbox
):
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    assert retention_apply(now=kept + 30 * DAY).notified == []  # port 1: connection refused
    study.refresh_from_db()
    assert study.retention_notice_sent is None and Response.objects.count() == 11
    settings.EMAIL_BACKEND = backend
    assert retention_apply(now=kept + 31 * DAY).notified == [study] and len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_period_counts_from_when_the_owner_closed_the_wave_not_its_planned_date(
    study, wave, analysed, owner_client
):
    """Closed a month later than planned: its answers are kept the full period from closing."""
    Wave.objects.filter(pk=wave.pk).update(closes=timezone.localdate() - 30 * DAY)
    study.retention_days = 10
    study.save()
    before = timezone.now()
    owner_client.post(reverse("studies:wave", args=[study.pk, wave.number]), {"action": "close"})
    wave.refresh_from_db()
    assert wave.status == Wave.CLOSED and before <= wave.closed <= timezone.now()

    (due,) = waves_due(study=study)
    assert due.due == wave.closed + 10 * DAY

    owner_client.post(reverse("studies:wave", args=[study.pk, wave.number]), {"action": "reopen"})
    wave.refresh_from_db()
    assert wave.closed is None and waves_due(study=study) == []
