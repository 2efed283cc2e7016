"""The reference pool, for the site's staff: what it holds, a download to share it, and an
upload to add another installation's pool (services.reference; the format is core's)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from placelab.core.errors import PlacelabError
from placelab.core.reference import MIN_STUDIES
from placelab.web.studies.services import reference


class PoolUploadForm(forms.Form):
    file = forms.FileField(
        label="Pool file (JSON)",
        help_text="A file downloaded from this page on another placelab site, or written by "
        "the placelab pool command.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )
    source = forms.CharField(
        max_length=200, label="Whose pool it is",
        help_text='e.g. "Northshire County Council, March 2026". Adding a pool under the same '
        "name again replaces the one added before.",
    )  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB (expected at most {limit // 1024} KB)."
            )
        return upload


def staff_only(view: Callable) -> Callable:
    """Site staff only; anyone else gets 404, as for a study they have no role on."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
@require_http_methods(["GET", "POST"])
def pool(request: HttpRequest) -> HttpResponse:
    form = PoolUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = _import(form.cleaned_data["file"], form.cleaned_data["source"])
        except PlacelabError as error:
            form.add_error("file", f"{error}. Nothing was added.")
        else:
            messages.success(
                request, f"Added {added} studies' figures from {form.cleaned_data['source']}."
            )
            return redirect("studies:reference_pool")
    sources = reference.reference_sources()
    context = {
        "form": form, "sources": sources, "total": sum(s["studies"] for s in sources),
        "min_studies": MIN_STUDIES,
    }  # fmt: skip
    return render(request, "studies/reference/pool.html", context)


@staff_only
@require_GET
def pool_download(request: HttpRequest) -> HttpResponse:
    document = reference.reference_export()
    response = HttpResponse(json.dumps(document, indent=1), content_type="application/json")
    name = f"placelab-reference-pool-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _import(upload, source: str) -> int:
    # Saved under its own name, so that an error about the file names the file the user chose.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(upload.name).name or "pool.json")
        path.write_bytes(upload.read())
        return reference.reference_import(path=path, source=source)
