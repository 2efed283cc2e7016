"""GraphML, GEXF and XLSX of an analysed study, read back by NetworkX, igraph and openpyxl."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import igraph as ig
import networkx as nx
import openpyxl
import pytest
from exported import (
    mismatches,
    same,
    small_study_ties,
    tie_counts,
    tie_set,
)

import placelab
from placelab.core.errors import PlacelabError
from placelab.core.io.exports import ROLE_COLOURS, gexf_text, graphml_text
from placelab.core.io.result_json import write_texts
from placelab.core.io.workbook import BROKERAGE_LABELS, MEASURE_LABELS, xlsx_bytes
from placelab.core.vocabulary import label

FAST = placelab.Parameters(permutations=19)
VIZ = "{http://gexf.net/1.3/viz}"
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The small study analysed, as a reader of the stored JSON sees it."""
    from small_study import SMALL_PEOPLE, SMALL_TIES

    folder = tmp_path_factory.mktemp("small")
    (folder / "people.csv").write_text(SMALL_PEOPLE, encoding="utf-8")
    (folder / "ties.csv").write_text(SMALL_TIES, encoding="utf-8")
    analysed = placelab.load(folder / "people.csv", folder / "ties.csv", parameters=FAST)
    return json.loads(json.dumps(analysed.to_dict()))


def _written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edges_by_network(graph: nx.MultiDiGraph) -> Counter:
    return Counter(data["network"] for _, _, data in graph.edges(data=True))


def _edge_set(graph: nx.MultiDiGraph) -> Counter:
    return Counter((s, t, d["network"], float(d["weight"])) for s, t, d in graph.edges(data=True))


# --- GraphML -----------------------------------------------------------------------------------


def test_networkx_reads_back_every_measure_role_and_position_from_graphml(result, tmp_path):
    graph = nx.read_graphml(_written(tmp_path, "s.graphml", graphml_text(result)))

    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == len(result["people"])
    assert mismatches(result, dict(graph.nodes(data=True))) == []
    assert graph.nodes["p05"]["sector_label"] == "Schools and colleges"


def test_networkx_reads_back_each_networks_ties_from_graphml(result, tmp_path):
    graph = nx.read_graphml(_written(tmp_path, "s.graphml", graphml_text(result)))
    roster = {p["id"] for p in result["people"]}

    assert _edges_by_network(graph) == tie_counts(result)
    assert _edge_set(graph) == tie_set(result)
    # Checked against the input file itself, read without placelab: 10, 4 and 3 roster ties.
    assert tie_counts(result) == Counter({"work": 10, "innovation": 4, "expert": 3})
    assert tie_set({"ties": small_study_ties(roster=roster)}) == _edge_set(graph)


def test_igraph_reads_back_the_same_graphml(result, tmp_path):
    graph = ig.Graph.Read_GraphML(str(_written(tmp_path, "s.graphml", graphml_text(result))))

    nodes = {v["id"]: v.attributes() for v in graph.vs}
    assert graph.is_directed() and graph.vcount() == len(result["people"])
    assert mismatches(result, nodes) == []
    assert Counter(graph.es["network"]) == tie_counts(result)
    ends = [(graph.vs[e.source]["id"], graph.vs[e.target]["id"]) for e in graph.es]
    read = Counter(
        (s, t, e["network"], e["weight"]) for (s, t), e in zip(ends, graph.es, strict=True)
    )
    assert read == tie_set(result)


# --- GEXF --------------------------------------------------------------------------------------


def test_networkx_reads_back_every_measure_and_tie_from_gexf(result, tmp_path):
    graph = nx.read_gexf(_written(tmp_path, "s.gexf", gexf_text(result)))

    nodes = {}
    for person, data in graph.nodes(data=True):
        position = data["viz"]["position"]
        nodes[person] = {**data, "x": position["x"], "y": position["y"]}
    assert mismatches(result, nodes) == []
    assert graph.nodes["p05"]["label"] == "Zoë Ångström"
    assert _edges_by_network(graph) == tie_counts(result)
    assert _edge_set(graph) == tie_set(result)


def test_gexf_is_version_1_3_with_a_kind_per_network_and_distinct_edge_ids(result):
    root = ElementTree.fromstring(gexf_text(result))
    edges = list(root.iter(f"{GEXF}edge"))

    assert root.get("version") == "1.3"
    assert len({e.get("id") for e in edges}) == len(edges)
    assert Counter(e.get("kind") for e in edges) == tie_counts(result)
    assert {e.get("label") for e in edges} == {"Work", "Innovation", "Expert"}
    # p01 names p05 in two networks: two edges, told apart by their kind.
    parallel = [
        e.get("kind") for e in edges if (e.get("source"), e.get("target")) == ("p01", "p05")
    ]
    assert sorted(parallel) == ["innovation", "work"]


def test_gexf_colours_key_connectors_as_placelabs_map_and_places_them_upright(result):
    root = ElementTree.fromstring(gexf_text(result))
    people = {p["id"]: p for p in result["people"]}

    for node in root.iter(f"{GEXF}node"):
        primary = people[node.get("id")]["networks"]["all"]["primary_role"]
        colour = node.find(f"{VIZ}color")
        rgb = tuple(int(colour.get(c)) for c in "rgb")
        assert rgb == ROLE_COLOURS[primary], node.get("id")
        x, y = result["layout"]["positions"][node.get("id")]
        position = node.find(f"{VIZ}position")
        assert float(position.get("x")) == x
        assert float(position.get("y")) == result["layout"]["height"] - y  # Gephi's y grows up
        assert 5 <= float(node.find(f"{VIZ}size").get("value")) <= 20
    assert ROLE_COLOURS["hub"] != ROLE_COLOURS["gatekeeper"] != ROLE_COLOURS["pulsetaker"]
    hubs = result["networks"]["all"]["key_connectors"]["hub"]
    assert hubs, "the small study has a hub in all networks together"


def test_someone_named_from_outside_the_roster_is_a_node_off_the_roster(result, tmp_path):
    ties = {
        **result["ties"],
        "innovation": [*result["ties"]["innovation"], ["p12", "Øyvind Dahl", 1]],
    }
    graph = nx.read_gexf(_written(tmp_path, "s.gexf", gexf_text({**result, "ties": ties})))

    assert graph.nodes["Øyvind Dahl"]["on_roster"] is False
    assert graph.nodes["p12"]["on_roster"] is True
    assert graph.has_edge("p12", "Øyvind Dahl")


def test_a_roster_column_named_like_a_result_is_kept_under_another_name(result, tmp_path):
    people = [{**p, "x": "east", "hub": "yes"} for p in result["people"]]
    graph = nx.read_graphml(
        _written(tmp_path, "s.graphml", graphml_text({**result, "people": people}))
    )

    assert graph.nodes["p01"]["roster_x"] == "east" and graph.nodes["p01"]["roster_hub"] == "yes"
    assert graph.nodes["p01"]["x"] == result["layout"]["positions"]["p01"][0]
    assert isinstance(graph.nodes["p01"]["hub"], bool)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_markup_in_a_name_or_organisation_reads_back_as_text(result, tmp_path, suffix):
    awkward = 'Ann "Nan" Lee & <Co>\'s'
    people = [{**p, "name": awkward, "organisation": awkward} for p in result["people"]]
    write, read = {".graphml": (graphml_text, nx.read_graphml), ".gexf": (gexf_text, nx.read_gexf)}[
        suffix
    ]

    graph = read(_written(tmp_path, "s" + suffix, write({**result, "people": people})))

    assert graph.nodes["p01"]["name"] == graph.nodes["p01"]["organisation"] == awkward


@pytest.mark.parametrize("write", [graphml_text, gexf_text, xlsx_bytes])
def test_a_result_stored_before_ties_and_layout_cannot_be_exported(result, write):
    old = {k: v for k, v in result.items() if k not in ("ties", "layout")}

    with pytest.raises(PlacelabError, match="run it again"):
        write(old)


# --- XLSX --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(result) -> dict[str, list[dict]]:
    """Each sheet read back by openpyxl, as rows keyed by heading."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(result)), read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return sheets


def test_the_workbook_has_the_sheets_an_analyst_looks_for(workbook):
    assert list(workbook) == [
        "People", "Measures", "Key connectors", "Ties", "Networks", "Alignment", "Method",
    ]  # fmt: skip
    for title, rows in workbook.items():
        headings = list(rows[0])
        assert not any("_" in str(h) for h in headings), (title, headings)


def test_the_people_sheet_has_one_row_per_person_with_labels(result, workbook):
    rows = {row["Id"]: row for row in workbook["People"]}

    assert list(rows) == [p["id"] for p in result["people"]]
    assert rows["p05"]["Name"] == "Zoë Ångström"
    assert rows["p05"]["Sector"] == "Schools and colleges"
    assert rows["p09"]["Sector"] == "Voluntary and community sector"
    assert rows["p08"]["Answered the survey"] == "No"
    for person in result["people"]:
        row = rows[person["id"]]
        assert row["In the core group"] == (
            "Yes" if person["id"] in result["core_group"]["members"] else "No"
        )
        assert [row["Map position across (x)"], row["Map position down (y)"]] == result["layout"][
            "positions"
        ][person["id"]]


def test_the_measures_sheet_equals_the_result(result, workbook):
    rows = {(row["Id"], row["Network"]): row for row in workbook["Measures"]}

    assert len(rows) == sum(len(p["networks"]) for p in result["people"])
    for person in result["people"]:
        for network, measures in person["networks"].items():
            row = rows[person["id"], label(network)]
            for name, heading in MEASURE_LABELS.items():
                assert same(row[heading], measures[name]), (person["id"], network, name)
            for role, heading in BROKERAGE_LABELS.items():
                assert row[heading] == measures["brokerage"][role]
            assert row["Community"] == measures["community"]
            assert (row["Roles"] or "") == ", ".join(label(r) for r in measures["roles"])


def test_the_key_connectors_and_ties_sheets_equal_the_result(result, workbook):
    named = Counter((r["Network"], r["Role"], r["Id"]) for r in workbook["Key connectors"])
    expected = Counter(
        (label(network), label(role), person)
        for network, values in result["networks"].items()
        for role, people in values["key_connectors"].items()
        for person in people
    )
    assert named == expected and named

    ties = Counter(
        (r["Network"], r["From (id)"], r["To (id)"], r["Weight"]) for r in workbook["Ties"]
    )
    assert ties == Counter(
        (label(n), s, t, w) for n, rows in result["ties"].items() for s, t, w in rows
    )


def test_the_networks_alignment_and_method_sheets_equal_the_result(result, workbook):
    networks = {row["Network"]: row for row in workbook["Networks"]}
    assert list(networks) == [label(n) for n in result["networks"]]
    for network, values in result["networks"].items():
        assert same(networks[label(network)]["Density"], values["density"])
        assert networks[label(network)]["Ties"] == values["ties"]

    pairs = {(r["Network"], r["Other network"]): r for r in workbook["Alignment"]}
    for row in result["alignment"]:
        assert same(
            pairs[label(row["network_a"]), label(row["network_b"])]["Correlation (QAP r)"], row["r"]
        )

    notes = {row["Topic"]: row["How it was done"] for row in workbook["Method"]}
    assert notes["Tie direction"] == result["method"]["tie_direction"]
    assert (
        notes["Key connectors: Scores: Pulsetaker"]
        == result["method"]["key_connectors"]["scores"]["pulsetaker"]
    )


# --- writing every file or none ----------------------------------------------------------------


def test_write_texts_writes_text_and_bytes_or_nothing(tmp_path):
    text, workbook = tmp_path / "study.gexf", tmp_path / "study.xlsx"

    write_texts({text: "<gexf/>", workbook: b"PK\x03\x04"})
    assert (text.read_text(encoding="utf-8"), workbook.read_bytes()) == ("<gexf/>", b"PK\x03\x04")

    workbook.with_name("study.xlsx.partial").mkdir()  # the workbook's side file cannot be written
    with pytest.raises(PlacelabError, match="study.xlsx"):
        write_texts({text: "<gexf version='1.3'/>", workbook: b"PK"})
    assert (text.read_text(encoding="utf-8"), workbook.read_bytes()) == ("<gexf/>", b"PK\x03\x04")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "study.gexf", "study.xlsx", "study.xlsx.partial",
    ]  # fmt: skip
