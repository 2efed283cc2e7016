"""The map's views against NetworkX on random directed networks and against small hand-worked ones."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import pytest

from placelab.core.networks.views import (
    MapTie,
    brokers_between,
    ego_ties,
    map_ties,
    steps_from,
    ties_by_sector,
    without,
)

SECTORS = ("local_authority", "health", "school_college")


def random_study(seed: int, n: int = 30, m: int = 70) -> tuple[nx.DiGraph, dict[str, str]]:
    graph = nx.gnm_random_graph(n, m, seed=seed, directed=True)
    graph = nx.relabel_nodes(graph, {i: f"p{i:02d}" for i in graph})
    sector_of = {person: SECTORS[i % 3] for i, person in enumerate(sorted(graph))}
    return graph, sector_of


def lines_of(graph: nx.DiGraph, *, directed: bool = True) -> list[MapTie]:
    return map_ties({"work": [[a, b, 1] for a, b in graph.edges()]}, ["work"], directed=directed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_pair_is_one_line_and_two_way_when_both_named_each_other(seed):
    graph, _ = random_study(seed)
    lines = lines_of(graph)
    assert len(lines) == graph.to_undirected().number_of_edges()
    for line in lines:
        assert line.two_way == (graph.has_edge(line.source, line.target)
                                and graph.has_edge(line.target, line.source))  # fmt: skip
        assert line.weight == (2 if line.two_way else 1)


def test_the_union_of_networks_adds_weights_and_viewers_lines_have_no_direction():
    ties = {"work": [["a", "b", 2]], "social": [["b", "a", 1], ["a", "c", 4]]}
    lines = {(t.source, t.target): t for t in map_ties(ties, ["work", "social"], directed=False)}
    assert lines == {
        ("a", "b"): MapTie("a", "b", 3.0, None),
        ("a", "c"): MapTie("a", "c", 4.0, None),
    }
    assert map_ties(ties, ["work"]) == [MapTie("a", "b", 2.0, False)]


@pytest.mark.parametrize("seed", [1, 2])
def test_ties_within_and_across_sectors_split_the_network(seed):
    graph, sector_of = random_study(seed)
    lines = lines_of(graph)
    within = ties_by_sector(lines, sector_of, keep="within")
    across = ties_by_sector(lines, sector_of, keep="across")
    expected_within = {
        frozenset(e) for e in graph.to_undirected().edges() if sector_of[e[0]] == sector_of[e[1]]
    }
    assert {frozenset((t.source, t.target)) for t in within} == expected_within
    assert len(within) + len(across) == len(lines)
    with pytest.raises(ValueError, match="within"):
        ties_by_sector(lines, sector_of, keep="inside")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_steps_out_match_networkx_shortest_paths(seed):
    graph, _ = random_study(seed)
    person = "p00"
    expected = nx.single_source_shortest_path_length(graph.to_undirected(), person, cutoff=2)
    lines = lines_of(graph)
    distance = steps_from(lines, person, most=2)
    assert distance == expected
    # Every tie kept leads out from the person: one end at most one step away.
    kept = ego_ties(lines, distance)
    assert all(min(distance[t.source], distance[t.target]) <= 1 for t in kept)
    expected_kept = {
        frozenset(e)
        for e in graph.to_undirected().edges()
        if e[0] in expected and e[1] in expected and min(expected[e[0]], expected[e[1]]) <= 1
    }
    assert {frozenset((t.source, t.target)) for t in kept} == expected_kept


def reference_brokers(graph: nx.DiGraph, sector_of, first, second) -> dict[str, Counter]:
    """Every open two-path a -> b -> c by brute force, roles as Gould and Fernandez name them."""
    found: dict[str, Counter] = {}
    for b in graph:
        for a, c in itertools.product(graph.predecessors(b), graph.successors(b)):
            if a == c or graph.has_edge(a, c) or {sector_of[a], sector_of[c]} != {first, second}:
                continue
            role = ("representative" if sector_of[b] == sector_of[a]
                    else "receiver" if sector_of[b] == sector_of[c] else "liaison")  # fmt: skip
            found.setdefault(b, Counter())[role] += 1
    return found


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_brokers_between_two_sectors_match_a_brute_force_count(seed):
    graph, sector_of = random_study(seed, n=24, m=90)
    people = sorted(graph)
    found = brokers_between(people, lines_of(graph), sector_of, "local_authority", "health")
    expected = reference_brokers(graph, sector_of, "local_authority", "health")
    assert expected, "the random network should have some brokers"
    assert {b: {r: c for r, c in roles.items() if c} for b, roles in found.items()} == {
        b: dict(roles) for b, roles in expected.items()
    }


def test_a_hand_worked_liaison_representative_and_receiver():
    # a (A) -> b (A) -> c (B): b represents A.  a (A) -> d (B) -> e (B): d receives.
    # a (A) -> f (C) -> c (B): f is a liaison.  a -> g (B) with a -> c directly: no path via g.
    sector_of = {"a": "A", "b": "A", "c": "B", "d": "B", "e": "B", "f": "C"}
    ties = [["a", "b", 1], ["b", "c", 1], ["a", "d", 1], ["d", "e", 1], ["a", "f", 1],
            ["f", "c", 1]]  # fmt: skip
    lines = map_ties({"work": ties}, ["work"])
    found = brokers_between(list(sector_of), lines, sector_of, "A", "B")
    assert found == {
        "b": {"liaison": 0, "representative": 1, "receiver": 0},
        "d": {"liaison": 0, "representative": 0, "receiver": 1},
        "f": {"liaison": 1, "representative": 0, "receiver": 0},
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_pieces_left_match_networkx_components(seed):
    graph, _ = random_study(seed, n=40, m=50)
    people = sorted(graph)
    leavers = sorted(graph, key=lambda p: -graph.degree(p))[:3]
    pieces = without(people, lines_of(graph), leavers)
    remaining = graph.to_undirected()
    remaining.remove_nodes_from(leavers)
    expected = sorted((sorted(c) for c in nx.connected_components(remaining)),
                      key=lambda c: (-len(c), c))  # fmt: skip
    assert [sorted(p) for p in pieces.pieces] == expected
    assert pieces.reach_after == pytest.approx(len(expected[0]) / len(remaining))
    assert pieces.leavers == leavers
    largest_before = max(nx.connected_components(graph.to_undirected()), key=len)
    assert pieces.pieces_before == nx.number_connected_components(graph.to_undirected())
    assert set(pieces.cut_off) == largest_before - set(expected[0]) - set(leavers)


def test_a_star_without_its_centre_falls_into_single_people():
    people = ["c", "a", "b", "d"]
    lines = map_ties({"work": [["a", "c", 1], ["b", "c", 1], ["d", "c", 1]]}, ["work"])
    pieces = without(people, lines, ["c"])
    assert pieces.pieces == [["a"], ["b"], ["d"]]
    assert pieces.pieces_before == 1
    assert pieces.cut_off == ["b", "d"]  # "a" is the largest piece left (ties go by the ids)
    assert (pieces.fragmentation_before, pieces.fragmentation_after) == (0.0, 1.0)
    assert (pieces.reach_before, pieces.reach_after) == (1.0, pytest.approx(1 / 3))
