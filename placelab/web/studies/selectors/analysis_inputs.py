"""One wave's answers as the core's inputs: the rows the CLI would read from its three files.

The database rows become core ``Table``s (people.csv, ties.csv and answers.csv, row numbers as
in the exported files) and go through the core's checks (``people_from_table``,
``ties_from_table`` and ``answers_from_table``), so the web applies exactly the rules the CLI
applies, and an error names the row of the exported file.

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
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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
    """The wave's three tables, as the exported files hold them, read in a few flat queries
    (tuples, no model objects)."""
    study = wave.study
    submitted = Response.objects.submitted().filter(invitation__wave=wave)
    # Roster ids by row, withdrawn people too: their ties and answers still name them.
    keys = {
        pk: key.strip()
        for pk, key in Participant.objects.filter(study=study).values_list("pk", "key")
    }
    respondents = dict(submitted.values_list("pk", "invitation__participant_id"))
    with _no_cycle_collection():
        ties, named = _tie_rows(study, submitted, keys, respondents)
        return WaveTables(
            people=_people_table(wave, set(respondents.values()), named),
            ties=_ties_table(ties),
            answers=_answers_table(submitted, keys, respondents),
        )


def wave_inputs(wave: Wave) -> WaveInputs:
    """The wave's checked inputs; PlacelabError (InputError) says what is wrong and where."""
    stamp = inputs_stamp(wave.pk)  # first: a write after it moves the count past it
    study = wave.study
    tables = wave_tables(wave)
    if not any(cells["responded"] == "yes" for _row, cells in tables.people.rows):
        raise PlacelabError(
            f"No one has submitted an answer to {wave} yet, so there is nothing to analyse."
        )
    with _no_cycle_collection():  # the checks build as many small objects again
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
    # Cells are stripped as read_table strips them, so the exported file reads back the same;
    # the records hold them so already, each a dict built at once (no second pass per cell).
    return Table(file, columns, tuple(enumerate(records, start=2)))


def _people_table(wave: Wave, responded: set[int], named: set[int]) -> Table:
    """Everyone current with an active invitation, a submitted response or a tie to them."""
    invited = set(
        wave.invitations.filter(revoked__isnull=True).values_list("participant_id", flat=True)
    )
    wanted = invited | responded | named
    attributes = attribute_columns(wave.study)
    rows = (
        Participant.objects.current()
        .filter(study=wave.study)
        .values_list("pk", "key", "name", "organisation__name", "sector", "layer", "seniority",
                     "attributes")
    )  # fmt: skip
    columns = (*PEOPLE_COLUMNS, *attributes)
    records = sorted(
        (
            key.strip(),
            _cell(name),
            _cell(organisation),
            _cell(sector),
            _cell(layer),
            _cell(seniority),
            "yes" if pk in responded else "no",
            *(_cell((extra or {}).get(a)) for a in attributes),
        )  # fmt: skip
        for pk, key, name, organisation, sector, layer, seniority, extra in rows
        if pk in wanted
    )
    return _table(PEOPLE_FILE, columns, [dict(zip(columns, r, strict=True)) for r in records])


def _tie_rows(
    study: Study, submitted, keys: dict[int, str], respondents: dict[int, int]
) -> tuple[list[tuple[str, str, str, str]], set[int]]:
    """The ties as ties.csv's rows, and who is named in them (by row id): they are people."""
    networks = list(study.networks)
    rank = {network: i for i, network in enumerate(networks)}
    rows = (
        Nomination.objects.filter(response__in=submitted, network__in=networks)
        .order_by("pk")
        .values_list("response_id", "alter_id", "outsider", "network", "frequency")
    )
    outsiders: dict[str, str] = {}
    named: set[int] = set()
    # Keyed (source, network's place, target): sorted as tuples, they are in the file's order.
    ties: dict[tuple[str, int, str], str] = {}
    for response, alter, outsider, network, frequency in rows:
        respondent = respondents.get(response)
        if respondent is None:
            continue  # submitted after the respondents were read: the next reading has it
        source = keys.get(respondent) or _key_of(respondent, keys)
        if alter is not None:
            named.add(alter)
            target = keys.get(alter) or _key_of(alter, keys)
        else:
            target = outsiders.get(outsider) or outsiders.setdefault(
                outsider, outsider_id(outsider)
            )
        key = (source, rank[network], target)
        if key not in ties:  # "Dahl" and "dahl " are one outsider: the first nomination stands
            weight = _WEIGHTS.get(frequency)
            ties[key] = weight if weight is not None else (str(frequency) if frequency else "")
    names = [network.strip() for network in networks]
    return [(s, t, names[place], weight) for (s, place, t), weight in sorted(ties.items())], named


def _ties_table(rows: list[tuple[str, str, str, str]]) -> Table:
    records = [{"source": s, "target": t, "network": n, "weight": w} for s, t, n, w in rows]
    return _table(TIES_FILE, TIE_COLUMNS, records)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading builds hundreds of thousands of small tuples and dicts, none in a cycle, and
    Python's cyclic collector scans them all again each time it runs: a third of the reading's
    time at 10,000 people. It is turned off meanwhile (and left off if it was off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _answers_table(submitted, keys: dict[int, str], respondents: dict[int, int]) -> Table:
    rows = Answer.objects.filter(response__in=submitted).values_list("response_id", "item", "value")
    records = sorted(
        (keys.get(respondents[response]) or _key_of(respondents[response], keys), _cell(item),
         _cell(value))
        for response, item, value in rows
        if response in respondents
    )  # fmt: skip
    return _table(
        ANSWERS_FILE, ANSWER_COLUMNS, [dict(zip(ANSWER_COLUMNS, r, strict=True)) for r in records]
    )


# A tie's weight is its frequency, 1 to 5, or blank when not said.
_WEIGHTS = {None: "", **{f: str(f) for f in range(1, 6)}}


def _key_of(pk: int, keys: dict[int, str]) -> str:
    """The roster id of a row not in ``keys`` (another study's: the database allows it)."""
    if pk not in keys:
        keys[pk] = Participant.objects.values_list("key", flat=True).get(pk=pk).strip()
    return keys[pk]


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _text(value: object) -> str:
    return "" if value is None else str(value)
