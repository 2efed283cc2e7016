"""The analysed study as files that Gephi, Gephi Lite, yEd, NetworkX, igraph and Excel open.

Everything is read from the stored result (:func:`~placelab.core.io.result_json.result_dict`),
so the web can write the files of a finished run without running the analysis again.

**GraphML and GEXF** hold one directed multigraph: a node per person of the roster (and one per
person named who is not on it, ``on_roster`` false), and an edge per nomination, from the person
who answered to the person named, with its ``network`` (code) and ``weight``. Parallel edges (the
same two people in several networks) have distinct ids; in GEXF each also has ``kind`` = its
network, the field Gephi reads as the edge type (Gephi keeps parallel edges only when their types
differ, and filters by it), and ``label`` = the network's label. GraphML has no edge type, so
Gephi may merge a GraphML file's parallel edges: the GEXF is the file for Gephi. A node carries the roster's
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
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from placelab.core.errors import PlacelabError
from placelab.core.networks.brokerage import BROKERAGE_ROLES
from placelab.core.networks.roles import OTHER_COLOUR, ROLE_SCORES
from placelab.core.networks.roles import ROLE_COLOURS as MAP_COLOURS
from placelab.core.vocabulary import ALL, label


def _rgb(colour: str) -> tuple[int, int, int]:
    """'#f5c400' -> (245, 196, 0)."""
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# The maps' own colours (core.networks.roles), so that Gephi shows what placelab draws.
ROLE_COLOURS: dict[str | None, tuple[int, int, int]] = {
    **{role: _rgb(colour) for role, colour in MAP_COLOURS.items()},
    None: _rgb(OTHER_COLOUR),
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
    """The study as GraphML text; see the module's notes for what it holds."""
    graph = study_graph(result)
    node_keys = _attribute_types(graph.nodes(data=True), skip=())
    edge_keys = _attribute_types(_edge_data(graph), skip=())
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">',
    ]
    for kind, keys in (("node", node_keys), ("edge", edge_keys)):
        lines += [
            f' <key id="{kind[0]}{n}" for="{kind}" attr.name={quoteattr(name)} '
            f'attr.type="{_GRAPHML_TYPES[python]}"/>'
            for n, (name, python) in enumerate(keys.items())
        ]
    lines.append(' <graph edgedefault="directed">')
    node_ids = {name: f"n{n}" for n, name in enumerate(node_keys)}
    edge_ids = {name: f"e{n}" for n, name in enumerate(edge_keys)}
    for person, values in graph.nodes(data=True):
        lines.append(f"  <node id={quoteattr(person)}>{_data(values, node_ids)}</node>")
    for source, target, key, values in graph.edges(keys=True, data=True):
        ends = f"id={quoteattr(key)} source={quoteattr(source)} target={quoteattr(target)}"
        lines.append(f"  <edge {ends}>{_data(values, edge_ids)}</edge>")
    return "\n".join([*lines, " </graph>", "</graphml>", ""])


def gexf_text(result: dict) -> str:
    """The study as GEXF 1.3 text with the ``viz`` namespace; see the module's notes."""
    graph = study_graph(result)
    node_types = _attribute_types(graph.nodes(data=True), skip=("label", *_DRAWING))
    edge_types = _attribute_types(_edge_data(graph), skip=("label", "weight"))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.3">',
        f" <meta><creator>placelab</creator><description>{escape(_description(result))}"
        "</description></meta>",
        ' <graph defaultedgetype="directed" mode="static">',
    ]
    for kind, types in (("node", node_types), ("edge", edge_types)):
        lines.append(f'  <attributes class="{kind}" mode="static">')
        # The id is the title: graphology reads a non-numeric id as the attribute's title.
        lines += [
            f"   <attribute id={quoteattr(name)} title={quoteattr(name)} "
            f'type="{_GEXF_TYPES[python]}"/>'
            for name, python in types.items()
        ]
        lines.append("  </attributes>")
    lines.append("  <nodes>")
    for person, values in graph.nodes(data=True):
        head = f"id={quoteattr(person)} label={quoteattr(str(values['label']))}"
        lines.append(f"   <node {head}>{_attvalues(values, node_types)}{_viz(values)}</node>")
    lines.append("  </nodes>")
    lines.append("  <edges>")
    for source, target, key, values in graph.edges(keys=True, data=True):
        head = (
            f"id={quoteattr(key)} source={quoteattr(source)} target={quoteattr(target)} "
            f"kind={quoteattr(values['network'])} label={quoteattr(values['label'])} "
            f'weight="{_text(values["weight"])}"'
        )
        lines.append(f"   <edge {head}>{_attvalues(values, edge_types)}</edge>")
    return "\n".join([*lines, "  </edges>", " </graph>", "</gexf>", ""])


# --- the nodes ---------------------------------------------------------------------------------


def _node_values(result: dict) -> Iterator[tuple[str, dict]]:
    drawn = drawn_network(result)
    core = set(result["core_group"]["members"])
    layout = result["layout"]
    widest = max((_degree(p, drawn) for p in result["people"]), default=0) or 1
    for person in result["people"]:
        found = {"label": person.get("name") or person["id"], "on_roster": True}
        found |= {"core_group": person["id"] in core}
        found |= _drawn_values(person.get("networks", {}).get(drawn, {}))
        for network, measures in person.get("networks", {}).items():
            found |= _measure_values(network, measures)
        found |= _drawing(person, layout, widest, drawn)
        # A roster column that shares a name with a result (say "x") is kept, renamed.
        roster = {
            (f"roster_{k}" if k in found else k): v for k, v in _roster_values(person).items()
        }
        yield person["id"], {k: v for k, v in (roster | found).items() if v is not None}


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
        elif name in ("roles", "borderline"):  # borderline: roles held only borderline
            values[f"{network}_{name}"] = ",".join(value or [])
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


# --- writing XML --------------------------------------------------------------------------------

_GEXF_TYPES = {bool: "boolean", int: "integer", float: "double", str: "string"}
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _edge_data(graph: nx.MultiDiGraph) -> Iterator[tuple[str, dict]]:
    for _, _, key, values in graph.edges(keys=True, data=True):
        yield key, values


def _attribute_types(items: Iterable[tuple[str, dict]], skip: tuple[str, ...]) -> dict[str, type]:
    """Each attribute's Python type, in order of first appearance (one type each, as
    :func:`_uniform_types` made them)."""
    types: dict[str, type] = {}
    for _, values in items:
        for name, value in values.items():
            if name not in skip and name not in types:
                types[name] = type(value)
    return types


def _data(values: dict, ids: dict[str, str]) -> str:
    return "".join(f'<data key="{ids[k]}">{escape(_text(v))}</data>' for k, v in values.items())


def _attvalues(values: dict, types: dict) -> str:
    found = [
        f"<attvalue for={quoteattr(name)} value={quoteattr(_text(value))}/>"
        for name, value in values.items()
        if name in types
    ]
    return f"<attvalues>{''.join(found)}</attvalues>"


def _viz(values: dict) -> str:
    parts = []
    if "r" in values:
        parts.append(f'<viz:color r="{values["r"]}" g="{values["g"]}" b="{values["b"]}" a="1.0"/>')
    if "x" in values:
        x, y = _text(values["x"]), _text(values["y"])
        parts.append(f'<viz:position x="{x}" y="{y}" z="0.0"/>')
    if "size" in values:
        parts.append(f'<viz:size value="{_text(values["size"])}"/>')
    return "".join(parts)


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
