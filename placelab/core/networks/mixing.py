"""Who is tied to whom by group: tie matrices, the E-I index, isolates and vertical links."""

from __future__ import annotations

from collections.abc import Sequence

import igraph as ig
import numpy as np
import pandas as pd


def _edges(graph: ig.Graph) -> np.ndarray:
    return np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)


def tie_matrix(graph: ig.Graph, groups: np.ndarray, labels: Sequence[str]) -> pd.DataFrame:
    """Directed ties from each group (rows) to each group (columns)."""
    codes = pd.Categorical(groups, categories=list(labels)).codes
    edges = _edges(graph)
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, (codes[edges[:, 0]], codes[edges[:, 1]]), 1)
    return pd.DataFrame(matrix, index=list(labels), columns=list(labels))


def ei_index(graph: ig.Graph, groups: np.ndarray) -> float | None:
    r"""Krackhardt and Stern's E-I index over all ties, each directed tie counted once.

    .. math:: EI = \frac{E - I}{E + I}

    where E counts ties between groups and I ties within one; -1 when every tie stays inside a
    group, +1 when every tie crosses. None for a network with no ties.

    Reference: Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140.
    https://doi.org/10.2307/2786835
    """
    edges = _edges(graph)
    if len(edges) == 0:
        return None
    internal = int((groups[edges[:, 0]] == groups[edges[:, 1]]).sum())
    external = len(edges) - internal
    return (external - internal) / (external + internal)


def group_mixing(
    graph: ig.Graph, groups: np.ndarray, labels: Sequence[str], core: np.ndarray
) -> pd.DataFrame:
    """Per group: size, isolates, internal and external ties, E-I, and ties reaching the core.

    A group's ties are those with at least one end in it; its E-I compares the ties that leave
    it with those inside it. ``reach_core`` is the share of its members' ties (either direction)
    whose other end is in the core group (``core``, a boolean mask), excluding core members' own;
    ``tie_ends`` and ``tie_ends_to_core`` are its base and count, so it can be printed as
    "1 of 13" and pooled over groups.
    """
    edges = _edges(graph)
    degree = np.asarray(graph.degree(mode="all"))
    rows = []
    for label in labels:
        member = groups == label
        touches = member[edges[:, 0]] | member[edges[:, 1]]
        internal = int((member[edges[:, 0]] & member[edges[:, 1]]).sum())
        external = int(touches.sum()) - internal
        outer = member & ~core
        end_a, end_b = outer[edges[:, 0]], outer[edges[:, 1]]
        own_ties = int(end_a.sum() + end_b.sum())
        to_core = int((end_a & core[edges[:, 1]]).sum() + (end_b & core[edges[:, 0]]).sum())
        rows.append(
            {
                "group": label,
                "people": int(member.sum()),
                "isolates": int((member & (degree == 0)).sum()),
                "internal_ties": internal,
                "external_ties": external,
                "ei_index": (external - internal) / (external + internal)
                if external + internal
                else None,
                "reach_core": to_core / own_ties if own_ties else None,
                "tie_ends": own_ties,
                "tie_ends_to_core": to_core,
            }
        )
    return pd.DataFrame(rows).set_index("group")


def layer_links(graph: ig.Graph, layers: np.ndarray, order: Sequence[str]) -> pd.DataFrame:
    """Density of ties within each layer and between each pair of layers (Figure 5 / C5).

    Between layers X and Y the density counts ties in either direction over :math:`2 n_X n_Y`;
    within a layer over :math:`n_X (n_X - 1)`. ``vertical`` marks pairs of adjacent layers.
    """
    matrix = tie_matrix(graph, layers, order).to_numpy()
    sizes = np.array([(layers == layer).sum() for layer in order])
    rows = []
    for i, upper in enumerate(order):
        for j in range(i, len(order)):
            ties = matrix[i, i] if i == j else matrix[i, j] + matrix[j, i]
            possible = sizes[i] * (sizes[i] - 1) if i == j else 2 * sizes[i] * sizes[j]
            rows.append(
                {
                    "from_layer": upper,
                    "to_layer": order[j],
                    "kind": "horizontal" if i == j else ("vertical" if j == i + 1 else "distant"),
                    "ties": int(ties),
                    "density": float(ties / possible) if possible else None,
                }
            )
    return pd.DataFrame(rows)
