"""Betweenness: exact against NetworkX, and KADABRA's estimate against NetworkX's exact value."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from placelab.core.networks.betweenness import (
    betweenness,
    betweenness_columns,
    betweenness_estimate,
)
from placelab.core.networks.parameters import Parameters
from placelab.core.networks.roles import key_connectors, top_share


def as_igraph(graph: nx.Graph) -> ig.Graph:
    graph = nx.convert_node_labels_to_integers(graph)
    return ig.Graph(n=graph.number_of_nodes(), edges=list(graph.edges()))


def exact(graph: nx.Graph) -> np.ndarray:
    values = nx.betweenness_centrality(nx.convert_node_labels_to_integers(graph))
    return np.array([values[i] for i in range(graph.number_of_nodes())])


@pytest.fixture(scope="module")
def community_graph() -> nx.Graph:
    # 2,000 people in 20 groups of 100, dense inside and sparse between, plus two isolates:
    # the shape of a locality's organisations, big enough to be estimated.
    graph = nx.random_partition_graph([100] * 20, 0.05, 0.002, seed=7)
    graph.add_nodes_from([2000, 2001])
    return graph


@pytest.fixture(scope="module")
def community_exact(community_graph) -> np.ndarray:
    return exact(community_graph)


def test_exact_betweenness_is_networkx_on_les_miserables():
    graph = nx.les_miserables_graph()
    assert betweenness(as_igraph(graph)) == pytest.approx(exact(graph), abs=1e-12)


def test_the_estimate_is_unbiased_with_the_stated_standard_error():
    # Les Miserables: every estimate within 4 of its standard errors of NetworkX's exact value,
    # and the standardised errors spread like a standard normal's.
    graph = nx.les_miserables_graph()
    values, se = betweenness_estimate(as_igraph(graph), error=0.002, seed=1)
    truth = exact(graph)
    tested = truth > 0.01
    z = (values - truth)[tested] / se[tested]
    assert np.all(np.abs(z) < 4)
    assert 0.6 < z.std() < 1.4
    assert values.sum() == pytest.approx(truth.sum(), rel=0.01)
    assert np.all(values[truth == 0] == 0)


def test_the_estimate_is_the_same_for_the_same_seed():
    graph = as_igraph(nx.les_miserables_graph())
    first = betweenness_estimate(graph, error=0.01, seed=5)
    again = betweenness_estimate(graph, error=0.01, seed=5)
    other = betweenness_estimate(graph, error=0.01, seed=6)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


def test_exact_up_to_the_limit_and_estimated_above():
    graph = as_igraph(nx.les_miserables_graph())
    small = betweenness_columns(graph, Parameters())
    assert np.isnan(small["betweenness_se"]).all()
    lowered = Parameters(exact_limit=50, betweenness_error=0.01, betweenness_exact_work=0)
    estimated = betweenness_columns(graph, lowered)
    assert (estimated["betweenness_se"] >= 0).all()
    # Above the limit but cheap enough (77 people x 254 ties), still exact.
    cheap = betweenness_columns(graph, Parameters(exact_limit=50))
    assert np.isnan(cheap["betweenness_se"]).all()
    assert cheap["betweenness"] == pytest.approx(exact(nx.les_miserables_graph()), abs=1e-12)


def test_the_estimated_top_five_per_cent_agrees_with_networkx(community_graph, community_exact):
    # With exact_limit lowered the 2,002-person graph is estimated; its top 5 per cent (101
    # people) must be at least 90 per cent NetworkX's exact top 5 per cent, and every
    # gatekeeper the estimate is sure of must be one of NetworkX's.
    graph = as_igraph(community_graph)
    parameters = Parameters(exact_limit=1000, betweenness_error=0.002, betweenness_exact_work=0)
    columns = betweenness_columns(graph, parameters)
    truth = top_share(community_exact)
    found = top_share(columns["betweenness"])
    assert truth.sum() == math.ceil(0.05 * 2002)
    assert (found & truth).sum() / truth.sum() >= 0.9
    roles = key_connectors(
        pd.DataFrame({**columns, "degree": graph.degree(), "information": np.zeros(2002)})
    )
    sure = roles["gatekeeper"].to_numpy() & ~roles["borderline"].map(bool).to_numpy()
    assert sure.sum() > 0.5 * found.sum()
    assert not (sure & ~truth).any()


def test_no_edges_means_no_betweenness():
    values, se = betweenness_estimate(ig.Graph(n=5), seed=0)
    assert not values.any() and not se.any()


def test_the_error_bound_is_0_0008_up_to_10000_people_and_grows_as_the_square_root_above():
    assert Parameters().betweenness_error_for(3_000) == 0.0008
    assert Parameters().betweenness_error_for(10_000) == 0.0008
    assert Parameters().betweenness_error_for(100_000) == pytest.approx(0.0008 * math.sqrt(10))
    assert Parameters(betweenness_error=0.01).betweenness_error_for(100_000) == 0.01


def test_above_the_ties_for_kadabra_sampled_sources_give_the_estimate_and_its_batch_error():
    # The estimate is Brandes and Pich's from all 40 sources (NetworkX's subset betweenness,
    # scaled by n/k); the standard error is the spread of ten batches' estimates over sqrt(10).
    graph = nx.les_miserables_graph()
    parameters = Parameters(
        exact_limit=50, samples=40, betweenness_exact_work=0, betweenness_kadabra_ties=100
    )
    columns = betweenness_columns(as_igraph(graph), parameters)
    numbered = nx.convert_node_labels_to_integers(graph)
    sources = parameters.sources(77)
    n = 77
    scale = 2 / ((n - 1) * (n - 2))

    def estimate(chosen: list[int]) -> np.ndarray:
        raw = nx.betweenness_centrality_subset(numbered, chosen, list(numbered), normalized=False)
        return np.array([raw[i] for i in range(n)]) * n / len(chosen) * scale

    batches = np.array([estimate(sources[i : i + 4]) for i in range(0, 40, 4)])
    assert columns["betweenness"] == pytest.approx(estimate(sources), abs=1e-12)
    expected_se = batches.std(axis=0, ddof=1) / np.sqrt(10)
    assert columns["betweenness_se"] == pytest.approx(expected_se, abs=1e-12)
