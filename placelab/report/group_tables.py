"""Tables by sector and layer, for one network, shared by the report's "Sectors and layers" and
the web's analysis page: each group's ties inside and outside (E-I), the sector-by-sector heat
map and its busiest pairs, ties within and between layers, and brokerage by sector (Gould and
Fernandez).

Sectors come in the map's order, layers in the vocabulary's; a viewer sees no group under five
broken out (:mod:`placelab.core.disclosure`). Tables stored over pairs of people (a viewer's copy,
``"directed": False``) are read as such: :func:`counts_pairs` says which.

Where a table can link to a view of the map, the caller passes ``link``, a function from the
map's GET parameters (contract 3) to an address; the web gives one, the report none (its
links are None). No request, no Django.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from placelab.core.disclosure import MIN_GROUP, shown_groups
from placelab.core.vocabulary import LAYERS, SECTORS, label
from placelab.report.words import inside_words, share_in_words

# Makes the address of a map view from its GET parameters; None when there is no map to link to.
MapLink = Callable[[dict], str] | None

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


# --- which groups, in what order ------------------------------------------------------------


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
    network_result: dict,
    grouping: str,
    *,
    sees_names: bool,
    order: tuple[str, ...] = (),
    min_group: int = MIN_GROUP,
) -> list[str]:
    """The groups this reader may see broken out: unless ``sees_names``, none under
    ``min_group`` (:func:`placelab.core.disclosure.shown_groups`)."""
    sizes = _group_sizes(network_result, grouping)
    if not sees_names:
        sizes = shown_groups(sizes, min_group=min_group)
    return group_order(list(sizes), grouping, order)


def counts_pairs(table: dict | None) -> bool:
    """Does a mixing table count pairs of people (a viewer's copy), not ties from one to another?"""
    return (table or {}).get("directed", True) is False


# --- ties inside and outside each group -----------------------------------------------------


def group_rows(
    network_result: dict,
    grouping: str,
    *,
    sees_names: bool,
    order: tuple[str, ...] = (),
    min_group: int = MIN_GROUP,
) -> list[dict]:
    """Each group's people, ties inside and outside, E-I index and reach to the core, in words."""
    rows = ((network_result.get("mixing") or {}).get(grouping) or {}).get("groups") or []
    by_group = {str(r["group"]): r for r in rows}
    shown = shown_group_keys(
        network_result, grouping, sees_names=sees_names, order=order, min_group=min_group
    )
    out = []
    for group in shown:
        row = by_group[group]
        internal, external = int(row.get("internal_ties") or 0), int(row.get("external_ties") or 0)
        out.append({
            "key": group, "label": label(group), "people": row.get("people"),
            "isolates": row.get("isolates"), "internal": internal, "external": external,
            "ei_index": row.get("ei_index"), "reach_core": row.get("reach_core"),
            "words": inside_words(internal, external),
        })  # fmt: skip
    return out


# --- the heat map and the busiest pairs -----------------------------------------------------


SHADES = 5


def heat_shade(count: int, largest: int) -> int:
    """0 for no ties, else 1-5 on a square-root scale: a few large cells would otherwise leave
    every other cell in the palest shade."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, math.ceil(SHADES * math.sqrt(count / largest)))


def mixing_matrix(
    network_result: dict,
    network: str,
    *,
    sees_names: bool,
    link: MapLink = None,
    order: tuple[str, ...] = (),
    min_group: int = MIN_GROUP,
) -> dict:
    """The sector-by-sector tie counts as a heat map: shade 0-5 by count, each cell a map link
    (``map_url``, None without ``link`` or ties).

    Stored directed (as those who see names have it), rows are the sector of the person who
    named, columns the sector of the person named. Counted over pairs (a viewer's copy), a cell
    is the pairs of people tied either way, one in each sector; the table is then symmetric and
    only its lower half, the diagonal included, is shown (``blank`` marks the other half).
    """
    table = (network_result.get("mixing") or {}).get("sector") or {}
    ties = table.get("ties") or {}
    pairs = counts_pairs(table)
    keys = shown_group_keys(
        network_result, "sector", sees_names=sees_names, order=order, min_group=min_group
    )
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
                "map_url": link({"network": network, **view}) if count and link else None,
            })  # fmt: skip
        rows.append({"key": a, "label": label(a), "cells": cells})
    return {
        "columns": [label(k) for k in keys], "rows": rows, "largest": largest, "pairs": pairs,
    }  # fmt: skip


def broker_links(matrix: dict, network: str, *, link: MapLink = None, most: int = 3) -> list[dict]:
    """The sector pairs with the most ties between them, each with the map view of who brokers
    between them (``map_url``, None without ``link``).

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
         "map_url": link({"network": network, "brokers": f"{keys[a]},{keys[b]}"}) if link else None}
        for (a, b), count in busiest
    ]  # fmt: skip


# --- layers and brokerage -------------------------------------------------------------------


def layer_links(network_result: dict) -> list[dict]:
    """Ties and density within each layer and between layers, adjacent ones marked vertical;
    ``from_key``, ``to_key`` and ``kind_key`` keep the codes for ordering and matching."""
    kinds = {
        "horizontal": "within the layer",
        "vertical": "adjacent layers",
        "distant": "far apart",
    }
    return [
        {"from": label(r["from_layer"]), "to": label(r["to_layer"]),
         "from_key": r["from_layer"], "to_key": r["to_layer"], "kind_key": r.get("kind"),
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


# --- the core group and the layers' horizontal links ----------------------------------------


def core_members_by_group(result: dict, grouping: str) -> Counter:
    """How many of the core group (key connectors in most networks) each group holds."""
    members = {str(k) for k in (result.get("core_group") or {}).get("members", [])}
    return Counter(
        str(p.get(grouping)) for p in result.get("people", []) if str(p.get("id")) in members
    )


def within_layer_sectors(result: dict, network: str, *, min_group: int = MIN_GROUP) -> list[dict]:
    """The horizontal links of each layer (Figure C5): ties between two people of the same
    layer, and how many of them join people of different sectors.

    Counted over ``result["ties"]`` as stored: one per tie named in the full result, one per
    pair of people in a viewer's copy (``ties_directed`` False), with each person's layer and
    sector as that copy shows them. Layers come in Figure C5's order; a layer under
    ``min_group`` people is not broken out, nor "other" (a viewer's merge of layers, no layer
    of the system). Empty when the result kept no ties.
    """
    ties = (result.get("ties") or {}).get(network)
    if ties is None:
        return []
    people = {str(p.get("id")): p for p in result.get("people", [])}
    sizes = Counter(str(p.get("layer")) for p in people.values() if p.get("layer"))
    within: Counter = Counter()
    across: Counter = Counter()
    for source, target, *_weight in ties:
        a, b = people.get(str(source)), people.get(str(target))
        if a is None or b is None or not a.get("layer") or a.get("layer") != b.get("layer"):
            continue
        within[str(a["layer"])] += 1
        across[str(a["layer"])] += a.get("sector") != b.get("sector")
    shown = shown_groups(sizes, min_group=min_group)
    return [
        {"key": layer, "label": label(layer), "people": shown[layer], "ties": within[layer],
         "across": across[layer],
         "words": "No ties within this layer." if not within[layer] else
                  f"{share_in_words(across[layer], within[layer]).capitalize()} of them join "
                  "people of different sectors."}
        for layer in group_order(list(shown), "layer")
        if layer != "other"
    ]  # fmt: skip
