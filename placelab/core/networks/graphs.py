"""Build one graph per network from nominations, on everyone in the roster.

A tie points from the person who answered to the person they named. Path-based measures read
ties as two-way (the symmetrised graph: an edge where either named the other), because people
who did not answer can only be named: on the directed graph their betweenness would be zero
by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

from placelab.core.data import StudyData
from placelab.core.vocabulary import ALL


@dataclass(frozen=True)
class Networks:
    """Each network as a directed graph and its symmetrised twin, vertices in roster order."""

    ids: tuple[str, ...]
    directed: dict[str, ig.Graph]
    undirected: dict[str, ig.Graph]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.directed)


def build_networks(data: StudyData, *, include_all: bool = True) -> Networks:
    """Graphs for every network of ``data`` and, with ``include_all``, their union ``"all"``.

    In the union a pair is tied if it is tied in any network, with the weights summed.
    """
    ids = tuple(data.people.index)
    index = pd.Index(ids)
    ties = data.ties.assign(
        s=index.get_indexer(data.ties["source"]), t=index.get_indexer(data.ties["target"])
    )
    directed = {
        name: directed_graph(len(ids), group[["s", "t"]].to_numpy(), group["weight"].to_numpy())
        for name, group in _by_network(ties, data.networks)
    }
    if include_all:
        union = ties.groupby(["s", "t"], sort=True)["weight"].sum().reset_index()
        directed[ALL] = directed_graph(
            len(ids), union[["s", "t"]].to_numpy(), union["weight"].to_numpy()
        )
    undirected = {name: symmetrise(g) for name, g in directed.items()}
    return Networks(ids=ids, directed=directed, undirected=undirected)


def directed_graph(n: int, edges: np.ndarray, weights: np.ndarray) -> ig.Graph:
    graph = ig.Graph(n=n, edges=edges.reshape(-1, 2).tolist(), directed=True)
    graph.es["weight"] = weights.astype(float).tolist()
    return graph


def symmetrise(graph: ig.Graph) -> ig.Graph:
    """An undirected edge wherever either person named the other; weight is the larger one."""
    return graph.as_undirected(mode="collapse", combine_edges="max")


def _by_network(ties: pd.DataFrame, networks: tuple[str, ...]):
    groups = dict(tuple(ties.groupby("network", sort=False)))
    empty = ties.iloc[0:0]
    return [(name, groups.get(name, empty)) for name in networks]
