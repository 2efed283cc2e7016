"""Scale scores per respondent and overall, their spread, and Cronbach's alpha.

The missing-data rule, stated once: "don't know", skipped answers and statements not asked (a
planned-missingness design, :mod:`.planned`) are missing. A respondent has a score on a scale
when they answered at least ``min_answered`` (default half, rounded up) of its items; the score
is the mean of the items they answered, reverse items counted as 6 - answer. A scale's overall
score is the mean of its respondents' scores, each respondent counting once, with a 95%
t-interval. Cronbach's alpha is computed from pairwise-complete covariances (each pair of items
over the respondents who answered both), reported with the fewest respondents behind a pair and
a 95% percentile interval from bootstrap resamples of the respondents: with complete answers it
is the usual alpha, and with fewer answers its interval widens.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

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


def pairwise_covariance(
    matrix: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Covariances of a respondents-by-items matrix with NaN for missing, pair by pair.

    Each entry uses the respondents who answered both items, about their own means over those
    respondents (sample covariance, n - 1), as ``pandas.DataFrame.cov`` does; returns the matrix
    and the number of respondents behind each entry. An entry with fewer than two is NaN.
    ``weights`` (resamples x respondents: how many times each is drawn) gives one matrix per
    resample, each a single matrix product over the respondents.
    """
    x = np.asarray(matrix, dtype=float)
    n, k = x.shape
    present = np.isfinite(x).astype(float)
    filled = np.where(present > 0, x, 0.0)
    # Per respondent, the four products a pairwise covariance sums, each flattened to k x k.
    terms = np.concatenate(
        [(a[:, :, None] * b[:, None, :]).reshape(n, k * k)
         for a, b in ((present, present), (filled, filled), (filled, present), (present, filled))],
        axis=1,
    )  # fmt: skip
    counts = np.ones((1, n)) if weights is None else np.asarray(weights, dtype=float)
    sums = (counts @ terms).reshape(len(counts), 4, k, k)
    pairs, products, sum_i, sum_j = (sums[:, t] for t in range(4))  # sum_i: i where j answered
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (products - sum_i * sum_j / pairs) / (pairs - 1)
    cov = np.where(pairs >= 2, cov, np.nan)
    if weights is None:
        return cov[0], np.rint(pairs[0]).astype(int)
    return cov, np.rint(pairs).astype(int)


def pairwise_alpha(matrix: np.ndarray) -> float | None:
    """Cronbach's alpha from pairwise-complete covariances; None if a pair has under two."""
    cov, _pairs = pairwise_covariance(matrix)
    if cov.shape[0] < 2 or not np.isfinite(cov).all():
        return None
    return alpha_from_covariance(cov)


def alpha_interval(
    matrix: np.ndarray, *, seed: int = 0, resamples: int = 1000, level: float = 0.95
) -> list[float] | None:
    """A percentile bootstrap interval for pairwise alpha, resampling respondents (seeded).

    Resamples in which alpha is undefined (a pair left with under two respondents) are left out;
    if more than a tenth are, there is no interval: the data are too thin to say.
    """
    x = np.asarray(matrix, dtype=float)
    n = len(x)
    if n < 2 or x.shape[1] < 2 or resamples < 1:
        return None
    rng = np.random.default_rng(seed)
    values: list[np.ndarray] = []
    batch = max(1, 2_000_000 // n)  # bound the memory of one batch of resamples
    for start in range(0, resamples, batch):
        size = min(batch, resamples - start)
        picks = rng.integers(0, n, size=(size, n)) + n * np.arange(size)[:, None]
        weights = np.bincount(picks.ravel(), minlength=size * n).reshape(size, n)
        values.append(_alphas(pairwise_covariance(x, weights)[0]))
    alphas = np.concatenate(values)
    alphas = alphas[np.isfinite(alphas)]
    if len(alphas) < 0.9 * resamples:
        return None
    tail = (1 - level) / 2 * 100
    return [float(v) for v in np.percentile(alphas, [tail, 100 - tail])]


def _alphas(cov: np.ndarray) -> np.ndarray:
    """``alpha_from_covariance`` over a stack of covariance matrices; NaN where undefined."""
    k = cov.shape[-1]
    total = cov.sum(axis=(-2, -1))
    trace = np.trace(cov, axis1=-2, axis2=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - trace / total)
    return np.where(np.isfinite(total) & (total > 0), alpha, np.nan)


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
    answers: Answers,
    bank: ItemBank,
    scores: pd.DataFrame,
    bands: tuple[float, float],
    *,
    seed: int = 0,
    resamples: int = 1000,
) -> list[dict]:
    """Per scale: overall score, spread of views, don't-know share and alpha (see module notes)."""
    values = scored_items(answers, bank)
    out = []
    for scale in bank.scales:
        if scale.id not in scores:
            continue
        ids = [i.id for i in bank.scale_items(scale.id)]
        out.append(
            {
                "id": scale.id,
                "group": scale.group,
                "title": scale.title,
                "items": ids,
                **spread(scores[scale.id], bands),
                "dont_know_share": _dont_know_share(answers, ids),
                "alpha": scale_alpha(values[ids].to_numpy(), seed=seed, resamples=resamples),
                "seed": scale.seed,
            }
        )
    return out


def scale_alpha(matrix: np.ndarray, *, seed: int = 0, resamples: int = 1000) -> dict:
    """Pairwise alpha of one scale's scored answers, with its interval and the data behind it.

    The value is withheld (None) when the bootstrap cannot form an interval (see
    :func:`alpha_interval`).
    ``respondents`` answered two or more of its items (so take part in a covariance);
    ``fewest_pairs`` is the fewest who answered one pair of items together.
    """
    used = matrix[np.isfinite(matrix).sum(axis=1) >= 2]
    _cov, pairs = pairwise_covariance(used)
    off_diagonal = pairs[~np.eye(len(pairs), dtype=bool)]
    interval = alpha_interval(used, seed=seed, resamples=resamples)
    # Too thin for an interval is too thin for a value: a figure from two or three respondents
    # per pair would read as a finding about the scale.
    value = pairwise_alpha(used) if interval is not None or resamples < 1 else None
    return {
        "value": value,
        "interval": interval,
        "respondents": len(used),
        "items": matrix.shape[1],
        "fewest_pairs": int(off_diagonal.min()) if off_diagonal.size else 0,
        "complete": int(np.isfinite(matrix).all(axis=1).sum()),
    }


def spread(scores: pd.Series, bands: tuple[float, float]) -> dict:
    """Mean, standard deviation, quartiles and the shares who disagree, are neutral, agree.

    ``bands`` = (some, strong): a respondent's score below ``some`` counts as disagreeing, at
    or above ``strong`` as agreeing, in between as neutral.
    """
    values = scores.dropna().to_numpy()
    if not len(values):
        return {"n": 0, "mean": None, "sd": None, "interval": None, "quartiles": None,
                "views": None}  # fmt: skip
    low, high = bands
    return {
        "n": len(values),
        "mean": float(values.mean()),
        "sd": float(values.std(ddof=1)) if len(values) > 1 else None,
        "interval": mean_interval(values),
        "quartiles": [float(q) for q in np.percentile(values, [25, 50, 75])],
        "views": {
            "disagree": float((values < low).mean()),
            "neutral": float(((values >= low) & (values < high)).mean()),
            "agree": float((values >= high).mean()),
        },
    }


def mean_interval(values: np.ndarray, level: float = 0.95) -> list[float] | None:
    """The t-interval for a mean: mean +- t(n - 1) x sd / sqrt(n); None under two values."""
    n = len(values)
    if n < 2:
        return None
    mean, half = float(values.mean()), float(values.std(ddof=1)) / math.sqrt(n)
    t = float(stats.t.ppf(0.5 + level / 2, n - 1))
    return [mean - t * half, mean + t * half]


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
