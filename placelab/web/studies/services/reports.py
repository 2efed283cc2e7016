"""Write a finished analysis's reports and store them with the run: with names and
pseudonymised, each as HTML and PDF.

The words, numbers and maps are the report's (:func:`placelab.report.build_report`), the same as
``placelab report`` gives on the command line; this module only schedules, stores and records
progress. The pseudonymised variant is made from the pseudonyms the site's pages use
(:func:`~placelab.web.studies.selectors.results.pseudonyms`), so "Person 12" in the report is
"Person 12" on the analysis page and the map.

A report that cannot be written says why on its row and leaves the run as it was.

The exports for other tools (Excel, GraphML, GEXF; with names, from
:mod:`placelab.core.io.exports` and :mod:`~placelab.core.io.workbook`) are stored the same way,
but written only when first asked for (:func:`exports_request`), not after every run as the
reports are: most runs are never exported, and the workbook alone takes seconds at 1,000 people.
The same task writes both, so a file queued again after its worker died is written whichever
it is.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from placelab.core.errors import PlacelabError
from placelab.core.io.exports import gexf_text, graphml_text
from placelab.core.io.workbook import xlsx_bytes
from placelab.report import About, build_report, render_html
from placelab.report.model import Report, study_title
from placelab.web.studies.models import AnalysisRun, Comparison, RunFile
from placelab.web.studies.selectors.reports import STEPS
from placelab.web.studies.selectors.results import pseudonyms
from placelab.web.studies.services.workers import (
    recovery_register,
    work_claim,
    work_heartbeat,
    work_recover,
)

logger = logging.getLogger(__name__)

VARIANTS = (RunFile.FULL, RunFile.PSEUDONYMISED)
FORMATS = (RunFile.HTML, RunFile.PDF)  # in the order they are written: HTML is quicker
ACTIVE = (RunFile.QUEUED, RunFile.RUNNING)
UNEXPECTED = (
    "An unexpected error stopped it; the error was logged for the site's administrators. Try "
    "again, and tell them if it happens again."
)
GAVE_UP = (
    "The worker writing this file stopped three times before it finished (it was killed or "
    "restarted, or lost the database). Try again; if it stops again, tell the site's "
    "administrators."
)


def reports_request(*, run: AnalysisRun) -> bool:
    """Queue the writing of ``run``'s reports not yet written (or that failed); one task, after
    commit. True if anything was queued. A run that has not finished has no reports.

    The wave's earlier runs' reports are deleted: only the latest finished run's are offered,
    and an earlier one would keep names (as they were then) that no page reaches any more.
    """
    return _request(run, VARIANTS, FORMATS)


def exports_request(*, run: AnalysisRun, format: str) -> bool:
    """Queue the writing of ``run``'s export in ``format`` (one of ``RunFile.EXPORT_FORMATS``,
    with names) if it is not written yet or failed; True if it was queued. Asked for by its
    first download, not after each run: most runs are never exported."""
    return _request(run, (RunFile.FULL,), (format,))


def _request(run: AnalysisRun, variants: tuple[str, ...], formats: tuple[str, ...]) -> bool:
    if run.status != AnalysisRun.DONE:
        return False
    with transaction.atomic():
        # Lock the run so that two requests at once queue one task, not two.
        AnalysisRun.objects.select_for_update().get(pk=run.pk)
        reports_recover(run_id=run.pk)
        RunFile.objects.filter(run__wave_id=run.wave_id, run__finished__lt=run.finished).delete()
        have = set(run.files.values_list("variant", "format"))
        missing = [(v, f) for v in variants for f in formats if (v, f) not in have]
        RunFile.objects.bulk_create(RunFile(run=run, variant=v, format=f) for v, f in missing)
        retried = run.files.filter(
            status=RunFile.FAILED, variant__in=variants, format__in=formats
        ).update(status=RunFile.QUEUED, step="", error="", started=None, finished=None, attempts=0)
        queued = bool(missing) or retried > 0
        if queued:
            transaction.on_commit(partial(_enqueue, run.pk))
    return queued


def reports_write(*, run_id: int) -> None:
    """The worker's side: write each queued export, then each queued variant of run
    ``run_id``'s reports, and store them (exports first: someone asked for each and waits).

    Each variant is claimed before it is written, so two workers never write the same one; a
    variant that fails records why and the other is still written.
    """
    run = AnalysisRun.objects.select_related("wave__study").filter(pk=run_id).first()
    if run is None or run.status != AnalysisRun.DONE:
        return
    # Beats on the files this worker claims below, so that no sweep takes them from it.
    with work_heartbeat(RunFile.objects.filter(run_id=run_id)):
        for format in RunFile.EXPORT_FORMATS:
            _write_export(run, format)
        for variant in VARIANTS:
            _write_variant(run, variant)


def _write_variant(run: AnalysisRun, variant: str) -> None:
    formats = _claim(run.pk, variant, FORMATS)
    if not formats:
        return  # written already, being written by another worker, or not asked for
    try:
        _write(run, variant, formats)
    except PlacelabError as error:
        _fail(run.pk, variant, FORMATS, str(error))
    except Exception:
        logger.exception("report %s of analysis run %s failed", variant, run.pk)
        _fail(run.pk, variant, FORMATS, UNEXPECTED)


def export_content(result: dict, format: str) -> bytes:
    """The export of a stored analysis ``result`` in ``format``, as the file's bytes."""
    if format == RunFile.XLSX:
        return xlsx_bytes(result)
    text = graphml_text if format == RunFile.GRAPHML else gexf_text
    return text(result).encode("utf-8")


def _write_export(run: AnalysisRun, format: str) -> None:
    """Write and store the export in ``format`` if it is queued and this worker claims it."""
    if not _claim(run.pk, RunFile.FULL, (format,)):
        return
    try:
        _store(run.pk, RunFile.FULL, format, export_content(run.result, format))
    except PlacelabError as error:
        _fail(run.pk, RunFile.FULL, (format,), capfirst(str(error)) + ".")
    except Exception:
        logger.exception("export %s of analysis run %s failed", format, run.pk)
        _fail(run.pk, RunFile.FULL, (format,), UNEXPECTED)


def reports_recover(*, run_id: int) -> None:
    """Queue again the reports and exports of ``run_id`` whose worker has gone (killed,
    restarted), or fail them after three starts, so that their page never waits for a worker
    that is not there (``services.workers``)."""
    work_recover("run file", RunFile.objects.filter(run_id=run_id))


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
    report = build_report(
        run.result, run.diagnosis, about=report_about(run), pseudonyms=names, change=_change(run)
    )
    if RunFile.HTML in formats:
        progress(STEPS[1])
        _store(run.pk, variant, RunFile.HTML, render_html(report).encode("utf-8"))
    if RunFile.PDF in formats:
        progress(STEPS[2])
        _store(run.pk, variant, RunFile.PDF, _pdf(report))


def _change(run: AnalysisRun) -> dict | None:
    """What changed since the study's earlier wave, when the run was compared with it (the
    worker compares a new run before writing its reports): the report's "what changed"."""
    comparison = (
        Comparison.objects.filter(after=run, status=Comparison.DONE)
        .select_related("before__wave")
        .order_by("-before__wave__number", "-finished")
        .first()
    )
    if comparison is None:
        return None
    return {
        "comparison": comparison.result,
        "before": comparison.before.result,
        "before_label": str(comparison.before.wave),
        "after_label": str(run.wave),
    }


def _pdf(report: Report) -> bytes:
    from placelab.report.pdf import render_pdf

    return render_pdf(report)


def _claim(run_id: int, variant: str, formats: tuple[str, ...]) -> set[str]:
    """Take the queued files of ``variant`` in ``formats``, each by an atomic UPDATE that only
    one worker wins; the formats taken."""
    queued = RunFile.objects.filter(
        run_id=run_id, variant=variant, format__in=formats, status=RunFile.QUEUED
    )
    return {
        format
        for pk, format in queued.values_list("pk", "format")
        if work_claim(RunFile.objects.filter(pk=pk), started=timezone.now(), step="starting")
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


def _fail(run_id: int, variant: str, formats: tuple[str, ...], message: str) -> None:
    RunFile.objects.filter(
        run_id=run_id, variant=variant, format__in=formats, status__in=ACTIVE
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
            error="It could not be queued for writing. Try again in a moment.",
        )


# One task writes a run's reports and exports alike: a file queued again is written whichever.
recovery_register(
    "run file",
    rows=RunFile.objects.all,
    requeue=lambda file: _enqueue(file.run_id),
    gave_up=GAVE_UP,
)
