"""Writes that set a study up: the study itself, its survey, its waves and who may see it."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from placelab.core.toolkit.planned import SHORT_FORM
from placelab.core.vocabulary import QUESTIONS
from placelab.web.studies.models import AuditEvent, Membership, Study, Wave
from placelab.web.studies.services.analysis import analysis_request_if_changed
from placelab.web.studies.services.audit import audit_record

# A wave goes draft -> open -> closed, and a closed wave may be opened again for late answers.
WAVE_MOVES: dict[str, tuple[str, ...]] = {
    Wave.DRAFT: (Wave.OPEN,),
    Wave.OPEN: (Wave.CLOSED,),
    Wave.CLOSED: (Wave.OPEN,),
}


@transaction.atomic
def study_create(*, owner: AbstractBaseUser, locality: str, field: str, description: str) -> Study:
    """A new study owned by ``owner``, with its first wave ready as a draft."""
    study = Study.objects.create(
        owner=owner, locality=locality, field=field, description=description,
        assessment_statements=SHORT_FORM,  # a new study asks a share: a survey people finish
    )  # fmt: skip
    Wave.objects.create(study=study, number=1)
    return study


@transaction.atomic
def study_update(
    *,
    study: Study,
    locality: str,
    field: str,
    description: str,
    networks: list[str],
    questions: dict[str, str],
    excluded_groups: list[str],
    extra_sectors: list[str],
    attributes: list[dict[str, str]],
    sector_order: list[str] | None = None,
    assessment_statements: int | None | object = ...,
    survey_layout: str | None = None,
) -> Study:
    """Save the survey set-up; a blank wording goes back to the default question.

    ``sector_order`` (the maps' order of sectors) and ``assessment_statements`` (how many
    statements each respondent is asked; None for all) are kept as they were when not given.
    """
    study.locality, study.field, study.description = locality, field, description
    study.networks = list(networks)
    # Every network keeps a wording, asked or not, so switching one back on keeps its words.
    study.questions = {
        key: (questions.get(key) or "").strip() or default for key, default in QUESTIONS.items()
    }
    study.excluded_groups = list(excluded_groups)
    study.extra_sectors = list(extra_sectors)
    study.attributes = [dict(a) for a in attributes]
    if sector_order is not None:
        study.sector_order = list(sector_order)
    if assessment_statements is not ...:  # None asks every statement, so "not given" is ...
        study.assessment_statements = assessment_statements
    if survey_layout is not None:  # a grid or a page per network (Study.SURVEY_LAYOUTS)
        study.survey_layout = survey_layout
    study.save()
    return study


@transaction.atomic
def wave_add(*, study: Study, title: str = "", closes: datetime.date | None = None) -> Wave:
    """The study's next wave, as a draft."""
    # Lock the study row so that two owners adding a wave at once get different numbers.
    Study.objects.select_for_update().get(pk=study.pk)
    last = study.waves.aggregate(last=Max("number"))["last"] or 0
    return Wave.objects.create(study=study, number=last + 1, title=title, closes=closes)


@transaction.atomic
def wave_update(*, wave: Wave, title: str, closes: datetime.date | None) -> Wave:
    wave.title, wave.closes = title, closes
    wave.save(update_fields=["title", "closes"])
    return wave


@transaction.atomic
def wave_move(*, wave: Wave, status: str, user: AbstractBaseUser | None = None) -> Wave:
    """Open, close or reopen a wave; refuse any other move (a draft cannot be closed).

    Closing a wave whose answers have changed since its last analysis queues a new one: the
    answers are final, and the findings should say what they say.
    """
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if status not in WAVE_MOVES[wave.status]:
        raise ValidationError(f"A {wave.get_status_display().lower()} wave cannot become {status}.")
    wave.status = status
    wave.closed = timezone.now() if status == Wave.CLOSED else None
    wave.save(update_fields=["status", "closed"])
    if status == Wave.CLOSED:
        analysis_request_if_changed(wave=wave, user=user)
    return wave


@transaction.atomic
def membership_grant(
    *, study: Study, user: AbstractBaseUser, role: str, by: AbstractBaseUser | None = None
) -> Membership:
    """Give ``user`` a role on the study; granting again changes the role. ``by`` (who gave it)
    is recorded in the audit log. services.access gives it by email and tells them."""
    if user.pk == study.owner_id:
        raise ValidationError("The owner already has full access to this study.")
    if role not in dict(Membership.ROLES):
        raise ValidationError(f"Unknown role {role!r}.")
    # One statement whether the role is new or changed.
    (membership,) = Membership.objects.bulk_create(
        [Membership(study=study, user=user, role=role)],
        update_conflicts=True, unique_fields=["study", "user"], update_fields=["role"],
    )  # fmt: skip
    detail = f"Gave {account_named(user)} {membership.get_role_display().lower()} access"
    audit_record(user=by, study=study, action=AuditEvent.GRANTED, detail=detail)
    return membership


def account_named(user: AbstractBaseUser) -> str:
    """A colleague as the access page and audit log name them: by the email they were given
    access by, so a new account and an old one read alike (its user name may say which)."""
    return user.email or user.get_username()


@transaction.atomic
def membership_revoke(*, membership: Membership, by: AbstractBaseUser | None = None) -> None:
    detail = (
        f"Took away {account_named(membership.user)}'s "
        f"{membership.get_role_display().lower()} access"
    )
    audit_record(user=by, study=membership.study, action=AuditEvent.REVOKED, detail=detail)
    membership.delete()
