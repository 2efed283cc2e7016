"""The survey's network pages: the people page and the grid (the study's default), and the
type-ahead both layouts use.

The people page names everyone once, with how often the respondent is in touch; the grid then
ticks, person by person, which of the study's networks apply. Neither page reads the roster
whole: the type-ahead asks ``people_found`` (JSON), and without JavaScript "Find" posts and
lists the matches, both through ``roster_find``; a page reads only the people already picked.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from placelab.web.studies.selectors.survey import FREQUENCIES, Step, Survey, network_label
from placelab.web.studies.selectors.survey_people import (
    FOUND_SHOWN,
    Named,
    named_people,
    roster_find,
    roster_people,
)
from placelab.web.studies.services.responses import (
    AnswerRejected,
    response_grid_save,
    response_people_save,
)
from placelab.web.surveys.flow import BACK, NEXT, data, go, reached, show, target
from placelab.web.surveys.forms import FREQUENCY_CHOICES, OUTSIDER_SLOTS, NetworkForm

OUTSIDER_FIELD = re.compile(r"^outsider_(\d+)$")
MAX_SLOTS = 100  # boxes for people not on the list a form takes: more is not a person's answer
MAX_ROWS = 1000  # grid rows read from a post
CHECK = "check"  # the grid shown again to ask about people ticked in no network


def people(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    """Everyone the respondent deals with in the study's field, and how often, named once."""
    named = (
        named_people(response=survey.response, networks=survey.study.networks)
        if request.method != "POST"
        else []
    )
    picks = {p.alter_id: p.frequency for p in named if p.alter_id is not None}
    outsiders = [(p.name, p.frequency) for p in named if p.alter_id is None]
    form = people_form(request, survey, outsiders)
    if form.is_bound and form.is_valid():
        to = target(request, survey, step)
        try:
            response_people_save(
                invitation=survey.invitation, alters=form.cleaned_data["alters"],
                outsiders=form.cleaned_data["outsiders"], reached=reached(survey, step, to),
            )  # fmt: skip
        except AnswerRejected as error:
            form.add_error(None, str(error))
        else:
            return go_or_find(request, survey, step, to, form)
    context = picker_context(request, survey, form, picks)
    question = f"Whom do you deal with in {survey.study.field} in {survey.study.locality}?"
    return show(request, survey, step, form, question=question, **context)


def grid(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    """Which of the study's networks apply to each person named: a tick box per person and
    network. Someone ticked in no network is kept as named; the page asks once about them."""
    if request.method == "POST":
        try:
            return _grid_save(request, survey, step)
        except AnswerRejected as error:
            errors = [("survey-form", str(error))]
    else:
        errors = []
    named = named_people(response=survey.response, networks=survey.study.networks)
    unticked = [p for p in named if not p.networks] if request.GET.get(CHECK) else []
    return show(request, survey, step, None, errors=errors, rows=_grid_rows(survey, named),
                networks=_networks(survey), unticked=unticked)  # fmt: skip


def _grid_save(request: HttpRequest, survey: Survey, step: Step) -> HttpResponse:
    to = target(request, survey, step)
    response_grid_save(
        invitation=survey.invitation,
        ticks=_posted_ticks(request),
        reached=reached(survey, step, to),
    )
    if request.POST.get("action", NEXT) != BACK:
        named = named_people(response=survey.response, networks=survey.study.networks)
        confirmed = set(request.POST.getlist("confirmed"))
        if any(not p.networks and p.key not in confirmed for p in named):
            return go(request, survey, step, fragment="unticked", **{CHECK: "1"})
    return go(request, survey, to)


def _posted_ticks(request: HttpRequest) -> list[tuple[int | str, list[str]]]:
    """The grid's rows as posted: row-<n> names the person (p<id> or o:<name>), row-<n>-net
    holds the networks ticked for them."""
    ticks: list[tuple[int | str, list[str]]] = []
    for n in range(MAX_ROWS):
        who = request.POST.get(f"row-{n}")
        if who is None:
            break
        if who.startswith("o:") and who[2:].strip():
            person: int | str = who[2:]
        elif who.startswith("p") and who[1:].isdigit():
            person = int(who[1:])
        else:
            raise AnswerRejected("Tick boxes only for the people you named.")
        ticks.append((person, request.POST.getlist(f"row-{n}-net")))
    return ticks


def _networks(survey: Survey) -> list[dict]:
    return [
        {"key": key, "label": network_label(key), "question": survey.study.question(key), "n": n}
        for n, key in enumerate(survey.study.networks)
    ]


def _grid_rows(survey: Survey, named: list[Named]) -> list[dict]:
    networks = survey.study.networks
    return [
        {
            "n": n, "person": person,
            "often": FREQUENCIES.get(int(person.frequency)) if person.frequency else "",
            "cells": [
                {"id": f"cell-{n}-{j}", "network": key, "label": network_label(key), "j": j,
                 "checked": key in person.networks}
                for j, key in enumerate(networks)
            ],
        }
        for n, person in enumerate(named)
    ]  # fmt: skip


def people_found(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The type-ahead's matches: ``q`` the words typed, ``not`` the ids already picked."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if not survey.consented:
        return JsonResponse({"error": "Agree to take part first."}, status=403)
    leave_out = [int(pk) for pk in request.GET.get("not", "").split(",") if pk.isdigit()]
    found, more = roster_find(
        invitation=survey.invitation, query=request.GET.get("q", "")[:200],
        leave_out=leave_out[:MAX_ROWS],
    )  # fmt: skip
    return JsonResponse({"people": found, "more": more})


def people_form(request: HttpRequest, survey: Survey, outsiders: list) -> NetworkForm:
    """The form of a page that names people: the posted ids checked against the roster."""
    posted = {int(v) for v in request.POST.getlist("alter") if v.isdigit()}
    allowed = [p["id"] for p in roster_people(invitation=survey.invitation, ids=posted)]
    if request.method == "POST":
        numbers = [int(m[1]) for k in request.POST if (m := OUTSIDER_FIELD.match(k))]
        slots = min(max([OUTSIDER_SLOTS, *numbers]), MAX_SLOTS)
    else:
        slots = len(outsiders) + OUTSIDER_SLOTS  # three empty boxes below those already named
    initial = {}
    for n, (name, frequency) in enumerate(outsiders[:slots], start=1):
        initial[f"outsider_{n}"], initial[f"outsider_{n}_freq"] = name, frequency
    return NetworkForm(data(request), roster_ids=allowed, slots=slots, initial=initial)


def picker_context(
    request: HttpRequest, survey: Survey, form: NetworkForm, picks: dict[int, str]
) -> dict:
    """What a page that names people shows: those picked, the no-JavaScript search, outsiders."""
    if form.is_bound:
        allowed = {int(pk) for pk, _label in form.fields["alter"].choices}
        posted = {int(v) for v in request.POST.getlist("alter") if v.isdigit()}
        picks = {pk: request.POST.get(f"freq-{pk}", "") for pk in posted & allowed}
    picked = roster_people(invitation=survey.invitation, ids=picks)
    searched = "q" in request.GET and not form.is_bound
    query = request.GET.get("q", "") if searched else form.data.get("q", "")
    found, more = (
        roster_find(invitation=survey.invitation, query=query, leave_out=picks)
        if searched
        else ([], False)
    )
    return {
        "picked": [{**p, "freq": picks[p["id"]]} for p in picked],
        "searched": searched, "query": query, "results": found, "more": more,
        "shown": FOUND_SHOWN, "frequencies": FREQUENCY_CHOICES,
        "find_url": reverse("survey:people", args=[survey.invitation.token]),
        "outsider_rows": [
            (form[f"outsider_{n}"], form[f"outsider_{n}_freq"], n)
            for n in range(1, form.slots + 1)
        ],
    }  # fmt: skip


def go_or_find(
    request: HttpRequest, survey: Survey, step: Step, to: Step, form: NetworkForm
) -> HttpResponse:
    """On to ``to``, or (Find, without JavaScript) this page again with the matches listed."""
    if to == step:
        return go(request, survey, step, fragment="results", q=form.cleaned_data["q"])
    return go(request, survey, to)
