"""The core group, its overlap across networks, and how closed it is."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd
import pytest

from placelab.core.networks.core_group import connector_overlap, core_closure, core_members


def test_core_members_are_connectors_in_more_than_half_the_networks():
    connectors = pd.DataFrame(
        {"work": [True, True, False], "social": [True, False, False], "expert": [True, True, True]}
    )
    assert core_members(connectors).tolist() == [True, True, False]


def test_connector_overlap_is_jaccard():
    connectors = pd.DataFrame({"a": [True, True, False], "b": [True, False, True]})
    assert connector_overlap(connectors).loc[0, "jaccard"] == pytest.approx(1 / 3)


def test_core_closure_measures_ties_inside_and_across_the_boundary():
    # Core 0, 1 name each other; 1 names 2; 2 and 3 name 0.
    graph = ig.Graph(n=4, edges=[(0, 1), (1, 0), (1, 2), (2, 0), (3, 0)], directed=True)
    closure = core_closure(graph, np.array([True, True, False, False]))
    assert closure["internal_density"] == pytest.approx(1.0)
    assert closure["boundary_density"] == pytest.approx(3 / 8)
    assert closure["closure_ratio"] == pytest.approx(8 / 3)
    assert closure["outward_share"] == pytest.approx(1 / 3)
    assert closure["inward_share"] == pytest.approx(1.0)


def test_core_closure_reads_the_same_from_a_tie_array():
    graph = ig.Graph(n=6, edges=[(0, 1), (1, 0), (0, 2), (3, 0), (4, 5), (5, 1)], directed=True)
    core = np.array([True, True, False, False, False, False])
    ties = np.array(graph.get_edgelist())
    assert core_closure(graph, core, ties=ties) == core_closure(graph, core)
