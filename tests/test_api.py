"""The Python interface on the demo files, checked against NetworkX and pandas from the raw CSV."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import placelab

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def study() -> placelab.Study:
    return placelab.load(EXAMPLES / "people.csv", EXAMPLES / "ties.csv")


@pytest.fixture(scope="module")
def raw() -> tuple[pd.DataFrame, pd.DataFrame]:
    people = pd.read_csv(EXAMPLES / "people.csv", dtype=str)
    ties = pd.read_csv(EXAMPLES / "ties.csv", dtype={"source": str, "target": str})
    return people, ties[ties["target"].isin(people["id"])]


def reference_graph(people: pd.DataFrame, ties: pd.DataFrame, network: str) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(people["id"])
    graph.add_edges_from(
        ties.loc[ties["network"] == network, ["source", "target"]].itertuples(index=False)
    )
    return graph


@pytest.mark.parametrize("network", ["work", "innovation", "decision"])
def test_density_and_reciprocity_are_networkxs_on_everyone_in_people_csv(study, raw, network):
    graph = reference_graph(*raw, network)
    row = study.summary.loc[network]
    assert row["density"] == pytest.approx(nx.density(graph))
    assert row["reciprocity"] == pytest.approx(nx.overall_reciprocity(graph))
    assert row["ties"] == graph.number_of_edges()


def test_in_degree_counts_the_rows_naming_each_person(study, raw):
    _people, ties = raw
    named = ties[ties["network"] == "innovation"].groupby("target").size()
    measured = study.measures.query("network == 'innovation'").set_index("id")["in_degree"]
    assert measured[named.index].tolist() == named.tolist()
    assert measured.drop(named.index).eq(0).all()


def test_ei_index_by_sector_is_krackhardt_and_sterns(study, raw):
    people, ties = raw
    sector = people.set_index("id")["sector"]
    work = ties[ties["network"] == "work"]
    inside = (sector[work["source"]].to_numpy() == sector[work["target"]].to_numpy()).sum()
    outside = len(work) - inside
    assert study.networks.ei.at["work", "sector"] == pytest.approx((outside - inside) / len(work))


def test_alignment_r_is_pearson_over_off_diagonal_cells(study, raw):
    people, ties = raw
    order = {person: i for i, person in enumerate(people["id"])}
    n = len(order)

    def matrix(network: str) -> np.ndarray:
        cells = np.zeros((n, n))
        chosen = ties[ties["network"] == network]
        cells[chosen["source"].map(order), chosen["target"].map(order)] = 1
        return cells[~np.eye(n, dtype=bool)]

    row = study.alignment.query("network_a == 'strategic' and network_b == 'decision'").iloc[0]
    assert row["r"] == pytest.approx(np.corrcoef(matrix("strategic"), matrix("decision"))[0, 1])
    assert 0 < row["p"] <= 1


def test_people_named_from_outside_the_roster_are_listed_not_measured(study):
    outsiders = study.networks.outsiders
    assert len(outsiders) > 0 and outsiders["nominations"].sum() == len(study.data.outside_ties)
    assert not study.measures["id"].isin(outsiders["name"]).any()


def test_results_are_reproducible_from_the_seed(study):
    again = placelab.Study(study.data)
    assert again.alignment.equals(study.alignment)
    assert again.measures["community"].equals(study.measures["community"])
    assert again.to_dict()["inputs"]["fingerprint"] == study.to_dict()["inputs"]["fingerprint"]


def test_measuring_networks_in_worker_processes_gives_the_same_tables(study, monkeypatch):
    import placelab.core.networks.analysis as analysis

    monkeypatch.setattr(analysis, "PARALLEL_FROM", 0)  # the demo is small: force the pool
    parallel = analysis.analyse_networks(study.data)
    pd.testing.assert_frame_equal(parallel.measures, study.networks.measures)
    pd.testing.assert_frame_equal(parallel.brokerage, study.networks.brokerage)
    pd.testing.assert_frame_equal(parallel.alignment, study.networks.alignment)
