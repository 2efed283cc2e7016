"""Two analysed waves of a study compared: choose them, compare them, watch it, read it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from placelab.web.studies.access import ANALYST, VIEWER, StudyAccess, study_view
from placelab.web.studies.models import Comparison
from placelab.web.studies.selectors import comparison as selectors
from placelab.web.studies.selectors.results import run_is_stale
from placelab.web.studies.services.audit import audit_saw_names
from placelab.web.studies.services.comparison import (
    ACTIVE,
    ComparisonRefused,
    comparison_request,
    stale_message,
)

SAME_WAVE = "Choose two different waves that have been analysed."


@study_view(needs=VIEWER)
@require_GET
def compare(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    waves = selectors.analysed_waves(access.study)
    pair = selectors.chosen_pair(waves, request.GET.get("before"), request.GET.get("after"))
    if _same_wave(request.GET) and pair is not None:
        messages.error(request, f"{SAME_WAVE} The latest two are shown.")
    context = {"access": access, "tab": "overview", "waves": waves, "pair": pair}
    if pair is not None:
        context |= _pair_context(access, *pair, network=request.GET.get("network"))
        if context.get("change") and access.sees_names:
            audit_saw_names(user=request.user, study=access.study, page=_page_name(pair))
    return render(request, "studies/compare/compare.html", context)


def _pair_context(access: StudyAccess, before, after, *, network: str | None) -> dict:
    comparison = selectors.pair_comparison(before.run, after.run)
    stale = [(w.wave, stale_message(w.wave)) for w in (before, after) if run_is_stale(w.run)]
    context = {"comparison": comparison, "stale": stale, "steps_expected": len(selectors.STEPS)}
    if comparison is None:
        return context
    context["active"] = comparison.status in ACTIVE
    if comparison.status == Comparison.DONE:
        context["change"] = selectors.comparison_page(access, comparison, network)
        context["parameters"] = comparison.parameters
        context["command"] = selectors.compare_command(comparison)
    return context


def _same_wave(data) -> bool:
    """Was one wave chosen as both the earlier and the later?"""
    return bool(data.get("before")) and data.get("before") == data.get("after")


def _page_name(pair) -> str:
    return f"the comparison of {pair[0].wave} with {pair[1].wave}"


@study_view(needs=ANALYST)
@require_POST
def compare_run(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    waves = selectors.analysed_waves(access.study)
    pair = selectors.chosen_pair(waves, request.POST.get("before"), request.POST.get("after"))
    if pair is None or _same_wave(request.POST):
        messages.error(request, SAME_WAVE)
        return redirect("studies:compare", access.study.pk)
    before, after = pair
    existing = selectors.pair_comparison(before.run, after.run)
    try:
        comparison_request(before=before.run, after=after.run, user=request.user)
    except ComparisonRefused as refused:
        messages.error(request, str(refused))
    else:
        if existing is not None and existing.status != Comparison.FAILED:
            messages.info(request, "These waves are already compared, or being compared.")
        else:
            messages.success(request, "The comparison is queued. This page shows its progress.")
    query = f"?before={before.wave.number}&after={after.wave.number}"
    return redirect(reverse("studies:compare", args=[access.study.pk]) + query)


@study_view(needs=VIEWER)
@require_GET
def compare_status(request: HttpRequest, access: StudyAccess, comparison_id: int) -> JsonResponse:
    """The comparison's status, step and times, polled by progress.js while it runs."""
    comparison = selectors.comparison_of(access, comparison_id)
    return JsonResponse(selectors.comparison_status(comparison))


@study_view(needs=VIEWER)
@require_GET
def compare_json(request: HttpRequest, access: StudyAccess, comparison_id: int) -> JsonResponse:
    """The finished comparison as stored; for viewers, the core's viewer copy, marked
    ``"pseudonymised": true``."""
    comparison = selectors.comparison_of(access, comparison_id)
    if comparison.status != Comparison.DONE:
        raise Http404("This comparison has not finished")
    before, after = comparison.before, comparison.after
    shown = selectors.shown_comparison(access, comparison)["comparison"]
    if access.sees_names:
        page = f"the comparison of {before.wave} with {after.wave} as JSON"
        audit_saw_names(user=request.user, study=access.study, page=page)
    response = JsonResponse(
        {
            "before": {"wave": before.wave.number, "run": before.pk,
                       "inputs_hash": before.inputs_hash},
            "after": {"wave": after.wave.number, "run": after.pk,
                      "inputs_hash": after.inputs_hash},
            "parameters": comparison.parameters,
            "pseudonymised": not access.sees_names,
            "comparison": shown,
        },
        json_dumps_params={"ensure_ascii": False},
    )  # fmt: skip
    name = (
        f"placelab-study{access.study.pk}-wave{before.wave.number}-"
        f"wave{after.wave.number}-comparison{comparison.pk}.json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
