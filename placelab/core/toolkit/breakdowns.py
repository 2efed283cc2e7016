"""Views broken down by sector, layer and seniority, never for a group of fewer than five.

Per grouping and scale, a group is shown only if at least ``min_group`` of its respondents have
a score on the scale. Hiding small groups is not enough on its own: the overall mean, less the
groups shown, would give away the mean of the people left out if they were fewer than
``min_group``. So when the people left out (small groups, and anyone with no value for the
grouping) number between 1 and ``min_group - 1``, the smallest shown group is hidden too, and
so on until they number ``min_group`` or more (complementary suppression, as statistical
agencies practise it).
"""

from __future__ import annotations

import pandas as pd

GROUPINGS = ("sector", "layer", "seniority")
MIN_GROUP = 5


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
    sizes = groups[groups != ""].value_counts()
    visible = {g: int(n) for g, n in sizes.items() if n >= min_group}
    hidden_groups = sorted(str(g) for g, n in sizes.items() if n < min_group)
    left_out = len(values) - sum(visible.values())
    while 0 < left_out < min_group and visible:
        smallest = min(visible, key=lambda g: (visible[g], g))
        left_out += visible.pop(smallest)
        hidden_groups.append(str(smallest))
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
