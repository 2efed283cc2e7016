"""How fragile a network is if key people leave (key player problem, Borgatti 2006)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph


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


def departures(
    graph: ig.Graph, ranked: Sequence[int], *, most: int = 5, ties: np.ndarray | None = None
) -> pd.DataFrame:
    """Reach and fragmentation after the first k of ``ranked`` leave, for k = 0..most.

    ``ties``, the graph's edges as a ``(k, 2)`` array when already at hand (a directed graph's
    ties give its symmetrised twin's components), saves reading them from ``graph``. The
    components without all ``most`` leavers are found once; each step then joins them through
    the ties of the leavers still present, on a graph of one node per component.
    """
    n = graph.vcount()
    leavers = np.asarray(list(ranked[:most]), dtype=np.int64)
    edges = _edge_array(graph) if ties is None else ties
    leaving = np.zeros(n, dtype=bool)
    leaving[leavers] = True
    touching = leaving[edges[:, 0]] | leaving[edges[:, 1]]
    count, label = _components(n, edges[~touching])
    sizes = np.bincount(label, minlength=count)
    near = edges[touching]
    rows = []
    for k in range(0, len(leavers) + 1):
        weights = sizes.copy()
        weights[label[leavers[:k]]] = 0  # each leaver is a component of one on its own
        gone = np.isin(near, leavers[:k]).any(axis=1)
        joined, merged = _components(count, label[near[~gone]])
        grouped = np.bincount(merged, weights=weights, minlength=joined)
        rows.append({"leavers": k, **_reach_and_fragmentation(grouped[grouped > 0], n - k)})
    return pd.DataFrame(rows)


def _edge_array(graph: ig.Graph) -> np.ndarray:
    listed = graph.get_edgelist()
    flat = np.fromiter(chain.from_iterable(listed), dtype=np.int64, count=2 * len(listed))
    return flat.reshape(-1, 2)


def _components(n: int, edges: np.ndarray) -> tuple[int, np.ndarray]:
    """The number of connected components of ``n`` vertices joined by ``edges``, and each
    vertex's component."""
    links = sp.coo_matrix(
        (np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n)
    )
    return csgraph.connected_components(links, directed=False)


def _reach_and_fragmentation(sizes: np.ndarray, n: int) -> dict[str, float]:
    """The two measures from component sizes, as ``reach`` and ``fragmentation`` compute them."""
    sizes = sizes.astype(float)
    return {
        "reach": float(sizes.max()) / n if n else 0.0,
        "fragmentation": float(1 - (sizes * (sizes - 1)).sum() / (n * (n - 1))) if n >= 2 else 0.0,
    }


def worst_departure(graph: ig.Graph, candidates: Sequence[int]) -> tuple[int, float] | None:
    """The candidate whose leaving alone raises fragmentation most, and the fragmentation then.

    Borgatti's KPP-Neg for one player, searched over ``candidates`` (the key connectors) only:
    a full search would remove each of n people in turn. Someone who is not a cut vertex
    leaves their component whole, one smaller; a cut vertex splits it into the pieces that the
    block-cut tree (blocks: biconnected components) hangs from it.
    """
    n = graph.vcount()
    if n < 3 or not candidates:
        return None
    components = graph.connected_components()
    sizes = np.asarray(components.sizes(), dtype=float)
    reachable = (sizes * (sizes - 1)).sum()
    pieces = _pieces_without(graph)
    best: tuple[int, float] | None = None
    for person in candidates:
        own = sizes[components.membership[person]]
        split = np.asarray(pieces.get(person, [own - 1]), dtype=float)
        pairs = reachable - own * (own - 1) + (split * (split - 1)).sum()
        score = float(1 - pairs / ((n - 1) * (n - 2)))
        if best is None or score > best[1]:
            best = (int(person), score)
    return best


def _pieces_without(graph: ig.Graph) -> dict[int, list[int]]:
    """For each cut vertex, the sizes of the pieces its component falls into without it.

    In the block-cut tree (a node per block and per cut vertex, a cut vertex joined to the
    blocks holding it), rooted anywhere, a cut vertex's pieces are the subtrees of its child
    blocks and, unless it is the root, the rest of its component.
    """
    blocks, cut = graph.biconnected_components(return_articulation_points=True)
    is_cut = np.zeros(graph.vcount(), dtype=bool)
    is_cut[list(cut)] = True
    held = np.fromiter(chain.from_iterable(blocks), dtype=np.int64)
    block = np.repeat(np.arange(len(blocks)), [len(members) for members in blocks])
    node = dict(zip(cut, range(len(blocks), len(blocks) + len(cut)), strict=True))
    weight = np.bincount(block[~is_cut[held]], minlength=len(blocks)).tolist() + [1] * len(cut)
    links: list[list[int]] = [[] for _ in weight]
    for b, v in zip(block[is_cut[held]].tolist(), held[is_cut[held]].tolist(), strict=True):
        links[b].append(node[v])
        links[node[v]].append(b)
    parent, order, root = [-2] * len(weight), [], [0] * len(weight)
    for start in node.values():
        if parent[start] == -2:
            parent[start], stack = -1, [start]
            while stack:
                x = stack.pop()
                order.append(x)
                root[x] = start
                for y in links[x]:
                    if parent[y] == -2:
                        parent[y] = x
                        stack.append(y)
    below = weight[:]
    for x in reversed(order):
        if parent[x] >= 0:
            below[parent[x]] += below[x]
    return {
        v: [below[c] for c in links[a] if c != parent[a]]
        + ([below[root[a]] - below[a]] if parent[a] >= 0 else [])
        for v, a in node.items()
    }
