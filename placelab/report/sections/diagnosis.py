"""The report's section "The diagnosis": where the place stands and what to do next.

It lays out :func:`placelab.core.toolkit.diagnose`'s dict for a reader: the lifecycle phase with
its confidence and how far respondents agree (Appendix A, Step One, Table A1), the strategic
triangle (5.2-5.3, Appendix B, Table B2) with a small figure, PASCAL's opportunity x motivation
x resources, the pitfalls of Table A2 that apply and Step Three's questions, the method and
finance chooser (2.5, 6) with the factors that drive it, the views of sectors, layers and
seniority (never a group under the study's minimum), and how sure the numbers are.

Every judgement (divided views, the weak corner, a pitfall's signal) is the core's: this module
reads the diagnosis and its findings and puts them into words; it never re-decides them. Scores
are printed to one decimal with :func:`placelab.core.precision.score`, the precision the core
judged them at, so no sentence contradicts its figure. Only aggregates are read (the viewer
copy has no per-respondent scores), so both variants say the same, except that the
pseudonymised one does not name the groups held back (naming a group of one would say that its
one member answered).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from placelab.core.citations import citation
from placelab.core.disclosure import shown_groups
from placelab.core.precision import LEVEL, score, shown
from placelab.core.toolkit.findings import STEP_ONE
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.vocabulary import label
from placelab.report.model import ReportContext, Section, cite
from placelab.report.strategic_triangle import (
    NO_PATH_LATENT,
    NO_PATH_UNJUDGED,
    PATHS,
    score_text,
    triangle_figure,
)
from placelab.report.words import share_in_words

TITLE = "The diagnosis"
FEW = 20  # under this many respondents, shares are said as counts ("4 of 8"), with a caution
ALPHA_ACCEPTABLE = 0.7  # the usual rule of thumb for a scale's internal consistency
BAND_WORDS = {"strong": "strong (3.5+)", "some": "some (2.5–3.4)", "absent": "absent (under 2.5)"}
NEED_WORDS = {"strong": "strong", "some": "at least some"}
GROUP_TITLES = {
    "lifecycle": "Phases of the lifecycle",
    "critical_factors": "Critical factors",
    "triangle": "Strategic triangle",
    "omr_providers": "Service providers' conditions",
    "omr_community": "The community's conditions",
    "method_context": "Factors for choosing methods",
}
GROUPING_TITLES = {
    "sector": "By sector",
    "layer": "By layer of the local innovation system",
    "seniority": "By seniority",
}
NOT_JUDGED_STEPS = (
    "Not judged: no phase is clearly described, and Table A2's pitfalls, the conditions for "
    "moving on and the questions of Step Three are each given for a phase."
)
SOURCES = {"survey": "", "given": "set by the study", "unknown": ""}
EXPLAIN = {
    "phase": "The report describes five phases a place goes through as innovation takes hold: "
    "latent, design and discover, mobilisation, mainstreaming and embedding (Table A1). "
    "Respondents rated statements describing each; the phase whose statements they agree with "
    "most is where the answers point, named only if that agreement reaches 3.5.",
    "triangle": "The report sees innovation as needing three things in balance: authority (the "
    "mandate and leadership to back change), organisational capacity (the people, skills, "
    "management and partners to carry it out) and value (results that users and the public can "
    "see). Each feeds the next: authority builds capacity, capacity creates value, and value "
    "strengthens authority. Each phase needs a different balance (Table B2), so the triangle is "
    "read against what the phase needs.",
    "omr": "PASCAL's paper on localism holds that social innovation is more likely where people "
    "have the opportunity, the motivation and the resources to change, and writes it as a "
    "product, for service providers and for the community alike. Each condition's level is its "
    "mean score put on a 0 to 1 scale ((mean - 1) ÷ 4, so 0.50 is an answer of 3). The product "
    "multiplies the three, so one low condition pulls it down however high the others are; the "
    "balanced level is its cube root, back on the scale of one condition.",
    "pitfalls": "Table A2 lists the ways innovation commonly fails in each phase. placelab "
    "flags one when the statements it names score below a threshold (placelab's own, not the "
    "report's), or when the network analysis found what it describes.",
    "methods": "The four factors are how urgent change is, how capital-intensive the service "
    "is, how much power the professions hold, and how much knowledge and evidence there is. A "
    "factor counts only when it is high (3.5 or more) or low (below 2.5). An option's score "
    "adds up what counts for it and against it: above 0 the place's factors on balance suit "
    "it, below 0 they work against it. Each term and the score are rounded to two decimals, so "
    "the terms may add up to 0.01 more or less than the score.",
    "views": "The same scores for each group of respondents, so that you can see where people "
    "stand differently. Each column's heading gives the group's number of respondents; a "
    "figure in brackets beside a score is the number who answered that scale, when fewer did. "
    "placelab calls a scale divided when two groups' means are a point or more apart.",
    "phase_table": "Disagree, neither and agree count the respondents whose own score on a "
    "phase's statements is below 2.5, from 2.5 to 3.4, and 3.5 or more. The middle half is the "
    "range of the middle 50% of those scores (from the lower to the upper quartile): the wider "
    'it is, the more people differ. "Agree with it most" counts each respondent once, at the '
    "phase whose statements they rated highest.",
    "alpha": "Each scale is several statements on one subject. Cronbach's alpha says whether "
    "they hang together: whether people who agree with one tend to agree with the others. "
    "0.70 or more is usually taken as acceptable; below it the scale's score mixes different "
    "things and should be read with care. It is computed pair by pair of statements, over "
    "the people who answered both, so that people asked only some of a scale's statements "
    "count; the number beside it is how many answered two or more. The range after a mean or "
    "an alpha is its 95% interval: the fewer the answers, the wider it is. A dash means too "
    "few people answered the statements together to say. The standard deviation "
    "is how far respondents' scores typically sit from the mean, and the middle half is the "
    "range of the middle 50% of them: wide ones mean that people see it differently, whatever "
    "the mean.",
}


def build(context: ReportContext) -> Section:
    """The section's data: everything a reader sees, decided here (templates only lay it out)."""
    diagnosis = context.diagnosis
    if not context.diagnosed or diagnosis is None:
        data = {"available": False, "unavailable": unavailable_words(diagnosis)}
        return Section(id="diagnosis", title=TITLE, template="sections/diagnosis.html", data=data)
    n = int(diagnosis.get("inputs", {}).get("scored_respondents") or 0)
    findings = {f["id"]: f for f in diagnosis.get("findings", [])}
    scales = {s["id"]: s for s in diagnosis.get("scales", [])}
    data = {
        "available": True,
        "explain": EXPLAIN,
        "intro": intro_words(diagnosis, n),
        "phase": phase_data(diagnosis.get("lifecycle"), scales, findings, n),
        "triangle": triangle_data(diagnosis.get("triangle"), findings),
        "omr": omr_data(diagnosis.get("omr") or {}, findings),
        "steps": steps_data(diagnosis.get("next_steps"), scales),
        "methods": methods_data(diagnosis.get("methods")),
        "views": views_data(diagnosis, scales, context),
        "reliability": reliability_data(diagnosis, n),
    }
    return Section(id="diagnosis", title=TITLE, template="sections/diagnosis.html", data=data)


def unavailable_words(diagnosis: dict | None) -> str:
    """One plain paragraph on why there is no diagnosis."""
    if diagnosis and diagnosis.get("unavailable"):
        why = str(diagnosis["unavailable"]).strip()
        why = why if why.endswith(".") else f"{why}."
        if why[:1].isupper() and not why[1:2].isupper():  # "Too few" -> "too few", not "NHS"
            why = why[:1].lower() + why[1:]
        return (
            f"The diagnosis could not be made: {why} So this report places the study in no "
            "phase of the lifecycle and reads no strategic triangle, conditions for change or "
            "choice of methods; the network evidence in the other sections stands on its own."
        )
    return (
        "No diagnosis was made for this study: the survey's self-assessment statements were "
        "not asked or not answered. So this report places the study in no phase of the "
        "lifecycle and reads no strategic triangle, conditions for change or choice of methods; "
        "the network evidence in the other sections stands on its own."
    )


# --- shares and counts ----------------------------------------------------------------------


def share_words(share: float, n: int) -> str:
    """A share of ``n`` respondents as a reader should meet it: "57% of 92", or "4 of 8"
    when there are too few for a percentage to mean much (a tie counts half, so "4.5 of 8")."""
    if n < FEW:
        count = share * n
        whole = abs(count - round(count)) < 0.01
        return f"{round(count)} of {n}" if whole else f"{count:.1f} of {n}"
    return f"{share:.0%} of {n}"


def short_share(share: float | None, n: int) -> str:
    """A share for a table cell: "57%", or a count "4" when under ``FEW`` respondents."""
    if share is None:
        return "–"
    if n < FEW:
        count = share * n
        return f"{round(count)}" if abs(count - round(count)) < 0.01 else f"{count:.1f}"
    return f"{share:.0%}"


def intro_words(diagnosis: dict, n: int) -> list[str]:
    inputs = diagnosis.get("inputs", {})
    people = inputs.get("people")
    of = f" of the {people:,} people on the roster" if people else ""
    return [
        f"This part rests on the survey's self-assessment: {n:,}{of} answered enough of its "
        "statements to be counted. Each statement was answered from 1 (disagree strongly) to "
        '5 (agree strongly), or "don\'t know"; a score is the mean of those answers.',
        "placelab reads a score below 2.5 as disagreement, 2.5 to 3.4 as neither, and 3.5 or "
        "more as agreement, judged on the score as printed to one decimal. These bands and the "
        "other thresholds below are placelab's conventions, not published norms.",
    ]


# --- the lifecycle phase --------------------------------------------------------------------


def phase_data(lifecycle: dict | None, scales: dict, findings: dict, n: int) -> dict:
    """Step One: the phase (or why none is named), confidence, and the spread of views."""
    if not lifecycle:
        return {"available": False, "text": "Too few people answered the statements of the "
                "lifecycle phases to place the study in one."}  # fmt: skip
    guidance = load_guidance()
    leading = lifecycle["leading"]
    phase = guidance.phase(leading["id"])
    respondents = int(lifecycle.get("respondents") or n)
    data: dict[str, Any] = {
        "available": True,
        "described": bool(lifecycle.get("phase")),
        "name": phase.name,
        "summary": phase.summary,
        "seed": cite(phase.seed),
        "step_one": cite(STEP_ONE),
        "rows": phase_rows(lifecycle, scales),
        "few": respondents < FEW,
        "respondents": respondents,
        "evidence": [
            {"text": e["text"], "mean": score_text(e["mean"]), "answers": e["answers"]}
            for e in leading.get("evidence", [])
        ],
    }
    if data["described"]:
        data["headline"] = f"The answers point to the {phase.name.lower()} phase."
        data["sentences"] = [confidence_words(lifecycle), *runner_up_words(lifecycle)]
    else:
        data["headline"] = "No phase of the lifecycle is clearly described."
        told = findings.get("phase-not-described")
        data["sentences"] = [told["text"] if told else no_phase_words(lifecycle)]
        data["sentences"].append(confidence_words(lifecycle))
    data["sentences"].append(agreement_words(lifecycle, respondents))
    data["divided"] = (
        divided_words(lifecycle, respondents) if "phase-views-divided" in findings else None
    )
    split = findings.get("phase-views-split")
    data["split"] = split["text"] if split else None
    return data


def _mean_of(lifecycle: dict, phase_id: int) -> float | None:
    return next((s["mean"] for s in lifecycle["scores"] if s["id"] == phase_id), None)


def confidence_words(lifecycle: dict) -> str:
    c = lifecycle["confidence"]
    name = lifecycle["leading"]["name"].lower()
    if not lifecycle.get("phase"):
        return (
            f"Of the phases, {name} comes closest in "
            f"{_of_resamples(c['bootstrap_share'], c['resamples'])} resamples of the respondents "
            "(each resample draws the same number of respondents again at random, some twice "
            "and some not at all)."
        )
    which = "it"
    caution = {
        "high": "",
        "moderate": " Read it as likely rather than settled.",
        "low": " A slightly different group of respondents could well point elsewhere.",
    }[c["label"]]
    return (
        f"{c['label'].capitalize()} confidence: {which} comes top in "
        f"{_of_resamples(c['bootstrap_share'], c['resamples'])} resamples of the respondents (each "
        "resample draws the same number of respondents again at random, some twice and some "
        "not at all, to see whether a slightly different group would point to the same "
        f"phase; 90% or more counts as high, 70% as moderate).{caution}"
    )


def runner_up_words(lifecycle: dict) -> list[str]:
    second = lifecycle.get("runner_up")
    if not second:
        return []
    top, other = _mean_of(lifecycle, lifecycle["phase"]["id"]), _mean_of(lifecycle, second["id"])
    if top is None or other is None:
        return []
    c = lifecycle["confidence"]
    share = c.get("runner_up_share")
    came = (f"; it comes top in {_of_resamples(share, c['resamples'])} resamples"
            if share is not None else "")  # fmt: skip
    return [
        f"Runner-up: {second['name'].lower()}, whose statements average {score(other)} out of "
        f"5 against {score(top)} for {lifecycle['phase']['name'].lower()}{came}."
    ]


def _of_resamples(share: float, resamples: int) -> str:
    """ "998 of 1,000": a count, so that 99.8% is never printed as 100%."""
    return f"{round(share * resamples):,} of {resamples:,}"


def no_phase_words(lifecycle: dict) -> str:
    mean = _mean_of(lifecycle, lifecycle["leading"]["id"])
    return (
        f"Respondents did not agree, on average, with the statements of any phase: the closest, "
        f"{lifecycle['leading']['name'].lower()}, averages {score_text(mean)} out of 5, short of the "
        f"{lifecycle['floor']:.1f} where agreement begins."
    )


def agreement_words(lifecycle: dict, n: int) -> str:
    """How many respondents, each on their own answers, agree most with the leading phase."""
    leading = lifecycle["leading"]
    own = {p["id"]: p["share"] for p in lifecycle["own_phase"]}
    top = own.get(leading["id"], 0.0)
    others = sorted((p for p in lifecycle["own_phase"] if p["id"] != leading["id"] and p["share"]),
                    key=lambda p: -p["share"])  # fmt: skip
    rest = ", ".join(f"{short_share(p['share'], n)} with {p['name'].lower()}" for p in others)
    words = "" if n < FEW else f" ({share_in_words(top, 1)})"
    sentence = (
        f"Taken one by one, {share_words(top, n)} respondents{words} agree most with the "
        f"statements of {leading['name'].lower()}"
    )
    counts = [p["share"] * n for p in lifecycle["own_phase"]]
    halves = n < FEW and any(abs(c - round(c)) >= 0.01 for c in counts)
    tie = " A respondent who agrees equally with two phases counts half for each." if halves else ""
    return f"{sentence}; of the rest, {rest}.{tie}" if rest else f"{sentence}.{tie}"


def divided_words(lifecycle: dict, n: int) -> str:
    """The core found views divided (``phase-views-divided``): say how few agree, and that a
    confident average is not agreement."""
    share = lifecycle["agreement"]
    words = "" if n < FEW else f" ({share_in_words(share, 1)})"
    confident = lifecycle["confidence"]["label"] != "low" and lifecycle.get("phase")
    caveat = (
        " The confidence above says that another group like this one would give the same "
        "average; it does not say that people agree."
        if confident
        else ""
    )
    return (
        f"People are divided on where the place stands: only {share_words(share, n)} "
        f"respondents{words} agree most with {lifecycle['leading']['name'].lower()}. The phase "
        "is where the answers point on average, not a view most people share; settle the "
        f"starting point together before choosing what to do.{caveat}"
    )


def phase_rows(lifecycle: dict, scales: dict) -> list[dict]:
    """Each phase: mean, the shares who disagree, are neutral, agree; quartiles; own phase."""
    own = {p["id"]: p["share"] for p in lifecycle["own_phase"]}
    n = int(lifecycle.get("respondents") or 0)
    rows = []
    for s in lifecycle["scores"]:
        scale = scales.get(f"phase_{s['id']}", {})
        views = scale.get("views") or {}
        count = int(scale.get("n") or s.get("respondents") or 0)
        rows.append({
            "name": s["name"],
            "leading": s["id"] == lifecycle["leading"]["id"],
            "mean": score_text(s["mean"]),
            "disagree": short_share(views.get("disagree"), count),
            "neutral": short_share(views.get("neutral"), count),
            "agree": short_share(views.get("agree"), count),
            "middle": _middle(scale.get("quartiles")),
            "own": short_share(own.get(s["id"]), n),
        })  # fmt: skip
    return rows


def _middle(quartiles: list[float] | None) -> str:
    """The middle half of respondents' scores, from the lower to the upper quartile."""
    if not quartiles:
        return "–"
    return f"{score(quartiles[0])} to {score(quartiles[2])}"


# --- the strategic triangle -----------------------------------------------------------------


def triangle_data(triangle: dict | None, findings: dict) -> dict:
    """Corners, links, weak corner, missing links and the path, each label explained."""
    if not triangle:
        return {"available": False, "text": "Too few people answered the statements on "
                "authority, organisational capacity and value to read the triangle."}  # fmt: skip
    guidance = load_guidance()
    judged = triangle.get("phase") is not None
    weak = triangle.get("weak_corner")
    weak_found = findings.get(f"triangle-weak-{weak['corner']}") if weak else None
    return {
        "available": True,
        "judged": judged,
        "phase": guidance.phase(triangle["phase"]).name.lower() if judged else None,
        "cycle_seed": cite(guidance.cycle_seed),
        "figure": triangle_figure(triangle),
        "rows": [
            *(_part_row("Corner", part, judged) for part in triangle["corners"].values()),
            *(_part_row("Link", part, judged) for part in triangle["links"].values()),
        ],
        "weak": (
            {"title": weak_found["title"], "text": weak_found["text"]} if weak_found else None
        ),
        "links": links_words(triangle, findings, judged),
        "path": path_data(triangle, findings, judged),
    }


def _part_row(kind: str, part: dict, judged: bool) -> dict:
    need, short = part.get("needs"), part.get("shortfall") or 0
    if not judged:
        verdict = "no phase to judge against"
    elif not need:
        verdict = "not needed yet in this phase"
    else:
        met = f"falls short by {short:.1f}" if short else "meets it"
        verdict = f"needs {NEED_WORDS[need]}: {met}"
    return {
        "kind": kind,
        "label": part["label"][:1].upper() + part["label"][1:],
        "mean": score_text(part.get("mean")),
        "band": BAND_WORDS.get(part.get("band") or "", "not enough answers"),
        "verdict": verdict,
        "short": bool(judged and need and short),
    }


def links_words(triangle: dict, findings: dict, judged: bool) -> list[str]:
    """The links this phase needs and finds missing, in the core's own findings' words."""
    if not judged:
        return []
    missing = triangle.get("missing_links") or []
    if not missing:
        return ["No link falls short of what this phase needs."]
    out = []
    for key in missing:
        found = findings.get(f"triangle-link-{key}")
        link = triangle["links"][key]
        out.append(f"{found['title']}. {found['text']}" if found else
                   f"A weak link: {link['label']} ({score_text(link['mean'])} out of 5).")  # fmt: skip
    return out


def path_data(triangle: dict, findings: dict, judged: bool) -> dict:
    """The path's label and what it means; never a bare "path: success"."""
    path = triangle.get("path")
    if path in PATHS:
        title, meaning = PATHS[path]
    else:
        title, meaning = NO_PATH_LATENT if judged else NO_PATH_UNJUDGED
    short = [p["label"] for p in (*triangle["corners"].values(), *triangle["links"].values())
             if p.get("shortfall")]  # fmt: skip
    falling = f" Falling short: {', '.join(short)}." if short and path != "failure" else ""
    failure = findings.get("triangle-failure-path")
    reading = failure["text"] if path == "failure" and failure else triangle.get("reading")
    return {
        "title": title,
        "meaning": meaning + falling,
        "reading": reading or "",
        "seed": cite(triangle.get("seed")),
        "severity": "high" if path == "failure" else "medium" if path == "at_risk" else "info",
    }


# --- opportunity x motivation x resources ---------------------------------------------------


def omr_data(omr: dict, findings: dict) -> dict:
    """PASCAL's three conditions for providers and for the community, and which limits."""
    guidance = load_guidance()
    targets = []
    for key, side in omr.items():
        if not isinstance(side, dict) or "levels" not in side:
            continue
        found = findings.get(f"omr-{key}")
        targets.append({
            "label": side["label"][:1].upper() + side["label"][1:],
            "title": found["title"] if found else "",
            "severity": found["severity"] if found else "info",
            "rows": [
                {"condition": c.capitalize(), "mean": score_text(side["means"].get(c)),
                 "level": _level(side["levels"].get(c)), "limiting": c in side["limiting"]}
                for c in ("opportunity", "motivation", "resources")
            ],
            "product": _product_words(side),
            "balanced": _level(side.get("balanced")),
            "missing": [c for c in side.get("missing", [])],
        })  # fmt: skip
    behind = findings.get("omr-community-behind")
    return {
        "targets": targets,
        "behind": f"{behind['title']}. {behind['text']}" if behind else "",
        "seed": cite(citation(guidance.omr["seed"])),
    }


def _product_words(side: dict) -> str:
    if side.get("product") is None:
        return f"Too few answers on {' and '.join(side.get('missing', []))} to take the product."
    return (
        f"Product {_level(side['product'])}; balanced level {_level(side.get('balanced'))} "
        "(0.50 is the middle of the answer scale)."
    )


def _level(value: float | None) -> str:
    return "–" if value is None else f"{shown(value, LEVEL):.2f}"


# --- pitfalls, progression, Step Three ------------------------------------------------------


def steps_data(steps: dict | None, scales: dict) -> dict:
    """Table A2's pitfalls for the phase (and the runner-up's), what they rest on; Step Three."""
    if not steps:
        return {"available": False, "text": NOT_JUDGED_STEPS}
    guidance = load_guidance()
    phase = guidance.phase(steps["phase"]).name.lower()
    pitfalls = [_pitfall(p, steps, scales, guidance) for p in steps["pitfalls"]]
    progression = steps.get("progression") or {}
    to = (progression.get("to") or {}).get("name")
    signalled = [p for p in pitfalls if p["signalled"]]
    runner = any(p["phase"] != steps["phase"] for p in steps["pitfalls"])
    return {
        "available": True,
        "phase": phase,
        "lead": pitfalls_lead(len(signalled), len(pitfalls), phase, runner),
        "signalled": signalled,
        "watch": [p for p in pitfalls if not p["signalled"]],
        "to": to.lower() if to else None,
        "conditions": [{"text": c["text"], "seed": cite(c["seed"])}
                       for c in progression.get("conditions", [])],
        "questions": [{"text": q["text"], "seed": cite(q["seed"])} for q in steps["questions"]],
    }  # fmt: skip


def pitfalls_lead(signalled: int, total: int, phase: str, runner: bool) -> str:
    both = (
        " and of the runner-up phase, listed too because the phase is not settled with high "
        "confidence"
        if runner
        else ""
    )
    if not signalled:
        return f"The answers point to none of the {total} pitfalls of {phase}{both}."
    return f"The answers point to {signalled} of the {total} pitfalls of {phase}{both}:"


def _pitfall(pitfall: dict, steps: dict, scales: dict, guidance: Any) -> dict:
    titles = steps.get("network_titles", {})
    rests = []
    for s in pitfall["signals"]:
        what = (f"the statements on {scales[s['on']]['title'].lower()} average"
                if s["on"] in scales else f"the statement “{s['label'].rstrip('.')}” averages")  # fmt: skip
        rests.append(f"{what} {score(s['mean'])} out of 5, below the {s['below']:.1f} that "
                     "placelab takes as a sign of it")  # fmt: skip
    rests += [
        f"the network finding “{titles.get(n, label(n))}”" for n in pitfall["network_findings"]
    ]
    where = "this phase" if pitfall["phase"] == steps["phase"] else (
        f"the runner-up phase, {guidance.phase(pitfall['phase']).name.lower()}")  # fmt: skip
    return {
        "text": pitfall["text"],
        "where": where,
        "signalled": pitfall["signalled"],
        "rests_on": rests,
        "question": pitfall["question"],
        "seed": cite(pitfall["seed"]),
    }


# --- methods and finance --------------------------------------------------------------------


def methods_data(methods: dict | None) -> dict:
    """The chooser's factors and its ranking, with what drives each option."""
    if not methods:
        return {"available": False}
    factors = [
        {
            "label": f["label"][:1].upper() + f["label"][1:],
            "level": score_text(f.get("level")),
            "reading": _factor_reading(f),
            "source": SOURCES.get(f.get("source"), f.get("source") or ""),
            "seed": cite(f.get("seed")),
        }
        for f in methods["factors"]
    ]
    counting = [f["label"].lower() for f in methods["factors"] if f.get("band") in ("high", "low")]
    return {
        "available": True,
        "note": methods["note"],
        "counting": _counting_words(counting, methods.get("weights", {})),
        "factors": factors,
        "methods": [_option(o) for o in methods["methods"]],
        "finance": [_option(o) for o in methods["finance"]],
        "seed": cite(methods.get("seed")),
    }


def _counting_words(counting: list[str], weights: dict) -> str:
    if not counting:
        return (
            "No factor is high or low here, so the heuristic has nothing to rank the options "
            "by: every score is 0."
        )
    equal = ", weighed equally" if len(set(weights.values())) <= 1 else ""
    return f"So the ranking below turns on {' and '.join(counting)}{equal}."


def _factor_reading(factor: dict) -> str:
    band = factor.get("band")
    if band is None:
        return "not known: too few answers, so it counts for nothing"
    if band == "middling":
        return "middling, so it counts for nothing either way"
    return f"{band}: {factor['reading']}"


def _option(option: dict) -> dict:
    reasons = option.get("reasons", [])
    return {
        "name": option["name"],
        "summary": option["summary"],
        "score": option["score"],
        "for": [_reason(r) for r in reasons if r["contribution"] > 0],
        "against": [_reason(r) for r in reasons if r["contribution"] < 0],
        "seed": cite(option.get("seed")),
    }


def _reason(reason: dict) -> str:
    """One term of the score, its reason without the core's "+ "/"- " mark, and its amount,
    so that a reader can add the terms up to the option's score."""
    amount = f"{reason['contribution']:+.2f}".replace("-", "−")
    return f"{reason['text'][2:]} ({amount})"


# --- views by group -------------------------------------------------------------------------


def views_data(diagnosis: dict, scales: dict, context: ReportContext) -> dict:
    """Scale means by sector, layer and seniority, groups under ``min_group`` held back."""
    views = diagnosis.get("breakdowns") or {}
    rows = visible_rows(views.get("shown", []), scales, context.min_group)
    divided = {(d["grouping"], d["scale"]) for d in views.get("divided", [])}
    tables = [
        _grouping_table(g, [r for r in rows if r["grouping"] == g], scales, divided,
                        views.get("held_back", []), context)
        for g in views.get("groupings", [])
    ]  # fmt: skip
    told = [f"{f['title']}. {f['text']}" for f in diagnosis.get("findings", [])
            if f["id"].startswith("divided-")]  # fmt: skip
    return {
        "available": bool(views.get("groupings")),
        "min_group": context.min_group,
        "tables": [t for t in tables if t["groups"]],
        "empty": [t["title"] for t in tables if not t["groups"]],
        "divided": told,
    }


def visible_rows(rows: list[dict], scales: dict, min_group: int) -> list[dict]:
    """The core's rows, held again to the report's ``min_group`` when it asks for more
    (:func:`placelab.core.disclosure.shown_groups`, with the people left out counted)."""
    by_part: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        by_part[(row["grouping"], row["scale"])].append(row)
    kept = []
    for (_grouping, scale), part in by_part.items():
        total = int(scales.get(scale, {}).get("n") or sum(r["n"] for r in part))
        visible = shown_groups({r["group"]: r["n"] for r in part}, total, min_group=min_group)
        kept += [r for r in part if r["group"] in visible]
    return kept


def _grouping_table(
    grouping: str, rows: list[dict], scales: dict, divided: set, held: list[dict],
    context: ReportContext,
) -> dict:  # fmt: skip
    groups = sorted({r["group"] for r in rows}, key=lambda g: -max(
        r["n"] for r in rows if r["group"] == g))  # fmt: skip
    cells = {(r["scale"], r["group"]): r for r in rows}
    largest = {g: max(r["n"] for r in rows if r["group"] == g) for g in groups}
    table_rows = []
    for scale_id, scale in scales.items():
        if not any((scale_id, g) in cells for g in groups):
            continue
        table_rows.append({
            "group": GROUP_TITLES.get(scale["group"], label(scale["group"])),
            "scale": scale["title"],
            "overall": score_text(scale.get("mean")),
            "cells": [_cell(cells.get((scale_id, g)), largest[g]) for g in groups],
            "divided": (grouping, scale_id) in divided,
        })  # fmt: skip
    return {
        "grouping": grouping,
        "title": GROUPING_TITLES.get(grouping, f"By {label(grouping).lower()}"),
        "groups": [{"label": label(g), "n": largest[g]} for g in groups],
        "rows": table_rows,
        "held": held_words(grouping, held, context),
    }


def _cell(row: dict | None, largest: int) -> str:
    if row is None:
        return "–"
    return (
        score_text(row["mean"])
        if row["n"] == largest
        else f"{score_text(row['mean'])} ({row['n']})"
    )


def held_words(grouping: str, held: list[dict], context: ReportContext) -> str:
    """What the small-group rule held back: named in the full report, never in the other."""
    rows = [h for h in held if h["grouping"] == grouping]
    rule = (
        f"Groups with fewer than {context.min_group} respondents are not shown, nor any group "
        "whose figures would let a smaller one be worked out from the total."
    )
    if not rows:
        return rule
    if context.pseudonymised:
        return rule + " Some respondents are in groups held back for this reason."
    names = sorted({g for h in rows for g in h["groups"]}, key=label)
    most = max(h["respondents"] for h in rows)
    listed = ", ".join(label(g) for g in names)
    return f"{rule} Held back here: {listed} (up to {most} respondents on a scale)."


# --- reliability and uncertainty ------------------------------------------------------------


def reliability_data(diagnosis: dict, n: int) -> dict:
    """Each scale's spread and Cronbach's alpha, and what the numbers cannot say."""
    inputs = diagnosis.get("inputs", {})
    scales = diagnosis.get("scales", [])
    rows = [_scale_row(s) for s in scales]
    people = inputs.get("people")
    missing = people - n if people else None
    return {
        "rows": rows,
        "weak": weak_alpha_words(scales, rows),
        "few": (f"Only {n} people answered: with so few, one or two answers move every "
                "figure in this section, and the percentages are given as counts. Read it as "
                "a starting point for discussion, not a measurement.") if n < FEW else "",
        "missing": (f"{missing:,} people on the roster are not counted here. The figures "
                    "describe those who answered; if those who did not see the place "
                    "differently, no figure here can show it.") if missing else "",
        "resamples": "The confidence in the phase comes from resampling those who answered: it "
        "says how stable the answer is within this group, not how the whole roster would "
        "answer, nor whether the statements of Table A1 fit the place.",
    }  # fmt: skip


def weak_alpha_words(scales: list[dict], rows: list[dict]) -> str:
    """Which scales fall below the usual 0.70, and whether they are the short ones."""
    weak = [(s, r) for s, r in zip(scales, rows, strict=True) if r["alpha_weak"]]
    if not weak:
        return f"Every scale whose alpha can be computed reaches {ALPHA_ACCEPTABLE:.2f}."
    names = "; ".join(r["scale"] for _s, r in weak)
    short = sum(1 for s, _r in weak if (s.get("alpha") or {}).get("items", 0) <= 2)
    said = f"{len(weak)} of the {len(rows)} scales fall below {ALPHA_ACCEPTABLE:.2f}: {names}."
    if short:
        said += (
            f" {short} of them {'has' if short == 1 else 'have'} only two statements, and "
            "alpha runs low on so short a scale; read their scores as rough."
        )
    return said


def _range(interval: list[float] | None, text: Callable[[float], str]) -> str:
    return f"{text(interval[0])} to {text(interval[1])}" if interval else ""


def _scale_row(scale: dict) -> dict:
    alpha = scale.get("alpha") or {}
    value = alpha.get("value")
    weak = value is not None and shown(value, LEVEL) < ALPHA_ACCEPTABLE
    dont_know = scale.get("dont_know_share")
    return {
        "group": GROUP_TITLES.get(scale["group"], label(scale["group"])),
        "scale": scale["title"],
        "n": scale.get("n", 0),
        "mean": score_text(scale.get("mean")),
        "sd": score_text(scale.get("sd")) if scale.get("sd") is not None else "–",
        "middle": _middle(scale.get("quartiles")),
        "dont_know": "–" if dont_know is None else f"{dont_know:.0%}",
        "alpha": "–" if value is None else f"{shown(value, LEVEL):.2f}",
        "alpha_n": alpha.get("respondents", 0),
        # 95% intervals (missing in a diagnosis made before they were reported)
        "mean_range": _range(scale.get("interval"), score_text),
        "alpha_range": _range(alpha.get("interval"), lambda v: f"{shown(v, LEVEL):.2f}"),
        "alpha_weak": weak,
    }
