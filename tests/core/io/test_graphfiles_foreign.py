"""Graph files from other tools, read as they are: NetworkX's and igraph's GraphML and GEXF,
Pajek and UCINET DL files (hand-written ones in ``data/``, and those NetworkX and igraph write),
each checked against the graph as NetworkX or igraph holds it, or against the file by hand."""

from __future__ import annotations

from pathlib import Path

import igraph as ig
import networkx as nx
import pandas as pd
import pytest

from placelab.core.errors import InputError
from placelab.core.io.graphfiles import read_graph_file, read_graph_study, write_graphml
from placelab.core.study import read_study_notes

DATA = Path(__file__).parent / "data"


def _ties(data) -> set[tuple[str, str, str, float]]:
    return {tuple(t) for t in data.ties[["source", "target", "network", "weight"]].values}


def _both_ways(graph: nx.Graph, network: str) -> set[tuple[str, str, str, float]]:
    return {(a, b, network, 1.0) for u, v in graph.edges for a, b in ((u, v), (v, u))}


@pytest.fixture
def florentine() -> nx.Graph:
    return nx.florentine_families_graph()


# --- NetworkX and igraph files -----------------------------------------------------------------


@pytest.mark.parametrize("write", [nx.write_graphml, nx.write_gexf])
def test_networkx_undirected_file_is_read_as_ties_both_ways(tmp_path, florentine, write):
    path = tmp_path / f"Florentine families.{'graphml' if write is nx.write_graphml else 'gexf'}"
    write(florentine, path)

    data, notes = read_graph_study(path)

    assert _ties(data) == _both_ways(florentine, "florentine_families")
    assert data.networks == ("florentine_families",)
    assert set(data.people.index) == set(florentine.nodes)
    assert data.outside_ties.empty and data.people["responded"].all()
    assert [n for n in notes if "undirected edges" in n] == [
        "20 undirected edges were read as ties both ways, each person naming the other, "
        "so every tie is returned and in- and out-degree are equal."
    ]


def test_people_without_sector_or_layer_are_not_known_with_one_note(tmp_path, florentine):
    nx.set_node_attributes(florentine, {"Medici": "funder", "Strozzi": "business"}, "sector")
    nx.write_graphml(florentine, tmp_path / "f.graphml")

    data, notes = read_graph_study(tmp_path / "f.graphml")

    assert data.people.loc["Medici", "sector"] == "funder"
    assert (data.people["sector"] == "unknown").sum() == 13
    assert (data.people["layer"] == "unknown").all()
    unknown = [n for n in notes if "Not known" in n]
    assert unknown == [
        "Of 15 people in the file, 13 have no sector and 15 no layer: "
        "they are shown as 'Not known'."
    ]


def test_igraph_graphml_is_read_with_the_files_own_names(tmp_path):
    graph = ig.Graph(n=4, edges=[(0, 1), (1, 2), (2, 0), (3, 0)], directed=True)
    graph.vs["name"] = ["Ann", "Bob", "Cat", "Dev"]
    graph.vs["dept"] = ["Health", "Police and justice", "health", "Funders"]
    graph.vs["level"] = ["frontline", "frontline", "systemic", "public"]
    graph.es["relation"] = ["work", "work", "innovation", "work"]
    graph.es["strength"] = [1.0, 2.0, 3.0, 1.0]
    graph.write_graphml(str(tmp_path / "by_igraph.graphml"))

    data = read_graph_file(
        tmp_path / "by_igraph.graphml",
        attributes={"sector": "dept", "layer": "level"},
        columns={"network": "relation", "weight": "strength"},
    )

    ids = {f"n{i}": name for i, name in enumerate(graph.vs["name"])}  # igraph's node ids
    assert data.people["name"].to_dict() == ids
    assert list(data.people["sector"]) == ["health", "police_justice", "health", "funder"]
    assert list(data.people["layer"]) == graph.vs["level"]
    expected = {(f"n{e.source}", f"n{e.target}", e["relation"], e["strength"]) for e in graph.es}
    assert _ties(data) == expected
    assert "dept" not in data.people.columns


def test_a_mapped_attribute_the_file_lacks_is_named_with_those_it_has(tmp_path, florentine):
    nx.write_graphml(florentine, tmp_path / "f.graphml")
    with pytest.raises(InputError, match="no node has the attribute 'dept'") as caught:
        read_graph_file(tmp_path / "f.graphml", attributes={"sector": "dept"})
    assert caught.value.file == str(tmp_path / "f.graphml")
    with pytest.raises(InputError, match="'colour' is not a name placelab reads"):
        read_graph_file(tmp_path / "f.graphml", attributes={"colour": "dept"})


@pytest.mark.parametrize("writer", ["networkx", "igraph"])
def test_pajek_written_by_networkx_and_igraph_reads_as_the_graph(tmp_path, florentine, writer):
    path = tmp_path / "florentine.net"
    if writer == "networkx":
        nx.write_pajek(florentine, path)
    else:
        ig.Graph.from_networkx(florentine, vertex_attr_hashable="name").write_pajek(str(path))

    data, notes = read_graph_study(path)

    assert _ties(data) == _both_ways(florentine, "florentine")
    assert "The ties name no network, so they are read as one network, 'florentine'." in notes


# --- hand-written Pajek and DL files -----------------------------------------------------------


def test_pajek_relations_are_networks_named_by_their_labels():
    data, notes = read_graph_study(DATA / "relations.net")

    assert data.networks == ("advice", "friendship", "kin")  # study-defined: by name
    assert _ties(data) == {
        ("Ann Lee", "Bob Iqbal", "advice", 2.0),
        ("Bob Iqbal", "Cat Roe", "advice", 1.0),
        ("Dev Kaur", "Ann Lee", "advice", 1.5),
        ("Cat Roe", "Ann Lee", "advice", 1.0),  # *Arcslist: 3 names 1 and 4
        ("Cat Roe", "Dev Kaur", "advice", 1.0),
        ("Ann Lee", "Cat Roe", "friendship", 1.0),
        ("Cat Roe", "Ann Lee", "friendship", 1.0),
        ("Bob Iqbal", "Dev Kaur", "kin", 1.0),  # *Edges: both ways
        ("Dev Kaur", "Bob Iqbal", "kin", 1.0),
    }
    assert "1 undirected edge was read as ties both ways" in " ".join(notes)


def test_dl_matrices_are_networks_named_by_the_matrix_labels():
    data = read_graph_file(DATA / "advice_friendship.dl")

    assert data.networks == ("advice", "friendship")
    assert _ties(data) == {
        ("Ann", "Bob", "advice", 1.0),
        ("Bob", "Cat", "advice", 1.0),
        ("Cat", "Ann", "advice", 1.0),
        ("Cat", "Dev", "advice", 2.0),
        ("Ann", "Cat", "friendship", 1.0),
        ("Cat", "Ann", "friendship", 1.0),
        ("Dev", "Bob", "friendship", 1.0),
    }
    assert data.people["responded"].all()  # each names someone in one matrix or the other


def test_dl_edge_list_with_embedded_labels():
    data = read_graph_file(DATA / "embedded_edges.dl")
    assert list(data.people.index) == ["Ann", "Bob", "Cat", "Cat Roe"]
    assert _ties(data) == {
        ("Ann", "Bob", "embedded_edges", 2.0),
        ("Bob", "Cat", "embedded_edges", 1.0),
        ("Cat Roe", "Ann", "embedded_edges", 1.0),
    }


def test_dl_half_matrix_is_symmetric():
    data, notes = read_graph_study(DATA / "lowerhalf.dl")
    pairs = {("Bob", "Ann Lee"), ("Cat", "Bob")}
    assert _ties(data) == {
        (a, b, "lowerhalf", 1.0) for pair in pairs for a, b in (pair, pair[::-1])
    }
    assert any("2 undirected edges" in note for note in notes)


def test_a_dl_full_matrix_agrees_with_networkx_reading_the_same_matrix(tmp_path):
    matrix = [[0, 1, 1, 0, 0], [1, 0, 0, 0, 3], [0, 0, 0, 1, 0], [0, 0, 1, 0, 0], [1, 1, 0, 0, 0]]
    names = ["a", "b", "c", "d", "e"]
    rows = "\n".join(" ".join(map(str, row)) for row in matrix)
    path = tmp_path / "m.dl"
    path.write_text(f"dl n=5\nformat = fullmatrix\nlabels:\n{','.join(names)}\ndata:\n{rows}\n")

    data = read_graph_file(path)

    graph = nx.relabel_nodes(
        nx.from_numpy_array(pd.DataFrame(matrix).to_numpy(), create_using=nx.DiGraph),
        dict(enumerate(names)),
    )
    assert _ties(data) == {(u, v, "m", float(w)) for u, v, w in graph.edges(data="weight")}


# --- errors name the file and the node, edge or line -------------------------------------------


def test_a_pajek_tie_to_a_missing_vertex_names_its_line(tmp_path):
    path = tmp_path / "bad.net"
    path.write_text('*Vertices 2\n1 "A"\n2 "B"\n*Arcs\n1 2\n2 7\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_graph_file(path)
    assert str(caught.value) == (
        f"{path}, line 6: '7' is not one of the vertices (expected a vertex number from 1 to 2)"
    )


def test_a_two_mode_pajek_network_is_refused(tmp_path):
    path = tmp_path / "two.net"
    path.write_text("*Vertices 5 3\n*Edges\n1 4\n", encoding="utf-8")
    with pytest.raises(InputError, match="two-mode"):
        read_graph_file(path)


def test_dl_with_too_few_labels_says_how_many(tmp_path):
    path = tmp_path / "bad.dl"
    path.write_text("dl n=3\nlabels:\na,b\ndata:\n0 1 0\n0 0 1\n1 0 0\n", encoding="utf-8")
    with pytest.raises(InputError, match="2 labels for n=3 people"):
        read_graph_file(path)


def test_a_dl_matrix_cut_short_is_refused(tmp_path):
    path = tmp_path / "short.dl"
    path.write_text("dl n=3 nm=2\ndata:\n0 1 0\n0 0 1\n1 0 0\n0 1 0\n", encoding="utf-8")
    with pytest.raises(InputError, match="the data end in matrix 2 of 2"):
        read_graph_file(path)


def test_a_node_off_the_roster_word_names_the_node(tmp_path):
    graph = nx.DiGraph()
    graph.add_node("a", label="Ann", on_roster="maybe")
    graph.add_edge("b", "a")
    nx.write_graphml(graph, tmp_path / "g.graphml")
    with pytest.raises(InputError) as caught:
        read_graph_file(tmp_path / "g.graphml")
    assert str(caught.value) == (
        f"{tmp_path / 'g.graphml'}, node 'Ann', attribute 'on_roster': 'maybe' is not yes or no "
        "(expected true or false)"
    )


def test_an_edge_without_a_network_among_named_ones_names_the_edge(tmp_path):
    graph = nx.DiGraph()
    graph.add_edge("a", "b", network="work")
    graph.add_edge("b", "c")
    nx.write_graphml(graph, tmp_path / "g.graphml")
    with pytest.raises(InputError) as caught:
        read_graph_file(tmp_path / "g.graphml")
    assert (caught.value.item, caught.value.column) == ("edge 'b' -> 'c'", "network")


def test_an_undirected_edge_given_twice_names_the_edge(tmp_path):
    graph = nx.MultiGraph([("a", "b"), ("b", "a")])
    nx.write_graphml(graph, tmp_path / "g.graphml")
    with pytest.raises(InputError) as caught:
        read_graph_file(tmp_path / "g.graphml")
    assert str(caught.value) == (
        f"{tmp_path / 'g.graphml'}, edge 'a' -- 'b': the g network has this edge twice "
        "(expected each tie once per network)"
    )


def test_ties_to_oneself_are_left_out_and_counted(tmp_path):
    graph = nx.DiGraph([("a", "b"), ("a", "a"), ("b", "b")])
    nx.write_graphml(graph, tmp_path / "g.graphml")
    data, notes = read_graph_study(tmp_path / "g.graphml")
    assert _ties(data) == {("a", "b", "g", 1.0)}
    assert "2 edges from a person to themselves were left out." in notes


# --- CSV edge lists with their own column names ------------------------------------------------


def test_a_csv_edge_list_with_its_own_column_names(tmp_path):
    (tmp_path / "people.csv").write_text(
        "Id,Label,Org,dept,layer,seniority,responded\nA,Ann,,health,frontline,,yes\n"
        "B,Bob,,funder,public,,yes\nC,Cat,,health,public,,no\n",
        encoding="utf-8",
    )
    (tmp_path / "Edges.csv").write_text("from,to,Weight\nA,B,2\nB,C,1\n", encoding="utf-8")

    data, notes = read_study_notes(
        tmp_path / "people.csv",
        tmp_path / "Edges.csv",
        attributes={"sector": "dept", "name": "Label", "organisation": "Org"},
        columns={"source": "from", "target": "to"},
    )

    assert data.people["sector"].to_dict() == {"A": "health", "B": "funder", "C": "health"}
    assert data.people["name"].to_dict() == {"A": "Ann", "B": "Bob", "C": "Cat"}
    assert _ties(data) == {("A", "B", "edges", 2.0), ("B", "C", "edges", 1.0)}
    assert notes == ("The ties name no network, so they are read as one network, 'edges'.",)


def test_a_csv_column_map_naming_a_missing_column_names_the_file_and_column(tmp_path):
    (tmp_path / "people.csv").write_text(
        "id,sector,layer,responded\nA,health,frontline,yes\n", encoding="utf-8"
    )
    (tmp_path / "ties.csv").write_text("source,target,network\nA,B,work\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_study_notes(tmp_path / "people.csv", tmp_path / "ties.csv", columns={"source": "from"})
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        str(tmp_path / "ties.csv"), 1, "from",
    )  # fmt: skip


def test_pajek_matrix_edges_list_and_a_lines_own_relation(tmp_path):
    path = tmp_path / "forms.net"
    path.write_text(
        '*Vertices 3\n1 A\n2 B\n3 C\n*Matrix :1 "advice"\n0 2 0\n0 0 1\n0 0 0\n'
        '*Edgeslist :2 "kin"\n1 2 3\n*Arcs :1 "advice"\n3: 3 1\n',
        encoding="utf-8",
    )
    data = read_graph_file(path)
    assert _ties(data) == {
        ("A", "B", "advice", 2.0),
        ("B", "C", "advice", 1.0),
        ("A", "B", "kin", 1.0),
        ("B", "A", "kin", 1.0),
        ("A", "C", "kin", 1.0),
        ("C", "A", "kin", 1.0),
        ("C", "A", "relation_3", 1.0),  # "3: 3 1" is relation 3, unlabelled, not advice
    }


def test_gephis_edge_table_reads_undirected_rows_both_ways(tmp_path):
    (tmp_path / "people.csv").write_text(
        "id,name,organisation,sector,layer,seniority,responded\n"
        "1,Ann,,health,frontline,,yes\n2,Bob,,funder,public,,yes\n3,Cat,,health,public,,yes\n",
        encoding="utf-8",
    )
    (tmp_path / "edges.csv").write_text(  # as Gephi's Data Laboratory exports its edges
        "Source,Target,Type,Id,Label,Weight\n1,2,Undirected,0,,1.0\n2,3,Directed,1,,2.0\n",
        encoding="utf-8",
    )

    data, notes = read_study_notes(tmp_path / "people.csv", tmp_path / "edges.csv")

    assert _ties(data) == {
        ("1", "2", "edges", 1.0),
        ("2", "1", "edges", 1.0),
        ("2", "3", "edges", 2.0),
    }
    assert "1 tie marked Type 'Undirected' was read both ways, each person naming the other." in (
        notes
    )


def test_a_dl_full_matrix_without_its_diagonal_and_with_labels_embedded(tmp_path):
    path = tmp_path / "nodiag.dl"
    path.write_text(
        "dl n=3 format=fullmatrix diagonal=absent\nlabels embedded\ndata:\n"
        "a b c\na 1 0\nb 0 1\nc 1 0\n",
        encoding="utf-8",
    )
    data = read_graph_file(path)
    # Row a: b=1, c=0; row b: a=0, c=1; row c: a=1, b=0.
    assert _ties(data) == {
        ("a", "b", "nodiag", 1.0),
        ("b", "c", "nodiag", 1.0),
        ("c", "a", "nodiag", 1.0),
    }


def test_a_study_read_from_another_tool_writes_and_reads_back(tmp_path, florentine):
    nx.write_graphml(florentine, tmp_path / "f.graphml")
    data = read_graph_file(tmp_path / "f.graphml")

    write_graphml(data, tmp_path / "back.graphml")
    back, notes = read_graph_study(tmp_path / "back.graphml")

    pd.testing.assert_frame_equal(back.people, data.people)
    assert _ties(back) == _ties(data) and back.networks == data.networks
    assert notes == ()  # sectors and layers are now "unknown" in the file, and ties directed
