"""A wave's response rate, overall and by organisation, sector and layer.

Counts come straight from the database, one query per grouping. Only active invitations count:
a revoked link invites no one. *Started* means a response exists (the respondent opened the
survey and began); *submitted* means they finished (``Response.objects.submitted``).

Groups smaller than five invitees are not broken out for anyone but the owner (DESIGN.md,
"Promises to users"); ``rates_for`` applies that rule so the page and the API share it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from django.db.models import Count, Q

from placelab.core.disclosure import MIN_GROUP, shown_groups
from placelab.core.vocabulary import label
from placelab.web.studies.access import StudyAccess
from placelab.web.studies.models import Invitation, Wave

SMALL = "fewer than 5"
# A group hidden only so that a small group cannot be found by subtracting the others from
# the total (secondary suppression).
PROTECTING = "not shown, to protect a small group"

GROUPINGS: dict[str, str] = {
    "organisation": "participant__organisation__name",
    "sector": "participant__sector",
    "layer": "participant__layer",
}
TITLES = {"organisation": "Organisation", "sector": "Sector", "layer": "Layer"}
NO_ORGANISATION = "No organisation"

_COUNTS = {
    "invited": Count("id"),
    # The reverse one-to-one is a LEFT JOIN: COUNT of its key counts those who began.
    "started": Count("response"),
    "submitted": Count("response", filter=Q(response__submitted__isnull=False)),
}


@dataclass(frozen=True)
class Rate:
    """One row of figures; ``hidden`` says why the figures are withheld, if they are."""

    key: str
    label: str
    invited: int | None
    started: int | None
    submitted: int | None
    hidden: str = ""

    @property
    def rate(self) -> float | None:
        if self.invited is None or self.submitted is None:
            return None
        return self.submitted / self.invited if self.invited else 0.0

    @property
    def percent(self) -> str:
        return "" if self.rate is None else f"{round(100 * self.rate)}%"

    def withheld(self, reason: str) -> Rate:
        return replace(self, invited=None, started=None, submitted=None, hidden=reason)

    def as_dict(self) -> dict:
        return {**asdict(self), "rate": self.rate}


@dataclass(frozen=True)
class WaveRates:
    overall: Rate
    groups: dict[str, list[Rate]]

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "groups": {name: [r.as_dict() for r in rows] for name, rows in self.groups.items()},
        }


def _label(grouping: str, key: str | None) -> str:
    if grouping == "organisation":
        return key or NO_ORGANISATION
    return label(key) if key else "Not given"


def overall_rate_get(*, wave: Wave) -> Rate:
    counts = Invitation.objects.active().filter(wave=wave).aggregate(**_COUNTS)
    return Rate(key="all", label="All invited", **counts)


def grouped_rates_get(*, wave: Wave, grouping: str) -> list[Rate]:
    """Figures for each value of ``grouping`` (a key of GROUPINGS), in order of label."""
    column = GROUPINGS[grouping]
    rows = (
        Invitation.objects.active()
        .filter(wave=wave)
        .values(column)
        .annotate(**_COUNTS)
        .order_by(column)
    )
    rates = [
        Rate(
            key=row[column] or "",
            label=_label(grouping, row[column]),
            invited=row["invited"],
            started=row["started"],
            submitted=row["submitted"],
        )
        for row in rows
    ]
    return sorted(rates, key=lambda r: r.label.casefold())


def suppress_small_groups(rows: list[Rate], *, minimum: int = MIN_GROUP) -> list[Rate]:
    """Withhold the figures of groups with fewer than ``minimum`` invitees, and of any group
    that would let one be worked out by subtraction (core's ``shown_groups``)."""
    sizes = {r.key: r.invited or 0 for r in rows}
    shown = shown_groups(sizes, min_group=minimum)
    return [
        r if r.key in shown else r.withheld(SMALL if sizes[r.key] < minimum else PROTECTING)
        for r in rows
    ]


def rates_for(*, access: StudyAccess, wave: Wave) -> WaveRates:
    """The wave's figures as this user may see them: the owner sees every group."""
    overall = overall_rate_for(access=access, wave=wave)
    groups = {name: grouped_rates_get(wave=wave, grouping=name) for name in GROUPINGS}
    if not access.is_owner:
        groups = {name: suppress_small_groups(rows) for name, rows in groups.items()}
    return WaveRates(overall=overall, groups=groups)


def overall_rate_for(*, access: StudyAccess, wave: Wave) -> Rate:
    """The wave's overall figures as this user may see them (the study page's too)."""
    overall = overall_rate_get(wave=wave)
    if not access.is_owner and (overall.invited or 0) < MIN_GROUP:
        return overall.withheld(SMALL)
    return overall
