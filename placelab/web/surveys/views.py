"""The respondent's survey: no sign-in, the invitation's token is the only key.

Every page shows on GET and saves on POST, then redirects (POST/redirect/GET), so reloading
never posts twice. "Back" and the no-JavaScript "Find" save too. An unknown and a revoked token
get the same 404; a wave that is not open shows why and takes no POST.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from placelab.web.studies.models import Invitation, Wave
from placelab.web.studies.selectors.survey import (
    ABOUT,
    ASSESSMENT,
    CONSENT,
    GRID,
    JOINED,
    NETWORK,
    PEOPLE,
    REVIEW,
    THANKS,
    Step,
    Survey,
    assessment_values,
    group_items,
    invitation_by_token,
    network_picks,
    review_sections,
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
from placelab.web.surveys import views_people
from placelab.web.surveys.flow import BACK, data, go, reached, show, target
from placelab.web.surveys.forms import (
    AboutForm,
    AssessmentForm,
    ConsentForm,
)


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


@never_cache
def people_found(request: HttpRequest, token: str) -> HttpResponse:
    """The type-ahead's search (JSON): the respondent's token is the key, as for the pages."""
    invitation = _invitation(token)
    if not invitation.wave.is_open:
        return _closed(request, invitation)
    return views_people.people_found(request, survey_get(invitation=invitation))


def _consent(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    form = ConsentForm(data(request), initial={"agree": survey.consented})
    if form.is_bound and form.is_valid():
        response_consent_give(invitation=survey.invitation, reached=survey.after(step).slug)
        return go(request, survey, survey.after(step))
    return show(request, survey, step, form, readers=survey_readers(study=survey.study))


def _about(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    about = survey.response.about if survey.response else {}
    form = AboutForm(
        data(request),
        organisations=dict(survey.study.organisations.values_list("pk", "name")),
        attributes=survey.study.attributes,
        initial=AboutForm.initial_from(about, survey.invitation.participant),
    )
    if form.is_bound and form.is_valid():
        to = target(request, survey, step)
        response_about_save(
            invitation=survey.invitation, about=form.about(), reached=reached(survey, step, to)
        )
        return go(request, survey, to)
    return show(request, survey, step, form)


def _network(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    """One network's page (a study that asks a page per network)."""
    # What was saved before is shown on GET; a POST replaces it and needs none of it.
    picks, outsiders = (
        network_picks(response=survey.response, network=step.key)
        if request.method != "POST"
        else ({}, [])
    )
    form = views_people.people_form(request, survey, outsiders)
    if form.is_bound and form.is_valid():
        to = target(request, survey, step)
        try:
            response_nominations_save(
                invitation=survey.invitation, network=step.key,
                alters=form.cleaned_data["alters"], outsiders=form.cleaned_data["outsiders"],
                reached=reached(survey, step, to),
            )  # fmt: skip
        except AnswerRejected as error:
            form.add_error(None, str(error))
        else:
            return views_people.go_or_find(request, survey, step, to, form)
    context = views_people.picker_context(request, survey, form, picks)
    return show(request, survey, step, form, question=survey.study.question(step.key), **context)


def _assessment(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    items = group_items(survey.bank, step.key)
    saved = (
        assessment_values(response=survey.response, items=[i.id for i in items])
        if request.method != "POST"
        else {}  # a POST replaces the page's answers: what was saved is not shown
    )
    form = AssessmentForm(
        data(request), items=items, answer_scale=survey.bank.answer_scale, initial=saved
    )
    if form.is_bound and form.is_valid():
        to = target(request, survey, step)
        response_answers_save(
            invitation=survey.invitation, group=step.key, values=form.values(),
            reached=reached(survey, step, to),
        )  # fmt: skip
        return go(request, survey, to)
    # Statements are numbered through the page, across its groups' headings.
    groups = [g for g in survey.bank.groups if g.id in step.key.split(JOINED)]
    shown = [(g, [form[i.id] for i in group_items(survey.bank, g.id)]) for g in groups]
    numbers = count(1)
    sections = [(g, [(next(numbers), field) for field in fields]) for g, fields in shown]
    return show(request, survey, step, form, sections=sections, scale=survey.bank.answer_scale)


def _review(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("action") == BACK:
            return go(request, survey, survey.before(step))
        # Submitting twice (a double click, two tabs) finds it submitted and changes nothing.
        response_submit(invitation=survey.invitation)
        return go(request, survey, survey.after(step))
    return show(request, survey, step, None, sections=review_sections(survey=survey))


def _thanks(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    if not survey.submitted:
        return redirect("survey:page", survey.invitation.token, REVIEW)
    return show(request, survey, step, None)


HANDLERS: dict[str, Callable[[HttpRequest, Survey, Step], HttpResponse]] = {
    CONSENT: _consent,
    ABOUT: _about,
    NETWORK: _network,
    PEOPLE: views_people.people,
    GRID: views_people.grid,
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
    # An archived wave (or study) will not open: its draft says closed, not "not open yet".
    archived = wave.archived is not None or wave.study.archived is not None
    context = {
        "study": wave.study,
        "wave": wave,
        "not_yet": wave.status == Wave.DRAFT and not archived,
    }
    return render(
        request, "surveys/closed.html", context, status=409 if request.method == "POST" else 200
    )
