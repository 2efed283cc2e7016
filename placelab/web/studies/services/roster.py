"""Writes to a study's roster: organisations, participants one by one, and a checked import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from placelab.web.studies.models import Organisation, Participant, Study
from placelab.web.studies.selectors.roster import ImportRow


@dataclass(frozen=True)
class PersonFields:
    """What a participant form says about one person."""

    key: str
    name: str
    email: str
    sector: str
    layer: str
    seniority: str
    attributes: dict[str, str]
    organisation: Organisation | None = None
    new_organisation: str = ""  # a name typed in: found or created with the person's sector


def organisation_create(*, study: Study, name: str, sector: str, layer: str) -> Organisation:
    organisation = Organisation(study=study, name=name, sector=sector, layer=layer)
    _save_unique(organisation, "name", f"There is already an organisation called {name!r}.")
    return organisation


def organisation_update(
    *, organisation: Organisation, name: str, sector: str, layer: str
) -> Organisation:
    organisation.name, organisation.sector, organisation.layer = name, sector, layer
    _save_unique(organisation, "name", f"There is already an organisation called {name!r}.")
    return organisation


def participant_create(*, study: Study, person: PersonFields) -> Participant:
    return participant_update(participant=Participant(study=study), person=person)


def participant_update(*, participant: Participant, person: PersonFields) -> Participant:
    with transaction.atomic():
        organisation = person.organisation
        if person.new_organisation:
            organisation = _organisation_named(
                participant.study, person.new_organisation, person.sector, person.layer
            )
        participant.key, participant.name, participant.email = person.key, person.name, person.email
        participant.organisation = organisation
        participant.sector, participant.layer = person.sector, person.layer
        participant.seniority = person.seniority
        # A blank answer clears the attribute; attributes the form does not ask are kept.
        merged = {**participant.attributes, **person.attributes}
        participant.attributes = {k: v for k, v in merged.items() if v}
        _save_unique(participant, "key", f"The roster id {person.key!r} is already used.")
    return participant


@transaction.atomic
def roster_import(*, study: Study, rows: Sequence[ImportRow]) -> tuple[int, int]:
    """Add or update every row in one transaction; return (added, updated).

    The rows must have been checked (:func:`~placelab.web.studies.selectors.roster.roster_preview`)
    with no problems. An organisation not yet in the study is created with the sector and layer
    of the first row that names it.
    """
    # Lock the study so that two imports of the same roster do not race on the same keys.
    Study.objects.select_for_update().get(pk=study.pk)
    existing = {p.key: p for p in study.participants.all()}
    organisations = {o.name: o for o in study.organisations.all()}
    added = updated = 0
    for row in rows:
        person = existing.get(row.key) or Participant(study=study, key=row.key)
        updated += person.pk is not None
        added += person.pk is None
        if row.organisation and row.organisation not in organisations:
            organisations[row.organisation] = Organisation.objects.create(
                study=study, name=row.organisation, sector=row.sector, layer=row.layer
            )
        _fill(person, row, organisations.get(row.organisation))
        person.save()
    return added, updated


def _fill(person: Participant, row: ImportRow, organisation: Organisation | None) -> None:
    person.name, person.organisation = row.name, organisation
    person.sector, person.layer, person.seniority = row.sector, row.layer, row.seniority
    if row.email is not None:
        person.email = row.email
    person.attributes = {**person.attributes, **row.attributes}


def _organisation_named(study: Study, name: str, sector: str, layer: str) -> Organisation:
    found = study.organisations.filter(name=name).first()
    return found or organisation_create(study=study, name=name, sector=sector, layer=layer)


def _save_unique(instance: Organisation | Participant, field: str, message: str) -> None:
    """Save, turning a clash with the unique name or key into a form error on ``field``.

    The forms check first; this catches the race where two people save the same name at once.
    """
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None
