"""Reads of a study's roster, and the check of an uploaded roster before anything is saved.

The rules for a roster are core's (:func:`placelab.core.io.validate.roster_problems`); this
module adds only what the database asks of a row (lengths, a well-formed email) and says which
rows add someone and which update them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import validate_email
from django.db.models import Count, QuerySet

from placelab.core.data import PEOPLE_COLUMNS
from placelab.core.errors import InputError
from placelab.core.io.tables import Table, decode_csv
from placelab.core.io.validate import roster_problems, roster_table
from placelab.core.vocabulary import label
from placelab.web.studies.models import Organisation, Participant, Study

# Columns of an upload that are not attributes: people.csv's, and the email the web reads.
EMAIL = "email"
KNOWN_COLUMNS = (*PEOPLE_COLUMNS, EMAIL)
# The longest value each column may hold, as the database stores it.
MAX_LENGTHS = {
    "id": Participant._meta.get_field("key").max_length,
    "name": Participant._meta.get_field("name").max_length,
    "organisation": Organisation._meta.get_field("name").max_length,
    EMAIL: Participant._meta.get_field("email").max_length,
}
KEY_PATTERN = re.compile(r"^p(\d+)$")
ROSTER_PAGE = 200  # people on one page of the roster


@dataclass(frozen=True)
class ImportRow:
    """One row of an upload as it will be saved."""

    row: int
    key: str
    name: str
    email: str | None  # None when the file has no email column: the stored one is kept
    organisation: str
    sector: str
    layer: str
    seniority: str
    attributes: dict[str, str]
    updates: bool = False  # the key is already on the roster
    new_organisation: bool = False


@dataclass(frozen=True)
class RosterPreview:
    file: str
    rows: list[ImportRow]
    problems: list[InputError]
    attribute_columns: tuple[str, ...] = field(default=())
    # Ids of people who withdrew (services.erasure): their rows are left out, never re-added.
    skipped: tuple[str, ...] = field(default=())
    read_as: str = ""  # how a CSV was read (Table.read_as)

    @property
    def adds(self) -> int:
        return sum(not r.updates for r in self.rows)

    @property
    def updates(self) -> int:
        return sum(r.updates for r in self.rows)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None}

    @property
    def good_rows(self) -> list[ImportRow]:
        """The rows without a problem: those saved when the owner chooses to skip the others."""
        problem_rows = self.problem_rows
        return [r for r in self.rows if r.row not in problem_rows]

    def lines(self) -> list[tuple[ImportRow, list[str]]]:
        """Each row with its attribute values in column order, as the preview's table shows it."""
        return [(r, [r.attributes.get(c, "") for c in self.attribute_columns]) for r in self.rows]


def roster_rows_over(data: bytes, file_name: str, *, limit: int) -> int:
    """The number of data rows in an upload when it is more than ``limit``, else 0.

    Cheap enough for the request that receives the file: a CSV's line breaks are counted (and
    its records only when there are too many lines, since a quoted cell may hold a line
    break); a workbook's size is the ``dimension`` its first sheet declares, read from the
    sheet's first bytes. A file this cannot size (no text it reads, no dimension) gives 0:
    the worker's full read counts it.
    """
    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        rows = _declared_rows(data)
    elif data.count(b"\n") <= limit:
        return 0
    else:
        try:
            text, _encoding = decode_csv(data, file_name)
        except InputError:
            return 0
        rows = sum(1 for record in csv.reader(io.StringIO(text, newline="")) if any(record)) - 1
    return rows if rows > limit else 0


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def _declared_rows(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book, book.open("xl/worksheets/sheet1.xml") as s:
            found = _DIMENSION.search(s.read(4096))
    except (zipfile.BadZipFile, KeyError, OSError):
        return 0
    return int(found.group(1)) - 1 if found else 0


def roster_template(*, study: Study) -> tuple[list[str], list[str]]:
    """The columns an import reads, with the study's own attributes, and one example row that
    imports as it stands (sector, layer and seniority as the import expects them)."""
    header = ["id", "name", EMAIL, "organisation", "sector", "layer", "seniority"]
    example = ["p001", "Alex Example", "alex@example.org", "Borough Council"]
    example += [label("local_authority"), label("systemic"), label("senior")]  # labels or codes
    attributes = [a["key"] for a in study.attributes]
    return header + attributes, example + [""] * len(attributes)


def participant_list(
    *, study: Study, page: str | int | None = None
) -> tuple[Page, list[tuple[Participant, list[str]]]]:
    """One page of the roster in id order (``ROSTER_PAGE`` people), each person with their
    answers to the study's attributes: a 20,000-person roster is 100 pages of 200 rather than
    one page of 9 MB that takes 14 s to write."""
    keys = [a["key"] for a in study.attributes]
    people = study.participants.current().select_related("organisation").order_by("key")
    shown = Paginator(people, ROSTER_PAGE).get_page(page)
    return shown, [(p, [str(p.attributes.get(k, "")) for k in keys]) for p in shown]


def organisation_list(*, study: Study) -> QuerySet[Organisation]:
    """The study's organisations by name, each with ``people``: how many are on the roster."""
    return study.organisations.annotate(people_count=Count("people")).order_by("name")


def participant_key_next(*, study: Study) -> str:
    """The next free roster id ``pNNN``, as wide as the widest ``p`` number already used."""
    numbers = [
        match.group(1) for key in study.participants.values_list("key", flat=True)
        if (match := KEY_PATTERN.match(key))
    ]  # fmt: skip
    width = max((len(n) for n in numbers), default=3)
    taken = set(study.participants.values_list("key", flat=True))
    number = max((int(n) for n in numbers), default=0) + 1
    while f"p{number:0{width}d}" in taken:
        number += 1
    return f"p{number:0{width}d}"


def roster_columns(*, study: Study, table: Table) -> Table:
    """``table`` with the roster's columns and the study's attributes under their own names and
    sectors, layers and seniorities as codes (core's :func:`roster_table`), as it is kept."""
    attributes = [a["key"] for a in study.attributes]
    return roster_table(table, sectors=study.sectors, attributes=attributes)


def roster_preview(*, study: Study, table: Table) -> RosterPreview:
    """Every row of ``table`` as it would be saved, and every problem, by row and column."""
    try:
        table = roster_columns(study=study, table=table)
    except InputError as error:  # two columns that mean one: no row can be read
        return RosterPreview(table.file, [], [error], read_as=table.read_as)
    problems = roster_problems(table, sectors=study.sectors, responded=False)
    if problems and problems[0].row == 1:  # a missing column: no row can be read
        return RosterPreview(table.file, [], problems, read_as=table.read_as)
    problems += [p for row, cells in table.rows for p in _database_problems(table, row, cells)]
    problems += _shared_emails(study, table)
    problems.sort(key=lambda p: p.row or 0)  # stable: core's order within a row is kept
    existing = set(study.participants.values_list("key", flat=True))
    organisations = set(study.organisations.values_list("name", flat=True))
    attributes = tuple(c for c in table.columns if c not in KNOWN_COLUMNS)
    rows = [
        _import_row(row, cells, attributes, existing, organisations) for row, cells in table.rows
    ]
    rows, skipped = _without_withdrawn(study, rows)
    return RosterPreview(table.file, rows, problems, attributes, skipped, table.read_as)


def _without_withdrawn(study: Study, rows: list[ImportRow]) -> tuple[list[ImportRow], tuple]:
    """Rows of people who withdrew are skipped: a re-imported roster must not bring them back."""
    gone = set(study.participants.filter(withdrawn__isnull=False).values_list("key", flat=True))
    return [r for r in rows if r.key not in gone], tuple(r.key for r in rows if r.key in gone)


def _import_row(
    row: int, cells: dict[str, str], attributes: tuple[str, ...], existing: set, known: set
) -> ImportRow:
    return ImportRow(
        row=row, key=cells["id"], name=cells["name"], email=cells.get(EMAIL),
        organisation=cells["organisation"], sector=cells["sector"], layer=cells["layer"],
        seniority=cells["seniority"],
        attributes={c: cells[c] for c in attributes if cells[c]},
        updates=cells["id"] in existing,
        new_organisation=bool(cells["organisation"]) and cells["organisation"] not in known,
    )  # fmt: skip


def _shared_emails(study: Study, table: Table) -> list[InputError]:
    """Two people with one email address (letters' case aside): invitations would go to one
    inbox, and either could answer for the other."""
    owners = {
        email.casefold(): key
        for key, email in study.participants.exclude(email="").values_list("key", "email")
    }
    in_file = {cells["id"] for _row, cells in table.rows}
    owners = {email: key for email, key in owners.items() if key not in in_file}
    problems, first_row = [], {}
    for row, cells in table.rows:
        email = (cells.get(EMAIL) or "").casefold()
        if not email:
            continue
        where = (f"row {first_row[email]}" if email in first_row
                 else f"{owners[email]!r}, already on the roster" if email in owners else None)  # fmt: skip
        first_row.setdefault(email, row)
        if where:
            problems.append(InputError(
                f"{cells[EMAIL]!r} is also the email of {where}", file=table.file, row=row,
                column=EMAIL, expected="an email address of this person's own, or blank",
            ))  # fmt: skip
    return problems


def _database_problems(table: Table, row: int, cells: dict[str, str]) -> list[InputError]:
    problems = [
        InputError(
            f"the {column} is {len(cells[column])} characters long",
            file=table.file,
            row=row,
            column=column,
            expected=f"at most {limit} characters",
        )  # fmt: skip
        for column, limit in MAX_LENGTHS.items()
        if len(cells.get(column, "")) > limit
    ]
    if cells.get(EMAIL):
        try:
            validate_email(cells[EMAIL])
        except ValidationError:
            problems.append(
                InputError(
                    f"{cells[EMAIL]!r} is not an email address",
                    file=table.file,
                    row=row,
                    column=EMAIL,
                    expected="an address like name@example.org, or blank",
                )  # fmt: skip
            )
    return problems
