"""Gould and Fernandez's brokerage roles by group (sector, layer, ...).

A broker ``b`` sits on an open two-path ``a -> b -> c`` (``a`` does not name ``c``, ``a != c``).
Reading a tie as "a turns to b" and "b turns to c", with the groups of the three people:

============== ==================================== ===============================
role           groups                               ``kind`` (Gould & Fernandez)
============== ==================================== ===============================
coordinator    a, b, c all in one group             :math:`w_I`
itinerant      a and c in one group, b in another   :math:`w_O` (consultant)
representative a and b in one group, c in another   :math:`b_{IO}`
gatekeeper     b and c in one group, a in another   :math:`b_{OI}`
liaison        all three in different groups        :math:`b_O`
============== ==================================== ===============================

Which way a tie is read decides whether someone counts as a gatekeeper or a representative: in
the expert, strategic and decision networks advice flows against the tie, so those two swap when
the flow of advice rather than the act of asking is meant.

Expected counts are those of a random directed graph with the same density :math:`d` and group
sizes: the number of ordered (a, c) pairs of the role's pattern times :math:`d^2(1-d)`, as in
statnet's ``brokerage``.

Reference: Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a formal approach
to brokerage in transaction networks. Sociological Methodology 19, 89-126.
https://doi.org/10.2307/270949
"""

from __future__ import annotations

from collections.abc import Iterator

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


# Two-paths are enumerated in blocks of about this many, to bound memory on large networks.
BLOCK = 4_000_000


def open_two_paths(graph: ig.Graph) -> np.ndarray:
    """Every open two-path (a, b, c) of a directed graph, as rows of a (k, 3) integer array."""
    blocks = list(_open_two_path_blocks(graph))
    return np.concatenate(blocks) if blocks else np.zeros((0, 3), dtype=np.int64)


def _open_two_path_blocks(graph: ig.Graph, block: int = BLOCK) -> Iterator[np.ndarray]:
    n = graph.vcount()
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    if len(edges) == 0:
        return
    by_source = edges[np.argsort(edges[:, 0], kind="stable")]
    starts = np.searchsorted(by_source[:, 0], np.arange(n + 1))
    existing = np.sort(edges[:, 0] * n + edges[:, 1])
    counts = starts[edges[:, 1] + 1] - starts[edges[:, 1]]  # out-degree of each tie's target
    total = np.cumsum(counts)
    # Cut after the edge whose paths pass each multiple of ``block``.
    cuts = np.searchsorted(total, np.arange(block, total[-1], block)) + 1
    bounds = np.unique(np.r_[0, cuts, len(edges)])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        first, many = edges[lo:hi], counts[lo:hi]
        offsets = np.arange(many.sum()) - np.repeat(np.cumsum(many) - many, many)
        third = by_source[np.repeat(starts[first[:, 1]], many) + offsets, 1]
        paths = np.column_stack([np.repeat(first, many, axis=0), third])
        paths = paths[paths[:, 0] != paths[:, 2]]
        keys = paths[:, 0] * n + paths[:, 2]
        found = np.minimum(np.searchsorted(existing, keys), len(existing) - 1)
        yield paths[existing[found] != keys]


def brokerage(graph: ig.Graph, groups: np.ndarray) -> pd.DataFrame:
    """Counts of each brokerage role per person, one row per vertex, columns BROKERAGE_ROLES.

    No two-path is listed. For broker b, every pair (a, c) with a -> b -> c is counted from
    b's in- and out-neighbours per group; pairs with a = c (mutual ties) and closed pairs
    (a -> c) are taken away, the closed ones counted by sparse products (``_closed_pairs``).
    """
    n = graph.vcount()
    codes = np.unique(groups, return_inverse=True)[1].reshape(-1) if n else np.zeros(0, int)
    k = int(codes.max()) + 1 if n else 1
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    a, b = edges[:, 0], edges[:, 1]
    ties = sp.csr_matrix((np.ones(len(edges), dtype=np.int64), (a, b)), shape=(n, n))
    inward = _per_group(b, codes[a], n, k)  # [b, x]: ties into b from group x
    outward = _per_group(a, codes[b], n, k)  # [b, y]: ties from b to group y
    mutual = ties.multiply(ties.T).tocoo()  # a -> b and b -> a: not a two-path
    back = _per_group(mutual.col, codes[mutual.row], n, k, mutual.data)
    own = codes[:, None] == np.arange(k)
    # Every (a, c) pair by how the groups of a and c stand to b's: both b's, the same as each
    # other, a's only b's, c's only b's, and all.
    paths = np.column_stack(
        [
            (inward * outward * own).sum(axis=1),
            (inward * outward).sum(axis=1),
            (inward * own).sum(axis=1) * outward.sum(axis=1),
            inward.sum(axis=1) * (outward * own).sum(axis=1),
            inward.sum(axis=1) * outward.sum(axis=1),
        ]
    )
    paths -= (back * own).sum(axis=1)[:, None] * [1, 0, 1, 1, 0]
    paths[:, [1, 4]] -= back.sum(axis=1)[:, None]
    paths -= _closed_pairs(ties, codes, k)
    both, same, first, last, every = paths.T
    counts = np.column_stack(
        [both, same - both, first - both, last - both, every - same - first - last + 2 * both]
    )
    return pd.DataFrame(counts, columns=list(BROKERAGE_ROLES))


def _per_group(rows: np.ndarray, group: np.ndarray, n: int, k: int, weights=None) -> np.ndarray:
    found = np.bincount(rows * k + group, weights=weights, minlength=n * k)
    return found.reshape(n, k).astype(np.int64)


# Closed pairs are counted over blocks of people a whose ties make about this many products.
PRODUCTS = 4_000_000


def _closed_pairs(ties: sp.csr_matrix, codes: np.ndarray, k: int) -> np.ndarray:
    """For each b, closed pairs (a -> b -> c and a -> c, a != c) in the five columns of
    ``brokerage``'s pair counts.

    For a block of people a of one group x, ``blockᵀ @ named`` counts, for each (b, c), the
    a in the block naming both b and c; kept where b -> c, times its multiplicity.
    """
    n = ties.shape[0]
    a, c = ties.nonzero()
    distinct = a != c  # a -> c counts once however often it was named, and never a -> a
    named = sp.csr_matrix(
        (np.ones(int(distinct.sum()), dtype=np.int64), (a[distinct], c[distinct])), shape=(n, n)
    )
    out_degree = np.diff(ties.indptr)
    order = np.argsort(codes, kind="stable")
    cost = np.cumsum(out_degree[order] * np.diff(named.indptr)[order])
    cuts = np.unique(
        np.r_[
            0,
            np.searchsorted(codes[order], np.arange(1, k)),
            np.searchsorted(cost, np.arange(PRODUCTS, cost[-1] if n else 0, PRODUCTS)),
            n,
        ]
    )
    closed = np.zeros((n, 5), dtype=np.int64)
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        block = order[lo:hi]
        x = codes[block[0]]
        shared = (ties[block].T @ named[block]).multiply(ties).tocoo()
        b, c, v = shared.row, shared.col, shared.data.astype(np.int64)
        gb, gc = codes[b], codes[c]
        for column, keep in enumerate(
            [(gb == x) & (gc == x), gc == x, gb == x, gc == gb, np.ones(len(b), dtype=bool)]
        ):
            closed[:, column] += np.bincount(b[keep], weights=v[keep], minlength=n).astype(np.int64)
    return closed


def expected_brokerage(groups: np.ndarray, density: float) -> pd.DataFrame:
    """Expected counts of each role for a broker in each group, under a random graph."""
    labels, sizes = np.unique(groups, return_counts=True)
    n = int(sizes.sum())
    chance = density**2 * (1 - density)
    rows = {}
    for label, own in zip(labels, sizes, strict=True):
        others = sizes[labels != label]
        pairs = {
            "coordinator": (own - 1) * (own - 2),
            "itinerant": float((others * (others - 1)).sum()),
            "representative": (own - 1) * (n - own),
            "gatekeeper": (n - own) * (own - 1),
            "liaison": float((others * (n - own - others)).sum()),
        }
        rows[label] = {role: pairs[role] * chance for role in BROKERAGE_ROLES}
    return pd.DataFrame.from_dict(rows, orient="index")[list(BROKERAGE_ROLES)]
