"""Setting a study up: the list of one's studies, a new study, its survey and its waves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from placelab.web.studies.access import (
    OWNER,
    VIEWER,
    StudyAccess,
    study_view,
    visible_studies,
    wave_of,
)
from placelab.web.studies.forms_setup import (
    ReferenceShareForm,
    StudyForm,
    SurveyForm,
    WaveForm,
)
from placelab.web.studies.models import AnalysisRun, Membership, Wave
from placelab.web.studies.services import reference
from placelab.web.studies.services import studies as services

# The buttons of a wave's page and the status each one moves the wave to.
WAVE_ACTIONS = {"open": Wave.OPEN, "close": Wave.CLOSED, "reopen": Wave.OPEN}


@login_required
def study_list(request: HttpRequest) -> HttpResponse:
    roles = dict(Membership.objects.filter(user=request.user).values_list("study_id", "role"))
    studies = [
        (study, OWNER if study.owner_id == request.user.pk else roles.get(study.pk))
        for study in visible_studies(request.user).order_by("-created")
    ]
    # Archived studies are listed apart, below, folded away (services.archive).
    context = {
        "studies": [(s, role) for s, role in studies if not s.archived],
        "archived": [(s, role) for s, role in studies if s.archived],
    }
    return render(request, "studies/setup/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_create(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        study = services.study_create(owner=request.user, **form.cleaned_data)
        messages.success(request, f"Study created: {study}. Its first wave is a draft.")
        return redirect("studies:detail", study.pk)
    return render(request, "studies/setup/create.html", {"form": form})


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def study_settings(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    if request.method == "POST" and "reference_share" in request.POST:
        return _reference_share(request, access)
    form = SurveyForm(request.POST if request.method == "POST" else None, study=study)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.study_update(
            study=study, locality=data["locality"], field=data["field"],
            description=data["description"], networks=data["networks"],
            questions=form.questions(), excluded_groups=form.excluded_groups(),
            extra_sectors=data["extra_sectors"], attributes=data["attributes"],
            sector_order=data["sector_order"],
            assessment_statements=form.assessment_statements(),
            survey_layout=data["survey_layout"] or None,  # not posted: kept as it is
        )  # fmt: skip
        messages.success(request, "Survey set-up saved.")
        return redirect("studies:settings", study.pk)
    share = ReferenceShareForm(initial={"reference_opt_in": study.reference_opt_in})
    context = {"access": access, "tab": "settings", "form": form, "share_form": share}
    return render(request, "studies/setup/settings.html", context)


def _reference_share(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    """The sharing part of the settings page, posted on its own: share or stop sharing."""
    form = ReferenceShareForm(request.POST)
    form.is_valid()  # a checkbox: absent is "no", so it cannot be invalid
    opt_in = form.cleaned_data.get("reference_opt_in", False)
    entry = reference.reference_opt_in_set(study=access.study, opt_in=opt_in, user=request.user)
    messages.success(request, reference.opt_in_words(opt_in=opt_in, entry=entry))
    return redirect(reverse("studies:settings", args=[access.study.pk]) + "#sharing")


@study_view(needs=VIEWER)
@require_http_methods(["GET", "POST"])
def waves(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    """Every role sees the waves; only the owner adds one."""
    form = WaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _require_owner(access)
        if form.is_valid():
            added = services.wave_add(study=access.study, **form.cleaned_data)
            messages.success(request, f"{added} added as a draft.")
            return redirect("studies:wave", access.study.pk, added.number)
    shown = list(_waves(access))
    context = {
        "access": access, "tab": "waves", "form": form,
        "waves": [w for w in shown if not w.archived],
        "archived_waves": [w for w in shown if w.archived],
    }  # fmt: skip
    return render(request, "studies/setup/waves.html", context)


@study_view(needs=VIEWER)
@require_http_methods(["GET", "POST"])
def wave(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """One wave: every role sees it; the owner opens, closes, reopens and dates it."""
    shown = wave_of(access, number)
    form = WaveForm(initial={"title": shown.title, "closes": shown.closes})
    if request.method == "POST":
        _require_owner(access)
        action = request.POST.get("action", "")
        if action in WAVE_ACTIONS:
            return _move_wave(request, shown, WAVE_ACTIONS[action])
        if action != "save":
            return HttpResponseBadRequest("Unknown action")
        form = WaveForm(request.POST)
        if form.is_valid():
            services.wave_update(wave=shown, **form.cleaned_data)
            messages.success(request, "Wave details saved.")
            return redirect("studies:wave", access.study.pk, shown.number)
    context = {"access": access, "tab": "waves", "wave": shown, "form": form}
    return render(request, "studies/setup/wave.html", context)


def _move_wave(request: HttpRequest, shown: Wave, status: str) -> HttpResponse:
    try:
        moved = services.wave_move(wave=shown, status=status, user=request.user)
        messages.success(request, f"{moved} is now {moved.get_status_display().lower()}.")
        if moved.analyses.filter(status=AnalysisRun.QUEUED).exists():
            messages.info(request, "Its answers are final: an analysis of them is queued.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("studies:wave", shown.study_id, shown.number)


def _waves(access: StudyAccess) -> QuerySet[Wave]:
    return access.study.waves.annotate(invited=Count("invitations")).order_by("number")


def _require_owner(access: StudyAccess) -> None:
    # Changes are the owner's; others learn nothing from the answer, as for an unknown study.
    if not access.is_owner:
        raise Http404("No such study")
