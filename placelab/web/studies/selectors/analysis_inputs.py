"""One wave's answers as the core's inputs: the rows the CLI would read from its three files.

The database rows become core ``Table``s (people.csv, ties.csv and answers.csv, row numbers as
in the exported files) and go through ``study_from_tables`` and ``answers_from_table``, so the
web applies exactly the rules the CLI applies, and an error names the row of the exported file.

- People: everyone with an active invitation to the wave or a submitted response in it, and
  anyone named in it; ``responded`` means a submitted response (``Response.objects.submitted``).
- Ties: the nominations of submitted responses in the study's networks; "someone not on the
  list" becomes the outsider id ``outside:<name, spaces collapsed, case folded>``; the weight is
  the frequency, blank (1) when not said.
- Answers: the self-assessment answers of submitted responses (long layout). A statement a
  respondent was not asked (``Response.asked_items``) has no row, as a skipped one has none:
  both read as missing (blank), never as "don't know".
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS, StudyData
from placelab.core.errors import PlacelabError
from placelab.core.io.tables import Table, csv_cell
from placelab.core.io.validate import study_from_tables
from placelab.core.toolkit import Answers, ItemBank, answers_from_table
from placelab.web.studies.models import (
    Answer,
    InputsStamp,
    Nomination,
    Participant,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.selectors.survey import survey_bank

PEOPLE_FILE, TIES_FILE, ANSWERS_FILE = "people.csv", "ties.csv", "answers.csv"
ANSWER_COLUMNS = ("respondent", "item", "answer")
OUTSIDE = "outside:"


@dataclass(frozen=True)
class WaveTables:
    """A wave's rows as the CLI's three files would hold them."""

    people: Table
    ties: Table
    answers: Table


@dataclass(frozen=True)
class WaveInputs:
    """A wave's checked inputs, ready for the network analysis and the diagnosis."""

    data: StudyData
    answers: Answers
    bank: ItemBank
    stamp: int | None = None  # the wave's InputsStamp count, read before the rows were

    @property
    def fingerprint(self) -> str:
        return inputs_fingerprint(self.data, self.answers)


def outsider_id(text: str) -> str:
    """The stable id of someone "not on the list": the same words name the same person."""
    return OUTSIDE + " ".join(text.split()).casefold()


def attribute_columns(study: Study) -> tuple[str, ...]:
    """The study's own attribute columns; a key clashing with a standard column is skipped."""
    keys = [str(a.get("key", "")).strip() for a in study.attributes if isinstance(a, dict)]
    return tuple(dict.fromkeys(k for k in keys if k and k not in PEOPLE_COLUMNS))


def wave_tables(wave: Wave) -> WaveTables:
    submitted = Response.objects.submitted().filter(invitation__wave=wave)
    return WaveTables(
        people=_people_table(wave, submitted),
        ties=_ties_table(wave, submitted),
        answers=_answers_table(submitted),
    )


def wave_inputs(wave: Wave) -> WaveInputs:
    """The wave's checked inputs; PlacelabError (InputError) says what is wrong and where."""
    stamp = inputs_stamp(wave.pk)  # first: a write after it moves the count past it
    tables = wave_tables(wave)
    if not any(cells["responded"] == "yes" for _row, cells in tables.people.rows):
        raise PlacelabError(
            f"No one has submitted an answer to {wave} yet, so there is nothing to analyse."
        )
    study = wave.study
    data = study_from_tables(
        tables.people, tables.ties, sectors=study.sectors, networks=list(study.networks)
    )
    bank = survey_bank(study=study)  # the bank the respondents answered
    answers = answers_from_table(tables.answers, bank, people=data.people)
    return WaveInputs(data=data, answers=answers, bank=bank, stamp=stamp)


def inputs_stamp(wave_id: int) -> int | None:
    """How many times the rows the wave's analysis reads have changed (``InputsStamp``, counted
    by the database's triggers); None for a wave without one."""
    stamps = InputsStamp.objects.filter(wave_id=wave_id).values_list("changes", flat=True)
    return stamps.first()


def inputs_fingerprint(data: StudyData, answers: Answers) -> str:
    """The network inputs' fingerprint and the answers' together: one hash for the wave."""
    return hashlib.sha256(f"{data.fingerprint()}:{answers.fingerprint()}".encode()).hexdigest()


def wave_inputs_hash(wave: Wave) -> str | None:
    """The hash of the wave's inputs now, or None if they cannot be analysed as they stand."""
    try:
        return wave_inputs(wave).fingerprint
    except PlacelabError:
        return None


def wave_export(*, wave: Wave, folder: Path) -> dict[str, Path]:
    """Write the wave as the CLI's people.csv, ties.csv and answers.csv in ``folder``."""
    tables = wave_tables(wave)
    paths = {}
    for name, table in ((PEOPLE_FILE, tables.people), (TIES_FILE, tables.ties),
                        (ANSWERS_FILE, tables.answers)):  # fmt: skip
        paths[name] = folder / name
        with paths[name].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            writer.writerows([csv_cell(cells[c]) for c in table.columns] for _, cells in table.rows)
    return paths


def _table(file: str, columns: tuple[str, ...], records: list[dict[str, str]]) -> Table:
    # Cells are stripped as read_table strips them, so the exported file reads back the same.
    rows = tuple(
        (number, {c: str(record.get(c, "")).strip() for c in columns})
        for number, record in enumerate(records, start=2)
    )
    return Table(file, columns, rows)


def _people_table(wave: Wave, submitted) -> Table:
    named = Nomination.objects.filter(
        response__in=submitted, alter__isnull=False, network__in=list(wave.study.networks)
    )
    invited = Q(invitations__wave=wave, invitations__revoked__isnull=True)
    people = (
        Participant.objects.current()
        .filter(study=wave.study)
        .filter(invited | Q(invitations__response__in=submitted) | Q(pk__in=named.values("alter")))
        .select_related("organisation")
        .distinct()
    )
    responded = set(submitted.values_list("invitation__participant_id", flat=True))
    attributes = attribute_columns(wave.study)
    records = [
        {
            "id": p.key,
            "name": p.name,
            "organisation": p.organisation.name if p.organisation else "",
            "sector": p.sector,
            "layer": p.layer,
            "seniority": p.seniority,
            "responded": "yes" if p.pk in responded else "no",
            **{a: _text(p.attributes.get(a)) for a in attributes},
        }  # fmt: skip
        for p in sorted(people, key=lambda p: p.key)
    ]
    return _table(PEOPLE_FILE, (*PEOPLE_COLUMNS, *attributes), records)


def _ties_table(wave: Wave, submitted) -> Table:
    networks = list(wave.study.networks)
    rows = (
        Nomination.objects.filter(response__in=submitted, network__in=networks)
        .order_by("pk")
        .values_list("response__invitation__participant__key", "alter__key", "outsider",
                     "network", "frequency")
    )  # fmt: skip
    ties: dict[tuple[str, str, str], str] = {}
    for source, alter, outsider, network, frequency in rows:
        target = alter if alter is not None else outsider_id(outsider)
        # "Dahl" and "dahl " are one outsider: the first nomination of them stands.
        ties.setdefault((source, target, network), str(frequency) if frequency else "")
    order = sorted(ties, key=lambda t: (t[0], networks.index(t[2]), t[1]))
    records = [
        {"source": s, "target": t, "network": n, "weight": ties[(s, t, n)]} for s, t, n in order
    ]
    return _table(TIES_FILE, TIE_COLUMNS, records)


def _answers_table(submitted) -> Table:
    rows = Answer.objects.filter(response__in=submitted).values_list(
        "response__invitation__participant__key", "item", "value"
    )
    records = [dict(zip(ANSWER_COLUMNS, row, strict=True)) for row in sorted(rows)]
    return _table(ANSWERS_FILE, ANSWER_COLUMNS, records)


def _text(value: object) -> str:
    return "" if value is None else str(value)
