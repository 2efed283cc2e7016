"""The retention period: a study's answers are deleted a set number of days after a wave closes,
and the owner is told first (README, "Data protection"; ``manage.py apply_retention`` daily).

- A wave's answers fall due ``retention_days`` after it was closed (``Wave.closed``); a wave
  closed before that moment was recorded counts from the end of its planned closing date, else
  from the last time anyone saved an answer in it.
  Only closed waves fall due: an open one is still taking answers.
- The owner is emailed once when a wave comes within ``NOTICE`` of falling due
  (``Study.retention_notice_sent``); another email goes only for a wave that notice did not
  cover. Answers are deleted on the due date, or ``NOTICE`` after the email if it went late, so
  the owner always has that long to export or change the setting.
- Deleting removes the wave's responses (answers and nominations) and its analyses with their
  reports and exports; the roster and the wave stay. Each deletion is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from placelab.web.studies.models import AnalysisRun, AuditEvent, Response, Study, Wave
from placelab.web.studies.services.audit import audit_record

logger = logging.getLogger(__name__)
NOTICE = dt.timedelta(days=14)


@dataclass(frozen=True)
class WaveDue:
    wave: Wave
    due: dt.datetime  # when its answers fall due


@dataclass
class RetentionDone:
    notified: list[Study]
    deleted: list[Wave]


def wave_closed_at(wave: Wave) -> dt.datetime | None:
    """When a closed wave closed; for one closed before placelab recorded the moment, the end of
    its planned closing date, else its last saved answer."""
    if wave.status != Wave.CLOSED:
        return None
    if wave.closed is not None:
        return wave.closed
    if wave.closes is not None:
        end = dt.datetime.combine(wave.closes, dt.time.max)
        # In UTC, so that adding days never shifts by a clock change's hour (notice and due
        # dates compare exactly).
        return timezone.make_aware(end, timezone.get_default_timezone()).astimezone(dt.UTC)
    last = Response.objects.filter(invitation__wave=wave).aggregate(last=Max("updated"))["last"]
    return last or wave.created


def day(moment: dt.datetime) -> str:
    """A day as the owner reads it: "31 March 2026", in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def waves_due(*, study: Study) -> list[WaveDue]:
    """The study's closed waves that still hold answers, each with the day they fall due."""
    if study.retention_days is None:
        return []
    held = Response.objects.filter(invitation__wave__study=study).values("invitation__wave")
    found = []
    for wave in study.waves.filter(pk__in=held).order_by("number"):
        closed = wave_closed_at(wave)
        if closed is not None:
            found.append(WaveDue(wave, closed + dt.timedelta(days=study.retention_days)))
    return found


def retention_set(*, study: Study, days: int | None, user) -> None:
    """Change the retention period; a notice already sent spoke of other dates, so it is reset."""
    if days == study.retention_days:
        return
    study.retention_days, study.retention_notice_sent = days, None
    study.save(update_fields=["retention_days", "retention_notice_sent"])
    period = f"{days} days after a wave closes" if days is not None else "none (answers kept)"
    audit_record(user=user, study=study, action=AuditEvent.RETAINED, detail=f"set to {period}")


def retention_apply(*, now: dt.datetime | None = None) -> RetentionDone:
    """The daily pass over every study with a retention period."""
    now = now or timezone.now()
    done = RetentionDone(notified=[], deleted=[])
    for study in Study.objects.filter(retention_days__isnull=False).select_related("owner"):
        coming = [d for d in waves_due(study=study) if d.due - NOTICE <= now]
        if _notify(study, coming, now):
            done.notified.append(study)
        sent = study.retention_notice_sent
        for item in coming:
            if sent is not None and now >= max(item.due, sent + NOTICE):
                wave_answers_delete(wave=item.wave, days=study.retention_days)
                done.deleted.append(item.wave)
    return done


def _notify(study: Study, coming: list[WaveDue], now: dt.datetime) -> bool:
    sent = study.retention_notice_sent
    if not coming or (sent is not None and all(d.due <= sent + NOTICE for d in coming)):
        return False
    # Each wave goes on the later of its due date and the end of the notice.
    lines = [f"- {d.wave}: on {day(max(d.due, now + NOTICE))}" for d in coming]
    try:
        _send_notice(study, lines)
    except OSError:  # smtplib's errors: nothing is recorded, so the next pass tries again
        logger.exception("retention: could not email the owner of study %s", study.pk)
        return False
    Study.objects.filter(pk=study.pk).update(retention_notice_sent=now)
    study.retention_notice_sent = now
    return True


def _send_notice(study: Study, lines: list[str]) -> None:
    link = settings.SITE_URL + reverse("studies:protection", args=[study.pk])
    send_mail(
        subject=f"Answers to {study} will be deleted soon",
        message=(
            f"The retention period of {study} is {study.retention_days} days after a wave "
            f"closes. The answers of these waves will be deleted:\n\n"
            + "\n".join(lines)
            + "\n\nTheir responses, nominations, analyses and reports go; the roster stays. To keep "
            f"them longer, change the retention period, or export what you need first:\n{link}\n"
        ),
        from_email=None,
        recipient_list=[study.owner.email],
    )


def wave_answers_delete(*, wave: Wave, days: int | None) -> int:
    """Delete a wave's responses and analyses at the end of the retention period."""
    with transaction.atomic():
        responses = Response.objects.filter(invitation__wave=wave)
        count = responses.count()
        responses.delete()  # with their answers and nominations
        AnalysisRun.objects.filter(wave=wave).delete()  # with their files
        audit_record(
            user=None, study=wave.study, action=AuditEvent.RETAINED,
            detail=f"deleted the answers of {wave} (wave {wave.number}), {days} days after it "
            f"closed: {count} response{'s' if count != 1 else ''} with the analyses and reports",
        )  # fmt: skip
    logger.info("retention: deleted the answers of wave %s", wave.pk)
    return count
