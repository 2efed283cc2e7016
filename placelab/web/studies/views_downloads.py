"""A wave's finished analysis as GraphML, GEXF and XLSX, for those allowed to see names.

The background worker writes each file the first time it is asked for
(:func:`~placelab.web.studies.services.reports.exports_request`) and stores it with the run, so
that a large workbook never holds a web worker while respondents wait. Until it is written the
address shows the reports' waiting page, which follows the worker and starts the download when
the file is ready; if it failed, the page says why and offers to try again. Afterwards the
stored bytes are served (:func:`_attachment`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from placelab.core.errors import PlacelabError
from placelab.core.io.exports import check_exportable
from placelab.web.studies.access import ANALYST, StudyAccess, study_view, wave_of
from placelab.web.studies.models import AuditEvent, RunFile, Wave
from placelab.web.studies.selectors import reports, results
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.reports import exports_request, reports_recover
from placelab.web.studies.views_reports import WAITING, attachment, file_status, waiting_page

THINGS = {
    RunFile.XLSX: "Excel workbook",
    RunFile.GRAPHML: "GraphML file",
    RunFile.GEXF: "GEXF file",
}
WRITING = "The background worker is writing it now."


@study_view(needs=ANALYST, archived_ok=True)
@require_http_methods(["GET", "POST"])
def graphml(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For yEd, Gephi, NetworkX and igraph."""
    return _download(request, access, number, RunFile.GRAPHML)


@study_view(needs=ANALYST, archived_ok=True)
@require_http_methods(["GET", "POST"])
def gexf(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For Gephi and Gephi Lite: placed in the sector template, key connectors coloured."""
    return _download(request, access, number, RunFile.GEXF)


@study_view(needs=ANALYST, archived_ok=True)
@require_http_methods(["GET", "POST"])
def xlsx(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For Excel: people, measures, key connectors, ties, networks, alignment and method."""
    return _download(request, access, number, RunFile.XLSX)


def _download(request: HttpRequest, access: StudyAccess, number: int, format: str) -> HttpResponse:
    """The stored file if it is written; else queue it (first request) and say where it stands.
    POST tries a failed one again."""
    wave = wave_of(access, number)
    # Its result is read only if the file is not written yet: a ready download never parses it.
    run = results.done_runs(wave).defer("result", "diagnosis").first()
    if run is None:
        raise Http404("This wave has no finished analysis.")
    reports_recover(run_id=run.pk)
    stored = reports.report_file(run, RunFile.FULL, format)
    asks_status = "application/json" in request.headers.get("Accept", "")
    if stored and stored.status == RunFile.DONE and request.method == "GET" and not asks_status:
        detail = f"Downloaded wave {wave.number}'s analysis with names ({THINGS[format]})"
        audit_record(
            user=request.user, study=access.study, action=AuditEvent.EXPORTED, detail=detail
        )
        return attachment(stored, file_name(access, wave, stored))
    if request.method == "POST" or stored is None:
        try:
            check_exportable(run.result)
        except PlacelabError:  # stored before results kept their ties and map positions
            messages.info(request, "Run the analysis again to download it for Gephi or Excel.")
            return redirect("studies:analysis", access.study.pk, wave.number)
        exports_request(run=run, format=format)
        if request.method == "POST":
            return redirect(request.get_full_path())
        stored = reports.report_file(run, RunFile.FULL, format)
    # Written in one step: the bar has nothing to count, the message says where it stands.
    if asks_status:  # the waiting page's script asks how far it has got
        return file_status(stored, steps=1, steps_done=0, message=_message(stored))
    return waiting_page(
        request, access, wave, stored, steps=1, steps_done=0, message=_message(stored),
        thing=THINGS[format], export=True,
    )  # fmt: skip


def file_name(access: StudyAccess, wave: Wave, stored: RunFile) -> str:
    """'riverside-secondary-education-wave-1.xlsx', as before exports were stored."""
    study = access.study
    return f"{slugify(study.locality)}-{slugify(study.field)}-wave-{wave.number}.{stored.format}"


def _message(stored: RunFile | None) -> str:
    return WRITING if stored is not None and stored.status == RunFile.RUNNING else WAITING
