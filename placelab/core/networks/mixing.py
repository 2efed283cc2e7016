"""Who is tied to whom by group: tie matrices, the E-I index, isolates and vertical links.

Every function takes a network's directed ties as a ``(k, 2)`` array of person numbers (source,
target), as ``tie_array`` reads them from a graph: an analysis fetches them once per network.
"""

from __future__ import annotations

from collections.abc import Sequence

import igraph as ig
import numpy as np
import pandas as pd


def tie_array(graph: ig.Graph) -> np.ndarray:
    """A graph's ties as a ``(k, 2)`` integer array, in the graph's edge order."""
    return np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)


def _codes(groups: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Each person's position in ``labels`` (-1 for a group not among them)."""
    return pd.Index(list(labels)).get_indexer(groups).astype(np.int64)


def tie_matrix(ties: np.ndarray, groups: np.ndarray, labels: Sequence[str]) -> pd.DataFrame:
    """Directed ties from each group (rows) to each group (columns)."""
    size = len(labels)
    codes = _codes(groups, labels)
    source, target = codes[ties[:, 0]], codes[ties[:, 1]]
    counted = (source >= 0) & (target >= 0)
    cells = np.bincount(source[counted] * size + target[counted], minlength=size * size)
    return pd.DataFrame(cells.reshape(size, size), index=list(labels), columns=list(labels))


def ei_index(ties: np.ndarray, groups: np.ndarray) -> float | None:
    r"""Krackhardt and Stern's E-I index over all ties, each directed tie counted once.

    .. math:: EI = \frac{E - I}{E + I}

    where E counts ties between groups and I ties within one; -1 when every tie stays inside a
    group, +1 when every tie crosses. None for a network with no ties.

    Reference: Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140.
    https://doi.org/10.2307/2786835
    """
    if len(ties) == 0:
        return None
    codes = np.unique(groups, return_inverse=True)[1].reshape(-1)
    internal = int(np.count_nonzero(codes[ties[:, 0]] == codes[ties[:, 1]]))
    external = len(ties) - internal
    return (external - internal) / (external + internal)


def group_mixing(
    ties: np.ndarray, groups: np.ndarray, labels: Sequence[str], core: np.ndarray
) -> pd.DataFrame:
    """Per group: size, isolates, internal and external ties, E-I, and ties reaching the core.

    A group's ties are those with at least one end in it; its E-I compares the ties that leave
    it with those inside it. ``reach_core`` is the share of its members' ties (either direction)
    whose other end is in the core group (``core``, a boolean mask), excluding core members' own;
    ``tie_ends`` and ``tie_ends_to_core`` are its base and count, so it can be printed as
    "1 of 13" and pooled over groups.
    """
    size = len(labels)
    codes = _codes(groups, labels)
    source, target = codes[ties[:, 0]], codes[ties[:, 1]]

    def per_group(found: np.ndarray) -> np.ndarray:
        return np.bincount(found[found >= 0], minlength=size)

    degree = np.bincount(ties.ravel(), minlength=len(groups))
    internal = per_group(source[source == target])
    external = per_group(source) + per_group(target) - 2 * internal
    outer_source, outer_target = ~core[ties[:, 0]], ~core[ties[:, 1]]
    own_ties = per_group(source[outer_source]) + per_group(target[outer_target])
    to_core = per_group(source[outer_source & ~outer_target]) + per_group(
        target[outer_target & ~outer_source]
    )
    people, isolates = per_group(codes), per_group(codes[degree == 0])
    rows = [
        {
            "group": label,
            "people": int(people[i]),
            "isolates": int(isolates[i]),
            "internal_ties": int(internal[i]),
            "external_ties": int(external[i]),
            "ei_index": _ratio(external[i] - internal[i], external[i] + internal[i]),
            "reach_core": _ratio(to_core[i], own_ties[i]),
            "tie_ends": int(own_ties[i]),
            "tie_ends_to_core": int(to_core[i]),
        }
        for i, label in enumerate(labels)
    ]
    return pd.DataFrame(rows).set_index("group")


def _ratio(part: int, whole: int) -> float | None:
    return int(part) / int(whole) if whole else None


def layer_links(ties: np.ndarray, layers: np.ndarray, order: Sequence[str]) -> pd.DataFrame:
    """Density of ties within each layer and between each pair of layers (Figure 5 / C5).

    Between layers X and Y the density counts ties in either direction over :math:`2 n_X n_Y`;
    within a layer over :math:`n_X (n_X - 1)`. ``vertical`` marks pairs of adjacent layers.
    """
    matrix = tie_matrix(ties, layers, order).to_numpy()
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
