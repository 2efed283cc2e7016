"""Mixing by group: E-I index, tie matrices, reach to the core and links between layers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placelab.core.networks.mixing import ei_index, group_mixing, layer_links, tie_matrix

GROUPS = np.array(["council", "council", "school", "school", "vcs"])
# 0>1 inside the council, 2>3 inside schools, 0>2 and 3>0 across, 4>0 from the VCS.
EDGES = [(0, 1), (2, 3), (0, 2), (3, 0), (4, 0)]


def graph() -> np.ndarray:
    return np.array(EDGES)


def test_ei_index_counts_each_directed_tie_once():
    # 3 ties cross groups, 2 stay inside: (3 - 2) / 5.
    assert ei_index(graph(), GROUPS) == pytest.approx(0.2)


def test_ei_index_is_minus_one_when_every_tie_stays_inside():
    assert ei_index(np.array([(0, 1), (2, 3)]), GROUPS) == -1


def test_ei_index_is_undefined_without_ties():
    assert ei_index(np.zeros((0, 2), dtype=int), GROUPS) is None


def test_tie_matrix_counts_ties_from_rows_to_columns():
    matrix = tie_matrix(graph(), GROUPS, ["council", "school", "vcs"])
    assert matrix.loc["council"].tolist() == [1, 1, 0]
    assert matrix.loc["school"].tolist() == [1, 1, 0]
    assert matrix.loc["vcs"].tolist() == [1, 0, 0]


def test_group_mixing_reports_isolates_ei_and_ties_reaching_the_core():
    groups = np.append(GROUPS, "vcs")  # person 5 names no one and is named by no one
    core = np.array([True, False, False, False, False, False])
    frame = group_mixing(graph(), groups, ["council", "school", "vcs"], core)
    assert frame.loc["vcs", "isolates"] == 1
    assert frame.loc["vcs", "reach_core"] == 1.0  # its only tie names person 0
    # Schools: ties 2>3 (twice counted: both ends in school), 0>2 and 3>0: 2 of 4 ends reach 0.
    assert frame.loc["school", "reach_core"] == pytest.approx(2 / 4)
    assert frame.loc["school", "ei_index"] == pytest.approx((2 - 1) / 3)


def test_layer_links_give_density_within_and_between_adjacent_layers():
    layers = np.array(["systemic", "systemic", "sectoral", "sectoral", "public"])
    links = layer_links(graph(), layers, ["systemic", "sectoral", "frontline", "public"])
    row = links[(links.from_layer == "systemic") & (links.to_layer == "sectoral")].iloc[0]
    assert row["kind"] == "vertical"
    assert row["ties"] == 2 and row["density"] == pytest.approx(2 / 8)
    inside = links[(links.from_layer == "systemic") & (links.to_layer == "systemic")].iloc[0]
    assert inside["kind"] == "horizontal" and inside["density"] == pytest.approx(1 / 2)
    empty = links[(links.from_layer == "frontline") & (links.to_layer == "public")].iloc[0]
    assert pd.isna(empty["density"])  # no one in the frontline layer


def test_group_mixing_matches_counting_tie_by_tie():
    rng = np.random.default_rng(3)
    groups = rng.choice(["council", "school", "vcs", "health"], size=60)
    core = rng.random(60) < 0.1
    ties = np.array(sorted({(int(a), int(b)) for a, b in rng.integers(0, 60, (150, 2)) if a != b}))
    labels = ["council", "health", "school"]  # vcs left out: its ties count for no group here
    frame = group_mixing(ties, groups, labels, core)
    named = {int(p) for p in ties.ravel()}
    for label in labels:
        inside = [(a, b) for a, b in ties if groups[a] == label and groups[b] == label]
        touching = [(a, b) for a, b in ties if label in (groups[a], groups[b])]
        ends = [(me, other) for a, b in ties for me, other in ((a, b), (b, a))]
        own = [(me, o) for me, o in ends if groups[me] == label and not core[me]]
        row = frame.loc[label]
        assert row["people"] == (groups == label).sum()
        assert row["isolates"] == sum(groups[p] == label and p not in named for p in range(60))
        assert row["internal_ties"] == len(inside)
        assert row["external_ties"] == len(touching) - len(inside)
        assert row["tie_ends"] == len(own)
        assert row["tie_ends_to_core"] == sum(core[o] for _me, o in own)
    matrix = tie_matrix(ties, groups, labels)
    assert matrix.loc["school", "council"] == sum(
        groups[a] == "school" and groups[b] == "council" for a, b in ties
    )
    assert matrix.to_numpy().sum() == sum(
        groups[a] != "vcs" and groups[b] != "vcs" for a, b in ties
    )
