"""Per-person measures of one network.

Degrees and PageRank read the ties as nominated (directed); betweenness, harmonic closeness,
information centrality, k-core and constraint read them as two-way (see ``graphs``). Above
``exact_limit`` people, betweenness is estimated by KADABRA (``betweenness``) and harmonic
closeness from a seeded sample of source vertices.
"""

from __future__ import annotations

from collections.abc import Iterator

import igraph as ig
import numpy as np
import pandas as pd

from placelab.core.networks.betweenness import betweenness, betweenness_columns
from placelab.core.networks.information import information_estimate
from placelab.core.networks.parameters import Parameters

__all__ = ["betweenness", "constraint", "harmonic_closeness", "pagerank", "person_measures"]


def person_measures(
    directed: ig.Graph, undirected: ig.Graph, parameters: Parameters
) -> pd.DataFrame:
    """Every per-person measure of one network, one row per vertex in vertex order.

    ``information_se`` is the standard error of an estimated information centrality (NaN when
    it is exact, 0 off the largest component).
    """
    sources = parameters.sources(undirected.vcount())
    information, information_se = information_estimate(
        undirected,
        exact_limit=parameters.exact_limit,
        probes=parameters.information_probes,
        seed=parameters.seed,
    )
    return pd.DataFrame(
        {
            "in_degree": directed.indegree(),
            "out_degree": directed.outdegree(),
            "in_strength": directed.strength(mode="in", weights="weight"),
            "out_strength": directed.strength(mode="out", weights="weight"),
            "degree": undirected.degree(),
            **betweenness_columns(undirected, parameters),
            "harmonic": harmonic_closeness(undirected, sources=sources),
            "information": information,
            "information_se": information_se,
            "pagerank": pagerank(directed),
            "k_core": undirected.coreness(),
            "constraint": constraint(undirected),
        }
    )


def harmonic_closeness(graph: ig.Graph, *, sources: list[int] | None = None) -> np.ndarray:
    r"""Harmonic closeness, the mean of :math:`1/d(u, v)` over everyone else (0 if unreachable).

    Equal to NetworkX's ``harmonic_centrality`` divided by :math:`n - 1`. With ``sources``, the
    mean is taken over the sampled sources other than the vertex itself.

    The distances come from breadth-first searches from 64 sources at once, one bit each
    (Then et al. 2014, "The more the merrier: efficient multi-source graph traversal",
    PVLDB 8(4), 449-460).

    Reference: Marchiori, M. and Latora, V. (2000). Harmony in the small-world. Physica A
    285(3-4), 539-546. https://doi.org/10.1016/S0378-4371(00)00311-3
    """
    n = graph.vcount()
    if n < 2:
        return np.zeros(n)
    starts = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    heads, tails = _arcs(graph)
    words = -(-len(starts) // 64)
    # Bound the (arcs x words) block each step gathers, about 64 MB.
    per_pass = 64 * max(1, min(words, (1 << 23) // max(1, len(tails))))
    total = np.zeros(n)
    for first in range(0, len(starts), per_pass):
        total += _inverse_distance_sums(heads, tails, n, starts[first : first + per_pass])
    return total / (len(starts) - np.isin(np.arange(n), starts))


def _arcs(graph: ig.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Every tie both ways as (head, tail) pairs, sorted by head."""
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    heads = np.concatenate([edges[:, 0], edges[:, 1]])
    tails = np.concatenate([edges[:, 1], edges[:, 0]])
    order = np.argsort(heads, kind="stable")
    return heads[order], tails[order]


def _inverse_distance_sums(
    heads: np.ndarray, tails: np.ndarray, n: int, sources: np.ndarray
) -> np.ndarray:
    """Sum over ``sources`` of 1/d(source, v) for each v: a breadth-first search in which each
    vertex holds one bit per source, set once the search from that source has reached it."""
    bits = np.arange(len(sources))
    reached = np.zeros((n, -(-len(sources) // 64)), dtype=np.uint64)
    reached[sources, bits // 64] |= np.uint64(1) << (bits % 64).astype(np.uint64)
    frontier, total, level = reached.copy(), np.zeros(n), 0
    while True:
        level += 1
        # Only ties from the frontier to people not yet reached by every search can add bits.
        pending = np.bitwise_count(reached).sum(axis=1) < len(sources)
        active = np.any(frontier, axis=1)
        arcs = active[tails] & pending[heads]
        if not arcs.any():
            return total
        head, tail = heads[arcs], tails[arcs]
        first = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        targets = head[first]
        found = np.bitwise_or.reduceat(frontier[tail], first, axis=0) & ~reached[targets]
        reached[targets] |= found
        frontier = np.zeros_like(frontier)
        frontier[targets] = found
        total[targets] += np.bitwise_count(found).sum(axis=1) / level


def pagerank(graph: ig.Graph, *, damping: float = 0.85) -> np.ndarray:
    """PageRank on the directed graph weighted by how often people are in touch.

    People who named no one spread their score evenly over everyone, as in NetworkX.
    Reference: Brin, S. and Page, L. (1998). Computer Networks 30, 107-117.
    """
    if graph.vcount() == 0:
        return np.zeros(0)
    weights = "weight" if graph.ecount() else None
    # PRPACK (igraph's default), not ARPACK: ARPACK starts from a random vector, so its scores
    # differ in the last digits from run to run, and it failed now and then on small graphs.
    return np.asarray(graph.pagerank(directed=True, damping=damping, weights=weights))


def constraint(graph: ig.Graph, *, wedges_per_block: int = 1 << 21) -> np.ndarray:
    r"""Burt's constraint on the undirected graph, unweighted; NaN for an isolate (as NetworkX).

    .. math:: c_u = \sum_{v \in N(u)} \Big(p_{uv} + \sum_{w} p_{uw} p_{wv}\Big)^2
        = \frac{1}{d_u^2} \sum_{v \in N(u)} \Big(1 + \sum_{w \in N(u) \cap N(v)}
        \frac{1}{d_w}\Big)^2,

    since :math:`p_{uv} = 1/d_u` on a simple unweighted graph. The inner sums run over the
    triangles, each found once from its corner of lowest degree (``wedges_per_block`` candidate
    triangles at a time); igraph's ``constraint`` is used if the graph has loops or repeated ties.

    Reference: Burt, R. S. (1992). Structural Holes. Harvard University Press.
    """
    degree = np.asarray(graph.degree(), dtype=np.int64)
    if graph.is_simple():
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        shared = _triangle_sums(edges, degree, wedges_per_block)
        square = (1 + shared) ** 2
        total = np.bincount(edges.ravel(), np.repeat(square, 2), minlength=len(degree))
        with np.errstate(divide="ignore", invalid="ignore"):
            values = total / degree.astype(float) ** 2
    else:
        values = np.asarray(graph.constraint(), dtype=float)
    values[degree == 0] = np.nan
    return values


def _triangle_sums(edges: np.ndarray, degree: np.ndarray, per_block: int) -> np.ndarray:
    """For each tie (u, v), the sum of 1/d_w over the people w tied to both."""
    n = len(degree)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    # Each tie from its lower-ranked end, sorted: a triangle u < v < w is the pair of ties
    # (u, v), (u, w) from u, closed by the tie (v, w).
    low = np.where(rank[edges[:, 0]] < rank[edges[:, 1]], edges[:, 0], edges[:, 1])
    high = edges.sum(axis=1) - low
    order = np.argsort(rank[low] * n + rank[high])
    low, high = low[order], high[order]
    keys = rank[low] * n + rank[high]
    row_end = np.searchsorted(rank[low], np.arange(n + 1))[rank[low] + 1]
    later = row_end - np.arange(len(keys)) - 1  # ties after each one from the same person
    inverse = 1.0 / np.maximum(degree, 1)
    sums = np.zeros(len(keys))
    for block in _blocks(later, per_block):
        first = np.repeat(block, later[block])
        second = first + 1 + _positions(later[block])
        closing = rank[high[first]] * n + rank[high[second]]
        found = np.minimum(np.searchsorted(keys, closing), len(keys) - 1)
        hit = keys[found] == closing
        first, second, found = first[hit], second[hit], found[hit]
        for tie, corner in ((first, high[second]), (second, high[first]), (found, low[first])):
            sums += np.bincount(tie, inverse[corner], minlength=len(keys))
    result = np.empty(len(keys))
    result[order] = sums
    return result


def _positions(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., c - 1 for each c in ``counts``, one after another."""
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def _blocks(counts: np.ndarray, size: int) -> Iterator[np.ndarray]:
    """Consecutive ranges of indices whose ``counts`` add up to about ``size`` each."""
    ends = np.cumsum(counts)
    start = 0
    while start < len(counts):
        stop = int(np.searchsorted(ends, ends[start] - counts[start] + size, "right"))
        yield np.arange(start, max(stop, start + 1))
        start = max(stop, start + 1)
