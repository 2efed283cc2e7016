"""Everything a study holds about one person: what deleting them removes, and their own export.

``services.erasure`` deletes what these reads find; the confirmation page and the person's
JSON export show them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from placelab.core.vocabulary import label
from placelab.web.studies.models import (
    AnalysisRun,
    Answer,
    Nomination,
    Participant,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.selectors.invitations import same_name

EXPORT_FORMAT = "placelab-person/1"


@dataclass(frozen=True)
class PersonFootprint:
    """How much a study holds of one person, in counts (never their words)."""

    key: str
    description: str
    responses: int
    answers: int
    nominations_made: int
    nominations_received: int
    runs: tuple[AnalysisRun, ...]  # the stored analyses that hold them (runs_holding)

    @property
    def analyses(self) -> int:
        return len(self.runs)

    @property
    def summary(self) -> str:
        return (
            f"{_count(self.responses, 'response')} ({_count(self.answers, 'answer')}), "
            f"{_count(self.nominations_made, 'nomination')} they made and "
            f"{_count(self.nominations_received, 'nomination')} of them by others"
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def person_description(participant: Participant) -> str:
    """How the audit log speaks of someone: by sector and layer, never by name or email."""
    return f"a participant ({label(participant.sector)}, {label(participant.layer)})"


def nominations_of(participant: Participant) -> QuerySet[Nomination]:
    """Others' nominations of ``participant``: by roster entry, or typed as someone off the list
    with their name (spacing and case aside)."""
    typed: list[int] = []
    if participant.name.strip():
        name = same_name(participant.name)
        typed = [
            pk
            for pk, text in Nomination.objects.filter(
                response__invitation__wave__study_id=participant.study_id, alter__isnull=True
            ).values_list("pk", "outsider")
            if same_name(text) == name
        ]
    return Nomination.objects.filter(Q(alter=participant) | Q(pk__in=typed))


def runs_holding(*, study: Study, key: str, waves: list[Wave] | None = None) -> list[AnalysisRun]:
    """The stored analyses of the study whose result or diagnosis holds the roster id ``key``.

    A result names people by their roster id (people, ties, layout), always as a JSON string,
    so the id in quotes is found exactly ("p1" never matches "p10").
    """
    runs = AnalysisRun.objects.filter(wave__study=study)
    if waves is not None:
        runs = runs.filter(wave__in=waves)
    needle = json.dumps(key)
    found = []
    for run in runs.only("pk", "wave_id", "status", "result", "diagnosis").iterator():
        if needle in json.dumps(run.result) or needle in json.dumps(run.diagnosis):
            found.append(run)
    return found


def person_footprint(*, participant: Participant) -> PersonFootprint:
    responses = Response.objects.filter(invitation__participant=participant)
    return PersonFootprint(
        key=participant.key,
        description=person_description(participant),
        responses=responses.count(),
        answers=Answer.objects.filter(response__in=responses).count(),
        nominations_made=Nomination.objects.filter(response__in=responses).count(),
        nominations_received=nominations_of(participant).count(),
        runs=tuple(runs_holding(study=participant.study, key=participant.key)),
    )


def person_export(*, participant: Participant) -> dict:
    """Everything held about one person, machine-readable: their roster entry, invitations
    (never the tokens), responses with answers and the nominations they made, and how many
    times others named them in each network (never who did)."""
    received = Counter(
        Nomination.objects.filter(alter=participant).values_list("network", flat=True)
    )
    return {
        "format": EXPORT_FORMAT,
        "exported": timezone.now().isoformat(),
        "study": str(participant.study),
        "person": _person(participant),
        "invitations": [
            {
                "wave": inv.wave.number,
                "created": _iso(inv.created),
                "sent": _iso(inv.sent),
                "reminders": inv.reminders,
                "revoked": _iso(inv.revoked),
            }
            for inv in participant.invitations.select_related("wave").order_by("wave__number")
        ],
        "responses": [_response(r) for r in _responses(participant)],
        "named_by_others": dict(sorted(received.items())),
    }


def _person(p: Participant) -> dict:
    return {
        "id": p.key, "name": p.name, "email": p.email,
        "organisation": p.organisation.name if p.organisation else "",
        "sector": p.sector, "layer": p.layer, "seniority": p.seniority,
        "attributes": p.attributes, "added": _iso(p.added), "withdrawn": _iso(p.withdrawn),
    }  # fmt: skip


def _responses(participant: Participant):
    return (
        Response.objects.filter(invitation__participant=participant)
        .select_related("invitation__wave")
        .prefetch_related("answers", "nominations__alter")
        .order_by("invitation__wave__number")
    )


def _response(r: Response) -> dict:
    return {
        "wave": r.invitation.wave.number,
        "started": _iso(r.started), "consented": _iso(r.consented),
        "submitted": _iso(r.submitted), "about": r.about,
        "answers": {a.item: a.value for a in sorted(r.answers.all(), key=lambda a: a.item)},
        "nominations": [
            {"network": n.network,
             "person": (n.alter.name or n.alter.key) if n.alter else n.outsider,
             "off_the_list": n.alter is None, "frequency": n.frequency}
            for n in sorted(r.nominations.all(), key=lambda n: (n.network, n.pk))
        ],
    }  # fmt: skip


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None
