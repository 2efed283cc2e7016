"""Build one graph per network from nominations, on everyone in the roster.

A tie points from the person who answered to the person they named. Path-based measures read
ties as two-way (the symmetrised graph: an edge where either named the other), because people
who did not answer can only be named: on the directed graph their betweenness would be zero
by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import igraph as ig
import numpy as np
import pandas as pd

from placelab.core.data import StudyData
from placelab.core.vocabulary import ALL


@dataclass(frozen=True)
class Networks:
    """Each network as a directed graph and its symmetrised twin, vertices in roster order.

    ``ties`` holds each directed graph's ties as a ``(k, 2)`` array in its edge order, read
    once here rather than by every measure that counts ties (``Graph.get_edgelist`` builds a
    Python list).
    """

    ids: tuple[str, ...]
    directed: dict[str, ig.Graph]
    undirected: dict[str, ig.Graph]
    ties: dict[str, np.ndarray] = field(default_factory=dict)

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
    pairs = {
        name: (group[["s", "t"]].to_numpy(dtype=np.int64), group["weight"].to_numpy())
        for name, group in _by_network(ties, data.networks)
    }
    if include_all:
        union = ties.groupby(["s", "t"], sort=True)["weight"].sum().reset_index()
        pairs[ALL] = (union[["s", "t"]].to_numpy(dtype=np.int64), union["weight"].to_numpy())
    directed = {name: directed_graph(len(ids), e, w) for name, (e, w) in pairs.items()}
    undirected = {name: symmetrise(g) for name, g in directed.items()}
    edges = {name: e.reshape(-1, 2) for name, (e, _w) in pairs.items()}
    return Networks(ids=ids, directed=directed, undirected=undirected, ties=edges)


def directed_graph(n: int, edges: np.ndarray, weights: np.ndarray) -> ig.Graph:
    pairs = edges.reshape(-1, 2)
    # Tuples from two flat lists: four times faster than ``tolist`` of the two-column array.
    listed = list(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True))
    graph = ig.Graph(n=n, edges=listed, directed=True)
    graph.es["weight"] = weights.astype(float).tolist()
    return graph


def symmetrise(graph: ig.Graph) -> ig.Graph:
    """An undirected edge wherever either person named the other; weight is the larger one."""
    return graph.as_undirected(mode="collapse", combine_edges="max")


def _by_network(ties: pd.DataFrame, networks: tuple[str, ...]):
    groups = dict(tuple(ties.groupby("network", sort=False)))
    empty = ties.iloc[0:0]
    return [(name, groups.get(name, empty)) for name in networks]
