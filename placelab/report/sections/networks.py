"""The report's section "The networks": each network's question, map and figures, its density
set against reference ranges when the study has them (NESTA / Young Foundation 2008,
Appendix C 2.4), and how far the networks line up (Appendix C 2.3).

Words and numbers are decided here; the template lays them out. Every figure is a network-level
one that the viewer copy keeps (:mod:`placelab.core.pseudonymise`), so both variants show the
same figures and name no one.
"""

from __future__ import annotations

import math
from typing import Any

from placelab.core.networks.findings import FindingRules, seed
from placelab.core.precision import shown
from placelab.core.reference import BAND_LABELS, FIGURE_LABELS, percentile_words, too_few
from placelab.core.vocabulary import QUESTIONS, label
from placelab.report.model import ReportContext, Section, cite
from placelab.report.words import NUMBER_WORDS, share_in_words

TITLE = "The networks"
DENSITY_SEED = seed("Appendix C 2.4", 11082, 11095, "normative ranges")
ALIGNMENT_SEED = seed("Appendix C 2.3", 10943, 10960, "strategy is not aligned")
# What the source reads into the two pairs it names (Appendix C 2.3), lined up or not.
PAIR_MEANING: dict[tuple[str, str], dict[str, str]] = {
    ("innovation", "expert"): {
        "aligned": "People kick around new ideas with the same people they turn to for "
        "expertise: new thinking is tested against what the experts know.",
        "misaligned": "People kick around new ideas with others than those they turn to for "
        "expertise. The source reads this as a healthy tension: new thinking is not held "
        "back by established expertise. It is worth checking that good ideas still meet the "
        "experts' knowledge on their way to practice.",
    },
    ("strategic", "decision"): {
        "aligned": "The people turned to for advice about the future are also involved when "
        "decisions are made, so strategy and decisions can move together.",
        "misaligned": "The people turned to for advice about the future are often not those "
        "involved when decisions are made. The source warns that strategy out of step with "
        "decision-making breeds a lack of confidence in leaders, which can lead to malaise and "
        "disengagement.",
    },
}
VERDICT_WORDS = {
    "aligned": "line up",
    "partly": "only partly line up",
    "not": "do not line up",
    "none": "cannot be compared",
}


def build(context: ReportContext) -> Section:
    rules = finding_rules(context.result)
    networks = [_network(context, name, rules) for name in context.networks]
    data = {
        "intro": _intro(context),
        "measures": _measures(),
        "density": _density_note(rules, context.networks, context.result.get("reference")),
        "networks": networks,
        "table": [n["row"] for n in networks],
        "alignment": _alignment(context, rules),
    }
    return Section(id="networks", title=TITLE, template="sections/networks.html", data=data)


def finding_rules(result: dict) -> dict[str, Any]:
    """The thresholds the study's findings used (``result["finding_rules"]``), defaults filled
    in, so this section judges as the findings do."""
    return {**FindingRules().describe(), **(result.get("finding_rules") or {})}


# -- the section's opening ------------------------------------------------------------------


def _intro(context: ReportContext) -> list[str]:
    count = len(context.networks)
    words = [
        f"Everyone on the study's list was asked {_count(count)} question"
        f"{'s' if count != 1 else ''} "
        "about whom they turn to, one for each network below. A tie is one person naming "
        "another in answer to one question; the networks are the ties, question by question "
        f"({cite(ALIGNMENT_SEED)}).",
        "Each map uses the sector template: every sector has its own box, in the same place on "
        "every map, so the maps can be laid side by side. Key connectors are marked as the "
        "source marks them: hubs (many direct ties) yellow squares, gatekeepers (bridging "
        "between groups) green triangles, pulsetakers (reaching many people through others) "
        "red diamonds.",
    ]
    if context.pseudonymised:
        words.append(
            "In this version ties are drawn without direction, so the maps do not show who named "
            "whom. The figures for each network as a whole still count each direction."
        )
    return words


def _measures() -> list[dict[str, str]]:
    """Each measure explained once, where the reader first meets it."""
    return [
        {
            "term": "Density",
            "text": "the share of all possible ties that were named: with 100 people there are "
            "9,900 ways for one person to name another, and a density of 0.03 means about 3 in "
            "every 100 of them were named. Larger networks are usually less dense.",
        },
        {
            "term": "Reciprocity",
            "text": "the share of ties that are returned: when one person names another, how "
            "often the other names them back in the same network. People who did not answer "
            "the survey cannot name anyone back, so a low response keeps this figure down.",
        },
        {
            "term": "Main connected group",
            "text": "the largest set of people who can all reach each other through ties, "
            "whoever named whom. People outside it are cut off from most of the network.",
        },
    ]


def _density_note(rules: dict, networks: list[str], pool: dict | None) -> dict[str, Any]:
    ranges = rules.get("density_ranges") or {}
    citation = cite(DENSITY_SEED)
    if pool:
        return {"compared": bool(ranges), "text": _pool_words(pool, bool(ranges)), "cite": citation}
    if not ranges:
        return {
            "compared": False,
            "text": "The source method sets each network's density against normative ranges "
            "from a database of past analyses: too little connection is hard to sustain, and "
            "too much can mean a clique or cartel that blocks new ideas. Those ranges are not "
            "published, and this study was given none, so density here is not compared with "
            "other places: it describes this network only. A study can supply ranges, with "
            "their source, and the report then flags density outside them.",
            "cite": citation,
        }
    missing = [label(n) for n in networks if n not in ranges]
    text = (
        "Each network's density is set against a reference range "
        f"({rules.get('density_source') or 'source not given'}). The source method flags "
        "density outside its normative range: too little connection is fragile and hard to "
        "sustain; too much can mean a clique or cartel that blocks new ideas."
    )
    if missing:
        text += f" The reference gives no range for: {', '.join(missing)}."
    return {"compared": True, "text": text, "cite": citation}


def _pool_words(pool: dict, compared: bool) -> str:
    """The density note when the study was read against a reference pool (its "reference")."""
    about = pool["pool"]
    text = (
        "The source method sets each network's density against normative ranges from past "
        "analyses: too little connection is hard to sustain, and too much can mean a clique or "
        f"cartel that blocks new ideas. This study was read against the reference pool of "
        f"{about['source']} ({about['date']}, {about['studies']:,} studies in all)"
    )
    if not pool["enough"]:
        few = too_few(pool["comparable"])
        return f"{text}, but {few[0].lower()}{few[1:]}"
    return (
        f"{text}: {pool['comparable']:,} comparable studies {pool['basis']}. A figure's "
        "percentile is "
        "where it falls among them, and its range runs from their 10th to their 90th "
        "percentile; the report flags density outside that range."
        + ("" if compared else " Too few of them give a density for any network to flag.")
    )


# -- one network ----------------------------------------------------------------------------


def _network(context: ReportContext, name: str, rules: dict) -> dict[str, Any]:
    figures = context.result["networks"][name]
    title = label(name)
    among = ((context.result.get("reference") or {}).get("networks") or {}).get(name) or {}
    density = density_judgement(
        figures, (rules.get("density_ranges") or {}).get(name), among.get("density")
    )
    reciprocity = figures.get("reciprocity")
    return {
        "key": name,
        "label": title,
        "question": QUESTIONS.get(name, "A network this study defined."),
        "map": context.map_image(
            name, caption=f"Map of the {title.lower()} network in the sector template"
        ),
        "key_figures": [
            {"label": "People", "value": f"{figures['people']:,}"},
            {"label": "Ties named", "value": f"{figures['ties']:,}"},
            {"label": "Density", "value": density["shown"]},
            {"label": "Reciprocity", "value": _percent(reciprocity)},
            *_standing_figures(among),
        ],
        "density": density,
        "sentences": [
            density["text"],
            _reciprocity_words(reciprocity, figures["ties"]),
            _pairs_words(reciprocity, figures["ties"]),
            _component_words(figures),
        ],
        "row": {
            "label": title,
            "people": figures["people"],
            "ties": figures["ties"],
            "density": density["shown"],
            "range": density["range_text"],
            "flag": density["flag"],
            "reciprocity": _percent(reciprocity),
            "main_group": _percent(_share(figures.get("largest_component"), figures["people"])),
            "isolates": figures.get("isolates"),
        },
    }


def _standing_figures(among: dict) -> list[dict[str, str]]:
    """Density's and reciprocity's place among comparable studies of a reference pool."""
    out = []
    for figure in ("density", "reciprocity"):
        found = among.get(figure) or {}
        if found.get("percentile") is not None:
            where = percentile_words(found["percentile"], found["studies"])
            out.append({
                "label": f"{FIGURE_LABELS[figure]} among comparable studies",
                "value": f"{where}, {BAND_LABELS[found['band']]}",
            })  # fmt: skip
    return out


def density_judgement(figures: dict, bounds: Any, among: dict | None = None) -> dict[str, Any]:
    """Density in words, and against its reference range ``bounds`` (low, high) if any.

    The comparison is the density finding's own (outside when below ``low`` or above
    ``high``; against a reference pool, ``among`` is the density's standing there and its
    value rounded as the pool's are is compared); the figure is printed with enough places
    that it never reads as equal to a bound it was judged outside of.
    """
    density = float(figures.get("density") or 0.0)
    compared = float(among["value"]) if among and among.get("value") is not None else density
    possible = figures["people"] * (figures["people"] - 1)
    low, high = (float(bounds[0]), float(bounds[1])) if bounds else (None, None)
    places = _places(density, [b for b in (low, high) if b is not None])
    shown_value = f"{density:.{places}f}"
    text = (
        f"Of the {possible:,} ways one person could name another, {figures['ties']:,} "
        f"{'was' if figures['ties'] == 1 else 'were'} named: a density of {shown_value}, "
        f"{_per_hundred(density)}."
    )
    judgement: dict[str, Any] = {
        "value": density,
        "shown": shown_value,
        "flag": None,
        "range_text": "",
        "severity": None,
        "text": text,
    }
    if low is None or high is None:
        return judgement
    judgement["range_text"] = f"{low:.{places}f} to {high:.{places}f}"
    if compared < low:
        judgement.update(flag="below", severity="medium")
        judgement["text"] += (
            f" That is below the reference range of {judgement['range_text']}: a network this "
            "thin may be too little connected to sustain itself."
        )
    elif compared > high:
        judgement.update(flag="above", severity="medium")
        judgement["text"] += (
            f" That is above the reference range of {judgement['range_text']}: so much "
            "connection can mean a clique or cartel that blocks or kills new ideas."
        )
    else:
        judgement.update(flag="within")
        judgement["text"] += f" That is within the reference range of {judgement['range_text']}."
    if among and among.get("percentile") is not None:
        where = percentile_words(among["percentile"], among["studies"])
        judgement["text"] += f" Among the {among['studies']:,} comparable studies it is {where}."
    return judgement


def _places(value: float, bounds: list[float]) -> int:
    """Three decimal places, or more where three would print ``value`` equal to a bound it
    differs from (a density "below 0.030" that reads 0.030)."""
    places = 3
    while places < 8 and any(
        value != bound and shown(value, places) == shown(bound, places) for bound in bounds
    ):
        places += 1
    return places


def _per_hundred(density: float) -> str:
    if density <= 0:
        return "none of them"
    per_hundred = density * 100
    if per_hundred >= 0.5:
        return f"about {per_hundred:.0f} in every 100"
    return f"about {density * 1000:.0f} in every 1,000" if density >= 0.0005 else "under 1 in 1,000"


def _reciprocity_words(reciprocity: float | None, ties: int) -> str:
    if not ties or reciprocity is None:
        return "No ties were named, so none could be returned."
    return (
        f"{share_in_words(reciprocity, 1).capitalize()} of the ties "
        f"({_percent(reciprocity)}) were named back the other way as well."
    )


def _pairs_words(reciprocity: float | None, ties: int) -> str:
    """How many pairs of people the ties join: the count the map gives, each pair once."""
    if not ties or reciprocity is None:
        return ""
    pairs = pairs_of_people(reciprocity, ties)
    if pairs == ties:
        return f"The map draws each of the {ties:,} ties."
    return f"So the {ties:,} ties join {pairs:,} pairs of people, and the map draws each pair once."


def pairs_of_people(reciprocity: float, ties: int) -> int:
    """Ties named, less one of each tie named both ways: ``reciprocity`` is the share of
    directed ties that are returned (result["method"]["reciprocity"])."""
    return ties - round(reciprocity * ties) // 2


def _component_words(figures: dict) -> str:
    people, largest = figures["people"], figures.get("largest_component") or 0
    isolates = figures.get("isolates") or 0
    if not figures["ties"]:
        return f"No one named anyone in this network: all {people:,} people are unconnected."
    others = people - largest - isolates
    groups = (figures.get("components") or 0) - 1 - isolates
    words = (
        f"{largest:,} of the {people:,} people ({_percent(_share(largest, people))}) are in the "
        "main connected group"
    )
    if isolates:
        words += f"; {isolates:,} {'has' if isolates == 1 else 'have'} no tie in this network"
    if others > 0 and groups > 0:
        words += (
            f"; the other {others:,} form {groups:,} small separate "
            f"group{'s' if groups != 1 else ''}"
        )
    return words + "."


# -- alignment ------------------------------------------------------------------------------


def alignment_verdict(r: float | None, p: float | None, rules: dict) -> str:
    """``aligned``, ``partly`` (more overlap than chance, under placelab's cut), ``not`` (no
    more than chance) or ``none`` (a network with no ties): the misalignment finding's cut
    (``placelab.core.networks.findings``), with r judged as printed, to two places."""
    if r is None or not math.isfinite(r) or p is None:
        return "none"
    significant = p <= rules["alignment_p"]
    if shown(r, 2) >= rules["alignment_r"] and significant:
        return "aligned"
    return "partly" if significant else "not"


def _alignment(context: ReportContext, rules: dict) -> dict[str, Any]:
    present = set(context.networks)
    rows = [
        row
        for row in context.result.get("alignment") or []
        if row["network_a"] in present and row["network_b"] in present
    ]
    if not rows:
        return {"shown": False}
    return {
        "shown": True,
        "intro": _alignment_intro(rules),
        "pairs": [_pair(row, rules) for row in rows if _highlighted(row)],
        "matrix": _matrix(context.networks, rows, rules),
        "cite": cite(ALIGNMENT_SEED),
    }


def _alignment_intro(rules: dict) -> list[str]:
    return [
        "Networks line up when the same pairs of people are tied in both. This is measured "
        "with a QAP correlation (Krackhardt 1987): 1 would mean exactly the same ties in "
        "both networks, 0 no more overlap than chance. Its p value is the share of random "
        "reshuffles of the people that gave at least as much overlap: the smaller it is, the "
        "less the overlap can be put down to chance.",
        f"This report reads a correlation of {rules['alignment_r']:.2f} or more, with p of "
        f"{rules['alignment_p']} or less, as lined up; a smaller correlation that still beats "
        "chance as only partly lined up. The cut is ours: the source gives none.",
        "The source reads meaning into two pairs in particular: new ideas against expertise, "
        "and strategy against decisions.",
    ]


def _highlighted(row: dict) -> bool:
    pair = (row["network_a"], row["network_b"])
    return pair in PAIR_MEANING or pair[::-1] in PAIR_MEANING


def _pair(row: dict, rules: dict) -> dict[str, Any]:
    a, b = row["network_a"], row["network_b"]
    key = (a, b) if (a, b) in PAIR_MEANING else (b, a)
    verdict = alignment_verdict(row.get("r"), row.get("p"), rules)
    title = f"The {label(a).lower()} and {label(b).lower()} networks {VERDICT_WORDS[verdict]}"
    if verdict == "none":
        return {
            "title": title,
            "verdict": verdict,
            "text": "One of them has no ties.",
            "figures": "",
        }
    meaning = PAIR_MEANING[key]["aligned" if verdict == "aligned" else "misaligned"]
    return {
        "title": title,
        "verdict": verdict,
        "severity": _severity(key, verdict),
        "figures": f"QAP correlation {row['r']:.2f}, p = {row['p']:.3f}; "
        f"{row['shared_ties']:,} ties named in both.",
        "text": meaning,
    }


def _severity(key: tuple[str, str], verdict: str) -> str | None:
    """As the misalignment finding grades it: strategy and decisions apart is a risk (medium),
    ideas and expertise apart a healthy tension (info)."""
    if verdict == "aligned":
        return None
    return "medium" if key == ("strategic", "decision") else "info"


def _matrix(networks: list[str], rows: list[dict], rules: dict) -> dict[str, Any]:
    """Every pair's correlation, lower half: rows and columns in the study's order."""
    found = {}
    for row in rows:
        verdict = alignment_verdict(row.get("r"), row.get("p"), rules)
        cell = {"r": _signed(row.get("r")), "verdict": verdict, "words": VERDICT_WORDS[verdict]}
        found[(row["network_a"], row["network_b"])] = found[
            (row["network_b"], row["network_a"])
        ] = cell
    return {
        "columns": [label(n) for n in networks[:-1]],
        "rows": [
            {
                "label": label(a),
                "cells": [found.get((a, b)) for b in networks[:i]],
                "blank": len(networks) - 1 - i,
            }
            for i, a in enumerate(networks)
            if i > 0
        ],
    }


# -- numbers --------------------------------------------------------------------------------


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def _share(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else part / whole


def _percent(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.0%}"


def _signed(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.2f}".replace("-", "−")
