"""Two waves' diagnoses compared: phase, strategic triangle and opportunity x motivation x
resources, each before and after with its spread, for everyone and by sector and layer.

Reads only the aggregates a stored diagnosis keeps (``placelab.core.toolkit.diagnose``'s
``scales``, ``lifecycle``, ``triangle``, ``omr`` and ``breakdowns``), so a viewer's copy, which
has lost the per-respondent scores, compares as well as the full one.

When is a change clear? Each wave's mean carries its 95% t-interval (mean +- t(n - 1) x sd /
sqrt(n), as ``placelab.core.toolkit.scoring.mean_interval`` makes it for everyone). A change is
a ``"clear change"`` only when the two intervals do not overlap. That is conservative: two
intervals that just fail to overlap mark a difference significant at about the 0.5% level, not
5% (Schenker and Gentleman 2001, doi:10.1198/000313001317097960), so some real changes are
called "no clear change". It needs no per-respondent data and treats the waves as independent
samples, which they are not quite when people answer both: another reason it errs towards
caution. The phase is a category: it is a clear change only when both waves name a phase (its
mean reaches the agree band), they differ, and each wave's phase came top in at least
``PHASE_CONFIDENCE`` of its bootstrap resamples.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scipy import stats

from placelab.core.disclosure import MIN_GROUP
from placelab.core.networks.compare_findings import CLEAR, NOT_CLEAR  # one pair of verdicts
from placelab.core.vocabulary import label

FORMAT = "placelab-diagnosis-comparison/1"
PHASE_CONFIDENCE = 0.7  # the diagnosis' "moderate" confidence
GROUPINGS = ("sector", "layer")
PARTS = {
    "phase": ("phase_0", "phase_1", "phase_2", "phase_3", "phase_4"),
    "triangle": (
        "triangle_authority", "triangle_capacity", "triangle_value",
        "link_authority_capacity", "link_capacity_value", "link_value_authority",
    ),
    "omr_providers": (
        "omr_provider_opportunity", "omr_provider_motivation", "omr_provider_resources",
    ),
    "omr_community": (
        "omr_community_opportunity", "omr_community_motivation", "omr_community_resources",
    ),
}  # fmt: skip
METHOD = (
    "Each score is a mean of respondents' scores from 1 to 5, with its 95% t-interval. A change "
    "is a clear change only when the two waves' intervals do not overlap: a conservative test "
    "(about the 0.5% level rather than 5%; Schenker and Gentleman 2001), so a real but small "
    "change can read as no clear change. The phase changes clearly only when both waves name "
    "a phase, they differ, and each came top in at least {confidence:.0%} of its wave's "
    "resamples. Groups (sectors, layers) are compared only where both waves show them, that is "
    "with at least {min_group} scored respondents each."
)


def compare_diagnoses(before: Mapping, after: Mapping) -> dict:
    """What changed between two diagnoses, as plain JSON-ready data (see the module's notes).

    Each compared score is ``{"scale", "title", "before", "after", "change", "verdict"}``, where
    ``before`` and ``after`` are ``{"n", "mean", "sd", "interval"}`` (None when that wave has no
    score) and ``change`` is after minus before.

    >>> one = {"scales": [{"id": "triangle_value", "title": "Value", "n": 30, "mean": 2.0,
    ...                    "sd": 0.5, "interval": [1.81, 2.19]}]}
    >>> two = {"scales": [{"id": "triangle_value", "title": "Value", "n": 30, "mean": 3.0,
    ...                    "sd": 0.5, "interval": [2.81, 3.19]}]}
    >>> compare_diagnoses(one, two)["triangle"]["scores"][0]["verdict"]
    'clear change'
    """
    scales = [_by_id(d.get("scales")) for d in (before, after)]
    return {
        "format": FORMAT,
        "respondents": {
            "before": _respondents(before),
            "after": _respondents(after),
        },
        "phase": {
            **_phase(before.get("lifecycle"), after.get("lifecycle")),
            "scores": _scores(scales, PARTS["phase"]),
        },
        "triangle": {
            "scores": _scores(scales, PARTS["triangle"]),
            "weak_corner": {w: _weak(d) for w, d in (("before", before), ("after", after))},
            "path": {
                w: (d.get("triangle") or {}).get("path")
                for w, d in (("before", before), ("after", after))
            },
        },  # fmt: skip
        "omr": {
            side: {
                "scores": _scores(scales, PARTS[f"omr_{side}"]),
                "balanced": _plain_change(*(_balanced(d, side) for d in (before, after))),
            }
            for side in ("providers", "community")
        },
        "groups": _groups(before, after, scales),
        "method": METHOD.format(confidence=PHASE_CONFIDENCE, min_group=MIN_GROUP),
    }


def _by_id(scales) -> dict[str, dict]:
    return {s["id"]: s for s in scales or []}


def _respondents(diagnosis: Mapping) -> int | None:
    return (diagnosis.get("inputs") or {}).get("scored_respondents")


def _figure(scale: Mapping | None) -> dict | None:
    if not scale or scale.get("mean") is None:
        return None
    interval = scale.get("interval")
    if interval is None:
        interval = t_interval(scale["mean"], scale.get("sd"), scale.get("n") or 0)
    return {
        "n": scale.get("n"),
        "mean": scale["mean"],
        "sd": scale.get("sd"),
        "interval": list(interval) if interval is not None else None,
    }


def t_interval(mean: float, sd: float | None, n: int, level: float = 0.95) -> list[float] | None:
    """The t-interval of a mean from its summary: mean +- t(n - 1) x sd / sqrt(n), the rule of
    ``placelab.core.toolkit.scoring.mean_interval`` for a group whose scores are not kept.

    >>> [round(v, 3) for v in t_interval(3.0, 1.0, 4)]
    [1.409, 4.591]
    """
    if sd is None or n < 2 or not math.isfinite(sd):
        return None
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return [mean - half, mean + half]


def compared(scale: str, title: str, first: dict | None, second: dict | None) -> dict:
    """One score in both waves, its change and verdict (intervals that do not overlap)."""
    change = second["mean"] - first["mean"] if first and second else None
    verdict = NOT_CLEAR
    if first and second and first["interval"] and second["interval"]:
        (a_low, a_high), (b_low, b_high) = first["interval"], second["interval"]
        verdict = CLEAR if b_low > a_high or b_high < a_low else NOT_CLEAR
    return {
        "scale": scale, "title": title, "before": first, "after": second,
        "change": change, "verdict": verdict,
    }  # fmt: skip


def _scores(scales: list[dict[str, dict]], ids: tuple[str, ...]) -> list[dict]:
    out = []
    for scale in ids:
        if scale not in scales[0] and scale not in scales[1]:
            continue
        title = (scales[1].get(scale) or scales[0].get(scale) or {}).get("title", scale)
        out.append(compared(scale, title, _figure(scales[0].get(scale)),
                            _figure(scales[1].get(scale))))  # fmt: skip
    return out


def _named_phase(lifecycle: Mapping | None) -> dict | None:
    if not lifecycle:
        return None
    phase = lifecycle.get("phase") or lifecycle.get("leading") or {}
    confidence = lifecycle.get("confidence") or {}
    return {
        "id": phase.get("id"),
        "name": phase.get("name"),
        "described": bool(lifecycle.get("phase")),
        "confidence": confidence.get("label"),
        "top_share": confidence.get("bootstrap_share"),
        "agreement": lifecycle.get("agreement"),
    }


def _phase(first: Mapping | None, second: Mapping | None) -> dict:
    a, b = _named_phase(first), _named_phase(second)
    clear = bool(
        a and b and a["described"] and b["described"] and a["id"] != b["id"]
        and min(a["top_share"] or 0, b["top_share"] or 0) >= PHASE_CONFIDENCE
    )  # fmt: skip
    moved = None if not (a and b) or a["id"] is None or b["id"] is None else b["id"] - a["id"]
    return {
        "before": a,
        "after": b,
        "moved": moved,
        "verdict": CLEAR if clear else NOT_CLEAR,
    }


def _weak(diagnosis: Mapping) -> str | None:
    weak = (diagnosis.get("triangle") or {}).get("weak_corner")
    return weak.get("corner") if weak else None


def _balanced(diagnosis: Mapping, side: str) -> float | None:
    return ((diagnosis.get("omr") or {}).get(side) or {}).get("balanced")


def _plain_change(first: float | None, second: float | None) -> dict:
    change = second - first if first is not None and second is not None else None
    return {"before": first, "after": second, "change": change}


def _groups(before: Mapping, after: Mapping, scales: list[dict[str, dict]]) -> dict:
    """Each sector's and layer's scores where both waves show the group (the diagnosis' own
    breakdowns, already held to its minimum group size)."""
    rows = [
        {
            (r["grouping"], r["group"], r["scale"]): r
            for r in (d.get("breakdowns") or {}).get("shown", [])
        }
        for d in (before, after)
    ]
    wanted = [s for ids in PARTS.values() for s in ids]
    out: dict[str, dict] = {g: {} for g in GROUPINGS}
    for key in sorted(set(rows[0]) & set(rows[1])):
        grouping, group, scale = key
        if grouping not in out or scale not in wanted:
            continue
        title = (scales[1].get(scale) or scales[0].get(scale) or {}).get("title", scale)
        figures = [_figure(r[key]) for r in rows]
        entry = out[grouping].setdefault(group, {"label": label(group), "scores": []})
        entry["scores"].append(compared(scale, title, *figures))
    for groups in out.values():
        for entry in groups.values():
            entry["scores"].sort(key=lambda c: wanted.index(c["scale"]))
    return out
