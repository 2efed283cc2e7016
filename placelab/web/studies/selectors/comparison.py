"""What the comparison page shows: the study's analysed waves, the comparison of a chosen pair,
and the comparison itself as this user may see it.

Viewers (not allowed names) see a comparison only once it has finished, and then the core's
viewer copy (:func:`placelab.core.pseudonymise.viewer_comparison`) beside the viewer copies of
the two analyses (:func:`results.shown_analysis`), made from the pseudonyms every page uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from placelab.core.vocabulary import ALL
from placelab.web.studies.access import StudyAccess
from placelab.web.studies.models import AnalysisRun, Comparison, Study, Wave
from placelab.web.studies.selectors import analysis_page, results

# The steps services.comparison reports as it works, in order, for the page's progress.
STEPS = (
    "reading the earlier wave's answers",
    "reading the later wave's answers",
    "comparing the networks, and resampling the people who answered both",
    "comparing the diagnoses",
    "saving the comparison",
)


@dataclass(frozen=True)
class AnalysedWave:
    """A wave and its latest finished analysis (without its result: megabytes at scale)."""

    wave: Wave
    run: AnalysisRun

    @property
    def label(self) -> str:
        return str(self.wave)


def analysed_waves(study: Study) -> list[AnalysedWave]:
    """The study's waves that have a finished analysis, in order, each with its latest."""
    runs = (
        AnalysisRun.objects.filter(wave__study=study, status=AnalysisRun.DONE)
        .select_related("wave__study")
        .defer("result", "diagnosis")
        .order_by("wave__number", "-finished", "-pk")
    )
    latest: dict[int, AnalysisRun] = {}
    for run in runs:
        latest.setdefault(run.wave.number, run)
    return [AnalysedWave(run.wave, run) for run in latest.values()]


def chosen_pair(
    waves: list[AnalysedWave], before: str | None, after: str | None
) -> tuple[AnalysedWave, AnalysedWave] | None:
    """The two waves asked for by number (the earlier first, whichever way round they were
    given), by default the latest two; None when there are not two different ones."""
    by_number = {str(w.wave.number): w for w in waves}
    if before in by_number and after in by_number and before != after:
        pair = sorted((by_number[before], by_number[after]), key=lambda w: w.wave.number)
        return pair[0], pair[1]
    return (waves[-2], waves[-1]) if len(waves) >= 2 else None


def pair_comparison(before: AnalysisRun, after: AnalysisRun) -> Comparison | None:
    return Comparison.objects.filter(before=before, after=after).first()


def comparison_of(access: StudyAccess, comparison_id: int) -> Comparison:
    """One of the study's comparisons, or Http404 (another study's is no business of this)."""
    return get_object_or_404(
        Comparison.objects.select_related("before__wave__study", "after__wave__study"),
        pk=comparison_id,
        before__wave__study=access.study,
    )


def comparison_status(comparison: Comparison) -> dict[str, Any]:
    """The JSON the page polls while a comparison is queued or running."""
    return results.work_status(comparison, steps_expected=len(STEPS))


def shown_comparison(access: StudyAccess, comparison: Comparison) -> dict[str, Any]:
    """The finished comparison's result, and the two analyses' results, as this user may see
    them: ``{"comparison", "before", "after"}``."""
    before, after = comparison.before, comparison.after
    if access.sees_names:
        return {"comparison": comparison.result, "before": before.result, "after": after.result}
    from placelab.core.pseudonymise import viewer_comparison

    names = comparison_pseudonyms(access.study, before, after)
    return {
        "comparison": viewer_comparison(comparison.result, names),
        "before": results.shown_analysis(access, before)["result"],
        "after": results.shown_analysis(access, after)["result"],
    }


def comparison_pseudonyms(study: Study, *runs: AnalysisRun) -> dict[str, str]:
    """The study's pseudonyms, covering the outsiders named in either run."""
    outsiders = [o for run in runs for o in (run.result or {}).get("outsiders", [])]
    return results.pseudonyms(study, {"outsiders": outsiders})


def comparison_page(
    access: StudyAccess, comparison: Comparison, network: str | None = None
) -> dict[str, Any]:
    """What the page draws of a finished comparison (:func:`placelab.report.sections.change.
    change_data`), from what this user may see, with one network's pair of maps (``network``,
    by default the one the analysis page opens on) and the tabs to the others: all of them at
    once would put sixteen maps in one page, megabytes at a few hundred people."""
    from placelab.report.sections.change import change_data, maps_data, maps_note, network_label

    shown = shown_comparison(access, comparison)
    compared, before, after = shown["comparison"], shown["before"], shown["after"]
    data = change_data(
        compared, before=None, after=None, before_label=str(comparison.before.wave),
        after_label=str(comparison.after.wave), pseudonymised=not access.sees_names,
    )  # fmt: skip
    names = list(compared["networks"])
    chosen = analysis_page.network_chosen({"networks": dict.fromkeys(names)}, network)
    one = {**compared, "networks": [chosen]}
    data["maps"] = maps_data(one, before, after, data["labels"], not access.sees_names)
    data["maps_note"] = maps_note(compared, before, after)
    data["map_tabs"] = [
        {"network": name, "label": network_label(name), "current": name == chosen} for name in names
    ]
    return data


def compare_command(comparison: Comparison) -> str:
    """The ``placelab compare`` command that gives the stored comparison from the two waves'
    exported files (each wave's folder as its analysis page downloads it)."""
    parameters = comparison.parameters or {}
    networks = ",".join(n for n in parameters.get("networks", []) if n != ALL)
    study = comparison.before.wave.study
    sectors = "".join(f" --sector {s}" for s in study.extra_sectors)
    folders = [f"wave-{run.wave.number}" for run in (comparison.before, comparison.after)]
    answers = (
        f" --answers {folders[0]}/answers.csv {folders[1]}/answers.csv"
        if (comparison.result or {}).get("diagnosis")
        else ""
    )
    return (
        f"placelab compare {folders[0]} {folders[1]} --networks {networks} "
        f"--seed {parameters.get('seed', 0)} --resamples {parameters.get('resamples', 200)}"
        f"{sectors}{answers} --json comparison.json"
    )


def compare_query(study: Study, wave: Wave | None = None) -> str | None:
    """The comparison page's query for a link from ``wave``'s page (that wave and the analysed
    one before it, or after it for the first), or "" from the study's (the latest two); None
    while the study has fewer than two analysed waves."""
    numbers = sorted(
        AnalysisRun.objects.filter(wave__study=study, status=AnalysisRun.DONE)
        .order_by()
        .values_list("wave__number", flat=True)
        .distinct()
    )
    if len(numbers) < 2:
        return None
    if wave is None or wave.number not in numbers:
        return ""
    at = numbers.index(wave.number)
    pair = numbers[at - 1 : at + 1] if at else numbers[:2]
    return f"?before={pair[0]}&after={pair[1]}"
