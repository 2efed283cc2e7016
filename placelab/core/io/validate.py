"""Turn rows of text into a checked :class:`StudyData`, or say exactly where a row is wrong.

Every reader (CSV, XLSX, GraphML, GEXF) hands its rows to these functions, so one set of
rules decides what a valid roster and a valid set of nominations are. :func:`roster_problems`
applies the same per-row rules but lists every problem instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Sequence

import pandas as pd

from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS, StudyData
from placelab.core.errors import InputError
from placelab.core.io.tables import Table, header_key
from placelab.core.vocabulary import LAYERS, NETWORKS, SECTORS, SENIORITIES, code_for, labels_of

REQUIRED_PEOPLE = ("id", "sector", "layer", "responded")
# A roster's header is read without regard to case, spaces, underscores or hyphens
# (table.header_key), and these other names are its columns too: the words the roster page
# shows and the usual variants of spreadsheets. Few on purpose: each one is a column that can
# no longer be an attribute of that name.
PEOPLE_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("roster id", "person id"),
    "name": ("full name",),
    "organisation": ("organization", "organisation name", "organization name"),
    "email": ("e-mail", "email address", "e-mail address"),
}
TRUE_WORDS = {"yes", "y", "true", "t", "1"}
FALSE_WORDS = {"no", "n", "false", "f", "0"}


def roster_table(
    table: Table,
    *,
    sectors: Sequence[str] = SECTORS,
    attributes: Iterable[str] = (),
    layers: Sequence[str] = LAYERS,
) -> Table:
    """``table`` as the roster's rules read it: its columns under placelab's names whatever
    their case, spacing or synonym (``PEOPLE_HEADERS``; ``attributes`` names more columns
    matched the same way), and each sector, layer and seniority given by its code or its label
    ("Local authority") as the code. A cell naming none is left as it is, for the check to
    name. Raises InputError when two columns mean one.
    """
    names = {header_key(c): c for c in (*PEOPLE_COLUMNS, *PEOPLE_HEADERS, *attributes)}
    names |= {header_key(o): c for c, others in PEOPLE_HEADERS.items() for o in others}
    table = table.renamed(names)
    choices = [(c, a) for c, a in _roster_choices(sectors, layers) if c in table.columns]
    rows = tuple(
        (row, {**cells, **{c: code_for(cells[c], a) or cells[c] for c, a in choices if cells[c]}})
        for row, cells in table.rows
    )
    return Table(table.file, table.columns, rows, table.encoding, table.separator)


def _roster_choices(
    sectors: Sequence[str], layers: Sequence[str] = LAYERS
) -> tuple[tuple[str, Sequence[str]], ...]:
    return (("sector", sectors), ("layer", layers), ("seniority", SENIORITIES))


def people_from_table(
    table: Table, *, sectors: Sequence[str] = SECTORS, layers: Sequence[str] = LAYERS
) -> pd.DataFrame:
    """Check a roster and return it indexed by ``id``; raise the first problem found.

    ``sectors`` is the fixed list a study allows; layers and seniorities are fixed by the
    model (Figure C5); ``layers`` adds to them only for a file from another tool, whose people
    may have no layer ("unknown"). ``name``, ``organisation`` and ``seniority`` may be blank.
    The file is read by :func:`roster_table` first: headers in any case, labels or codes.
    """
    table = roster_table(table, sectors=sectors, layers=layers)
    table.require(PEOPLE_COLUMNS)
    records: list[dict] = []
    first_row: dict[str, int] = {}
    for row, cells in table.rows:
        problems = _person_problems(table, row, cells, first_row, sectors=sectors, layers=layers)
        problem = next(problems, None)
        if problem is not None:
            raise problem
        records.append({**cells, "responded": _parse_bool(table, row, "responded", cells)})
    people = pd.DataFrame.from_records(records, columns=list(table.columns))
    return people.set_index("id", drop=True)


def roster_problems(
    table: Table, *, sectors: Sequence[str] = SECTORS, responded: bool = True
) -> list[InputError]:
    """Every problem of a roster, in file order, by the rules of :func:`people_from_table`.

    Where ``people_from_table`` stops at the first problem, this lists them all, so that a
    person fixing a file sees everything at once. ``responded=False`` checks a roster of people
    yet to be asked (the web's import): the column may be missing and is not read. A missing
    column is the only problem listed, since no row can be read without it.
    """
    columns = PEOPLE_COLUMNS if responded else tuple(c for c in PEOPLE_COLUMNS if c != "responded")
    try:
        table = roster_table(table, sectors=sectors)
        table.require(columns)
    except InputError as error:
        return [error]
    first_row: dict[str, int] = {}
    return [
        problem
        for row, cells in table.rows
        for problem in _person_problems(
            table, row, cells, first_row, sectors=sectors, responded=responded
        )
    ]


def _person_problems(
    table: Table,
    row: int,
    cells: dict[str, str],
    first_row: dict[str, int],
    *,
    sectors: Sequence[str],
    responded: bool = True,
    layers: Sequence[str] = LAYERS,
) -> Iterator[InputError]:
    """The problems of one roster row, most basic first; records its id in ``first_row``."""
    person_id = cells["id"]
    if not person_id:
        yield InputError("the id is blank", file=table.file, row=row, column="id")
    elif person_id in first_row:
        yield InputError(
            f"id {person_id!r} is already used in row {first_row[person_id]}",
            file=table.file,
            row=row,
            column="id",
            expected="one row per person",
        )
    else:
        first_row[person_id] = row
    required = [c for c in REQUIRED_PEOPLE if c != "id" and (responded or c != "responded")]
    yield from _blank_cells(table, row, cells, required)
    # A blank cell is reported once, as blank, not again as an unknown choice.
    for column, allowed in _roster_choices(sectors, layers):
        if cells[column]:
            yield from _unknown_choice(table, row, column, cells[column], allowed, labelled=True)
    if responded and cells["responded"]:
        yield from _not_a_bool(table, row, "responded", cells)


def ties_from_table(
    table: Table,
    people: pd.DataFrame,
    *,
    networks: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """Check nominations against the roster; return (ties, outside_ties, networks).

    A network name that is not one of the seven but is one typing slip from one of them is
    refused as a likely typo; other new names are study-defined networks, unless ``networks``
    fixes the list.
    """
    table.require(tuple(c for c in TIE_COLUMNS if c != "weight"))
    responded = people["responded"].to_dict()
    seen: dict[tuple[str, str, str], int] = {}
    inside: list[tuple[str, str, str, float]] = []
    outside: list[tuple[str, str, str, float]] = []
    for row, cells in table.rows:
        _require_filled(table, row, cells, ("source", "target", "network"))
        source, target, network = cells["source"], cells["target"], cells["network"]
        _check_network(table, row, network, networks)
        if source not in responded:
            raise InputError(
                f"source {source!r} is not on the roster",
                file=table.file,
                row=row,
                column="source",
                expected="the id of a person in the people file",
            )
        if not responded[source]:
            raise InputError(
                f"source {source!r} named someone but is marked as not having responded",
                file=table.file,
                row=row,
                column="source",
            )
        if source == target:
            raise InputError(
                f"{source!r} names themselves",
                file=table.file,
                row=row,
                column="target",
                expected="a tie to someone else",
            )
        key = (source, target, network)
        if key in seen:
            raise InputError(
                f"{source!r} already named {target!r} in the {network} network in row {seen[key]}",
                file=table.file,
                row=row,
                column="target",
                expected="each tie once per network",
            )
        seen[key] = row
        tie = (source, target, network, _parse_weight(table, row, cells.get("weight", "")))
        (inside if target in responded else outside).append(tie)
    names = tuple(networks) if networks else _networks_in_order(t[2] for t in inside + outside)
    return _frame(inside), _frame(outside), names


def study_from_tables(
    people_table: Table,
    ties_table: Table,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    layers: Sequence[str] = LAYERS,
) -> StudyData:
    people = people_from_table(people_table, sectors=sectors, layers=layers)
    ties, outside, names = ties_from_table(ties_table, people, networks=networks)
    return StudyData(
        people=people,
        ties=ties,
        outside_ties=outside,
        networks=names,
        sources={"people": people_table.file, "ties": ties_table.file},
    )


def _require_filled(table: Table, row: int, cells: dict[str, str], columns: Iterable[str]) -> None:
    for problem in _blank_cells(table, row, cells, columns):
        raise problem


def _blank_cells(
    table: Table, row: int, cells: dict[str, str], columns: Iterable[str]
) -> Iterator[InputError]:
    for column in columns:
        if not cells.get(column):
            yield InputError(
                f"the {column} is blank", file=table.file, row=row, column=column,
                expected=f"a {column} in every row",
            )  # fmt: skip


def _require_choice(
    table: Table, row: int, column: str, value: str, allowed: Sequence[str]
) -> None:
    for problem in _unknown_choice(table, row, column, value, allowed):
        raise problem


def _unknown_choice(
    table: Table, row: int, column: str, value: str, allowed: Sequence[str], labelled: bool = False
) -> Iterator[InputError]:
    """``labelled``: the choices are said by their labels, which a roster may use for them."""
    if value not in allowed:
        listed = f": {labels_of(allowed)}" if labelled else " " + ", ".join(allowed)
        yield InputError(
            f"unknown {column} {value!r}",
            file=table.file,
            row=row,
            column=column,
            expected="one of" + listed,
        )


def _parse_bool(table: Table, row: int, column: str, cells: dict[str, str]) -> bool:
    for problem in _not_a_bool(table, row, column, cells):
        raise problem
    return cells[column].lower() in TRUE_WORDS


def _not_a_bool(table: Table, row: int, column: str, cells: dict[str, str]) -> Iterator[InputError]:
    word = cells[column].lower()
    if word not in TRUE_WORDS and word not in FALSE_WORDS:
        yield InputError(
            f"{cells[column]!r} is not yes or no",
            file=table.file,
            row=row,
            column=column,
            expected="yes/no, true/false or 1/0",
        )


def _parse_weight(table: Table, row: int, text: str) -> float:
    if not text:
        return 1.0
    try:
        weight = float(text)
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight) or weight <= 0:
        raise InputError(
            f"weight {text!r} is not a positive number",
            file=table.file,
            row=row,
            column="weight",
            expected="a number above 0, or blank for 1",
        )
    return weight


def _check_network(table: Table, row: int, network: str, allowed: Sequence[str] | None) -> None:
    if allowed is not None:
        _require_choice(table, row, "network", network, allowed)
        return
    if network in NETWORKS:
        return
    near = difflib.get_close_matches(network.lower(), NETWORKS, n=1, cutoff=0.75)
    if near:
        raise InputError(
            f"unknown network {network!r}: did you mean {near[0]!r}?",
            file=table.file,
            row=row,
            column="network",
            expected="one of " + ", ".join(NETWORKS) + ", or a study-defined name",
        )


def _networks_in_order(found: Iterable[str]) -> tuple[str, ...]:
    present = set(found)
    standard = [n for n in NETWORKS if n in present]
    return tuple(standard + sorted(present - set(NETWORKS)))


def _frame(ties: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(ties, columns=list(TIE_COLUMNS))
    return frame.astype({"source": str, "target": str, "network": str, "weight": float})
