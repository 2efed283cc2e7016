"""The diagnosis: combine respondents' self-assessments into one reading of the place.

>>> from placelab.core.toolkit import diagnose_files
>>> result = diagnose_files("examples/answers.csv", people="examples/people.csv")  # doctest: +SKIP
>>> result["lifecycle"]["phase"]["name"], result["triangle"]["weak_corner"]["corner"]  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from placelab.core.errors import PlacelabError
from placelab.core.io.result_json import plain, result_text, versions, write_texts
from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit import findings as found
from placelab.core.toolkit.answers import Answers, read_answers
from placelab.core.toolkit.bank import ItemBank, load_bank
from placelab.core.toolkit.breakdowns import GROUPINGS, breakdowns, divided_views
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.toolkit.lifecycle import diagnose_phase
from placelab.core.toolkit.methods import choose_methods
from placelab.core.toolkit.next_steps import next_steps
from placelab.core.toolkit.omr import omr_scores
from placelab.core.toolkit.scoring import item_means, scale_scores, scale_summaries, scored_items
from placelab.core.toolkit.triangle import triangle_shape
from placelab.core.vocabulary import SECTORS

FORMAT = "placelab-diagnosis/1"


@dataclass(frozen=True)
class DiagnosisParameters:
    """The method's choices; every one is recorded in the result."""

    seed: int = 0  # bootstrap resampling of respondents
    resamples: int = 1000
    min_group: int = 5  # groups smaller than this are never broken out
    min_answered: float = 0.5  # share of a scale's items a respondent must answer to be scored
    divided_gap: float = 1.0  # groups this many points apart on a scale are "divided"
    dont_know_share: float = 0.3  # a scale with this share of "don't know" is reported
    phase_floor: float | None = None  # a phase needs this mean to be named; None: "agree" band
    phase_agreement: float = found.AGREEMENT_CUT  # at or below: respondents divided on the phase
    factor_cuts: tuple[float, float] = found.FACTOR_CUTS  # critical factor: medium, high below
    omr_cuts: tuple[float, float] = found.OMR_CUTS  # balanced level: high, medium below
    omr_gap: float = found.OMR_GAP  # community this far behind providers
    method_weights: dict[str, float] = field(default_factory=dict)
    context: dict[str, float] = field(default_factory=dict)  # factor levels the study states


def diagnose(
    answers: Answers,
    *,
    bank: ItemBank | None = None,
    people: pd.DataFrame | None = None,
    network_findings: list[dict] | None = None,
    parameters: DiagnosisParameters | None = None,
) -> dict:
    """Diagnose a place from checked answers; returns plain, JSON-ready data.

    ``people`` (indexed by id, as ``people_from_table`` returns it) allows breakdowns by sector,
    layer and seniority; ``network_findings`` (from ``network_findings``) joins the findings.
    """
    bank = bank or load_bank()
    p = parameters or DiagnosisParameters()
    guidance = load_guidance()
    scores = scale_scores(answers, bank, min_answered=p.min_answered).dropna(how="all")
    if scores.empty:
        raise PlacelabError(f"{answers.file}: no respondent answered enough items to be scored")
    scales = scale_summaries(
        answers, bank, scores, guidance.bands, seed=p.seed, resamples=p.resamples
    )
    means = {s["id"]: s["mean"] for s in scales}
    lifecycle = _lifecycle(answers, bank, scores, p)
    triangle = triangle_shape(
        means, guidance, lifecycle["phase"]["id"] if lifecycle and lifecycle["phase"] else None
    )
    steps = _next_steps(answers, bank, lifecycle, means, network_findings)
    omr = omr_scores(means, guidance.omr["targets"])
    views = _views(scores, people, p)
    phase = lifecycle["phase"]["id"] if lifecycle and lifecycle["phase"] else None
    factors, notes = _factor_means(answers, bank, means, guidance.factors, phase, p)
    toolkit = [
        *found.phase_findings(lifecycle, guidance, steps, agreement_cut=p.phase_agreement),
        *found.triangle_findings(triangle, guidance),
        *found.pitfall_findings(steps),
        *found.factor_findings(factors, guidance, cuts=p.factor_cuts, notes=notes),
        *found.omr_findings(omr, guidance, cuts=p.omr_cuts, gap=p.omr_gap),
        *found.view_findings(views["divided"], scales, p.dont_know_share,
                             min_group=p.min_group, gap=p.divided_gap),
    ]  # fmt: skip
    return plain({
        "format": FORMAT,
        "inputs": _inputs(answers, scores, people),
        "bank": {"version": bank.version, "guidance_version": guidance.version,
                 "items": len(bank.items), "excluded_groups": list(bank.excluded_groups),
                 "added_items": list(bank.added_items)},
        "parameters": asdict(p),
        "versions": versions(("placelab", "numpy", "pandas")),
        "method": method_notes(p),
        "scales": scales,
        "respondents": [{"id": r, "scores": row} for r, row in scores.to_dict("index").items()],
        "breakdowns": views,
        "lifecycle": lifecycle,
        "triangle": triangle,
        "next_steps": steps,
        "omr": omr,
        "methods": choose_methods(means, context=p.context, weights=p.method_weights),
        "findings": found.merge_findings(toolkit, network_findings, phase),
    })  # fmt: skip


def _lifecycle(
    answers: Answers, bank: ItemBank, scores: pd.DataFrame, p: DiagnosisParameters
) -> dict | None:
    """The phase diagnosis, with each leading phase's statements as its evidence."""
    lifecycle = diagnose_phase(
        scores, load_guidance(), seed=p.seed, resamples=p.resamples, floor=p.phase_floor
    )
    for key in ("leading", "second"):  # the same dicts as "phase" and "runner_up" when named
        if lifecycle and lifecycle[key]:
            phase = lifecycle[key]
            phase["evidence"] = item_means(answers, bank, f"phase_{phase['id']}")
    return lifecycle


def _factor_means(
    answers: Answers,
    bank: ItemBank,
    means: dict[str, float | None],
    factors: tuple[dict, ...],
    phase: int | None,
    p: DiagnosisParameters,
) -> tuple[dict[str, float | None], dict[str, str]]:
    """The critical factors' scores as the phase weighs them, and a note where that differs.

    Finance matters more in later phases (4.2.3): a factor's ``later_items`` count only from the
    phase each names; before it (or with no phase named, from the whole scale) they are left out.
    """
    out, notes = dict(means), {}
    for factor in factors:
        later = [i for i, start in factor.get("later_items", {}).items()
                 if phase is not None and phase < start and i in bank.item_ids]  # fmt: skip
        if not later:
            continue
        kept = replace(bank, items=tuple(i for i in bank.items if i.id not in later))
        scores = scale_scores(answers, kept, min_answered=p.min_answered)
        column = scores.get(factor["scale"])
        out[factor["scale"]] = (
            None if column is None or column.isna().all() else float(column.mean())
        )
        notes[factor["scale"]] = factor["later_items_note"]
    return out, notes


def _next_steps(
    answers: Answers,
    bank: ItemBank,
    lifecycle: dict | None,
    means: dict[str, float | None],
    network_findings: list[dict] | None,
) -> dict | None:
    """Pitfalls (signalled by scales, items or network findings), progression, questions."""
    items = scored_items(answers, bank).mean().dropna().to_dict()
    labels = {**{i.id: i.text for i in bank.items}, **{s.id: s.title for s in bank.scales}}
    network_ids = [f["id"] for f in network_findings or []]
    steps = next_steps(lifecycle, load_guidance(), {**items, **means}, network_ids, labels)
    if steps is not None:  # findings name a network finding by its title, not its id
        steps["network_titles"] = {f["id"]: f["title"] for f in network_findings or []}
    return steps


def _views(scores: pd.DataFrame, people: pd.DataFrame | None, p: DiagnosisParameters) -> dict:
    """Breakdowns by group (none without a roster) and the scales on which groups divide."""
    if people is None:
        return {"groupings": [], "shown": [], "held_back": [], "divided": []}
    shown, held = breakdowns(scores, people, min_group=p.min_group)
    divided = divided_views(shown, gap=p.divided_gap)
    return {"groupings": list(GROUPINGS), "shown": shown, "held_back": held, "divided": divided}


def diagnose_files(
    answers: str | Path,
    people: str | Path | None = None,
    *,
    bank: ItemBank | None = None,
    sectors: tuple[str, ...] = SECTORS,
    network_findings: list[dict] | None = None,
    parameters: DiagnosisParameters | None = None,
) -> dict:
    """Read and check the files, then :func:`diagnose`. Bad input raises InputError."""
    bank = bank or load_bank()
    roster = people_from_table(read_table(people), sectors=sectors) if people else None
    checked = read_answers(answers, bank, people=roster)
    return diagnose(
        checked, bank=bank, people=roster, network_findings=network_findings,
        parameters=parameters,
    )  # fmt: skip


def method_notes(p: DiagnosisParameters) -> dict:
    """How each number is made, so a reader can check it."""
    return {
        "answers": 'Agreement on a 1-5 scale. "Don\'t know", skipped answers and statements a '
        "respondent was not asked (when each answers a random share of the statements) are "
        "missing values; only 'don't know' counts as not knowing. Reverse-worded items count "
        "as 6 - answer.",
        "scale_scores": f"A respondent's score on a scale is the mean of the items they "
        f"answered, if they answered at least {p.min_answered:.0%} of its items (rounded up); "
        "otherwise they have no score on it. A scale's overall score is the mean of its "
        "respondents' scores, with a 95% t-interval (mean +- t x sd / sqrt(n)), which widens "
        "as fewer respondents are scored.",
        "alpha": "Cronbach's alpha (Cronbach 1951, doi:10.1007/BF02310555) from pairwise-"
        "complete covariances: each pair of items over the respondents who answered both, so "
        "that a respondent asked only some of a scale's items still counts. Reported with the "
        "respondents who answered two or more of its items, the fewest behind any one pair, and "
        f"a 95% percentile interval from {p.resamples} bootstrap resamples of respondents "
        f"(seed {p.seed}); not given with fewer than two items, a pair answered together by "
        "fewer than two respondents, or when more than a tenth of the resamples leave it "
        "undefined (too few answers to say). With complete answers it is the usual alpha.",
        "spread": "Standard deviation, quartiles, and the shares of respondents whose score is "
        "below 2.5 (disagree), from 2.5 to under 3.5 (neutral) and 3.5 or more (agree).",
        "breakdowns": f"By sector, layer and seniority from the people file; a group is shown "
        f"on a scale only with {p.min_group} or more scored respondents, and further groups are "
        f"held back whenever fewer than {p.min_group} people would otherwise be left out, so "
        f"no small group can be worked out by subtraction. Groups {p.divided_gap:g} point or "
        "more apart are reported as divided.",
        "lifecycle": f"The most likely phase has the highest mean agreement with its Table A1 "
        f"statements, and is named only if that mean, to one decimal, reaches "
        f"{'the agree band (3.5)' if p.phase_floor is None else f'{p.phase_floor:g}'}; "
        f"confidence is the share of {p.resamples} bootstrap resamples of "
        f"respondents (seed {p.seed}) in which it still comes top: high at 90% or more, "
        "moderate at 70%; each respondent's own phase is the one they agree with most. "
        f"Respondents are divided when {p.phase_agreement:.0%} or fewer agree most with the "
        "leading phase, or when the runner-up is two or more phases away and not disagreed with.",
        "triangle": "Corners and links read in bands (absent below 2.5, some from 2.5, strong "
        "from 3.5) against what Table B2 says the phase needs; no success or failure path in the "
        "latent phase, for which Table B2 draws none; see placelab.core.toolkit.triangle.",
        "omr": "Levels rescaled to 0-1 as (mean - 1)/4; product of the three; balanced level = "
        "cube root of the product; the limiting factor is the lowest level.",
        "methods": "A heuristic: sum over the four factors of weight x fit x (level - 3)/2, "
        "where a factor from 2.5 to under 3.5 (as printed) is middling and counts for nothing; "
        "each term's reason is the one for a high or a low level; "
        "see placelab.core.toolkit.methods.",
        "thresholds": "Bands, pitfall signals and finding thresholds are placelab defaults, "
        "not published norms. Every figure is compared with its threshold as printed (scores to "
        "one decimal, levels to two, shares in whole percent), so words and figures agree.",
    }


def _inputs(answers: Answers, scores: pd.DataFrame, people: pd.DataFrame | None) -> dict:
    return {
        "answers_file": answers.file,
        "fingerprint": answers.fingerprint(),
        "respondents": len(answers.respondents),
        "scored_respondents": len(scores),
        "answers": int(answers.values.notna().to_numpy().sum()),
        "dont_know": int(answers.dont_know.to_numpy().sum()),
        "ignored_answers": answers.ignored,
        "people": len(people) if people is not None else None,
    }


def write_diagnosis(result: dict, path: str | Path) -> None:
    """Write the diagnosis as JSON, atomically: a crash leaves no half-written file."""
    write_texts({Path(path): result_text(result)})
