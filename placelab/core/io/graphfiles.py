"""Read and write the graph files of other tools, so a study can come from Gephi, yEd, NetworkX,
igraph, Pajek or UCINET and go back to them.

GraphML and GEXF are read through NetworkX, Pajek ``.net`` and UCINET DL by placelab's own
readers (:mod:`placelab.core.io.pajek`, :mod:`placelab.core.io.ucinet`); every format becomes a
:class:`~placelab.core.io.filegraph.FileGraph`, which
:func:`~placelab.core.io.filegraph.study_from_graph` checks under one set of rules (see there):
undirected edges are ties both ways, nodes without a sector or layer are "unknown", and an error
names the node or edge. Writing keeps placelab's own conventions (a directed multigraph, a
``network`` and ``weight`` on each edge, ``on_roster`` on each node), so a study written reads
back as it was.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pandas as pd

from placelab.core.data import StudyData
from placelab.core.errors import InputError
from placelab.core.io.filegraph import (
    NOT_ATTRIBUTES,
    FileEdge,
    FileGraph,
    FileNode,
    study_from_graph,
)
from placelab.core.vocabulary import SECTORS

GRAPH_SUFFIXES = (".graphml", ".gexf", ".net", ".dl")
_READERS: dict[str, tuple[str, Callable[[Path], nx.Graph]]] = {
    ".graphml": ("GraphML", lambda path: nx.read_graphml(path, force_multigraph=True)),
    ".gexf": ("GEXF", nx.read_gexf),
}


def read_graph_file(
    path: str | Path,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    attributes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> StudyData:
    """Read a ``.graphml``, ``.gexf``, Pajek ``.net`` or UCINET ``.dl`` file as a study.

    Parameters
    ----------
    path : str or Path
        The file; its suffix says which format it is.
    sectors, networks : sequence of str, optional
        As for :func:`~placelab.core.io.validate.study_from_tables`.
    attributes, columns : mapping, optional
        placelab's names to the file's: ``{"sector": "dept"}`` reads the node attribute
        ``dept`` as the sector, ``{"network": "relation"}`` the edge attribute ``relation``
        as the network.

    Raises
    ------
    InputError
        If the file cannot be read, or a node or edge breaks the rules for valid input.
    """
    return read_graph_study(
        path, sectors=sectors, networks=networks, attributes=attributes, columns=columns
    )[0]


def read_graph_study(
    path: str | Path,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    attributes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[StudyData, tuple[str, ...]]:
    """As :func:`read_graph_file`, with the notes on what was assumed in reading the file
    (undirected edges, people without a sector, one unnamed network), one sentence each."""
    graph = read_file_graph(path)
    return study_from_graph(
        graph, sectors=sectors, networks=networks, attributes=attributes, columns=columns
    )


def read_file_graph(path: str | Path) -> FileGraph:
    """The nodes and edges of a graph file, as its format holds them."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    if suffix == ".net":
        from placelab.core.io.pajek import read_pajek

        return read_pajek(path)
    if suffix == ".dl":
        from placelab.core.io.ucinet import read_dl

        return read_dl(path)
    if suffix not in _READERS:
        raise InputError(
            "not a graph file", file=str(path),
            expected="a .graphml, .gexf, Pajek .net or UCINET .dl file",
        )  # fmt: skip
    return _xml_graph(path, *_READERS[suffix])


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


# --- reading GraphML and GEXF ------------------------------------------------------------------


def _xml_graph(path: Path, kind: str, reader: Callable[[Path], nx.Graph]) -> FileGraph:
    """Read the file with NetworkX (which types the attributes), in the file's own order."""
    file = str(path)
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        raise InputError(f"not well-formed XML: {error}", file=file) from None
    try:
        graph = reader(path)
    except Exception as error:  # networkx raises many kinds for a damaged file
        raise InputError(f"not a readable {kind} file: {error}", file=file) from None
    # GEXF's reader returns a simple graph when no pair has two edges: one kind for both.
    graph = nx.MultiDiGraph(graph) if graph.is_directed() else nx.MultiGraph(graph)
    element = next((e for e in root.iter() if _local(e.tag) == "graph"), None)
    if element is None:
        raise InputError(f"not a {kind} file: it holds no graph", file=file)
    default = graph.graph.get("node_default", {})
    nodes = tuple(
        FileNode(node_id, {**default, **graph.nodes.get(node_id, {})})
        for node_id in (e.get("id", "") for e in element.iter() if _local(e.tag) == "node")
    )
    return FileGraph(file, kind, nodes, _xml_edges(file, graph, element))


def _xml_edges(file: str, graph: nx.Graph, element: ElementTree.Element) -> tuple[FileEdge, ...]:
    """Each edge element with its data. NetworkX keeps an edge's data but not where it stood in
    the file, so the data of each pair's edges is taken in turn as the pair recurs."""
    directed = graph.is_directed()
    default = graph.graph.get("edge_default", {})
    found: dict[tuple[str, str], deque] = {}
    edges = []
    for xml in (e for e in element.iter() if _local(e.tag) == "edge"):
        source, target = xml.get("source", ""), xml.get("target", "")
        # GEXF's mutual edge, in a directed graph, is one element for two ties.
        both_ways = not directed or (xml.get("type") == "mutual" and source != target)
        pairs = [(source, target)] + [(target, source)] * (directed and both_ways)
        values = [_next_data(file, graph, found, pair) for pair in pairs][0]
        edges.append(FileEdge(source, target, {**default, **values}, both_ways))
    return tuple(edges)


def _next_data(file: str, graph: nx.Graph, found: dict, pair: tuple[str, str]) -> dict:
    key = pair if graph.is_directed() else tuple(sorted(pair))
    if key not in found:
        found[key] = deque(graph.get_edge_data(*pair, default={}).values())
    if not found[key]:
        raise InputError(
            f"edges from {pair[0]!r} to {pair[1]!r} share an id",
            file=file,
            expected="a different id on each edge",
        )
    return found[key].popleft()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


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
            if name in taken or name in NOT_ATTRIBUTES:
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
