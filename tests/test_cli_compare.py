"""``placelab compare``: two waves from four files, two folders or two graph files, to JSON;
a bad file is named and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from small_study import SMALL_PEOPLE, SMALL_TIES

from placelab.cli import main

FAST = ("--resamples", "20")


def _run(*args: object) -> int:
    return main(["compare", *map(str, args)])


@pytest.fixture
def waves(tmp_path: Path) -> tuple[Path, Path]:
    """Two wave folders: the small study, then the same without the work tie p03->p04."""
    folders = tmp_path / "wave1", tmp_path / "wave2"
    later = SMALL_TIES.replace("p03,p04,work,\n", "")
    for folder, ties in zip(folders, (SMALL_TIES, later), strict=True):
        folder.mkdir()
        (folder / "people.csv").write_text(SMALL_PEOPLE, encoding="utf-8")
        (folder / "ties.csv").write_text(ties, encoding="utf-8")
    return folders


def _files(waves: tuple[Path, Path]) -> list[Path]:
    return [folder / name for folder in waves for name in ("people.csv", "ties.csv")]


def test_it_writes_a_json_comparison_and_a_summary(waves, tmp_path, capsys):
    out = tmp_path / "comparison.json"

    assert _run(*_files(waves), "--json", out, *FAST) == 0

    result = json.loads(out.read_text(encoding="utf-8"))
    work = result["everyone"]["networks"]["work"]["ties"]
    assert (work["kept"], work["new"], work["lost"]) == (9, 0, 1)
    assert result["method"]["resamples"] == 20
    printed = capsys.readouterr().out
    assert "Work: 9 ties kept, 0 new, 1 lost" in printed
    assert "11 answered both waves" in printed


def test_two_folders_give_the_same_comparison_as_four_files(waves, tmp_path):
    four, two = tmp_path / "four.json", tmp_path / "two.json"

    assert _run(*_files(waves), "--json", four, "--quiet", *FAST) == 0
    assert _run(*waves, "--json", two, "--quiet", *FAST) == 0

    assert json.loads(four.read_text()) == json.loads(two.read_text())


def test_it_reads_two_graph_files(tmp_path, capsys):
    first = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")])
    second = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "a")])
    second.add_node("e")
    for name, graph in (("w1", first), ("w2", second)):
        nx.write_graphml(graph, tmp_path / f"{name}.graphml")
    out = tmp_path / "c.json"

    assert _run(tmp_path / "w1.graphml", tmp_path / "w2.graphml", "--json", out, *FAST) == 0

    ties = next(iter(json.loads(out.read_text())["everyone"]["networks"].values()))["ties"]
    assert (ties["kept"], ties["new"], ties["lost"]) == (2, 1, 2)


def test_quiet_prints_nothing(waves, tmp_path, capsys):
    assert _run(*waves, "--json", tmp_path / "c.json", "--quiet", *FAST) == 0
    assert capsys.readouterr().out == ""


def test_it_refuses_a_bad_ties_file_naming_it_and_writes_nothing(waves, tmp_path, capsys):
    bad = waves[1] / "ties.csv"
    bad.write_text(bad.read_text() + "p99,p01,work,\n", "utf-8")  # p99 is on no roster
    out = tmp_path / "c.json"

    assert _run(*_files(waves), "--json", out, *FAST) == 2

    assert str(bad) in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_it_refuses_a_folder_without_the_waves_files(waves, tmp_path, capsys):
    (waves[0] / "ties.csv").unlink()
    out = tmp_path / "c.json"

    assert _run(*waves, "--json", out, *FAST) == 2

    error = capsys.readouterr().err
    assert str(waves[0]) in error and "ties.csv" in error
    assert not out.exists()


def test_it_refuses_three_files(waves, tmp_path, capsys):
    assert _run(*_files(waves)[:3], "--json", tmp_path / "c.json") == 1
    assert "expected two waves" in capsys.readouterr().err
