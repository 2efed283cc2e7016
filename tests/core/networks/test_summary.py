"""Whole-network figures against NetworkX and hand-worked graphs."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from strategies import directed_edges

from placelab.core.networks.graphs import symmetrise
from placelab.core.networks.summary import (
    degree_centralisation,
    density,
    network_summary,
    reciprocity,
)


@settings(max_examples=60, deadline=None)
@given(directed_edges(2, 20))
def test_density_and_reciprocity_match_networkx(graph_edges):
    n, edges = graph_edges
    graph = ig.Graph(n=n, edges=edges, directed=True)
    reference = nx.DiGraph(edges)
    reference.add_nodes_from(range(n))
    assert density(graph) == pytest.approx(nx.density(reference))
    if edges:
        assert reciprocity(graph) == pytest.approx(nx.overall_reciprocity(reference))


def test_a_star_is_fully_centralised_and_a_ring_not_at_all():
    assert degree_centralisation(ig.Graph.Star(6)) == pytest.approx(1.0)
    assert degree_centralisation(ig.Graph.Ring(6)) == pytest.approx(0.0)


def test_summary_counts_respondents_who_named_anyone():
    # 0 -> 1, 1 -> 0, 2 named no one, 3 did not answer; 4 people, 2 of 3 respondents named.
    graph = ig.Graph(n=4, edges=[(0, 1), (1, 0)], directed=True)
    summary = network_summary(graph, symmetrise(graph), np.array([True, True, True, False]))
    assert summary["share_naming_anyone"] == pytest.approx(2 / 3)
    assert summary["density"] == pytest.approx(2 / 12)
    assert summary["reciprocity"] == 1.0
    assert summary["components"] == 3 and summary["isolates"] == 2
    assert summary["largest_component"] == 2
