"""Run a wave's analysis: queue it, then (in the worker) compute, record and store it.

The work is the CLI's: ``placelab.core.study.Study(...).to_dict()`` for the networks and
``placelab.core.toolkit.diagnose`` for the self-assessment, with the same default seed, so the
exported files give the same numbers on the command line. What reproduces a run (the inputs'
hash, the parameters with the seed, the versions) is stored with it.

Nothing here writes to the study's data: a run that fails leaves the answers as they were.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from placelab.core.errors import PlacelabError
from placelab.core.networks.analysis import Parameters
from placelab.core.reference import pool_rules
from placelab.core.study import Study
from placelab.core.toolkit import DiagnosisParameters, diagnose
from placelab.web.studies.models import AnalysisRun, Response, Wave
from placelab.web.studies.selectors.analysis_inputs import WaveInputs, wave_inputs
from placelab.web.studies.services import reference
from placelab.web.studies.services.reports import reports_request, reports_write
from placelab.web.studies.services.workers import (
    recovery_register,
    task_lost,
    work_enqueue,
    work_execute,
    work_progress,
    work_recover,
)

logger = logging.getLogger(__name__)

SEED = 0  # the CLI's default: the exported files reproduce a run with no options
ACTIVE = (AnalysisRun.QUEUED, AnalysisRun.RUNNING)
UNEXPECTED = (
    "The analysis stopped on an unexpected error. The study's data is unchanged; the error was "
    "logged for the site's administrators. Try again, and tell them if it happens again."
)
GAVE_UP = (
    "The worker running this analysis stopped three times before it finished (it was killed or "
    "restarted, or lost the database), so it was not started again. Run it again; if it stops "
    "again, tell the site's administrators: a study this large may need a worker with more "
    "memory."
)


def analysis_request(*, wave: Wave, user) -> AnalysisRun:
    """Queue an analysis of ``wave``, or return the one already queued or running."""
    with transaction.atomic():
        # Lock the wave so that two clicks at once queue one run, not two.
        Wave.objects.select_for_update().get(pk=wave.pk)
        # A run whose worker has gone is queued again (or failed) here too, not only by the
        # workers' sweep: it must never read as under way while no worker has it.
        work_recover("analysis", wave.analyses.all())
        active = wave.analyses.filter(status__in=ACTIVE).order_by("-created").first()
        if active is not None:
            return active
        run = AnalysisRun.objects.create(wave=wave, requested_by=user)
        # The worker must find the run committed, so the task is queued only after commit.
        transaction.on_commit(partial(_enqueue, run.pk))
    return run


def analysis_request_if_changed(*, wave: Wave, user) -> AnalysisRun | None:
    """Queue an analysis when the wave has answers its latest finished analysis did not see."""
    from placelab.web.studies.selectors.results import latest_done_run, run_is_stale

    if not Response.objects.submitted().filter(invitation__wave=wave).exists():
        return None
    try:
        if run_is_stale(latest_done_run(wave)) is False:
            return None
    except PlacelabError:
        pass  # answers the analysis will refuse: the run says why, on the page
    return analysis_request(wave=wave, user=user)


def analysis_run_now(*, wave: Wave, user=None, write_reports: bool = False) -> AnalysisRun:
    """Analyse ``wave`` in this process, without the worker (the demo's loader uses it); with
    ``write_reports``, write its reports here too, so that they are there at once."""
    run = AnalysisRun.objects.create(wave=wave, requested_by=user)
    analysis_execute(run_id=run.pk)
    if write_reports:
        reports_write(run_id=run.pk)
    run.refresh_from_db()
    return run


def _enqueue(run_id: int) -> None:
    from placelab.web.studies.tasks import run_analysis  # tasks imports this module

    rows = AnalysisRun.objects.filter(pk=run_id)
    work_enqueue(run_analysis, run_id, rows, what=f"analysis run {run_id}", noun="analysis")


def analysis_execute(*, run_id: int) -> None:
    """The worker's side: run ``run_id`` if it is still queued, and store what it gives."""
    rows = AnalysisRun.objects.filter(pk=run_id)
    compute = partial(_compute, run_id)
    if work_execute(rows, compute, what=f"analysis run {run_id}", unexpected=UNEXPECTED):
        _compare_with_earlier(run_id)
        _queue_reports(run_id)


def _compare_with_earlier(run_id: int) -> None:
    """Compare the new run with the study's earlier wave before its reports are written, so
    that they show what changed; the run stands whatever the comparison gives."""
    from placelab.web.studies.services.comparison import comparison_after_analysis

    comparison_after_analysis(run_id=run_id)


def _queue_reports(run_id: int) -> None:
    """A new run has its own reports: the worker writes them next. The run stands if they cannot
    be queued now; asking for a report queues them then."""
    try:
        reports_request(run=AnalysisRun.objects.get(pk=run_id))
    except Exception:
        logger.exception("could not queue the reports of analysis run %s", run_id)


def _compute(run_id: int) -> None:
    run = AnalysisRun.objects.select_related("wave__study").get(pk=run_id)
    progress = partial(work_progress, AnalysisRun.objects.filter(pk=run_id))
    progress("reading the wave's answers")
    inputs = wave_inputs(run.wave)
    parameters, diagnosis_parameters = Parameters(seed=SEED), DiagnosisParameters(seed=SEED)
    # The other studies' figures this one is read against; which pool is recorded with the run.
    pool, field = reference.reference_pool_for(study=run.wave.study), run.wave.study.field
    AnalysisRun.objects.filter(pk=run_id).update(
        inputs_hash=inputs.fingerprint,
        inputs_stamp=inputs.stamp,
        inputs_changed=False,
        parameters={
            **_parameters_record(inputs, parameters, diagnosis_parameters),
            "reference": reference.pool_record(pool),
        },
    )
    anchors = _earlier_layout(run)
    _release_connection()
    order = run.wave.study.sector_order or None  # the study's own order of the maps' regions
    study = Study(inputs.data, parameters, progress, sector_order=order, anchors=anchors)
    study.rules = pool_rules(pool, inputs.data, field=field)
    result = study.to_dict()
    if (standing := reference.reference_standing(result, pool, field=field)) is not None:
        result["reference"] = standing
    progress("diagnosing the lifecycle phase, triangle and conditions")
    diagnosis = _diagnosis(inputs, study.findings, diagnosis_parameters)
    progress("saving the results")
    AnalysisRun.objects.filter(pk=run_id).update(
        status=AnalysisRun.DONE, step="done", finished=timezone.now(), result=result,
        diagnosis=diagnosis, versions={**result["versions"], "item_bank": inputs.bank.version},
    )  # fmt: skip
    reference.reference_contribute(run_id=run_id)  # an opted-in study shares its latest figures


def _earlier_layout(run: AnalysisRun) -> dict | None:
    """The map layout of the study's latest finished run, so that people keep their places.

    Everyone placed then stays where they were (placelab.core.networks.layout), in this wave
    and the next, so maps of different waves compare side by side.
    """
    earlier = (
        AnalysisRun.objects.filter(wave__study_id=run.wave.study_id, status=AnalysisRun.DONE)
        .exclude(pk=run.pk)
        .order_by("-finished", "-pk")
        .values_list("result__layout", flat=True)
        .first()
    )
    return earlier if isinstance(earlier, dict) else None


def _diagnosis(inputs: WaveInputs, findings: list[dict], parameters: DiagnosisParameters) -> dict:
    """The diagnosis, or why it could not be made (the network result stands either way)."""
    if inputs.answers.values.empty:
        return {"unavailable": "No one who submitted answered the self-assessment questions."}
    try:
        return diagnose(
            inputs.answers, bank=inputs.bank, people=inputs.data.people,
            network_findings=findings, parameters=parameters,
        )  # fmt: skip
    except PlacelabError as error:
        return {"unavailable": f"Too few answers to diagnose the place: {error}"}


def _parameters_record(
    inputs: WaveInputs, parameters: Parameters, diagnosis: DiagnosisParameters
) -> dict:
    return {
        "seed": SEED,
        "networks": asdict(parameters),
        "diagnosis": asdict(diagnosis),
        "study_networks": list(inputs.data.networks),
        "item_bank": {
            "version": inputs.bank.version,
            "excluded_groups": list(inputs.bank.excluded_groups),
        },
    }


def _release_connection() -> None:
    """Close the database connection before the heavy work, outside any transaction.

    Above 500 people the core forks a process pool; a forked child must not share the
    parent's open connection. Django reconnects on the next query (the next progress step).
    Inside a transaction (a test's), closing would abort it, and nothing forks there anyway.
    """
    if not connection.in_atomic_block:
        connection.close()


recovery_register(
    "analysis",
    rows=AnalysisRun.objects.all,
    requeue=lambda run: (task_lost(run.task_id), _enqueue(run.pk)),
    gave_up=GAVE_UP,
)
