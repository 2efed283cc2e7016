"""Findings from the self-assessment, in the same shape as the network findings, and one list
that merges both so a reader gets one story.

A finding is ``{id, severity, title, text, numbers, seed, questions}`` (see
``placelab.core.networks.findings``), plus ``origin`` ("toolkit" or "networks"); network
findings that bear on the diagnosis also say ``bears_on``. Thresholds are placelab's defaults,
reported in each finding's numbers.
"""

from __future__ import annotations

from placelab.core.citations import citation
from placelab.core.disclosure import MIN_GROUP
from placelab.core.networks.findings import finding as network_finding
from placelab.core.networks.findings import graded
from placelab.core.precision import LEVEL, score, shown, shown_share
from placelab.core.toolkit.guidance import Guidance
from placelab.core.vocabulary import label

SEVERITY = {"high": 0, "medium": 1, "low": 2, "info": 3}
AGREEMENT_CUT = 0.5  # half or fewer agreeing most with the leading phase is "divided"
SPLIT_DISTANCE = 2  # a runner-up this many phases from the top is "split"
FACTOR_CUTS = (3.0, 2.5)  # a critical factor below the middle (medium), or absent (high)
OMR_CUTS = (0.25, 0.5)  # balanced level: high below the first, medium below the second
OMR_GAP = 0.1  # the community this far behind providers
PLURAL = {"sector": "sectors", "layer": "layers", "seniority": "levels of seniority"}
MIDDLE = 0.5  # a condition's level at the middle of the answer scale (an answer of 3)
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


def merge_findings(
    toolkit: list[dict], network: list[dict] | None, phase: int | None = None
) -> list[dict]:
    """Toolkit findings and the network findings that bear on the diagnosis, most severe first.

    A network finding whose weight depends on the phase (exclusion, Appendix C 4.3.4) takes the
    severity it gives for ``phase``. The sort is stable, so within a severity the toolkit's
    order (phase, triangle, pitfalls, factors, conditions) comes first, then the network
    findings in their own order.
    """
    bearing = []
    for found in network or []:
        reason = next((v for k, v in BEARING.items() if found["id"].startswith(k)), None)
        if reason:
            bearing.append({**graded(found, phase), "origin": "networks", "bears_on": reason})
    return sorted([*toolkit, *bearing], key=lambda f: SEVERITY[f["severity"]])


def phase_findings(
    lifecycle: dict | None,
    guidance: Guidance,
    steps: dict | None,
    *,
    agreement_cut: float = AGREEMENT_CUT,
) -> list[dict]:
    """The phase (or why none is named), and whether respondents hang together on it."""
    if lifecycle is None:
        return []
    out = [_phase_named(lifecycle, guidance, steps) if lifecycle["phase"]
           else _no_phase(lifecycle, guidance)]  # fmt: skip
    if shown_share(lifecycle["agreement"]) <= agreement_cut:
        out.append(_divided_on_phase(lifecycle, agreement_cut))
    split = _split(lifecycle, guidance)
    if split:
        out.append(split)
    return out


def _phase_named(lifecycle: dict, guidance: Guidance, steps: dict | None) -> dict:
    top, second = lifecycle["phase"], lifecycle["runner_up"]
    phase = guidance.phase(top["id"])
    means = {s["id"]: s["mean"] for s in lifecycle["scores"]}
    confidence = lifecycle["confidence"]
    runner = (
        f", against {score(means[second['id']])} for {second['name'].lower()}, the runner-up"
        if second and means[second["id"]] is not None
        else ""
    )
    return finding(
        f"phase-{phase.key}",
        "info",
        f"The place looks to be in the {phase.name.lower()} phase",
        f"{phase.summary} Its statements drew a mean agreement of {score(means[phase.id])} out "
        f"of 5{runner}. The same phase came top in {confidence['bootstrap_share']:.0%} of "
        f"{confidence['resamples']} resamples of the respondents ({confidence['label']} "
        f"confidence); {lifecycle['agreement']:.0%} of respondents agree with it most.",
        {k: lifecycle[k] for k in ("scores", "margin", "confidence", "agreement", "floor")},
        phase.seed,
        [q["text"] for q in (steps or {}).get("questions", [])],
    )


def _no_phase(lifecycle: dict, guidance: Guidance) -> dict:
    leading = lifecycle["leading"]
    mean = next(s["mean"] for s in lifecycle["scores"] if s["id"] == leading["id"])
    return finding(
        "phase-not-described",
        "medium",
        "No phase of the lifecycle is clearly described",
        f"Respondents did not agree, on average, with the statements of any phase: the closest, "
        f"{leading['name'].lower()}, averages {score(mean)} out of 5, short of the "
        f"{lifecycle['floor']:.1f} where agreement begins on the answer scale. placelab names no "
        "phase, and so judges neither the strategic triangle nor the pitfalls against one. Table "
        "A1's descriptions may not fit this place, or people may see it too differently.",
        {k: lifecycle[k] for k in ("scores", "confidence", "agreement", "floor", "leading")},
        STEP_ONE,
        ["Which of the phase descriptions comes closest for each group, and what is missing "
         "from it?",
         "Would a workshop with the people who answered settle where the place stands?"],
    )  # fmt: skip


def _divided_on_phase(lifecycle: dict, cut: float) -> dict:
    spread = ", ".join(
        f"{p['name'].lower()} {p['share']:.0%}" for p in lifecycle["own_phase"] if p["share"]
    )
    leading = lifecycle["leading"]["name"].lower()
    return finding(
        "phase-views-divided",
        "medium",
        "People disagree about where the place stands",
        f"Only {lifecycle['agreement']:.0%} of respondents agree most with {leading}, the phase "
        f"the answers as a whole point to ({cut:.0%} or fewer counts as divided). Each "
        f"respondent's own reading: {spread}. Disagreement about the starting point is worth "
        "settling before choosing what to do.",
        {"own_phase": lifecycle["own_phase"], "agreement": lifecycle["agreement"],
         "thresholds": {"agreement": cut}},
        STEP_ONE,
        ["Who sees the place further along, and who further back, and what do they each see?",
         "Which evidence would settle where the place stands?"],
    )  # fmt: skip


def _split(lifecycle: dict, guidance: Guidance) -> dict | None:
    """A runner-up two or more phases from the top, itself not disagreed with on average."""
    top, second = lifecycle["leading"], lifecycle["second"]
    if second is None or abs(top["id"] - second["id"]) < SPLIT_DISTANCE:
        return None
    means = {s["id"]: s["mean"] for s in lifecycle["scores"]}
    if means[second["id"]] is None or shown(means[second["id"]]) < guidance.bands[0]:
        return None
    return finding(
        "phase-views-split",
        "medium",
        "The answers point to two phases that are far apart",
        f"After {top['name'].lower()} ({score(means[top['id']])} out of 5), the phase most agreed "
        f"with is {second['name'].lower()} ({score(means[second['id']])}), "
        f"{abs(top['id'] - second['id'])} phases away. The lifecycle runs in order, so answers "
        "that describe both at once come from people who see different places, or different "
        "services, rather than one place between two phases.",
        {"leading": top["id"], "second": second["id"], "scores": lifecycle["scores"],
         "thresholds": {"distance": SPLIT_DISTANCE, "second_at_least": guidance.bands[0]}},
        STEP_ONE,
        ["Which services or groups describe the earlier phase, and which the later one?",
         "Is the place at different phases in different services, and should each be "
         "diagnosed on its own?"],
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
                f"The statements on this link average {score(link['mean'])} out of 5; the phase "
                f"needs it at least '{link['needs']}' (from "
                f"{guidance.threshold(link['needs']):.1f}). In the report's model each corner "
                "feeds the next, and a broken link stops the cycle.",
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
    # A corner the phase does not ask for (value before mobilisation, Table B2) is for
    # information: it is where the next phase will need work, not a fault today.
    severity = (
        "info" if not weak["needs"] else "high" if triangle["path"] == "failure" else "medium"
    )
    return finding(
        f"triangle-weak-{weak['corner']}",
        severity,
        f"{weak['label'].capitalize()} is the weak corner of the strategic triangle",
        f"Its statements average {score(weak['mean'])} out of 5 ({weak['reason']}){need}.",
        {"corner": weak["corner"], "mean": weak["mean"], "band": weak["band"],
         "needs": weak["needs"], "next_needs": weak.get("next_needs"),
         "shortfall": weak["shortfall"],
         "corners": {k: c["mean"] for k, c in triangle["corners"].items()}},
        need_seed or guidance.cycle_seed,
        guidance.corners[weak["corner"]].get("questions", []),
    )  # fmt: skip


def pitfall_findings(steps: dict | None) -> list[dict]:
    if not steps:
        return []
    out = []
    for pitfall in steps["pitfalls"]:
        if not pitfall["signalled"]:
            continue
        both = pitfall["signals"] and pitfall["network_findings"]
        evidence = [f"'{s['label']}' averages {score(s['mean'])} (below {s['below']:.1f})"
                    for s in pitfall["signals"]]  # fmt: skip
        titles = steps.get("network_titles", {})
        evidence += [
            f"the network finding '{titles.get(n, n)}'" for n in pitfall["network_findings"]
        ]
        where = "this phase" if pitfall["phase"] == steps["phase"] else "the runner-up phase"
        out.append(
            finding(
                f"pitfall-{pitfall['id']}",
                "high" if both else "medium",
                f"A known pitfall: {pitfall['text'][0].lower()}{pitfall['text'][1:]}",
                f"This is a way innovation fails in {where}, and the answers point to it: "
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


def factor_findings(
    means: dict[str, float | None],
    guidance: Guidance,
    *,
    cuts: tuple[float, float] = FACTOR_CUTS,
    notes: dict[str, str] | None = None,
) -> list[dict]:
    """A critical factor averaging below ``cuts[0]`` (medium), or below ``cuts[1]`` (high)."""
    medium, high = cuts
    out = []
    for factor in guidance.factors:
        mean = means.get(factor["scale"])
        if mean is None or shown(mean) >= medium:
            continue
        note = (notes or {}).get(factor["scale"], "")
        out.append(
            finding(
                f"factor-{factor['scale'].removeprefix('factor_')}",
                "high" if shown(mean) < high else "medium",
                factor["title"],
                f"{factor['text']} Here the statements average {score(mean)} out of 5, below "
                f"{medium:.1f}.{' ' + note if note else ''}",
                {
                    "scale": factor["scale"],
                    "mean": mean,
                    "thresholds": {"medium": medium, "high": high},
                },
                factor["seed"],
                factor["questions"],
            )
        )
    return out


def omr_findings(
    omr: dict, guidance: Guidance, *, cuts: tuple[float, float] = OMR_CUTS, gap: float = OMR_GAP
) -> list[dict]:
    """Per target, the balanced level of PASCAL's three conditions and what limits it.

    A condition is said to hold change back only when its level, as printed, is below the middle
    of the scale (0.5, an answer of 3); otherwise the finding says the conditions are there.
    """
    high, medium = cuts
    out = []
    for target, scores in omr.items():
        if scores["balanced"] is None:
            continue
        balanced, limits = shown(scores["balanced"], LEVEL), scores["limiting"]
        severity = "high" if balanced < high else "medium" if balanced < medium else "info"
        out.append(
            finding(
                f"omr-{target}",
                severity,
                _omr_title(scores),
                f"Opportunity, motivation and resources stand at "
                f"{', '.join(f'{v:.2f}' for v in scores['levels'].values())} on a 0-1 scale "
                f"(0.50 is the middle of the answer scale); their product is "
                f"{scores['product']:.2f}, a balanced level of {balanced:.2f}. A product is only "
                "as strong as its weakest term.",
                {**scores, "thresholds": {"high": high, "medium": medium, "middle": MIDDLE}},
                citation(guidance.omr["sections"][limits[0]]),
                [guidance.omr["questions"][k] for k in limits],
            )
        )
    if "providers" in omr and "community" in omr and shown(_gap(omr), LEVEL) >= gap:
        out.append(
            finding(
                "omr-community-behind",
                "medium",
                "The community has less room to innovate than service providers",
                f"The community's balanced level is {omr['community']['balanced']:.2f}, against "
                f"{omr['providers']['balanced']:.2f} for providers, {gap:.2f} or more apart. "
                "Change that relies on the community as well as on providers will stall where it "
                "is weakest.",
                {
                    "providers": omr["providers"]["balanced"],
                    "community": omr["community"]["balanced"],
                    "thresholds": {"gap": gap},
                },
                BOTH_GROUPS,
                ["What would give residents and community groups a real part in the change?"],
            )  # fmt: skip
        )
    return out


def _omr_title(scores: dict) -> str:
    limits, label = scores["limiting"], scores["label"]
    lowest = min(v for v in scores["levels"].values() if v is not None)
    names = _words(limits)
    if shown(lowest, LEVEL) < MIDDLE:
        verb = "is what holds" if len(limits) == 1 else "are what hold"
        return f"For {label}, {names} {verb} change back"
    if len(limits) == len(scores["levels"]):
        return f"For {label}, opportunity, motivation and resources are all at or above the middle"
    return (
        f"For {label}, opportunity, motivation and resources are all at or above the middle; "
        f"{names} {'is' if len(limits) == 1 else 'are'} the lowest"
    )


def _words(names: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _gap(omr: dict) -> float:
    a, b = omr["providers"]["balanced"], omr["community"]["balanced"]
    return 0.0 if a is None or b is None else a - b


def view_findings(
    divided: list[dict],
    scales: list[dict],
    dont_know: float,
    *,
    min_group: int = MIN_GROUP,
    gap: float = 1.0,
) -> list[dict]:
    titles = {s["id"]: s["title"] for s in scales}
    out = []
    for grouping in dict.fromkeys(d["grouping"] for d in divided):
        rows = [d for d in divided if d["grouping"] == grouping]
        listed = "; ".join(
            f"{titles[d['scale']]}: {label(d['highest']['group'])} "
            f"{score(d['highest']['mean'])}, {label(d['lowest']['group'])} "
            f"{score(d['lowest']['mean'])}"
            for d in rows
        )
        out.append(
            finding(
                f"divided-{grouping}", "medium", f"Views differ by {grouping}",
                f"Groups of {min_group} or more respondents see these differently, by "
                f"{gap:g} point{'' if gap == 1 else 's'} or more out of 5: {listed}. Where "
                "people stand shapes what they see; the gap is itself a finding.",
                {"grouping": grouping, "scales": rows,
                 "thresholds": {"min_group": min_group, "gap": gap}}, STEP_ONE,
                [f"Why might people in different {PLURAL.get(grouping, grouping)} read the place "
                 "so differently?"],
            )
        )  # fmt: skip
    unknown = [s for s in scales if shown_share(s["dont_know_share"] or 0) >= dont_know]
    if unknown:
        out.append(
            finding(
                "dont-know", "low", "Many people could not say",
                f"{dont_know:.0%} or more answered \"don't know\" on: "
                + ", ".join(f"{s['title']} ({s['dont_know_share']:.0%})" for s in unknown)
                + ". Not knowing is telling: these are things people cannot see from where they are.",
                {"scales": {s["id"]: s["dont_know_share"] for s in unknown},
                 "thresholds": {"dont_know_share": dont_know}},
                STEP_ONE,
                ["How could what happens here be made visible to the people who answered?"],
            )
        )  # fmt: skip
    return out
