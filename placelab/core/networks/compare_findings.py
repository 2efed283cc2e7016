"""Findings about change between two waves: one per clear change of the panel's figures.

Each has the shape of ``placelab.core.networks.findings``: what changed, the figures and the
bootstrap interval it rests on, the passage of the report it bears on, and questions to ask.
"""

from __future__ import annotations

from placelab.core.networks.findings import finding, seed
from placelab.core.vocabulary import ALL, label

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
    name = label(group)
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
        [f"Are {name} now looking {'outward' if figure['change'] > 0 else 'inward'} more, "
         "and is that what the partnership wanted?"]
    )  # fmt: skip
    return finding(
        f"change_{key}_{network}_{grouping}_{group}",
        "medium" if further else "info",
        f"{name}: {NAMES[key]} {_direction(figure)} in the {_network(network)}",
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
