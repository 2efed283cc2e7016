"""Deleting what a study holds, and a respondent's withdrawal (README, "Data protection").

A person is removed from stored results too: every analysis of the study whose result holds
their roster id is deleted with its files (reports and exports), and each wave that had a
finished analysis gets a new one queued, so its numbers come back without them. Each deletion
is recorded in the audit log in words that never hold the person's name or email.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from placelab.web.studies.models import (
    AnalysisRun,
    AuditEvent,
    Participant,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.selectors.erasure import (
    PersonFootprint,
    nominations_of,
    person_description,
    person_footprint,
    runs_holding,
)
from placelab.web.studies.services.analysis import analysis_request
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.reference import reference_refresh


@dataclass
class Erased:
    """What one deletion removed, for the page that says it is done."""

    footprint: PersonFootprint | None = None
    runs: int = 0
    requeued: list[Wave] = field(default_factory=list)


def participant_delete(*, participant: Participant, user) -> Erased:
    """Delete a person: their answers, their nominations, others' nominations of them, and
    every stored result that holds them."""
    study = participant.study
    with transaction.atomic():
        footprint = person_footprint(participant=participant)
        nominations_of(participant).delete()
        _scrub_admin_log(participant)
        participant.delete()  # cascades: invitations, responses, answers, nominations made
        erased = _forget(study, footprint.runs, user, footprint=footprint)
        audit_record(
            user=user, study=study, action=AuditEvent.DELETED,
            detail=f"{footprint.description}, with {footprint.summary}",
        )  # fmt: skip
    return erased


def participant_withdraw(*, participant: Participant) -> Erased:
    """The respondent withdrew from their own link: everything they gave and others' nominations
    of them go; a stub keeps their id so that a re-imported roster does not add them again."""
    study = participant.study
    with transaction.atomic():
        footprint = person_footprint(participant=participant)
        nominations_of(participant).delete()
        Response.objects.filter(invitation__participant=participant).delete()
        _scrub_admin_log(participant)
        now = timezone.now()
        participant.invitations.filter(revoked__isnull=True).update(revoked=now)
        Participant.objects.filter(pk=participant.pk).update(
            withdrawn=now, name="", email="", attributes={}, organisation=None
        )
        erased = _forget(study, footprint.runs, None, footprint=footprint)
        audit_record(
            user=None, study=study, action=AuditEvent.WITHDREW,
            detail=f"{footprint.description} withdrew; removed {footprint.summary}",
        )  # fmt: skip
    return erased


def response_delete(*, response: Response, user) -> Erased:
    """Delete one response (its answers and the nominations it made)."""
    invitation = response.invitation
    wave, person = invitation.wave, invitation.participant
    with transaction.atomic():
        counted = response.submitted is not None
        made = response.nominations.count()
        response.delete()
        # Only a submitted response reached an analysis (analysis_inputs).
        held = runs_holding(study=wave.study, key=person.key, waves=[wave]) if counted else []
        erased = _forget(wave.study, held, user)
        audit_record(
            user=user, study=wave.study, action=AuditEvent.DELETED,
            detail=f"a response to {wave} by {person_description(person)}, "
            f"with its {made} nomination{'s' if made != 1 else ''}",
        )  # fmt: skip
    return erased


def wave_delete(*, wave: Wave, user) -> None:
    """Delete a wave with its invitations, responses, analyses and files."""
    with transaction.atomic():
        responses = Response.objects.filter(invitation__wave=wave).count()
        audit_record(
            user=user, study=wave.study, action=AuditEvent.DELETED,
            detail=f"{wave} (wave {wave.number}) with its {responses} "
            f"response{'s' if responses != 1 else ''} and its analyses",
        )  # fmt: skip
        study = wave.study
        wave.delete()
        # Its figures leave the reference pool with it: the study's entry becomes its latest
        # remaining analysis, or none.
        reference_refresh(study=study)


def study_delete(*, study: Study, user) -> None:
    """Delete the study and everything in it; its audit log stays, under the study's title."""
    with transaction.atomic():
        people = study.participants.count()
        audit_record(
            user=user, study=study, action=AuditEvent.DELETED,
            detail=f"the whole study, with its {people} people, waves, answers and analyses",
        )  # fmt: skip
        study.delete()


def _forget(
    study: Study,
    runs: Sequence[AnalysisRun],
    user,
    *,
    footprint: PersonFootprint | None = None,
) -> Erased:
    """Delete ``runs``, the stored analyses that hold a person (``runs_holding``, read once),
    and queue the waves that had a finished one again. Runs of those waves still under way are
    deleted too: they may have read the person before they went."""
    done_waves = {r.wave_id for r in runs if r.status == AnalysisRun.DONE}
    active = AnalysisRun.objects.filter(
        wave_id__in={r.wave_id for r in runs}, status__in=(AnalysisRun.QUEUED, AnalysisRun.RUNNING)
    )
    deleted = AnalysisRun.objects.filter(pk__in=[r.pk for r in runs]).delete()[1]
    active.delete()
    reference_refresh(study=study)  # the pool keeps no figures of a deleted analysis
    requeued = []
    for wave in Wave.objects.filter(pk__in=done_waves).order_by("number"):
        if Response.objects.submitted().filter(invitation__wave=wave).exists():
            analysis_request(wave=wave, user=user)
            requeued.append(wave)
    return Erased(
        footprint=footprint, runs=deleted.get("studies.AnalysisRun", 0), requeued=requeued
    )


def _scrub_admin_log(participant: Participant) -> None:
    """Django's admin log names the rows staff changed; it must not keep a person's name."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_id=str(participant.pk)
    ).update(object_repr=f"participant {participant.pk}", change_message="")
