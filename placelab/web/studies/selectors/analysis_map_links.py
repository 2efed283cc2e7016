"""Links from the analysis page to the map (contract 3): the map page's address, the map view
(its GET parameters) that shows what a finding is about, whether a finding concerns the view the
map shows, and what a view shows, in words.

The map page uses :func:`finding_map_query` and :func:`finding_concerns_view` to list the findings
about the view it shows; the analysis page links each finding and table to its view.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from placelab.core.vocabulary import ALL, label


def map_path(study_id: int, number: int) -> str:
    """The map page's address (contract 3); built from the wave's if the page is not there yet."""
    try:
        return reverse("studies:map", args=[study_id, number])
    except NoReverseMatch:
        return reverse("studies:wave", args=[study_id, number]) + "map/"


def map_link(base: str, query: dict) -> str:
    return f"{base}?{urlencode(query, doseq=True)}" if query else base


def finding_map_query(finding: dict) -> dict:
    """The map view (contract 3's GET parameters) that shows what ``finding`` is about.

    Keyed off the finding's id and numbers, never its sentences; {} when no view shows it.
    """
    key, numbers = str(finding.get("id", "")), finding.get("numbers") or {}
    grouping, group = numbers.get("grouping"), numbers.get("group")
    if key.startswith("excluded-") and group:
        view = {"ties": "across", "sector": [group]} if grouping == "sector" else {"layer": [group]}
        return {"network": numbers.get("network") or "innovation", **view}
    if key.startswith("low-response-") and group:
        return {"sector": [group]} if grouping == "sector" else {"layer": [group]}
    if key == "dominant-core":
        return {"network": ALL, "highlight": "core"}
    if key == "dependence-on-few":
        return {"network": ALL, "leave": "key"}
    if key.startswith("thin-vertical-") and numbers.get("from_layer"):
        return {"network": ALL, "layer": [numbers["from_layer"], numbers["to_layer"]]}
    if key.startswith("misaligned-"):
        return {"network": key.removeprefix("misaligned-").split("-")[0]}
    if key.startswith("density-") and numbers.get("network"):
        return {"network": numbers["network"]}
    return {}


def finding_concerns_view(query: dict, view: dict) -> bool:
    """Whether the finding whose map view is ``query`` is about the map view ``view`` (both as
    contract 3's GET parameters, lists for ``sector`` and ``layer``).

    It is when ``view`` shows the finding's network (a finding that names none, such as a low
    response from one sector, is about every network) and selects every sector, layer, leaving
    and pair of brokers the finding's view names; its choice of ties or highlight need not match.
    A finding no map view shows concerns none.
    """
    if not query:
        return False
    if query.get("network") and query["network"] != view.get("network"):
        return False
    for many in ("sector", "layer"):
        if not set(query.get(many) or ()) <= set(view.get(many) or ()):
            return False
    if query.get("leave") and query["leave"] != view.get("leave"):
        return False
    pair = lambda value: frozenset(str(value or "").split(",")) - {""}  # noqa: E731
    return not query.get("brokers") or pair(query["brokers"]) == pair(view.get("brokers"))


def map_view_words(query: dict) -> str:
    """What a map view shows, in words: 'the innovation network, ties across sectors, ...'."""
    network = query.get("network")
    parts = [
        "all networks together" if network == ALL else f"the {label(network).lower()} network"
        if network else "the map",
    ]  # fmt: skip
    if query.get("ties") in ("across", "within"):
        parts.append(f"ties {query['ties']} sectors")
    if query.get("only"):
        parts.append(f"{label(query['only'])} alone")
    chosen = [label(g) for g in (*query.get("sector", []), *query.get("layer", []))]
    if chosen:
        parts.append(" and ".join(chosen) + " highlighted")
    if query.get("highlight") == "core":
        parts.append("the core group highlighted")
    if query.get("leave") == "key":
        parts.append("without the leading key connectors")
    return ", ".join(parts)


def findings_with_maps(findings: list[dict], base: str) -> list[dict]:
    """Each finding with ``map_url`` (the map view that shows it, or None) and its words."""
    out = []
    for finding in findings:
        query = finding_map_query(finding)
        out.append({**finding, "map_url": map_link(base, query) if query else None,
                    "map_text": map_view_words(query)})  # fmt: skip
    return out
