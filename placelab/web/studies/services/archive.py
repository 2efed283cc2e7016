"""Archiving a study or a wave, and restoring it (issue 11).

An archived study is read-only: ``access.study_view`` refuses every change to it but deletion
and data protection, and its pages say so. Archiving closes its open waves, so no one answers
a study that no one watches. An archived wave is closed, left out of the waves' lists, and
cannot be opened again until it is restored. Restoring reopens nothing: the owner does that.
Analyses and reports stay readable throughout.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from placelab.web.studies.models import AuditEvent, Study, Wave
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.studies import wave_move


@transaction.atomic
def study_archive(*, study: Study, user: AbstractBaseUser) -> list[Wave]:
    """Archive ``study`` and close its open waves; returns the waves it closed."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    if study.archived:
        return []
    closed = [
        wave_move(wave=w, status=Wave.CLOSED, user=user)
        for w in study.waves.filter(status=Wave.OPEN)
    ]
    study.archived = timezone.now()
    study.save(update_fields=["archived"])
    audit_record(user=user, study=study, action=AuditEvent.ARCHIVED, detail=_closing(closed))
    return closed


@transaction.atomic
def study_restore(*, study: Study, user: AbstractBaseUser) -> None:
    updated = Study.objects.filter(pk=study.pk, archived__isnull=False).update(archived=None)
    if updated:
        audit_record(user=user, study=study, action=AuditEvent.RESTORED, detail="The study")


@transaction.atomic
def wave_archive(*, wave: Wave, user: AbstractBaseUser) -> bool:
    """Archive ``wave``, closing it if it was open; returns whether it was open."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.archived:
        return False
    was_open = wave.is_open
    if was_open:
        wave = wave_move(wave=wave, status=Wave.CLOSED, user=user)
    wave.archived = timezone.now()
    wave.save(update_fields=["archived"])
    detail = _closing([wave] if was_open else [], subject=str(wave))
    audit_record(user=user, study=wave.study, action=AuditEvent.ARCHIVED, detail=detail)
    return was_open


@transaction.atomic
def wave_restore(*, wave: Wave, user: AbstractBaseUser) -> None:
    updated = Wave.objects.filter(pk=wave.pk, archived__isnull=False).update(archived=None)
    if updated:
        audit_record(user=user, study=wave.study, action=AuditEvent.RESTORED, detail=str(wave))


def _closing(closed: list[Wave], subject: str = "The study") -> str:
    if not closed:
        return subject
    return f"{subject}, closing {', '.join(str(w) for w in closed)}"
