"""A study's current wave in figures, as JSON, for its overview page (static/placelab/live.js).

The same counts as the page's checklist (selectors.study_progress), under the same rule as the
response rate's: fewer than five invitees are withheld from everyone but the owner.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from placelab.web.api.views_rates import live_figures
from placelab.web.studies.access import VIEWER, StudyAccess, study_view
from placelab.web.studies.selectors.study_progress import current_wave, wave_counts


@study_view(needs=VIEWER)
def study_status(request: HttpRequest, access: StudyAccess) -> JsonResponse:
    wave = current_wave(access.study)
    if wave is None:
        raise Http404("This study has no wave")
    # live.js fills rows by group; the overview has none.
    return live_figures(
        access, wave, {"overall": wave_counts(access=access, wave=wave).as_dict(), "groups": {}}
    )
