"""Freeman's betweenness: exact up to ``exact_limit`` people, a KADABRA estimate above it.

Above ``Parameters.exact_limit`` people exact betweenness costs too much (igraph needs 8-47 s for
one 10,000-person network), and a fixed sample of source vertices (Brandes and Pich 2007) finds
only about 55 per cent of the exact top 5 per cent there: the sampling error of a source-based
estimate is dominated by the few sources next to a person. KADABRA (Borassi and Natale 2019)
samples random pairs of people and one shortest path between them, so each person's estimate is
a share of independent draws, with a standard error from the binomial and a stated worst-case
bound; ``bench/README.md`` compares the options.
"""

from __future__ import annotations

import igraph as ig
import numpy as np

from placelab.core.networks.parameters import Parameters

SOURCE_BATCHES = 10


def betweenness_columns(graph: ig.Graph, parameters: Parameters) -> dict[str, np.ndarray]:
    """``betweenness`` and its standard error ``betweenness_se`` (NaN where exact): exact up to
    ``exact_limit`` people, and above it while people x ties is at most
    ``betweenness_exact_work``; otherwise a KADABRA estimate, or above
    ``betweenness_kadabra_ties`` ties one from sampled sources (:func:`sampled_betweenness`)."""
    n = graph.vcount()
    if n <= parameters.exact_limit or n * graph.ecount() <= parameters.betweenness_exact_work:
        return {"betweenness": betweenness(graph), "betweenness_se": np.full(n, np.nan)}
    if graph.ecount() > parameters.betweenness_kadabra_ties:
        values, se = sampled_betweenness(graph, sources=parameters.sources(n) or [])
        return {"betweenness": values, "betweenness_se": se}
    values, se = betweenness_estimate(
        graph,
        error=parameters.betweenness_error_for(n),
        delta=parameters.betweenness_delta,
        seed=parameters.seed,
    )
    return {"betweenness": values, "betweenness_se": se}


def betweenness(graph: ig.Graph, *, sources: list[int] | None = None) -> np.ndarray:
    r"""Freeman's betweenness on an undirected graph, normalised by :math:`(n-1)(n-2)/2`.

    .. math:: c_B(v) = \frac{2}{(n-1)(n-2)} \sum_{s<t} \frac{\sigma(s,t|v)}{\sigma(s,t)}

    equal to NetworkX's ``betweenness_centrality(G, normalized=True)``. With ``sources``, only
    paths from those vertices are counted and the sum is scaled by :math:`n/k`, the estimator
    of Brandes and Pich (2007) that NetworkX uses with ``k`` (kept for the benchmarks).

    Reference: Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    Sociometry 40(1), 35-41. https://doi.org/10.2307/3033543
    """
    n = graph.vcount()
    if n < 3:
        return np.zeros(n)
    if sources is None:
        raw = np.asarray(graph.betweenness(directed=False))
    else:
        # Like the full measure, igraph halves undirected sums: only the n/k scale is needed.
        raw = np.asarray(graph.betweenness(directed=False, sources=sources)) * n / len(sources)
    return raw * 2 / ((n - 1) * (n - 2))


def sampled_betweenness(
    graph: ig.Graph, *, sources: list[int], batches: int = SOURCE_BATCHES
) -> tuple[np.ndarray, np.ndarray]:
    """Brandes and Pich's estimate from ``sources`` (as :func:`betweenness`), with a standard
    error from ``batches`` batches of them: the spread of the batches' own estimates over the
    square root of their number (batch means; the same paths are counted, so it costs no more).
    """
    chunks = [c.tolist() for c in np.array_split(np.asarray(sources), batches) if len(c)]
    parts = np.array([betweenness(graph, sources=chunk) for chunk in chunks])
    weights = np.array([len(chunk) for chunk in chunks]) / len(sources)
    if len(chunks) < 2:
        return weights @ parts, np.full(graph.vcount(), np.nan)
    return weights @ parts, parts.std(axis=0, ddof=1) / np.sqrt(len(chunks))


def betweenness_estimate(
    graph: ig.Graph, *, error: float = 0.001, delta: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""KADABRA's estimate of Freeman's betweenness and its standard error, on the scale of
    :func:`betweenness`.

    Pairs of distinct people :math:`(s, t)` are drawn uniformly, and one shortest path between
    them uniformly (balanced bidirectional BFS); :math:`\hat p(v)`, the share of the :math:`N`
    draws whose path passes through :math:`v`, estimates
    :math:`\sum_{s \ne t} \sigma(s,t|v)/\sigma(s,t) / (n(n-1))`, which is :math:`c_B(v)`
    times :math:`(n-2)/n`. Sampling stops adaptively once, with probability at least
    :math:`1 - \delta`, every estimate is within ``error`` of the true value (on KADABRA's
    scale). The standard error :math:`\sqrt{\hat p (1 - \hat p) / N}` is the binomial one,
    rescaled like the estimate; it is what tells a gatekeeper from the people just below.

    NetworKit's implementation (Angriman, van der Grinten et al.) does the sampling on one
    thread, so the same ``seed`` gives the same result.

    Reference: Borassi, M. and Natale, E. (2019). KADABRA is an ADaptive Algorithm for
    Betweenness via Random Approximation. ACM J. Exp. Algorithmics 24, 1.2.
    https://doi.org/10.1145/3284359
    """
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    return kadabra(graph.vcount(), edges, error=error, delta=delta, seed=seed)


def kadabra(
    n: int, edges: np.ndarray, *, error: float, delta: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`betweenness_estimate` on ``n`` vertices and an array of undirected ``edges``
    (pairs of vertex numbers), whatever library holds the graph: the edges are put in one
    order first, since the draws depend on the order of each vertex's neighbours."""
    if n < 3 or len(edges) == 0:
        return np.zeros(n), np.zeros(n)
    import networkit as nk  # only above exact_limit: importing it costs most of a second

    pairs = np.unique(np.sort(np.asarray(edges, dtype=np.int64).reshape(-1, 2), axis=1), axis=0)
    nk_graph = nk.Graph(n)
    nk_graph.addEdges((pairs[:, 0].astype(np.uint64), pairs[:, 1].astype(np.uint64)))
    threads = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(1)  # with more threads the draws interleave differently each run
    try:
        nk.engineering.setSeed(seed, False)
        kadabra = nk.centrality.KadabraBetweenness(nk_graph, error, delta, True, 0)
        kadabra.run()
        draws = kadabra.getNumberOfIterations()
        counts = _path_counts(np.asarray(kadabra.scores()))
    finally:
        nk.setNumberOfThreads(threads)
    share = counts / draws
    scale = n / (n - 2)
    return share * scale, np.sqrt(share * (1 - share) / draws) * scale


def _path_counts(scores: np.ndarray) -> np.ndarray:
    """How many sampled paths passed through each person, from NetworKit's scores.

    NetworKit divides the counts by a number it does not expose (about half the draws it
    reports), so the counts are recovered as the whole numbers the scores are multiples of.
    """
    positive = scores[scores > 0]
    if positive.size == 0:
        return np.zeros_like(scores)
    smallest = positive.min()
    for fewest in range(1, 1000):  # the least-visited person was visited `fewest` times
        counts = scores * (fewest / smallest)
        if np.allclose(counts, np.round(counts), rtol=0, atol=1e-6):
            return np.round(counts)
    raise ArithmeticError("NetworKit's KADABRA scores are not whole counts over one total")
