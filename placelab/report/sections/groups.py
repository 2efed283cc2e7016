"""The report's section "Sectors and layers": who is inside and outside the core, by sector and
by layer of the local innovation system (NESTA / Young Foundation 2008, 5.4 and Figure C5;
Appendix C 4.3.3-4.3.4), who ties with whom across sectors, and the vertical and horizontal
links between and within layers.

The innovation network comes first, as the source's pilot reads exclusion from it (the network
findings' ``focus_network``); the other networks follow in one compact table. The tables are
those of the web's analysis page (:mod:`placelab.report.group_tables`), without its map links;
no group under the study's minimum group size is broken out, in either variant. The groups
said to be outside the core are those the network findings name, in their words and at the
severity the diagnosed phase gives them (:func:`placelab.report.findings.all_findings`).
"""

from __future__ import annotations

from placelab.core.networks.findings import seed
from placelab.core.vocabulary import ALL, LAYERS, label, listed
from placelab.report.findings import all_findings
from placelab.report.group_tables import (
    broker_links,
    core_members_by_group,
    counts_pairs,
    group_rows,
    layer_links,
    map_order,
    mixing_matrix,
    shown_group_keys,
    within_layer_sectors,
)
from placelab.report.model import ReportContext, Section, cite
from placelab.report.words import density_words, share_in_words

TITLE = "Sectors and layers"
LAYERS_SEED = seed("5.4 and Figure C5", 2324, 2420, "horizontally and vertically")
OUTSIDE_SEED = seed("Appendix C 4.3.4", 11467, 11527, "outside the core networks")
EI_SEED = "Krackhardt and Stern 1988"
GROUPINGS = {"sector": "sectors", "layer": "layers"}
# In the viewer copy, people whose layer would narrow them to a small group show "other".
OTHER = "other"
WITHHELD_LAYER = "Others (layer not shown)"
# The viewer copy counts its layer tables over pairs; the findings keep the ties as named.
THIN_PAIRS_NOTE = (
    "The finding counts ties as they were named, out of every possible tie in either "
    "direction, twice as many as there are pairs of people; the table above counts pairs. "
    "So the finding's densities are about half the table's, and they say the same."
)
KINDS = {"horizontal": "Within a layer", "vertical": "Adjacent layers", "distant": "Far apart"}


def build(context: ReportContext) -> Section:
    network = focus_network(context.result)
    data = {} if network is None else groups_data(context, network)
    return Section(id="groups", title=TITLE, template="sections/groups.html", data=data)


def focus_network(result: dict) -> str | None:
    """The network the exclusion findings read (``finding_rules["focus_network"]``, innovation
    by default), else all networks together, else the first the result has."""
    networks = result.get("networks") or {}
    focus = (result.get("finding_rules") or {}).get("focus_network", "innovation")
    for key in (focus, ALL, *networks):
        if key in networks:
            return key
    return None


def groups_data(context: ReportContext, network: str) -> dict:
    net = context.result["networks"][network]
    pairs = counts_pairs((net.get("mixing") or {}).get("sector"))
    outside = outside_findings(context)
    return {
        "network": network,
        "network_label": label(network).lower() if network != ALL else "combined",
        "pairs": pairs,
        "intro": intro(),
        "layers_cite": cite(LAYERS_SEED),
        "outside_cite": cite(OUTSIDE_SEED),
        "measures": measures_words(pairs),
        "outside": outside,
        "outside_summary": outside_summary(context, outside, network),
        "tables": [group_table(context, network, g, outside) for g in GROUPINGS],
        "heat": heat_map(context, network),
        "vertical": vertical_links(context, network),
        "horizontal": horizontal_links(context, network),
        "others": other_networks(context, network),
        "pairs_note": pairs_note(context) if pairs else None,
    }


def intro() -> str:
    return (
        "The source pictures a local innovation system as four layers: systemic (region, city "
        "or authority-wide), sectoral (a service, agency or sector), frontline (neighbourhood "
        "and community-based organisations) and public (individuals, service users and "
        "neighbourhoods). Ideas travel along horizontal links, within a layer and across "
        "sectors, and vertical links, between layers; an innovative place has strong links at "
        "every level. This section shows which sectors and layers are close to the core group "
        "and which are left outside, and how well the layers are joined."
    )


def measures_words(pairs: bool) -> dict[str, str]:
    """The measures the tables use, each in a sentence, where the reader first meets them."""
    counted = " (each pair of people tied counted once)" if pairs else ""
    return {
        "core": "The core group is the people who are key connectors (hubs, gatekeepers or "
        "pulsetakers) in more than half of the networks. A group's reach to the core is the "
        "share of the ties of its members outside the core group that lead to someone in "
        f"it{counted}.",
        "ei": f"The E-I index ({EI_SEED}) compares a group's ties that reach outside it (E) "
        f"with those inside it (I){counted}, as (E − I) / (E + I): −1 when all stay inside the "
        "group, 0 when they split evenly, +1 when all reach outside.",
    }


# --- who is outside the core ----------------------------------------------------------------


def outside_findings(context: ReportContext) -> list[dict]:
    """The findings "Outside the core", as the report's findings list gives them (graded for the
    diagnosed phase), each with the group or groups it is about."""
    out = []
    for found in all_findings(context.result, context.diagnosis):
        if not str(found.get("id", "")).startswith("excluded-"):
            continue
        numbers = found.get("numbers") or {}
        about = [(numbers.get("grouping"), numbers.get("group"))]
        same = numbers.get("same_as") or {}
        if same:
            about.append((same.get("grouping"), same.get("group")))
        about = [(str(g), str(k)) for g, k in about if g and k]
        out.append({
            "id": found["id"], "severity": found.get("severity", "info"),
            "title": found.get("title", ""), "text": found.get("text", ""),
            "about": about,
            "names": [group_name(k, g) for g, k in about],
            "cite": cite(found.get("seed")),
        })  # fmt: skip
    return out


def outside_summary(context: ReportContext, outside: list[dict], network: str) -> str:
    """Which groups the findings put outside the core, or why none (the findings' own test)."""
    name = "all networks together" if network == ALL else f"the {label(network).lower()} network"
    if not outside and not (context.result.get("core_group") or {}).get("members"):
        return (
            "No one is a key connector in most networks, so there is no core group to be "
            "inside or outside of."
        )
    if not outside:
        rules = context.result.get("finding_rules") or {}
        ratio = share_in_words(rules.get("excluded_reach_ratio", 0.5), 1)
        return (
            f"No sector or layer of {context.min_group} or more people sits outside the core of "
            f"{name}: none is both without anyone in the core group and either reaching it at "
            f"under {ratio} the typical rate or mostly without ties."
        )
    groups = [
        f["names"][0] + "".join(f" (the same people as {n})" for n in f["names"][1:])
        for f in outside
    ]
    count = "One group sits" if len(groups) == 1 else f"{_count(len(groups))} groups sit"
    return f"{count} outside the core of {name}: {listed(groups)}."


def group_name(group: str, grouping: str) -> str:
    """A group as the findings name it: a sector by its label, a layer as 'the public layer'."""
    name = label(group)
    return name if grouping == "sector" else f"the {name.lower()} {grouping}"


def group_label(context: ReportContext, grouping: str, group: str) -> str:
    """A group's label; in the viewer copy, the people whose layer is withheld say so."""
    if context.pseudonymised and grouping == "layer" and group == OTHER:
        return WITHHELD_LAYER
    return label(group)


def group_table(context: ReportContext, network: str, grouping: str, outside: list[dict]) -> dict:
    """Each group's people, core members, reach to the core, ties inside and outside, E-I."""
    net = context.result["networks"][network]
    rows = group_rows(
        net, grouping, sees_names=False, order=map_order(context.result),
        min_group=context.min_group,
    )  # fmt: skip
    in_core = core_members_by_group(context.result, grouping)
    flagged = {key for f in outside for g, key in f["about"] if g == grouping}
    for row in rows:
        row["label"] = group_label(context, grouping, row["key"])
        row["core"] = in_core.get(row["key"], 0)
        row["outside"] = row["key"] in flagged
        row["status"] = core_status(row)
    sizes = ((net.get("mixing") or {}).get(grouping) or {}).get("groups") or []
    everyone = sum(int(r.get("people") or 0) for r in sizes)
    left = everyone - sum(int(r["people"] or 0) for r in rows)
    return {
        "name": grouping,
        "heading": grouping.capitalize(),
        "caption": f"Each {grouping} in the {label(network).lower()} network"
        + (
            ", counting pairs of people tied either way"
            if counts_pairs(_table(net, grouping))
            else ""
        ),  # fmt: skip
        "pairs": counts_pairs(_table(net, grouping)),
        "rows": rows,
        "left_out": left_out_words(left, grouping, context.min_group) if left > 0 else None,
    }


def core_status(row: dict) -> str:
    """In a few words: how many of the group are in the core group, and whether a finding says
    the group is outside it."""
    if row["core"]:
        return f"{row['core']} of {row['people']}"
    return "None: outside the core" if row["outside"] else "None"


def left_out_words(left: int, grouping: str, min_group: int) -> str:
    return (
        f"{left} people in {GROUPINGS[grouping]} of fewer than {min_group} are not shown "
        "separately: a group so small could point to the people in it. They are counted in "
        "every figure for the network as a whole."
    )


def _table(net: dict, grouping: str) -> dict | None:
    return (net.get("mixing") or {}).get(grouping)


# --- who ties with whom, by sector ----------------------------------------------------------


def heat_map(context: ReportContext, network: str) -> dict | None:
    """The sector-by-sector counts as a shaded table, with its reading in words."""
    net = context.result["networks"][network]
    matrix = mixing_matrix(
        net, network, sees_names=False, order=map_order(context.result),
        min_group=context.min_group,
    )  # fmt: skip
    if len(matrix["rows"]) < 2:
        return None
    pairs = matrix["pairs"]
    counted = [
        (i, j, cell["count"])
        for i, row in enumerate(matrix["rows"])
        for j, cell in enumerate(row["cells"])
        if not cell["blank"]
    ]
    total = sum(c for _i, _j, c in counted)
    within = sum(c for i, j, c in counted if i == j)
    noun = "pairs of people tied" if pairs else "ties"
    sentences = [
        f"Among the sectors shown, {within} of the {total} {noun} "
        f"({share_in_words(within, total)}) are within one sector."
        if total
        else f"There are no {noun} among the sectors shown."
    ]
    busiest = broker_links(matrix, network)
    if busiest:
        sentences.append(
            f"The sectors with the most {noun} between them: "
            + "; ".join(f"{b['between']} ({b['ties']})" for b in busiest)
            + "."
        )
    sentences.append(_unjoined(matrix))
    return {**matrix, "explain": heat_explain(pairs), "summary": [s for s in sentences if s]}


def heat_explain(pairs: bool) -> str:
    if pairs:
        return (
            "Each cell counts the pairs of people, one in the row's sector and one in the "
            "column's, who are tied either way; a cell on the diagonal counts pairs within one "
            "sector. The table reads the same both ways, so only its lower half is filled in. "
            "The darker the cell, the more pairs."
        )
    return (
        "Each cell counts the ties named by people in the row's sector to people in the "
        "column's sector; the diagonal holds ties within one sector. The darker the cell, the "
        "more ties."
    )


def _unjoined(matrix: dict) -> str:
    """How many pairs of different sectors have no tie either way."""
    rows = [[cell["count"] for cell in row["cells"]] for row in matrix["rows"]]
    n = len(rows)
    apart = sum(1 for i in range(n) for j in range(i) if not rows[i][j] and not rows[j][i])
    possible = n * (n - 1) // 2
    if not apart:
        return "Every pair of sectors shown has at least one tie between them."
    return f"{apart} of the {possible} pairs of sectors shown have no tie between them."


# --- vertical and horizontal links ----------------------------------------------------------


def vertical_links(context: ReportContext, network: str) -> dict | None:
    """Ties within and between layers in Figure C5's order (each layer, then its link to the
    one below; layers far apart last), this network beside all networks together, marking the
    thin links the findings name."""
    nets = context.result["networks"]
    here = {_link_key(r): r for r in layer_links(nets[network])}
    every = {_link_key(r): r for r in layer_links(nets.get(ALL) or {})} if network != ALL else {}
    if not here:
        return None
    thin = thin_findings(context)
    named = {pair for f in thin for pair in f["pairs"]}
    rows = []
    for key in sorted(here, key=_ladder):
        link, whole = here[key], every.get(key) or {}
        rows.append({
            "link": link["from"] if link["from"] == link["to"] else f"{link['from']} – {link['to']}",
            "kind": KINDS.get(str(link["kind_key"]), link["kind"]),
            "ties": link["ties"], "density": link["density"], "density_all": whole.get("density"),
            "words": density_words(link["density"]), "thin": frozenset(key) in named,
        })  # fmt: skip
    pairs = counts_pairs(_table(nets[network], "layer"))
    return {
        "rows": rows,
        "has_all": bool(every),
        "thin": thin,
        "thin_note": THIN_PAIRS_NOTE if pairs and thin else None,
        "explain": vertical_explain(pairs),
    }


def _link_key(row: dict) -> tuple[str, str]:
    return (str(row["from_key"]), str(row["to_key"]))


def _ladder(key: tuple[str, str]) -> tuple[bool, int, int]:
    """Figure C5's order: a layer within itself, then its link to the next one down; links
    between layers far apart last, top first."""
    position = {layer: i for i, layer in enumerate(LAYERS)}
    a, b = (position.get(k, len(LAYERS)) for k in key)
    return (abs(a - b) > 1, min(a, b), abs(a - b))


def vertical_explain(pairs: bool) -> str:
    tie = "pairs of people tied" if pairs else "ties"
    return (
        "Density is the share of the possible ties that exist: between two layers, out of "
        f"every pair of one person from each. The table counts {tie}. Links within a layer are "
        "its horizontal links, links between adjacent layers its vertical ones, from the "
        "systemic layer down to the public."
    )


def thin_findings(context: ReportContext) -> list[dict]:
    """The findings "Thin links between ... layers" (across all networks), in their words."""
    out = []
    for found in all_findings(context.result, context.diagnosis):
        if not str(found.get("id", "")).startswith("thin-vertical-"):
            continue
        numbers = found.get("numbers") or {}
        pair = frozenset(str(numbers.get(k)) for k in ("from_layer", "to_layer"))
        out.append({
            "severity": found.get("severity", "info"), "title": found.get("title", ""),
            "text": found.get("text", ""), "cite": cite(found.get("seed")), "pairs": [pair],
        })  # fmt: skip
    return out


def horizontal_links(context: ReportContext, network: str) -> dict | None:
    rows = within_layer_sectors(context.result, network, min_group=context.min_group)
    if not rows:
        return None
    pairs = context.result.get("ties_directed") is False
    return {
        "rows": rows,
        "pairs": pairs,
        "explain": "Horizontal links join people of the same layer; those across sectors "
        "join different services and agencies at the same level.",
    }


# --- the other networks ---------------------------------------------------------------------


def other_networks(context: ReportContext, focus: str) -> dict | None:
    """Each sector's and layer's reach to the core in every network, and each network's E-I
    index across sectors: one compact table."""
    nets = context.result["networks"]
    keys = [n for n in context.networks if n in nets]
    if len(keys) < 2:
        return None
    order = map_order(context.result)
    parts = []
    for grouping in GROUPINGS:
        shown = shown_group_keys(
            nets[focus], grouping, sees_names=False, order=order, min_group=context.min_group
        )
        rows = [{"label": group_label(context, grouping, group), "cells": [_reach(nets[n], grouping, group) for n in keys]}
                for group in shown]  # fmt: skip
        if rows:
            parts.append({"heading": f"By {grouping}", "rows": rows})
    ei = [(nets[n].get("ei_index") or {}).get("sector") for n in keys]
    return {
        "columns": [{"key": n, "label": label(n), "focus": n == focus} for n in keys],
        "parts": parts,
        "ei": ei,
        "each_way": context.result.get("ties_directed") is False,
    }


def _reach(net: dict, grouping: str, group: str) -> float | None:
    rows = (_table(net, grouping) or {}).get("groups") or []
    return next((r.get("reach_core") for r in rows if str(r.get("group")) == group), None)


def pairs_note(context: ReportContext) -> str:
    return (
        "In this pseudonymised report the tables by sector and layer count pairs of people "
        "tied either way, not ties as each person named them: who named whom would show who "
        "answered the survey. A share here can therefore differ from the finding beside it, "
        "which counts each tie as it was named."
    )


def _count(n: int) -> str:
    words = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
    return words[n] if n < len(words) else str(n)
