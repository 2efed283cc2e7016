"""Information centrality: exact against NetworkX, the estimate and its standard error."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from placelab.core.networks.information import information_centrality, information_estimate

SIZE = 400


def networkx_scores(reference: nx.Graph) -> np.ndarray:
    """Stephenson and Zelen's value (n times NetworkX's) on the largest component, 0 elsewhere."""
    largest = reference.subgraph(max(nx.connected_components(reference), key=len))
    scores = np.zeros(reference.number_of_nodes())
    for person, value in nx.information_centrality(largest).items():
        scores[person] = value * len(largest)
    return scores


@pytest.fixture(scope="module")
def clustered():
    # Clustered and skewed like the surveyed networks: Holme and Kim's model.
    reference = nx.powerlaw_cluster_graph(SIZE, 3, 0.3, seed=7)
    return ig.Graph(n=SIZE, edges=list(reference.edges())), networkx_scores(reference)


def estimates(graph: ig.Graph, *, probes: int, seeds: range) -> tuple[np.ndarray, np.ndarray]:
    found = [information_estimate(graph, exact_limit=10, probes=probes, seed=s) for s in seeds]
    return np.array([f[0] for f in found]), np.array([f[1] for f in found])


@pytest.mark.parametrize(
    "reference",
    [nx.florentine_families_graph(), nx.karate_club_graph(), nx.les_miserables_graph()],
    ids=["florentine", "karate", "les-miserables"],
)
def test_the_exact_value_is_networkx_on_classic_networks(reference):
    reference = nx.convert_node_labels_to_integers(reference)
    graph = ig.Graph(n=reference.number_of_nodes(), edges=list(reference.edges()))
    expected = networkx_scores(reference)
    assert information_centrality(graph) == pytest.approx(expected, rel=1e-9)
    assert np.isnan(information_estimate(graph)[1]).all()


def test_the_exact_value_of_a_path_is_worked_out_by_hand():
    # On a path 0-1-2 the resistances are 1, 1 and 2: the middle sums 2, the ends 3, so
    # I = n / sum = 3/2 and 1.
    graph = ig.Graph(n=3, edges=[(0, 1), (1, 2)])
    assert information_centrality(graph) == pytest.approx([1.0, 1.5, 1.0])


def test_the_estimate_is_unbiased(clustered):
    graph, exact = clustered
    values, errors = estimates(graph, probes=32, seeds=range(40))
    # The mean of 40 runs lies within a few of its own standard errors of NetworkX's value.
    z = (values.mean(axis=0) - exact) / (errors.mean(axis=0) / np.sqrt(40))
    assert np.abs(z).mean() < 1.0
    assert np.abs(z).max() < 5.0


def test_the_standard_error_is_the_spread_of_the_estimate_across_seeds(clustered):
    graph, exact = clustered
    values, errors = estimates(graph, probes=32, seeds=range(40))
    ratio = values.std(axis=0, ddof=1) / errors.mean(axis=0)
    assert np.median(ratio) == pytest.approx(1.0, abs=0.1)
    assert np.std((values - exact) / errors) == pytest.approx(1.0, abs=0.1)


def test_the_standard_error_shrinks_like_one_over_the_root_of_the_probes(clustered):
    graph, _ = clustered
    _, few = information_estimate(graph, exact_limit=10, probes=64, seed=1)
    _, many = information_estimate(graph, exact_limit=10, probes=256, seed=2)
    assert np.median(many / few) == pytest.approx(0.5, abs=0.03)


def test_subtracting_the_known_parts_beats_plain_hutchinson(clustered):
    graph, exact = clustered
    values, _ = estimates(graph, probes=32, seeds=range(10))
    pinv = np.linalg.pinv(np.asarray(graph.laplacian(), dtype=float))
    rng = np.random.default_rng(0)
    plain = []
    for _ in range(10):
        z = rng.choice([-1.0, 1.0], size=(SIZE, 32))
        diagonal = (z * (pinv @ z)).mean(axis=1)
        plain.append(SIZE / (SIZE * diagonal + diagonal.sum()))
    ours_error = np.mean((values - exact) ** 2)
    plain_error = np.mean((np.array(plain) - exact) ** 2)
    assert ours_error < plain_error / 3


def test_the_same_seed_gives_the_same_estimate(clustered):
    graph, _ = clustered
    first = information_estimate(graph, exact_limit=10, probes=16, seed=5)
    again = information_estimate(graph, exact_limit=10, probes=16, seed=5)
    other = information_estimate(graph, exact_limit=10, probes=16, seed=6)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


def test_people_off_the_largest_component_score_zero_with_no_error():
    reference = nx.disjoint_union(nx.karate_club_graph(), nx.path_graph(3))
    graph = ig.Graph(n=37, edges=list(reference.edges()))
    scores, errors = information_estimate(graph, exact_limit=10, probes=64)
    assert (scores[34:] == 0).all() and (errors[34:] == 0).all()
    assert (errors[:34] > 0).all()
    assert np.abs(scores - networkx_scores(reference))[:34].max() < 5 * errors[:34].max()
