"""Data protection, for the owner alone: the retention period, deleting a study, a wave, a
person or a response (each after a page saying exactly what goes), and one person's data."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from placelab.web.studies.access import OWNER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import AuditEvent, Participant, Response
from placelab.web.studies.selectors.erasure import (
    person_description,
    person_export,
    person_footprint,
)
from placelab.web.studies.selectors.invitations import same_name
from placelab.web.studies.services import erasure
from placelab.web.studies.services.audit import audit_record
from placelab.web.studies.services.retention import NOTICE, retention_set, waves_due

PAGES = "studies/protection/"


class RetentionForm(forms.Form):
    days = forms.IntegerField(
        label="Delete answers this many days after a wave closes",
        help_text="Leave blank to keep answers until you delete them.",
        required=False, min_value=1, max_value=3650,
    )  # fmt: skip


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def protection(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    form = RetentionForm(
        request.POST if request.method == "POST" else None,
        initial={"days": study.retention_days},
    )
    if form.is_bound and form.is_valid():
        retention_set(study=study, days=form.cleaned_data["days"], user=request.user)
        messages.success(request, "Retention period saved.")
        return redirect("studies:protection", study.pk)
    context = {
        "access": access, "tab": "protection", "form": form, "notice_days": NOTICE.days,
        "due": waves_due(study=study), "waves": study.waves.order_by("number"),
        "withdrawn": study.participants.filter(withdrawn__isnull=False).count(),
    }  # fmt: skip
    return render(request, PAGES + "protection.html", context)


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def study_delete(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study, wrong = access.study, False
    if request.method == "POST":
        # Typed as the page shows it; case and spacing aside, as names are compared.
        if same_name(request.POST.get("confirm", "")) == same_name(str(study)):
            title = str(study)
            erasure.study_delete(study=study, user=request.user)
            messages.success(request, f"Deleted the study {title} and everything in it.")
            return redirect("studies:list")
        wrong = True
    context = {
        "access": access, "tab": "protection", "wrong": wrong,
        "people": study.participants.count(), "waves": study.waves.count(),
        "responses": Response.objects.filter(invitation__wave__study=study).count(),
    }  # fmt: skip
    return render(request, PAGES + "study_delete.html", context, status=400 if wrong else 200)


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def wave_delete(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    wave = wave_of(access, number)
    if request.method == "POST" and request.POST.get("confirm") == str(wave.number):
        erasure.wave_delete(wave=wave, user=request.user)
        messages.success(request, f"Deleted {wave} with its answers and analyses.")
        return redirect("studies:protection", access.study.pk)
    context = {
        "access": access, "tab": "protection", "wave": wave,
        "invitations": wave.invitations.count(),
        "responses": Response.objects.filter(invitation__wave=wave).count(),
        "analyses": wave.analyses.count(),
    }  # fmt: skip
    return render(request, PAGES + "wave_delete.html", context)


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def participant_delete(request: HttpRequest, access: StudyAccess, participant_id: int):
    person = get_object_or_404(Participant, pk=participant_id, study=access.study)
    if request.method == "POST" and request.POST.get("confirm") == person.key:
        done = erasure.participant_delete(participant=person, user=request.user)
        messages.success(request, _deleted_message(f"Deleted {person.key}", done))
        return redirect("studies:roster", access.study.pk)
    responses = (
        Response.objects.filter(invitation__participant=person)
        .select_related("invitation__wave")
        .order_by("invitation__wave__number")
    )
    context = {
        "access": access, "tab": "roster", "person": person, "responses": responses,
        "footprint": person_footprint(participant=person),
    }  # fmt: skip
    return render(request, PAGES + "participant_delete.html", context)


@study_view(needs=OWNER, archived_ok=True)
@require_GET
def participant_export(request: HttpRequest, access: StudyAccess, participant_id: int):
    person = get_object_or_404(Participant, pk=participant_id, study=access.study)
    audit_record(
        user=request.user, study=access.study, action=AuditEvent.EXPORTED,
        detail=f"the data held about {person_description(person)}",
    )  # fmt: skip
    return person_json(person_export(participant=person), f"{person.key}.json")


@study_view(needs=OWNER, archived_ok=True)
@require_http_methods(["GET", "POST"])
def response_delete(request: HttpRequest, access: StudyAccess, number: int, response_id: int):
    wave = wave_of(access, number)
    response = get_object_or_404(
        Response.objects.select_related("invitation__participant"),
        pk=response_id, invitation__wave=wave,
    )  # fmt: skip
    if request.method == "POST" and request.POST.get("confirm") == str(response.pk):
        key = response.invitation.participant.key
        done = erasure.response_delete(response=response, user=request.user)
        messages.success(request, _deleted_message(f"Deleted {key}'s response to {wave}", done))
        return redirect("studies:responses", access.study.pk, wave.number)
    context = {
        "access": access, "tab": "waves", "wave": wave, "response": response,
        "person": response.invitation.participant,
        "answers": response.answers.count(), "nominations": response.nominations.count(),
    }  # fmt: skip
    return render(request, PAGES + "response_delete.html", context)


def person_json(data: dict, filename: str) -> HttpResponse:
    """One person's data as a JSON download (the owner's export and the respondent's own)."""
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _deleted_message(what: str, done: erasure.Erased) -> str:
    if not done.requeued:
        return f"{what}."
    waves = ", ".join(str(w) for w in done.requeued)
    return f"{what}. The analysis of {waves} is running again without them."
