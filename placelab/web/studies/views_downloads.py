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
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from placelab.core.errors import PlacelabError
from placelab.core.io.exports import check_exportable
from placelab.web.studies.access import ANALYST, StudyAccess, study_view, wave_of
from placelab.web.studies.models import AuditEvent, RunFile, Wave
from placelab.web.studies.selectors import reports, results
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.reports import exports_request, reports_recover
from placelab.web.studies.views_reports import REFRESH_SECONDS

CONTENT_TYPES = {
    RunFile.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    RunFile.GRAPHML: "application/graphml+xml; charset=utf-8",
    RunFile.GEXF: "application/gexf+xml; charset=utf-8",
}
THINGS = {
    RunFile.XLSX: "Excel workbook",
    RunFile.GRAPHML: "GraphML file",
    RunFile.GEXF: "GEXF file",
}
WAITING = "Waiting for the background worker to start on it."
WRITING = "The background worker is writing it now."


@study_view(needs=ANALYST)
@require_http_methods(["GET", "POST"])
def graphml(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For yEd, Gephi, NetworkX and igraph."""
    return _download(request, access, number, RunFile.GRAPHML)


@study_view(needs=ANALYST)
@require_http_methods(["GET", "POST"])
def gexf(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For Gephi and Gephi Lite: placed in the sector template, key connectors coloured."""
    return _download(request, access, number, RunFile.GEXF)


@study_view(needs=ANALYST)
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
        return _attachment(access, wave, stored)
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
    if asks_status:
        return _status(stored)  # the waiting page's script asks how far it has got
    return _not_ready(request, access, wave, stored, format)


def _attachment(access: StudyAccess, wave: Wave, stored: RunFile) -> HttpResponse:
    """A written export, served from its stored bytes: the one place a file with names leaves."""
    # Its content was deferred: read now, once, straight from the row.
    response = HttpResponse(bytes(stored.content), content_type=CONTENT_TYPES[stored.format])
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(access, wave, stored)
    )
    response["Cache-Control"] = "private, no-store"  # it holds names: keep it out of caches
    return response


def file_name(access: StudyAccess, wave: Wave, stored: RunFile) -> str:
    """'riverside-secondary-education-wave-1.xlsx', as before exports were stored."""
    study = access.study
    return f"{slugify(study.locality)}-{slugify(study.field)}-wave-{wave.number}.{stored.format}"


def _status(stored: RunFile | None) -> JsonResponse:
    status = stored.status if stored else RunFile.QUEUED
    response = JsonResponse(
        {"status": status, "steps_done": 0, "steps": 1, "message": _message(stored)}
    )
    response["Cache-Control"] = "no-store"
    return response


def _message(stored: RunFile | None) -> str:
    return WRITING if stored is not None and stored.status == RunFile.RUNNING else WAITING


def _not_ready(
    request: HttpRequest, access: StudyAccess, wave: Wave, stored: RunFile | None, format: str
) -> HttpResponse:
    """The reports' waiting page, shown in the file's place while it is written or when it
    could not be."""
    writing = stored is None or stored.status in (RunFile.QUEUED, RunFile.RUNNING)
    context = {
        "access": access, "tab": "waves", "wave": wave, "stored": stored, "writing": writing,
        "refresh": REFRESH_SECONDS if writing else None, "message": _message(stored),
        "steps": 1, "steps_done": 0, "thing": THINGS[format], "export": True,
    }  # fmt: skip
    response = render(request, "studies/results/report_status.html", context)
    response["Cache-Control"] = "no-store"  # the refresh must ask again, not reuse this page
    return response
