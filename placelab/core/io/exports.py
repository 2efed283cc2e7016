"""The analysed study as files that Gephi, Gephi Lite, yEd, NetworkX, igraph and Excel open.

Everything is read from the stored result (:func:`~placelab.core.io.result_json.result_dict`),
so the web can write the files of a finished run without running the analysis again.

**GraphML and GEXF** hold one directed multigraph: a node per person of the roster (and one per
person named who is not on it, ``on_roster`` false), and an edge per nomination, from the person
who answered to the person named, with its ``network`` (code) and ``weight``. Parallel edges (the
same two people in several networks) have distinct ids; in GEXF each also has ``kind`` = its
network, the field Gephi reads as the edge type (Gephi keeps parallel edges only when their types
differ, and filters by it), and ``label`` = the network's label. A node carries the roster's
columns, ``sector_label`` and ``layer_label`` (:func:`~placelab.core.vocabulary.label`),
``core_group``, and for every network (``all`` included) each measure, role, primary role,
community and Gould and Fernandez brokerage count as ``<network>_<measure>``. ``roles``,
``primary_role``, ``community``, the colour and the size are those of the network drawn:
``all`` (every network together) when the study has it.

Positions are the sector template's (``result["layout"]["positions"]``), turned the right way
up for Gephi and sigma.js, whose y axis grows upward: ``y = layout height - template y``, so the
local authority stays upper left. GEXF writes them as ``viz:position``, with ``viz:color`` (hubs
yellow, gatekeepers green, pulsetakers red as Appendix C 4.2 of the NESTA report draws them,
everyone else one neutral grey, so that the key connectors stand out as on placelab's map) and
``viz:size`` (by degree); GraphML writes the same as ``x``, ``y``, ``size``, ``r``, ``g``, ``b``,
the attribute names Gephi's GraphML importer reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from xml.etree import ElementTree

import networkx as nx

from placelab.core.errors import PlacelabError
from placelab.core.networks.brokerage import BROKERAGE_ROLES
from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.vocabulary import ALL, label

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# Appendix C 4.2: hubs yellow, gatekeepers green, pulsetakers red; the rest one quiet grey.
ROLE_COLOURS: dict[str | None, tuple[int, int, int]] = {
    "hub": (242, 193, 46),
    "gatekeeper": (46, 139, 87),
    "pulsetaker": (214, 40, 40),
    None: (154, 160, 166),
}
SMALLEST, LARGEST = 5.0, 20.0  # viz:size, in Gephi's units (its default node is 10)
# Drawn in Gephi from viz: or GraphML's own keys, not attribute columns of a GEXF node.
_DRAWING = ("x", "y", "size", "r", "g", "b")
_NOT_ATTRIBUTES = frozenset({"id", "networks"})


def drawn_network(result: dict) -> str:
    """The network whose roles colour and whose degree sizes the nodes: ``all`` if present."""
    networks = list(result["networks"])
    return ALL if ALL in networks else networks[0]


def check_exportable(result: dict) -> None:
    """Raise :class:`PlacelabError` for a result stored before it kept its ties and layout."""
    if "ties" not in result or "layout" not in result:
        raise PlacelabError(
            "this analysis was stored without its ties and map positions: run it again to export it"
        )


def study_graph(result: dict) -> nx.MultiDiGraph:
    """The analysed study as a NetworkX multigraph: the nodes and edges both files write."""
    check_exportable(result)
    graph = nx.MultiDiGraph()
    for person, values in _node_values(result):
        graph.add_node(person, **values)
    number = 0
    for network, ties in result["ties"].items():
        for source, target, weight in ties:
            for end in (source, target):
                if end not in graph:
                    graph.add_node(end, label=end, on_roster=False)
            graph.add_edge(
                source, target, f"e{number}", network=network, label=label(network),
                weight=float(weight),
            )  # fmt: skip
            number += 1
    _uniform_types(graph)
    return graph


def graphml_text(result: dict) -> str:
    """The study as GraphML text (UTF-8); see the module's notes for what it holds."""
    return "\n".join(nx.generate_graphml(study_graph(result), prettyprint=True)) + "\n"


def gexf_text(result: dict) -> str:
    """The study as GEXF 1.3 text with the ``viz`` namespace; see the module's notes."""
    graph = study_graph(result)
    ElementTree.register_namespace("", GEXF_NS)
    ElementTree.register_namespace("viz", VIZ_NS)
    ElementTree.register_namespace("xsi", XSI_NS)
    root = ElementTree.Element(
        _g("gexf"),
        {"version": "1.3", f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"},
    )
    meta = ElementTree.SubElement(root, _g("meta"))
    ElementTree.SubElement(meta, _g("creator")).text = "placelab"
    ElementTree.SubElement(meta, _g("description")).text = _description(result)
    element = ElementTree.SubElement(root, _g("graph"), defaultedgetype="directed", mode="static")
    node_types = _declare(element, "node", graph.nodes(data=True), skip=("label", *_DRAWING))
    edge_types = _declare(element, "edge", _edge_data(graph), skip=("label", "weight"))
    nodes = ElementTree.SubElement(element, _g("nodes"))
    for person, values in graph.nodes(data=True):
        node = ElementTree.SubElement(nodes, _g("node"), id=person, label=str(values["label"]))
        _attvalues(node, values, node_types)
        _viz(node, values)
    edges = ElementTree.SubElement(element, _g("edges"))
    for source, target, key, values in graph.edges(keys=True, data=True):
        edge = ElementTree.SubElement(
            edges, _g("edge"), id=key, source=source, target=target, kind=values["network"],
            label=values["label"], weight=_text(values["weight"]),
        )  # fmt: skip
        _attvalues(edge, values, edge_types)
    ElementTree.indent(root, space=" ")
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --- the nodes ---------------------------------------------------------------------------------


def _node_values(result: dict) -> Iterator[tuple[str, dict]]:
    drawn = drawn_network(result)
    core = set(result["core_group"]["members"])
    layout = result["layout"]
    widest = max((_degree(p, drawn) for p in result["people"]), default=0) or 1
    for person in result["people"]:
        values = {"label": person.get("name") or person["id"]}
        values |= _roster_values(person)
        values |= {"on_roster": True, "core_group": person["id"] in core}
        values |= _drawn_values(person.get("networks", {}).get(drawn, {}))
        for network, measures in person.get("networks", {}).items():
            values |= _measure_values(network, measures)
        values |= _drawing(person, layout, widest, drawn)
        yield person["id"], {k: v for k, v in values.items() if v is not None}


def _roster_values(person: dict) -> dict:
    """The roster's columns; sector and layer with their labels beside their codes."""
    values = {k: v for k, v in person.items() if k not in _NOT_ATTRIBUTES}
    for column in ("sector", "layer"):
        if values.get(column) is not None:
            values[f"{column}_label"] = label(values[column])
    return values


def _drawn_values(measures: dict) -> dict:
    roles = measures.get("roles") or []
    primary = measures.get("primary_role")
    values: dict[str, object] = {
        "roles": ",".join(roles),
        "primary_role": primary or "",
        "primary_role_label": label(primary) if primary else "",
        "community": measures.get("community"),
    }
    return values | {role: role in roles for role in ROLE_SCORES}


def _measure_values(network: str, measures: dict) -> dict:
    values: dict[str, object] = {}
    for name, value in measures.items():
        if name == "brokerage":
            values |= {f"{network}_brokerage_{r}": value.get(r) for r in BROKERAGE_ROLES}
        elif name == "roles":
            values[f"{network}_roles"] = ",".join(value or [])
        elif name == "primary_role":
            values[f"{network}_primary_role"] = value or ""
        else:
            values[f"{network}_{name}"] = value
    return values


def _drawing(person: dict, layout: dict, widest: float, drawn: str) -> dict:
    measures = person.get("networks", {}).get(drawn, {})
    r, g, b = ROLE_COLOURS[measures.get("primary_role")]
    size = SMALLEST + (LARGEST - SMALLEST) * math.sqrt(_degree(person, drawn) / widest)
    values: dict[str, object] = {"size": round(size, 3), "r": r, "g": g, "b": b}
    position = layout.get("positions", {}).get(person["id"])
    if position is not None:
        values |= {"x": float(position[0]), "y": float(layout["height"]) - float(position[1])}
    return values


def _degree(person: dict, network: str) -> float:
    return float(person.get("networks", {}).get(network, {}).get("degree") or 0)


def _uniform_types(graph: nx.MultiDiGraph) -> None:
    """One type per attribute, as GraphML and GEXF declare it: ints widen where floats are."""
    kinds: dict[str, set[type]] = {}
    for _, values in graph.nodes(data=True):
        for name, value in values.items():
            kinds.setdefault(name, set()).add(type(value))
    widen = {name: float if found == {int, float} else str for name, found in kinds.items()}
    for _, values in graph.nodes(data=True):
        for name, value in values.items():
            if len(kinds[name]) > 1:
                values[name] = widen[name](value)


# --- GEXF --------------------------------------------------------------------------------------

_GEXF_TYPES = {bool: "boolean", int: "integer", float: "double", str: "string"}


def _g(tag: str) -> str:
    return f"{{{GEXF_NS}}}{tag}"


def _edge_data(graph: nx.MultiDiGraph) -> Iterator[tuple[str, dict]]:
    for _, _, key, values in graph.edges(keys=True, data=True):
        yield key, values


def _declare(graph: ElementTree.Element, kind: str, items, skip: tuple[str, ...]) -> dict:
    """Declare each attribute once, its id its title (graphology reads a non-numeric id as the
    title); return the declared types by name."""
    types: dict[str, str] = {}
    for _, values in items:
        for name, value in values.items():
            if name not in skip and name not in types:
                types[name] = _GEXF_TYPES[type(value)]
    block = ElementTree.SubElement(graph, _g("attributes"), {"class": kind, "mode": "static"})
    for name, gexf_type in types.items():
        ElementTree.SubElement(block, _g("attribute"), id=name, title=name, type=gexf_type)
    return types


def _attvalues(element: ElementTree.Element, values: dict, types: dict) -> None:
    block = ElementTree.SubElement(element, _g("attvalues"))
    for name, value in values.items():
        if name in types:
            ElementTree.SubElement(block, _g("attvalue"), {"for": name, "value": _text(value)})


def _viz(node: ElementTree.Element, values: dict) -> None:
    if "r" in values:
        colour = {c: str(values[c]) for c in "rgb"}
        ElementTree.SubElement(node, f"{{{VIZ_NS}}}color", colour | {"a": "1.0"})
    if "x" in values:
        position = {"x": _text(values["x"]), "y": _text(values["y"]), "z": "0.0"}
        ElementTree.SubElement(node, f"{{{VIZ_NS}}}position", position)
    if "size" in values:
        ElementTree.SubElement(node, f"{{{VIZ_NS}}}size", value=_text(values["size"]))


def _text(value: object) -> str:
    """XML text for a value: ``true``/``false``, and floats in full (repr) precision."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _description(result: dict) -> str:
    networks = ", ".join(label(n) for n in result["inputs"]["networks"])
    return (
        f"placelab analysis of {result['inputs']['people']} people; networks: {networks}. "
        f"Colour and size show {label(drawn_network(result)).lower()}: hubs yellow, gatekeepers "
        "green, pulsetakers red. Positions: the sector template, y upward."
    )
