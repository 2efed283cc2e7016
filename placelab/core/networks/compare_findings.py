"""Findings about change between two waves: one per clear change of the panel's figures.

Each has the shape of ``placelab.core.networks.findings``: what changed, the figures and the
bootstrap interval it rests on, the passage of the report it bears on, and questions to ask.
"""

from __future__ import annotations

import numpy as np

from placelab.core.networks.findings import finding, seed
from placelab.core.vocabulary import ALL, in_text, label, listed

CLEAR, NOT_CLEAR = "clear change", "no clear change"

NAMES = {
    "density": "density",
    "reciprocity": "reciprocity",
    "ei_index": "E-I index",
    "reach_core": "reach to the core",
}


def change_findings(view: dict, resamples: int) -> list[dict]:
    """One finding per clear change of the panel's figures: the more severe first, then group
    figures before whole networks', the largest change first within each."""
    found = []
    for network, entry in view["networks"].items():
        for grouping, groups in entry["groups"].items():
            for group, figures in groups.items():
                for key in ("reach_core", "ei_index"):
                    if figures[key].get("verdict") == CLEAR:
                        found.append(_group_finding(network, grouping, group, key, figures[key]))
        for key in ("density", "reciprocity"):
            if entry["figures"][key].get("verdict") == CLEAR:
                found.append(_network_finding(network, key, entry["figures"][key]))
    # A group's reach to the core is read against each wave's own core: say if the core changed.
    core = {key: len(view["core"][key]) for key in ("joined", "left")}
    for item in found:
        item["numbers"]["resamples"] = resamples
        if item["numbers"]["figure"] == "reach_core" and any(core.values()):
            item["numbers"]["core_changed"] = core
            item["text"] += (
                f" The core group itself changed: {core['joined']} joined it and "
                f"{core['left']} left it."
            )
    order = {"medium": 0, "info": 1}
    return sorted(
        found,
        key=lambda f: (
            order[f["severity"]],
            "group" not in f["numbers"],
            -abs(f["numbers"]["change"]),
            f["id"],
        ),
    )


def _network(name: str) -> str:
    return "networks taken together" if name == ALL else f"{label(name).lower()} network"


def _direction(figure: dict) -> str:
    return "rose" if figure["change"] > 0 else "fell"


def _numbers(values: dict, **where) -> dict:
    return {
        **where,
        "view": "answered_both",
        **{k: values[k] for k in ("before", "after", "change", "interval")},
    }


def _group_finding(network: str, grouping: str, group: str, key: str, figure: dict) -> dict:
    name = in_text(group, grouping)
    closer = key == "reach_core" and figure["change"] > 0
    further = key == "reach_core" and figure["change"] < 0
    text = (
        f"Among the people who answered in both waves, the {NAMES[key]} of {name} in the "
        f"{_network(network)} {_direction(figure)} from {figure['before']:.2f} to "
        f"{figure['after']:.2f}; resampling the respondents puts the change between "
        f"{figure['interval'][0]:+.2f} and {figure['interval'][1]:+.2f}."
    )
    questions = (
        [f"What brought {name} closer to the core: a new forum, a person, a project?",
         "Will it last once that project or person moves on?"]
        if closer else
        [f"What has drawn {name} away from the core since the last wave?",
         "Who in the core could reopen a route for their ideas?"]
        if further else
        [f"Do the people of {name} now look {'outward' if figure['change'] > 0 else 'inward'} "
         "more, and is that what the partnership wanted?"]
    )  # fmt: skip
    return finding(
        f"change_{key}_{network}_{grouping}_{group}",
        "medium" if further else "info",
        f"{label(group)}: {NAMES[key]} {_direction(figure)} in the {_network(network)}",
        text,
        _numbers(figure, network=network, grouping=grouping, group=group, figure=key),
        seed("Appendix C 4.3.4", 11467, 11527, "outside the core networks"),
        questions,
    )


def _network_finding(network: str, key: str, figure: dict) -> dict:
    text = (
        f"Among the people who answered in both waves, the {NAMES[key]} of the "
        f"{_network(network)} {_direction(figure)} from {figure['before']:.3f} to "
        f"{figure['after']:.3f}; resampling the respondents puts the change between "
        f"{figure['interval'][0]:+.3f} and {figure['interval'][1]:+.3f}."
    )
    return finding(
        f"change_{key}_{network}",
        "info",
        f"{NAMES[key].capitalize()} {_direction(figure)} in the {_network(network)}",
        text,
        _numbers(figure, network=network, figure=key),
        seed("Appendix C 2.4", 11082, 11095, "normative ranges"),
        [
            "What happened between the waves that could explain it?",
            "Is the change where the partnership meant to make one?",
        ],
    )


# --- clear changes grouped by what they share -----------------------------------------------

# A group's largest change of reach to the core this many times the groups' median stands
# apart from a change of the core itself (placelab's convention, not a published one).
STANDS_APART = 2.0
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
CAUSES = {
    "one change": "a clear change on its own",
    "same group": "one group's clear changes across networks or figures",
    "core changed": "groups' reach to the core moving together as the core group changed",
    "same figure": "one figure of the whole network moving the same way in several networks",
}


def finding_groups(findings: list[dict], view: dict) -> list[dict]:
    """Clear changes that share a cause, each group led by one finding, most telling first.

    ``findings`` are :func:`change_findings`' (the panel's clear changes); each lands in one
    group. Three shared causes are recognised, in this order:

    - ``"core changed"``: when someone joined or left the core group among the panel, groups'
      changes of reach to the core in one direction, in two or more groups, are one group. A
      group's reach is read against each wave's own core, so a change of who is in the core
      moves every group's reach at once. A group whose largest such change is more than
      ``STANDS_APART`` times the median of the groups' largest is more than the core's change
      explains, and stays with its group.
    - ``"same group"``: one sector's or layer's clear changes in several networks or figures.
    - ``"same figure"``: density or reciprocity moving the same way in several networks.

    The rest are groups of one (``"one change"``), led by their finding. A group of several is
    led by a finding written for it (its ``numbers["related"]`` lists the members). Groups are
    ranked by their most severe member, then groups' figures before whole networks', then the
    largest change. Each group: ``{"id", "cause", "lead", "related"}``, ``related`` being the
    members' ids, largest change first.
    """
    core = {key: len(view["core"][key]) for key in ("joined", "left")}
    rest, out, formed = list(findings), [], False
    if any(core.values()):
        for direction in (1, -1):
            chosen = _core_members(rest, direction)
            if len(chosen) >= 2:
                out.append(_group("core changed", _core_lead(chosen, direction, core), chosen))
                rest = [f for f in rest if f not in chosen]
                formed = True
    by_group: dict[tuple, list[dict]] = {}
    for f in rest:
        n = f["numbers"]
        key = (n["grouping"], n["group"]) if "group" in n else (n["figure"], _sign(f))
        by_group.setdefault(key, []).append(f)
    for members in by_group.values():
        if len(members) == 1:
            out.append(_group("one change", members[0], members))
        elif "group" in members[0]["numbers"]:
            out.append(_group("same group", _group_lead(members, core, formed), members))
        else:
            out.append(_group("same figure", _figure_lead(members), members))
    return sorted(out, key=_rank)


def _sign(f: dict) -> int:
    return 1 if f["numbers"]["change"] > 0 else -1


def _largest(members: list[dict]) -> float:
    return max(abs(f["numbers"]["change"]) for f in members)


def _core_members(findings: list[dict], direction: int) -> list[dict]:
    reach = [
        f for f in findings if f["numbers"]["figure"] == "reach_core" and _sign(f) == direction
    ]
    groups: dict[tuple, list[dict]] = {}
    for f in reach:
        groups.setdefault((f["numbers"]["grouping"], f["numbers"]["group"]), []).append(f)
    if len(groups) < 2:
        return []
    median = float(np.median([_largest(m) for m in groups.values()]))
    return [f for m in groups.values() if _largest(m) <= STANDS_APART * median for f in m]


def _group(cause: str, lead: dict, members: list[dict]) -> dict:
    ordered = sorted(members, key=lambda f: (-abs(f["numbers"]["change"]), f["id"]))
    return {
        "id": lead["id"] if len(members) > 1 else f"group_{lead['id']}",
        "cause": cause,
        "lead": lead,
        "related": [f["id"] for f in ordered],
    }


def _rank(group: dict) -> tuple:
    lead = group["lead"]
    return (
        SEVERITY_ORDER.get(lead["severity"], 3),
        "group" not in lead["numbers"] and group["cause"] != "core changed",
        -lead["numbers"]["largest_change"] if "largest_change" in lead["numbers"]
        else -abs(lead["numbers"]["change"]),
        lead["id"],
    )  # fmt: skip


def _worst(members: list[dict]) -> str:
    return min((f["severity"] for f in members), key=lambda s: SEVERITY_ORDER.get(s, 3))


def _questions(members: list[dict]) -> list[str]:
    return list(dict.fromkeys(q for f in members for q in f["questions"]))[:3]


def _where(members: list[dict], digits: int = 2) -> str:
    """'the expert network (0.00 to 0.29) and the innovation network (0.10 to 0.36)'."""
    parts = [
        f"the {_network(f['numbers']['network'])} ({f['numbers']['before']:.{digits}f} to "
        f"{f['numbers']['after']:.{digits}f})"
        for f in sorted(members, key=lambda f: -abs(f["numbers"]["change"]))
    ]
    return listed(parts)


def _lead_numbers(members: list[dict], **where) -> dict:
    return {
        **where,
        "view": "answered_both",
        "related": [f["id"] for f in members],
        "largest_change": _largest(members),
        "changes": [
            {k: f["numbers"][k] for k in ("network", "figure", "before", "after", "change")}
            for f in members
        ],
    }


def _group_lead(members: list[dict], core: dict, apart: bool) -> dict:
    """``apart``: other groups' reach moved with the core, and this group's stood apart."""
    n = members[0]["numbers"]
    name = in_text(n["group"], n["grouping"])
    moves: dict[tuple[str, int], list[dict]] = {}
    for f in members:
        moves.setdefault((f["numbers"]["figure"], _sign(f)), []).append(f)
    said = [
        f"its {NAMES[fig]} {'rose' if sign > 0 else 'fell'} in {_where(fs)}"
        for (fig, sign), fs in moves.items()
    ]
    text = (
        f"Among the people who answered in both waves, {name} changed in more than one place: "
        + "; ".join(said)
        + ". Changes seen together in several networks are less likely to be chance in one."
    )
    if any(moves.get(("reach_core", s)) for s in (1, -1)) and any(core.values()):
        text += f" The core group changed too ({core['joined']} joined, {core['left']} left)" + (
            f", but this group's reach changed more than {STANDS_APART:g} times as much as the "
            "other groups' typically did: more than the core's change alone explains."
            if apart
            else ": some of the change in reach may be the core's rather than this group's."
        )
    title = f"{label(n['group'])}: " + "; ".join(
        f"{NAMES[fig]} {'rose' if sign > 0 else 'fell'} in {_count(len(fs))}"
        for (fig, sign), fs in moves.items()
    )
    return finding(
        f"change_group_{n['grouping']}_{n['group']}",
        _worst(members),
        title,
        text,
        _lead_numbers(members, grouping=n["grouping"], group=n["group"]),
        members[0]["seed"],
        _questions(members),
    )


def _count(networks: int) -> str:
    return f"{networks} network{'s' if networks != 1 else ''}"


def _core_lead(members: list[dict], direction: int, core: dict) -> dict:
    groups = list(
        dict.fromkeys(in_text(f["numbers"]["group"], f["numbers"]["grouping"]) for f in members)
    )
    moved = "rose" if direction > 0 else "fell"
    named = listed(groups)
    low, high = (min(abs(f["numbers"]["change"]) for f in members), _largest(members))
    text = (
        f"Among the people who answered in both waves, {core['joined']} joined the core group "
        f"and {core['left']} left it. A group's reach to the core is the share of its ties that "
        "go to the core as each wave finds it, so a change of who is in the core moves every "
        f"group's reach at once. The reach to the core of {named} {moved}, by "
        f"{low:.2f} to {high:.2f} ({len(members)} clear changes across the networks): read it "
        "as a change of the core more than of these groups."
    )
    return finding(
        f"change_core_reach_{'rose' if direction > 0 else 'fell'}",
        _worst(members),
        f"The core group changed, and the reach to it of {len(groups)} groups {moved}",
        text,
        _lead_numbers(members, figure="reach_core", core_changed=core),
        members[0]["seed"],
        [
            "Who joined or left the core group, and why do others now turn to them or not?",
            "Leaving those people aside, does any group reach the core more or less than before?",
        ],
    )


def _figure_lead(members: list[dict]) -> dict:
    n = members[0]["numbers"]
    moved = "rose" if _sign(members[0]) > 0 else "fell"
    return finding(
        f"change_{n['figure']}_networks_{moved}",
        _worst(members),
        f"{NAMES[n['figure']].capitalize()} {moved} in {_count(len(members))}",
        f"Among the people who answered in both waves, the {NAMES[n['figure']]} {moved} in "
        f"{_where(members, 3)}. One change across several networks points to one cause "
        "behind them.",
        _lead_numbers(members, figure=n["figure"]),
        members[0]["seed"],
        _questions(members),
    )
