"""Run every network measure of a study in one pass and keep the results as DataFrames."""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import igraph as ig
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from placelab.core.data import StudyData
from placelab.core.networks import alignment, brokerage, communities, core_group, fragility, mixing
from placelab.core.networks.centrality import person_measures
from placelab.core.networks.graphs import Networks, build_networks
from placelab.core.networks.layout import sector_layout
from placelab.core.networks.parameters import Parameters
from placelab.core.networks.roles import ROLE_SCORES, key_connectors
from placelab.core.networks.summary import network_summary
from placelab.core.vocabulary import ALL, LAYERS, UNKNOWN

Progress = Callable[[str], None]
GROUPINGS = ("sector", "layer")


@dataclass
class NetworkAnalysis:
    """The results of one analysis; every table is indexed or keyed by person id and network."""

    data: StudyData
    parameters: Parameters
    summary: pd.DataFrame
    measures: pd.DataFrame
    brokerage: pd.DataFrame
    brokerage_expected: pd.DataFrame
    ei: pd.DataFrame
    group_mixing: pd.DataFrame
    tie_matrices: dict[tuple[str, str], pd.DataFrame]
    layer_links: pd.DataFrame
    core: dict
    alignment: pd.DataFrame
    departures: pd.DataFrame
    worst_departures: pd.DataFrame
    community_makeup: dict[str, pd.DataFrame]
    outsiders: pd.DataFrame
    layout: dict

    @property
    def exact(self) -> bool:
        """Whether every path-based measure is exact (the roster is within ``exact_limit``)."""
        return len(self.data.people) <= self.parameters.exact_limit


def analyse_networks(
    data: StudyData,
    parameters: Parameters | None = None,
    progress: Progress | None = None,
    *,
    sector_order: Sequence[str] | None = None,
    anchors: Mapping | None = None,
) -> NetworkAnalysis:
    """Every network measure of ``data``; ``progress`` is told each step as it starts.

    ``sector_order`` and ``anchors`` (an earlier wave's stored layout) go to the map layout,
    ``placelab.core.networks.layout.sector_layout``.
    """
    parameters = parameters or Parameters()
    say = progress or (lambda _step: None)
    say("building the networks")
    nets = build_networks(data)
    respondents = data.people["responded"].to_numpy(dtype=bool)
    groups = {g: data.people[g].to_numpy(dtype=str) for g in GROUPINGS}
    summary = {
        name: network_summary(nets.directed[name], nets.undirected[name], respondents)
        for name in nets.names
    }

    def align_and_place() -> tuple[pd.DataFrame, dict]:
        say("alignment between networks, and placing people on the maps")
        aligned = alignment.qap_alignment(
            {name: nets.directed[name] for name in data.networks},
            permutations=parameters.permutations_for(len(nets.ids)),
            seed=parameters.seed,
        )
        placed = sector_layout(
            nets.undirected[ALL], nets.ids, groups["sector"], seed=parameters.seed,
            sector_order=sector_order, anchors=anchors,
        )  # fmt: skip
        return aligned, placed

    measured, (aligned, layout) = _measure_networks(
        nets, groups["sector"], parameters, say, align_and_place
    )
    measures_frame = pd.concat([m for m, _b in measured], ignore_index=True)
    connectors = _connector_table(measures_frame, data.networks, nets.ids)
    core = core_group.core_members(connectors)
    say("mixing, brokerage and the core group")
    mixes = _mixing(nets, groups, core)
    say("fragility if key connectors leave")
    leaving, worst = _fragility(nets, measures_frame, parameters)
    return NetworkAnalysis(
        data=data,
        parameters=parameters,
        summary=pd.DataFrame.from_dict(summary, orient="index").rename_axis("network"),
        measures=measures_frame,
        brokerage=pd.concat([b for _m, b in measured], ignore_index=True),
        brokerage_expected=_brokerage_expected(nets, groups["sector"], summary),
        ei=mixes["ei"],
        group_mixing=mixes["groups"],
        tie_matrices=mixes["matrices"],
        layer_links=mixes["layers"],
        core={
            "members": [nets.ids[i] for i in np.flatnonzero(core)],
            "connector_networks": connectors.sum(axis=1).to_dict(),
            "overlap": core_group.connector_overlap(connectors),
            "closure": core_group.core_closure(nets.directed[ALL], core, ties=_ties(nets, ALL)),
        },
        alignment=aligned,
        departures=leaving,
        worst_departures=worst,
        community_makeup=_makeup(measures_frame, data),
        outsiders=_outsiders(data),
        layout=layout,
    )


# Below this many people a pool of processes costs more than it saves.
PARALLEL_FROM = 500


Measured = tuple[pd.DataFrame, pd.DataFrame]
T = TypeVar("T")


def _measure_networks(
    nets: Networks,
    sectors: np.ndarray,
    parameters: Parameters,
    say: Progress,
    meanwhile: Callable[[], T],
) -> tuple[list[Measured], T]:
    """Per-person measures and brokerage of every network, and ``meanwhile()``'s result.

    igraph holds the interpreter lock while it computes, so large networks go to processes,
    the largest first so that no big one is left running alone at the end; ``meanwhile``
    runs in this process while they work.
    """
    jobs = [
        (nets.directed[n], nets.undirected[n], n, nets.ids, sectors, parameters) for n in nets.names
    ]
    workers = min(len(jobs), os.cpu_count() or 1)
    if len(nets.ids) < PARALLEL_FROM or workers < 2:
        # One BLAS thread here too: on a busy machine OpenBLAS's threads wait on each other,
        # and a Cholesky factor of 1,000 people took 1.3 s instead of 0.01 s (measured).
        with threadpool_limits(limits=1):
            return [_say_then(say, job) for job in jobs], meanwhile()
    largest_first = [job[2] for job in sorted(jobs, key=lambda job: -job[0].ecount())]
    context = multiprocessing.get_context("fork")  # no re-import of the caller's main module
    token = next(_ANALYSES)  # two analyses in one process's threads keep their jobs apart
    _INHERITED.update(((token, job[2]), job) for job in jobs)
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_start_worker,
            initargs=(os.getpid(),),
        ) as pool:  # fmt: skip
            results = pool.map(_measure_inherited, [(token, name) for name in largest_first])
            extra = meanwhile()
            done = {}
            for name, result in zip(largest_first, results, strict=True):
                say(f"measured the {name} network")
                done[name] = result
            return [done[name] for name in nets.names], extra
    finally:
        for name in largest_first:
            _INHERITED.pop((token, name), None)


# Each network's job, set before the pool forks its workers: they read the graphs they inherit
# rather than pickled copies (a second of CPU at 10,000 people, and a copy of every graph).
_INHERITED: dict[tuple[int, str], tuple] = {}
_ANALYSES = itertools.count()


def _measure_inherited(key: tuple[int, str]) -> Measured:
    return _network_measures(*_INHERITED[key])


def _start_worker(parent: int) -> None:
    """Each worker uses one BLAS thread (several processes each using every core fight) and
    dies with ``parent``: a process killed mid-analysis (SIGKILL) would otherwise leave its
    workers waiting for work for ever, holding their memory."""
    threadpool_limits(limits=1)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # it died before the line above
            os._exit(1)


def _say_then(say: Progress, job: tuple) -> Measured:
    say(f"measuring the {job[2]} network")
    return _network_measures(*job)


def _network_measures(
    directed: ig.Graph,
    undirected: ig.Graph,
    name: str,
    ids: tuple[str, ...],
    sectors: np.ndarray,
    parameters: Parameters,
) -> Measured:
    frame = person_measures(directed, undirected, parameters)
    roles = key_connectors(frame, share=parameters.top_share)
    membership = communities.leiden_communities(undirected, seed=parameters.seed)
    measures = pd.concat(
        [
            pd.DataFrame({"network": name, "id": ids}),
            frame,
            roles[["roles", "primary_role", "borderline"]],
            pd.DataFrame({"community": membership}),
        ],
        axis=1,
    )
    broker = brokerage.brokerage(directed, sectors).assign(network=name, id=list(ids))
    return measures, broker


def _connector_table(measures: pd.DataFrame, networks: tuple[str, ...], ids: tuple[str, ...]):
    """One boolean column per network: does the person hold any key connector role in it."""
    held = measures[measures["network"].isin(networks)].assign(
        connector=lambda f: f["roles"].map(bool)
    )
    table = held.pivot(index="id", columns="network", values="connector")
    return table.reindex(index=list(ids), columns=list(networks)).fillna(False).astype(bool)


def _mixing(nets: Networks, groups: dict[str, np.ndarray], core: np.ndarray):
    ei_rows: list[dict] = []
    group_frames: list[pd.DataFrame] = []
    matrices: dict[tuple[str, str], pd.DataFrame] = {}
    for name in nets.names:
        ties = _ties(nets, name)
        row: dict[str, str | float | None] = {"network": name}
        for grouping, values in groups.items():
            labels = _labels(grouping, values)
            row[grouping] = mixing.ei_index(ties, values)
            matrices[(name, grouping)] = mixing.tie_matrix(ties, values, labels)
            frame = mixing.group_mixing(ties, values, labels, core).reset_index()
            group_frames.append(frame.assign(network=name, grouping=grouping))
        ei_rows.append(row)
    layers = pd.concat(
        [
            mixing.layer_links(_ties(nets, name), groups["layer"], LAYERS).assign(network=name)
            for name in nets.names
        ],
        ignore_index=True,
    )
    return {
        "ei": pd.DataFrame(ei_rows).set_index("network"),
        "groups": pd.concat(group_frames, ignore_index=True),
        "matrices": matrices,
        "layers": layers,
    }


def _ties(nets: Networks, name: str) -> np.ndarray:
    """A network's directed ties as an array, read from its graph if ``nets`` lacks them."""
    found = nets.ties.get(name)
    return found if found is not None else mixing.tie_array(nets.directed[name])


def _labels(grouping: str, values: np.ndarray) -> list[str]:
    if grouping == "layer":
        return [layer for layer in (*LAYERS, UNKNOWN) if layer in set(values)]
    return sorted(set(values.tolist()))  # str, not numpy's: they key the JSON result


def _brokerage_expected(nets: Networks, sectors: np.ndarray, summary: dict) -> pd.DataFrame:
    frames = [
        brokerage.expected_brokerage(sectors, summary[name]["density"])
        .rename_axis("sector")
        .reset_index()
        .assign(network=name)
        for name in nets.names
    ]
    return pd.concat(frames, ignore_index=True)


def _fragility(nets: Networks, measures: pd.DataFrame, parameters: Parameters):
    leaving, worst = [], []
    for name in nets.names:
        ranked = _ranked_connectors(measures[measures["network"] == name])
        graph = nets.undirected[name]
        steps = fragility.departures(
            graph, ranked, most=parameters.departures, ties=_ties(nets, name)
        )
        leaving.append(
            steps.assign(
                network=name,
                who=[list(map(nets.ids.__getitem__, ranked[:k])) for k in steps["leavers"]],
            )
        )
        found = fragility.worst_departure(graph, ranked[: parameters.departure_candidates])
        if found is not None:
            worst.append(
                {
                    "network": name,
                    "id": nets.ids[found[0]],
                    "fragmentation": found[1],
                    "fragmentation_before": fragility.fragmentation(graph),
                }
            )
    return pd.concat(leaving, ignore_index=True), pd.DataFrame(worst)


def _ranked_connectors(frame: pd.DataFrame) -> list[int]:
    """Key connectors of one network, most roles first, then by degree and betweenness."""
    holders = frame[frame["roles"].map(bool)].assign(held=lambda f: f["roles"].map(len))
    ordered = holders.sort_values(
        ["held", *ROLE_SCORES.values(), "id"], ascending=[False, False, False, False, True]
    )
    return [int(i) for i in ordered.index - frame.index[0]]


def _makeup(measures: pd.DataFrame, data: StudyData) -> dict[str, pd.DataFrame]:
    sectors = data.people["sector"].to_numpy(dtype=str)
    return {
        name: communities.community_makeup(group["community"].to_numpy(), sectors)
        for name, group in measures.groupby("network", sort=False)
    }


def _outsiders(data: StudyData) -> pd.DataFrame:
    """People named from outside the roster: who, how often, by how many, in which networks."""
    ties = data.outside_ties
    if ties.empty:
        return pd.DataFrame(columns=["name", "nominations", "named_by", "networks"])
    grouped = ties.groupby("target")
    return (
        pd.DataFrame(
            {
                "nominations": grouped.size(),
                "named_by": grouped["source"].nunique(),
                "networks": grouped["network"].agg(lambda s: sorted(set(s))),
            }
        )
        .rename_axis("name")
        .reset_index()
        .sort_values(["nominations", "name"], ascending=[False, True])
    )
