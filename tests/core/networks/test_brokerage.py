"""Gould and Fernandez brokerage against brute force and a hand-worked example."""

from __future__ import annotations

import itertools

import igraph as ig
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import directed_edges

from placelab.core.networks import brokerage as brokerage_module
from placelab.core.networks.brokerage import (
    _open_two_path_blocks,
    brokerage,
    expected_brokerage,
    open_two_paths,
)


@settings(max_examples=60, deadline=None)
@given(directed_edges(3, 12))
def test_open_two_paths_are_exactly_those_found_by_brute_force(graph_edges):
    n, ordered = graph_edges
    edges = set(ordered)
    graph = ig.Graph(n=n, edges=ordered, directed=True)
    brute = {
        (a, b, c)
        for a, b, c in itertools.permutations(range(n), 3)
        if (a, b) in edges and (b, c) in edges and (a, c) not in edges
    }
    found = [tuple(row) for row in open_two_paths(graph)]
    assert sorted(found) == sorted(brute)


def test_each_role_is_read_from_the_groups_of_the_three_people():
    # Groups: 0, 1, 2 in A; 3, 4 in B; 5 in C. Worked by hand, path by path.
    groups = np.array(["A", "A", "A", "B", "B", "C"])
    edges = [(0, 1), (1, 2), (3, 1), (1, 4), (1, 5), (5, 3), (3, 4), (4, 5)]
    counts = brokerage(ig.Graph(n=6, edges=edges, directed=True), groups)
    roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
    # Broker 1: 0>1>2 AAA coordinator; 0>1>4 AAB and 0>1>5 AAC representative;
    # 3>1>2 BAA gatekeeper; 3>1>5 BAC liaison; 3>1>4 is closed by 3>4.
    assert counts.loc[1, roles].tolist() == [1, 0, 2, 1, 1]
    # Broker 3: 5>3>1 CBA liaison; 5>3>4 CBB gatekeeper.
    assert counts.loc[3, roles].tolist() == [0, 0, 0, 1, 1]
    # Broker 5: 4>5>3 BCB itinerant; 1>5>3 ACB liaison.
    assert counts.loc[5, roles].tolist() == [0, 1, 0, 0, 1]
    # Broker 4: 3>4>5 BBC representative; 1>4>5 is closed by 1>5.
    assert counts.loc[4, roles].tolist() == [0, 0, 1, 0, 0]


def test_expected_counts_follow_group_sizes_and_density():
    groups = np.array(["A"] * 4 + ["B"] * 2)
    expected = expected_brokerage(groups, 0.5)
    chance = 0.5**2 * 0.5
    assert expected.loc["A", "coordinator"] == pytest.approx(3 * 2 * chance)
    assert expected.loc["A", "itinerant"] == pytest.approx(2 * 1 * chance)
    assert expected.loc["A", "representative"] == pytest.approx(3 * 2 * chance)
    assert expected.loc["B", "gatekeeper"] == pytest.approx(4 * 1 * chance)
    assert expected.loc["A", "liaison"] == 0


def test_blocks_of_two_paths_together_are_every_open_two_path():
    graph = ig.Graph.Erdos_Renyi(n=60, m=400, directed=True)
    whole = {tuple(row) for row in open_two_paths(graph)}
    parts = [tuple(row) for block in _open_two_path_blocks(graph, block=97) for row in block]
    assert len(parts) == len(whole) and set(parts) == whole


def brute_force_roles(n: int, edges: set, groups: np.ndarray) -> np.ndarray:
    """Role counts by listing every open two-path and reading its three groups."""
    counts = np.zeros((n, 5), dtype=int)
    for a, b, c in itertools.permutations(range(n), 3):
        if (a, b) in edges and (b, c) in edges and (a, c) not in edges:
            ga, gb, gc = groups[a], groups[b], groups[c]
            kind = (
                0 if ga == gb == gc
                else 1 if ga == gc
                else 2 if ga == gb
                else 3 if gb == gc
                else 4
            )  # fmt: skip
            counts[b, kind] += 1
    return counts


@settings(max_examples=80, deadline=None)
@given(directed_edges(3, 14), st.integers(0, 2**32 - 1))
def test_role_counts_equal_those_of_every_open_two_path_listed(graph_edges, seed):
    n, ordered = graph_edges
    groups = np.random.default_rng(seed).choice(["A", "B", "C"], size=n)
    counts = brokerage(ig.Graph(n=n, edges=ordered, directed=True), groups)
    assert (counts.to_numpy() == brute_force_roles(n, set(ordered), groups)).all()


def test_counting_closed_pairs_in_small_blocks_changes_nothing(monkeypatch):
    graph = ig.Graph.Erdos_Renyi(n=80, m=900, directed=True)
    groups = np.random.default_rng(1).choice(["A", "B", "C", "D"], size=80)
    whole = brokerage(graph, groups)
    monkeypatch.setattr(brokerage_module, "PRODUCTS", 5)
    assert brokerage(graph, groups).equals(whole)
    assert (whole.to_numpy() == brute_force_roles(80, set(graph.get_edgelist()), groups)).all()
