"""Whom a respondent may name and whom they named: the survey's search of the roster, in the
database, and the people page's list (the grid survey).

Every read starts from the respondent's invitation and never reaches past its study's roster.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import CharField, Func, Value
from django.db.models.functions import Coalesce, Concat

from placelab.web.studies.models import Invitation, Participant, Response

# The network of a person named on the people page but ticked in no network yet (or never): kept,
# so that no name is lost, and left out of every analysis (they read the study's networks only).
NAMED = ""
# The type-ahead and the no-JavaScript "Find" show at most this many people at a time.
FOUND_SHOWN = 20


class Folded(Func):
    """Text as the survey's search compares it, computed by the database: ``fold``'s rule.

    PostgreSQL decomposes (NFD), drops the combining accents and lowers the case with its own
    functions; SQLite calls ``fold`` itself (registered on each connection by the surveys app).
    """

    function = "placelab_fold"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = f"lower(regexp_replace(normalize(%(expressions)s, NFD), '{ACCENTS}', '', 'g'))"
        return self.as_sql(compiler, connection, template=template, **extra)


# The combining accents NFD splits off Latin, Greek and Cyrillic letters.
ACCENTS = "[\u0300-\u036f]"


def fold(text: str | None) -> str:
    """``text`` without accents, in lower case: 'Zoë Ó Briain' reads 'zoe o briain'."""
    return re.sub(ACCENTS, "", unicodedata.normalize("NFD", text or "")).lower()


def _roster(invitation: Invitation):
    """The people a respondent may name: the study's roster without themselves."""
    return (
        Participant.objects.current()
        .filter(study_id=invitation.wave.study_id)
        .exclude(pk=invitation.participant_id)
    )


def _people_rows(people, limit: int | None = None) -> list[dict]:
    # Plain rows, not model instances: id, name, organisation are all a page or the type-ahead uses.
    rows = people.order_by("name", "key").values_list("pk", "name", "key", "organisation__name")
    rows = rows[:limit] if limit is not None else rows
    return [
        {"id": pk, "name": name or key, "organisation": organisation or ""}
        for pk, name, key, organisation in rows
    ]


def roster_people(*, invitation: Invitation, ids) -> list[dict]:
    """The people among ``ids`` the respondent may name, by name: what a page shows as picked."""
    return _people_rows(_roster(invitation).filter(pk__in=list(ids)))


def roster_find(
    *, invitation: Invitation, query: str, leave_out=(), limit: int = FOUND_SHOWN
) -> tuple[list[dict], bool]:
    """People whose name or organisation holds every word of ``query``, any case, any accent.

    Searched by the database, so that a page never reads a 10,000-person roster: the first
    ``limit`` by name, and whether there are more. ``leave_out``: ids already picked.
    """
    words = fold(query).split()[:10]
    if not words:
        return [], False
    people = (
        _roster(invitation)
        .exclude(pk__in=list(leave_out))
        .annotate(
            folded=Folded(Concat("name", Value(" "), Coalesce("organisation__name", Value(""))))
        )
    )
    for word in words:
        people = people.filter(folded__contains=word)
    found = _people_rows(people, limit + 1)
    return found[:limit], len(found) > limit


@dataclass
class Named:
    """Someone the respondent named on the people page: on the roster (``alter_id``) or not."""

    alter_id: int | None
    name: str
    organisation: str
    frequency: str  # "" when not said, else "1" to "5"
    networks: list[str]  # the networks ticked, in the study's order; none yet: []

    @property
    def key(self) -> str:
        """How a grid row names this person in a form: p<id>, or o:<the name as written>."""
        return f"p{self.alter_id}" if self.alter_id is not None else f"o:{self.name}"


def named_people(*, response: Response | None, networks: list[str]) -> list[Named]:
    """Everyone the respondent named, in the order they named them, with their networks.

    The frequency said once on the people page is copied into each of a person's nominations;
    the one stored first is read back.
    """
    if response is None:
        return []
    rows = response.nominations.order_by("pk").values_list(
        "network", "alter_id", "alter__name", "alter__key", "alter__organisation__name",
        "outsider", "frequency",
    )  # fmt: skip
    found: dict[object, Named] = {}
    for network, alter_id, name, key, organisation, outsider, frequency in rows:
        who = alter_id if alter_id is not None else outsider.casefold()
        if who not in found:
            said = "" if frequency is None else str(frequency)
            shown = (name or key) if alter_id is not None else outsider
            found[who] = Named(alter_id, shown, organisation or "", said, [])
        if network != NAMED:
            found[who].networks.append(network)
    for person in found.values():
        person.networks.sort(key=lambda n: networks.index(n) if n in networks else len(networks))
    return list(found.values())
