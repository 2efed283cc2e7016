"""Leiden communities: seeded, sensible on a planted structure, labelled by size."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np

from placelab.core.networks.communities import community_makeup, leiden_communities


def two_cliques() -> ig.Graph:
    reference = nx.barbell_graph(5, 0)  # two 5-cliques joined by one edge
    return ig.Graph(n=10, edges=list(reference.edges()))


def test_two_cliques_joined_by_a_bridge_are_two_communities():
    membership = leiden_communities(two_cliques())
    assert len(set(membership[:5])) == 1 and len(set(membership[5:])) == 1
    assert membership[0] != membership[9]


def test_the_same_seed_gives_the_same_communities():
    graph = ig.Graph.Famous("Zachary")
    assert (leiden_communities(graph, seed=3) == leiden_communities(graph, seed=3)).all()


def test_modularity_is_as_good_as_networkx_louvain():
    graph = ig.Graph.Famous("Zachary")
    reference = nx.karate_club_graph()
    ours = leiden_communities(graph, seed=1)
    groups = [set(np.flatnonzero(ours == c)) for c in np.unique(ours)]
    louvain = nx.community.louvain_communities(reference, seed=1)
    assert (
        nx.community.modularity(reference, groups)
        >= nx.community.modularity(reference, louvain) - 1e-9
    )


def test_largest_community_is_numbered_zero_and_makeup_counts_groups():
    graph = ig.Graph(n=7, edges=[(0, 1), (1, 2), (0, 2), (2, 3), (4, 5)])
    membership = leiden_communities(graph)
    assert np.bincount(membership).argmax() == 0
    makeup = community_makeup(membership, np.array(["a", "a", "b", "b", "a", "b", "c"]))
    assert makeup.sum(axis=1).tolist() == sorted(makeup.sum(axis=1).tolist(), reverse=True)
    assert 6 not in makeup.index.tolist() or makeup.loc[6].sum() >= 2  # singletons dropped
