"""A wave's analysis as JSON: its progress (polled by progress.js) and its stored result."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from placelab.web.studies.access import VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import AnalysisRun
from placelab.web.studies.selectors import results
from placelab.web.studies.services.audit import audit_saw_names


@study_view(needs=VIEWER)
def analysis_status(request: HttpRequest, access: StudyAccess, number: int) -> JsonResponse:
    """The latest run's status, step and times; ``stale`` once done (have the answers changed)."""
    run = results.latest_run(wave_of(access, number))
    if run is None:
        raise Http404("No analysis of this wave yet")
    stale = results.run_is_stale(run) if run.status == AnalysisRun.DONE else None
    return JsonResponse(results.run_status(run, stale=stale))


@study_view(needs=VIEWER)
def analysis_result(request: HttpRequest, access: StudyAccess, number: int) -> JsonResponse:
    """The latest finished run's result and diagnosis; for viewers, the core's viewer copy
    (``results.shown_analysis``), marked ``"pseudonymised": true``."""
    run = results.latest_done_run(wave_of(access, number))
    if run is None:
        raise Http404("No finished analysis of this wave yet")
    shown = results.shown_analysis(access, run)
    if access.sees_names:
        audit_saw_names(
            user=request.user, study=access.study, page=f"the analysis of wave {number} as JSON"
        )
    response = JsonResponse(
        {"run": run.pk, "inputs_hash": run.inputs_hash, "parameters": run.parameters,
         "versions": run.versions, "pseudonymised": not access.sees_names, **shown},
        json_dumps_params={"ensure_ascii": False},
    )  # fmt: skip
    filename = f"placelab-study{access.study.pk}-wave{number}-run{run.pk}.json"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
