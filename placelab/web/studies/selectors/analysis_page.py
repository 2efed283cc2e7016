"""The analysis page, one network at a time: what a stored result says, shaped for reading.

This module chooses the network and holds its tables of people (key connectors, the core group,
departures, communities) and the networks' alignment, and :func:`network_page` gathers
everything the page shows. The tables by sector and layer are in
:mod:`placelab.report.group_tables` (with their map links in :mod:`.analysis_groups`), the
numbers in words in :mod:`placelab.report.words`, the links to the map in
:mod:`.analysis_map_links`; the report shares the first two.

Every function here reads the result as :func:`results.shown_analysis` gives it to this user
and copes with results stored before a key existed. A viewer's copy
(:func:`placelab.core.pseudonymise.viewer_analysis`) lacks ``organisation``, ``responded`` and
every measure that follows the direction of ties (per-person brokerage among them), and counts
its tables by sector and layer over pairs of people (``"directed": False``): the page says what
such a table counts, never "from" and "to". Codes never reach the page:
sectors, layers and networks go through :func:`placelab.core.vocabulary.label`, and every number
comes with words that say what it means.
"""

from __future__ import annotations

from urllib.parse import urlencode

from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.vocabulary import ALL, label
from placelab.report import maps
from placelab.report.group_tables import (
    brokerage_by_sector,
    counts_pairs,
    group_rows,
    layer_links,
    map_order,
)
from placelab.report.sections.connectors import BORDERLINE_WORDS
from placelab.report.words import (
    alignment_words,
    closure_words,
    departure_words,
    ei_words,
    ordinal,
    worst_departure_words,
)
from placelab.web.studies.selectors.analysis_groups import broker_links, mixing_matrix
from placelab.web.studies.selectors.analysis_map_links import map_link

ROLES = ("hub", "gatekeeper", "pulsetaker")
# How the static and browser maps mark each role (the source method's colours, and a shape).
ROLE_MARK = {
    role: f"{colour} {maps.ROLE_SHAPES[role]}s"
    for role, colour in (("hub", "yellow"), ("gatekeeper", "green"), ("pulsetaker", "red"))
}
# The score each key connector role is chosen by (result["method"]["key_connectors"]).
ROLE_TEXT = {
    "hub": "Hubs have the most direct ties.",
    "gatekeeper": "Gatekeepers have few ties, but to a strategic few, and sit between groups "
    "(they lie on many of the shortest routes between others).",
    "pulsetaker": "Pulsetakers reach many people through indirect ties, and so hear early what "
    "is going on.",
}


# --- which network --------------------------------------------------------------------------


def network_keys(result: dict) -> list[str]:
    """The study's networks the result measured, then "all" (every network together)."""
    measured = result.get("networks", {})
    asked = result.get("inputs", {}).get("networks") or [n for n in measured if n != ALL]
    return [n for n in asked if n in measured] + ([ALL] if ALL in measured else [])


def network_chosen(result: dict, requested: str | None) -> str | None:
    """``requested`` if the result has it; else innovation if asked, else the first network."""
    keys = network_keys(result)
    if requested in keys:
        return requested
    if "innovation" in keys:
        return "innovation"
    return keys[0] if keys else None


def network_tabs(result: dict, chosen: str) -> list[dict]:
    return [
        {"key": n, "label": label(n), "current": n == chosen, "query": urlencode({"network": n})}
        for n in network_keys(result)
    ]


# --- people ---------------------------------------------------------------------------------


def people_by_key(result: dict) -> dict[str, dict]:
    return {str(p.get("id")): p for p in result.get("people", []) if p.get("id") is not None}


def person_row(person: dict, network: str, *, sees_names: bool) -> dict:
    """A person as the page names them: name, organisation (if this user may see it), sector."""
    key = str(person.get("id"))
    measures = (person.get("networks") or {}).get(network) or {}
    return {
        "key": key,
        "name": person.get("name") or key,
        "organisation": person.get("organisation") if sees_names else None,
        "sector": label(person.get("sector") or "unknown"),
        "layer": label(person["layer"]) if person.get("layer") else None,
        "roles": [label(r) for r in measures.get("roles") or []],
        "measures": measures,
    }


def _ranks(people: dict[str, dict], network: str, measure: str) -> dict[str, int]:
    """Rank (1 = highest) of each person by ``measure`` in ``network``; ties share a rank."""
    values = {
        key: ((p.get("networks") or {}).get(network) or {}).get(measure)
        for key, p in people.items()
    }
    ordered = sorted((v for v in values.values() if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: first[v] for key, v in values.items() if v is not None}


def role_reason(role: str, measures: dict, rank: int | None) -> str:
    """Why the person holds ``role``, in a few words with their rank."""
    place = f"{ordinal(rank)}" if rank else "among the highest"
    if role == "hub":
        return f"{measures.get('degree', 0)} direct ties ({place})"
    if role == "gatekeeper":
        share = measures.get("betweenness") or 0.0
        return f"on {share:.1%} of the shortest routes between others ({place})"
    return f"{place} closest to everyone through indirect ties"


def key_connectors(result: dict, network: str, *, sees_names: bool, base: str) -> dict:
    """The roles, and everyone holding one: the strongest first, with why they hold each."""
    people = people_by_key(result)
    chosen = (result["networks"][network].get("key_connectors")) or {}
    # Roles held only borderline: the score is estimated (large studies) and too close to call.
    unsure = result["networks"][network].get("key_connectors_borderline") or {}
    held = {role: {str(k) for k in chosen.get(role, [])} for role in ROLES}
    doubtful = {role: {str(k) for k in unsure.get(role, [])} for role in ROLES}
    ranks = {role: _ranks(people, network, ROLE_SCORES[role]) for role in ROLES}
    holders = set().union(*held.values())
    best = lambda key: min(ranks[r].get(key, 10**9) for r in ROLES)  # noqa: E731
    rows = []
    for key in sorted(holders, key=lambda k: (best(k), k)):
        row = person_row(people.get(key, {"id": key}), network, sees_names=sees_names)
        row["cells"] = [
            {
                "reason": role_reason(r, row["measures"], ranks[r].get(key)),
                "borderline": key in doubtful[r],
            }
            if key in held[r]
            else None
            for r in ROLES
        ]
        row["map_url"] = map_link(base, {"network": network, "person": row["key"]})
        rows.append(row)
    roles = [
        {"role": r, "label": label(r), "text": ROLE_TEXT[r], "count": len(chosen.get(r, [])),
         "mark": ROLE_MARK[r],
         "map_url": map_link(base, {"network": network, "role": [r]})}
        for r in ROLES
    ]  # fmt: skip
    borderline = any(cell and cell["borderline"] for row in rows for cell in row["cells"])
    return {
        "roles": roles, "people": rows, "total": len(people),
        "borderline": BORDERLINE_WORDS if borderline else None,
    }  # fmt: skip


def core_group(result: dict, *, sees_names: bool, network: str) -> dict | None:
    """The core group (key connectors in most networks), named, and what its closure means."""
    core = result.get("core_group")
    if not core:
        return None
    people = people_by_key(result)
    asked = [n for n in network_keys(result) if n != ALL]
    members = []
    for key in core.get("members", []):
        person = people.get(str(key), {"id": key})
        row = person_row(person, network, sees_names=sees_names)
        held = person.get("networks") or {}
        row["networks_held"] = [label(n) for n in asked if (held.get(n) or {}).get("roles")]
        members.append(row)
    members.sort(key=lambda m: (-len(m["networks_held"]), m["name"]))
    return {"members": members, "networks": len(asked), "sentences": closure_words(core)}


# --- fragility, communities, alignment ------------------------------------------------------


def fragility(result: dict, network: str, *, base: str) -> dict | None:
    """Who leaving would break the network most, and what happens as key connectors leave."""
    stored = result["networks"][network].get("fragility") or {}
    steps = stored.get("departures") or []
    if not steps:
        return None
    people = people_by_key(result)
    name = lambda key: (people.get(str(key)) or {}).get("name") or str(key)  # noqa: E731
    before, last = steps[0], steps[-1]
    rows = []
    for step in steps[1:]:
        who = [name(k) for k in step.get("who") or []]
        rows.append({"leavers": step["leavers"], "who": who, "added": who[-1] if who else "",
                     "reach": step.get("reach"), "fragmentation": step.get("fragmentation")})  # fmt: skip
    worst = stored.get("worst_departure")
    if worst:
        worst = {**worst, "name": name(worst.get("id")),
                 "words": worst_departure_words(worst.get("fragmentation_before"), worst.get("fragmentation"))}  # fmt: skip
    return {
        "before": before, "steps": rows, "worst": worst,
        "summary": departure_words(before.get("reach"), last.get("reach")) if rows else None,
        "leavers": rows[-1]["who"] if rows else [],
        "map_url": map_link(base, {"network": network, "leave": "key"}),
    }  # fmt: skip


def communities(result: dict, network: str, *, sees_names: bool, most: int = 8) -> dict | None:
    """The communities found, the largest first, each with the sectors its people come from."""
    stored = result["networks"][network].get("communities")
    if not stored:
        return None
    makeup = stored.get("makeup") or {}
    groups = []
    for number, counts in makeup.items():
        size = sum(int(v or 0) for v in counts.values())
        sectors = sorted(((label(s), int(v)) for s, v in counts.items() if v), key=lambda x: -x[1])
        if not sees_names:
            sectors = [(s, v) for s, v in sectors if v >= 5] or []
        groups.append({"number": int(number) + 1, "size": size, "sectors": sectors})
    groups.sort(key=lambda g: (-g["size"], g["number"]))
    count = stored.get("count") or len(groups)
    alone = max(0, count - len(groups))
    return {"count": count, "shown": groups[:most], "more": max(0, len(groups) - most),
            "listed": len(groups), "alone": alone}  # fmt: skip


def alignment_matrix(result: dict, chosen: str) -> dict | None:
    """The networks against each other: QAP r and p in each cell of the lower triangle."""
    pairs = {(r["network_a"], r["network_b"]): r for r in result.get("alignment") or []}
    if not pairs:
        return None
    keys = [n for n in network_keys(result) if n != ALL]
    rules = result.get("finding_rules") or {}
    rows = []
    for i, a in enumerate(keys):
        cells = []
        for b in keys[:i]:
            pair = pairs.get((b, a)) or pairs.get((a, b)) or {}
            cells.append({"r": pair.get("r"), "p": pair.get("p"),
                          "words": alignment_words(pair.get("r"), pair.get("p"), rules),
                          "highlighted": pair.get("highlighted", False)})  # fmt: skip
        rows.append({"key": a, "label": label(a), "current": a == chosen, "cells": cells,
                     "blank": range(len(keys) - 1 - i)})  # fmt: skip
    return {"columns": [label(k) for k in keys[:-1]], "rows": rows[1:]}


# --- among comparable studies (the reference pool) -----------------------------------------

# The figures of each network the page sets against comparable studies, and how each prints.
REFERENCE_FIGURES = (
    ("density", "Density", "{:.3f}"),
    ("reciprocity", "Reciprocity", "{:.0%}"),
    ("degree_centralisation", "Degree centralisation", "{:.2f}"),
)
BAND_WORDS = {
    "below": "below the usual range",
    "within": "within the usual range",
    "above": "above the usual range",
}


def reference_cell(stood: dict | None, shape: str) -> dict:
    """One figure against comparable studies: the value, its percentile and band in words."""
    stood = stood or {}
    value, share = stood.get("value"), stood.get("percentile")
    cell = {"value": "–" if value is None else shape.format(value), "band": stood.get("band")}
    if share is None:
        cell["words"] = "not compared" if value is None else "too few studies give it"
        return cell
    low, high = stood["range"]
    cell["words"] = f"{ordinal(round(share))} percentile, {BAND_WORDS[stood['band']]}"
    cell["range"] = f"{shape.format(low)} to {shape.format(high)}"
    return cell


def reference_groups(stood: dict, network: str) -> list[dict]:
    """The chosen network's groups against comparable studies: each kind of sector's and each
    layer's E-I index, and each kind of sector's share of the key connectors."""
    figures = stood["networks"].get(network) or {}
    ei, shares = figures.get("ei_index") or {}, figures.get("key_connector_share") or {}
    rows = []
    for grouping in ("sector", "layer"):
        kinds = {**(ei.get(grouping) or {}), **(shares.get(grouping) or {})}
        rows += [
            {"grouping": label(grouping), "label": label(kind),
             "ei": reference_cell((ei.get(grouping) or {}).get(kind), "{:+.2f}"),
             "share": reference_cell((shares.get(grouping) or {}).get(kind), "{:.0%}")
             if grouping == "sector" else None}
            for kind in sorted(kinds, key=label)
        ]  # fmt: skip
    return rows


def reference_part(result: dict, network: str) -> dict:
    """Where the wave's figures fall among the comparable studies of the reference pool it
    was read against (``result["reference"]``, placelab.core.reference.standing), or why they
    are not compared; the groups of ``network`` in detail."""
    stood = result.get("reference")
    if not stood:
        return {"enough": False, "note": None}
    rows = [
        {"key": n, "label": label(n),
         "cells": [reference_cell((stood["networks"].get(n) or {}).get(f), shape)
                   for f, _name, shape in REFERENCE_FIGURES]}
        for n in network_keys(result) if n in stood["networks"]
    ]  # fmt: skip
    pool = stood.get("pool") or {}
    return {
        "enough": stood.get("enough", False), "note": stood.get("note"),
        "basis": stood.get("basis"), "comparable": stood.get("comparable"),
        "pool": pool, "columns": [name for _f, name, _s in REFERENCE_FIGURES], "rows": rows,
        "response_rate": reference_cell(stood.get("response_rate"), "{:.0%}"),
        "groups": reference_groups(stood, network),
    }  # fmt: skip


# --- the page -------------------------------------------------------------------------------


def tied_pairs(result: dict, network: str) -> int | None:
    """How many pairs of people a viewer's tie list holds for ``network`` (each pair once; "all"
    the pairs tied in any network); None when ties keep their direction or were not stored."""
    if result.get("ties_directed") is not False or "ties" not in result:
        return None
    stored = result["ties"]
    lists = [stored.get(network)] if network in stored or network != ALL else stored.values()
    if any(ties is None for ties in lists):
        return None
    return len({(str(a), str(b)) for ties in lists for a, b, *_w in ties})


def network_page(result: dict, requested: str | None, *, sees_names: bool, base: str) -> dict:
    """Everything the analysis page shows for the chosen network, and the tabs to the others."""
    network = network_chosen(result, requested)
    if network is None:
        return {"network": None}
    net = result["networks"][network]
    return {
        "network": network,
        "network_label": label(network),
        "tabs": network_tabs(result, network),
        "summary": net,
        "undirected": result.get("ties_directed") is False,
        "tied_pairs": tied_pairs(result, network),
        "ei_words": ei_words(
            (net.get("ei_index") or {}).get("sector"),
            each_way=result.get("ties_directed") is False,
        ),
        "connectors": key_connectors(result, network, sees_names=sees_names, base=base),
        "core": core_group(result, sees_names=sees_names, network=network),
        "core_map_url": map_link(base, {"network": network, "highlight": "core"}),
        "mixing": (
            mixing := mixing_matrix(
                net, network, sees_names=sees_names, base=base, order=map_order(result)
            )
        ),
        "broker_links": broker_links(mixing, network, base),
        "group_tables": [
            {
                "name": g,
                "rows": group_rows(net, g, sees_names=sees_names, order=map_order(result)),
                "pairs": counts_pairs((net.get("mixing") or {}).get(g)),
            }
            for g in ("sector", "layer")
        ],
        "layer_links": layer_links(net),
        "layer_pairs": counts_pairs((net.get("mixing") or {}).get("layer")),
        "brokerage": brokerage_by_sector(result, network, sees_names=sees_names),
        "fragility": fragility(result, network, base=base),
        "communities": communities(result, network, sees_names=sees_names),
        "alignment": alignment_matrix(result, network),
        "has_layout": "layout" in result,
        "reference": reference_part(result, network),
        "map_url": map_link(base, {"network": network}),
    }
