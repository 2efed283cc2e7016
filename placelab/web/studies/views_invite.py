"""Inviting a wave: the invitations page, send, remind, revoke, and people named off the list.

All of it is the owner's: nobody else sees the private links or who was named off the list.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from placelab.core.errors import PlacelabError
from placelab.core.vocabulary import LAYERS
from placelab.web.security import POLICY_WITH_INLINE_STYLES
from placelab.web.studies.access import OWNER, StudyAccess, study_view, wave_of
from placelab.web.studies.models import Invitation, Participant, Study, Wave, choices
from placelab.web.studies.selectors.invitations import (
    Outsider,
    invitation_rows_page,
    outsiders_get,
)
from placelab.web.studies.selectors.roster import participant_key_next
from placelab.web.studies.services import invitations as service


def _to_invitations(wave: Wave) -> HttpResponse:
    return redirect("studies:invitations", wave.study_id, wave.number)


@study_view(needs=OWNER)
def invitations(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """The wave's figures, then the roster a page at a time with each link and how far each
    person got (searched and counted in the database); POST creates or renews."""
    wave = wave_of(access, number)
    if request.method == "POST":
        _invitations_post(request, wave)
        return _to_invitations(wave)
    search = request.GET.get("q", "")[:200]
    without_email = request.GET.get("show") == "without-email"
    page, rows = invitation_rows_page(
        wave=wave, number=request.GET.get("page"), search=search, without_email=without_email
    )
    context = {
        "access": access, "tab": "waves", "wave": wave, "page": page, "rows": rows,
        "figures": service.invitation_figures_get(wave=wave), "search": search,
        "without_email": without_email, "remind_hours": service.REMIND_EVERY_HOURS,
        "own_wording": bool(access.study.invitation_text or access.study.invitation_subject),
    }  # fmt: skip
    return render(request, "studies/invite/invitations.html", context)


@study_view(needs=OWNER)
@require_GET
def invitations_status(request: HttpRequest, access: StudyAccess, number: int) -> JsonResponse:
    """The invitations page's figures, for its script to keep them current (invite-live.js)."""
    wave = wave_of(access, number)
    body = {
        "status": wave.status,
        "as_of": timezone.now().isoformat(timespec="seconds"),
        **asdict(service.invitation_figures_get(wave=wave)),
    }
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


def _invitations_post(request: HttpRequest, wave: Wave) -> None:
    action = request.POST.get("action")
    try:
        if action == "create":
            made = service.invitations_create(wave=wave)
            messages.success(request, _created_message(made))
        elif action == "renew":
            invitation = get_object_or_404(Invitation, pk=request.POST.get("invitation"), wave=wave)
            if service.invitation_renew(invitation=invitation):
                messages.success(request, f"{invitation.participant} has a new link.")
    except PlacelabError as error:
        messages.error(request, str(error))


def _created_message(made: int) -> str:
    if made == 0:
        return "Everyone on the roster already has an invitation."
    return f"Created {made} invitation{'s' if made != 1 else ''}."


@study_view(needs=OWNER)
@require_POST
def send(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """Queue the emailing of every active invitation not yet sent to someone with an address."""
    wave = wave_of(access, number)
    try:
        due = service.emails_request(wave=wave, kind=service.INVITATION)
    except PlacelabError as error:
        messages.error(request, str(error))
        return _to_invitations(wave)
    if due:
        messages.success(request, f"{_emails(due, 'invitation')} going out now: {QUEUED}")
    else:
        messages.info(request, "Everyone with an email address has been sent their link.")
    missing = service.without_email_get(wave=wave).count()
    if missing:
        who = "1 person has" if missing == 1 else f"{missing} people have"
        messages.info(request, f"{who} no email address: copy their links below.")
    return _to_invitations(wave)


@study_view(needs=OWNER)
@require_POST
def remind(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """Queue a reminder to those sent a link who have not submitted, at most once a day each."""
    wave = wave_of(access, number)
    now = timezone.now()
    try:
        due = service.emails_request(wave=wave, kind=service.REMINDER, now=now)
    except PlacelabError as error:
        messages.error(request, str(error))
        return _to_invitations(wave)
    if due:
        messages.success(request, f"{_emails(due, 'reminder')} going out now: {QUEUED}")
    else:
        messages.info(request, "No one is due a reminder now.")
    waiting = service.reminders_waiting_count(wave=wave, now=now)
    if waiting:
        who = "1 more was" if waiting == 1 else f"{waiting} more were"
        messages.info(request, f"{who} contacted in the last 24 hours: not reminded yet.")
    return _to_invitations(wave)


# The worker sends them; one the mail server refuses stays "not sent" for the next press.
QUEUED = "the figures below follow them as they go."


def _emails(count: int, what: str) -> str:
    return f"1 {what} is" if count == 1 else f"{count} {what}s are"


@study_view(needs=OWNER)
@require_POST
def revoke(
    request: HttpRequest, access: StudyAccess, number: int, invitation_id: int
) -> HttpResponse:
    """Close one private link for good; the owner may then issue a new one."""
    wave = wave_of(access, number)
    invitation = get_object_or_404(Invitation, pk=invitation_id, wave=wave)
    if service.invitation_revoke(invitation=invitation, now=timezone.now()):
        messages.success(request, f"{invitation.participant}'s link is revoked: it opens nothing.")
    return _to_invitations(wave)


class WordingForm(forms.Form):
    """The invitation's own subject and text, with placeholders filled for each person."""

    subject = forms.CharField(max_length=200, required=False, label="Subject")
    text = forms.CharField(
        required=False, label="Text", widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Plain text. Leave a blank line between paragraphs.",
    )  # fmt: skip

    def clean_subject(self) -> str:
        return _checked(self.cleaned_data["subject"], subject=True)

    def clean_text(self) -> str:
        return _checked(self.cleaned_data["text"], subject=False)


def _checked(value: str, *, subject: bool) -> str:
    problems = service.wording_problems(value, subject=subject)
    if problems:
        raise forms.ValidationError(problems)
    return value


# Who the preview is addressed to when the roster has no one named yet, and the link it shows:
# never a real person's private link.
SAMPLE_NAME = "Sam Example"
SAMPLE_TOKEN = "example-private-link"


@study_view(needs=OWNER)
def invitation_wording(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """Edit the invitation email's wording and see it, as sent, before saving it."""
    wave = wave_of(access, number)
    study = access.study
    subject, text = service.standard_wording(wave=wave)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "standard":
        service.wording_save(study=study, subject="", text="", wave=wave)
        messages.success(request, "Invitations will use the standard wording.")
        return redirect("studies:invitation_wording", study.pk, wave.number)
    initial = {
        "subject": study.invitation_subject or subject,
        "text": study.invitation_text or text,
    }
    form = WordingForm(request.POST if action else None, initial=initial)
    if action and form.is_valid():
        if action == "save":
            service.wording_save(study=study, wave=wave, **form.cleaned_data)
            messages.success(request, "Saved: invitations sent from now on use this wording.")
            return redirect("studies:invitation_wording", study.pk, wave.number)
        shown = service.wording_own(wave=wave, **form.cleaned_data)
    else:
        shown = None if form.is_bound else (study.invitation_subject, study.invitation_text)
    preview, name = _preview(wave, *shown) if shown else (None, "")
    context = {
        "access": access, "tab": "waves", "wave": wave, "form": form,
        "placeholders": service.PLACEHOLDERS, "preview": preview, "preview_name": name,
        "unsaved": action == "preview", "standard": not study.invitation_text,
        "closes_empty": wave.closes is None and "{closes}" in (shown or ("", ""))[1],
    }  # fmt: skip
    response = render(
        request, "studies/invite/wording.html", context, status=400 if form.errors else 200
    )
    response.headers["Content-Security-Policy"] = POLICY_WITH_INLINE_STYLES
    return response


def _preview(wave: Wave, subject: str, text: str) -> tuple[mail.EmailMultiAlternatives, str]:
    """The email as the first person on the roster would get it, with a stand-in link; the
    wording is set on a copy of the study held in memory only."""
    study = copy.copy(wave.study)
    study.invitation_subject, study.invitation_text = subject, text
    person = Participant.objects.current().filter(study=study, name__gt="").first()
    person = person or Participant(study=study, name=SAMPLE_NAME, key="example")
    sample = copy.copy(wave)
    sample.study = study
    invitation = Invitation(wave=sample, participant=person, token=SAMPLE_TOKEN)
    return service.invitation_email(invitation=invitation), str(person)


class OutsiderForm(forms.Form):
    """Someone named off the list, as they will stand on the roster."""

    key = forms.CharField(
        label="Roster id", max_length=100, help_text="Unique in this study; the id of people.csv."
    )
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254, required=False)  # the model's length
    organisation = forms.ModelChoiceField(queryset=None, required=False, empty_label="None")
    sector = forms.ChoiceField(required=False, help_text="Leave blank to take the organisation's.")
    layer = forms.ChoiceField(required=False, help_text="Leave blank to take the organisation's.")

    def __init__(self, *args, study: Study, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        self.fields["organisation"].queryset = study.organisations.all()
        self.fields["sector"].choices = [("", "---")] + choices(study.sectors)
        self.fields["layer"].choices = [("", "---")] + choices(LAYERS)

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if Participant.objects.filter(study=self.study, key=key).exists():
            raise forms.ValidationError(f"The roster id '{key}' is already used.")
        return key

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("organisation"):
            for name in ("sector", "layer"):
                if not data.get(name):
                    self.add_error(name, f"Choose a {name}, or an organisation to take it from.")
        return data


def outsider_form_prefix(outsider: Outsider) -> str:
    """A form prefix that stays the same however the list is ordered when the form comes back."""
    return "o" + hashlib.sha256(outsider.key.encode()).hexdigest()[:10]


def _blank_form(study: Study, outsider: Outsider, key: str) -> OutsiderForm:
    initial = {"name": outsider.name, "key": key}
    return OutsiderForm(study=study, prefix=outsider_form_prefix(outsider), initial=initial)


# Names on one page of the outsiders list: each carries a form, and Django's widget templates
# take some 10 ms of CPU to draw one, so five a page keep the page quick at 10,000 people.
OUTSIDERS_PER_PAGE = 5


@study_view(needs=OWNER)
def outsiders(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    """People respondents named as 'someone not on the list', most named first, a page at a
    time, each not yet added with a form to add them."""
    wave = wave_of(access, number)
    study = access.study
    found = outsiders_get(wave=wave)
    bound = _outsider_post(request, study, found) if request.method == "POST" else None
    if bound is True:
        return redirect("studies:outsiders", study.pk, wave.number)
    page_number = request.GET.get("page")
    if isinstance(bound, OutsiderForm):  # back to the page of the form with its errors
        at = next(n for n, o in enumerate(found) if outsider_form_prefix(o) == bound.prefix)
        page_number = at // OUTSIDERS_PER_PAGE + 1
    page = Paginator(found, OUTSIDERS_PER_PAGE).get_page(page_number)
    key = participant_key_next(study=study)
    entries = []
    for outsider in page.object_list:
        form = None
        if isinstance(bound, OutsiderForm) and bound.prefix == outsider_form_prefix(outsider):
            form = bound
        elif outsider.added is None:
            form = _blank_form(study, outsider, key)
        entries.append((outsider, form))
    context = {"access": access, "tab": "waves", "wave": wave, "entries": entries, "page": page}
    status = 400 if isinstance(bound, OutsiderForm) else 200
    return render(request, "studies/invite/outsiders.html", context, status=status)


def _outsider_post(
    request: HttpRequest, study: Study, found: list[Outsider]
) -> OutsiderForm | bool | None:
    """True when the person was added; the bound form with its errors when not."""
    outsider = next((o for o in found if o.key == request.POST.get("outsider")), None)
    if outsider is None or outsider.added is not None:
        messages.error(request, "That person is no longer waiting to be added.")
        return None
    form = OutsiderForm(request.POST, study=study, prefix=outsider_form_prefix(outsider))
    if form.is_valid():
        try:
            person = service.outsider_add(study=study, **form.cleaned_data)
        except PlacelabError as error:
            form.add_error(None, str(error))
            return form
        except ValidationError as error:  # the key was taken meanwhile
            form.add_error(None, error)
            return form
        messages.success(request, f"{person.name} is on the roster, ready for the next wave.")
        return True
    return form
