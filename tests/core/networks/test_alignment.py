"""QAP correlation against numpy on dense matrices, and its permutation test."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from placelab.core.networks import alignment
from placelab.core.networks.alignment import qap_alignment


def random_graph(n: int, m: int, seed: int) -> ig.Graph:
    rng = np.random.default_rng(seed)
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, size=(m, 2)) if a != b}
    return ig.Graph(n=n, edges=sorted(pairs), directed=True)


def dense_r(a: ig.Graph, b: ig.Graph) -> float:
    x, y = np.array(a.get_adjacency().data), np.array(b.get_adjacency().data)
    off = ~np.eye(a.vcount(), dtype=bool)
    return float(np.corrcoef(x[off], y[off])[0, 1])


def test_r_is_pearson_over_the_off_diagonal_cells():
    a, b = random_graph(40, 200, 1), random_graph(40, 200, 2)
    b.add_edges([e.tuple for e in a.es][:60])
    b.simplify()
    table = qap_alignment({"work": a, "social": b}, permutations=9)
    assert table.loc[0, "r"] == pytest.approx(dense_r(a, b))


def test_identical_networks_correlate_fully_and_beat_every_permutation():
    a = random_graph(30, 120, 3)
    table = qap_alignment({"strategic": a, "decision": a.copy()}, permutations=199, seed=5)
    assert table.loc[0, "r"] == pytest.approx(1.0)
    assert table.loc[0, "p"] == pytest.approx(1 / 200)
    assert bool(table.loc[0, "highlighted"])


def test_unrelated_networks_are_not_called_aligned():
    table = qap_alignment(
        {"innovation": random_graph(60, 300, 7), "expert": random_graph(60, 300, 8)},
        permutations=199,
        seed=1,
    )
    assert table.loc[0, "p"] > 0.05


def test_the_same_seed_gives_the_same_p_values():
    graphs = {name: random_graph(30, 90, i) for i, name in enumerate(["a", "b", "c"])}
    first = qap_alignment(graphs, permutations=99, seed=11)
    assert first.equals(qap_alignment(graphs, permutations=99, seed=11))
    assert len(first) == 3


@pytest.mark.parametrize(("setting", "value"), [("DENSE_BYTES", 0), ("ONE_PASS_NETWORKS", 0)])
def test_every_way_of_counting_gives_the_same_table(monkeypatch, setting, value):
    graphs = {name: random_graph(50, 300, i) for i, name in enumerate("abcd")}
    dense = qap_alignment(graphs, permutations=49, seed=2)
    # The hash table used for very large networks, and the count for many networks, must agree.
    monkeypatch.setattr(alignment, setting, value)
    assert qap_alignment(graphs, permutations=49, seed=2).equals(dense)


def test_batches_of_permutations_draw_the_same_relabellings(monkeypatch):
    graphs = {name: random_graph(40, 200, i) for i, name in enumerate("abc")}
    whole = qap_alignment(graphs, permutations=99, seed=4)
    monkeypatch.setattr(alignment, "BATCH", 1)  # one permutation at a time
    assert qap_alignment(graphs, permutations=99, seed=4).equals(whole)


def test_p_counts_the_relabellings_a_plain_loop_over_sets_finds():
    graphs = {name: random_graph(25, 80, i) for i, name in enumerate("abc")}
    table = qap_alignment(graphs, permutations=59, seed=9)
    ties = {k: {e.tuple for e in g.es} for k, g in graphs.items()}
    rng, beaten = np.random.default_rng(9), {("a", "b"): 0, ("a", "c"): 0, ("b", "c"): 0}
    for _ in range(59):
        relabel = rng.permutation(25)
        for a, b in beaten:
            moved = {(relabel[s], relabel[t]) for s, t in ties[b]}
            beaten[(a, b)] += len(ties[a] & moved) >= len(ties[a] & ties[b])
    expected = [(beaten[pair] + 1) / 60 for pair in beaten]
    assert table["p"].tolist() == pytest.approx(expected)
    assert table["shared_ties"].tolist() == [len(ties[a] & ties[b]) for a, b in beaten]


def test_a_network_without_ties_has_no_correlation():
    table = qap_alignment({"a": random_graph(10, 20, 1), "b": ig.Graph(n=10, directed=True)})
    assert table.loc[0, "r"] is None
