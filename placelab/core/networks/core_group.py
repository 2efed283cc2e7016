"""The core group: people who are key connectors in most networks (Appendix C 4.3.3).

The pilot found "the same core group of individuals ... consistently identified across all seven
networks", a strength that "could also indicate the existence of a dominant and exclusive
clique". This module names that group, measures how much the networks' connectors overlap, and
how closed the group is to everyone else.
"""

from __future__ import annotations

from itertools import combinations

import igraph as ig
import numpy as np
import pandas as pd


def core_members(connectors: pd.DataFrame) -> np.ndarray:
    """Boolean mask: key connector (any role) in more than half of the networks.

    ``connectors`` has one boolean column per network, one row per person.
    """
    if connectors.shape[1] == 0:
        return np.zeros(len(connectors), dtype=bool)
    return connectors.sum(axis=1).to_numpy() > connectors.shape[1] / 2


def connector_overlap(connectors: pd.DataFrame) -> pd.DataFrame:
    """Jaccard overlap of the key connectors of every pair of networks."""
    rows = []
    for a, b in combinations(connectors.columns, 2):
        union = int((connectors[a] | connectors[b]).sum())
        both = int((connectors[a] & connectors[b]).sum())
        rows.append({"network_a": a, "network_b": b, "jaccard": both / union if union else None})
    return pd.DataFrame(rows, columns=["network_a", "network_b", "jaccard"])


def core_closure(graph: ig.Graph, core: np.ndarray, *, ties: np.ndarray | None = None) -> dict:
    """How the core's ties sit in a directed network (usually the union of all networks).

    ``ties``, the graph's ties as a ``(k, 2)`` array when already at hand, saves reading them.

    - ``internal_density``: ties among core members over :math:`c(c-1)`;
    - ``boundary_density``: ties between the core and the rest, either way, over :math:`2c(n-c)`;
    - ``closure_ratio``: the first over the second, how much likelier a tie inside the core is;
    - ``outward_share``: the share of core members' own nominations that name someone outside it;
    - ``inward_share``: the share of nominations made by the rest that name a core member.
    """
    n, c = graph.vcount(), int(core.sum())
    edges = (
        np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2) if ties is None else ties
    )
    from_core, to_core = core[edges[:, 0]], core[edges[:, 1]]
    internal = int((from_core & to_core).sum())
    boundary = int((from_core != to_core).sum())
    internal_density = internal / (c * (c - 1)) if c > 1 else None
    boundary_density = boundary / (2 * c * (n - c)) if 0 < c < n else None
    named_by_core = int(from_core.sum())
    named_by_rest = int((~from_core).sum())
    return {
        "size": c,
        "share_of_people": c / n if n else 0.0,
        "internal_density": internal_density,
        "boundary_density": boundary_density,
        "closure_ratio": (
            internal_density / boundary_density
            if internal_density is not None and boundary_density
            else None
        ),
        "outward_share": (named_by_core - internal) / named_by_core if named_by_core else None,
        "inward_share": int((~from_core & to_core).sum()) / named_by_rest
        if named_by_rest
        else None,
    }
