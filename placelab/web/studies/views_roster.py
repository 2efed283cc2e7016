"""The owner's roster: organisations, people one by one, and an import checked before saving.

An import is uploaded, read and checked by the worker (its page follows it), previewed, and
saved when its uploader confirms it; nothing of it is kept in the session.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from placelab.core.errors import InputError
from placelab.core.io.tables import csv_cell
from placelab.core.vocabulary import LAYERS, SENIORITIES, label
from placelab.web.studies.access import OWNER, StudyAccess, study_view
from placelab.web.studies.forms_setup import OrganisationForm, ParticipantForm, RosterUploadForm
from placelab.web.studies.models import Organisation, Participant, PendingImport, RunFile, Study
from placelab.web.studies.selectors import roster as selectors
from placelab.web.studies.services import roster as services
from placelab.web.studies.services.audit import audit_saw_names
from placelab.web.studies.views_reports import CONTENT_TYPES

IMPORT = "studies/setup/roster_import.html"
REFRESH_SECONDS = 5  # the waiting page refreshes itself this often without JavaScript


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
    page, people = selectors.participant_list(study=study, page=request.GET.get("page"))
    context = {
        "access": access, "tab": "roster", "form": form, "editing": editing,
        "page": page, "people": people,
        "withdrawn": study.participants.filter(withdrawn__isnull=False).count(),
    }  # fmt: skip
    audit_saw_names(user=request.user, study=study, page="the roster")
    return render(request, "studies/setup/roster.html", context)


@study_view(needs=OWNER)
@require_GET
def roster_template(request: HttpRequest, access: StudyAccess, format: str) -> HttpResponse:
    """A file to fill in: the columns an import reads and one example row, as CSV or XLSX."""
    header, example = selectors.roster_template(study=access.study)
    if format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        csv.writer(response).writerows([header, [csv_cell(v) for v in example]])
    elif format == "xlsx":
        book = Workbook()
        book.active.title = "Roster"
        book.active.append(header)
        book.active.append(example)
        content = io.BytesIO()
        book.save(content)
        response = HttpResponse(content.getvalue(), content_type=CONTENT_TYPES[RunFile.XLSX])
    else:
        raise Http404("No such format")
    response["Content-Disposition"] = f'attachment; filename="roster-template.{format}"'
    return response


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    """Upload a file (its limits stated and checked first), or confirm a previewed one."""
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _import_confirm(request, access)
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.roster_upload(
                study=access.study, user=request.user, file_name=upload.name or "upload",
                data=upload.read(),
            )  # fmt: skip
        except InputError as error:  # too many rows: said beside the file field
            form.add_error("file", error.detail)
        else:
            return redirect("studies:roster_import_status", access.study.pk, pending.pk)
    return _upload_page(request, access, form or RosterUploadForm())


@study_view(needs=OWNER)
@require_http_methods(["GET"])
def roster_import_status(request: HttpRequest, access: StudyAccess, import_id: int) -> HttpResponse:
    """One upload as it stands: being read (a page that follows it), unreadable, previewed, or
    saved. Only its uploader sees it; the JSON answer feeds the waiting page's script."""
    pending = _pending(request, access, import_id)
    if "application/json" in request.headers.get("Accept", ""):
        return _status(pending)
    if pending is None:
        return _gone(request, access)
    summary = pending.preview
    if "saved" in summary and summary.get("bad"):  # rows were skipped: their list stays
        return _no_store(render(request, "studies/setup/roster_import_done.html", {
            "access": access, "tab": "roster", "pending": pending, "summary": summary,
        }))  # fmt: skip
    if "saved" in summary:
        pending.delete()
        return _imported(request, access, summary)
    if pending.status == PendingImport.FAILED:
        return _upload_page(request, access, RosterUploadForm(), failed=pending)
    if pending.status != PendingImport.DONE:
        return _waiting(request, access, pending)
    context = {
        "access": access, "tab": "roster", "pending": pending, "preview": summary,
        "ticket": pending.ticket if pending.rows else "",  # rows are kept when any can be saved
    }  # fmt: skip
    return _no_store(render(request, "studies/setup/roster_preview.html", context))


@study_view(needs=OWNER)
@require_GET
def roster_import_skipped(
    request: HttpRequest, access: StudyAccess, import_id: int
) -> HttpResponse:
    """The rows an import skipped, one line per problem (row, id, column, problem, expected),
    as CSV: kept, like the upload, for a day at most."""
    pending = _pending(request, access, import_id)
    if pending is None or not pending.preview.get("bad") or "saved" not in pending.preview:
        raise Http404("No rows were skipped")
    response = _no_store(HttpResponse(content_type="text/csv; charset=utf-8"))
    writer = csv.writer(response)
    writer.writerow(pending.columns)
    writer.writerows([csv_cell(v) for v in line] for line in pending.rows)
    name = Path(pending.file_name).stem or "roster"
    response["Content-Disposition"] = f'attachment; filename="{name}-skipped-rows.csv"'
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # it holds names
    return response


def _import_confirm(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    ticket = request.POST.get("ticket", "")
    pending = PendingImport.objects.filter(study=access.study, ticket=ticket).first()
    if pending is not None and pending.user_id != request.user.pk:
        raise Http404("No such import")  # only the owner who uploaded it may save it
    summary = None
    if pending is not None and pending.expires > timezone.now():
        skip = request.POST.get("skip") == "problems"  # the owner's choice to skip bad rows
        summary = services.roster_import_confirm(pending=pending, skip_problems=skip)
    if summary is None:
        return _gone(request, access)
    if "saved" in summary and not summary.get("bad"):
        return _imported(request, access, summary)
    # Problems found on checking again, or saved by the worker: the import's page says which.
    return redirect("studies:roster_import_status", access.study.pk, pending.pk)


def _pending(request: HttpRequest, access: StudyAccess, import_id: int) -> PendingImport | None:
    """The user's own upload (another's is 404), or None when it has expired."""
    pending = get_object_or_404(
        PendingImport, pk=import_id, study=access.study, user_id=request.user.pk
    )
    # Expired: treated as gone; the workers' sweep deletes it within seconds.
    return None if pending.expires <= timezone.now() else pending


def _gone(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    messages.error(
        request,
        "Nothing was imported: this preview is no longer current (it expired, was already "
        "saved, or another file was uploaded since). Please upload the file again.",
    )
    return redirect("studies:roster_import", access.study.pk)


def _imported(request: HttpRequest, access: StudyAccess, summary: dict) -> HttpResponse:
    added, updated = summary["saved"]
    messages.success(request, f"Imported {summary['file']}: {added:,} added, {updated:,} updated.")
    return redirect("studies:roster", access.study.pk)


def _upload_page(
    request: HttpRequest,
    access: StudyAccess,
    form: RosterUploadForm,
    failed: PendingImport | None = None,
) -> HttpResponse:
    context = {
        "access": access, "tab": "roster", "form": form, "failed": failed,
        "max_rows": f"{settings.PLACELAB_ROSTER_MAX_ROWS:,}",
        "max_bytes": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        "choices": [(name, [label(c) for c in codes]) for name, codes in (
            ("Sectors", access.study.sectors), ("Layers", LAYERS), ("Seniority", SENIORITIES),
        )],
    }  # fmt: skip
    return render(request, IMPORT, context)


def _waiting(request: HttpRequest, access: StudyAccess, pending: PendingImport) -> HttpResponse:
    context = {
        "access": access, "tab": "roster", "pending": pending, "refresh": REFRESH_SECONDS,
        "saving": bool(pending.preview.get("confirmed")), "message": _message(pending),
    }  # fmt: skip
    response = render(request, "studies/setup/roster_import_wait.html", context)
    response["Cache-Control"] = "no-store"  # the refresh must ask again, not reuse this page
    return response


def _status(pending: PendingImport | None) -> JsonResponse:
    if pending is None:  # expired while the page waited: its reload says so
        return JsonResponse({"status": PendingImport.FAILED, "message": "This upload expired."})
    done = pending.status in (PendingImport.DONE, PendingImport.FAILED)
    response = JsonResponse(
        {
            "status": pending.status,
            "steps_done": int(done),
            "steps": 1,
            "message": _message(pending),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _message(pending: PendingImport) -> str:
    if pending.status == PendingImport.QUEUED:
        return "Waiting for the background worker to start on it."
    if pending.status == PendingImport.RUNNING and pending.preview.get("confirmed"):
        return f"Saving {pending.preview.get('rows', 0):,} people to the roster."
    if pending.status == PendingImport.RUNNING:
        return "Reading the file and checking every row."
    return "Finished."


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
