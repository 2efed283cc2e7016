"""The report of a wave's latest finished analysis, as PDF or HTML, stored with the run.

Those allowed names get the report with names, and may take the pseudonymised one
(``?variant=pseudonymised``) to share; viewers get the pseudonymised one only, and 404 for the
other. While the worker writes it, the address shows a page that says so and follows its
progress (a small script, or a refresh without one); if it failed, the page says why and offers
to try again.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from placelab.web.studies.access import VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import AnalysisRun, AuditEvent, RunFile, Wave
from placelab.web.studies.selectors import reports, results
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.reports import reports_recover, reports_request

CONTENT_TYPES = {
    RunFile.PDF: "application/pdf",
    RunFile.HTML: "text/html; charset=utf-8",
    RunFile.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    RunFile.GRAPHML: "application/graphml+xml; charset=utf-8",
    RunFile.GEXF: "application/gexf+xml; charset=utf-8",
}
URLS = {RunFile.PDF: "studies:report_pdf", RunFile.HTML: "studies:report_html"}
# Should a browser open the HTML report in place despite "attachment", it still runs nothing
# and loads nothing: the report is one file with its styles inline and maps as data URIs.
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
REFRESH_SECONDS = 5  # as the analysis page refreshes without JavaScript
WAITING = "Waiting for the background worker to start on it."


@study_view(needs=VIEWER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def report_pdf(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    return _report(request, access, number, RunFile.PDF)


@study_view(needs=VIEWER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def report_html(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    return _report(request, access, number, RunFile.HTML)


def _report(request: HttpRequest, access: StudyAccess, number: int, format: str) -> HttpResponse:
    """The stored file if it is written; else where it stands. POST tries a failed one again."""
    wave = wave_of(access, number)
    variant = reports.report_variant(access, request.GET.get("variant"))
    run = results.latest_done_run(wave)
    if run is None:
        raise Http404("This wave has no finished analysis.")
    if request.method == "POST":
        reports_request(run=run)
        return redirect(request.get_full_path())
    reports_recover(run_id=run.pk)
    stored = reports.report_file(run, variant, format)
    if stored is None:  # analysed before reports were stored with runs: write them now
        reports_request(run=run)
        stored = reports.report_file(run, variant, format)
    if "application/json" in request.headers.get("Accept", ""):
        # The waiting page's script asks how far it has got.
        return file_status(
            stored, steps=len(reports.STEPS), steps_done=_steps_done(stored),
            message=_progress_message(stored),
        )  # fmt: skip
    if stored is not None and stored.status == RunFile.DONE:
        kind = "with names" if stored.variant == RunFile.FULL else "pseudonymised"
        detail = f"Downloaded wave {wave.number}'s report {kind} ({stored.get_format_display()})"
        audit_record(
            user=request.user, study=access.study, action=AuditEvent.REPORTED, detail=detail
        )
        return attachment(stored, file_name(access, wave, stored))
    return waiting_page(
        request, access, wave, stored, steps=len(reports.STEPS), steps_done=_steps_done(stored),
        message=_progress_message(stored), format_label=dict(RunFile.FORMATS)[format],
        pseudonymised=variant == RunFile.PSEUDONYMISED,
    )  # fmt: skip


def attachment(stored: RunFile, name: str) -> HttpResponse:
    """A written report or export, served from its stored bytes as the download ``name``."""
    # Its content may have been deferred: read now, once, straight from the row.
    response = HttpResponse(bytes(stored.content), content_type=CONTENT_TYPES[stored.format])
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"  # it may hold names: keep it out of caches
    if stored.format == RunFile.HTML:
        response["Content-Security-Policy"] = REPORT_POLICY
    return response


def file_name(access: StudyAccess, wave: Wave, stored: RunFile) -> str:
    """'riverside-secondary-education-wave-1-report-pseudonymised.pdf': what it is of, and
    whether it holds names, readable before anyone forwards it."""
    kind = "with-names" if stored.variant == RunFile.FULL else "pseudonymised"
    parts = (slugify(access.study.locality), slugify(access.study.field), f"wave-{wave.number}")
    return "-".join(p for p in parts if p) + f"-report-{kind}.{stored.format}"


def file_status(
    stored: RunFile | None, *, steps: int, steps_done: int, message: str
) -> JsonResponse:
    """How far a report or export has got, for the waiting page's script."""
    response = JsonResponse(
        {
            "status": stored.status if stored else RunFile.QUEUED,
            "steps_done": steps_done,
            "steps": steps,
            "message": message,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _steps_done(stored: RunFile | None) -> int:
    return max(reports.step_number(stored) - 1, 0) if stored else 0


def _progress_message(stored: RunFile | None) -> str:
    step = reports.step_number(stored) if stored else 0
    if not step:
        return WAITING
    return f"Step {step} of {len(reports.STEPS)}: {stored.step}."


def waiting_page(
    request: HttpRequest,
    access: StudyAccess,
    wave: Wave,
    stored: RunFile | None,
    *,
    steps: int,
    steps_done: int,
    message: str,
    **labels,
) -> HttpResponse:
    """The page shown in a report's or export's place while it is written, or when it could not
    be; ``labels`` say what it is (``format_label`` and ``pseudonymised``, or ``thing``)."""
    writing = stored is None or stored.status in (RunFile.QUEUED, RunFile.RUNNING)
    context = {
        "access": access, "tab": "waves", "wave": wave, "stored": stored, "writing": writing,
        "refresh": REFRESH_SECONDS if writing else None, "message": message, "steps": steps,
        "steps_done": steps_done, **labels,
    }  # fmt: skip
    response = render(request, "studies/results/report_status.html", context)
    response["Cache-Control"] = "no-store"  # the refresh must ask again, not reuse this page
    return response


def report_links(access: StudyAccess, run: AnalysisRun) -> dict:
    """The analysis page's report downloads for this user: each variant they may have with each
    format's address, the default variant's sizes, and whether any of them is being written or
    failed (their own page says why)."""
    stored = reports.report_files(run)
    allowed = reports.report_variants(access)
    args = [access.study.pk, run.wave.number]
    variants = []
    for variant in allowed:
        query = "" if variant == allowed[0] else f"?variant={variant}"
        files = [
            {"label": dict(RunFile.FORMATS)[f], "url": reverse(URLS[f], args=args) + query}
            for f in (RunFile.PDF, RunFile.HTML)
        ]
        variants.append({"variant": variant, "files": files})
    mine = [r for (variant, _), r in stored.items() if variant in allowed]
    sizes = [
        f"{r.get_format_display()} {filesizeformat(r.size)}"
        for r in sorted(mine, key=lambda r: r.format != RunFile.PDF)
        if r.variant == allowed[0] and r.status == RunFile.DONE
    ]
    return {
        "report_run": run,
        "report_variants": variants,
        "report_sizes": ", ".join(sizes),
        "reports_writing": any(r.status in (RunFile.QUEUED, RunFile.RUNNING) for r in mine),
        "reports_failed": any(r.status == RunFile.FAILED for r in mine),
    }
