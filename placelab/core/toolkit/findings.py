"""Findings from the self-assessment, in the same shape as the network findings, and one list
that merges both so a reader gets one story.

A finding is ``{id, severity, title, text, numbers, seed, questions}`` (see
``placelab.core.networks.findings``), plus ``origin`` ("toolkit" or "networks"); network
findings that bear on the diagnosis also say ``bears_on``. Thresholds are placelab's defaults,
reported in each finding's numbers.
"""

from __future__ import annotations

from placelab.core.citations import citation
from placelab.core.networks.findings import finding as network_finding
from placelab.core.toolkit.guidance import Guidance

SEVERITY = {"high": 0, "medium": 1, "low": 2, "info": 3}
STEP_ONE = citation(
    {"section": "Appendix A, Step One", "lines": [3010, 3016], "anchor": "where you sit within"}
)
BOTH_GROUPS = citation(
    {"doc": "pascal", "section": "The scope of Innovation", "lines": [138, 144],
     "anchor": "both amongst service providers"}
)  # fmt: skip
BEARING = {
    "excluded-": "organisational capacity, which includes partnerships (Table B2), and PASCAL's "
    "resources and motivation, which non-traditional partnerships bring",
    "dependence-on-few": "the pitfall of innovation that depends on a few individuals (Table A2)",
    "dominant-core": "authority held by a closed few, and the pitfall of dependence on individuals",
    "thin-vertical-": "the link from value back to authority: ideas and feedback need routes up "
    "to those who decide",
    "misaligned-strategic-decision": "authority: those who shape strategy are not those who decide",
}


def finding(key: str, severity: str, title: str, text: str, numbers: dict, seed: dict,
            questions: list[str]) -> dict:  # fmt: skip
    """A finding in the network findings' shape, marked as the toolkit's."""
    made = network_finding(key, severity, title, text, numbers, seed, questions)
    return {**made, "origin": "toolkit"}


def merge_findings(toolkit: list[dict], network: list[dict] | None) -> list[dict]:
    """Toolkit findings and the network findings that bear on the diagnosis, most severe first.

    The sort is stable, so within a severity the toolkit's order (phase, triangle, pitfalls,
    factors, conditions) comes first, then the network findings in their own order.
    """
    bearing = []
    for found in network or []:
        reason = next((v for k, v in BEARING.items() if found["id"].startswith(k)), None)
        if reason:
            bearing.append({**found, "origin": "networks", "bears_on": reason})
    return sorted([*toolkit, *bearing], key=lambda f: SEVERITY[f["severity"]])


def phase_findings(lifecycle: dict | None, guidance: Guidance, steps: dict | None) -> list[dict]:
    if lifecycle is None:
        return []
    top, second = lifecycle["phase"], lifecycle["runner_up"]
    phase = guidance.phase(top["id"])
    means = {s["id"]: s["mean"] for s in lifecycle["scores"]}
    confidence = lifecycle["confidence"]
    runner = (
        f", against {means[second['id']]:.1f} for {second['name'].lower()}, the runner-up"
        if second and means[second["id"]] is not None
        else ""
    )
    out = [
        finding(
            f"phase-{phase.key}",
            "info",
            f"The place looks to be in the {phase.name.lower()} phase",
            f"{phase.summary} Its statements drew a mean agreement of {means[phase.id]:.1f} out "
            f"of 5{runner}. The same phase came top in {confidence['bootstrap_share']:.0%} of "
            f"{confidence['resamples']} resamples of the respondents ({confidence['label']} "
            f"confidence); {lifecycle['agreement']:.0%} of respondents agree with it most.",
            {k: lifecycle[k] for k in ("scores", "margin", "confidence", "agreement")},
            phase.seed,
            [q["text"] for q in (steps or {}).get("questions", [])],
        )
    ]
    if lifecycle["agreement"] < 0.5:
        out.append(_divided_on_phase(lifecycle))
    return out


def _divided_on_phase(lifecycle: dict) -> dict:
    spread = ", ".join(
        f"{p['name'].lower()} {p['share']:.0%}" for p in lifecycle["own_phase"] if p["share"]
    )
    return finding(
        "phase-views-divided",
        "medium",
        "People disagree about where the place stands",
        f"Fewer than half the respondents see the place most in the phase the group as a whole "
        f"points to. Each respondent's own reading: {spread}. Disagreement about the starting "
        "point is worth settling before choosing what to do.",
        {"own_phase": lifecycle["own_phase"], "agreement": lifecycle["agreement"],
         "thresholds": {"agreement": 0.5}},
        STEP_ONE,
        ["Who sees the place further along, and who further back, and what do they each see?",
         "Which evidence would settle where the place stands?"],
    )  # fmt: skip


def triangle_findings(triangle: dict | None, guidance: Guidance) -> list[dict]:
    if triangle is None:
        return []
    out = []
    if triangle["path"] == "failure":
        short = [p["label"] for p in (*triangle["corners"].values(), *triangle["links"].values())
                 if p["shortfall"]]  # fmt: skip
        out.append(
            finding(
                "triangle-failure-path",
                "high",
                "The strategic triangle looks like the failure path for this phase",
                f"{triangle['reading']} Falling short here: {', '.join(short)}.",
                {
                    "phase": triangle["phase"],
                    "corners": triangle["corners"],
                    "links": triangle["links"],
                },
                triangle["seed"],
                ["Which of these could be strengthened first, and by whom?"],
            )  # fmt: skip
        )
    weak = triangle["weak_corner"]
    if weak:
        out.append(_weak_corner(weak, triangle, guidance))
    for key in triangle["missing_links"]:
        link = triangle["links"][key]
        out.append(
            finding(
                f"triangle-link-{key}",
                "medium",
                f"A weak link: {link['label']}",
                f"The statements on this link average {link['mean']:.1f} out of 5; the phase "
                f"needs it at least '{link['needs']}'. In the report's model each corner feeds "
                "the next, and a broken link stops the cycle.",
                {**link, "bands": list(guidance.bands)},
                guidance.cycle_seed,
                guidance.links[key].get("questions", []),
            )
        )
    return out


def _weak_corner(weak: dict, triangle: dict, guidance: Guidance) -> dict:
    need = f"; this phase needs it at least '{weak['needs']}'" if weak["needs"] else ""
    if not weak["needs"] and weak.get("next_needs"):
        need = (
            f"; this phase does not depend on it yet, but the next needs it at least "
            f"'{weak['next_needs']}'"
        )
    need_seed = guidance.needs[triangle["phase"]].seed if triangle["phase"] is not None else None
    return finding(
        f"triangle-weak-{weak['corner']}",
        "high" if triangle["path"] == "failure" else "medium",
        f"{weak['label'].capitalize()} is the weak corner of the strategic triangle",
        f"Its statements average {weak['mean']:.1f} out of 5 ({weak['reason']}){need}.",
        {"corner": weak["corner"], "mean": weak["mean"], "band": weak["band"],
         "needs": weak["needs"], "next_needs": weak.get("next_needs"),
         "shortfall": weak["shortfall"],
         "corners": {k: c["mean"] for k, c in triangle["corners"].items()}},
        need_seed or guidance.cycle_seed,
        guidance.corners[weak["corner"]].get("questions", []),
    )  # fmt: skip


def pitfall_findings(steps: dict | None) -> list[dict]:
    out = []
    for pitfall in (steps or {}).get("pitfalls", []):
        if not pitfall["signalled"]:
            continue
        both = pitfall["signals"] and pitfall["network_findings"]
        evidence = [f"'{s['label']}' averages {s['mean']:.1f} (below {s['below']:.1f})"
                    for s in pitfall["signals"]]  # fmt: skip
        evidence += [f"the network finding '{n}'" for n in pitfall["network_findings"]]
        out.append(
            finding(
                f"pitfall-{pitfall['id']}",
                "high" if both else "medium",
                f"A known pitfall: {pitfall['text'][0].lower()}{pitfall['text'][1:]}",
                f"This is a way innovation fails in this phase, and the answers point to it: "
                f"{'; '.join(evidence)}.",
                {
                    "phase": pitfall["phase"],
                    "signals": pitfall["signals"],
                    "network_findings": pitfall["network_findings"],
                },
                pitfall["seed"],
                [pitfall["question"]],
            )  # fmt: skip
        )
    return out


def factor_findings(means: dict[str, float | None], guidance: Guidance) -> list[dict]:
    out = []
    for factor in guidance.factors:
        mean = means.get(factor["scale"])
        if mean is None or mean >= 3.0:
            continue
        out.append(
            finding(
                f"factor-{factor['scale'].removeprefix('factor_')}",
                "high" if mean < 2.5 else "medium",
                factor["title"],
                f"{factor['text']} Here the statements average {mean:.1f} out of 5.",
                {
                    "scale": factor["scale"],
                    "mean": mean,
                    "thresholds": {"medium": 3.0, "high": 2.5},
                },
                factor["seed"],
                factor["questions"],
            )
        )
    return out


def omr_findings(omr: dict, guidance: Guidance) -> list[dict]:
    out = []
    for target, scores in omr.items():
        if scores["balanced"] is None:
            continue
        balanced, limits = scores["balanced"], scores["limiting"]
        severity = "high" if balanced < 0.25 else "medium" if balanced < 0.5 else "info"
        out.append(
            finding(
                f"omr-{target}",
                severity,
                f"For {scores['label']}, {' and '.join(limits)} is what holds change back",
                f"Opportunity, motivation and resources stand at "
                f"{', '.join(f'{v:.2f}' for v in scores['levels'].values())} on a 0-1 scale; "
                f"their product is {scores['product']:.2f}, a balanced level of {balanced:.2f}. "
                "A product is only as strong as its weakest term.",
                {**scores, "thresholds": {"high": 0.25, "medium": 0.5}},
                citation(guidance.omr["sections"][limits[0]]),
                [guidance.omr["questions"][k] for k in limits],
            )
        )
    if _gap(omr) >= 0.1:
        out.append(
            finding(
                "omr-community-behind",
                "medium",
                "The community has less room to innovate than service providers",
                f"The community's balanced level is {omr['community']['balanced']:.2f}, against "
                f"{omr['providers']['balanced']:.2f} for providers. Change that relies on the "
                "community as well as on providers will stall where it is weakest.",
                {
                    "providers": omr["providers"]["balanced"],
                    "community": omr["community"]["balanced"],
                    "thresholds": {"gap": 0.1},
                },
                BOTH_GROUPS,
                ["What would give residents and community groups a real part in the change?"],
            )  # fmt: skip
        )
    return out


def _gap(omr: dict) -> float:
    if "providers" not in omr or "community" not in omr:
        return 0.0
    a, b = omr["providers"]["balanced"], omr["community"]["balanced"]
    return 0.0 if a is None or b is None else a - b


def view_findings(divided: list[dict], scales: list[dict], dont_know: float) -> list[dict]:
    titles = {s["id"]: s["title"] for s in scales}
    out = []
    for grouping in dict.fromkeys(d["grouping"] for d in divided):
        rows = [d for d in divided if d["grouping"] == grouping]
        listed = "; ".join(
            f"{titles[d['scale']]}: {d['highest']['group']} {d['highest']['mean']:.1f}, "
            f"{d['lowest']['group']} {d['lowest']['mean']:.1f}"
            for d in rows
        )
        out.append(
            finding(
                f"divided-{grouping}", "medium", f"Views differ by {grouping}",
                f"Groups of five or more see these differently, by a point or more out of 5: "
                f"{listed}. Where people stand shapes what they see; the gap is itself a finding.",
                {"grouping": grouping, "scales": rows}, STEP_ONE,
                [f"Why might people of different {grouping} read the place so differently?"],
            )
        )  # fmt: skip
    unknown = [s for s in scales if (s["dont_know_share"] or 0) >= dont_know]
    if unknown:
        out.append(
            finding(
                "dont-know", "low", "Many people could not say",
                "A large share answered \"don't know\" on: "
                + ", ".join(f"{s['title']} ({s['dont_know_share']:.0%})" for s in unknown)
                + ". Not knowing is telling: these are things people cannot see from where they are.",
                {"scales": {s["id"]: s["dont_know_share"] for s in unknown},
                 "thresholds": {"dont_know_share": dont_know}},
                STEP_ONE,
                ["How could what happens here be made visible to the people who answered?"],
            )
        )  # fmt: skip
    return out
