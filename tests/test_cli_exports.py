"""``placelab analyze ... --graphml F --gexf F --xlsx F``: every file or none."""

from __future__ import annotations

import json
from pathlib import Path

import igraph as ig
import networkx as nx
import openpyxl
from exported import mismatches, tie_counts
from test_cli import FAST, _run


def _paths(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    names = {"json": "result.json", "graphml": "study.graphml", "gexf": "study.gexf"}
    return {flag: folder / name for flag, name in (names | {"xlsx": "study.xlsx"}).items()}


def _flags(paths: dict[str, Path]) -> list[object]:
    return [part for flag, path in paths.items() for part in (f"--{flag}", path)]


def test_it_writes_graphml_gexf_and_xlsx_of_the_same_result(small_study, tmp_path):
    paths = _paths(tmp_path)

    assert _run(*small_study, *_flags(paths), *FAST) == 0

    result = json.loads(paths["json"].read_text(encoding="utf-8"))
    graphml = nx.read_graphml(paths["graphml"])
    assert mismatches(result, dict(graphml.nodes(data=True))) == []
    gexf = nx.read_gexf(paths["gexf"])
    assert gexf.number_of_nodes() == graphml.number_of_nodes() == len(result["people"])
    assert gexf.number_of_edges() == sum(tie_counts(result).values())
    by_igraph = ig.Graph.Read_GraphML(str(paths["graphml"]))
    assert by_igraph.ecount() == graphml.number_of_edges() == gexf.number_of_edges()
    book = openpyxl.load_workbook(paths["xlsx"], read_only=True)
    assert len(list(book["People"].iter_rows(min_row=2))) == len(result["people"])


def test_a_bad_file_writes_none_of_the_outputs(small_study, tmp_path, capsys):
    people, ties = small_study
    ties.write_text(ties.read_text(encoding="utf-8") + "p01,p02,inovation,\n", encoding="utf-8")
    paths = _paths(tmp_path)

    assert _run(people, ties, *_flags(paths), *FAST) == 2

    assert "inovation" in capsys.readouterr().err
    assert list(paths["json"].parent.iterdir()) == []


def test_an_xlsx_that_cannot_be_written_leaves_no_other_file(small_study, tmp_path, capsys):
    paths = _paths(tmp_path)
    blocked = paths["xlsx"].with_name("study.xlsx.partial")
    blocked.mkdir()  # the side file cannot be written: the workbook fails after the others

    code = _run(*small_study, *_flags(paths), *FAST)

    assert code == 1
    assert str(paths["xlsx"]) in capsys.readouterr().err
    assert sorted(p.name for p in paths["json"].parent.iterdir()) == ["study.xlsx.partial"]


def test_two_outputs_on_one_file_are_refused_before_the_analysis(small_study, tmp_path, capsys):
    paths = _paths(tmp_path)

    code = _run(*small_study, "--graphml", paths["graphml"], "--gexf", paths["graphml"], *FAST)

    assert code == 1
    assert "a file of its own" in capsys.readouterr().err
    assert list(paths["json"].parent.iterdir()) == []
