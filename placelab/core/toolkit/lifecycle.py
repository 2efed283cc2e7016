"""Step One: where the place stands in the innovation lifecycle, and how sure we can be.

Each phase of Table A1 has a scale of statements that describe it. The method:

1. a phase's score is the mean, over respondents, of their score on that phase's scale;
2. the most likely phase has the highest score, the runner-up the next highest;
3. confidence is the share of ``resamples`` bootstrap resamples of the respondents (drawn with
   replacement, seeded) in which the same phase comes top (Efron 1979, "Bootstrap methods:
   another look at the jackknife", doi:10.1214/aos/1176344552); "high" at 0.9 or more,
   "moderate" at 0.7 or more, else "low";
4. each respondent's own phase is the one they agree with most (a tie shares them equally); the
   distribution of those shows how far people agree on where the place stands;
5. a phase is *described* only when its mean, as printed to one decimal, reaches ``floor`` (the
   answer scale's "agree" band, 3.5): answers that reject every phase's statements name no phase,
   and ``phase`` is then None while ``leading`` still says which came closest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placelab.core.precision import shown
from placelab.core.toolkit.guidance import Guidance

HIGH, MODERATE = 0.9, 0.7


def diagnose_phase(
    scores: pd.DataFrame,
    guidance: Guidance,
    *,
    seed: int = 0,
    resamples: int = 1000,
    floor: float | None = None,
) -> dict | None:
    """The most likely phase from respondents' phase-scale scores; None if no phase is scored.

    ``floor`` (default: the guidance's "strong" band, where agreement begins) is the mean a
    phase needs to be named at all; below it ``phase`` and ``runner_up`` are None.
    """
    floor = guidance.bands[1] if floor is None else floor
    phases = [p for p in guidance.phases if p.scale in scores]
    if not phases:
        return None
    matrix = scores[[p.scale for p in phases]].dropna(how="all").to_numpy()
    if not len(matrix):
        return None
    means = _column_means(matrix)
    order = np.argsort(-np.nan_to_num(means, nan=-np.inf), kind="stable")
    top, second = int(order[0]), int(order[1]) if len(order) > 1 else None
    share, second_share = _bootstrap(matrix, top, second, seed=seed, resamples=resamples)
    own = _own_phases(matrix)
    described = bool(np.isfinite(means[top]) and shown(float(means[top])) >= floor)
    leading = _phase(phases[top])
    runner = _phase(phases[second]) if second is not None else None
    return {
        "phase": leading if described else None,
        "runner_up": runner if described else None,
        "leading": leading,
        "second": runner,
        "described": described,
        "floor": floor,
        "scores": [
            {**_phase(p), "mean": _number(m), "respondents": int(np.isfinite(matrix[:, n]).sum())}
            for n, (p, m) in enumerate(zip(phases, means, strict=True))
        ],
        "margin": _number(means[top] - means[second]) if second is not None else None,
        "confidence": {
            "label": "high" if share >= HIGH else "moderate" if share >= MODERATE else "low",
            "bootstrap_share": share,
            "runner_up_share": second_share,
            "resamples": resamples,
            "seed": seed,
        },
        "respondents": len(matrix),
        "own_phase": [{**_phase(p), "share": float(s)} for p, s in zip(phases, own, strict=True)],
        "agreement": float(own[top]),
    }


def _phase(phase) -> dict:
    return {"id": phase.id, "key": phase.key, "name": phase.name}


def _column_means(matrix: np.ndarray) -> np.ndarray:
    counts = np.isfinite(matrix).sum(axis=0)
    sums = np.nansum(matrix, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _bootstrap(
    matrix: np.ndarray, top: int, second: int | None, *, seed: int, resamples: int
) -> tuple[float, float | None]:
    """Share of resamples of respondents in which ``top`` (and ``second``) comes first."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(matrix), size=(resamples, len(matrix)))
    samples = matrix[picks]  # resamples x respondents x phases
    counts = np.isfinite(samples).sum(axis=1)
    means = np.where(counts > 0, np.nansum(samples, axis=1) / np.maximum(counts, 1), -np.inf)
    winners = means.argmax(axis=1)
    share = float((winners == top).mean())
    return share, float((winners == second).mean()) if second is not None else None


def _own_phases(matrix: np.ndarray) -> np.ndarray:
    """Share of respondents whose highest phase score is each phase; ties split equally."""
    filled = np.nan_to_num(matrix, nan=-np.inf)
    best = filled.max(axis=1, keepdims=True)
    tied = (filled == best) & np.isfinite(filled)
    weights = tied / tied.sum(axis=1, keepdims=True)
    return weights.mean(axis=0)


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
