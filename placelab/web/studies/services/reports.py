"""Write a finished analysis's reports and store them with the run: with names and
pseudonymised, each as HTML and PDF.

The words, numbers and maps are the report's (:func:`placelab.report.build_report`), the same as
``placelab report`` gives on the command line; this module only schedules, stores and records
progress. The pseudonymised variant is made from the pseudonyms the site's pages use
(:func:`~placelab.web.studies.selectors.results.pseudonyms`), so "Person 12" in the report is
"Person 12" on the analysis page and the map.

A report that cannot be written says why on its row and leaves the run as it was.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from placelab.core.errors import PlacelabError
from placelab.report import About, build_report, render_html
from placelab.report.model import Report, study_title
from placelab.web.studies.models import AnalysisRun, RunFile
from placelab.web.studies.selectors.reports import STEPS
from placelab.web.studies.selectors.results import pseudonyms

logger = logging.getLogger(__name__)

VARIANTS = (RunFile.FULL, RunFile.PSEUDONYMISED)
FORMATS = (RunFile.HTML, RunFile.PDF)  # in the order they are written: HTML is quicker
ACTIVE = (RunFile.QUEUED, RunFile.RUNNING)
# A report still "running" this long after it started lost its worker.
ABANDONED_AFTER = timedelta(hours=1)
UNEXPECTED = (
    "An unexpected error stopped it; the error was logged for the site's administrators. Try "
    "again, and tell them if it happens again."
)


def reports_request(*, run: AnalysisRun) -> bool:
    """Queue the writing of ``run``'s reports not yet written (or that failed); one task, after
    commit. True if anything was queued. A run that has not finished has no reports.

    The wave's earlier runs' reports are deleted: only the latest finished run's are offered,
    and an earlier one would keep names (as they were then) that no page reaches any more.
    """
    if run.status != AnalysisRun.DONE:
        return False
    with transaction.atomic():
        # Lock the run so that two requests at once queue one task, not two.
        AnalysisRun.objects.select_for_update().get(pk=run.pk)
        reports_give_up_abandoned(run_id=run.pk)
        RunFile.objects.filter(run__wave_id=run.wave_id, run__finished__lt=run.finished).delete()
        have = set(run.files.values_list("variant", "format"))
        RunFile.objects.bulk_create(
            RunFile(run=run, variant=v, format=f)
            for v in VARIANTS
            for f in FORMATS
            if (v, f) not in have
        )
        retried = run.files.filter(status=RunFile.FAILED).update(
            status=RunFile.QUEUED, step="", error="", started=None, finished=None
        )
        queued = len(VARIANTS) * len(FORMATS) > len(have) or retried > 0
        if queued:
            transaction.on_commit(partial(_enqueue, run.pk))
    return queued


def reports_write(*, run_id: int) -> None:
    """The worker's side: write each queued variant of run ``run_id``'s reports and store it.

    Each variant is claimed before it is written, so two workers never write the same one; a
    variant that fails records why and the other is still written.
    """
    run = AnalysisRun.objects.select_related("wave__study").filter(pk=run_id).first()
    if run is None or run.status != AnalysisRun.DONE:
        return
    for variant in VARIANTS:
        formats = _claim(run_id, variant)
        if not formats:
            continue  # written already, being written by another worker, or not asked for
        try:
            _write(run, variant, formats)
        except PlacelabError as error:
            _fail(run_id, variant, str(error))
        except Exception:
            logger.exception("report %s of analysis run %s failed", variant, run_id)
            _fail(run_id, variant, UNEXPECTED)


def reports_give_up_abandoned(*, run_id: int) -> None:
    """Mark failed the reports of ``run_id`` whose worker stopped mid-way (killed, restarted), so
    that their page offers to try again instead of waiting for ever."""
    RunFile.objects.filter(
        run_id=run_id, status=RunFile.RUNNING, started__lt=timezone.now() - ABANDONED_AFTER
    ).update(
        status=RunFile.FAILED,
        finished=timezone.now(),
        error="The worker writing this report stopped before it finished. Try again.",
    )


def report_about(run: AnalysisRun) -> About:
    """The report's title page: the study, the wave and when its analysis finished."""
    study, wave = run.wave.study, run.wave
    finished = timezone.localtime(run.finished or timezone.now())
    return About(
        title=study_title(study.locality, study.field),
        locality=study.locality,
        field=capfirst(study.field),
        wave=f"Wave {wave.number}" + (f": {wave.title}" if wave.title else ""),
        date=date_format(finished, "j F Y"),
        source=f"From the answers to this wave as they stood at {date_format(finished, 'H:i')} "
        f"that day, when placelab analysed them (inputs fingerprint {run.inputs_hash[:12]}).",
    )


def _write(run: AnalysisRun, variant: str, formats: set[str]) -> None:
    """Build the report of ``variant`` once and store it in each claimed format."""
    progress = partial(_progress, run.pk, variant)
    progress(STEPS[0])
    names = None if variant == RunFile.FULL else pseudonyms(run.wave.study, run.result)
    report = build_report(run.result, run.diagnosis, about=report_about(run), pseudonyms=names)
    if RunFile.HTML in formats:
        progress(STEPS[1])
        _store(run.pk, variant, RunFile.HTML, render_html(report).encode("utf-8"))
    if RunFile.PDF in formats:
        progress(STEPS[2])
        _store(run.pk, variant, RunFile.PDF, _pdf(report))


def _pdf(report: Report) -> bytes:
    from placelab.report.pdf import render_pdf

    return render_pdf(report)


def _claim(run_id: int, variant: str) -> set[str]:
    """Take the queued files of ``variant``, each by an atomic UPDATE that only one worker wins;
    the formats taken."""
    queued = RunFile.objects.filter(run_id=run_id, variant=variant, status=RunFile.QUEUED)
    return {
        format
        for pk, format in queued.values_list("pk", "format")
        if RunFile.objects.filter(pk=pk, status=RunFile.QUEUED).update(
            status=RunFile.RUNNING, started=timezone.now(), step="starting"
        )
    }


def _progress(run_id: int, variant: str, step: str) -> None:
    # One short autocommitted UPDATE per step, as the analysis records its own.
    RunFile.objects.filter(run_id=run_id, variant=variant, status=RunFile.RUNNING).update(
        step=step[:200]
    )


def _store(run_id: int, variant: str, format: str, content: bytes) -> None:
    RunFile.objects.filter(
        run_id=run_id, variant=variant, format=format, status=RunFile.RUNNING
    ).update(
        status=RunFile.DONE, step="done", content=content, size=len(content),
        finished=timezone.now(), error="",
    )  # fmt: skip


def _fail(run_id: int, variant: str, message: str) -> None:
    RunFile.objects.filter(
        run_id=run_id, variant=variant, status__in=ACTIVE
    ).update(status=RunFile.FAILED, finished=timezone.now(), error=message)  # fmt: skip


def _enqueue(run_id: int) -> None:
    from placelab.web.studies.tasks import write_reports  # tasks imports this module

    try:
        write_reports.enqueue(run_id)
    except Exception:
        logger.exception("could not queue the reports of analysis run %s", run_id)
        RunFile.objects.filter(run_id=run_id, status=RunFile.QUEUED).update(
            status=RunFile.FAILED,
            finished=timezone.now(),
            error="The report could not be queued for writing. Try again in a moment.",
        )
