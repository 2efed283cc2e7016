"""The report's section "Summary": one printed page for a council leader.

Where the place stands (the lifecycle phase and the strategic triangle, NESTA / Young Foundation
2008, chapter 5 and Appendices A and B), the findings that matter most with what to do next, a
few key figures and the map of the innovation network in the sector template (Appendix C 4.2).
Every figure is taken from the result or the diagnosis as stored, and printed as the diagnosis
prints it (:mod:`placelab.core.precision`), so the summary never disagrees with the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from placelab.core.precision import score, shown_share
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.vocabulary import label
from placelab.report.findings import all_findings, severity_rank
from placelab.report.model import ReportContext, Section, cite
from placelab.report.strategic_triangle import path_sentence
from placelab.report.words import share_in_words

TITLE = "Summary"
MOST, FEWEST = 5, 3  # findings shown: up to five, and at least three when there are that many
# Findings the "where the place stands" paragraph already says.
STANDING_FINDINGS = ("phase-", "triangle-weak-")
FOCUS = "innovation"
LONGEST_LEAD = 300  # characters of a finding's first sentence, on a page of five

TRIANGLE = (
    "The strategic triangle weighs three things every change needs: authority (the pressure and "
    "backing that permit change), organisational capacity (the people, skills and management to "
    "deliver it) and value (results that the public and decision makers can see)."
)
NO_DIAGNOSIS = (
    "There is no diagnosis: the study was analysed without the survey's self-assessment "
    "answers, so this report does not say where the place stands in the innovation lifecycle. "
    "Made again with the answers (the command is under How the numbers were made), it will. "
    "The network findings below stand on their own."
)
BANDS = {"absent": "largely absent", "some": "present in some measure", "strong": "strong"}


def build(context: ReportContext) -> Section:
    """The summary's words, figures, findings and map (see the module's docstring)."""
    data = {
        "standing": standing(context.diagnosis),
        "figures": key_figures(context.result),
        "findings": top_findings(context.result, context.diagnosis),
        "map": summary_map(context),
    }
    return Section(id="summary", title=TITLE, template="sections/summary.html", data=data)


# --- where the place stands -------------------------------------------------------------------


def standing(diagnosis: Mapping | None) -> dict[str, Any]:
    """The phase, or why none is named, and the triangle; a plain note without a diagnosis."""
    return {"note": "", "phase": None, "triangle": None, "seed": "", **_standing(diagnosis)}


def _standing(diagnosis: Mapping | None) -> dict[str, Any]:
    if not diagnosis:
        return {"note": NO_DIAGNOSIS}
    if "unavailable" in diagnosis:
        return {"note": f"The diagnosis could not be made: {diagnosis['unavailable']} The network "
                "findings below stand on their own."}  # fmt: skip
    life, triangle = diagnosis.get("lifecycle"), diagnosis.get("triangle")
    if not life and not triangle:
        return {"note": "Too few of the self-assessment statements were answered to place the "
                "lifecycle phase or the strategic triangle."}  # fmt: skip
    agreement = (diagnosis.get("parameters") or {}).get("phase_agreement", 0.5)
    return {
        "phase": phase_words(life, agreement) if life else None,
        "triangle": triangle_words(triangle) if triangle else None,
        "seed": cite((triangle or {}).get("seed")),
    }


def phase_words(life: Mapping, agreement_cut: float) -> dict[str, Any]:
    """The lifecycle phase with its confidence and how many agree, or that none is described."""
    phase = life.get("phase")
    if not phase:
        return {"headline": "No phase of the lifecycle is clearly described", "sentences": [
            _no_phase(life)]}  # fmt: skip
    confidence = life["confidence"]
    resamples = int(confidence["resamples"])
    top = round(confidence["bootstrap_share"] * resamples)
    sentences = [
        f"{confidence['label'].capitalize()} confidence: with the respondents drawn again at "
        f"random, the same phase comes top in {top:,} of {resamples:,} resamples.",
        _agreement(life, agreement_cut),
    ]
    if life.get("runner_up"):
        sentences.append(f"The next closest is {life['runner_up']['name'].lower()}.")
    summary = load_guidance().phase(int(phase["id"])).summary
    return {
        "headline": f"{phase['name']} (phase {phase['id']} of the lifecycle, which runs from 0, "
        "latent, to 4, embedding)",
        "sentences": [summary, *sentences],
        "numbers": {"resamples": resamples, "top": top, "agreement": life["agreement"]},
    }


def _agreement(life: Mapping, cut: float) -> str:
    share, respondents = life["agreement"], int(life["respondents"])
    said = f"{share:.0%} of the {respondents} respondents"
    if shown_share(share) <= cut:
        return (f"But only {said} agree with this phase more than with any other ({cut:.0%} "
                "or fewer counts as divided): people see the place differently, which is worth "
                "settling first.")  # fmt: skip
    return f"{said} agree with this phase more than with any other."


def _no_phase(life: Mapping) -> str:
    leading = life.get("leading") or {}
    mean = next((s["mean"] for s in life.get("scores", []) if s["id"] == leading.get("id")), None)
    closest = ""
    if mean is not None and life.get("floor") is not None:
        closest = (f": the closest, {leading['name'].lower()}, averages {score(mean)} out of 5, "
                   f"short of the {life['floor']:.1f} where agreement begins")  # fmt: skip
    return (
        f"Respondents did not agree, on average, with the statements of any phase{closest}. "
        "So no phase is named, and the strategic triangle is not judged against one."
    )


def triangle_words(triangle: Mapping) -> dict[str, Any]:
    """The weak corner and the path, each explained; the triangle itself in one sentence."""
    sentences = [TRIANGLE]
    weak = triangle.get("weak_corner")
    if weak:
        sentences.append(
            f"Its weak corner is {weak['label']}: it averages {score(weak['mean'])} out of 5, "
            f"{BANDS.get(weak['band'], weak['band'])}, {weak['reason']}."
        )
    else:
        sentences.append("No corner stands out as weak.")
    path = triangle.get("path")
    if path:
        sentences.append(path_sentence(path) or f"Its path is {label(path)}.")
    if triangle.get("reading"):
        sentences.append(triangle["reading"])
    return {"sentences": sentences, "weak_corner": weak["label"] if weak else None, "path": path}


# --- key figures -----------------------------------------------------------------------------


def key_figures(result: Mapping) -> list[dict[str, str]]:
    """People, respondents and response rate, the networks, the core group."""
    inputs = result.get("inputs", {})
    people, respondents = int(inputs.get("people", 0)), int(inputs.get("respondents", 0))
    networks = [n for n in inputs.get("networks", result.get("networks", {})) if n != "all"]
    figures = [{"value": f"{people:,}", "label": "people on the study's list"}]
    if people:
        figures.append({
            "value": f"{respondents:,} ({respondents / people:.0%})",
            "label": f"answered the survey: {share_in_words(respondents, people)}",
        })  # fmt: skip
    figures.append({"value": str(len(networks)), "label": "networks asked about: "
                    + ", ".join(label(n).lower() for n in networks)})  # fmt: skip
    pairs = tied_pairs(result, FOCUS)
    if pairs is not None:
        figures.append({"value": f"{pairs:,}", "label": "pairs of people tied in the innovation "
                        "network (who kicks around new ideas with whom)"})  # fmt: skip
    core = (result.get("core_group") or {}).get("members")
    if core is not None:
        figures.append({"value": str(len(core)), "label": "people in the core group (key "
                        "connectors in most networks)"})  # fmt: skip
    return figures


def tied_pairs(result: Mapping, network: str) -> int | None:
    """How many pairs of people are tied in ``network``, a tie named both ways counted once (as
    the map counts them); None when the study has no such network."""
    ties = (result.get("ties") or {}).get(network)
    if ties is None:
        return None
    return len({frozenset((str(t[0]), str(t[1]))) for t in ties})


# --- the findings that matter most -----------------------------------------------------------


def top_findings(result: Mapping, diagnosis: Mapping | None) -> dict[str, Any]:
    """The three to five most severe findings, one of each kind, with what to do next.

    A kind is a finding's id without the group it is about: three sectors outside the core are
    one finding here, "and 2 more like it", and all three in the report's sections.
    """
    found = [f for f in all_findings(result, diagnosis)
             if not str(f.get("id", "")).startswith(STANDING_FINDINGS)]  # fmt: skip
    kinds: dict[str, list[dict]] = {}
    for finding in found:
        kinds.setdefault(_kind(finding), []).append(finding)
    firsts = sorted((group[0] for group in kinds.values()), key=severity_rank)
    serious = [f for f in firsts if f.get("severity") in ("high", "medium")]
    chosen = (serious if len(serious) >= FEWEST else firsts[:FEWEST])[:MOST]
    return {
        "shown": [_finding(f, len(kinds[_kind(f)]) - 1) for f in chosen],
        "total": len(found),
    }


def _kind(finding: Mapping) -> str:
    key, group = str(finding.get("id", "")), (finding.get("numbers") or {}).get("group")
    return key[: -len(group)] if group and key.endswith(str(group)) else key


def _finding(finding: Mapping, alike: int) -> dict[str, Any]:
    return {
        "id": finding.get("id"),
        "severity": finding.get("severity", "info"),
        "title": finding.get("title", ""),
        "lead": _first_sentence(str(finding.get("text", ""))),
        "next": list(finding.get("questions") or [])[:1],
        "cite": cite(finding.get("seed")),
        "alike": f"and {alike} more like it" if alike else "",
    }


def _first_sentence(text: str, longest: int = LONGEST_LEAD) -> str:
    """A finding's first sentence, the evidence in brief; the sections give the rest. A very
    long one ends at its last clause that fits, so that the summary stays on one page."""
    found = re.search(r"\.\s+(?=[A-Z])", text)
    first = text[: found.start() + 1] if found else text
    if len(first) <= longest:
        return first
    cut = first.rfind("; ", 0, longest)
    return first[:cut] + "; …" if cut > 0 else first


# --- the map ---------------------------------------------------------------------------------


def summary_map(context: ReportContext) -> dict[str, str] | None:
    """The innovation network (or the study's first) in the sector template, with a caption."""
    networks = context.networks
    if not networks:
        return None
    network = FOCUS if FOCUS in networks else networks[0]
    caption = (
        f"The {label(network).lower()} network. Each box is a sector, always in the same place; "
        "people sit in their sector's box, near those they are tied to. Key connectors are "
        "marked by shape as well as colour."
    )
    image = context.map_image(network, caption=f"Map of the {label(network).lower()} network "
                              "in the sector template")  # fmt: skip
    return {**image, "caption": caption, "network": network}
