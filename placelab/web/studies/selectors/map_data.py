"""What a network map draws, for one view of one finished analysis (COMMON contract #3).

The one input is the result as this user may see it (``results.shown_analysis``): viewers get
it pseudonymised, and this module picks only the fields a map needs (key, label, sector,
layer, roles, measures, core group, answered), so nothing else of a person reaches the page.
The views themselves are computed in ``placelab.core.networks.views``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from placelab.core.networks import views
from placelab.core.networks.roles import OTHER_COLOUR, ROLE_COLOURS
from placelab.core.vocabulary import ALL, label
from placelab.web.studies.selectors.analysis_page import network_chosen, network_keys

ROLES = ("hub", "gatekeeper", "pulsetaker")
ROLE_MEANINGS = {
    "hub": "has the most ties",
    "gatekeeper": "lies on the most paths between others",
    "pulsetaker": "is closest to everyone",
}
BETWEEN_LABELS = {
    "liaison": "Liaison: from a third sector, links the two",
    "representative": "Representative: passes their own sector's requests to the other",
    "receiver": "Receiver: takes the other sector's requests into their own",
}
# The measures a map and its table show, in the reader's words; viewers lack the out-going ones.
MEASURES = {
    "degree": "Ties",
    "in_degree": "Named by",
    "out_degree": "Named",
    "betweenness": "Betweenness",
    "information": "Information centrality",
    "pagerank": "PageRank",
}
SORTS = ("label", "sector", "layer", "roles", "between", *MEASURES)
TIES = {"all": "All ties", "within": "Ties inside sectors", "across": "Ties across sectors"}
LAYOUTS = {"template": "Sector template", "free": "Free (whole network)"}
NO_LAYOUT = "Run the analysis again to draw the maps."
# Above this many ties the browser draws them as thin lines without arrows, still while moving,
# and without the hover's redrawing: on a CPU renderer arrows for 100,000 ties take about 0.4 s
# a frame against 17 ms for lines (bench/README.md, "The browser map").
LARGE_MAP_TIES = 20_000


@dataclass(frozen=True)
class MapView:
    """One view of a map, read from a page's GET parameters; ``problems`` says what was
    ignored and why."""

    network: str
    ties: str = "all"
    only: str | None = None
    sectors: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    person: str | None = None
    core: bool = False
    brokers: tuple[str, str] | None = None
    leave: bool = False
    layout: str = "template"
    q: str = ""
    size: str | None = None
    sort: str = "label"
    problems: tuple[str, ...] = field(default=())

    @property
    def one_group(self) -> bool:
        """One sector or layer alone is highlighted: its ties to everyone stay drawn, so that
        "the voluntary sector's ties across sectors" shows them; with two or more groups, only
        the ties between the highlighted people do (a heat-map cell: sector A with sector B)."""
        return len(self.sectors) + len(self.layers) == 1 and not (
            self.roles or self.core or self.brokers or self.q
        )

    @property
    def highlighting(self) -> bool:
        return bool(
            self.sectors or self.layers or self.roles or self.core or self.brokers or self.q
        )


def map_view(query: Mapping[str, Sequence[str]], result: dict) -> MapView:
    """The view a query asks for; a value the study does not have is ignored and named in
    ``problems``, so that a stale link still opens a map."""
    many = lambda name: [v.strip() for v in _values(query, name) if v.strip()]  # noqa: E731
    one = lambda name: (many(name) or [""])[-1]  # noqa: E731
    sectors, layers = _groups(result, "sector"), _groups(result, "layer")
    problems: list[str] = []

    def pick(value: str, allowed, what: str, default=None):
        if not value:
            return default
        if value in allowed:
            return value
        problems.append(f"This study has no {what} “{value}”: it is left out.")
        return default

    brokers = [s for v in many("brokers") for s in v.split(",") if s.strip()]
    brokers = [pick(s.strip(), sectors, "sector") for s in brokers]
    if len([b for b in brokers if b]) not in (0, 2) or (brokers and brokers[0] == brokers[-1]):
        problems.append("Brokers are shown between two different sectors: choose two.")
    sort = one("sort")
    return MapView(
        network=pick(one("network"), network_keys(result), "network", network_chosen(result, None)),
        ties=pick(one("ties"), TIES, "choice of ties", "all"),
        only=pick(one("only"), sectors, "sector"),
        sectors=tuple(s for s in (pick(v, sectors, "sector") for v in many("sector")) if s),
        layers=tuple(s for s in (pick(v, layers, "layer") for v in many("layer")) if s),
        roles=tuple(r for r in (pick(v, ROLES, "role") for v in many("role")) if r),
        person=one("person") or None,
        core=pick(one("highlight"), ("core",), "highlight") == "core",
        brokers=(brokers[0], brokers[1])
        if len(brokers) == 2 and all(brokers) and brokers[0] != brokers[1]
        else None,
        leave=pick(one("leave"), ("key",), "choice of leavers") == "key",
        layout=pick(one("layout"), LAYOUTS, "layout", "template"),
        q=one("q")[:100],
        size=pick(one("size"), MEASURES, "measure"),
        sort=sort if sort.lstrip("-") in SORTS else ("-between" if brokers else "label"),
        problems=tuple(problems),
    )


def _values(query: Mapping[str, Any], name: str) -> list[str]:
    """Every value of ``name`` in a Django QueryDict or a plain mapping of lists."""
    getlist = getattr(query, "getlist", None)
    return list(getlist(name) if getlist else query.get(name, []))


def _groups(result: dict, column: str) -> list[str]:
    return sorted({str(p.get(column)) for p in result["people"] if p.get(column)})


def choices(result: dict) -> dict[str, list[tuple[str, str]]]:
    """The values each filter of the form offers, as (code, label)."""
    return {
        "networks": [(n, label(n)) for n in network_keys(result)],
        "sectors": [(s, label(s)) for s in _groups(result, "sector")],
        "layers": [(s, label(s)) for s in _groups(result, "layer")],
        "roles": [(r, label(r)) for r in ROLES],
        "ties": list(TIES.items()),
        "layouts": list(LAYOUTS.items()),
        "measures": list(MEASURES.items()),
    }


def map_data(result: dict, view: MapView, *, sees_names: bool) -> dict[str, Any]:
    """The people and lines of ``view``, ready for the browser map and its table."""
    layout = result.get("layout")
    if not layout or "ties" not in result:
        return {"unavailable": NO_LAYOUT}
    directed = result.get("ties_directed", True) is not False
    people = [p for p in result["people"] if str(p["id"]) in layout["positions"]]
    sector_of = {str(p["id"]): str(p.get("sector") or "") for p in people}
    networks = (
        [n for n in network_keys(result) if n != ALL] if view.network == ALL else [view.network]
    )
    lines = views.map_ties(result["ties"], networks, directed=directed)
    tied = {t.source for t in lines} | {t.target for t in lines}
    shown, lines, notes = _apply_view(view, [str(p["id"]) for p in people], lines, sector_of)
    extra = _extras(result, view, [str(p["id"]) for p in people], lines, sector_of, shown)
    notes += extra.pop("notes")
    if extra["pieces"]:  # the leavers are not drawn: the map is what would be left
        shown = shown - set(extra["pieces"]["leavers"])
    nodes = [
        _node(p, result, view, layout, tied, sees_names, extra)
        for p in people
        if str(p["id"]) in shown
    ]
    # What the nodes now carry need not travel twice.
    if extra["pieces"]:
        extra["pieces"].pop("piece_of")
    if extra["brokers"]:
        extra["brokers"]["count"] = len(extra["brokers"].pop("people"))
    highlighting = view.highlighting
    if extra["pieces"] and extra["pieces"]["cut_off"]:  # those who would be cut off stand out
        highlighting = True
        for node in nodes:
            node["match"] = node["match"] and node["cut_off"]
    index = {node["key"]: i for i, node in enumerate(nodes)}
    if view.person in index:
        notes = [n.replace("{person}", nodes[index[view.person]]["label"]) for n in notes]
    edges = [
        [index[t.source], index[t.target], 0 if t.two_way is None else 1 + t.two_way, t.weight]
        for t in lines
        if t.source in index and t.target in index
    ]
    return {
        "network": view.network, "network_label": label(view.network), "directed": directed,
        "layout": view.layout, "width": layout["width"], "height": layout["height"],
        "regions": _regions(layout, view.only) if view.layout == "template" else [],
        "large": len(edges) > LARGE_MAP_TIES,
        "colours": {**ROLE_COLOURS, "other": OTHER_COLOUR},  # the static maps' and the GEXF's
        "highlighting": highlighting, "ties_touching": view.one_group, "size": view.size, "nodes": nodes, "edges": edges,
        "notes": notes, "problems": list(view.problems), **extra,
    }  # fmt: skip


def _regions(layout: dict, only: str | None) -> list[dict[str, Any]]:
    """The sector template's boxes, labelled, for the map to draw behind the people (only the
    chosen sector's box when the map shows one sector)."""
    return [
        {"label": r["label"], **{k: r[k] for k in ("x", "y", "width", "height")}}
        for r in layout.get("regions", [])
        if only is None or only in r.get("sectors", [])
    ]


def _apply_view(view: MapView, ids: list[str], lines: list, sector_of: dict[str, str]):
    """The people and ties a view keeps, with sentences saying what it left out."""
    shown, notes = set(ids), []
    if view.ties != "all":
        lines = views.ties_by_sector(lines, sector_of, keep=view.ties)
    if view.only:
        shown = {p for p in ids if sector_of[p] == view.only}
        lines = [t for t in lines if t.source in shown and t.target in shown]
        notes.append(f"Only {label(view.only)}: its people and the ties among them.")
    if view.person:
        if view.person in shown:
            distance = views.steps_from(lines, view.person, most=2)
            shown, lines = set(distance), views.ego_ties(lines, distance)
            notes.append("{person} and the people up to two steps from them.")
        else:
            notes.append(f"No one with the key “{view.person}” is on this map.")
    return shown, lines, notes


def _extras(result, view, ids, lines, sector_of, shown) -> dict[str, Any]:
    """The brokers between two sectors and the pieces left after the leavers, when asked."""
    extra: dict[str, Any] = {"notes": [], "brokers": None, "pieces": None}
    if view.brokers:
        found = views.brokers_between(ids, lines, sector_of, *view.brokers)
        extra["brokers"] = {
            "between": [label(s) for s in view.brokers],
            "people": {p: counts for p, counts in found.items() if p in shown},
            "roles": BETWEEN_LABELS,
        }
    if view.leave:
        departures = result["networks"][view.network]["fragility"]["departures"]
        leavers = [str(p) for p in (departures[-1]["who"] if departures else [])]
        pieces = views.without([p for p in ids if p in shown], lines, leavers)
        extra["pieces"] = {
            "leavers": pieces.leavers,
            "sizes": [len(p) for p in pieces.pieces],
            "pieces_before": pieces.pieces_before,
            "cut_off": pieces.cut_off,
            "piece_of": {p: i for i, piece in enumerate(pieces.pieces) for p in piece},
            "reach_before": pieces.reach_before,
            "reach_after": pieces.reach_after,
            "fragmentation_before": pieces.fragmentation_before,
            "fragmentation_after": pieces.fragmentation_after,
        }
    return extra


def _node(person, result, view, layout, tied, sees_names, extra) -> dict[str, Any]:
    key = str(person["id"])
    measured = person.get("networks", {}).get(view.network, {})
    roles = [r for r in ROLES if r in (measured.get("roles") or [])]
    place = _place(key, view, layout, tied)
    name = str(person.get("name") or "").strip() if sees_names else ""
    node = {
        "key": key, "label": name or key, "x": round(place[0], 1), "y": round(place[1], 1),
        "margin": key not in tied and view.layout == "template",
        "sector": person.get("sector"), "sector_label": label(person.get("sector") or "unknown"),
        "layer": person.get("layer"), "layer_label": label(person.get("layer") or "unknown"),
        "roles": roles, "core": key in set(result["core_group"]["members"]),
        "measures": {m: _round(measured[m]) for m in MEASURES if measured.get(m) is not None},
    }  # fmt: skip
    if "responded" in person:
        node["responded"] = bool(person["responded"])
    brokers, pieces = extra.get("brokers"), extra.get("pieces")
    if brokers is not None:
        node["between"] = brokers["people"].get(key)
        node["between_total"] = sum((node["between"] or {}).values())
    if pieces is not None:
        node["piece"] = pieces["piece_of"].get(key)
        node["cut_off"] = key in pieces["cut_off"]
    node["focus"] = key == view.person
    node["match"] = _matches(node, view)
    return node


def _place(key: str, view: MapView, layout: dict, tied: set[str]) -> list[float]:
    if view.layout == "free" and key in layout.get("free", {}):
        return layout["free"][key]
    if key not in tied and key in layout.get("margins", {}):
        return layout["margins"][key]
    return layout["positions"][key]


def _matches(node: dict, view: MapView) -> bool:
    """Does the person meet every highlight of the view (sector, layer, role, core, broker,
    search)? Everyone does when nothing is highlighted."""
    tests = [
        not view.sectors or node["sector"] in view.sectors,
        not view.layers or node["layer"] in view.layers,
        not view.roles or bool(set(node["roles"]) & set(view.roles)),
        not view.core or node["core"],
        not view.brokers or bool(node.get("between")),
        not view.q or view.q.casefold() in node["label"].casefold(),
    ]
    return all(tests)


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def table_rows(data: dict, sort: str) -> list[dict]:
    """The table alternative: the people the map draws (those highlighted, when some are),
    sorted by ``sort`` (a column, ``-`` first for descending)."""
    rows = [n for n in data["nodes"] if n["match"] or not data["highlighting"]]
    column, descending = sort.lstrip("-"), sort.startswith("-")

    def key(node: dict):
        if column in MEASURES:
            return (node["measures"].get(column) is None, node["measures"].get(column) or 0)
        if column == "between":
            return (node.get("between_total") or 0, node["label"])
        if column == "roles":
            return (not node["roles"], len(node["roles"]), node["label"])
        return (str(node.get(f"{column}_label", node.get(column)) or ""), node["label"])

    return sorted(rows, key=key, reverse=descending)
