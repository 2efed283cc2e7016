"""The audit log: who saw names, exported, reported, deleted or granted access (README, "Data
protection"). One call records one event; the owner reads them on the study's audit page.
"""

from __future__ import annotations

from placelab.web.studies.models import AuditEvent, Study


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
