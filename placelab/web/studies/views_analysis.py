"""The study's overview with its latest findings, and each wave's analysis: run it, watch it."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from placelab.core.errors import PlacelabError
from placelab.core.vocabulary import ALL
from placelab.report import maps
from placelab.web.studies.access import ANALYST, VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import AnalysisRun, AuditEvent
from placelab.web.studies.selectors import (
    analysis_map_links,
    analysis_page,
    results,
    study_progress,
)
from placelab.web.studies.selectors.analysis_inputs import wave_export
from placelab.web.studies.services.analysis import analysis_request
from placelab.web.studies.services.audit import audit_record, audit_saw_names
from placelab.web.studies.views_reports import report_links


@study_view(needs=VIEWER)
def study_detail(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    run = results.study_latest_done_run(access.study)
    steps, current, counts = study_progress.study_checklist(access=access)
    waves = results.study_waves(access.study)
    context = {
        "access": access, "tab": "overview", "steps": steps, "current": current,
        "counts": counts, "as_of": timezone.now(), "all_done": all(s.done for s in steps),
        "waves": [row for row in waves if not row.wave.archived],
        "archived_waves": [row for row in waves if row.wave.archived],
    }  # fmt: skip
    if run is not None:
        context |= _shown_run(access, run)
    return render(request, "studies/results/detail.html", context)


@study_view(needs=VIEWER)
def analysis(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    wave = wave_of(access, number)
    run = results.latest_run(wave)
    done = run if run and run.status == AnalysisRun.DONE else results.latest_done_run(wave)
    context = {
        "access": access, "tab": "waves", "wave": wave, "run": run, "done": done,
        "stale": results.run_is_stale(done),
        "active": run is not None and run.status in (AnalysisRun.QUEUED, AnalysisRun.RUNNING),
        "steps_expected": results.expected_steps(run) if run else None,
    }  # fmt: skip
    if done is not None:
        context |= _shown_run(access, done) | {
            "parameters_text": json.dumps(done.parameters, indent=1, sort_keys=True),
            "versions_text": json.dumps(done.versions, indent=1, sort_keys=True),
            "commands": results.reproduce_commands(done),
        }
        context |= report_links(access, done)
        context |= analysis_page.network_page(
            context["shown_result"], request.GET.get("network"),
            sees_names=access.sees_names, base=context["map_base"],
        )  # fmt: skip
        context |= _map_images(access, wave, context)
        if context.get("network") and context["network"] != ALL:
            context["network_question"] = access.study.question(context["network"])
        if access.sees_names:
            audit_saw_names(
                user=request.user, study=access.study, page=f"the analysis of wave {wave.number}"
            )
    return render(request, "studies/results/analysis.html", context)


@study_view(needs=ANALYST)
@require_POST
def run(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    wave = wave_of(access, number)
    before = results.latest_run(wave)
    queued = analysis_request(wave=wave, user=request.user)
    if before is not None and queued.pk == before.pk:
        messages.info(request, "An analysis of this wave is already under way.")
    else:
        messages.success(request, "The analysis is queued. This page shows its progress.")
    return redirect("studies:analysis", access.study.pk, wave.number)


@study_view(needs=ANALYST)
@require_GET
def export(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """The wave as it stands, as the command line's people.csv, ties.csv and answers.csv."""
    wave = wave_of(access, number)
    archive = io.BytesIO()
    with (
        tempfile.TemporaryDirectory() as folder,
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped,
    ):
        for name, path in wave_export(wave=wave, folder=Path(folder)).items():
            zipped.write(path, arcname=name)
    detail = (
        f"Downloaded wave {wave.number}'s answers with names (people.csv, ties.csv, answers.csv)"
    )
    audit_record(user=request.user, study=access.study, action=AuditEvent.EXPORTED, detail=detail)
    name = f"{slugify(access.study.locality)}-{slugify(access.study.field)}-wave-{wave.number}"
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


def _shown_run(access: StudyAccess, run: AnalysisRun) -> dict:
    """Figures, diagnosis headline and findings of a finished run, as this user may see them."""
    shown = results.shown_analysis(access, run)
    base = analysis_map_links.map_path(access.study.pk, run.wave.number)
    findings = analysis_map_links.findings_with_maps(
        results.all_findings(shown["result"], shown["diagnosis"]), base
    )
    return {
        "shown_run": run,
        "shown_result": shown["result"],
        "map_base": base,
        "figures": results.key_figures(shown["result"]),
        "headline": results.diagnosis_headline(shown["diagnosis"]),
        "diagnosis_unavailable": (shown["diagnosis"] or {}).get("unavailable"),
        "findings": findings,
        "severity_counts": results.severity_counts(findings),
    }


@study_view(needs=VIEWER)
@require_GET
def map_svg(request: HttpRequest, access: StudyAccess, number: int, network: str) -> HttpResponse:
    """One network's static map (contract 2), drawn from what this user may see."""
    svg, run = _network_svg(access, number, network)
    return _cached(request, HttpResponse(svg, content_type="image/svg+xml"), run)


@study_view(needs=VIEWER)
@require_GET
def map_png(request: HttpRequest, access: StudyAccess, number: int, network: str) -> HttpResponse:
    svg, run = _network_svg(access, number, network)
    response = HttpResponse(maps.svg_to_png(svg), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{slugify(network)}-map.png"'
    return _cached(request, response, run)


def _network_svg(access: StudyAccess, number: int, network: str) -> tuple[str, AnalysisRun]:
    """The SVG of ``network`` in the wave's latest finished analysis; 404 without a layout."""
    run = results.latest_done_run(wave_of(access, number))
    shown = results.shown_analysis(access, run)["result"] if run else {}
    if "layout" not in shown or network not in analysis_page.network_keys(shown):
        raise Http404("No map of this network")
    try:
        return maps.network_svg(shown, network), run
    except PlacelabError as error:  # an old result without ties, say: nothing to draw
        raise Http404(str(error)) from None


def _cached(request: HttpRequest, response: HttpResponse, run: AnalysisRun) -> HttpResponse:
    """A map asked for by its run (``?run=``, as the page links it) never changes: the browser
    keeps it, so switching networks back and forth does not redraw a large map each time."""
    if request.GET.get("run") == str(run.pk):
        response["Cache-Control"] = "private, max-age=86400"
    return response


def _map_images(access: StudyAccess, wave, context: dict) -> dict:
    """The addresses of the chosen network's static map, when the result has a layout."""
    if not context.get("has_layout") or not context.get("network"):
        return {}
    args = [access.study.pk, wave.number, context["network"]]
    run = f"?run={context['done'].pk}"
    return {
        "map_image_url": reverse("studies:map_svg", args=args) + run,
        "map_png_url": reverse("studies:map_png", args=args) + run,
    }
