"""``placelab compare``: two waves from four files, two folders or two graph files, to JSON;
a bad file is named and nothing is written."""

from __future__ import annotations

import base64
import json
import re
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


def _names(text: str) -> list[str]:
    from small_study import SMALL_PEOPLE

    names = [line.split(",")[1] for line in SMALL_PEOPLE.splitlines()[1:]]
    return [n for n in names if n in text]


def test_it_writes_the_comparison_report_with_both_waves_maps(waves, tmp_path):
    page, data = tmp_path / "change.html", tmp_path / "c.json"

    args = ("--html", page, "--json", data, "--labels", "Spring", "Autumn", "--quiet")
    assert _run(*waves, *args, *FAST) == 0

    html = page.read_text(encoding="utf-8")
    assert "What changed since the last wave" in html and "Spring" in html and "Autumn" in html
    maps = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    svgs = [base64.b64decode(m).decode("utf-8") for m in maps]
    # The work tie p03->p04 is gone: dashed on each spring map that holds work, never on autumn's.
    assert [s.count('data-tie="lost"') for s in svgs[0::2]] == [1, 0, 0, 1]
    assert all('data-tie="lost"' not in s for s in svgs[1::2])
    assert "Ann Lee" in "".join(svgs)  # the full version names people on its maps
    assert json.loads(data.read_text())["format"] == "placelab-comparison/1"


def test_the_pseudonymised_comparison_report_names_no_one(waves, tmp_path):
    page = tmp_path / "change.html"

    assert _run(*waves, "--html", page, "--pseudonymise", "--quiet", *FAST) == 0

    html = page.read_text(encoding="utf-8")
    maps = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    words = html + "".join(base64.b64decode(m).decode("utf-8") for m in maps)
    assert _names(words) == [] and "Person " in words and "pseudonymised" in html


def test_it_needs_somewhere_to_write(waves, capsys):
    assert _run(*waves, *FAST) == 1
    assert "--json, --html and/or --pdf" in capsys.readouterr().err


def test_answers_add_the_diagnosis_compared(tmp_path):
    examples = Path(__file__).parents[1] / "examples"
    out = tmp_path / "c.json"
    answers = (examples / "answers.csv", examples / "wave2" / "answers.csv")

    assert _run(examples, examples / "wave2", "--answers", *answers, "--json", out,
                "--quiet", *FAST) == 0  # fmt: skip

    compared = json.loads(out.read_text())["diagnosis"]
    assert compared["format"] == "placelab-diagnosis-comparison/1"
    assert compared["phase"]["before"]["name"] == "Design and discover"
    assert compared["respondents"] == {"before": 92, "after": 95}
