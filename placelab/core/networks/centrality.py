"""Per-person measures of one network.

Degrees and PageRank read the ties as nominated (directed); betweenness, harmonic closeness,
information centrality, k-core and constraint read them as two-way (see ``graphs``). Above
``exact_limit`` people, betweenness is estimated by KADABRA (``betweenness``) and harmonic
closeness from a seeded sample of source vertices.
"""

from __future__ import annotations

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

    Reference: Marchiori, M. and Latora, V. (2000). Harmony in the small-world. Physica A
    285(3-4), 539-546. https://doi.org/10.1016/S0378-4371(00)00311-3
    """
    n = graph.vcount()
    if n < 2:
        return np.zeros(n)
    if sources is None:
        return np.asarray(graph.harmonic_centrality(mode="all", normalized=True))
    total = np.zeros(n)
    for start in range(0, len(sources), 64):
        block = sources[start : start + 64]
        distances = np.asarray(graph.distances(source=block), dtype=float)
        with np.errstate(divide="ignore"):
            inverse = np.where(distances > 0, 1.0 / distances, 0.0)
        total += inverse.sum(axis=0)
    in_sample = np.isin(np.arange(n), sources)
    return total / (len(sources) - in_sample)


def pagerank(graph: ig.Graph, *, damping: float = 0.85) -> np.ndarray:
    """PageRank on the directed graph weighted by how often people are in touch.

    People who named no one spread their score evenly over everyone, as in NetworkX.
    Reference: Brin, S. and Page, L. (1998). Computer Networks 30, 107-117.
    """
    if graph.vcount() == 0:
        return np.zeros(0)
    weights = "weight" if graph.ecount() else None
    return np.asarray(graph.pagerank(directed=True, damping=damping, weights=weights))


def constraint(graph: ig.Graph) -> np.ndarray:
    """Burt's constraint on the undirected graph, unweighted; NaN for an isolate (as NetworkX).

    Reference: Burt, R. S. (1992). Structural Holes. Harvard University Press.
    """
    values = np.asarray(graph.constraint(), dtype=float)
    values[np.asarray(graph.degree()) == 0] = np.nan
    return values
