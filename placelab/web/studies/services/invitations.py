"""Inviting a wave's participants: create the links, email them, remind, revoke, renew.

Emails leave one at a time, each after its invitation is *claimed* by a conditional UPDATE
(``... WHERE sent IS NULL``) that only one request can win, so pressing Send twice, or Send and
the reminder command at once, never emails anyone twice. A claim whose email fails is released.
Nothing is sent inside a transaction: on SQLite a transaction holds the database's write lock,
and respondents saving answers must not wait for a mail server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from placelab.core.errors import PlacelabError
from placelab.web.studies.models import (
    Invitation,
    Organisation,
    Participant,
    Study,
    Wave,
    new_token,
)
from placelab.web.studies.selectors.invitations import survey_link
from placelab.web.studies.services.roster import PersonFields, participant_create

# Nobody hears from us more than once in this long (their invitation counts as hearing).
REMIND_EVERY = dt.timedelta(hours=24)
INVITATION = "invitation"
REMINDER = "reminder"


@dataclass
class Delivery:
    """What one press of Send or Remind did."""

    sent: list[Invitation] = field(default_factory=list)
    failed: list[Invitation] = field(default_factory=list)
    # Claimed meanwhile by another request (a second press, the reminder command).
    skipped: int = 0


def _require_open(wave: Wave) -> None:
    if not wave.is_open:
        raise PlacelabError(
            f"{wave} is {wave.get_status_display().lower()}: emails go out only while a wave "
            "is open."
        )


def invitations_create(*, wave: Wave) -> int:
    """Give everyone on the roster without an invitation to ``wave`` one; returns how many.

    Safe to repeat: the unique (wave, participant) constraint keeps it one each, and people
    added to the roster since the last press get theirs.
    """
    if wave.status == Wave.CLOSED:
        raise PlacelabError(f"{wave} is closed: it takes no new invitations.")
    with transaction.atomic():
        have = Invitation.objects.filter(wave=wave).values("participant_id")
        # Someone who withdrew is never invited again (services.erasure).
        current = Participant.objects.current().filter(study_id=wave.study_id)
        missing = current.exclude(pk__in=have)
        before = Invitation.objects.filter(wave=wave).count()
        # A second press at the same moment adds nothing: conflicts are ignored, not raised.
        Invitation.objects.bulk_create(
            [Invitation(wave=wave, participant=p) for p in missing], ignore_conflicts=True
        )
        return Invitation.objects.filter(wave=wave).count() - before


def invitation_revoke(*, invitation: Invitation, now: dt.datetime | None = None) -> bool:
    """Close the invitation's link for good; False if it was already revoked."""
    with transaction.atomic():
        changed = Invitation.objects.filter(pk=invitation.pk, revoked__isnull=True).update(
            revoked=now or timezone.now()
        )
    return changed == 1


def invitation_renew(*, invitation: Invitation) -> bool:
    """Give a revoked invitation a fresh link; the old link stays dead for ever.

    The new token replaces the old one, so nothing can open the revoked link again; the
    invitation counts as not sent, so Send emails the new link. Answers already saved stay
    with the participant and the new link resumes them. False if it was not revoked.
    """
    with transaction.atomic():
        changed = Invitation.objects.filter(pk=invitation.pk, revoked__isnull=False).update(
            token=new_token(), revoked=None, sent=None, reminded=None, reminders=0
        )
    return changed == 1


def unsent_get(*, wave: Wave) -> QuerySet[Invitation]:
    """Active invitations not yet emailed, to people with an email address."""
    return (
        Invitation.objects.active()
        .filter(wave=wave, sent__isnull=True)
        .exclude(participant__email="")
        .select_related("participant", "wave__study__owner")
        .order_by("pk")
    )


def without_email_get(*, wave: Wave) -> QuerySet[Invitation]:
    """Active invitations whose participant has no email address: their links are copied."""
    return (
        Invitation.objects.active()
        .filter(wave=wave, participant__email="")
        .select_related("participant")
        .order_by("participant__name", "participant__key")
    )


def emails_request(*, wave: Wave, kind: str, now: dt.datetime | None = None) -> int:
    """Queue the emailing of a wave's unsent invitations or due reminders for the worker;
    returns how many are due now. Nothing is queued when none are."""
    _require_open(wave)
    now = now or timezone.now()
    due = unsent_get(wave=wave) if kind == INVITATION else reminders_due_get(wave=wave, now=now)
    count = due.count()
    if count:
        from placelab.web.studies.tasks import deliver_emails  # tasks imports this module

        deliver_emails.enqueue(wave.pk, kind)
    return count


def invitations_send(*, wave: Wave, now: dt.datetime | None = None) -> Delivery:
    """Email every active invitation with an address that has not been sent yet."""
    _require_open(wave)
    now = now or timezone.now()

    def claim(inv: Invitation) -> bool:
        unsent = Invitation.objects.filter(pk=inv.pk, sent__isnull=True, revoked__isnull=True)
        return unsent.update(sent=now) == 1

    def release(inv: Invitation) -> None:
        Invitation.objects.filter(pk=inv.pk, sent=now).update(sent=None)

    return _deliver(list(unsent_get(wave=wave)), kind=INVITATION, claim=claim, release=release)


def _quiet_since(cutoff: dt.datetime) -> Q:
    """Not contacted after ``cutoff``: sent before it and not reminded after it."""
    return Q(sent__lte=cutoff) & (Q(reminded__isnull=True) | Q(reminded__lte=cutoff))


def _unanswered() -> Q:
    return Q(response__isnull=True) | Q(response__submitted__isnull=True)


def reminders_due_get(
    *, wave: Wave, now: dt.datetime, every: dt.timedelta = REMIND_EVERY
) -> QuerySet[Invitation]:
    """Sent, active invitations, not submitted, whose person was last contacted ``every`` ago."""
    return (
        Invitation.objects.active()
        .filter(wave=wave)
        .filter(_quiet_since(now - every), _unanswered())
        .exclude(participant__email="")
        .select_related("participant", "wave__study__owner")
        .order_by("pk")
    )


def reminders_waiting_count(
    *, wave: Wave, now: dt.datetime, every: dt.timedelta = REMIND_EVERY
) -> int:
    """Sent and not submitted, but contacted too recently to be reminded yet."""
    pending = Invitation.objects.active().filter(wave=wave, sent__isnull=False)
    pending = pending.filter(_unanswered()).exclude(participant__email="")
    return pending.count() - reminders_due_get(wave=wave, now=now, every=every).count()


def reminders_send(
    *, wave: Wave, now: dt.datetime | None = None, every: dt.timedelta = REMIND_EVERY
) -> Delivery:
    """Remind those who were sent a link and have not submitted, at most once per ``every``."""
    _require_open(wave)
    now = now or timezone.now()

    def claim(inv: Invitation) -> bool:
        due = Invitation.objects.filter(pk=inv.pk, revoked__isnull=True)
        due = due.filter(_quiet_since(now - every), _unanswered())
        return due.update(reminded=now, reminders=F("reminders") + 1) == 1

    def release(inv: Invitation) -> None:
        Invitation.objects.filter(pk=inv.pk, reminded=now).update(
            reminded=inv.reminded, reminders=F("reminders") - 1
        )

    due = list(reminders_due_get(wave=wave, now=now, every=every))
    return _deliver(due, kind=REMINDER, claim=claim, release=release)


def _deliver(
    invitations: list[Invitation],
    *,
    kind: str,
    claim: Callable[[Invitation], bool],
    release: Callable[[Invitation], None],
) -> Delivery:
    delivery = Delivery()
    connection = mail.get_connection()
    try:
        connection.open()
    except OSError:
        delivery.failed.extend(invitations)
        return delivery
    try:
        for invitation in invitations:
            if not claim(invitation):
                delivery.skipped += 1
                continue
            try:
                invitation_email(invitation=invitation, kind=kind, connection=connection).send()
            except OSError:  # smtplib's errors are OSErrors; the claim is given back
                release(invitation)
                delivery.failed.append(invitation)
            else:
                delivery.sent.append(invitation)
    finally:
        connection.close()
    return delivery


def invitation_email(
    *, invitation: Invitation, kind: str = INVITATION, connection=None
) -> mail.EmailMultiAlternatives:
    """The email for one invitation: plain text, with an HTML alternative."""
    study = invitation.wave.study
    context = {
        "study": study,
        "wave": invitation.wave,
        "participant": invitation.participant,
        "link": survey_link(invitation.token),
        "reminder": kind == REMINDER,
    }
    subject = " ".join(render_to_string(f"email/{kind}_subject.txt", context).split())
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.participant.email],
        reply_to=[study.owner.email] if study.owner.email else None,
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"email/{kind}.html", context), "text/html")
    return message


def outsider_add(
    *,
    study: Study,
    key: str,
    name: str,
    email: str = "",
    organisation: Organisation | None = None,
    sector: str = "",
    layer: str = "",
) -> Participant:
    """Put someone respondents named off the list on the roster, for the next wave.

    Sector and layer default to their organisation's. The roster's own service saves them, so
    the rules for a participant live in one place; a clash of keys comes back as its
    ``ValidationError`` on ``key``.
    """
    if organisation is not None and organisation.study_id != study.pk:
        raise PlacelabError("That organisation belongs to another study.")
    sector = sector or (organisation.sector if organisation else "")
    layer = layer or (organisation.layer if organisation else "")
    if not sector or not layer:
        raise PlacelabError("Choose an organisation, or give a sector and a layer.")
    person = PersonFields(
        key=key, name=name, email=email, sector=sector, layer=layer, seniority="",
        attributes={}, organisation=organisation,
    )  # fmt: skip
    return participant_create(study=study, person=person)
