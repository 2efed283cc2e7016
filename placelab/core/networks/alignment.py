"""Alignment between networks: QAP correlation with a seeded permutation test.

Appendix C 2.3 reads meaning into how networks line up: innovation out of step with expertise
is a healthy tension; strategy out of step with decisions breeds distrust of leaders.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

import igraph as ig
import numpy as np
import pandas as pd

HIGHLIGHTED_PAIRS = (("innovation", "expert"), ("strategic", "decision"))
COLUMNS = ["network_a", "network_b", "r", "p", "shared_ties", "highlighted"]


def qap_alignment(
    graphs: dict[str, ig.Graph], *, permutations: int = 999, seed: int = 0
) -> pd.DataFrame:
    r"""QAP correlation for every pair of networks on the same people.

    ``r`` is Pearson's correlation over the :math:`n(n-1)` off-diagonal cells of the two binary
    adjacency matrices (a cell is 1 where the row person named the column person). ``p`` is the
    share of ``permutations`` relabellings of the second network's people, plus the observed
    one, whose correlation is at least the observed ``r`` (one-sided: do the networks line up
    more than chance?). One seeded permutation is applied to every pair at each step, which
    leaves each pair's test exact and makes the table reproducible from ``seed``.

    Reference: Krackhardt, D. (1987). QAP partialling as a test of spuriousness. Social
    Networks 9(2), 171-186. https://doi.org/10.1016/0378-8733(87)90012-8
    """
    names = list(graphs)
    if len(names) < 2:
        return pd.DataFrame(columns=COLUMNS)
    n = next(iter(graphs.values())).vcount()
    edges = [_edge_array(graph) for graph in graphs.values()]
    observed, at_least = _permutation_test(edges, n, permutations, seed)
    cells = n * (n - 1)
    rows = [
        {
            "network_a": names[a],
            "network_b": names[b],
            "r": _pearson(int(observed[b, a]), len(edges[a]), len(edges[b]), cells),
            "p": (int(at_least[b, a]) + 1) / (permutations + 1),
            "shared_ties": int(observed[b, a]),
            "highlighted": (names[a], names[b]) in HIGHLIGHTED_PAIRS
            or (names[b], names[a]) in HIGHLIGHTED_PAIRS,
        }
        for a, b in combinations(range(len(names)), 2)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _edge_array(graph: ig.Graph) -> np.ndarray:
    return np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)


# Relabelled ties are looked up in batches of about this many, to bound memory.
BATCH = 4_000_000


def _permutation_test(
    edges: list[np.ndarray], n: int, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``[b, a]``: ties of network b that network a shares, observed and how many
    relabellings of b share at least as many (for a before b)."""
    m = len(edges)
    # Cell numbers fit 32 bits up to 46,340 people, and 32-bit arithmetic is faster.
    cell = np.dtype(np.int32 if n * n < 2**31 else np.int64)
    lookup = _tie_lookup(edges, n, cell)
    # Each pair (a, b), a before b, looks b's relabelled ties up among a's: the first network
    # is never b, so its ties are never moved.
    moving = np.concatenate([np.zeros((0, 2), dtype=np.int64), *edges[1:]]).astype(cell)
    owner = np.repeat(np.arange(1, m), [len(e) for e in edges[1:]])
    per_batch = int(np.clip(BATCH // max(len(moving), 1), 1, 1000))
    rows = (np.arange(per_batch)[:, None] * m + owner).astype(np.int32)
    observed = _shared(lookup(moving[:, 0] * n + moving[:, 1])[None], rows, m)[0]
    at_least = np.zeros_like(observed)
    rng = np.random.default_rng(seed)
    for start in range(0, permutations, per_batch):
        relabel = np.stack(
            [rng.permutation(n) for _ in range(min(per_batch, permutations - start))]
        ).astype(cell)
        moved = np.take(relabel, moving[:, 0], axis=1) * n + np.take(relabel, moving[:, 1], axis=1)
        at_least += (_shared(lookup(moved), rows, m) >= observed).sum(axis=0)
    return observed, at_least


# Up to this many bytes the ties are looked up in one dense table with a cell per pair of
# people (bit i set where network i ties them); above it, in a hash table of the tied cells.
DENSE_BYTES = 64_000_000


def _tie_lookup(
    edges: list[np.ndarray], n: int, cell: np.dtype
) -> Callable[[np.ndarray], np.ndarray]:
    """A function from cell numbers (row * n + column) to the networks that tie them, as bits."""
    if len(edges) > 64:
        raise ValueError("QAP compares at most 64 networks at once")
    dtype = np.min_scalar_type((1 << len(edges)) - 1)
    keys = np.concatenate([e[:, 0] * n + e[:, 1] for e in edges]).astype(cell)
    bits = np.repeat(
        (np.uint64(1) << np.arange(len(edges), dtype=np.uint64)).astype(dtype),
        [len(e) for e in edges],
    )
    if n * n * dtype.itemsize <= DENSE_BYTES:
        table = np.zeros(n * n, dtype=dtype)
        np.bitwise_or.at(table, keys, bits)
        return lambda moved: np.take(table, moved)
    cells, where = np.unique(keys, return_inverse=True)
    found = np.zeros(len(cells) + 1, dtype=dtype)  # the last entry answers cells not tied
    np.bitwise_or.at(found, where, bits)
    index = pd.Index(cells)
    return lambda moved: found[index.get_indexer(moved.ravel()).reshape(moved.shape)]


# Up to this many networks the shared ties are counted in one pass over every combination of
# network and bits; above it, in one pass per network.
ONE_PASS_NETWORKS = 8


def _shared(hits: np.ndarray, rows: np.ndarray, m: int) -> np.ndarray:
    """``[p, b, a]``: how many of network b's ties ``hits[p]`` finds in network a, where
    ``rows[p]`` is ``p * m + b`` for each tie."""
    steps = len(hits)
    if m <= ONE_PASS_NETWORKS:
        combined = np.bincount(((rows[:steps] << m) + hits).ravel(), minlength=steps * m << m)
        bits = (np.arange(1 << m)[:, None] >> np.arange(m)) & 1
        return combined.reshape(steps, m, 1 << m) @ bits
    counts = np.zeros((steps, m, m), dtype=np.int64)
    for a in range(m):
        held = ((hits >> np.uint64(a)) & 1).astype(bool)
        counts[:, :, a] = np.bincount(rows[:steps][held], minlength=steps * m).reshape(steps, m)
    return counts


def _pearson(both: int, ties_a: int, ties_b: int, cells: int) -> float | None:
    """Pearson's r of two 0/1 vectors of length ``cells`` from their sums and shared ones."""
    spread = ties_a * (cells - ties_a) * ties_b * (cells - ties_b)
    if spread == 0:
        return None  # a network with no ties, or every possible tie, has no variance
    return float((cells * both - ties_a * ties_b) / np.sqrt(float(spread)))
