"""How fragile a network is if key people leave (key player problem, Borgatti 2006)."""

from __future__ import annotations

from collections.abc import Sequence

import igraph as ig
import numpy as np
import pandas as pd


def fragmentation(graph: ig.Graph) -> float:
    r"""Borgatti's fragmentation: the share of pairs of people who cannot reach each other.

    .. math:: F = 1 - \frac{\sum_k s_k (s_k - 1)}{n (n - 1)}

    over the sizes :math:`s_k` of the connected components of the undirected graph.

    Reference: Borgatti, S. P. (2006). Identifying sets of key players in a social network.
    Computational and Mathematical Organization Theory 12(1), 21-34.
    https://doi.org/10.1007/s10588-006-7084-x
    """
    n = graph.vcount()
    if n < 2:
        return 0.0
    sizes = np.asarray(graph.connected_components().sizes(), dtype=float)
    return float(1 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))


def reach(graph: ig.Graph) -> float:
    """The share of people in the largest connected component."""
    n = graph.vcount()
    return max(graph.connected_components().sizes()) / n if n else 0.0


def departures(graph: ig.Graph, ranked: Sequence[int], *, most: int = 5) -> pd.DataFrame:
    """Reach and fragmentation after the first k of ``ranked`` leave, for k = 0..most."""
    rows = []
    for k in range(0, min(most, len(ranked)) + 1):
        remaining = graph.copy()
        remaining.delete_vertices(list(ranked[:k]))
        rows.append(
            {"leavers": k, "reach": reach(remaining), "fragmentation": fragmentation(remaining)}
        )
    return pd.DataFrame(rows)


def worst_departure(graph: ig.Graph, candidates: Sequence[int]) -> tuple[int, float] | None:
    """The candidate whose leaving alone raises fragmentation most, and the fragmentation then.

    Borgatti's KPP-Neg for one player, searched over ``candidates`` (the key connectors) only:
    a full search would remove each of n people in turn. Someone who is not a cut vertex
    leaves their component whole, one smaller, so only cut vertices need the graph rebuilt.
    """
    n = graph.vcount()
    if n < 3 or not candidates:
        return None
    components = graph.connected_components()
    sizes = np.asarray(components.sizes(), dtype=float)
    reachable = (sizes * (sizes - 1)).sum()
    cut_vertices = set(graph.articulation_points())
    best: tuple[int, float] | None = None
    for person in candidates:
        if person in cut_vertices:
            remaining = graph.copy()
            remaining.delete_vertices([person])
            score = fragmentation(remaining)
        else:
            own = sizes[components.membership[person]]
            pairs = reachable - own * (own - 1) + (own - 1) * (own - 2)
            score = float(1 - pairs / ((n - 1) * (n - 2)))
        if best is None or score > best[1]:
            best = (int(person), score)
    return best
