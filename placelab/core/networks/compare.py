"""Two waves of a study compared: what changed in each network, and whether it is clear.

Every figure is computed twice: over ``everyone`` on each wave's roster, and over the people who
answered in both waves (``answered_both``), so that a change in who answered is not read as a
change in the place. Changes of the panel's figures carry a bootstrap interval (see
:func:`compare_waves`); only those whose interval excludes 0 are "clear" and make findings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from placelab.core.data import StudyData
from placelab.core.disclosure import MIN_GROUP, shown_groups
from placelab.core.networks import alignment
from placelab.core.networks.analysis import GROUPINGS, NetworkAnalysis, analyse_networks
from placelab.core.networks.compare_findings import (
    CLEAR,
    NOT_CLEAR,
    STANDS_APART,
    change_findings,
    finding_groups,
)
from placelab.core.networks.graphs import directed_graph
from placelab.core.networks.parameters import Parameters
from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.vocabulary import ALL, label

# Fewer people than this answering both waves leave nothing to compare among them.
MIN_PANEL = 2
BOOTSTRAP_METHOD = (
    "The people who answered in both waves are resampled with replacement, {resamples} times "
    "(seed {seed}); each draw is the same for both waves. A figure is recomputed from the drawn "
    "respondents' own nominations (a person drawn twice counts twice): density as their ties "
    "over drawn respondents times (n - 1), reciprocity as the share of their ties returned, a "
    "group's E-I index and reach to the core from their ties touching the group, the core being "
    "each wave's own. A change is a clear change when the 2.5th to 97.5th percentile of the "
    "resampled changes excludes 0; otherwise there is no clear change."
)


GROUPS_METHOD = (
    "findings holds one finding per clear change; finding_groups puts together those that "
    "share a cause, each group led by one finding (its related lists the members' ids, each "
    "finding in exactly one group). When the core group changed among the panel, groups' reach "
    "to the core moving one way in two or more groups is one group, except a group whose "
    "largest change is more than {apart:g} times the median of the groups' largest; one "
    "sector's or layer's changes are one group; density or reciprocity moving one way in "
    "several networks is one group. Groups are ranked by severity, then groups' figures before "
    "whole networks', then the largest change."
)


def compare_waves(
    before: StudyData,
    after: StudyData,
    parameters: Parameters | None = None,
    *,
    resamples: int = 200,
    seed: int = 0,
) -> dict:
    """What changed between two waves of a study, as plain JSON-ready data.

    For each network both waves ask (and their union ``all``): ties kept, new and lost between
    people on both rosters; density, reciprocity and degree centralisation; who became or
    stopped being a key connector, by role; each sector's and layer's E-I index and reach to
    the core (groups of at least ``MIN_GROUP`` in both waves only); QAP correlation of the two
    waves' networks on the people on both rosters (``alignment.qap_alignment``, seeded); and
    communities merged or split. Who joined or left the core group is given once per view.

    Uncertainty: the panel's respondents are resampled with replacement ``resamples`` times,
    the same draw for both waves, and density, reciprocity and each group's E-I index and
    reach to the core are recomputed from the drawn respondents' ties (each drawn respondent's
    own nominations, counted as often as drawn). A change is a ``"clear change"`` when the 95
    per cent percentile interval of the resampled changes excludes 0, else ``"no clear
    change"``. Findings are made only from clear changes.

    Reference for the bootstrap: Efron, B. and Tibshirani, R. J. (1993). An Introduction to the
    Bootstrap. Chapman and Hall. https://doi.org/10.1201/9780429246593
    """
    parameters = parameters or Parameters()
    networks = [name for name in before.networks if name in after.networks]
    panel = _panel(before, after)
    views = {"everyone": (before, after)}
    if len(panel) >= MIN_PANEL:
        views["answered_both"] = (_restricted(before, panel), _restricted(after, panel))
    compared: dict[str, dict | None] = {"answered_both": None}
    for view, (first, second) in views.items():
        analyses = (analyse_networks(first, parameters), analyse_networks(second, parameters))
        found = _view(analyses, [*networks, ALL], parameters)
        if view == "answered_both":
            # One BLAS thread: the resamples' small products gain nothing from more, and two
            # threads waiting on each other cost up to ten times the CPU on a busy machine.
            with threadpool_limits(limits=1):
                _add_intervals(found, analyses, resamples, seed)
        compared[view] = found
    panel_view = compared["answered_both"]
    findings = change_findings(panel_view, resamples) if panel_view else []
    return {
        "format": "placelab-comparison/1",
        "networks": [*networks, ALL],
        "response": {
            "before": _response(before),
            "after": _response(after),
            "answered_both": len(panel),
        },
        "everyone": compared["everyone"],
        "answered_both": compared["answered_both"],
        "findings": findings,
        "finding_groups": finding_groups(findings, panel_view) if panel_view else [],
        "method": {
            "views": "everyone: each wave's whole roster; answered_both: only the people who "
            "answered in both waves, and their ties among themselves (null when fewer than "
            f"{MIN_PANEL} did). Only answered_both's changes carry an interval and a verdict.",
            "ties": "Ties kept, new and lost count directed nominations between people on both "
            "rosters; shares are of the earlier wave's ties between them.",
            "groups": f"Groups of fewer than {MIN_GROUP} people in either wave are not shown.",
            "communities": "Communities are matched by the people on both rosters: an earlier "
            "community most of whose members sit in one later community together with most of "
            "another earlier community's members has merged; one with no later community "
            "holding most of its members, spread over several, has split.",
            "bootstrap": BOOTSTRAP_METHOD.format(resamples=resamples, seed=seed),
            "finding_groups": GROUPS_METHOD.format(apart=STANDS_APART),
            "resamples": resamples,
            "seed": seed,
        },
    }


def _panel(before: StudyData, after: StudyData) -> list[str]:
    """People who answered in both waves, in the earlier wave's roster order."""
    answered = set(after.people.index[after.people["responded"]])
    return [p for p in before.people.index[before.people["responded"]] if p in answered]


def _restricted(data: StudyData, people: list[str]) -> StudyData:
    keep = set(people)
    ties = data.ties[data.ties["source"].isin(keep) & data.ties["target"].isin(keep)]
    return StudyData(
        people=data.people.loc[people], ties=ties.reset_index(drop=True),
        outside_ties=data.outside_ties.iloc[0:0], networks=data.networks,
    )  # fmt: skip


def _response(data: StudyData) -> dict:
    people, answered = len(data.people), int(data.people["responded"].sum())
    return {"people": people, "responded": answered, "rate": answered / people if people else None}


def _view(analyses: tuple[NetworkAnalysis, NetworkAnalysis], names: list[str], parameters) -> dict:
    first, second = analyses
    later = set(second.data.people.index)  # once: a set per person was quadratic in the roster
    common = [p for p in first.data.people.index if p in later]
    core = [set(a.core["members"]) & set(common) for a in analyses]
    return {
        "people_on_both_rosters": len(common),
        "core": {
            "joined": _named(second, core[1] - core[0]),
            "left": _named(first, core[0] - core[1]),
        },
        "networks": {
            name: {
                "ties": _tie_change(first.data, second.data, name, common),
                "figures": _figures(first, second, name),
                "key_connectors": _connector_change(first, second, name, common),
                "groups": _group_change(first, second, name),
                "qap": _qap(first.data, second.data, name, common, parameters),
                "communities": _community_change(first, second, name, common),
            }
            for name in names
        },
    }


def _named(analysis: NetworkAnalysis, ids: set[str]) -> list[dict]:
    people = analysis.data.people
    return [{"id": p, "name": str(people.at[p, "name"])} for p in people.index if p in ids]


def _pairs(data: StudyData, name: str, common: list[str]) -> set[tuple[str, str]]:
    ties = data.ties if name == ALL else data.ties[data.ties["network"] == name]
    keep = set(common)
    return {
        (s, t)
        for s, t in zip(ties["source"], ties["target"], strict=True)
        if s in keep and t in keep
    }


def _tie_change(first: StudyData, second: StudyData, name: str, common: list[str]) -> dict:
    earlier, later = _pairs(first, name, common), _pairs(second, name, common)
    base = len(earlier)
    counts = {
        "kept": len(earlier & later),
        "new": len(later - earlier),
        "lost": len(earlier - later),
    }
    return {
        "before": base,
        "after": len(later),
        **counts,
        **{f"{key}_share": value / base if base else None for key, value in counts.items()},
    }


FIGURES = {
    "density": "density",
    "reciprocity": "reciprocity",
    "centralisation": "degree_centralisation",
}


def _figures(first: NetworkAnalysis, second: NetworkAnalysis, name: str) -> dict:
    out = {}
    for key, column in FIGURES.items():
        a, b = float(first.summary.at[name, column]), float(second.summary.at[name, column])
        out[key] = {"before": a, "after": b, "change": b - a}
    return out


def _connector_change(first, second, name: str, common: list[str]) -> dict:
    held = [_holders(a, name, common) for a in (first, second)]
    return {
        role: {
            "became": _named(second, held[1][role] - held[0][role]),
            "stopped": _named(first, held[0][role] - held[1][role]),
        }
        for role in ROLE_SCORES
    }


def _holders(analysis: NetworkAnalysis, name: str, common: list[str]) -> dict[str, set[str]]:
    frame = analysis.measures[analysis.measures["network"] == name]
    keep = set(common)
    return {
        role: {
            p
            for p, roles in zip(frame["id"], frame["roles"], strict=True)
            if role in roles and p in keep
        }
        for role in ROLE_SCORES
    }


def _shown(first: NetworkAnalysis, second: NetworkAnalysis, grouping: str) -> list[str]:
    """Groups of at least ``MIN_GROUP`` people in both waves (with complementary hiding)."""
    sizes = [
        shown_groups(a.data.people[grouping].value_counts().to_dict()) for a in (first, second)
    ]
    return sorted(set(sizes[0]) & set(sizes[1]), key=str)


def _group_change(first: NetworkAnalysis, second: NetworkAnalysis, name: str) -> dict:
    out: dict[str, dict] = {}
    for grouping in GROUPINGS:
        frames = [
            a.group_mixing[(a.group_mixing["network"] == name) & (a.group_mixing["grouping"] == grouping)]
            .set_index("group") for a in (first, second)
        ]  # fmt: skip
        out[grouping] = {
            group: {
                "label": label(group),
                **{
                    key: _change(frames[0].at[group, column], frames[1].at[group, column])
                    for key, column in (("ei_index", "ei_index"), ("reach_core", "reach_core"))
                },
            }
            for group in _shown(first, second, grouping)
        }
    return out


def _change(before, after) -> dict:
    a, b = _number(before), _number(after)
    return {"before": a, "after": b, "change": b - a if a is not None and b is not None else None}


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _qap(first: StudyData, second: StudyData, name: str, common: list[str], parameters) -> dict:
    index = pd.Index(common)
    graphs = {}
    for wave, data in (("before", first), ("after", second)):
        pairs = np.array(sorted(_pairs(data, name, common)), dtype=object).reshape(-1, 2)
        edges = np.column_stack([index.get_indexer(pairs[:, 0]), index.get_indexer(pairs[:, 1])])
        graphs[wave] = directed_graph(len(common), edges.astype(np.int64), np.ones(len(edges)))
    table = alignment.qap_alignment(
        graphs, permutations=parameters.permutations_for(len(common)), seed=parameters.seed
    )
    if table.empty or len(common) < 2:
        return {"r": None, "p": None, "shared_ties": 0}
    row = table.iloc[0]
    return {"r": _number(row["r"]), "p": float(row["p"]), "shared_ties": int(row["shared_ties"])}


def _community_change(first, second, name: str, common: list[str]) -> dict:
    """Match communities by the people on both rosters (a contingency table)."""
    member = [
        a.measures[a.measures["network"] == name].set_index("id")["community"].reindex(common)
        for a in (first, second)
    ]
    table = pd.crosstab(member[0].rename("before"), member[1].rename("after"))
    table = table[table.sum(axis=1) >= 2]  # a lone person is no community to merge or split
    home = {a: row.idxmax() for a, row in table.iterrows() if row.max() * 2 > row.sum()}
    merged = [
        {"before": sorted(int(a) for a in earlier), "after": int(later)}
        for later in sorted(set(home.values()))
        if len(earlier := [a for a, h in home.items() if h == later]) > 1
    ]
    split = [
        {"before": int(a), "after": sorted(int(c) for c in row.index[row >= 2])}
        for a, row in table.iterrows()
        if a not in home and (row >= 2).sum() > 1
    ]
    return {
        "table": {
            "before": [int(a) for a in table.index],
            "after": [int(b) for b in table.columns],
            "people": table.to_numpy().tolist(),
        },
        "merged": merged,
        "split": split,
    }


def _add_intervals(view: dict, analyses, resamples: int, seed: int) -> None:
    """Attach each panel figure's bootstrap interval and verdict (``compare_waves``)."""
    n = len(analyses[0].data.people)
    rng = np.random.default_rng(seed)
    counts = np.stack(
        [np.bincount(rng.integers(0, max(n, 1), n), minlength=n) for _ in range(resamples)]
    ).reshape(resamples, n)
    for name, entry in view["networks"].items():
        waves = [_in_batches(a, name, counts) for a in analyses]
        for key in ("density", "reciprocity"):
            _verdict(entry["figures"][key], waves[1][key] - waves[0][key])
        for grouping, groups in entry["groups"].items():
            for group, figures in groups.items():
                for key in ("ei_index", "reach_core"):
                    _verdict(
                        figures[key],
                        waves[1][grouping, group, key] - waves[0][grouping, group, key],
                    )


# Resamples are recomputed in batches of about this many weighted ties, to bound memory.
BATCH = 4_000_000


def _in_batches(analysis: NetworkAnalysis, name: str, counts: np.ndarray) -> dict:
    ties = len(_tie_numbers(analysis.data, name))
    step = max(1, BATCH // max(ties, 1))
    parts = [_resampled(analysis, name, counts[i : i + step]) for i in range(0, len(counts), step)]
    return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}


def _resampled(analysis: NetworkAnalysis, name: str, counts: np.ndarray) -> dict:
    """Each figure once per resample: ``counts[r, i]`` is how often respondent i was drawn."""
    data, n = analysis.data, len(analysis.data.people)
    ties = _tie_numbers(data, name)
    source, target = ties[:, 0], ties[:, 1]
    weight = counts[:, source].astype(float)  # (resamples, ties)
    total = weight.sum(axis=1)
    returned = _returned(ties, n)
    core = data.people.index.isin(analysis.core["members"])
    out: dict = {
        "density": total / (counts.sum(axis=1) * (n - 1)) if n > 1 else np.zeros(len(counts)),
        "reciprocity": _divide(weight @ returned, total),
    }
    for grouping in GROUPINGS:
        values = data.people[grouping].to_numpy(dtype=str)
        for group in set(values.tolist()):
            inside = values == group
            internal = inside[source] & inside[target]
            external = inside[source] ^ inside[target]
            own = (inside & ~core)[source].astype(float) + (inside & ~core)[target]
            to_core = (inside & ~core)[source] & core[target]
            to_core = to_core.astype(float) + ((inside & ~core)[target] & core[source])
            i, e = weight @ internal, weight @ external
            out[grouping, group, "ei_index"] = _divide(e - i, e + i)
            out[grouping, group, "reach_core"] = _divide(weight @ to_core, weight @ own)
    return out


def _tie_numbers(data: StudyData, name: str) -> np.ndarray:
    ties = data.ties if name == ALL else data.ties[data.ties["network"] == name]
    index = data.people.index
    pairs = np.column_stack([index.get_indexer(ties["source"]), index.get_indexer(ties["target"])])
    return np.unique(pairs.astype(np.int64).reshape(-1, 2), axis=0)  # "all": a pair once


def _returned(ties: np.ndarray, n: int) -> np.ndarray:
    cells = ties[:, 0] * n + ties[:, 1]
    return np.isin(ties[:, 1] * n + ties[:, 0], cells).astype(float)


def _divide(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1), np.nan)


def _verdict(figure: dict, changes: np.ndarray) -> None:
    finite = changes[np.isfinite(changes)]
    if figure["change"] is None or len(finite) < len(changes) * 0.95:
        # A figure undefined in many resamples (a group with almost no ties) cannot be judged.
        figure.update(interval=None, verdict=NOT_CLEAR)
        return
    low, high = (float(v) for v in np.percentile(finite, [2.5, 97.5]))
    figure.update(interval=[low, high], verdict=CLEAR if low > 0 or high < 0 else NOT_CLEAR)
