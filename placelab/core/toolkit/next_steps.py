"""Steps Two and Three for the diagnosed phase: pitfalls to watch, what it takes to progress,
and the questions to ask (Appendix A, Table A2 and Step Three).

A pitfall is *signalled* when a scale or item it names scores below its threshold (in
``data/guidance.json``; placelab's heuristic), judged on the mean as printed to one decimal, or
when a network finding it names was found. No phase named (answers that describe none), no
next steps.
The runner-up phase's pitfalls are listed too unless the phase diagnosis is highly confident,
since a place between two phases can fall into either's traps.
"""

from __future__ import annotations

from placelab.core.precision import shown
from placelab.core.toolkit.guidance import Guidance, Pitfall


def next_steps(
    lifecycle: dict | None,
    guidance: Guidance,
    means: dict[str, float | None],
    network_ids: list[str],
    labels: dict[str, str] | None = None,
) -> dict | None:
    """Pitfalls, progression conditions and Step Three questions for the diagnosed phase."""
    if lifecycle is None or lifecycle["phase"] is None:
        return None
    phase = lifecycle["phase"]["id"]
    phases = [phase]
    if lifecycle["runner_up"] and lifecycle["confidence"]["label"] != "high":
        phases.append(lifecycle["runner_up"]["id"])
    to, conditions = guidance.progression[phase]
    return {
        "phase": phase,
        "pitfalls": [
            _pitfall(p, means, network_ids, labels or {})
            for n in phases
            for p in guidance.pitfalls
            if p.phase == n
        ],
        "progression": {
            "to": None if to is None else {"id": to, "name": guidance.phase(to).name},
            "conditions": [{"text": c.text, "seed": c.seed} for c in conditions],
        },
        "questions": [
            {"text": q.text, "seed": q.seed} for q in guidance.questions if q.phase == phase
        ],
    }


def _pitfall(
    pitfall: Pitfall, means: dict[str, float | None], network_ids: list[str], labels: dict
) -> dict:
    signals = []
    for signal in pitfall.signals:
        key = str(signal.get("scale") or signal.get("item"))
        mean = means.get(key)
        if mean is not None and shown(mean) < signal["below"]:
            signals.append(
                {"on": key, "label": labels.get(key, key), "mean": mean, "below": signal["below"]}
            )
    network = [
        found for found in network_ids if any(found.startswith(p) for p in pitfall.network_signals)
    ]
    return {
        "id": pitfall.id,
        "phase": pitfall.phase,
        "text": pitfall.text,
        "question": pitfall.question,
        "signalled": bool(signals or network),
        "signals": signals,
        "network_findings": network,
        "seed": pitfall.seed,
    }
