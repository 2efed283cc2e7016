"""Scale scores per respondent and overall, their spread, and Cronbach's alpha.

The missing-data rule, stated once: "don't know" and skipped answers are missing. A respondent
has a score on a scale when they answered at least ``min_answered`` (default half, rounded up) of
its items; the score is the mean of the items they answered, reverse items counted as
6 - answer. A scale's overall score is the mean of its respondents' scores, each respondent
counting once. Cronbach's alpha uses the respondents who answered every item of the scale
(listwise deletion) and is reported with how many they were.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from placelab.core.toolkit.answers import Answers
from placelab.core.toolkit.bank import ItemBank


def cronbach_alpha(items: np.ndarray | pd.DataFrame) -> float | None:
    """Cronbach's alpha of a respondents-by-items matrix with no missing values.

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i \\sigma^2_i}{\\sigma^2_X}\\right)

    where :math:`k` is the number of items, :math:`\\sigma^2_i` the variance of item *i* and
    :math:`\\sigma^2_X` the variance of the respondents' total scores (sample variances; the
    ratio is the same with population ones). Returns ``None`` when alpha is undefined: fewer
    than two items or two respondents, or totals that do not vary.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16(3), 297-334. doi:10.1007/BF02310555

    Examples
    --------
    >>> round(cronbach_alpha(np.array([[1, 2], [2, 3], [3, 3]])), 4)
    0.8571
    """
    matrix = np.asarray(items, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 2:
        return None
    return alpha_from_covariance(np.cov(matrix, rowvar=False))


def alpha_from_covariance(covariance: np.ndarray) -> float | None:
    """Cronbach's alpha from the items' covariance matrix: total variance is its grand sum."""
    cov = np.asarray(covariance, dtype=float)
    k = cov.shape[0]
    total = float(cov.sum())
    if k < 2 or not math.isfinite(total) or total <= 0:
        return None
    return k / (k - 1) * (1 - float(np.trace(cov)) / total)


def scored_items(answers: Answers, bank: ItemBank) -> pd.DataFrame:
    """The answers with reverse items turned round (6 - answer); missing stays NaN."""
    values = answers.values.copy()
    for item in bank.items:
        if item.reverse:
            values[item.id] = 6 - values[item.id]
    return values


def scale_scores(answers: Answers, bank: ItemBank, *, min_answered: float = 0.5) -> pd.DataFrame:
    """Respondents by scales: the mean of the items answered, if enough were (see module notes)."""
    values = scored_items(answers, bank)
    scores = {}
    for scale in bank.scales:
        ids = [i.id for i in bank.scale_items(scale.id)]
        if not ids:
            continue
        block = values[ids]
        needed = max(1, math.ceil(min_answered * len(ids) - 1e-9))
        scores[scale.id] = block.mean(axis=1).where(block.notna().sum(axis=1) >= needed)
    return pd.DataFrame(scores, index=values.index)


def scale_summaries(
    answers: Answers, bank: ItemBank, scores: pd.DataFrame, bands: tuple[float, float]
) -> list[dict]:
    """Per scale: overall score, spread of views, don't-know share and alpha."""
    values = scored_items(answers, bank)
    out = []
    for scale in bank.scales:
        if scale.id not in scores:
            continue
        ids = [i.id for i in bank.scale_items(scale.id)]
        complete = values[ids].dropna()
        out.append(
            {
                "id": scale.id,
                "group": scale.group,
                "title": scale.title,
                "items": ids,
                **spread(scores[scale.id], bands),
                "dont_know_share": _dont_know_share(answers, ids),
                "alpha": {
                    "value": cronbach_alpha(complete.to_numpy()),
                    "respondents": len(complete),
                    "items": len(ids),
                },
                "seed": scale.seed,
            }
        )
    return out


def spread(scores: pd.Series, bands: tuple[float, float]) -> dict:
    """Mean, standard deviation, quartiles and the shares who disagree, are neutral, agree.

    ``bands`` = (some, strong): a respondent's score below ``some`` counts as disagreeing, at
    or above ``strong`` as agreeing, in between as neutral.
    """
    values = scores.dropna().to_numpy()
    if not len(values):
        return {"n": 0, "mean": None, "sd": None, "quartiles": None, "views": None}
    low, high = bands
    return {
        "n": len(values),
        "mean": float(values.mean()),
        "sd": float(values.std(ddof=1)) if len(values) > 1 else None,
        "quartiles": [float(q) for q in np.percentile(values, [25, 50, 75])],
        "views": {
            "disagree": float((values < low).mean()),
            "neutral": float(((values >= low) & (values < high)).mean()),
            "agree": float((values >= high).mean()),
        },
    }


def item_means(answers: Answers, bank: ItemBank, scale: str) -> list[dict]:
    """Each item of a scale with its mean (reverse items turned round) and answer count."""
    values = scored_items(answers, bank)
    rows = []
    for item in bank.scale_items(scale):
        column = values[item.id].dropna()
        rows.append(
            {
                "item": item.id,
                "text": item.text,
                "mean": float(column.mean()) if len(column) else None,
                "answers": len(column),
            }
        )
    return sorted(rows, key=lambda r: -(r["mean"] or 0.0))


def _dont_know_share(answers: Answers, ids: list[str]) -> float | None:
    dont_know = int(answers.dont_know[ids].to_numpy().sum())
    given = int(answers.values[ids].notna().to_numpy().sum())
    return dont_know / (dont_know + given) if dont_know + given else None
