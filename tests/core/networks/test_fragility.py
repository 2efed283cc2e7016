"""Fragmentation and departures against hand-worked graphs."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from placelab.core.networks.fragility import departures, fragmentation, reach, worst_departure


def test_fragmentation_of_two_equal_components():
    # Two pairs: 2 * (2 * 1) reachable ordered pairs of 4 * 3: F = 1 - 4/12.
    assert fragmentation(ig.Graph(n=4, edges=[(0, 1), (2, 3)])) == pytest.approx(2 / 3)


def test_fragmentation_matches_networkx_components():
    reference = nx.gnm_random_graph(40, 35, seed=2)
    n = len(reference)
    sizes = [len(c) for c in nx.connected_components(reference)]
    expected = 1 - sum(s * (s - 1) for s in sizes) / (n * (n - 1))
    assert fragmentation(ig.Graph(n=n, edges=list(reference.edges()))) == pytest.approx(expected)


def test_removing_the_centre_of_a_star_breaks_it_completely():
    star = ig.Graph.Star(6)
    steps = departures(star, [0, 1], most=2)
    assert steps["fragmentation"].tolist() == pytest.approx([0.0, 1.0, 1.0])
    assert steps["reach"].tolist() == pytest.approx([1.0, 1 / 5, 1 / 4])


def test_the_worst_departure_is_the_bridge():
    # Two triangles joined through vertex 3: losing 3 splits them.
    graph = ig.Graph(n=7, edges=[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (4, 6)])
    person, after = worst_departure(graph, [0, 3, 5])
    assert person == 3
    assert after == pytest.approx(1 - (3 * 2 + 3 * 2) / (6 * 5))
    assert reach(graph) == 1.0


def test_the_shortcut_for_people_who_are_not_cut_vertices_matches_removing_them():
    reference = nx.gnm_random_graph(60, 70, seed=5)
    graph = ig.Graph(n=60, edges=list(reference.edges()))
    for person in range(60):
        removed = graph.copy()
        removed.delete_vertices([person])
        assert worst_departure(graph, [person])[1] == pytest.approx(fragmentation(removed))


def networkx_fragmentation(graph: nx.Graph) -> float:
    n = len(graph)
    sizes = [len(c) for c in nx.connected_components(graph)]
    return 1 - sum(s * (s - 1) for s in sizes) / (n * (n - 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_departures_match_removing_the_leavers_in_networkx(seed):
    reference = nx.gnm_random_graph(80, 90, seed=seed)
    graph = ig.Graph(n=80, edges=list(reference.edges()))
    ranked = sorted(reference, key=lambda v: -reference.degree(v))[:6]
    steps = departures(graph, ranked, most=5)
    for k in range(6):
        remaining = reference.copy()
        remaining.remove_nodes_from(ranked[:k])
        largest = max(len(c) for c in nx.connected_components(remaining))
        assert steps.loc[k, "reach"] == pytest.approx(largest / len(remaining))
        assert steps.loc[k, "fragmentation"] == pytest.approx(networkx_fragmentation(remaining))


def test_every_cut_vertex_splits_its_component_as_networkx_finds():
    # A tree-like graph: many cut vertices, several components, a few cycles.
    reference = nx.gnm_random_graph(70, 66, seed=4)
    graph = ig.Graph(n=70, edges=list(reference.edges()))
    cut = set(nx.articulation_points(reference))
    assert len(cut) > 10
    for person in sorted(cut):
        remaining = reference.copy()
        remaining.remove_node(person)
        assert worst_departure(graph, [person])[1] == pytest.approx(
            networkx_fragmentation(remaining), abs=1e-12
        )


def test_a_directed_graphs_ties_give_the_same_departures_as_its_symmetrised_twin():
    reference = nx.gnm_random_graph(50, 60, seed=7, directed=True)
    edges = np.array(list(reference.edges()))
    undirected = ig.Graph(n=50, edges=edges.tolist(), directed=True).as_undirected()
    ranked = [3, 1, 4, 15, 9]
    assert departures(undirected, ranked, ties=edges).equals(departures(undirected, ranked))
