"""A wave's finished analysis as GraphML, GEXF and XLSX, for those allowed to see names."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from placelab.core.errors import PlacelabError
from placelab.core.io.exports import check_exportable, gexf_text, graphml_text
from placelab.core.io.workbook import xlsx_bytes
from placelab.web.studies.access import ANALYST, StudyAccess, study_view, wave_of
from placelab.web.studies.selectors import results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@study_view(needs=ANALYST)
@require_GET
def graphml(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For yEd, Gephi, NetworkX and igraph."""
    return _download(request, access, number, graphml_text, "graphml", "application/graphml+xml")


@study_view(needs=ANALYST)
@require_GET
def gexf(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For Gephi and Gephi Lite: placed in the sector template, key connectors coloured."""
    return _download(request, access, number, gexf_text, "gexf", "application/gexf+xml")


@study_view(needs=ANALYST)
@require_GET
def xlsx(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """For Excel: people, measures, key connectors, ties, networks, alignment and method."""
    return _download(request, access, number, xlsx_bytes, "xlsx", XLSX)


def _download(
    request: HttpRequest,
    access: StudyAccess,
    number: int,
    render: Callable[[dict], str | bytes],
    suffix: str,
    content_type: str,
) -> HttpResponse:
    wave = wave_of(access, number)
    run = results.latest_done_run(wave)
    if run is None:
        raise Http404("This wave has no finished analysis.")
    result = results.shown_analysis(access, run)["result"]
    try:
        check_exportable(result)
    except PlacelabError:  # stored before results kept their ties and map positions
        messages.info(request, "Run the analysis again to download it for Gephi or Excel.")
        return redirect("studies:analysis", access.study.pk, wave.number)
    content = render(result)
    if isinstance(content, str):
        content, content_type = content.encode("utf-8"), f"{content_type}; charset=utf-8"
    study = access.study
    name = f"{slugify(study.locality)}-{slugify(study.field)}-wave-{wave.number}.{suffix}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
