"""Reads of a study's audit log, for its owner's page and its CSV download."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from placelab.core.io.tables import csv_cell
from placelab.web.studies.models import AuditEvent, Study

ACTION_LABELS = dict(AuditEvent.ACTIONS)
CSV_HEADER = ("when", "who", "what", "detail")
# Who did what the system did by itself (the retention period's deletions, say).
SYSTEM = "placelab (automatic)"


def audit_events(*, study: Study, action: str | None = None) -> QuerySet[AuditEvent]:
    """The study's events, newest first; only ``action``'s when it is a known action."""
    events = AuditEvent.objects.filter(study=study).order_by("-at", "-pk")
    if action in ACTION_LABELS:
        events = events.filter(action=action)
    return events


def who(event: AuditEvent) -> str:
    """The user name as it was when they acted: it stays when the account is deleted."""
    return event.username or SYSTEM


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[tuple]:
    """The CSV's rows, header first: local time, who, the action's label, the detail. Every cell
    goes through core's ``csv_cell``, so a user name or detail that starts like a formula is
    shown by a spreadsheet as text, never run."""
    yield CSV_HEADER
    for event in events.iterator():
        when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S %Z")
        cells = (when, who(event), ACTION_LABELS.get(event.action, event.action), event.detail)
        yield tuple(csv_cell(cell) for cell in cells)
