"""The audit log: who saw names, exported, reported, deleted or granted access (README, "Data
protection"). One call records one event; the owner reads them on the study's audit page.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from placelab.web.studies.models import AuditEvent, Study

# Seeing names is recorded once per user, study and this span: a page view each would bury the
# exports and grants an owner looks for under thousands of lines of the same analyst browsing.
SAW_NAMES_SPAN = datetime.timedelta(hours=1)


def audit_record(*, user, study: Study | None, action: str, detail: str = "") -> AuditEvent:
    """Record that ``user`` (None: the system, e.g. the retention period) did ``action``.

    ``detail`` must never hold a participant's name or email: the event outlives them.
    """
    known = user is not None and user.is_authenticated
    return AuditEvent.objects.create(
        study=study,
        study_title=str(study) if study is not None else "",
        user=user if known else None,
        username=user.get_username() if known else "",
        action=action,
        detail=detail[:500],
    )


def audit_saw_names(*, user, study: Study, page: str) -> AuditEvent:
    """Record that ``user`` opened ``page`` ("the map of wave 1"), which shows names.

    Within :data:`SAW_NAMES_SPAN` of their last such event on this study, the page is added to
    that event's list instead of making another, so the log says which pages without a line per
    view. A page already listed costs one read and no write: the browser map asks for its data
    at every change of view. (Two first views in the same instant may still make two events.)
    """
    recent = _recent_saw_names(user, study).first()
    if recent is not None and page in _pages(recent):
        return recent
    with transaction.atomic():
        recent = _recent_saw_names(user, study).select_for_update().first()
        if recent is None:
            return audit_record(
                user=user, study=study, action=AuditEvent.SAW_NAMES, detail=_opened(page)
            )
        if page not in _pages(recent) and len(recent.detail) + len(page) + 2 <= 500:
            recent.detail = f"{recent.detail}; {page}"
            recent.save(update_fields=["detail"])
        return recent


def _recent_saw_names(user, study: Study):
    since = timezone.now() - SAW_NAMES_SPAN
    return AuditEvent.objects.filter(
        study=study, user=user, action=AuditEvent.SAW_NAMES, at__gte=since
    ).order_by("-at", "-pk")


def _pages(event: AuditEvent) -> list[str]:
    return event.detail.removeprefix(_opened("")).split("; ")


def _opened(page: str) -> str:
    return f"Opened {page}"
