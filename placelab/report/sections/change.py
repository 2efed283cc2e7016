"""The report's section "What changed": two waves of a study compared, for a council leader.

It lays out a comparison (``placelab.core.networks.compare.compare_waves``, with the diagnosis
compared by ``placelab.core.toolkit.compare_diagnosis.compare_diagnoses`` when both waves had a
self-assessment) in words first: who answered, the findings about change grouped by what they
share, then each network's ties kept, new and lost, its figures before and after with the
verdict of the bootstrap, the key connectors and the core group gained and lost, and the groups'
E-I index and reach to the core; the two waves' maps side by side, the earlier with the ties
lost drawn dashed and the later with the new ones drawn thick.

Every verdict is the core's: this module never decides whether a change is clear. The
pseudonymised variant is made from viewer copies (``placelab.core.pseudonymise``), never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from placelab.core.networks.compare_findings import CLEAR, NOT_CLEAR, STANDS_APART
from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.vocabulary import ALL, label, listed
from placelab.report.model import ReportContext, Section, cite, svg_image

TITLE = "What changed since the last wave"
# Above this many people a map pair is left out: 2 x 8 maps of thousands of people would make the
# report slow to open and print, and the tables say the same.
MAPS_UP_TO = 500
FIGURE_WORDS = {
    "density": ("Density", "the share of all possible ties that exist"),
    "reciprocity": ("Reciprocity", "the share of ties returned"),
    "centralisation": ("Centralisation", "how far ties gather around a few people"),
}
GROUP_FIGURES = {
    "reach_core": "Reach to the core",
    "ei_index": "Looking outward (E-I index)",
}
GROUPING_TITLES = {"sector": "Sectors", "layer": "Layers of the local innovation system"}
NOT_TESTED = "not tested"
GROUPS_WORDS = (
    "Clear changes that share a cause are told as one finding, with the changes behind it. "
    "When the core group itself changed, several groups' reach to the core moving the same way "
    "is told as one change of the core, unless a group's change is more than {apart:g} times "
    "the typical one: that group is told on its own. One sector's or layer's changes in several "
    "networks are one finding, and so is density or reciprocity moving the same way in several "
    "networks. Findings about groups come before those about whole networks, the largest "
    "change first."
)
VIEWS_WORDS = (
    "Every figure is computed twice: for everyone on each wave's roster, and for the people who "
    "answered in both waves, with only the ties among them. Only the second carries a verdict, "
    "so that people answering in one wave and not the other is not read as a change in the "
    "place."
)
VERDICT_WORDS = {CLEAR: "Clear change", NOT_CLEAR: "No clear change", NOT_TESTED: "Not tested"}


def build(context: ReportContext) -> Section:
    """The section for the report of the later wave, from ``context.change``."""
    change = context.change or {}
    data = change_data(
        change["comparison"],
        before=change.get("before"),
        after=context.result,
        before_label=str(change.get("before_label") or "the earlier wave"),
        after_label=str(change.get("after_label") or context.about.wave or "this wave"),
        pseudonymised=context.pseudonymised,
    )
    return Section(id="change", title=TITLE, template="sections/change.html", data=data)


def change_data(
    comparison: Mapping,
    *,
    before: Mapping | None,
    after: Mapping | None,
    before_label: str,
    after_label: str,
    pseudonymised: bool,
) -> dict:
    """Everything the section shows, as plain data (the web's comparison page uses it too).

    ``comparison`` is a "placelab-comparison/1" (the viewer's copy when ``pseudonymised``);
    ``before`` and ``after`` the two waves' stored results, for the maps (viewer copies when
    pseudonymised; None: no maps). Nothing is decided here that the comparison does not say.
    """
    labels = {"before": before_label, "after": after_label}
    panel = comparison.get("answered_both")
    return {
        "labels": labels,
        "pseudonymised": pseudonymised,
        "intro": intro_words(comparison, labels),
        "response": response_data(comparison, labels),
        "findings": finding_data(comparison),
        "core": core_data(comparison),
        "networks": [
            network_data(comparison, name, panel is not None) for name in comparison["networks"]
        ],
        "diagnosis": diagnosis_data(comparison.get("diagnosis"), labels),
        "maps": maps_data(comparison, before, after, labels, pseudonymised),
        "maps_note": maps_note(comparison, before, after),
        "method": method_data(comparison),
    }


# --- words before numbers -------------------------------------------------------------------


def intro_words(comparison: Mapping, labels: Mapping[str, str]) -> list[str]:
    clear = len(comparison.get("findings", []))
    groups = len(comparison.get("finding_groups", []))
    panel = comparison["response"]["answered_both"]
    first = (
        f"This part compares {labels['before']} with {labels['after']}. A change is called a "
        "clear change only when it is larger than what chance in who answered would give: "
        f"among the {panel:,} people who answered both times, the respondents were drawn again "
        "at random many times, and a change counts as clear only when nearly every draw moves "
        'the same way. Everything else is shown as "no clear change".'
    )
    if comparison.get("answered_both") is None:
        second = (
            "Too few people answered both waves to judge any change, so no change is called "
            "clear; the figures for everyone are shown as they are."
        )
    elif clear:
        second = (
            f"{_count(clear, 'clear change')} came through; many share a cause, so they are "
            f"told below as {_count(groups, 'finding')}, the most telling first."
        )
    else:
        second = "No change came through as clear: the networks look much as they did."
    return [first, second]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def response_data(comparison: Mapping, labels: Mapping[str, str]) -> dict:
    response = comparison["response"]
    first, second = response["before"], response["after"]
    on_both = (comparison.get("everyone") or {}).get("people_on_both_rosters")
    rows = [
        {"label": "People on the roster", "before": first["people"], "after": second["people"]},
        {"label": "People who answered", "before": first["responded"],
         "after": second["responded"]},
        {"label": "Response rate", "before": first["rate"], "after": second["rate"],
         "share": True},
    ]  # fmt: skip
    text = (
        f"{response['answered_both']:,} people answered in both waves"
        + (f", of {on_both:,} on both rosters" if on_both is not None else "")
        + ". The findings rest on them alone, so that a change in who answered is not read "
        "as a change in the place."
    )
    return {"rows": rows, "text": text, "answered_both": response["answered_both"]}


def finding_data(comparison: Mapping) -> list[dict]:
    """The ranked finding groups: each lead with its related findings beneath it."""
    by_id = {f["id"]: f for f in comparison.get("findings", [])}
    groups = comparison.get("finding_groups")
    if groups is None:  # a comparison made before groups: each finding alone
        groups = [{"lead": f, "related": [f["id"]], "cause": "one change"} for f in by_id.values()]
    out = []
    for group in groups:
        lead = group["lead"]
        related = [by_id[i] for i in group["related"] if i in by_id and i != lead["id"]]
        out.append(
            {
                "severity": lead["severity"],
                "title": lead["title"],
                "text": lead["text"],
                "cite": cite(lead.get("seed")),
                "questions": lead.get("questions", []),
                "related": [
                    {"title": f["title"], "text": f["text"], "figures": _from_to(f["numbers"])}
                    for f in related
                ],
            }
        )
    return out


def _from_to(numbers: Mapping) -> str:
    """'0.00 to 0.29' for a finding's figure, or nothing when it has none."""
    if numbers.get("before") is None or numbers.get("after") is None:
        return ""
    digits = 2 if "group" in numbers else 3
    return f"{numbers['before']:.{digits}f} to {numbers['after']:.{digits}f}"


def _names(people: Any) -> list[str]:
    """Names from a list of ``{"id", "name"}``; a viewer's panel view holds only a count."""
    if isinstance(people, list):
        return [str(p.get("name") or p.get("id")) for p in people]
    return []


def _number(people: Any) -> int:
    return people if isinstance(people, int) else len(people or [])


def core_data(comparison: Mapping) -> dict:
    everyone = comparison["everyone"]["core"]
    joined, left = _names(everyone["joined"]), _names(everyone["left"])
    panel = (comparison.get("answered_both") or {}).get("core")
    if not joined and not left:
        text = (
            "Counting everyone's ties, the core group has the same members in both waves "
            "(among people on both rosters)."
        )
    else:
        text = (
            "Among people on both rosters, "
            + "; ".join(
                filter(
                    None,
                    [
                        f"{listed(joined)} joined the core group" if joined else "",
                        f"{listed(left)} left it" if left else "",
                    ],
                )
            )
            + ". A group's reach to the core is read against each wave's own core, so a change "
            "here moves every group's reach."
        )
    if panel:
        came, went = _number(panel["joined"]), _number(panel["left"])
        if came or went:
            text += (
                " Counting only the ties of the people who answered both waves, as the "
                f"findings do, {came} {'person' if came == 1 else 'people'} joined it and "
                f"{went} left."
            )
    return {"joined": joined, "left": left, "text": text}


# --- each network ---------------------------------------------------------------------------


def network_label(name: str) -> str:
    return "All networks together" if name == ALL else f"{label(name)} network"


def network_data(comparison: Mapping, name: str, judged: bool) -> dict:
    everyone = comparison["everyone"]["networks"][name]
    panel = (comparison.get("answered_both") or {}).get("networks", {}).get(name)
    return {
        "network": name,
        "label": network_label(name),
        "ties": everyone["ties"],
        "ties_text": ties_words(everyone["ties"]),
        "figures": figure_rows(everyone["figures"], panel["figures"] if panel else None),
        "connectors": connector_rows(everyone["key_connectors"]),
        "groups": group_tables(panel["groups"] if panel else everyone["groups"], judged),
        "groups_view": "answered both" if panel else "everyone",
        "overlap": overlap_words(everyone.get("qap") or {}),
        "communities": community_words(everyone.get("communities") or {}),
    }


def ties_words(ties: Mapping) -> str:
    before = ties["before"]
    if not before:
        return f"There were no ties between people on both rosters before; now there are {ties['after']:,}."
    return (
        f"Of the {before:,} ties between people on both rosters in the earlier wave, "
        f"{ties['kept']:,} ({ties['kept_share']:.0%}) are still there, {ties['lost']:,} were "
        f"lost and {ties['new']:,} are new, making {ties['after']:,}."
    )


def figure_rows(everyone: Mapping, panel: Mapping | None) -> list[dict]:
    rows = []
    for key, (name, meaning) in FIGURE_WORDS.items():
        judged = (panel or {}).get(key) or {}
        verdict = judged.get("verdict") or NOT_TESTED
        rows.append(
            {
                "label": name,
                "meaning": meaning,
                "before": everyone[key]["before"],
                "after": everyone[key]["after"],
                "panel_before": judged.get("before"),
                "panel_after": judged.get("after"),
                "interval": judged.get("interval"),
                "verdict": VERDICT_WORDS[verdict],
                "clear": verdict == CLEAR,
            }
        )
    return rows


def connector_rows(connectors: Mapping) -> list[dict]:
    rows = []
    for role in ROLE_SCORES:
        change = connectors.get(role) or {}
        became, stopped = _names(change.get("became", [])), _names(change.get("stopped", []))
        rows.append(
            {
                "role": label(role),
                "became": ", ".join(became) or "no one",
                "stopped": ", ".join(stopped) or "no one",
                "count": _number(change.get("became")) + _number(change.get("stopped")),
            }
        )
    return rows


def group_tables(groups: Mapping, judged: bool) -> list[dict]:
    tables = []
    for grouping, rows in groups.items():
        if not rows:
            continue
        tables.append(
            {
                "title": GROUPING_TITLES.get(grouping, label(grouping)),
                "rows": [
                    {
                        "label": entry["label"],
                        **{key: _figure_cell(entry[key], judged) for key in GROUP_FIGURES},
                    }
                    for entry in rows.values()
                ],
            }
        )
    return tables


def _figure_cell(figure: Mapping, judged: bool) -> dict:
    verdict = figure.get("verdict") or NOT_TESTED
    return {
        "before": figure.get("before"),
        "after": figure.get("after"),
        "verdict": VERDICT_WORDS[verdict] if judged else VERDICT_WORDS[NOT_TESTED],
        "clear": verdict == CLEAR,
    }


def overlap_words(qap: Mapping) -> str:
    r = qap.get("r")
    if r is None:
        return "Too few people on both rosters to say how far the two waves' ties overlap."
    strength = "closely" if r >= 0.6 else "partly" if r >= 0.3 else "little"
    return (
        f"The two waves' networks overlap {strength}: the correlation of who is tied to whom is "
        f"{r:.2f} (1 would be the same ties; QAP test p = {qap.get('p', 1):.3f})."
    )


def community_words(communities: Mapping) -> str:
    merged, split = len(communities.get("merged", [])), len(communities.get("split", []))
    if not merged and not split:
        return "No cluster of people merged with another or split apart."
    parts = [
        f"{_count(merged, 'merger')} of clusters" if merged else "",
        f"{_count(split, 'cluster')} split apart" if split else "",
    ]
    return "Clusters of people changed: " + " and ".join(filter(None, parts)) + "."


# --- the diagnosis compared -----------------------------------------------------------------


def diagnosis_data(compared: Mapping | None, labels: Mapping[str, str]) -> dict | None:
    """The phase, the triangle and the conditions for change, before and after; None without."""
    if not compared:
        return None
    phase = compared["phase"]
    rows = [
        *compared["phase"]["scores"],
        *compared["triangle"]["scores"],
        *compared["omr"]["providers"]["scores"],
        *compared["omr"]["community"]["scores"],
    ]
    groups = [
        {
            "grouping": GROUPING_TITLES.get(grouping, label(grouping)),
            "label": entry["label"],
            "title": score["title"],
            **_score_cells(score),
        }
        for grouping, entries in compared.get("groups", {}).items()
        for entry in entries.values()
        for score in entry["scores"]
        if score["verdict"] == CLEAR
    ]
    return {
        "phase": phase_words(phase, labels),
        "rows": [{"title": s["title"], **_score_cells(s)} for s in rows],
        "clear": sum(s["verdict"] == CLEAR for s in rows),
        "groups": groups,
        "groups_text": (
            f"{_count(len(groups), 'clear change')} within sectors or layers."
            if groups
            else "No sector or layer shown in both waves changed clearly on any of these scores."
        ),
        "method": compared.get("method", ""),
    }


def _score_cells(score: Mapping) -> dict:
    def part(wave: str) -> dict:
        figure = score.get(wave) or {}
        return {"mean": figure.get("mean"), "interval": figure.get("interval")}

    return {
        "before": part("before"),
        "after": part("after"),
        "verdict": VERDICT_WORDS[score["verdict"]],
        "clear": score["verdict"] == CLEAR,
    }


def phase_words(phase: Mapping, labels: Mapping[str, str]) -> str:
    first, second = phase.get("before"), phase.get("after")
    if not first or not second:
        return "The lifecycle phase cannot be compared: one wave has no phase reading."

    def said(p: Mapping) -> str:
        name = str(p["name"]).lower()
        return f"the {name} phase" if p["described"] else f"no clear phase (closest: {name})"

    if phase["verdict"] == CLEAR:
        return (
            f"The place has moved from {said(first)} in {labels['before']} to {said(second)} "
            f"in {labels['after']}, and both readings are confident: a clear change."
        )
    if first["id"] == second["id"] and first["described"] == second["described"]:
        return f"The answers point to {said(first)} in both waves."
    return (
        f"The answers pointed to {said(first)} in {labels['before']} and to {said(second)} in "
        f"{labels['after']}, but not confidently enough in both to call it a clear change."
    )


# --- maps side by side ----------------------------------------------------------------------


def maps_note(comparison: Mapping, before: Mapping | None, after: Mapping | None) -> str:
    if before is None or after is None:
        return "No maps: the two waves' analyses were not given with the comparison."
    if not before.get("layout") or not after.get("layout"):
        return "No maps: a wave's analysis has no map layout; run it again to draw them."
    if max(len(before.get("people", [])), len(after.get("people", []))) > MAPS_UP_TO:
        return f"No maps: above {MAPS_UP_TO:,} people the tables say it more clearly."
    return (
        "Each pair of maps puts everyone in the same place in both waves, so that you can look "
        "from one to the other. The earlier map draws the ties lost by the later wave dashed; "
        "the later map draws the new ties thick; the rest are faded. A pair who named each "
        "other is one line, so the maps count pairs where the tables count ties."
    )


def maps_data(
    comparison: Mapping,
    before: Mapping | None,
    after: Mapping | None,
    labels: Mapping[str, str],
    pseudonymised: bool,
) -> list[dict]:
    from placelab.report.maps import network_svg

    if maps_note(comparison, before, after).startswith("No maps") or not before or not after:
        return []
    out = []
    for name in comparison["networks"]:
        if name != ALL and (name not in before["ties"] or name not in after["ties"]):
            continue
        lost, new = changed_pairs(before, after, name)
        alt = {
            "before": f"{network_label(name)} in {labels['before']}, with the {len(lost):,} "
            f"pairs of people no longer tied in {labels['after']} drawn dashed",
            "after": f"{network_label(name)} in {labels['after']}, with the {len(new):,} pairs "
            f"of people newly tied since {labels['before']} drawn thick",
        }
        pair = {}
        for wave, result, marked in (("before", before, {"lost": lost}),
                                     ("after", after, {"new": new})):  # fmt: skip
            svg = network_svg(result, name, pseudonymous=pseudonymised, marked=marked)
            pair[wave] = svg_image(svg, alt[wave])
        out.append({"network": name, "label": network_label(name), **pair})
    return out


def _pairs(result: Mapping, name: str) -> set[frozenset[str]]:
    names = list(result["ties"]) if name == ALL else [name]
    return {
        frozenset((str(row[0]), str(row[1])))
        for network in names
        for row in result["ties"].get(network, [])
        if str(row[0]) != str(row[1])
    }


def changed_pairs(
    before: Mapping, after: Mapping, name: str
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Pairs of people on both rosters tied in one wave and not the other: (lost, new).

    As on the maps, a pair is one line whichever way the tie was named, so a pair counts as lost
    only when neither named the other any more.
    """
    on_both = {str(p["id"]) for p in before.get("people", [])} & {
        str(p["id"]) for p in after.get("people", [])
    }
    first, second = (
        {p for p in _pairs(r, name) if p <= on_both} for r in (before, after)
    )  # fmt: skip
    return (
        sorted(tuple(sorted(p)) for p in first - second),
        sorted(tuple(sorted(p)) for p in second - first),
    )


# --- how it was made ------------------------------------------------------------------------


def method_data(comparison: Mapping) -> list[dict]:
    method = {**comparison.get("method", {}), "views": VIEWS_WORDS}
    if method.get("finding_groups"):
        method["finding_groups"] = GROUPS_WORDS.format(apart=STANDS_APART)
    terms = {
        "views": "Who is compared",
        "ties": "Ties kept, new and lost",
        "groups": "Groups",
        "communities": "Clusters merged and split",
        "bootstrap": "When a change is clear",
        "finding_groups": "How findings are grouped",
    }
    return [{"term": term, "text": method[key]} for key, term in terms.items() if method.get(key)]
