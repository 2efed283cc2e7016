"""The owner's roster: organisations, people one by one, and an import checked before saving."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from placelab.core.errors import InputError
from placelab.core.io.tables import Table, read_table_bytes
from placelab.web.studies.access import OWNER, StudyAccess, study_view
from placelab.web.studies.forms_setup import OrganisationForm, ParticipantForm, RosterUploadForm
from placelab.web.studies.models import Organisation, Participant, Study
from placelab.web.studies.selectors import roster as selectors
from placelab.web.studies.services import roster as services

IMPORT = "studies/setup/roster_import.html"


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    editing = _chosen(request, Organisation, study, "organisation")
    form = OrganisationForm(_data(request), study=study, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            if editing is None:
                services.organisation_create(study=study, **form.cleaned_data)
            else:
                services.organisation_update(organisation=editing, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Organisation saved: {form.cleaned_data['name']}.")
            return redirect("studies:organisations", study.pk)
    context = {
        "access": access, "tab": "organisations", "form": form, "editing": editing,
        "organisations": selectors.organisation_list(study=study),
    }  # fmt: skip
    return render(request, "studies/setup/organisations.html", context)


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    editing = _chosen(request, Participant, study, "participant")
    form = ParticipantForm(_data(request), study=study, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_person(study, editing, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {saved.key} on the roster.")
            return redirect("studies:roster", study.pk)
    context = {
        "access": access, "tab": "roster", "form": form, "editing": editing,
        "people": selectors.participant_list(study=study),
    }  # fmt: skip
    return render(request, "studies/setup/roster.html", context)


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    """Upload, then a preview of every row and problem, then confirm: only then is it saved."""
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _import_confirm(request, access)
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        return _import_preview(request, access, form.cleaned_data["file"], form)
    context = {"access": access, "tab": "roster", "form": form or RosterUploadForm()}
    return render(request, IMPORT, context)


def _import_preview(
    request: HttpRequest, access: StudyAccess, upload: UploadedFile, form: RosterUploadForm
) -> HttpResponse:
    request.session.pop(_session_key(access.study), None)
    try:
        table = read_table_bytes(upload.read(), upload.name or "upload")
    except InputError as error:  # not a table at all: say why, beside the file field
        form.add_error("file", str(error))
        return render(request, IMPORT, {"access": access, "tab": "roster", "form": form})
    preview = selectors.roster_preview(study=access.study, table=table)
    ticket = ""
    if not preview.problems:
        ticket = _keep(request, access.study, table)
    return _render_preview(request, access, preview, ticket)


def _import_confirm(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    kept = request.session.get(_session_key(access.study))
    if not kept or kept.get("ticket") != request.POST.get("ticket"):
        messages.error(
            request,
            "Nothing was imported: this preview is no longer current (it expired, was already "
            "saved, or another file was uploaded since). Please upload the file again.",
        )
        return redirect("studies:roster_import", access.study.pk)
    table = Table(kept["file"], tuple(kept["columns"]), tuple((r, c) for r, c in kept["rows"]))
    # Check again: the study's sectors or roster may have changed since the preview.
    preview = selectors.roster_preview(study=access.study, table=table)
    if preview.problems:
        request.session.pop(_session_key(access.study), None)
        return _render_preview(request, access, preview, "")
    added, updated = services.roster_import(study=access.study, rows=preview.rows)
    request.session.pop(_session_key(access.study), None)
    messages.success(request, f"Imported {table.file}: {added} added, {updated} updated.")
    return redirect("studies:roster", access.study.pk)


def _render_preview(
    request: HttpRequest, access: StudyAccess, preview: selectors.RosterPreview, ticket: str
) -> HttpResponse:
    context = {"access": access, "tab": "roster", "preview": preview, "ticket": ticket}
    return render(request, "studies/setup/roster_preview.html", context)


def _keep(request: HttpRequest, study: Study, table: Table) -> str:
    """Keep the checked rows in the session (never on disk) until the owner confirms."""
    ticket = secrets.token_urlsafe(16)
    request.session[_session_key(study)] = {
        "ticket": ticket, "file": table.file, "columns": list(table.columns),
        "rows": [[row, cells] for row, cells in table.rows],
    }  # fmt: skip
    return ticket


def _session_key(study: Study) -> str:
    return f"roster_import:{study.pk}"


def _save_person(study: Study, editing: Participant | None, form: ParticipantForm) -> Participant:
    data = form.cleaned_data
    person = services.PersonFields(
        key=data["key"], name=data["name"], email=data["email"], sector=data["sector"],
        layer=data["layer"], seniority=data["seniority"], attributes=form.attributes(),
        organisation=data["organisation"], new_organisation=data["new_organisation"],
    )  # fmt: skip
    if editing is None:
        return services.participant_create(study=study, person=person)
    return services.participant_update(participant=editing, person=person)


def _chosen(request: HttpRequest, model: type, study: Study, field: str):
    """The row being edited: ``?edit=<id>`` when showing the form, a hidden field on saving."""
    source = request.POST if request.method == "POST" else request.GET
    chosen = source.get(field if request.method == "POST" else "edit")
    if not chosen:
        return None
    if not chosen.isdigit():
        raise Http404("No such row")
    return get_object_or_404(model, pk=int(chosen), study=study)


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None
