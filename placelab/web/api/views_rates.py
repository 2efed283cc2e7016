"""The response rate as JSON, for the page that updates itself (static/placelab/live.js).

The same figures and the same rule as the page: groups of fewer than five invitees are withheld
from everyone but the owner. No person's name is ever in it, whoever asks.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from placelab.web.studies.access import VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import Wave
from placelab.web.studies.selectors.response_rates import MIN_GROUP, rates_for


@study_view(needs=VIEWER)
def response_rate(request: HttpRequest, access: StudyAccess, number: int) -> JsonResponse:
    wave = wave_of(access, number)
    return live_figures(access, wave, rates_for(access=access, wave=wave).as_dict())


def live_figures(access: StudyAccess, wave: Wave, figures: dict) -> JsonResponse:
    """The JSON live.js polls: which wave, as of when, and its figures; never kept by a cache."""
    response = JsonResponse({
        "study": access.study.pk,
        "wave": wave.number,
        "status": wave.status,
        "as_of": timezone.now().isoformat(timespec="seconds"),
        "minimum_group": MIN_GROUP,
        **figures,
    })  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response
