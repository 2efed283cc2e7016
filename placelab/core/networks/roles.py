"""Key connectors: hubs, gatekeepers and pulsetakers (Appendix C 2.2; Stephenson and Zelen 1989).

Each role is the top 5 per cent (at least one person) of one documented score, on the
symmetrised network:

- hub: degree, the number of people someone is tied to either way; "many direct ties".
- gatekeeper: betweenness (Freeman 1977); "few ties, but to a strategic few, between groups".
- pulsetaker: information centrality (Stephenson and Zelen 1989); "reaches many people through
  indirect ties".

``k = max(1, ceil(share * n))`` over the n people in the roster; everyone whose score equals or
passes the k-th highest holds the role, so tied people share it, and a score of 0 never does.
One person may hold several roles; their primary role is the one in which they rank highest
(rank divided by the role's holders), ties broken in the order hub, gatekeeper, pulsetaker.

When a score is estimated (betweenness and information centrality above ``exact_limit``), the
measures carry its standard error in a column ``<score>_se``. A holder whose 95 per cent
interval, estimate - 1.96 standard errors, reaches below the role's threshold (the k-th highest
estimate) holds the role only *borderline*: the estimate cannot tell them apart from the next
people. The others hold it for certain.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from placelab.core.networks.parameters import TOP_SHARE

ROLE_SCORES: dict[str, str] = {
    "hub": "degree",
    "gatekeeper": "betweenness",
    "pulsetaker": "information",
}
# How every map draws the roles (Appendix C 4.2, Figure C8: hubs yellow, gatekeepers green,
# pulsetakers red), and everyone else: the static SVG, the browser map and the GEXF alike.
ROLE_COLOURS: dict[str, str] = {"hub": "#f5c400", "gatekeeper": "#1f8a3b", "pulsetaker": "#d4351c"}
OTHER_COLOUR = "#5f6b7a"
# Scores computed in floating point that agree to this many digits count as tied.
TIE_DECIMALS = 9
# A two-sided 95 per cent normal interval: how far below the estimate a borderline holder reaches.
BORDERLINE_Z = 1.96


def top_share(scores: np.ndarray, *, share: float = TOP_SHARE) -> np.ndarray:
    """Boolean mask of the top ``share`` of ``scores`` (at least one), ties included, zeros never."""
    values = np.round(np.nan_to_num(np.asarray(scores, dtype=float)), TIE_DECIMALS)
    if values.size == 0:
        return np.zeros(0, dtype=bool)
    k = max(1, math.ceil(share * values.size))
    threshold = np.sort(values)[::-1][k - 1]
    return (values >= threshold) & (values > 0)


def threshold(scores: np.ndarray, *, share: float = TOP_SHARE) -> float:
    """The k-th highest score, the least a holder of the role has (``top_share``'s cut)."""
    values = np.sort(np.round(np.nan_to_num(np.asarray(scores, dtype=float)), TIE_DECIMALS))
    if values.size == 0:
        return 0.0
    return float(values[::-1][max(1, math.ceil(share * values.size)) - 1])


def borderline(
    scores: np.ndarray, se: np.ndarray, held: np.ndarray, *, share: float = TOP_SHARE
) -> np.ndarray:
    """Holders whose interval, score - ``BORDERLINE_Z`` standard errors, reaches below the
    threshold; never anyone whose score is exact (standard error NaN or 0)."""
    errors = np.nan_to_num(np.asarray(se, dtype=float))
    # Rounded as top_share rounds, so that a holder tied at the threshold is not below it.
    low = np.round(np.nan_to_num(np.asarray(scores, dtype=float)), TIE_DECIMALS)
    low = low - BORDERLINE_Z * errors
    return np.asarray(held, dtype=bool) & (errors > 0) & (low < threshold(scores, share=share))


def key_connectors(measures: pd.DataFrame, *, share: float = TOP_SHARE) -> pd.DataFrame:
    """One boolean column per role, plus ``roles`` (list), ``primary_role`` (or "") and
    ``borderline`` (list): the roles held only borderline, for scores with a ``_se`` column."""
    held = pd.DataFrame(
        {
            role: top_share(measures[score].to_numpy(), share=share)
            for role, score in ROLE_SCORES.items()
        },
        index=measures.index,
    )
    names = list(ROLE_SCORES)
    # Rank within the role over the number of holders: lower is more central to that role.
    standing = np.column_stack([
        np.where(held[role], measures[ROLE_SCORES[role]].rank(ascending=False, method="min")
                 / max(1, int(held[role].sum())), np.inf)
        for role in names
    ])  # fmt: skip
    first = standing.argmin(axis=1)  # argmin takes the first of equals: hub, gatekeeper, pulsetaker
    flags = held.to_numpy()
    roles = [[role for role, on in zip(names, row, strict=True) if on] for row in flags]
    primary = [names[i] if row.any() else "" for i, row in zip(first, flags, strict=True)]
    return held.assign(
        roles=roles, primary_role=primary, borderline=_borderline(measures, held, share)
    )


def _borderline(measures: pd.DataFrame, held: pd.DataFrame, share: float) -> list[list[str]]:
    """Per person, the roles whose score is estimated and which they hold only borderline."""
    found = {
        role: borderline(
            measures[score].to_numpy(),
            measures[f"{score}_se"].to_numpy(),
            held[role].to_numpy(),
            share=share,
        )
        for role, score in ROLE_SCORES.items()
        if f"{score}_se" in measures
    }
    return [[role for role, flags in found.items() if flags[i]] for i in range(len(held))]
