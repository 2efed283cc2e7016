"""Read files from other tools under their own names: attribute and column maps, one network.

A network from Gephi, NetworkX, Pajek or UCINET names things its own way: the sector may be an
attribute ``dept``, the edge list's columns ``from`` and ``to``, and a file of one network may
name no network at all. These functions take the file as it is and say what they assumed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS
from placelab.core.errors import InputError
from placelab.core.io.tables import Table, header_key

# What --attribute may map: the roster's columns but the id (a graph file's node id is the id).
PERSON_KEYS = tuple(c for c in PEOPLE_COLUMNS if c != "id")
TIE_KEYS = TIE_COLUMNS
# The sector and layer of people a file gives none (shown as "Not known").


def checked_mapping(
    mapping: Mapping[str, str] | None, allowed: Sequence[str], what: str
) -> dict[str, str]:
    """``mapping`` (placelab's name -> the file's name), refused if it names a key placelab
    does not read or gives one file name to two keys; ``what`` says which map it is."""
    mapping = dict(mapping or {})
    for ours, theirs in mapping.items():
        if ours not in allowed:
            raise InputError(
                f"{what}: {ours!r} is not a name placelab reads",
                expected="one of " + ", ".join(allowed),
            )
        if not theirs.strip():
            raise InputError(f"{what}: {ours!r} is mapped to nothing", expected=f"{ours}=NAME")
    if len(set(mapping.values())) < len(mapping):
        raise InputError(f"{what}: one name is mapped twice", expected="each name once")
    return mapping


def network_for_unnamed(file: str, networks: Sequence[str] | None) -> str:
    """The network of a file whose ties name none: the one name the study fixed, or else the
    file's name as a network name (``Florentine families.graphml`` -> ``florentine_families``)."""
    if networks:
        if len(networks) > 1:
            raise InputError(
                "the ties name no network, so they can only be one network",
                file=file,
                expected=f"one network name, not {len(networks)}",
            )
        return networks[0]
    return re.sub(r"[^0-9a-z]+", "_", Path(file).stem.casefold()).strip("_") or "network"


def unnamed_network_note(name: str) -> str:
    return f"The ties name no network, so they are read as one network, {name!r}."


def mapped_people(table: Table, attributes: Mapping[str, str] | None) -> Table:
    """A roster with its own column names (``attributes``: ours -> theirs) under placelab's."""
    attributes = checked_mapping(attributes, PERSON_KEYS, "attribute")
    return _mapped(table, attributes)


def mapped_ties(
    table: Table, columns: Mapping[str, str] | None, networks: Sequence[str] | None
) -> tuple[Table, list[str]]:
    """An edge list with its columns under placelab's names, in any case (``Source``, as Gephi
    writes it), renamed by ``columns`` (ours -> theirs); without a network column its ties are
    one network (:func:`network_for_unnamed`). Returns the table and what was assumed."""
    columns = checked_mapping(columns, TIE_KEYS, "column")
    table = _mapped(table, columns, {header_key(c): c for c in TIE_COLUMNS})
    table, notes = _undirected_rows(table)
    if "network" in table.columns or "network" in columns:
        return table, notes
    name = network_for_unnamed(table.file, networks)
    rows = tuple((row, {**cells, "network": name}) for row, cells in table.rows)
    table = replace(table, columns=(*table.columns, "network"), rows=rows)
    return table, [unnamed_network_note(name), *notes]


def _undirected_rows(table: Table) -> tuple[Table, list[str]]:
    """Gephi's edge table says ``Undirected`` in its ``Type`` column for an undirected edge:
    such a row is a tie both ways, its reverse read from the same row."""
    kind = next((c for c in table.columns if header_key(c) == "type"), None)
    if kind is None or "source" not in table.columns or "target" not in table.columns:
        return table, []
    rows: list[tuple[int, dict[str, str]]] = []
    both = 0
    for row, cells in table.rows:
        rows.append((row, cells))
        if cells[kind].strip().casefold() == "undirected":
            both += 1
            rows.append((row, {**cells, "source": cells["target"], "target": cells["source"]}))
    if not both:
        return table, []
    were = "was" if both == 1 else "were"
    note = (
        f"{both} tie{'s' * (both != 1)} marked {kind} 'Undirected' {were} read both ways, each "
        "person naming the other."
    )
    return replace(table, rows=tuple(rows)), [note]


def _mapped(table: Table, mapping: dict[str, str], names: dict[str, str] | None = None) -> Table:
    names = dict(names or {})
    theirs_keys = {header_key(theirs) for theirs in mapping.values()}
    for ours, theirs in mapping.items():
        if header_key(theirs) not in {header_key(c) for c in table.columns}:
            raise InputError(
                f"no column {theirs!r} to read as {ours!r}",
                file=table.file,
                row=1,
                column=theirs,
                expected="one of " + ", ".join(map(repr, table.columns)),
            )
        # The file's own column of our name, if it has one, is kept under another name: it is
        # not the one the user meant.
        if header_key(ours) not in theirs_keys:
            names[header_key(ours)] = f"{ours} (as in the file)"
    names |= {header_key(theirs): ours for ours, theirs in mapping.items()}
    return table.renamed(names)
