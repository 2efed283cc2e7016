"""What the pages show of a stored analysis: its runs, key figures, diagnosis and findings.

Viewers (not allowed names) see only what :func:`shown_analysis` gives them, made by the core's
one rule set (:mod:`placelab.core.pseudonymise`): the study page, the analysis page, the result
API and the map data all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from placelab.core.precision import score
from placelab.core.pseudonymise import pseudonym_map, replace_names, viewer_analysis
from placelab.report import findings as report_findings
from placelab.web.studies.access import StudyAccess
from placelab.web.studies.models import AnalysisRun, Participant, Study, Wave
from placelab.web.studies.selectors.analysis_inputs import inputs_stamp, wave_inputs_hash

SEVERITIES = ("high", "medium", "low", "info")
# Steps the analysis reports besides one per network (services.analysis and the core's
# analyse_networks): reading, building, measuring "all" networks together, alignment, mixing,
# fragility, diagnosis, saving.
OTHER_STEPS = 8


@dataclass(frozen=True)
class WaveRow:
    wave: Wave
    invited: int
    submitted: int


def study_waves(study: Study) -> list[WaveRow]:
    """Each wave with its active invitations and submitted responses, in order."""
    waves = study.waves.annotate(
        invited=Count("invitations", filter=Q(invitations__revoked__isnull=True), distinct=True),
        submitted=Count(
            "invitations", filter=Q(invitations__response__submitted__isnull=False), distinct=True
        ),
    ).order_by("number")
    return [WaveRow(w, w.invited, w.submitted) for w in waves]


def latest_run(wave: Wave) -> AnalysisRun | None:
    return wave.analyses.order_by("-created", "-pk").first()


def latest_done_run(wave: Wave) -> AnalysisRun | None:
    return done_runs(wave).first()


def done_runs(wave: Wave) -> QuerySet[AnalysisRun]:
    """The wave's finished runs, the latest first (a download of a stored file defers their
    results: megabytes at 1,000 people)."""
    return wave.analyses.filter(status=AnalysisRun.DONE).order_by("-finished", "-pk")


def study_latest_done_run(study: Study) -> AnalysisRun | None:
    """The newest finished analysis of the latest wave that has one."""
    return (
        AnalysisRun.objects.filter(wave__study=study, status=AnalysisRun.DONE)
        .select_related("wave")
        .order_by("-wave__number", "-finished", "-pk")
        .first()
    )


def run_is_stale(run: AnalysisRun | None) -> bool | None:
    """Have the wave's inputs changed since ``run``? None when there is no finished run.

    The wave's stamp counts every write to the rows its analysis reads (``InputsStamp``); while
    it stands where it stood when the run last compared the inputs, the answer then stands (one
    small query). Once it has moved, the inputs are hashed again (seconds at 10,000 people) and
    the answer is kept with the new count: a write made meanwhile has moved it further, so a
    kept answer is never taken for rows it did not see.
    """
    if run is None or run.status != AnalysisRun.DONE:
        return None
    stamp = inputs_stamp(run.wave_id)
    if stamp is not None and stamp == run.inputs_stamp:
        return run.inputs_changed
    changed = wave_inputs_hash(run.wave) != run.inputs_hash
    if stamp is not None:
        AnalysisRun.objects.filter(pk=run.pk).update(inputs_stamp=stamp, inputs_changed=changed)
        run.inputs_stamp, run.inputs_changed = stamp, changed
    return changed


def expected_steps(run: AnalysisRun) -> int:
    networks = (run.parameters or {}).get("study_networks") or run.wave.study.networks
    return len(networks) + OTHER_STEPS


def run_status(run: AnalysisRun, *, stale: bool | None = None) -> dict[str, Any]:
    """The JSON a page polls while a run is queued or running."""
    return {**work_status(run, steps_expected=expected_steps(run)), "stale": stale}


def work_status(row, *, steps_expected: int) -> dict[str, Any]:
    """The JSON a page polls while work the worker does (an analysis, a comparison) is queued
    or running: its status, step, steps done of those expected, times and error."""
    stamp = lambda t: t.isoformat() if t else None  # noqa: E731
    return {
        "status": row.status, "step": row.step, "steps_done": row.steps_done,
        "steps_expected": steps_expected, "created": stamp(row.created),
        "started": stamp(row.started), "finished": stamp(row.finished), "error": row.error,
    }  # fmt: skip


# --- what is shown of a finished run -------------------------------------------------------


def shown_analysis(access: StudyAccess, run: AnalysisRun) -> dict[str, Any]:
    """The run's result and diagnosis as this user may see them.

    Those allowed names get them as stored; everyone else gets the core's viewer copy
    (:func:`placelab.core.pseudonymise.viewer_analysis`): pseudonyms, no attribute that narrows
    anyone to fewer than the study's minimum group, nothing about who answered.
    """
    if access.sees_names:
        return {"result": run.result, "diagnosis": run.diagnosis}
    return viewer_analysis(run.result, run.diagnosis, pseudonyms(access.study, run.result))


def pseudonyms(study: Study, result: dict | None = None) -> dict[str, str]:
    """Roster ids and names -> "Person N"; outsiders in ``result`` -> "Someone not listed N".

    Numbered in an order keyed by the site's secret (:func:`pseudonym_map`): stable for a roster,
    the same on every page and in the API, and saying nothing about anyone's name or id.
    """
    rows = Participant.objects.filter(study=study).values_list("key", "name")
    outsiders = [str(o.get("name")) for o in (result or {}).get("outsiders", []) if o.get("name")]
    return pseudonym_map(rows, outsiders, secret=settings.SECRET_KEY, scope=str(study.pk))


def pseudonymise(data: Any, names: dict[str, str]) -> Any:
    """A copy of ``data`` with every name or id in ``names`` replaced by its pseudonym (free text
    such as a finding's sentence included); see :func:`placelab.core.pseudonymise.replace_names`."""
    return replace_names(data, names)


def key_figures(result: dict) -> dict[str, Any]:
    """People, respondents, response rate, each network's density and ties, the core group."""
    inputs = result["inputs"]
    people, respondents = inputs["people"], inputs["respondents"]
    networks = [
        {
            "name": n,
            "density": result["networks"][n]["density"],
            "ties": result["networks"][n]["ties"],
        }
        for n in inputs["networks"]
        if n in result["networks"]
    ]
    return {
        "people": people,
        "respondents": respondents,
        "response_rate": respondents / people if people else None,
        "networks": networks,
        "core_group": len(result["core_group"]["members"]),
    }


def all_findings(result: dict, diagnosis: dict | None) -> list[dict]:
    """The network findings and the diagnosis' own, most severe first, each once: the report's
    rule (:func:`placelab.report.findings.all_findings`), so pages and report agree."""
    return report_findings.all_findings(result, diagnosis)


def severity_counts(findings: list[dict]) -> list[tuple[str, int]]:
    return [(s, sum(f.get("severity") == s for f in findings)) for s in SEVERITIES]


def diagnosis_headline(diagnosis: dict | None) -> dict[str, Any] | None:
    """The phase (with confidence and runner-up), the triangle's weak corner and path, and
    the factor that limits change for providers and for the community; None without one.

    When the answers describe no phase (``lifecycle["phase"]`` is None: no phase's statements
    reach the agree band), ``no_phase`` says which came closest, its mean and the band, as the
    finding "No phase of the lifecycle is clearly described" does.
    """
    if not diagnosis or "unavailable" in diagnosis:
        return None
    life, triangle, omr = (
        diagnosis.get("lifecycle"),
        diagnosis.get("triangle"),
        diagnosis.get("omr"),
    )
    phase = life.get("phase") if life else None
    return {
        "phase": phase,
        "runner_up": life.get("runner_up") if phase else None,
        "confidence": life.get("confidence") if phase else None,
        "no_phase": _no_phase(life) if life and not phase else None,
        "weak_corner": triangle["weak_corner"] if triangle else None,
        "path": triangle["path"] if triangle else None,
        "reading": triangle.get("reading") if triangle else None,
        "omr": [
            {"label": side["label"], "limiting": side["limiting"]}
            for side in (omr or {}).values()
            if isinstance(side, dict) and "label" in side
        ],
    }


def _no_phase(life: dict) -> dict[str, Any]:
    """The closest phase of answers that describe none, its mean score and the agree band."""
    leading = life.get("leading") or {}
    mean = next((s.get("mean") for s in life.get("scores", []) if s.get("id") == leading.get("id")),
                None)  # fmt: skip
    floor = life.get("floor")
    return {
        "closest": leading.get("name"),
        "mean": score(mean) if mean is not None else None,
        "floor": f"{floor:.1f}" if floor is not None else None,
    }


def reproduce_commands(run: AnalysisRun) -> list[str]:
    """The CLI commands that give the run's numbers from the wave's exported files."""
    parameters = run.parameters or {}
    seed = parameters.get("seed", 0)
    networks = ",".join(parameters.get("study_networks") or [])
    sectors = "".join(f" --sector {s}" for s in run.wave.study.extra_sectors)
    excluded = "".join(
        f" --exclude-group {g}" for g in parameters.get("item_bank", {}).get("excluded_groups", [])
    )
    return [
        f"placelab analyze people.csv ties.csv --networks {networks} --seed {seed}{sectors} "
        "--json result.json",
        f"placelab diagnose answers.csv --people people.csv --ties ties.csv --networks {networks} "
        f"--seed {seed}{sectors}{excluded} --json diagnosis.json",
    ]
