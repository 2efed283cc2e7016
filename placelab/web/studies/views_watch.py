"""Watching a wave: the response rate overall and by group, and (owner only) who is missing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from placelab.web.studies.access import VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.selectors.invitations import invitation_rows_page
from placelab.web.studies.selectors.response_rates import (
    MIN_GROUP,
    TITLES,
    rates_for,
)
from placelab.web.studies.services.audit import audit_saw_names


@study_view(needs=VIEWER)
def responses(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """The figures at page load; live.js then refreshes them from ``api:response_rate``."""
    wave = wave_of(access, number)
    rates = rates_for(access=access, wave=wave)
    context = {
        "access": access,
        "tab": "waves",
        "wave": wave,
        "overall": rates.overall,
        "groupings": [(name, TITLES[name], rows) for name, rows in rates.groups.items()],
        "minimum_group": MIN_GROUP,
        "as_of": timezone.now(),
    }
    # Names of those who have not answered are the owner's alone (issue 4, "Watch"); a page of
    # them at a time, searched in the database.
    if access.is_owner:
        search = request.GET.get("q", "")[:200]
        page, rows = invitation_rows_page(
            wave=wave, number=request.GET.get("page"), search=search, not_answered=True
        )
        context.update(page=page, not_answered=rows, search=search)
        audit_saw_names(
            user=request.user, study=access.study, page=f"the responses to wave {number}"
        )
    return render(request, "studies/watch/responses.html", context)
