"""The study's audit log, for its owner alone: who saw names, exported, reported, deleted or
granted access, newest first, by page or as CSV."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from placelab.web.studies.access import OWNER, StudyAccess, study_view
from placelab.web.studies.models import AuditEvent
from placelab.web.studies.selectors import audit as selectors

PER_PAGE = 50


@study_view(needs=OWNER)
@require_GET
def audit_log(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    action = request.GET.get("action", "")
    action = action if action in selectors.ACTION_LABELS else ""
    events = selectors.audit_events(study=access.study, action=action or None)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "access": access, "tab": "protection", "page": page, "action": action,
        "actions": AuditEvent.ACTIONS, "action_labels": selectors.ACTION_LABELS,
        "events": [(event, selectors.who(event)) for event in page],
        "filter_query": f"action={action}&" if action else "",
    }  # fmt: skip
    return render(request, "studies/audit/log.html", context)


@study_view(needs=OWNER)
@require_GET
def audit_csv(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    """The whole log (or one action's events) as CSV, for a data protection officer's records."""
    action = request.GET.get("action") or None
    events = selectors.audit_events(study=access.study, action=action)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    study = access.study
    name = "-".join(p for p in (slugify(study.locality), slugify(study.field)) if p)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}-audit-log.csv")
    csv.writer(response).writerows(selectors.audit_rows(events))
    return response
