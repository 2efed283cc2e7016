"""Key connectors on published networks and by the documented top-5-per-cent rule."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from placelab.core.networks.centrality import person_measures
from placelab.core.networks.information import information_centrality
from placelab.core.networks.parameters import Parameters
from placelab.core.networks.roles import key_connectors, top_share

KITE_NAMES = [
    "Andre",
    "Beverley",
    "Carol",
    "Diane",
    "Ed",
    "Fernando",
    "Garth",
    "Heather",
    "Ike",
    "Jane",
]


def kite() -> ig.Graph:
    # Krackhardt's kite (1990), as NetworkX numbers it, every tie named both ways.
    graph = ig.Graph(n=10, edges=list(nx.krackhardt_kite_graph().edges()), directed=True)
    graph.es["weight"] = 1.0
    return graph


def test_kite_information_centrality_is_the_published_value():
    # Stephenson and Zelen's value is n times NetworkX's; NetworkX's own test gives Diane 0.133
    # on the kite, and Fernando and Garth share the highest value.
    scores = dict(zip(KITE_NAMES, information_centrality(kite().as_undirected()), strict=True))
    assert scores["Diane"] / 10 == pytest.approx(0.1323, abs=1e-4)
    assert scores["Fernando"] == scores["Garth"] == max(scores.values())


def kite_roles() -> pd.DataFrame:
    graph = kite()
    measures = person_measures(graph, graph.as_undirected(), Parameters())
    measures.index = KITE_NAMES
    return key_connectors(measures)


def holders(roles: pd.DataFrame, role: str) -> list[str]:
    return sorted(roles.index[roles[role]])


def test_the_kite_has_diane_as_hub():
    assert holders(kite_roles(), "hub") == ["Diane"]


def test_the_kite_has_heather_as_gatekeeper():
    assert holders(kite_roles(), "gatekeeper") == ["Heather"]


def test_the_kite_has_fernando_and_garth_as_pulsetakers():
    assert holders(kite_roles(), "pulsetaker") == ["Fernando", "Garth"]


def test_primary_role_is_the_one_held():
    roles = kite_roles()
    assert roles.at["Diane", "primary_role"] == "hub"
    assert roles.at["Andre", "primary_role"] == ""
    assert roles.at["Fernando", "roles"] == ["pulsetaker"]


def test_top_share_takes_at_least_one_person_and_shares_ties():
    assert top_share(np.array([1.0, 3.0, 2.0])).tolist() == [False, True, False]
    # 40 people: 5 per cent is 2; a tie at the second place brings in the third.
    scores = np.r_[np.arange(37.0), [50.0, 40.0, 40.0]]
    assert top_share(scores).sum() == 3


def test_a_zero_score_never_holds_a_role():
    assert not top_share(np.zeros(10)).any()


def test_primary_role_goes_to_the_role_ranked_higher():
    measures = pd.DataFrame(
        {"degree": [5, 9, 1, 1], "betweenness": [0.9, 0.5, 0, 0], "information": [1, 2, 0, 0]},
        index=["a", "b", "c", "d"],
    )
    roles = key_connectors(measures, share=0.5)  # two people per role
    assert roles.at["a", "roles"] == ["hub", "gatekeeper", "pulsetaker"]
    assert roles.at["a", "primary_role"] == "gatekeeper"  # first in betweenness, second in the rest
    assert roles.at["b", "primary_role"] == "hub"  # ties with pulsetaker: hub comes first


def test_a_holder_whose_interval_reaches_below_the_threshold_is_borderline():
    # 40 people: k = ceil(0.05 * 40) = 2 gatekeepers.
    # Betweenness 0.9, 0.5, 0.48, then 0.1: the threshold is 0.5 (second highest). The first
    # (0.9 - 1.96 * 0.01 > 0.5) is certain; the second (0.5 - 1.96 * 0.01 < 0.5) is
    # borderline, since the estimate cannot tell them from the third.
    scores = np.array([0.9, 0.5, 0.48] + [0.1] * 37)
    measures = pd.DataFrame(
        {
            "degree": np.arange(40),
            "betweenness": scores,
            "betweenness_se": np.full(40, 0.01),
            "information": np.ones(40),
        }
    )
    roles = key_connectors(measures)
    assert list(np.flatnonzero(roles["gatekeeper"])) == [0, 1]
    assert roles["borderline"][0] == [] and roles["borderline"][1] == ["gatekeeper"]
    assert roles["borderline"].map(len).sum() == 1


def test_exact_scores_are_never_borderline():
    measures = pd.DataFrame(
        {
            "degree": [3, 2, 1, 1],
            "betweenness": [0.5, 0.5, 0.0, 0.0],
            "betweenness_se": [np.nan] * 4,
            "information": [1.0, 2.0, 3.0, 4.0],
        }
    )
    assert key_connectors(measures)["borderline"].map(len).sum() == 0
    assert "borderline" in key_connectors(measures.drop(columns="betweenness_se"))
    # Off the largest component an estimate's error is 0; a tie that floating point splits
    # in the twelfth digit is still a tie, held for certain.
    split = measures.assign(betweenness=[0.5, 0.5 - 1e-12, 0.0, 0.0], betweenness_se=0.0)
    assert key_connectors(split)["gatekeeper"].sum() == 2
    assert key_connectors(split)["borderline"].map(len).sum() == 0
