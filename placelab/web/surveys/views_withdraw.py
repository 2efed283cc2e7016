"""A respondent withdraws from the study from their own link, or downloads what it holds of them.

Withdrawing deletes their answers and others' nominations of them and blanks their name and
email (``services.erasure.participant_withdraw``); afterwards the link opens nothing, as an
unknown token does. It works whether or not the wave is still open.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from placelab.web.studies.models import Invitation
from placelab.web.studies.selectors.erasure import person_export
from placelab.web.studies.selectors.survey import invitation_by_token
from placelab.web.studies.services.erasure import participant_withdraw
from placelab.web.studies.views_protection import person_json


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    context = {"study": invitation.wave.study, "wave": invitation.wave, "token": token}
    if request.method == "POST" and request.POST.get("confirm") == "withdraw":
        participant_withdraw(participant=invitation.participant)
        return render(request, "surveys/withdrawn.html", context)
    return render(request, "surveys/withdraw.html", context)


@never_cache
@require_GET
def my_data(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    return person_json(person_export(participant=invitation.participant), "my-data.json")


def _invitation(token: str) -> Invitation:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise Http404("No such survey")  # unknown, revoked and withdrawn alike
    return invitation
