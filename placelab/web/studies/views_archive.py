"""Archiving a study or a wave, and restoring it: the owner's, after a short confirmation.

These views stay open on an archived study (``archived_ok``): they are how it is restored.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from placelab.web.studies.access import OWNER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import Wave
from placelab.web.studies.services import archive

PAGE = "studies/setup/archive.html"


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def study_archive(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    if request.method == "POST":
        closed = archive.study_archive(study=study, user=request.user)
        messages.success(request, _archived(str(study), closed))
        return redirect("studies:list")
    context = {
        "access": access, "tab": "overview", "subject": study,
        "open_waves": list(study.waves.filter(status=Wave.OPEN).order_by("number")),
    }  # fmt: skip
    return render(request, PAGE, context)


@study_view(needs=OWNER, archived_ok=True)
@require_POST
def study_restore(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    archive.study_restore(study=access.study, user=request.user)
    messages.success(request, f"Restored {access.study}: it can be changed again.")
    return redirect("studies:detail", access.study.pk)


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def wave_archive(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    wave = wave_of(access, number)
    if request.method == "POST":
        was_open = archive.wave_archive(wave=wave, user=request.user)
        messages.success(request, _archived(str(wave), [wave] if was_open else []))
        return redirect("studies:waves", access.study.pk)
    context = {
        "access": access, "tab": "waves", "subject": wave, "wave": wave,
        "open_waves": [wave] if wave.is_open else [],
    }  # fmt: skip
    return render(request, PAGE, context)


@study_view(needs=OWNER, archived_ok=True)
@require_POST
def wave_restore(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    wave = wave_of(access, number)
    archive.wave_restore(wave=wave, user=request.user)
    messages.success(request, f"Restored {wave}: it is {wave.get_status_display().lower()}.")
    return redirect("studies:wave", access.study.pk, wave.number)


def _archived(subject: str, closed: list[Wave]) -> str:
    if not closed:
        return f"Archived {subject}."
    verb = "was" if len(closed) == 1 else "were"
    return f"Archived {subject}; closed {', '.join(str(w) for w in closed)}, which {verb} open."
