"""A network map's people and lines as JSON, for the browser map (map.js)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from placelab.web.studies.access import VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.selectors import map_data as maps
from placelab.web.studies.selectors import results
from placelab.web.studies.services.audit import audit_saw_names


@study_view(needs=VIEWER)
@require_GET
def map_data(request: HttpRequest, access: StudyAccess, number: int) -> JsonResponse:
    """The view the query asks for (COMMON contract #3), from the result this user may see."""
    run = results.latest_done_run(wave_of(access, number))
    if run is None:
        raise Http404("No finished analysis of this wave yet")
    result = results.shown_analysis(access, run)["result"]
    view = maps.map_view(request.GET, result)
    data = maps.map_data(result, view, sees_names=access.sees_names)
    if access.sees_names:  # the map page's own words, so the map's requests add no new line
        audit_saw_names(user=request.user, study=access.study, page=f"the map of wave {number}")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
