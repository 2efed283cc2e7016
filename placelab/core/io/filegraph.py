"""A network as another tool's file holds it, and the rules that turn it into a study.

Each reader (GraphML and GEXF through NetworkX, Pajek, UCINET DL) parses its format into a
:class:`FileGraph`: nodes with the file's attributes and edges in file order, each edge directed
or not. :func:`study_from_graph` then applies one set of rules, so every format is read alike:

- a node is a person, identified by its id, named by its ``name`` or ``label``; a node whose
  ``on_roster`` is false is someone named who is not on the roster;
- an edge is a nomination from the person who answered to the person named, in the network its
  ``network`` attribute names; an undirected edge is a tie both ways;
- a node without a sector or layer is "unknown" (shown as "Not known"), a file whose edges name
  no network is one network, and an edge from a person to themselves is left out; each of these
  is said once, in the notes returned beside the study;
- the rows are checked by :mod:`placelab.core.io.validate`, as a CSV's are, and an error names
  the node or edge (``node 'Medici'``) and the file's own attribute, not a spreadsheet row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS, StudyData
from placelab.core.errors import InputError
from placelab.core.io.mapping import (
    PERSON_KEYS,
    TIE_KEYS,
    checked_mapping,
    network_for_unnamed,
    unnamed_network_note,
)
from placelab.core.io.tables import Table
from placelab.core.io.validate import FALSE_WORDS, TRUE_WORDS, people_from_table, ties_from_table
from placelab.core.vocabulary import LAYERS, SECTORS, UNKNOWN, label

ON_ROSTER = "on_roster"
# Node data that is not a person's attribute: the id is the node's, the label is read as the name.
NOT_ATTRIBUTES = frozenset({"id", "label", ON_ROSTER})


@dataclass(frozen=True)
class FileNode:
    id: str
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        """How an error names the node: by its name or label, which its reader sees."""
        for key in ("name", "label"):
            text = _text(self.values.get(key))
            if text:
                return text
        return self.id


@dataclass(frozen=True)
class FileEdge:
    source: str
    target: str
    values: Mapping[str, object] = field(default_factory=dict)
    both_ways: bool = False  # an undirected edge: each named the other


@dataclass(frozen=True)
class FileGraph:
    """What a reader found in a file: ``kind`` names the format in messages ("Pajek")."""

    file: str
    kind: str
    nodes: tuple[FileNode, ...]
    edges: tuple[FileEdge, ...]


def study_from_graph(
    graph: FileGraph,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    attributes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[StudyData, tuple[str, ...]]:
    """Check ``graph`` as a study; return it with notes on what was assumed (see the module).

    ``attributes`` maps placelab's person columns to the file's node attributes
    (``{"sector": "dept"}``), ``columns`` its tie columns to edge attributes
    (``{"network": "relation"}``). ``sectors`` and ``networks`` are as for
    :func:`~placelab.core.io.validate.study_from_tables`.
    """
    attributes = checked_mapping(attributes, PERSON_KEYS, "attribute")
    columns = checked_mapping(columns, TIE_KEYS, "column")
    _require_attributes(graph, attributes, columns)
    if not graph.edges:
        raise InputError("the graph has no edges", file=graph.file, expected="an edge per tie")
    shown = {node.id: node.shown for node in graph.nodes}
    ties, tie_items, notes, fixed = _ties(graph, shown, columns, networks)
    senders = {cells["source"] for _, cells in ties.rows}
    people, person_items, unknown = _people(graph, attributes, senders)
    notes = [*_unknown_note(unknown, len(people.rows)), *notes]
    # A file may say "unknown" itself: one placelab wrote from such a study, say.
    widened = tuple(dict.fromkeys((*sectors, UNKNOWN)))
    layers = (*LAYERS, UNKNOWN)
    try:
        frame = people_from_table(people, sectors=widened, layers=layers)
    except InputError as error:
        raise _located(error, person_items, attributes) from None
    try:
        inside, outside, names = ties_from_table(ties, frame, networks=networks or fixed)
    except InputError as error:
        # A tie's ends are the edge's own, not attributes to name.
        raise _located(error, tie_items, {**columns, "source": None, "target": None}) from None
    sources = {"people": graph.file, "ties": graph.file}
    data = StudyData(frame, inside, outside, names, sources)
    return data, tuple(notes)


def _require_attributes(
    graph: FileGraph, attributes: Mapping[str, str], columns: Mapping[str, str]
) -> None:
    """Each mapped attribute must be in the file: a misspelt name would read as none given."""
    for what, mapping, items in (
        ("node", attributes, graph.nodes),
        ("edge", columns, graph.edges),
    ):
        present = {name for item in items for name in item.values}
        for ours, theirs in mapping.items():
            if ours in ("source", "target"):
                raise InputError(
                    f"a {graph.kind} file's edges say their ends themselves",
                    file=graph.file,
                    expected="a map of network or weight only",
                )
            if theirs not in present:
                raise InputError(
                    f"no {what} has the attribute {theirs!r} to read as {ours!r}",
                    file=graph.file,
                    expected="one of " + (", ".join(map(repr, sorted(present))) or "none"),
                )


# --- ties --------------------------------------------------------------------------------------


def _ties(
    graph: FileGraph,
    shown: Mapping[str, str],
    columns: Mapping[str, str],
    networks: Sequence[str] | None,
) -> tuple[Table, dict[int, str], list[str], tuple[str, ...] | None]:
    """The ties table, the edge each row comes from, notes, and the networks to fix (if any)."""
    key = columns.get("network", "network")
    default, notes, fixed = _default_network(graph, shown, key, networks)
    rows: list[tuple[int, dict[str, str]]] = []
    items: dict[int, str] = {}
    loops = both = 0
    seen: dict[tuple[str, str, str], str] = {}
    for edge in graph.edges:
        if edge.source == edge.target:
            loops += 1
            continue
        both += edge.both_ways
        item = _edge_item(edge, shown)
        cells = {
            "network": _text(edge.values.get(key)) or default,
            "weight": _text(edge.values.get(columns.get("weight", "weight"))),
        }
        pairs = [(edge.source, edge.target)] + [(edge.target, edge.source)] * edge.both_ways
        for source, target in pairs:
            _once(graph.file, seen, (source, target, cells["network"]), item)
            rows.append((len(rows) + 1, {"source": source, "target": target, **cells}))
            items[len(rows)] = item
    if not rows:
        raise InputError("every edge runs from a person to themselves", file=graph.file)
    if both:
        were = "was" if both == 1 else "were"
        notes.append(
            f"{_count(both, 'undirected edge')} {were} read as ties both ways, each person "
            "naming the other, so every tie is returned and in- and out-degree are equal."
        )
    if loops:
        were = "was" if loops == 1 else "were"
        notes.append(f"{_count(loops, 'edge')} from a person to themselves {were} left out.")
    return Table(graph.file, TIE_COLUMNS, tuple(rows)), items, notes, fixed


def _once(
    file: str, seen: dict[tuple[str, str, str], str], tie: tuple[str, str, str], item: str
) -> None:
    """Refuse a tie that an earlier edge gave (an undirected edge listed both ways, say)."""
    if tie in seen:
        first = seen[tie]
        raise InputError(
            f"the {tie[2]} network has this tie already, from {first}"
            if first != item
            else f"the {tie[2]} network has this edge twice",
            file=file,
            item=item,
            expected="each tie once per network",
        )
    seen[tie] = item


def _edge_item(edge: FileEdge, shown: Mapping[str, str]) -> str:
    source, target = (shown.get(end, end) for end in (edge.source, edge.target))
    return f"edge {source!r} {'--' if edge.both_ways else '->'} {target!r}"


def _default_network(
    graph: FileGraph, shown: Mapping[str, str], key: str, networks: Sequence[str] | None
) -> tuple[str, list[str], tuple[str, ...] | None]:
    """The network of edges that name none, if all are so, with its note; else ''."""
    named = [bool(_text(edge.values.get(key))) for edge in graph.edges]
    if all(named):
        return "", [], None
    if any(named):
        edge = graph.edges[named.index(False)]
        raise InputError(
            "the edge names no network",
            file=graph.file,
            item=_edge_item(edge, shown),
            column=key,
            expected="a network on every edge, as the others have",
        )
    name = network_for_unnamed(graph.file, networks)
    # A name the file gave is no typing slip: it is fixed so that the typo check lets it be.
    return name, [unnamed_network_note(name)], (name,)


# --- people ------------------------------------------------------------------------------------


def _people(
    graph: FileGraph, attributes: Mapping[str, str], senders: set[str]
) -> tuple[Table, dict[int, str], dict[str, int]]:
    """The roster table, the node each row comes from, and how many lack a sector or layer."""
    rows: list[tuple[int, dict[str, str]]] = []
    items: dict[int, str] = {}
    unknown = {"sector": 0, "layer": 0}
    for node in graph.nodes:
        item = f"node {node.shown!r}"
        values = _renamed(node.values, attributes)
        if not _on_roster(graph.file, item, values):
            continue
        cells = _person_cells(node.id, values, senders)
        for column in unknown:
            if not cells.get(column):
                cells[column] = UNKNOWN
                unknown[column] += 1
        rows.append((len(rows) + 1, cells))
        items[len(rows)] = item
    if not rows:
        raise InputError("no node is on the roster", file=graph.file, expected="a node per person")
    extras = [c for _, cells in rows for c in cells if c not in PEOPLE_COLUMNS]
    header = PEOPLE_COLUMNS + tuple(dict.fromkeys(extras))
    table = tuple((row, {c: cells.get(c, "") for c in header}) for row, cells in rows)
    return Table(graph.file, header, table), items, unknown


def _renamed(values: Mapping[str, object], attributes: Mapping[str, str]) -> dict[str, object]:
    """The node's values under placelab's names; the file's own ``sector``, when ``dept`` is
    read as the sector, is kept under another name rather than lost."""
    theirs = set(attributes.values())
    out: dict[str, object] = {}
    for name, value in values.items():
        if name not in theirs:
            out[f"{name} (as in the file)" if name in attributes else name] = value
    return out | {ours: values[name] for ours, name in attributes.items() if name in values}


def _on_roster(file: str, item: str, values: Mapping[str, object]) -> bool:
    word = (_text(values.get(ON_ROSTER)) or "yes").lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise InputError(
        f"{word!r} is not yes or no", file=file, item=item, column=ON_ROSTER,
        expected="true or false",
    )  # fmt: skip


def _person_cells(node: str, values: Mapping[str, object], senders: set[str]) -> dict[str, str]:
    cells = {
        name: _text(value)
        for name, value in values.items()
        if name not in NOT_ATTRIBUTES and not isinstance(value, dict | list | tuple)
    }
    cells["id"] = node
    cells["name"] = cells.get("name") or _text(values.get("label"))
    if not cells.get("responded"):  # unknown: whoever named someone answered the survey
        cells["responded"] = "yes" if node in senders else "no"
    return cells


def _unknown_note(unknown: Mapping[str, int], people: int) -> list[str]:
    lacking = [f"{count} no {column}" for column, count in unknown.items() if count]
    if not lacking:
        return []
    lacking[0] = lacking[0].replace(" no ", " have no ", 1)
    return [
        f"Of {_count(people, 'person', 'people')} in the file, {' and '.join(lacking)}: "
        f"they are shown as {label(UNKNOWN)!r}."
    ]


# --- errors and values -------------------------------------------------------------------------


def _located(
    error: InputError, items: Mapping[int, str], names: Mapping[str, str | None]
) -> InputError:
    """A checker's error about a row, told about the node or edge and its attribute instead."""
    detail = re.sub(r"\bin row (\d+)", lambda m: "in " + items.get(int(m[1]), m[0]), error.detail)
    column = names.get(error.column, error.column) if error.column else None
    return InputError(
        detail, file=error.file, item=items.get(error.row or 0), column=column,
        expected=error.expected,
    )  # fmt: skip


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _text(value: object) -> str:
    """A value as the CSV reader would see it: ``yes``/``no`` for booleans, ``3`` for 3.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()
