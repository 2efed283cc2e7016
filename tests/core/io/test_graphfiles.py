"""Reading and writing GraphML and GEXF: round trips, and errors that name file, node or edge."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from placelab.core.data import StudyData
from placelab.core.errors import InputError
from placelab.core.io.graphfiles import read_graph_file, write_gexf, write_graphml
from placelab.core.io.tables import read_table
from placelab.core.io.validate import study_from_tables

PEOPLE_CSV = """\
id,name,organisation,sector,layer,seniority,responded,ward
p1,Ann Lee,Council,local_authority,systemic,senior,yes,north
p2,,School A,school_college,frontline,,yes,3
p3,Cat Roe,Clinic,health,frontline,middle,no,
p4,Dev Kaur,Trust,voluntary_community,public,resident,yes,south
"""

# Parallel ties (p1 -> p2 in two networks), a tie to someone off the roster (x9), and edges not
# grouped by source, so file order differs from NetworkX's adjacency order.
TIES_CSV = """\
source,target,network,weight
p1,p2,work,2
p4,p1,social,
p1,p2,innovation,
p2,x9,work,1.5
p2,p1,social,
p4,x9,expert,3
"""

GRAPHML_HEAD = """\
<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="n" for="node" attr.name="name" attr.type="string"/>
  <key id="s" for="node" attr.name="sector" attr.type="string"/>
  <key id="l" for="node" attr.name="layer" attr.type="string"/>
  <key id="r" for="node" attr.name="responded" attr.type="boolean"/>
  <key id="y" for="node" attr.name="years" attr.type="int"/>
  <key id="k" for="edge" attr.name="network" attr.type="string"/>
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="{direction}">
"""


def _node(node_id: str, sector: str | None = "health", responded: str | None = "true") -> str:
    data = [("n", f"Person {node_id}"), ("s", sector), ("l", "frontline"), ("r", responded)]
    body = "".join(f'<data key="{k}">{v}</data>' for k, v in data if v is not None)
    return f'    <node id="{node_id}">{body}</node>\n'


def _edge(source: str, target: str, network: str, weight: str | None = None) -> str:
    extra = f'<data key="w">{weight}</data>' if weight is not None else ""
    body = f'<data key="k">{network}</data>{extra}'
    return f'    <edge source="{source}" target="{target}">{body}</edge>\n'


def _graphml(path: Path, nodes: list[str], edges: list[str], direction: str = "directed") -> Path:
    text = GRAPHML_HEAD.format(direction=direction) + "".join(nodes + edges)
    path.write_text(text + "  </graph>\n</graphml>\n", encoding="utf-8")
    return path


@pytest.fixture
def study(tmp_path: Path) -> StudyData:
    (tmp_path / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    (tmp_path / "ties.csv").write_text(TIES_CSV, encoding="utf-8")
    return study_from_tables(read_table(tmp_path / "people.csv"), read_table(tmp_path / "ties.csv"))


def _sorted_ties(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["source", "target", "network"]).reset_index(drop=True)


@pytest.mark.parametrize(("write", "suffix"), [(write_graphml, ".graphml"), (write_gexf, ".gexf")])
def test_round_trip_keeps_people_and_ties(tmp_path: Path, study: StudyData, write, suffix) -> None:
    path = tmp_path / f"study{suffix}"
    write(study, path)
    back = read_graph_file(path)
    pd.testing.assert_frame_equal(back.people.sort_index(), study.people.sort_index())
    pd.testing.assert_frame_equal(_sorted_ties(back.ties), _sorted_ties(study.ties))
    pd.testing.assert_frame_equal(_sorted_ties(back.outside_ties), _sorted_ties(study.outside_ties))
    assert back.networks == study.networks
    assert len(back.ties) == 4 and len(back.outside_ties) == 2


def test_written_file_marks_people_off_the_roster(tmp_path: Path, study: StudyData) -> None:
    write_graphml(study, tmp_path / "s.graphml")
    graph = nx.read_graphml(tmp_path / "s.graphml")
    assert graph.nodes["x9"]["on_roster"] is False
    assert graph.nodes["p3"]["on_roster"] is True and graph.nodes["p3"]["responded"] is False


def test_results_are_attached_to_nodes(tmp_path: Path, study: StudyData) -> None:
    results = {"p1": {"hub": True, "score": 0.5}, "p2": {"hub": False, "score": 1}}
    write_graphml(study, tmp_path / "s.graphml", node_attributes=results)
    graph = nx.read_graphml(tmp_path / "s.graphml")
    assert graph.nodes["p1"]["hub"] is True
    assert graph.nodes["p2"]["score"] == 1.0 and isinstance(graph.nodes["p2"]["score"], float)
    with pytest.raises(ValueError, match="sector"):
        write_graphml(study, tmp_path / "t.graphml", node_attributes={"p1": {"sector": "x"}})


def test_an_unknown_sector_names_file_node_and_attribute(tmp_path: Path) -> None:
    nodes = [_node("a"), _node("b", sector="housing"), _node("c")]
    path = _graphml(tmp_path / "bad.graphml", nodes, [_edge("a", "b", "work")])
    with pytest.raises(InputError) as caught:
        read_graph_file(path)
    error = caught.value
    assert (error.file, error.item, error.column, error.row) == (
        str(path), "node 'Person b'", "sector", None,
    )  # fmt: skip
    assert str(error).startswith(f"{path}, node 'Person b', attribute 'sector': unknown sector")


def test_misspelled_network_names_the_edge_in_file_order(tmp_path: Path) -> None:
    nodes = [_node("a"), _node("b"), _node("c")]
    edges = [_edge("a", "b", "work"), _edge("c", "a", "work"), _edge("a", "c", "inovation")]
    path = _graphml(tmp_path / "bad.graphml", nodes, edges)
    with pytest.raises(InputError, match="did you mean 'innovation'") as caught:
        read_graph_file(path)
    error = caught.value
    assert (error.file, error.item, error.column) == (
        str(path), "edge 'Person a' -> 'Person c'", "network",
    )  # fmt: skip


def test_broken_xml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.graphml"
    path.write_text('<graphml><graph edgedefault="directed"><node id="a">', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_graph_file(path)
    assert caught.value.file == str(path)
    assert "XML" in str(caught.value)


def test_parallel_edges_are_kept(tmp_path: Path) -> None:
    edges = [_edge("a", "b", "work", "2"), _edge("a", "b", "innovation"), _edge("a", "b", "social")]
    data = read_graph_file(_graphml(tmp_path / "g.graphml", [_node("a"), _node("b")], edges))
    assert list(data.ties["network"]) == ["work", "innovation", "social"]
    assert list(data.ties["weight"]) == [2.0, 1.0, 1.0]


def test_responded_defaults_to_having_named_someone(tmp_path: Path) -> None:
    nodes = [_node(n, responded=None) for n in ("a", "b")]
    data = read_graph_file(_graphml(tmp_path / "g.graphml", nodes, [_edge("a", "b", "work")]))
    assert data.people["responded"].to_dict() == {"a": True, "b": False}


def test_values_are_read_as_the_csv_reader_sees_them(tmp_path: Path) -> None:
    node = '    <node id="a"><data key="s">health</data><data key="l">public</data>'
    node += '<data key="r">true</data><data key="y">3</data></node>\n'
    edges = [_edge("a", "b", "work")]
    data = read_graph_file(_graphml(tmp_path / "g.graphml", [node, _node("b")], edges))
    assert data.people.loc["a", "years"] == "3"
    assert data.people.loc["a", "name"] == ""


def test_a_graph_without_edges_is_refused(tmp_path: Path) -> None:
    path = _graphml(tmp_path / "u.graphml", [_node("a"), _node("b")], [], direction="undirected")
    with pytest.raises(InputError, match="no edges") as caught:
        read_graph_file(path)
    assert caught.value.file == str(path)


def test_gexf_labels_are_names_and_off_roster_nodes_are_outside(tmp_path: Path) -> None:
    path = tmp_path / "g.gexf"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed">
    <attributes class="node">
      <attribute id="0" title="sector" type="string"/>
      <attribute id="1" title="layer" type="string"/>
      <attribute id="2" title="on_roster" type="boolean"/>
    </attributes>
    <attributes class="edge"><attribute id="3" title="network" type="string"/></attributes>
    <nodes>
      <node id="a" label="Ann"><attvalues>
        <attvalue for="0" value="funder"/><attvalue for="1" value="systemic"/></attvalues></node>
      <node id="z" label="Zed"><attvalues><attvalue for="2" value="false"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="0" source="a" target="z" weight="2"><attvalues>
        <attvalue for="3" value="strategic"/></attvalues></edge>
    </edges>
  </graph>
</gexf>
""",
        encoding="utf-8",
    )
    data = read_graph_file(path)
    assert list(data.people.index) == ["a"]
    assert data.people.loc["a", "name"] == "Ann" and bool(data.people.loc["a", "responded"])
    assert data.ties.empty
    assert data.outside_ties.to_dict("records") == [
        {"source": "a", "target": "z", "network": "strategic", "weight": 2.0}
    ]
