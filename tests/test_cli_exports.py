"""``placelab analyze ... --graphml F --gexf F --xlsx F``: every file or none."""

from __future__ import annotations

from pathlib import Path

from test_cli import FAST, _run


def _paths(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    names = {"json": "result.json", "graphml": "study.graphml", "gexf": "study.gexf"}
    return {flag: folder / name for flag, name in (names | {"xlsx": "study.xlsx"}).items()}


def _flags(paths: dict[str, Path]) -> list[object]:
    return [part for flag, path in paths.items() for part in (f"--{flag}", path)]


def test_a_bad_file_writes_none_of_the_outputs(small_study, tmp_path, capsys):
    people, ties = small_study
    ties.write_text(ties.read_text(encoding="utf-8") + "p01,p02,inovation,\n", encoding="utf-8")
    paths = _paths(tmp_path)

    assert _run(people, ties, *_flags(paths), *FAST) == 2

    assert "inovation" in capsys.readouterr().err
    assert list(paths["json"].parent.iterdir()) == []


def test_two_outputs_on_one_file_are_refused_before_the_analysis(small_study, tmp_path, capsys):
    paths = _paths(tmp_path)

    code = _run(*small_study, "--graphml", paths["graphml"], "--gexf", paths["graphml"], *FAST)

    assert code == 1
    assert "a file of its own" in capsys.readouterr().err
    assert list(paths["json"].parent.iterdir()) == []
