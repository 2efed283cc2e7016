"""Read and write GraphML and GEXF files, so a study can come from or go to Gephi, yEd or NetworkX.

Reading turns nodes and edges into :class:`Table` rows and hands them to
:func:`~placelab.core.io.validate.study_from_tables`, so graph files obey the same rules as CSV
files, and an error names the file, the node's or edge's position in it (``row``, counting nodes
and edges separately from 1) and the attribute (``column``).

Conventions: each node is a person, identified by its node id; a node whose ``on_roster`` is
false is someone named who is not on the roster. Each edge is one nomination, pointing from the
person who answered to the person named, with a ``network`` and an optional ``weight``; parallel
edges carry one nomination each.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pandas as pd

from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS, StudyData
from placelab.core.errors import InputError
from placelab.core.io.tables import Table
from placelab.core.io.validate import FALSE_WORDS, TRUE_WORDS, study_from_tables
from placelab.core.vocabulary import SECTORS

ON_ROSTER = "on_roster"
# Node data that is not a person's attribute: the id is the node's, the label is read as the name.
_NOT_ATTRIBUTES = frozenset({"id", "label", ON_ROSTER})
_READERS: dict[str, tuple[str, Callable[[Path], nx.Graph]]] = {
    ".graphml": ("GraphML", lambda path: nx.read_graphml(path, force_multigraph=True)),
    ".gexf": ("GEXF", nx.read_gexf),
}

Positions = dict[tuple[str, str], list[int]]


def read_graph_file(
    path: str | Path,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
) -> StudyData:
    """Read a ``.graphml`` or ``.gexf`` file as a checked :class:`StudyData`.

    Parameters
    ----------
    path : str or Path
        The file; its suffix says which format it is.
    sectors, networks : sequence of str, optional
        As for :func:`~placelab.core.io.validate.study_from_tables`.

    Raises
    ------
    InputError
        If the file cannot be read, or a node or edge breaks the rules for valid input.
    """
    path = Path(path)
    graph, nodes, positions = _parse(path)
    ties = _ties_table(str(path), graph, positions)
    senders = {cells["source"] for _, cells in ties.rows}
    people = _people_table(str(path), graph, nodes, senders)
    return study_from_tables(people, ties, sectors=sectors, networks=networks)


def write_graphml(
    data: StudyData,
    path: str | Path,
    *,
    node_attributes: Mapping[str, Mapping[str, object]] | None = None,
) -> None:
    """Write ``data`` as GraphML; ``node_attributes`` (by person id) adds results to the nodes."""
    nx.write_graphml(_graph(data, node_attributes), Path(path))


def write_gexf(
    data: StudyData,
    path: str | Path,
    *,
    node_attributes: Mapping[str, Mapping[str, object]] | None = None,
) -> None:
    """Write ``data`` as GEXF, with names as node labels; see :func:`write_graphml`."""
    graph = _graph(data, node_attributes)
    for node, values in graph.nodes(data=True):
        values["label"] = values.pop("name") if "name" in values else node
    nx.write_gexf(graph, Path(path))


# --- reading -----------------------------------------------------------------------------------


def _parse(path: Path) -> tuple[nx.MultiDiGraph, list[str], Positions]:
    """Read the file with NetworkX; return it with its node ids and edge positions in file order."""
    file = str(path)
    if not path.is_file():
        raise InputError("no such file", file=file)
    if path.suffix.lower() not in _READERS:
        raise InputError("not a graph file", file=file, expected="a .graphml or .gexf file")
    kind, reader = _READERS[path.suffix.lower()]
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        raise InputError(f"not well-formed XML: {error}", file=file) from None
    try:
        graph = reader(path)
    except Exception as error:  # networkx raises many kinds for a damaged file
        raise InputError(f"not a readable {kind} file: {error}", file=file) from None
    if not graph.is_directed():
        raise InputError(
            "the graph is undirected",
            file=file,
            expected="a directed graph: each edge from the person who answered to the one named",
        )
    return nx.MultiDiGraph(graph), *_file_order(root)


def _file_order(root: ElementTree.Element) -> tuple[list[str], Positions]:
    """Node ids in file order, and each (source, target)'s edge positions (counted from 1)."""
    graph = next(e for e in root.iter() if _local(e.tag) == "graph")
    nodes = [e.get("id", "") for e in graph.iter() if _local(e.tag) == "node"]
    edges = [e for e in graph.iter() if _local(e.tag) == "edge"]
    positions: Positions = defaultdict(list)
    for position, edge in enumerate(edges, start=1):
        source, target = edge.get("source", ""), edge.get("target", "")
        positions[source, target].append(position)
        if edge.get("type") == "mutual" and source != target:  # GEXF: one element, two ties
            positions[target, source].append(position)
    return nodes, positions


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ties_table(file: str, graph: nx.MultiDiGraph, positions: Positions) -> Table:
    default = graph.graph.get("edge_default", {})
    rows = []
    for (source, target), places in positions.items():
        found = list(graph.get_edge_data(source, target, default={}).values())
        if source and target and len(found) != len(places):
            raise InputError(
                f"edges from {source!r} to {target!r} share an id",
                file=file,
                row=places[-1],
                expected="a different id on each edge",
            )
        for place, values in zip(places, found or [{}] * len(places), strict=True):
            values = {**default, **values}
            cells = {"source": source, "target": target}
            cells |= {c: _text(values.get(c)) for c in ("network", "weight")}
            rows.append((place, cells))
    if not rows:
        raise InputError("the graph has no edges", file=file, expected="one edge per nomination")
    return Table(file, TIE_COLUMNS, tuple(sorted(rows, key=lambda row: row[0])))


def _people_table(file: str, graph: nx.MultiDiGraph, nodes: list[str], senders: set[str]) -> Table:
    default = graph.graph.get("node_default", {})
    rows = []
    for position, node in enumerate(nodes, start=1):
        values = {**default, **graph.nodes.get(node, {})}
        if _on_roster(file, position, values):
            rows.append((position, _person_cells(node, values, senders)))
    if not rows:
        raise InputError("no node is on the roster", file=file, expected="a node per person")
    extras = [c for _, cells in rows for c in cells if c not in PEOPLE_COLUMNS]
    columns = PEOPLE_COLUMNS + tuple(dict.fromkeys(extras))
    rows = [(place, {c: cells.get(c, "") for c in columns}) for place, cells in rows]
    return Table(file, columns, tuple(rows))


def _on_roster(file: str, position: int, values: dict[str, object]) -> bool:
    word = (_text(values.get(ON_ROSTER)) or "yes").lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise InputError(
        f"{word!r} is not yes or no",
        file=file,
        row=position,
        column=ON_ROSTER,
        expected="true or false",
    )


def _person_cells(node: str, values: dict[str, object], senders: set[str]) -> dict[str, str]:
    cells = {
        name: _text(value)
        for name, value in values.items()
        if name not in _NOT_ATTRIBUTES and not isinstance(value, dict | list | tuple)
    }
    cells["id"] = node
    cells["name"] = cells.get("name") or _text(values.get("label"))
    if not cells.get("responded"):  # unknown: whoever named someone answered the survey
        cells["responded"] = "yes" if node in senders else "no"
    return cells


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


# --- writing -----------------------------------------------------------------------------------


def _graph(
    data: StudyData, node_attributes: Mapping[str, Mapping[str, object]] | None
) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for person, row in data.people.to_dict("index").items():
        values = {name: _plain(value) for name, value in row.items()}
        values["responded"] = bool(row["responded"])
        graph.add_node(str(person), **values, on_roster=True)
    ties = pd.concat([data.ties, data.outside_ties], ignore_index=True)
    for number, tie in enumerate(ties.itertuples(index=False)):
        if tie.target not in graph:
            graph.add_node(tie.target, on_roster=False)
        weight = float(tie.weight)
        graph.add_edge(tie.source, tie.target, f"e{number}", network=tie.network, weight=weight)
    _attach(graph, node_attributes or {})
    return graph


def _attach(graph: nx.MultiDiGraph, results: Mapping[str, Mapping[str, object]]) -> None:
    """Add per-person results to the nodes, one type per attribute (ints widen to floats)."""
    taken = {name for _, values in graph.nodes(data=True) for name in values}
    by_name: dict[str, dict[str, object]] = defaultdict(dict)
    for person, values in results.items():
        if person not in graph:
            raise ValueError(f"{person!r} is not a node of the graph")
        for name, value in values.items():
            if name in taken or name in _NOT_ATTRIBUTES:
                raise ValueError(f"{name!r} would replace an attribute of the input")
            if _plain(value) != "":  # a missing result is left out, not written as text
                by_name[name][person] = _plain(value)
    for name, values in by_name.items():
        if {type(v) for v in values.values()} == {int, float}:
            values = {p: float(v) for p, v in values.items() if isinstance(v, int | float)}
        nx.set_node_attributes(graph, values, name)


def _plain(value: object) -> object:
    """A value NetworkX can write: Python scalars kept, NumPy scalars unwrapped, others as text."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str | bool | int | float) else str(value)
