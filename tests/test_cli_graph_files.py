"""``placelab analyze`` on other tools' graph files: measures agree with NetworkX's on the same
graph, what reading assumed is said on stderr and in the method notes, and a bad file gets an
error naming the file and the node, edge or line, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from test_cli import FAST, _run

DATA = Path(__file__).parent / "core" / "io" / "data"


def _result(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _measures(result: dict, network: str, measure: str) -> dict[str, float]:
    return {p["id"]: p["networks"][network][measure] for p in result["people"]}


def test_florentine_families_from_networkx_graphml_match_networkx(tmp_path, capsys):
    graph = nx.florentine_families_graph()
    nx.write_graphml(graph, tmp_path / "florentine.graphml")

    assert _run(tmp_path / "florentine.graphml", "--json", tmp_path / "r.json", *FAST) == 0

    result = _result(tmp_path / "r.json")
    network = result["networks"]["florentine"]
    assert network["density"] == pytest.approx(nx.density(graph))  # 20 / 105
    assert network["reciprocity"] == 1.0
    assert _measures(result, "florentine", "degree") == dict(graph.degree)
    # Freeman betweenness, normalised for an undirected graph: Medici 0.522 (Padgett's families)
    assert _measures(result, "florentine", "betweenness") == pytest.approx(
        nx.betweenness_centrality(graph)
    )
    harmonic = {k: v / (len(graph) - 1) for k, v in nx.harmonic_centrality(graph).items()}
    assert _measures(result, "florentine", "harmonic") == pytest.approx(harmonic)
    assert set(result["networks"]["florentine"]["key_connectors"]["gatekeeper"]) == {"Medici"}
    notes = capsys.readouterr().err
    assert f"placelab: {tmp_path / 'florentine.graphml'}: 20 undirected edges were read" in notes
    assert notes.count("'Not known'") == 1
    assert "20 undirected edges were read as ties both ways" in result["method"]["input_file"]


def test_pajek_relations_are_analysed_as_networks_matching_networkx(tmp_path):
    assert _run(DATA / "relations.net", "--json", tmp_path / "r.json", *FAST) == 0

    result = _result(tmp_path / "r.json")
    assert list(result["networks"]) == ["advice", "friendship", "kin", "all"]
    advice = nx.DiGraph(
        [("Ann Lee", "Bob Iqbal"), ("Bob Iqbal", "Cat Roe"), ("Dev Kaur", "Ann Lee"),
         ("Cat Roe", "Ann Lee"), ("Cat Roe", "Dev Kaur")]
    )  # fmt: skip
    assert result["networks"]["advice"]["density"] == pytest.approx(nx.density(advice))
    assert result["networks"]["advice"]["reciprocity"] == pytest.approx(nx.reciprocity(advice))
    assert _measures(result, "advice", "in_degree") == dict(advice.in_degree)


def test_ucinet_matrices_are_analysed_as_networks(tmp_path):
    assert _run(DATA / "advice_friendship.dl", "--json", tmp_path / "r.json", *FAST) == 0

    result = _result(tmp_path / "r.json")
    friendship = nx.DiGraph([("Ann", "Cat"), ("Cat", "Ann"), ("Dev", "Bob")])
    assert result["networks"]["friendship"]["density"] == pytest.approx(
        nx.density(friendship)  # 3 of 12 ordered pairs
    )
    assert result["networks"]["friendship"]["reciprocity"] == pytest.approx(
        nx.reciprocity(friendship)
    )


def test_a_graph_files_own_attribute_names_are_mapped(tmp_path):
    graph = nx.DiGraph()
    graph.add_nodes_from(
        [
            ("a", {"dept": "Health", "level": "frontline"}),
            ("b", {"dept": "Funders", "level": "public"}),
        ]
    )
    graph.add_edge("a", "b", relation="advice", strength=2.0)
    nx.write_gexf(graph, tmp_path / "g.gexf")

    code = _run(
        tmp_path / "g.gexf", "--json", tmp_path / "r.json", *FAST,
        "--attribute", "sector=dept,layer=level", "--columns", "network=relation,weight=strength",
    )  # fmt: skip

    assert code == 0
    result = _result(tmp_path / "r.json")
    assert [(p["sector"], p["layer"]) for p in result["people"]] == [
        ("health", "frontline"),
        ("funder", "public"),
    ]
    assert result["ties"]["advice"] == [["a", "b", 2.0]]


def test_a_csv_edge_list_with_other_column_names(small_study, tmp_path):
    people, ties = small_study
    renamed = tmp_path / "edges.csv"
    text = ties.read_text(encoding="utf-8")
    renamed.write_text(text.replace("source,target,network", "from,to,net", 1), encoding="utf-8")

    code = _run(
        people, renamed, "--json", tmp_path / "r.json", *FAST,
        "--columns", "source=from,target=to,network=net",
    )  # fmt: skip

    assert code == 0
    assert list(_result(tmp_path / "r.json")["networks"]) == ["work", "innovation", "expert", "all"]


def test_a_bad_node_names_the_file_and_node_and_writes_nothing(tmp_path, capsys):
    graph = nx.Graph()
    graph.add_node("m", label="Medici", sector="banking")
    graph.add_edge("m", "s")
    nx.write_graphml(graph, tmp_path / "g.graphml")

    assert _run(tmp_path / "g.graphml", "--json", tmp_path / "r.json", *FAST) == 2

    error = capsys.readouterr().err
    assert f"placelab: {tmp_path / 'g.graphml'}, node 'Medici', attribute 'sector': " in error
    assert "unknown sector 'banking'" in error
    assert not (tmp_path / "r.json").exists()


def test_a_bad_pajek_line_is_named(tmp_path, capsys):
    (tmp_path / "bad.net").write_text('*Vertices 2\n1 "A"\n2 "B"\n*Arcs\n1 x\n', encoding="utf-8")

    assert _run(tmp_path / "bad.net", "--json", tmp_path / "r.json", *FAST) == 2

    assert f"{tmp_path / 'bad.net'}, line 5: 'x' is not one of the vertices" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "r.json").exists()


def test_a_malformed_map_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        _run(DATA / "relations.net", "--json", tmp_path / "r.json", "--attribute", "sector")
    assert caught.value.code == 2
    assert "expected OURS=THEIRS pairs" in capsys.readouterr().err
