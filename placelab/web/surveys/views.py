"""The respondent's survey: no sign-in, the invitation's token is the only key.

Every page shows on GET and saves on POST, then redirects (POST/redirect/GET), so reloading
never posts twice. "Back" and the no-JavaScript "Find" save too. An unknown and a revoked token
get the same 404; a wave that is not open shows why and takes no POST.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from placelab.web.studies.models import Invitation, Wave
from placelab.web.studies.selectors.survey import (
    ABOUT,
    ASSESSMENT,
    CONSENT,
    NETWORK,
    REVIEW,
    THANKS,
    Step,
    Survey,
    assessment_values,
    group_items,
    invitation_by_token,
    network_picks,
    review_sections,
    roster_get,
    roster_search,
    survey_get,
    survey_readers,
)
from placelab.web.studies.services.responses import (
    AnswerRejected,
    WaveClosed,
    response_about_save,
    response_answers_save,
    response_consent_give,
    response_nominations_save,
    response_submit,
)
from placelab.web.surveys.forms import (
    FREQUENCY_CHOICES,
    OUTSIDER_SLOTS,
    AboutForm,
    AssessmentForm,
    ConsentForm,
    NetworkForm,
    SurveyForm,
)

NEXT, BACK, FIND = "next", "back", "find"
# Without JavaScript, "Find" lists matching people as checkboxes: enough to scan, not a flood.
RESULTS_SHOWN = 50


# A survey page holds a respondent's answers and names: no browser or proxy may keep a copy.
@never_cache
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation: on to the furthest page reached (consent the first time)."""
    invitation = _invitation(token)
    if not invitation.wave.is_open:
        return _closed(request, invitation)
    return redirect("survey:page", token, survey_get(invitation=invitation).resume)


@never_cache
def page(request: HttpRequest, token: str, page: str) -> HttpResponse:
    invitation = _invitation(token)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not invitation.wave.is_open:
        return _closed(request, invitation)
    survey = survey_get(invitation=invitation)
    step = survey.step(page)
    if step is None:
        raise Http404("No such page")
    if step.kind != CONSENT and not survey.consented:
        return redirect("survey:page", token, CONSENT)
    try:
        return HANDLERS[step.kind](request, survey, step)
    except WaveClosed:
        # The owner closed the wave while this page was open: nothing was saved.
        return _closed(request, invitation)


def _consent(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    form = ConsentForm(_data(request), initial={"agree": survey.consented})
    if form.is_bound and form.is_valid():
        response_consent_give(invitation=survey.invitation, reached=survey.after(step).slug)
        return _go(survey, survey.after(step))
    return _show(request, survey, step, form, readers=survey_readers(study=survey.study))


def _about(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    about = survey.response.about if survey.response else {}
    form = AboutForm(
        _data(request),
        organisations=dict(survey.study.organisations.values_list("pk", "name")),
        attributes=survey.study.attributes,
        initial=AboutForm.initial_from(about, survey.invitation.participant),
    )
    if form.is_bound and form.is_valid():
        target = _target(request, survey, step)
        response_about_save(
            invitation=survey.invitation, about=form.about(), reached=_reached(survey, step, target)
        )
        return _go(survey, target)
    return _show(request, survey, step, form)


def _network(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    roster = roster_get(invitation=survey.invitation)
    # What was saved before is shown on GET; a POST replaces it and needs none of it.
    picks, outsiders = (
        network_picks(response=survey.response, network=step.key)
        if request.method != "POST"
        else ({}, [])
    )
    form = NetworkForm(
        _data(request), roster_ids=[p["id"] for p in roster], initial=_outsider_initial(outsiders)
    )
    if form.is_bound and form.is_valid():
        target = _target(request, survey, step)
        try:
            response_nominations_save(
                invitation=survey.invitation, network=step.key,
                alters=form.cleaned_data["alters"], outsiders=form.cleaned_data["outsiders"],
                reached=_reached(survey, step, target),
            )  # fmt: skip
        except AnswerRejected as error:
            form.add_error(None, str(error))
        else:
            return _go(survey, target, query=form.cleaned_data["q"] if target == step else None)
    if form.is_bound:
        picks = {pk: request.POST.get(f"freq-{pk}", "") for pk in _posted_ids(request, roster)}
    return _show(request, survey, step, form, **_network_context(request, survey, step, form,
                                                                 roster, picks))  # fmt: skip


def _network_context(
    request: HttpRequest,
    survey: Survey,
    step: Step,
    form: NetworkForm,
    roster: list[dict],
    picks: dict[int, str],
) -> dict:
    searched = "q" in request.GET and not form.is_bound
    query = request.GET.get("q", "") if searched else form.data.get("q", "")
    found = [p for p in roster_search(roster, query) if p["id"] not in picks] if searched else []
    return {
        "question": survey.study.question(step.key),
        "roster": roster,
        "picked": [{**p, "freq": picks[p["id"]]} for p in roster if p["id"] in picks],
        "searched": searched,
        "query": query,
        "results": found[:RESULTS_SHOWN],
        "more": max(len(found) - RESULTS_SHOWN, 0),
        "frequencies": FREQUENCY_CHOICES,
        "outsider_rows": [
            (form[f"outsider_{n}"], form[f"outsider_{n}_freq"], n)
            for n in range(1, OUTSIDER_SLOTS + 1)
        ],
    }


def _assessment(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    items = group_items(survey.bank, step.key)
    saved = (
        assessment_values(response=survey.response, items=[i.id for i in items])
        if request.method != "POST"
        else {}  # a POST replaces the page's answers: what was saved is not shown
    )
    form = AssessmentForm(
        _data(request), items=items, answer_scale=survey.bank.answer_scale, initial=saved
    )
    if form.is_bound and form.is_valid():
        target = _target(request, survey, step)
        response_answers_save(
            invitation=survey.invitation, group=step.key, values=form.values(),
            reached=_reached(survey, step, target),
        )  # fmt: skip
        return _go(survey, target)
    group = next(g for g in survey.bank.groups if g.id == step.key)
    return _show(request, survey, step, form, group=group, scale=survey.bank.answer_scale)


def _review(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("action") == BACK:
            return _go(survey, survey.before(step))
        # Submitting twice (a double click, two tabs) finds it submitted and changes nothing.
        response_submit(invitation=survey.invitation)
        return _go(survey, survey.after(step))
    return _show(request, survey, step, None, sections=review_sections(survey=survey))


def _thanks(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    if not survey.submitted:
        return redirect("survey:page", survey.invitation.token, REVIEW)
    return _show(request, survey, step, None)


HANDLERS: dict[str, Callable[[HttpRequest, Survey, Step], HttpResponse]] = {
    CONSENT: _consent,
    ABOUT: _about,
    NETWORK: _network,
    ASSESSMENT: _assessment,
    REVIEW: _review,
    THANKS: _thanks,
}


def _invitation(token: str) -> Invitation:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        # Unknown and revoked alike: the answer must not tell a guesser which tokens exist.
        raise Http404("No such survey")
    return invitation


def _closed(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Why the survey takes no answers; a POST is refused (409) and changes nothing."""
    wave = invitation.wave
    context = {"study": wave.study, "wave": wave, "not_yet": wave.status == Wave.DRAFT}
    return render(
        request, "surveys/closed.html", context, status=409 if request.method == "POST" else 200
    )


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _target(request: HttpRequest, survey: Survey, step: Step) -> Step:
    """Where a saved page leads: on, back, or (Find) the same page again."""
    action = request.POST.get("action", NEXT)
    if action == BACK:
        return survey.before(step)
    return step if action == FIND else survey.after(step)


def _reached(survey: Survey, step: Step, target: Step) -> str:
    return max(step, target, key=survey.number).slug


def _go(survey: Survey, target: Step, query: str | None = None) -> HttpResponse:
    url = reverse("survey:page", args=[survey.invitation.token, target.slug])
    if query is not None:
        url += "?" + urlencode({"q": query}) + "#results"
    return redirect(url)


def _posted_ids(request: HttpRequest, roster: list[dict]) -> list[int]:
    on_roster = {str(p["id"]): p["id"] for p in roster}
    return [on_roster[v] for v in request.POST.getlist("alter") if v in on_roster]


def _outsider_initial(outsiders: list[tuple[str, str]]) -> dict:
    initial = {}
    for n, (name, frequency) in enumerate(outsiders[:OUTSIDER_SLOTS], start=1):
        initial[f"outsider_{n}"] = name
        initial[f"outsider_{n}_freq"] = frequency
    return initial


def _show(
    request: HttpRequest, survey: Survey, step: Step, form: SurveyForm | None, **context
) -> HttpResponse:
    number = survey.number(step)
    return render(request, f"surveys/{step.kind}.html", {
        "survey": survey, "study": survey.study, "wave": survey.wave, "step": step,
        "token": survey.invitation.token, "form": form,
        "errors": form.summary() if form is not None and form.is_bound else [],
        "number": number, "total": survey.total, "first": number == 1, **context,
    })  # fmt: skip
