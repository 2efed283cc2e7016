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
    """Counts of each brokerage role per person, one row per vertex, columns BROKERAGE_ROLES."""
    codes = np.unique(groups, return_inverse=True)[1]  # integers compare far faster than text
    counts = np.zeros((graph.vcount(), len(BROKERAGE_ROLES)), dtype=np.int64)
    for paths in _open_two_path_blocks(graph):
        a, b, c = (codes[paths[:, i]] for i in range(3))
        kind = np.select(
            [(a == b) & (b == c), (a == c) & (a != b), (a == b) & (b != c), (b == c) & (a != b)],
            [0, 1, 2, 3],
            default=4,
        )
        np.add.at(counts, (paths[:, 1], kind), 1)
    return pd.DataFrame(counts, columns=list(BROKERAGE_ROLES))


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
