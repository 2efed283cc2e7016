"""How a saved survey page leads on, shared by every kind of page: where next, and the page drawn.

A page reached by "Change" on the review carries ``from=review`` (in its address, then in its
form) so that saving it returns to the review; the people page of a grid survey goes through
the grid first, so that anyone just named is asked about.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from placelab.web.studies.selectors.survey import PEOPLE, REVIEW, Step, Survey, time_left

NEXT, BACK, FIND = "next", "back", "find"
FROM, REVIEWING = "from", "review"


def data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def returning(request: HttpRequest) -> bool:
    """Whether the page was opened from the review's "Change" link."""
    source = request.POST if request.method == "POST" else request.GET
    return source.get(FROM) == REVIEWING


def target(request: HttpRequest, survey: Survey, step: Step) -> Step:
    """Where a saved page leads: on (or back to the review), back, or (Find) the same page."""
    action = request.POST.get("action", NEXT)
    if action == BACK:
        return survey.before(step)
    if action == FIND:
        return step
    if returning(request) and step.kind != PEOPLE:
        return survey.step(REVIEW) or survey.after(step)
    return survey.after(step)


def reached(survey: Survey, step: Step, target: Step) -> str:
    return max(step, target, key=survey.number).slug


def go(
    request: HttpRequest, survey: Survey, target: Step, *, fragment: str = "", **query: str
) -> HttpResponse:
    """Redirect to ``target``, keeping ``from=review`` on the way back to the review."""
    if returning(request) and target.kind != REVIEW:
        query[FROM] = REVIEWING
    url = reverse("survey:page", args=[survey.invitation.token, target.slug])
    if query:
        url += "?" + urlencode(query)
    return redirect(url + (f"#{fragment}" if fragment else ""))


def show(request: HttpRequest, survey: Survey, step: Step, form, **context) -> HttpResponse:
    number = survey.number(step)
    seconds_left, seconds = time_left(survey=survey, step=step)
    return render(request, f"surveys/{step.kind}.html", {
        "survey": survey, "study": survey.study, "wave": survey.wave, "step": step,
        "token": survey.invitation.token, "form": form,
        "errors": form.summary() if form is not None and form.is_bound else [],
        "number": number, "total": survey.total, "first": number == 1,
        "returning": returning(request), "seconds": seconds, "seconds_done": seconds - seconds_left,
        "minutes_left": math.ceil(seconds_left / 60), "minutes": math.ceil(seconds / 60),
        **context,
    })  # fmt: skip
