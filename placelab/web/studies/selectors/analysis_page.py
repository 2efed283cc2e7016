"""The analysis page, one network at a time: what a stored result says, shaped for reading.

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

import math
from collections import Counter
from fractions import Fraction
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from placelab.core.disclosure import shown_groups
from placelab.core.vocabulary import ALL, LAYERS, SECTORS, label
from placelab.report import maps

ROLES = ("hub", "gatekeeper", "pulsetaker")
# How the static and browser maps mark each role (the source method's colours, and a shape).
ROLE_MARK = {
    role: f"{colour} {maps.ROLE_SHAPES[role]}s"
    for role, colour in (("hub", "yellow"), ("gatekeeper", "green"), ("pulsetaker", "red"))
}
# The score each key connector role is chosen by (result["method"]["key_connectors"]).
ROLE_MEASURE = {"hub": "degree", "gatekeeper": "betweenness", "pulsetaker": "information"}
ROLE_TEXT = {
    "hub": "Hubs have the most direct ties.",
    "gatekeeper": "Gatekeepers have few ties, but to a strategic few, and sit between groups "
    "(they lie on many of the shortest routes between others).",
    "pulsetaker": "Pulsetakers reach many people through indirect ties, and so hear early what "
    "is going on.",
}
# Gould and Fernandez (1989) roles, read as "a turns to b, b turns to c", b the broker. Their
# "gatekeeper" is not NetForm's key connector of that name, so it always carries "(brokerage)".
BROKER_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
BROKER_NAME = {
    "coordinator": "Coordinator",
    "itinerant": "Itinerant broker",
    "representative": "Representative",
    "gatekeeper": "Gatekeeper (brokerage)",
    "liaison": "Liaison",
}
BROKER_TEXT = {
    "coordinator": "passes something between two people of their own sector.",
    "itinerant": "links two people of one sector from outside it.",
    "representative": "is turned to by someone of their own sector and takes it on to "
    "another sector.",
    "gatekeeper": "is turned to from another sector and takes it on into their own; not the "
    "key connector role of the same name above.",
    "liaison": "links two other sectors, belonging to neither.",
}
# Shares a reader takes in at once; others are said as "about" the nearest of these.
PLAIN_SHARES = sorted({Fraction(a, b) for b in (2, 3, 4, 5, 10) for a in range(1, b)})
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# --- words for numbers ----------------------------------------------------------------------


def share_in_words(part: float, whole: float) -> str:
    """'two in three', 'about half', 'none', 'all': a share as a reader would say it."""
    if not whole:
        return "none"
    value = part / whole
    if value <= 0:
        return "none"
    if value >= 1:
        return "all"
    if value < 0.095:
        return "fewer than one in ten"
    if value > 0.95:
        return "nearly all"
    exact = Fraction(value).limit_denominator(10)
    if abs(float(exact) - value) < 0.002:
        return _fraction_words(exact)
    near = min(PLAIN_SHARES, key=lambda share: (abs(float(share) - value), share.denominator))
    return f"about {_fraction_words(near)}"


def _fraction_words(share: Fraction) -> str:
    if share == Fraction(1, 2):
        return "half"
    return f"{NUMBER_WORDS[share.numerator]} in {NUMBER_WORDS[share.denominator]}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


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


# --- links to the map -----------------------------------------------------------------------


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
    ranks = {role: _ranks(people, network, ROLE_MEASURE[role]) for role in ROLES}
    holders = {str(k) for role in ROLES for k in chosen.get(role, [])}
    best = lambda key: min(ranks[r].get(key, 10**9) for r in ROLES)  # noqa: E731
    rows = []
    for key in sorted(holders, key=lambda k: (best(k), k)):
        row = person_row(people.get(key, {"id": key}), network, sees_names=sees_names)
        row["cells"] = [
            role_reason(r, row["measures"], ranks[r].get(key))
            if key in {str(k) for k in chosen.get(r, [])}
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
    return {"roles": roles, "people": rows, "total": len(people)}


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
    return {"members": members, "networks": len(asked), "sentences": _closure_words(core)}


def _closure_words(core: dict) -> list[str]:
    closure = core.get("closure") or {}
    size = closure.get("size", len(core.get("members", [])))
    words = []
    if closure.get("share_of_people") is not None:
        words.append(
            f"{size} people, {percent(closure['share_of_people'])} of everyone on the roster."
        )
    if closure.get("internal_density") is not None and size > 1:
        words.append(
            f"{share_in_words(closure['internal_density'], 1).capitalize()} of the ties they could "
            f"have with each other exist in one network or another "
            f"({percent(closure['internal_density'])})."
        )
    if closure.get("inward_share") is not None:
        words.append(
            f"{share_in_words(closure['inward_share'], 1).capitalize()} of everyone else's "
            f"nominations name one of them ({percent(closure['inward_share'])})."
        )
    if closure.get("outward_share") is not None:
        words.append(
            f"{share_in_words(closure['outward_share'], 1).capitalize()} of their own nominations "
            f"reach outside the group ({percent(closure['outward_share'])})."
        )
    return words


# --- groups: mixing, E-I, brokerage ---------------------------------------------------------


def map_order(result: dict) -> tuple[str, ...]:
    """The sectors in the order of the map's regions (the study's own order), if it has a map."""
    regions = (result.get("layout") or {}).get("regions") or []
    return tuple(s for region in regions for s in [*region.get("sectors", []), region.get("key")])


def group_order(groups: list[str], grouping: str, order: tuple[str, ...] = ()) -> list[str]:
    """Sectors as the map places them, else the vocabulary's order (Figure C5 for layers);
    study-defined groups after, by label."""
    known = LAYERS if grouping == "layer" else (*order, *SECTORS)
    first = list(dict.fromkeys(g for g in known if g in groups))
    return first + sorted((g for g in groups if g not in known), key=label)


def _group_sizes(network_result: dict, grouping: str) -> dict[str, int]:
    rows = ((network_result.get("mixing") or {}).get(grouping) or {}).get("groups") or []
    return {str(r["group"]): int(r.get("people") or 0) for r in rows}


def shown_group_keys(
    network_result: dict, grouping: str, *, sees_names: bool, order: tuple[str, ...] = ()
) -> list[str]:
    """The groups this user may see broken out: for viewers, none under five (disclosure)."""
    sizes = _group_sizes(network_result, grouping)
    if not sees_names:
        sizes = shown_groups(sizes)
    return group_order(list(sizes), grouping, order)


def counts_pairs(table: dict | None) -> bool:
    """Does a mixing table count pairs of people (a viewer's copy), not ties from one to another?"""
    return (table or {}).get("directed", True) is False


def inside_words(internal: int, external: int) -> str:
    """'two in three of this group's ties stay inside it', from its internal and external ties."""
    total = internal + external
    if not total:
        return "This group has no ties in this network."
    return f"{share_in_words(internal, total).capitalize()} of this group's ties stay inside it."


def group_rows(
    network_result: dict, grouping: str, *, sees_names: bool, order: tuple[str, ...] = ()
) -> list[dict]:
    """Each group's people, ties inside and outside, E-I index and reach to the core, in words."""
    rows = ((network_result.get("mixing") or {}).get(grouping) or {}).get("groups") or []
    by_group = {str(r["group"]): r for r in rows}
    out = []
    for group in shown_group_keys(network_result, grouping, sees_names=sees_names, order=order):
        row = by_group[group]
        internal, external = int(row.get("internal_ties") or 0), int(row.get("external_ties") or 0)
        out.append({
            "key": group, "label": label(group), "people": row.get("people"),
            "isolates": row.get("isolates"), "internal": internal, "external": external,
            "ei_index": row.get("ei_index"), "reach_core": row.get("reach_core"),
            "words": inside_words(internal, external),
        })  # fmt: skip
    return out


def ei_words(value: float | None, *, each_way: bool = False) -> str:
    """What an E-I index says: -1 every tie inside the group, +1 every tie outside it.

    ``each_way``: the reader sees ties as pairs (a viewer), but the network's index counts a tie
    named both ways twice, over every sector, small ones too; the words say so.
    """
    if value is None:
        return "No ties to read."
    outside = share_in_words((value + 1) / 2, 1).capitalize()
    if each_way:
        return f"{outside} of the ties (counting each direction) join people of different sectors."
    return f"{outside} of the ties reach across sectors."


SHADES = 5


def heat_shade(count: int, largest: int) -> int:
    """0 for no ties, else 1-5 on a square-root scale: a few large cells would otherwise leave
    every other cell in the palest shade."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, math.ceil(SHADES * math.sqrt(count / largest)))


def mixing_matrix(
    network_result: dict, network: str, *, sees_names: bool, base: str, order: tuple[str, ...] = ()
) -> dict:
    """The sector-by-sector tie counts as a heat map: shade 0-5 by count, each cell a map link.

    Stored directed (as those who see names have it), rows are the sector of the person who
    named, columns the sector of the person named. Counted over pairs (a viewer's copy), a cell
    is the pairs of people tied either way, one in each sector; the table is then symmetric and
    only its lower half, the diagonal included, is shown (``blank`` marks the other half).
    """
    table = (network_result.get("mixing") or {}).get("sector") or {}
    ties = table.get("ties") or {}
    pairs = counts_pairs(table)
    keys = shown_group_keys(network_result, "sector", sees_names=sees_names, order=order)
    keys = [k for k in keys if k in ties]
    largest = max((int(ties[a].get(b) or 0) for a in keys for b in keys), default=0)
    rows = []
    for i, a in enumerate(keys):
        cells = []
        for j, b in enumerate(keys):
            count = int(ties[a].get(b) or 0)
            view = {"only": a} if a == b else {"ties": "across", "sector": [a, b]}
            cells.append({
                "count": count, "to": label(b), "blank": pairs and j > i,
                "shade": heat_shade(count, largest),
                "map_url": map_link(base, {"network": network, **view}) if count else None,
            })  # fmt: skip
        rows.append({"key": a, "label": label(a), "cells": cells})
    return {
        "columns": [label(k) for k in keys], "rows": rows, "largest": largest, "pairs": pairs,
    }  # fmt: skip


def broker_links(matrix: dict, network: str, base: str, *, most: int = 3) -> list[dict]:
    """Map views of who brokers between the sector pairs with the most ties between them.

    Ties between two sectors are both cells of a directed table (each way once) but one cell of
    a table of pairs, whose two halves hold the same count.
    """
    keys = [row["key"] for row in matrix["rows"]]
    counts = [[cell["count"] for cell in row["cells"]] for row in matrix["rows"]]
    between = {
        (j, i): counts[i][j] + (0 if matrix.get("pairs") else counts[j][i])
        for i in range(len(keys))
        for j in range(i)
    }
    busiest = sorted((p for p in between.items() if p[1]), key=lambda p: (-p[1], p[0]))[:most]
    return [
        {"between": f"{label(keys[a])} – {label(keys[b])}", "ties": count,
         "map_url": map_link(base, {"network": network, "brokers": f"{keys[a]},{keys[b]}"})}
        for (a, b), count in busiest
    ]  # fmt: skip


def layer_links(network_result: dict) -> list[dict]:
    """Ties and density within each layer and between layers, adjacent ones marked vertical."""
    kinds = {
        "horizontal": "within the layer",
        "vertical": "adjacent layers",
        "distant": "far apart",
    }
    return [
        {"from": label(r["from_layer"]), "to": label(r["to_layer"]),
         "kind": kinds.get(r.get("kind"), r.get("kind") or ""), "ties": r.get("ties"),
         "density": r.get("density"),
         "words": "No one to tie." if r.get("density") is None else
                  f"{share_in_words(r['density'], 1).capitalize()} of the ties that could exist do."}
        for r in network_result.get("layer_links") or []
    ]  # fmt: skip


def brokerage_by_sector(result: dict, network: str, *, sees_names: bool) -> dict | None:
    """Each sector's brokerage roles (Gould and Fernandez) against what chance would give.

    Counts by sector add up each person's brokerage, which a viewer's copy lacks: a broker is
    found along who named whom, so the counts would say who answered. A viewer sees the whole
    network's totals (``totals``), as the viewer's copy keeps them, and why no more.
    """
    order = map_order(result)
    net = result["networks"][network]
    stored = net.get("brokerage") or {}
    expected = {str(r.get("sector")): r for r in stored.get("expected_per_broker") or []}
    if not stored:
        return None
    observed: dict[str, Counter] = {}
    for person in result.get("people", []):
        counts = ((person.get("networks") or {}).get(network) or {}).get("brokerage")
        if counts and person.get("sector"):
            observed.setdefault(str(person["sector"]), Counter()).update(counts)
    sizes = _group_sizes(net, "sector")
    rows = []
    for sector in shown_group_keys(net, "sector", sees_names=sees_names, order=order):
        cells = []
        for role in BROKER_ROLES:
            seen = observed.get(sector, Counter()).get(role) if observed else None
            chance = (expected.get(sector) or {}).get(role)
            chance = chance * sizes.get(sector, 0) if chance is not None else None
            cells.append({"role": role, "count": seen, "expected": chance,
                          "ratio": seen / chance if seen and chance else None})  # fmt: skip
        rows.append({"key": sector, "label": label(sector), "cells": cells})
    totals = stored.get("totals") or {}
    return {
        "roles": [{"key": r, "name": BROKER_NAME[r], "text": BROKER_TEXT[r],
                   "total": totals.get(r)} for r in BROKER_ROLES],
        "rows": rows, "per_person": bool(observed),
        "totals": bool(totals) and all(totals.get(r) is not None for r in BROKER_ROLES),
        "held_back": None if observed else (
            "they add up each person's brokerage, and a broker is found by following who named "
            "whom, so counts by sector would show who answered the survey"
            if not sees_names else "this analysis was stored without each person's brokerage; "
            "run it again to count it by sector"
        ),
    }  # fmt: skip


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
                 "words": _worst_words(worst.get("fragmentation_before"), worst.get("fragmentation"))}  # fmt: skip
    return {
        "before": before, "steps": rows, "worst": worst,
        "summary": departure_words(before.get("reach"), last.get("reach")) if rows else None,
        "leavers": rows[-1]["who"] if rows else [],
        "map_url": map_link(base, {"network": network, "leave": "key"}),
    }  # fmt: skip


def _worst_words(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    rise = (after - before) * 100
    size = "hardly any change" if rise < 2 else f"{rise:.0f} points more"
    return (
        f"the share of pairs of people who could not reach each other would go from "
        f"{percent(before)} to {percent(after)}: {size}."
    )


def departure_words(before: float | None, after: float | None) -> str:
    """What a departure does to the share of people in the main connected group."""
    if before is None or after is None:
        return "Not measured."
    drop = before - after
    change = (
        "hardly any change"
        if abs(drop) < 0.02
        else f"{abs(drop) * 100:.0f} points {'fewer' if drop > 0 else 'more'}"
    )
    return (
        f"{percent(after)} of those left would still be in the main connected group, against "
        f"{percent(before)} now: {change}."
    )


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


def alignment_words(r: float | None, p: float | None, rules: dict) -> str:
    """How much two networks overlap, by the study's thresholds (result["finding_rules"])."""
    if r is None:
        return "Cannot be compared: a network has no ties."
    line = rules.get("alignment_r", 0.3)
    strength = "Strong" if r >= 2 * line else "Fair" if r >= line else "Weak"
    if r <= 0.05:
        strength = "Hardly any"
    beyond = p is not None and p <= rules.get("alignment_p", 0.05)
    return f"{strength} overlap{', more than chance' if beyond else ', could be chance'}."


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
        "map_url": map_link(base, {"network": network}),
    }
