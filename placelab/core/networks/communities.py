"""Communities found by the Leiden algorithm, seeded, and what each is made of."""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pandas as pd


def leiden_communities(graph: ig.Graph, *, seed: int = 0, resolution: float = 1.0) -> np.ndarray:
    """A community number per vertex, maximising modularity on the undirected graph.

    Isolates form communities of their own. igraph draws on Python's ``random`` module, so it is
    seeded here and restored afterwards, to give the same answer for the same ``seed``.

    Reference: Traag, V. A., Waltman, L. and van Eck, N. J. (2019). From Louvain to Leiden:
    guaranteeing well-connected communities. Scientific Reports 9, 5233.
    https://doi.org/10.1038/s41598-019-41695-z
    """
    state = random.getstate()
    random.seed(seed)
    try:
        partition = graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=5
        )
    finally:
        random.setstate(state)
    return _renumber_by_size(np.asarray(partition.membership))


def community_makeup(
    membership: np.ndarray, groups: np.ndarray, *, smallest: int = 2
) -> pd.DataFrame:
    """People of each group (columns) in each community of at least ``smallest`` people."""
    table = pd.crosstab(pd.Series(membership, name="community"), pd.Series(groups, name="group"))
    return table[table.sum(axis=1) >= smallest]


def _renumber_by_size(membership: np.ndarray) -> np.ndarray:
    """Number communities 0, 1, ... from the largest, so labels do not depend on the run."""
    labels, counts = np.unique(membership, return_counts=True)
    order = labels[np.lexsort((labels, -counts))]
    mapping = np.empty(labels.max() + 1, dtype=np.int64)
    mapping[order] = np.arange(len(order))
    return mapping[membership]
