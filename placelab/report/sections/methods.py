"""The report's section "How the numbers were made": methods, settings, provenance, commands.

DESIGN.md promises that every number in a report can be reproduced from the exported data with
the documented method: this section gives the method notes stored with the result and the
diagnosis, every setting and threshold with what it does, the seed, the versions, the inputs'
fingerprints and the ``placelab report`` command that makes the report again from the files the
web's export holds (people.csv, ties.csv, answers.csv). The pseudonymised variant adds what it
can still reveal and what to weigh before sharing it.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from placelab.core.disclosure import OTHER_SECTORS
from placelab.core.networks.parameters import Parameters
from placelab.core.vocabulary import ALL, SECTORS, label
from placelab.report.model import ReportContext, Section

TITLE = "How the numbers were made"
EXPORTED = ("people.csv", "ties.csv", "answers.csv")  # the web's export (views_analysis.export)

NETWORK_METHODS = {
    "tie_direction": "Which way a tie points",
    "symmetrised": "Ties read both ways",
    "density": "Density: how many of the possible ties exist",
    "reciprocity": "Reciprocity: how many ties are returned",
    "key_connectors": "Key connectors: hubs, gatekeepers and pulsetakers",
    "approximation": "Estimated measures",
    "borderline": "Borderline key connectors",
    "ei_index": "E-I index: ties leaving a group against ties inside it",
    "brokerage": "Brokerage between sectors (Gould and Fernandez)",
    "alignment": "How far two networks line up",
    "core_group": "The core group",
    "fragility": "If key people leave",
    "communities": "Communities",
    "layout": "The maps: the sector template",
    "social_capital": "Social capital: leaders, mentors, problem solvers, rising stars",
}
DIAGNOSIS_METHODS = {
    "answers": "Answers",
    "scale_scores": "Scores on each scale",
    "alpha": "Do a scale's statements hang together (Cronbach's alpha)",
    "spread": "How far respondents agree",
    "breakdowns": "By sector, layer and seniority",
    "lifecycle": "The lifecycle phase",
    "triangle": "The strategic triangle",
    "omr": "Opportunity, motivation and resources",
    "methods": "Methods and finance to consider",
    "thresholds": "Thresholds",
}
PARAMETERS = {
    "seed": "Seed for every random step: the same seed gives the same numbers",
    "exact_limit": "Up to this many people every measure is exact; above it some are estimated",
    "samples": "People sampled to estimate closeness above that size",
    "betweenness_error": "Above that size, the most any estimated betweenness may be off "
    "(KADABRA's bound, for everyone at once); by default 0.0008, growing as the square root of "
    "the number of people above 10,000",
    "betweenness_delta": "... with at most this chance that any estimate is further off",
    "betweenness_kadabra_ties": "Above this many ties in a network, betweenness comes from the "
    "sampled people instead, with a standard error from ten batches of them",
    "betweenness_exact_work": "Above that size betweenness stays exact while people times "
    "ties is at most this (exact is then quicker than the estimate)",
    "information_probes": "Probes to estimate information centrality above that size",
    "permutations": "Random reshuffles to test how far two networks line up (QAP)",
    "top_share": "Share of people named key connectors in each role (at least one)",
    "departures": "Key connectors taken out together in the 'if key people leave' test",
    "departure_candidates": "Key connectors tried one at a time as the worst single leaver",
}
RULES = {
    "min_group": "Smallest group broken out in any table or finding",
    "excluded_reach_ratio": "A group is outside the core when it reaches the core at under "
    "this share of the usual rate",
    "excluded_isolated_share": "... or when at least this share of it has no tie",
    "core_min_size": "Smallest core group that others can be outside of",
    "core_max_share": "A dominant core is at most this share of everyone ...",
    "core_min_inward": "... named by the rest at least this often ...",
    "core_max_outward": "... and naming others outside it at most this often",
    "vertical_ratio": "Layers are thinly linked when their ties run at under this share of "
    "the density inside them",
    "reach_drop": "Key people leaving matters when the main connected group shrinks by this "
    "share or more",
    "worst_rise": "... or one leaver raises the share of pairs cut off by this much",
    "low_response": "A group answered too little below this share",
    "alignment_r": "Two networks line up at or above this correlation",
    "alignment_p": "... with a chance result this unlikely at most",
    "excluded_severity_by_phase": "How serious being outside the core is, phase 0 to 4",
    "excluded_severity": "How serious it is when no phase is known",
    "focus_network": "The network exclusion from the core is read in",
}
DIAGNOSIS_PARAMETERS = {
    "seed": "Seed for resampling the respondents",
    "resamples": "Resamples of the respondents behind the phase's confidence",
    "min_group": "Smallest group broken out",
    "min_answered": "Share of a scale's statements a respondent must answer to be scored on it",
    "divided_gap": "Groups this many points apart on a scale are divided",
    "dont_know_share": "A scale with this share of “don't know” answers is flagged",
    "phase_floor": "Mean a phase needs to be named (none set: the agree band, 3.5)",
    "phase_agreement": "At or below this share agreeing most with the phase, views are divided",
    "factor_cuts": "A critical factor scoring below these is a medium, then a high finding",
    "omr_cuts": "Opportunity, motivation and resources below these levels: high, then medium",
    "omr_gap": "The community is behind providers when this far below them",
    "method_weights": "Weights of the four factors in choosing methods (none set: equal)",
    "context": "Factor levels the study stated itself",
}
REVEALS = (
    "A person's place in the networks. Colleagues who know who works with whom can often "
    "recognise someone from their ties alone: the one person in a sector tied to the council's "
    "leadership, or the hub everyone names.",
    "The key connectors and the core group. In a small place the best-connected people are "
    "often known, and a role marked on the map can point to them.",
    "Sector, layer and seniority, shown for each person only where at least {k} people share "
    "the combination; set beside the ties, they can still narrow a person down.",
)
CONSIDER = (
    "Who will read it, and whether they know the people in it well enough to recognise them "
    "from their ties.",
    "What respondents were told when they answered: share the report only as that promise allows.",
    "Whether the summary and the sections by sector and layer would serve these readers, "
    "without the maps and lists of people.",
    "Keeping the copy within the partnership rather than publishing it; people cannot take "
    "back what they were recognised in.",
)


def build(context: ReportContext) -> Section:
    """The method notes, settings, thresholds, provenance and commands (see the docstring)."""
    result, diagnosis = context.result, context.diagnosis or {}
    data = {
        "network_notes": method_notes(result.get("method", {}), NETWORK_METHODS)
        + _pool_note(result),
        "diagnosis_notes": method_notes(diagnosis.get("method", {}), DIAGNOSIS_METHODS),
        "parameters": settings(_parameters(result), PARAMETERS),
        "rules": settings(_rules(result), RULES),
        "density_ranges": density_ranges(result),
        "diagnosis_parameters": settings(diagnosis.get("parameters", {}), DIAGNOSIS_PARAMETERS),
        "provenance": provenance(result, diagnosis),
        "commands": commands(context),
        "pseudonymised": _pseudonymised(context),
    }
    return Section(id="methods", title=TITLE, template="sections/methods.html", data=data)


def method_notes(notes: Mapping[str, Any], titles: Mapping[str, str]) -> list[dict[str, str]]:
    """Each stored method note under a reader's title; nested notes joined into one text."""
    out = []
    if notes.get("exact") is True:
        out.append({"title": "Exact or estimated", "text": "Every measure was computed exactly, "
                    "without sampling."})  # fmt: skip
    for key, value in notes.items():
        if key in ("pseudonymised", "exact") or value in (None, "", {}):
            continue
        out.append({"title": titles.get(key, label(key)), "text": _text(value)})
    return out


def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        parts = [f"{label(k)}: {_text(v)}" if k not in ("rule", "note") else _text(v)
                 for k, v in value.items()]  # fmt: skip
        return " ".join(p if p.endswith(".") else p + "." for p in parts)
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def settings(values: Mapping[str, Any], meanings: Mapping[str, str]) -> list[dict[str, str]]:
    """Each setting with its value as printed and what it does."""
    return [
        {"name": key, "value": _value(value), "meaning": meanings.get(key, label(key))}
        for key, value in values.items()
        if key not in ("source", "density_ranges", "density_source", "density_values")
    ]


def _value(value: Any) -> str:
    if value is None or value == {} or value == []:
        return "not set (the default)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{label(k)} {_value(v)}" for k, v in value.items())
    return str(value)


def _parameters(result: Mapping) -> dict[str, Any]:
    """The analysis' settings, the number of QAP permutations filled in when left to the default
    (999 up to ``exact_limit`` people, 99 above: ``Parameters.permutations_for``)."""
    stored = dict(result.get("parameters") or {})
    if "permutations" in stored and stored["permutations"] is None:
        people = int(result.get("inputs", {}).get("people", 0))
        limit = stored.get("exact_limit", Parameters.exact_limit)
        chosen = Parameters(exact_limit=limit).permutations_for(people)
        stored["permutations"] = f"{chosen} (the default for {people:,} people)"
    return stored


def _rules(result: Mapping) -> dict[str, Any]:
    return dict(result.get("finding_rules") or {})


def density_ranges(result: Mapping) -> dict[str, Any] | None:
    """The reference ranges density was set against, and where they come from; None without."""
    rules = _rules(result)
    ranges = rules.get("density_ranges") or {}
    if not ranges:
        return None
    rows = [{"network": label(n), "low": lo, "high": hi} for n, (lo, hi) in ranges.items()]
    return {"rows": rows, "source": rules.get("density_source", "")}


def _pool_note(result: Mapping) -> list[dict[str, str]]:
    """How the study was read against a reference pool (placelab.core.reference), if it was."""
    pool = result.get("reference")
    if not pool:
        return []
    about = pool["pool"]
    return [{
        "title": "Comparable studies (reference pool)",
        "text": f"The reference pool of {about['source']} ({about['date']}) holds "
        f"{about['studies']:,} studies; {pool['comparable']:,} are comparable with this one, "
        f"studies {pool['basis']}. {pool['method']}",
    }]  # fmt: skip


def provenance(result: Mapping, diagnosis: Mapping) -> list[dict[str, str]]:
    """Seed, versions, the inputs' fingerprints and file names (never their folders)."""
    inputs = result.get("inputs", {})
    rows = [
        {"name": "Seed", "value": str(result.get("parameters", {}).get("seed", 0))},
        {"name": "Files", "value": ", ".join(Path(str(p)).name for p in
                                             (inputs.get("files") or {}).values())},
        {"name": "Fingerprint of people and ties (SHA-256)",
         "value": str(inputs.get("fingerprint", ""))},
    ]  # fmt: skip
    if diagnosis.get("inputs", {}).get("fingerprint"):
        rows.append({"name": "Fingerprint of the answers (SHA-256)",
                     "value": str(diagnosis["inputs"]["fingerprint"])})  # fmt: skip
    if diagnosis.get("bank"):
        rows.append({"name": "Survey statements (item bank)",
                     "value": f"version {diagnosis['bank'].get('version', '')}, "
                     f"{diagnosis['bank'].get('items', '')} statements"})  # fmt: skip
    versions = {**diagnosis.get("versions", {}), **result.get("versions", {})}
    rows.append({"name": "Software", "value": ", ".join(f"{k} {v}" for k, v in versions.items())})
    return [row for row in rows if row["value"]]


def commands(context: ReportContext) -> dict[str, Any]:
    """The ``placelab report`` command that makes this report again from the exported files."""
    result, about = context.result, context.about
    words = ["placelab", "report", "people.csv", "ties.csv"]
    if context.diagnosis is not None:
        words += ["--answers", "answers.csv"]
    networks = [n for n in result.get("inputs", {}).get("networks", []) if n != ALL]
    if networks:
        words += ["--networks", ",".join(networks)]
    seed = result.get("parameters", {}).get("seed", 0)
    if seed:
        words += ["--seed", str(seed)]
    for sector in _extra_sectors(result):
        words += ["--sector", sector]
    if result.get("reference"):
        words += ["--reference", "pool.json"]
    elif _rules(result).get("density_ranges"):
        words += ["--reference", "ranges.json"]
    for option, value in (("--title", about.title), ("--locality", about.locality),
                          ("--field", about.field)):  # fmt: skip
        if value and not (option == "--title" and value == "Innovation networks"):
            words += [option, value]
    if context.pseudonymised:
        words.append("--pseudonymise")
    words += ["--html", "report.html", "--pdf", "report.pdf"]
    caveats = [_caveat(result), _left_out(context.diagnosis or {})]
    return {"line": shlex.join(words), "parts": _parts(words), "files": list(EXPORTED),
            "caveat": " ".join(filter(None, caveats))}  # fmt: skip


def _parts(words: list[str]) -> list[str]:
    """The command in pieces that a narrow screen should not break: each option with its value."""
    parts: list[str] = []
    for word in words:
        joins = parts and parts[-1].startswith("--") and " " not in parts[-1]
        joins = joins and not word.startswith("--")
        quoted = shlex.quote(word)
        parts.append(parts.pop() + " " + quoted if joins else quoted)
    return parts


def _left_out(diagnosis: Mapping) -> str:
    """A note when the survey left groups of statements out, which ``placelab report`` cannot
    say; ``placelab diagnose --exclude-group`` can."""
    groups = (diagnosis.get("bank") or {}).get("excluded_groups") or []
    if not groups:
        return ""
    options = " ".join(f"--exclude-group {shlex.quote(str(g))}" for g in groups)
    return (
        "This survey left out some groups of statements, which the report command cannot be "
        f"told: for the diagnosis alone, run placelab diagnose answers.csv --people people.csv "
        f"--ties ties.csv {options} --json diagnosis.json."
    )


def _extra_sectors(result: Mapping) -> list[str]:
    found = {str(p.get("sector")) for p in result.get("people", []) if p.get("sector")}
    return sorted(found - set(SECTORS) - {OTHER_SECTORS})


def _caveat(result: Mapping) -> str:
    """A note when the analysis used settings the command does not set (it sets only the seed)."""
    stored = dict(result.get("parameters", {}))
    defaults = asdict(Parameters(seed=stored.get("seed", 0)))
    changed = [k for k, v in stored.items() if k in defaults and v != defaults[k]]
    if not changed:
        return ""
    return (
        "This analysis used settings the command does not set ("
        + ", ".join(changed)
        + "): made again with the command, estimated figures may differ slightly."
    )


def _pseudonymised(context: ReportContext) -> dict[str, Any] | None:
    if not context.pseudonymised:
        return None
    k = context.min_group
    return {
        "note": str(context.result.get("method", {}).get("pseudonymised", "")),
        "reveals": [text.format(k=k) for text in REVEALS],
        "consider": list(CONSIDER),
    }
