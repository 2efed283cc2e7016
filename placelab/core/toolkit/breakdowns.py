"""Views broken down by sector, layer and seniority, never for a group of fewer than five.

Per grouping and scale, a group is shown only if at least ``min_group`` of its respondents have
a score on the scale, and no group is shown whose figures would let a smaller one be worked
out by subtraction (:func:`placelab.core.disclosure.shown_groups`).
"""

from __future__ import annotations

import pandas as pd

from placelab.core.disclosure import MIN_GROUP, shown_groups

GROUPINGS = ("sector", "layer", "seniority")


def breakdowns(
    scores: pd.DataFrame,
    people: pd.DataFrame,
    *,
    groupings: tuple[str, ...] = GROUPINGS,
    min_group: int = MIN_GROUP,
) -> tuple[list[dict], list[dict]]:
    """Rows ``{grouping, group, scale, n, mean, sd}`` shown, and what was held back per scale."""
    shown: list[dict] = []
    held: list[dict] = []
    for grouping in groupings:
        if grouping not in people:
            continue
        labels = people[grouping].reindex(scores.index).fillna("").astype(str)
        for scale in scores.columns:
            rows, hidden = _one_scale(scores[scale].dropna(), labels, min_group)
            shown += [{"grouping": grouping, "scale": scale, **row} for row in rows]
            if hidden["groups"] or hidden["respondents"]:
                held.append({"grouping": grouping, "scale": scale, **hidden})
    return shown, held


def _one_scale(values: pd.Series, labels: pd.Series, min_group: int) -> tuple[list[dict], dict]:
    groups = labels[values.index]
    sizes = {str(g): int(n) for g, n in groups[groups != ""].value_counts().items()}
    visible = shown_groups(sizes, len(values), min_group=min_group)
    hidden_groups = [g for g in sizes if g not in visible]
    left_out = len(values) - sum(visible.values())
    rows = [
        {
            "group": str(group),
            "n": n,
            "mean": float(values[groups == group].mean()),
            "sd": float(values[groups == group].std(ddof=1)),
        }
        for group, n in sorted(visible.items())
    ]
    return rows, {"groups": sorted(hidden_groups), "respondents": left_out}


def divided_views(rows: list[dict], *, gap: float) -> list[dict]:
    """Scales on which shown groups of one grouping differ by ``gap`` points or more."""
    out: list[dict] = []
    frame = pd.DataFrame(rows)
    if frame.empty:
        return out
    for (grouping, scale), part in frame.groupby(["grouping", "scale"], sort=False):
        if len(part) < 2:
            continue
        high, low = part.loc[part["mean"].idxmax()], part.loc[part["mean"].idxmin()]
        if high["mean"] - low["mean"] >= gap:
            out.append(
                {
                    "grouping": grouping,
                    "scale": scale,
                    "highest": {"group": high["group"], "mean": float(high["mean"])},
                    "lowest": {"group": low["group"], "mean": float(low["mean"])},
                    "gap": float(high["mean"] - low["mean"]),
                }
            )
    return out
