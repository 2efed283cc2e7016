"""Whole-network figures: size, ties, density, reciprocity, components, centralisation."""

from __future__ import annotations

import igraph as ig
import numpy as np


def network_summary(directed: ig.Graph, undirected: ig.Graph, respondents: np.ndarray) -> dict:
    """Figures for one network on everyone in the roster.

    ``respondents`` is a boolean mask over vertices: who answered the survey.
    """
    n = directed.vcount()
    components = undirected.connected_components()
    sizes = sorted(components.sizes(), reverse=True)
    out_degree = np.asarray(directed.outdegree())
    answered = int(respondents.sum())
    return {
        "people": n,
        "ties": directed.ecount(),
        "density": density(directed),
        "reciprocity": reciprocity(directed),
        "components": len(sizes),
        "largest_component": sizes[0] if sizes else 0,
        "isolates": int((np.asarray(undirected.degree()) == 0).sum()),
        "degree_centralisation": degree_centralisation(undirected),
        "share_naming_anyone": (
            float((out_degree[respondents] > 0).sum() / answered) if answered else 0.0
        ),
        "mean_names_per_respondent": float(out_degree[respondents].mean()) if answered else 0.0,
    }


def density(graph: ig.Graph) -> float:
    """Directed ties over :math:`n(n-1)`, as NetworkX's ``density`` on a DiGraph."""
    n = graph.vcount()
    return graph.ecount() / (n * (n - 1)) if n > 1 else 0.0


def reciprocity(graph: ig.Graph) -> float:
    """The share of ties that are returned, as NetworkX's ``overall_reciprocity``."""
    if graph.ecount() == 0:
        return 0.0
    return float(graph.reciprocity(ignore_loops=True, mode="default"))


def degree_centralisation(graph: ig.Graph) -> float:
    r"""Freeman's degree centralisation of an undirected graph, 1 for a star and 0 for a ring.

    .. math:: C_D = \frac{\sum_v (d_{max} - d_v)}{(n-1)(n-2)}

    Reference: Freeman, L. C. (1979). Centrality in social networks: conceptual
    clarification. Social Networks 1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7
    """
    n = graph.vcount()
    if n < 3:
        return 0.0
    degrees = np.asarray(graph.degree())
    return float((degrees.max() - degrees).sum() / ((n - 1) * (n - 2)))
