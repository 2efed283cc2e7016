"""Inviting a wave's participants: create the links, email them, remind, revoke, renew.

Emails leave one at a time, each after its invitation is *claimed* by a conditional UPDATE
(``... WHERE sent IS NULL``) that only one request can win, so pressing Send twice, or Send and
the reminder command at once, never emails anyone twice. A claim whose email fails is released.
Nothing is sent inside a transaction: on SQLite a transaction holds the database's write lock,
and respondents saving answers must not wait for a mail server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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
REMIND_EVERY_HOURS = int(REMIND_EVERY.total_seconds() // 3600)
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
        .filter(_unsent(), wave=wave)
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


# Who is emailed, as conditions on a wave's active invitations: one definition for the lists the
# worker emails and for the counts the invitations page shows (one aggregate query).
def _has_email() -> Q:
    return ~Q(participant__email="")


def _unsent() -> Q:
    return Q(sent__isnull=True) & _has_email()


def _due(now: dt.datetime, every: dt.timedelta) -> Q:
    """Sent, not submitted, and last contacted ``every`` ago or more."""
    return _quiet_since(now - every) & _unanswered() & _has_email()


def _awaiting() -> Q:
    """Sent and not submitted: reminded now or, if contacted too recently, later."""
    return Q(sent__isnull=False) & _unanswered() & _has_email()


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
        .filter(_due(now, every), wave=wave)
        .select_related("participant", "wave__study__owner")
        .order_by("pk")
    )


def reminders_waiting_count(
    *, wave: Wave, now: dt.datetime, every: dt.timedelta = REMIND_EVERY
) -> int:
    """Sent and not submitted, but contacted too recently to be reminded yet."""
    counts = (
        Invitation.objects.active()
        .filter(wave=wave)
        .aggregate(
            awaiting=Count("pk", filter=_awaiting()), due=Count("pk", filter=_due(now, every))
        )
    )
    return counts["awaiting"] - counts["due"]


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
    """The email for one invitation: plain text, with an HTML alternative. An invitation uses
    the study's own wording when it has one; a reminder always the standard one."""
    study = invitation.wave.study
    subject, body, html = _wording(invitation, kind)
    message = mail.EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.participant.email],
        reply_to=[study.owner.email] if study.owner.email else None,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def _wording(invitation: Invitation, kind: str) -> tuple[str, str, str]:
    """Subject, text and HTML: the study's own where it has them (invitations only)."""
    study = invitation.wave.study
    values = wording_values(invitation=invitation)
    standard = _standard_context(invitation, reminder=kind == REMINDER)
    if kind == INVITATION and study.invitation_subject.strip():
        subject = wording_fill(study.invitation_subject, values)
    else:
        subject = render_to_string(f"email/{kind}_subject.txt", standard)
    if kind == INVITATION and study.invitation_text.strip():
        text = study.invitation_text
        return subject, wording_fill(text, values), _own_html(text, values, subject)
    body = render_to_string(f"email/{kind}.txt", standard)
    return subject, body, render_to_string(f"email/{kind}.html", standard)


def _standard_context(invitation: Invitation, *, reminder: bool = False) -> dict:
    values = wording_values(invitation=invitation)
    return {
        "study": invitation.wave.study, "wave": invitation.wave,
        "participant": invitation.participant, "study_name": values["study"],
        "closes": values["closes"], "link": values["link"], "reminder": reminder,
    }  # fmt: skip


# The invitation's own wording (Study.invitation_subject and invitation_text): plain text in
# which these placeholders are filled for each person. Anything else in braces is refused, so a
# typing slip never reaches 10,000 inboxes as "{nmae}".
PLACEHOLDERS = {
    "name": "the person's name as on the roster (“colleague” when it has none)",
    "study": "what the study is of, e.g. “secondary education in Riverside”",
    "closes": "the date the survey closes, e.g. “31 March 2027” (empty if the wave has no date)",
    "link": "the person's private link to the survey: the text must contain it",
}
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
NO_NAME = "colleague"


def wording_values(*, invitation: Invitation) -> dict[str, str]:
    """What each placeholder stands for in ``invitation``'s email."""
    wave = invitation.wave
    return {
        "name": invitation.participant.name or NO_NAME,
        "study": str(wave.study),
        "closes": dateformat.format(wave.closes, "j F Y") if wave.closes else "",
        "link": survey_link(invitation.token),
    }


def wording_problems(text: str, *, subject: bool = False) -> list[str]:
    """What is wrong with an owner's wording, in words; empty when it can be sent.

    The text must carry ``{link}``: without it the person could not reach the survey, so
    wording without it is refused rather than the link quietly added somewhere.
    """
    used = PLACEHOLDER.findall(text)
    known = ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)
    problems = [
        f"{{{name}}} is not a placeholder we can fill: use {known}."
        for name in dict.fromkeys(used) if name not in PLACEHOLDERS
    ]  # fmt: skip
    if subject and "link" in used:
        problems.append("The private link belongs in the text, not the subject.")
    if not subject and text.strip() and "link" not in used:
        problems.append(
            "Put {link} where the person's private link should go: without it they cannot "
            "open the survey."
        )
    return problems


def wording_fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced by its value (anything else left as it is)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _own_html(text: str, values: dict[str, str], subject: str) -> str:
    """The HTML alternative of the owner's text: their paragraphs, every character of theirs
    and of the roster escaped, and the link made a link."""
    safe = {key: conditional_escape(value) for key, value in values.items()}
    safe["link"] = format_html(
        '<a href="{}" style="color: #0b5cad; word-break: break-all;">{}</a>',
        values["link"], values["link"],
    )  # fmt: skip
    paragraphs = [
        mark_safe(wording_fill(str(conditional_escape(part.strip())), safe).replace("\n", "<br>"))
        for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()
    ]  # fmt: skip
    return render_to_string(
        "email/invitation_own.html", {"paragraphs": paragraphs, "subject": subject}
    )


def standard_wording(*, wave: Wave) -> tuple[str, str]:
    """Today's standard subject and text, with placeholders where they vary: where an owner
    starts editing from, and what counts as unchanged."""
    stand_in = {"name": "{name}", "study": "{study}", "closes": "{closes}", "link": "{link}"}
    context = {
        "study": wave.study, "wave": wave, "participant": Participant(name=stand_in["name"]),
        "study_name": stand_in["study"], "link": stand_in["link"], "reminder": False,
        "closes": stand_in["closes"] if wave.closes else "",
    }  # fmt: skip
    subject = render_to_string("email/invitation_subject.txt", context)
    text = render_to_string("email/invitation.txt", context)
    return " ".join(subject.split()), re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def wording_own(*, wave: Wave, subject: str, text: str) -> tuple[str, str]:
    """The owner's subject and text as kept: each blank where it is the standard one, so that
    it follows any later change to the standard (and keeps its HTML layout)."""
    standard_subject, standard_text = standard_wording(wave=wave)
    if " ".join(subject.split()) == standard_subject:
        subject = ""
    if " ".join(text.split()) == " ".join(standard_text.split()):
        text = ""
    return subject.strip(), text.strip()


def wording_save(*, study: Study, wave: Wave, subject: str, text: str) -> None:
    """Keep the study's own invitation wording (checked by ``wording_problems`` first)."""
    study.invitation_subject, study.invitation_text = wording_own(
        wave=wave, subject=subject, text=text
    )
    study.save(update_fields=["invitation_subject", "invitation_text"])


@dataclass(frozen=True)
class InvitationFigures:
    """A wave's invitation counts, each counted in the database."""

    roster: int
    invited: int
    sent: int
    unsent: int
    without_email: int
    due: int
    waiting: int
    # Send or Remind was pressed and the worker has not finished the emails yet.
    sending: bool
    reminding: bool


def invitation_figures_get(*, wave: Wave, now: dt.datetime | None = None) -> InvitationFigures:
    """Counted in two queries: the roster, and one pass over the wave's invitations."""
    now = now or timezone.now()
    live = Q(revoked__isnull=True)  # of invitations of people who have not withdrawn: active
    # Whether emails are still going out is read before the counts: read after, it could see
    # the worker finished while the counts were read before its last emails (and say "not sent").
    pending = set(_emails_pending(wave))
    # Names of their own: an aggregate may not share a name with a field (``sent``).
    counts = Invitation.objects.filter(wave=wave, participant__withdrawn__isnull=True).aggregate(
        n_invited=Count("pk"),
        n_sent=Count("pk", filter=live & Q(sent__isnull=False)),
        n_unsent=Count("pk", filter=live & _unsent()),
        n_without_email=Count("pk", filter=live & ~_has_email()),
        n_due=Count("pk", filter=live & _due(now, REMIND_EVERY)),
        n_awaiting=Count("pk", filter=live & _awaiting()),
    )
    return InvitationFigures(
        roster=Participant.objects.current().filter(study_id=wave.study_id).count(),
        invited=counts["n_invited"],
        sent=counts["n_sent"],
        unsent=counts["n_unsent"],
        without_email=counts["n_without_email"],
        due=counts["n_due"],
        waiting=counts["n_awaiting"] - counts["n_due"],
        sending=INVITATION in pending,
        reminding=REMINDER in pending,
    )


def _emails_pending(wave: Wave) -> list[str]:
    """The kinds of email (invitation, reminder) queued or being sent for ``wave``."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from placelab.web.studies.tasks import deliver_emails  # tasks imports this module

    waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    return list(
        DBTaskResult.objects.filter(
            task_path=deliver_emails.module_path, status__in=waiting,
            args_kwargs__args__0=wave.pk,
        ).values_list("args_kwargs__args__1", flat=True)
    )  # fmt: skip


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
