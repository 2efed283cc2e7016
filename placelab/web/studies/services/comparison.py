"""Compare two analysed waves of a study: queue it, then (in the worker) compute and store it.

The work is the core's (:func:`placelab.core.networks.compare.compare_waves`, and
:func:`placelab.core.toolkit.compare_diagnosis.compare_diagnoses` of the two runs' stored
diagnoses), with the analysis's seed, as ``placelab compare`` gives it from the two waves'
exported files. A comparison belongs to the two finished runs it compares: the earlier wave's
run first. It is queued, claimed, beaten on and taken up again after a lost worker exactly as an
analysis is (:mod:`~placelab.web.studies.services.workers`).

A run whose wave's answers changed since it was made is not compared: the figures of the
comparison would not be those of the analysis shown beside it. Nothing here writes to the
study's data or to the runs compared.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from placelab.core.errors import PlacelabError
from placelab.core.networks.analysis import Parameters
from placelab.web.studies.models import AnalysisRun, AuditEvent, Comparison, Wave
from placelab.web.studies.selectors.analysis_inputs import wave_inputs
from placelab.web.studies.selectors.comparison import STEPS
from placelab.web.studies.services.analysis import SEED
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.workers import (
    recovery_register,
    task_lost,
    work_enqueue,
    work_execute,
    work_progress,
    work_recover,
)

logger = logging.getLogger(__name__)

RESAMPLES = 200  # the command line's default: its --json reproduces the stored comparison
ACTIVE = (Comparison.QUEUED, Comparison.RUNNING)
UNEXPECTED = (
    "The comparison stopped on an unexpected error. The study's data and both analyses are "
    "unchanged; the error was logged for the site's administrators. Try again, and tell them "
    "if it happens again."
)
GAVE_UP = (
    "The worker comparing these waves stopped three times before it finished (it was killed "
    "or restarted, or lost the database), so it was not started again. Compare them again; if "
    "it stops again, tell the site's administrators."
)


class ComparisonRefused(PlacelabError):
    """Two runs that cannot be compared, with why, in words for the page."""


def stale_message(wave: Wave) -> str:
    return (
        f"Answers to {wave} have changed since its analysis, so a comparison would not match "
        f"the figures shown for it. Analyse {wave} again first, then compare."
    )


def comparison_check(*, before: AnalysisRun, after: AnalysisRun) -> None:
    """Refuse (ComparisonRefused, saying why) two runs that cannot be compared: not finished,
    not two waves of one study in order, or made before their wave's answers changed."""
    from placelab.web.studies.selectors.results import run_is_stale

    if before.status != AnalysisRun.DONE or after.status != AnalysisRun.DONE:
        raise ComparisonRefused("Only finished analyses can be compared.")
    if before.wave.study_id != after.wave.study_id or before.wave.number >= after.wave.number:
        raise ComparisonRefused("A comparison needs two different waves of one study.")
    for run in (before, after):
        if run_is_stale(run):
            raise ComparisonRefused(stale_message(run.wave))


def comparison_request(*, before: AnalysisRun, after: AnalysisRun, user) -> Comparison:
    """Queue a comparison of ``before`` (the earlier wave's run) with ``after``, or return the
    one already done or under way for the pair; a failed one is queued again. Raises
    ComparisonRefused when the runs cannot be compared (:func:`comparison_check`)."""
    comparison_check(before=before, after=after)
    with transaction.atomic():
        # Lock the later run so that two clicks at once queue one comparison, not two.
        AnalysisRun.objects.select_for_update().get(pk=after.pk)
        pair = Comparison.objects.filter(before=before, after=after)
        work_recover("comparison", pair)  # a dead worker's never reads as under way
        comparison, created = pair.get_or_create(
            before=before, after=after, defaults={"requested_by": user}
        )
        if not created and comparison.status != Comparison.FAILED:
            return comparison
        if not created:
            pair.update(
                status=Comparison.QUEUED, step="", steps_done=0, error="", started=None,
                finished=None, attempts=0, requested_by=user, created=timezone.now(),
            )  # fmt: skip
            comparison.refresh_from_db()
        _audit(comparison, user)
        transaction.on_commit(partial(_enqueue, comparison.pk))
    return comparison


def _audit(comparison: Comparison, user) -> None:
    if user is None:
        return
    waves = [comparison.before.wave, comparison.after.wave]
    audit_record(
        user=user, study=waves[0].study, action=AuditEvent.COMPARED,
        detail=f"Asked for a comparison of {waves[0]} with {waves[1]}",
    )  # fmt: skip


def comparison_after_analysis(*, run_id: int) -> Comparison | None:
    """In the worker, once run ``run_id`` has finished: compare it with the latest finished run
    of the study's nearest earlier wave that has one, here and now, so that the run's reports
    (written next) show what changed. Never raises: the analysis stands whatever happens here."""
    try:
        run = AnalysisRun.objects.select_related("wave__study").get(pk=run_id)
        earlier = earlier_run(run)
        if earlier is None or run.status != AnalysisRun.DONE:
            return None
        comparison_check(before=earlier, after=run)
        comparison, _ = Comparison.objects.get_or_create(before=earlier, after=run)
        comparison_execute(comparison_id=comparison.pk)
        comparison.refresh_from_db()
        return comparison
    except ComparisonRefused as refused:
        logger.info("analysis run %s is not compared with its earlier wave: %s", run_id, refused)
    except Exception:
        logger.exception("the comparison after analysis run %s failed", run_id)
    return None


def earlier_run(run: AnalysisRun) -> AnalysisRun | None:
    """The latest finished run of the nearest earlier wave of ``run``'s study that has one."""
    return (
        AnalysisRun.objects.filter(
            wave__study_id=run.wave.study_id,
            wave__number__lt=run.wave.number,
            status=AnalysisRun.DONE,
        )
        .select_related("wave__study")
        .order_by("-wave__number", "-finished", "-pk")
        .first()
    )


def _enqueue(comparison_id: int) -> None:
    from placelab.web.studies.tasks import run_comparison  # tasks imports this module

    rows = Comparison.objects.filter(pk=comparison_id)
    work_enqueue(
        run_comparison, comparison_id, rows, what=f"comparison {comparison_id}", noun="comparison"
    )


def comparison_execute(*, comparison_id: int) -> None:
    """The worker's side: run ``comparison_id`` if it is still queued, and store what it gives."""
    rows = Comparison.objects.filter(pk=comparison_id)
    compute = partial(_compute, comparison_id)
    work_execute(rows, compute, what=f"comparison {comparison_id}", unexpected=UNEXPECTED)


def _compute(comparison_id: int) -> None:
    from placelab.core.networks.compare import compare_waves

    comparison = Comparison.objects.select_related("before__wave__study", "after__wave__study").get(
        pk=comparison_id
    )
    progress = partial(work_progress, Comparison.objects.filter(pk=comparison_id))
    inputs = []
    for step, run in zip(STEPS, (comparison.before, comparison.after), strict=False):
        progress(step)
        read = wave_inputs(run.wave)
        # The inputs read now must be those the run analysed, or the two would disagree.
        if read.fingerprint != run.inputs_hash:
            raise ComparisonRefused(stale_message(run.wave))
        inputs.append(read.data)
    progress(STEPS[2])
    result = compare_waves(
        inputs[0], inputs[1], Parameters(seed=SEED), resamples=RESAMPLES, seed=SEED
    )
    progress(STEPS[3])
    result["diagnosis"] = _diagnoses(comparison.before, comparison.after)
    progress(STEPS[4])
    Comparison.objects.filter(pk=comparison_id).update(
        status=Comparison.DONE, step="done", finished=timezone.now(), result=result,
        parameters={"seed": SEED, "resamples": RESAMPLES, "networks": result["networks"]},
    )  # fmt: skip


def _diagnoses(before: AnalysisRun, after: AnalysisRun) -> dict | None:
    """The two stored diagnoses compared, or None when either wave has none."""
    if not all(_diagnosed(run) for run in (before, after)):
        return None
    from placelab.core.toolkit.compare_diagnosis import compare_diagnoses

    return compare_diagnoses(before.diagnosis, after.diagnosis)


def _diagnosed(run: AnalysisRun) -> bool:
    return isinstance(run.diagnosis, dict) and "unavailable" not in run.diagnosis


recovery_register(
    "comparison",
    rows=Comparison.objects.all,
    requeue=lambda comparison: (task_lost(comparison.task_id), _enqueue(comparison.pk)),
    gave_up=GAVE_UP,
)
