"""Findings about a locality's networks: what the numbers say, why it matters, what to ask.

Each rule turns measured figures into a statement with a severity, the numbers behind it, the
passage of the NESTA / Young Foundation report it rests on, and questions for the people who
answered. The thresholds are placelab's defaults, not published norms: they are parameters
(:class:`FindingRules`), and every finding reports the threshold it used. Density is judged
against a reference range only when the study supplies one with its source.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from placelab.core.citations import citation
from placelab.core.networks.analysis import NetworkAnalysis
from placelab.core.precision import shown, shown_share
from placelab.core.reference import band, percentile, percentile_words, rounded
from placelab.core.vocabulary import ALL, label

DEFAULTS_SOURCE = "placelab default threshold, a heuristic to review with the study team"


def seed(section: str, first: int, last: int, anchor: str) -> dict:
    """A citation of the NESTA / Young Foundation report (see ``placelab.core.citations``)."""
    return citation({"doc": "nesta", "section": section, "lines": [first, last], "anchor": anchor})


@dataclass(frozen=True)
class FindingRules:
    """The thresholds the findings use; change them per study and the report says so."""

    min_group: int = 5  # groups smaller than this are never broken out
    excluded_reach_ratio: float = 0.5  # a group reaches the core at under half the usual rate
    excluded_isolated_share: float = 0.5  # or most of the group is isolated
    core_min_size: int = 3  # a core of one or two people is no group to be excluded from
    core_max_share: float = 0.2  # a "dominant" core is a small share of people ...
    core_min_inward: float = 0.3  # ... whom the rest name often ...
    core_max_outward: float = 0.5  # ... and who mostly name each other
    vertical_ratio: float = 0.25  # adjacent layers tied at under a quarter of their own density
    reach_drop: float = 0.1  # five connectors leaving cuts reach by ten points or more
    worst_rise: float = 0.05  # or one leaver raises fragmentation by five points
    low_response: float = 0.5  # a group where fewer than half answered
    alignment_r: float = 0.3  # networks correlated below this are out of alignment (our cut)
    alignment_p: float = 0.05
    # Exclusion by lifecycle phase 0-4: the pilot's reading (Appendix C 4.3.4) is that keeping
    # others out may not hold innovation back early on, but matters as it has to spread and
    # outlast its champions. Without a phase the finding stays at ``excluded_severity``.
    excluded_severity_by_phase: tuple[str, ...] = ("low", "low", "medium", "high", "high")
    excluded_severity: str = "medium"
    focus_network: str = "innovation"  # the network the seed's pilot reads exclusion from
    density_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    density_source: str = ""
    # From a reference pool (placelab.core.reference.density_rules): the comparable studies'
    # densities, so that the finding gives the study's percentile among them.
    density_values: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def describe(self) -> dict:
        values = asdict(self)
        values["source"] = DEFAULTS_SOURCE
        return values


def network_findings(analysis: NetworkAnalysis, rules: FindingRules | None = None) -> list[dict]:
    """Every finding the rules support, most severe first."""
    rules = rules or FindingRules()
    found = [
        *_excluded_groups(analysis, rules),
        *_dominant_core(analysis, rules),
        *_thin_vertical_links(analysis, rules),
        *_dependence_on_few(analysis, rules),
        *_low_response(analysis, rules),
        *_misalignment(analysis, rules),
        *_density_out_of_range(analysis, rules),
    ]
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    return sorted(found, key=lambda f: (order[f["severity"]], f["id"]))


def finding(
    key: str,
    severity: str,
    title: str,
    text: str,
    numbers: dict,
    source: dict,
    questions: list[str],
) -> dict:
    return {
        "id": key,
        "severity": severity,
        "title": title,
        "text": text,
        "numbers": numbers,
        "seed": source,
        "questions": questions,
    }


def _focus(analysis: NetworkAnalysis, rules: FindingRules) -> str:
    return rules.focus_network if rules.focus_network in analysis.summary.index else ALL


def graded(found: dict, phase: int | None) -> dict:
    """The finding with the severity its ``severity_by_phase`` gives for ``phase`` (if any).

    A finding about a group that mostly did not answer never rises above medium: its figures
    rest on what others said about it.
    """
    by_phase = found["numbers"].get("severity_by_phase")
    if not by_phase or phase is None:
        return found
    severity = by_phase[f"phase {phase}"]
    if found["numbers"].get("low_response") and severity == "high":
        severity = "medium"
    return {**found, "severity": severity, "numbers": {**found["numbers"], "phase": phase}}


def _excluded_groups(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    network = _focus(analysis, rules)
    mixes = analysis.group_mixing[analysis.group_mixing["network"] == network]
    core = set(analysis.core["members"])
    people = analysis.data.people
    out: dict[frozenset, dict] = {}
    for grouping in ("sector", "layer"):
        frame = mixes[mixes["grouping"] == grouping]
        baseline = _pooled_reach(frame, rules.min_group)
        for row in frame.itertuples():
            members = people.index[people[grouping] == row.group]
            if row.people < rules.min_group or core & set(members):
                continue
            same = out.get(frozenset(members))
            if same is not None:  # a layer with exactly a sector's people: one finding
                same["numbers"]["same_as"] = {"grouping": grouping, "group": row.group}
                same["title"] += f" (the same people as {_name(row.group, grouping)})"
                continue
            if _excluded(row, baseline, len(core), rules):
                responded = int(people.loc[members, "responded"].sum())
                out[frozenset(members)] = _excluded_finding(
                    row, grouping, network, baseline, responded, rules
                )
    return list(out.values())


def _excluded(row, baseline: float | None, core_size: int, rules: FindingRules) -> bool:
    """Compared as printed (whole percent): reach under the ratio of the typical, or isolated."""
    isolated = shown_share(row.isolates / row.people) >= rules.excluded_isolated_share
    if row.reach_core is None or not baseline or core_size < rules.core_min_size:
        return isolated
    low = shown_share(row.reach_core) < rules.excluded_reach_ratio * shown_share(baseline)
    return low or isolated


def _excluded_finding(
    row, grouping: str, network: str, baseline: float | None, responded: int, rules: FindingRules
) -> dict:
    reach = row.reach_core or 0.0
    low_response = responded / row.people < rules.low_response
    reach_text = (
        f"{row.tie_ends_to_core} of their {row.tie_ends} {network} tie ends ({reach:.0%}) "
        f"{'leads' if row.tie_ends_to_core == 1 else 'lead'} to it, against {baseline:.0%} across {grouping}s of {rules.min_group} or more people"
        if row.tie_ends and baseline is not None
        else f"they have no {network} tie that could reach the core group"
    )
    warning = (
        f" Only {responded} of the {row.people} answered the survey, so their own nominations "
        "are missing and these figures count mostly the ties others named: read them with care."
        if low_response
        else f" {responded} of the {row.people} answered the survey."
    )
    return finding(
        f"excluded-{grouping}-{row.group}",
        "medium" if low_response else rules.excluded_severity,
        f"Outside the core of the {network} network: {_name(row.group, grouping)}",
        f"None of the {row.people} people in this {grouping} is in the core group (the key "
        f"connectors of most networks); {reach_text}; and {row.isolates} of the {row.people} "
        f"({row.isolates / row.people:.0%}) {'has' if row.isolates == 1 else 'have'} no "
        f"{network} tie at all.{warning} In the "
        "report's pilot the voluntary and community sector sat outside the core in the same "
        "way: weak, shut out, or both. The report adds that this may matter little early on, "
        "and more once innovation has to spread and outlast its champions.",
        {
            "network": network,
            "grouping": grouping,
            "group": row.group,
            "people": row.people,
            "responded": responded,
            "low_response": low_response,
            "reach_core": reach,
            "tie_ends": row.tie_ends,
            "tie_ends_to_core": row.tie_ends_to_core,
            "typical_reach_core": baseline,
            "isolated": row.isolates,
            "isolated_share": row.isolates / row.people,
            "ei_index": row.ei_index,
            "severity_by_phase": {  # lifecycle phase 0-4 (Table A1) -> severity
                f"phase {n}": s for n, s in enumerate(rules.excluded_severity_by_phase)
            },
            "thresholds": {
                "excluded_reach_ratio": rules.excluded_reach_ratio,
                "excluded_isolated_share": rules.excluded_isolated_share,
                "min_group": rules.min_group,
                "low_response": rules.low_response,
            },
        },
        seed("Appendix C 4.3.4", 11467, 11527, "outside the core networks"),
        [
            f"Do people in this {grouping} feel shut out of new thinking, or are they less "
            "interested in it?",
            "Who in the core could open a regular route for their ideas in?",
            "Is the group's own capacity weak, and what would strengthen it?",
        ],
    )


def _pooled_reach(frame: pd.DataFrame, min_group: int) -> float | None:
    """Share of all non-core tie ends that reach the core, pooled over groups of ``min_group``
    or more (a two-person group's share would otherwise weigh as much as a sector's)."""
    big = frame[frame["people"] >= min_group]
    ends = int(big["tie_ends"].sum())
    return float(big["tie_ends_to_core"].sum() / ends) if ends else None


def _dominant_core(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    closure = analysis.core["closure"]
    if closure["size"] < rules.core_min_size:
        return []
    inward, outward = closure["inward_share"] or 0.0, closure["outward_share"] or 0.0
    dominant = (  # compared as printed, in whole percent
        shown_share(closure["share_of_people"]) <= rules.core_max_share
        and shown_share(inward) >= rules.core_min_inward
    )
    if not (dominant and shown_share(outward) <= rules.core_max_outward):
        return []
    return [
        finding(
            "dominant-core",
            "medium",
            "A small core group dominates and mostly talks to itself",
            f"{closure['size']} people ({closure['share_of_people']:.0%} of the roster) are key "
            f"connectors in most networks; {inward:.0%} of everyone else's nominations name one of "
            f"them, while only {outward:.0%} of their own nominations reach outside the group. This "
            "is a strength for getting things done and a risk of a closed clique that filters "
            "ideas from elsewhere.",
            {
                **closure,
                "thresholds": {
                    "core_max_share": rules.core_max_share,
                    "core_min_inward": rules.core_min_inward,
                    "core_max_outward": rules.core_max_outward,
                },
            },
            seed("Appendix C 4.3.3", 11415, 11466, "clique or cartel"),
            [
                "Is it easy for someone outside the core to get a new idea heard?",
                "Which decisions could be opened to people beyond the core group?",
                "Who is being prepared to take over if members of the core move on?",
            ],
        )
    ]


def _thin_vertical_links(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    links = analysis.layer_links[analysis.layer_links["network"] == ALL]
    links = links[links["density"].notna()]  # a layer with no one in it has no density
    within = {r.from_layer: r.density for r in links[links["kind"] == "horizontal"].itertuples()}
    out = []
    for row in links[links["kind"] == "vertical"].itertuples():
        sides = [within[layer] for layer in (row.from_layer, row.to_layer) if within.get(layer)]
        if not sides:
            continue
        reference = sum(sides) / len(sides)
        if shown(row.density, 3) >= rules.vertical_ratio * shown(reference, 3):
            continue
        quiet = _quiet_layers(analysis, (row.from_layer, row.to_layer), rules)
        out.append(
            finding(
                f"thin-vertical-{row.from_layer}-{row.to_layer}",
                "medium",
                f"Thin links between the {row.from_layer} and {row.to_layer} layers",
                f"Across all networks, ties between these adjacent layers have a density of "
                f"{row.density:.3f}, against {reference:.3f} within them (under "
                f"{rules.vertical_ratio:.0%} of it, placelab's cut): ideas and feedback have "
                "few routes up and down the local innovation system."
                + "".join(
                    f" Only {answered} of the {invited} people in the {layer} layer answered, so "
                    "their own ties are missing and the link may be thicker than it looks."
                    for layer, answered, invited in quiet
                ),
                {
                    "from_layer": row.from_layer,
                    "low_response": [layer for layer, _a, _i in quiet],
                    "to_layer": row.to_layer,
                    "ties": row.ties,
                    "density": row.density,
                    "within_density": reference,
                    "thresholds": {"vertical_ratio": rules.vertical_ratio},
                },
                seed("5.4 and Figure 5", 2324, 2420, "horizontally and vertically"),
                [
                    "Where do ideas from the frontline and from residents reach decision makers today?",
                    "Who already moves between these layers, and could they do more of it?",
                ],
            )
        )
    return out


def _quiet_layers(
    analysis: NetworkAnalysis, layers: tuple[str, str], rules: FindingRules
) -> list[tuple[str, int, int]]:
    """Of ``layers``, those where under ``low_response`` of the people answered (as printed)."""
    people = analysis.data.people
    out = []
    for layer in layers:
        members = people[people["layer"] == layer]
        answered, invited = int(members["responded"].sum()), len(members)
        if invited and shown_share(answered / invited) < rules.low_response:
            out.append((layer, answered, invited))
    return out


def _dependence_on_few(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    steps = analysis.departures[analysis.departures["network"] == ALL]
    if len(steps) < 2:
        return []
    before, after = steps.iloc[0], steps.iloc[-1]
    drop = shown_share(before["reach"]) - shown_share(after["reach"])  # as printed
    worst = analysis.worst_departures
    worst = worst[worst["network"] == ALL] if len(worst) else worst
    rise = (
        float(worst["fragmentation"].iloc[0] - worst["fragmentation_before"].iloc[0])
        if len(worst)
        else 0.0
    )
    rise = shown_share(rise)
    if drop < rules.reach_drop and rise < rules.worst_rise:
        return []
    one = (
        f" One person leaving alone would raise the network's fragmentation by {rise:.0%}."
        if rise >= rules.worst_rise
        else ""
    )
    return [
        finding(
            "dependence-on-few",
            "high",
            "The networks depend on a few people",
            f"If the {int(after['leavers'])} leading key connectors left, the share of people still "
            f"connected to the main network would fall from {before['reach']:.0%} to "
            f"{after['reach']:.0%}.{one} (placelab reads a fall of {rules.reach_drop:.0%} or a "
            f"rise of {rules.worst_rise:.0%} as dependence; the cuts are ours.)",
            {
                "leavers": after["who"],
                "reach_before": before["reach"],
                "reach_after": after["reach"],
                "worst_single_leaver": worst["id"].iloc[0] if len(worst) else None,
                "fragmentation_rise": rise,
                "thresholds": {"reach_drop": rules.reach_drop, "worst_rise": rules.worst_rise},
            },
            seed("Appendix C 4.3.4 and 4.4", 11518, 11575, "turnover of elected members"),
            [
                "What happens to the work if these people change jobs?",
                "Which of their relationships could be shared with a deputy or a partner now?",
            ],
        )
    ]


def _low_response(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    people = analysis.data.people
    out: dict[frozenset, dict] = {}
    for grouping in ("sector", "layer"):
        for group, members in people.groupby(grouping).groups.items():
            invited, answered = len(members), int(people.loc[members, "responded"].sum())
            if invited < rules.min_group or shown_share(answered / invited) >= rules.low_response:
                continue
            same = out.get(frozenset(members))
            if same is not None:  # a layer with exactly a sector's people: one finding
                same["numbers"]["same_as"] = {"grouping": grouping, "group": group}
                same["title"] += f" (the same people as {_name(group, grouping)})"
                continue
            out[frozenset(members)] = finding(
                f"low-response-{grouping}-{group}",
                "high" if answered == 0 else "medium",
                f"Few answers from {_name(group, grouping)}",
                f"{answered} of the {invited} people invited in this {grouping} answered "
                f"({answered / invited:.0%}, under the {rules.low_response:.0%} this study "
                "reads as enough). Their own ties are missing, so the maps understate their place "
                "in the networks; read their position with care.",
                {
                    "grouping": grouping,
                    "group": group,
                    "invited": invited,
                    "answered": answered,
                    "response_rate": answered / invited,
                    "thresholds": {
                        "low_response": rules.low_response,
                        "min_group": rules.min_group,
                    },
                },
                seed("Appendix C 4.3.4", 11491, 11500, "none completed the survey"),
                [
                    f"What stopped people in this {grouping} from answering?",
                    "Could a short conversation or a paper survey reach them?",
                ],
            )
    return list(out.values())


def _misalignment(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    meaning = {
        ("innovation", "expert"): ("info", "a healthy tension between new ideas and expertise"),
        ("strategic", "decision"): (
            "medium",
            "which the report reads as a risk of low confidence in leaders and disengagement",
        ),
    }
    out = []
    for row in analysis.alignment[analysis.alignment["highlighted"]].itertuples():
        severity, reading = meaning[(row.network_a, row.network_b)]
        if row.r is None or not math.isfinite(row.r):
            continue  # a network with no ties (or every tie) has nothing to line up with
        r = shown(row.r, 2)
        if r >= rules.alignment_r and row.p <= rules.alignment_p:
            continue
        significant = row.p <= rules.alignment_p
        how = (
            f"they overlap more than chance would give, but less than the "
            f"{rules.alignment_r:.2f} that placelab takes as aligned (a cut of ours; the report "
            "gives none)"
            if significant
            else f"they overlap no more than chance would give (p above {rules.alignment_p})"
        )
        out.append(
            finding(
                f"misaligned-{row.network_a}-{row.network_b}",
                severity,
                f"The {row.network_a} and {row.network_b} networks "
                f"{'only partly line up' if significant else 'do not line up'}",
                f"Their QAP correlation is {_number(row.r)} (p = {row.p:.3f}): {how}. Many of the "
                "people turned to for one are not those turned to for the other, "
                f"{reading}.",
                {
                    "r": row.r,
                    "p": row.p,
                    "shared_ties": row.shared_ties,
                    "thresholds": {
                        "alignment_r": rules.alignment_r,
                        "alignment_p": rules.alignment_p,
                        "source": DEFAULTS_SOURCE,
                    },
                },
                seed("Appendix C 2.3", 10943, 10960, "strategy is not aligned"),
                [
                    "Do the people who shape strategy take part in the decisions that carry it out?"
                    if row.network_a == "strategic"
                    else "How do new ideas get tested against the experts' knowledge, and vice versa?"
                ],
            )
        )
    return out


def _density_out_of_range(analysis: NetworkAnalysis, rules: FindingRules) -> list[dict]:
    out = []
    for network, (low, high) in rules.density_ranges.items():
        if network not in analysis.summary.index:
            continue
        value = float(analysis.summary.at[network, "density"])
        pool = rules.density_values.get(network)
        if pool:  # read like for like: rounded as the pool's figures are
            value = rounded(value)
        side = band(value, low, high)
        if side == "within":
            continue
        numbers = {
            "network": network,
            "density": value,
            "range": [low, high],
            "range_source": rules.density_source,
        }
        among, digits = "", ".3g" if pool else ".3f"  # a pool keeps three significant figures
        if pool:
            rank = percentile(value, pool)
            numbers.update(percentile=rank, studies=len(pool))
            where = percentile_words(rank, len(pool))
            among = f" Among the {len(pool)} comparable studies it is {where}."
        out.append(
            finding(
                f"density-{network}",
                "medium",
                f"The {network} network is {side} its reference range",
                f"Its density is {value:{digits}}, {side} the range {low:{digits}} to "
                f"{high:{digits}} ({rules.density_source or 'source not given'}).{among} Too "
                "little connection is hard to sustain; too much can mean a clique that blocks "
                "new ideas.",
                numbers,
                seed("Appendix C 2.4", 11082, 11095, "normative ranges"),
                ["Is this network's level of contact what the work needs?"],
            )
        )
    return out


def _name(group: str, grouping: str) -> str:
    """A group as readers name it: a sector by its label, a layer as 'the public layer'."""
    name = label(group)
    return name if grouping == "sector" else f"the {name.lower()} {grouping}"


def _number(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"
