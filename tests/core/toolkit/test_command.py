"""``placelab diagnose`` as a user runs it, on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from placelab.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name in ("answers.csv", "people.csv"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def run(*args: str) -> int:
    return main(["diagnose", *args])


def test_it_writes_the_diagnosis_and_prints_a_summary(files, capsys):
    out = files / "diagnosis.json"
    code = run(
        str(files / "answers.csv"), "--people", str(files / "people.csv"), "--json", str(out)
    )
    assert code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["format"] == "placelab-diagnosis/1"
    assert result["breakdowns"]["shown"]
    printed = capsys.readouterr().out
    assert printed.startswith("Phase: design and discover") and "[medium]" in printed


def test_a_bad_answers_file_exits_2_names_the_cell_and_writes_nothing(files, capsys):
    answers = files / "answers.csv"
    lines = answers.read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40].rsplit(",", 1)[0] + ",7"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = files / "diagnosis.json"
    out.write_text("earlier result", encoding="utf-8")
    code = run(str(answers), "--people", str(files / "people.csv"), "--json", str(out))
    assert code == 2
    message = capsys.readouterr().err
    assert f"{answers}, row 41, column 'answer': answer '7' is not on the scale" in message
    assert out.read_text(encoding="utf-8") == "earlier result"
    assert not list(files.glob("*.partial"))


def test_a_respondent_missing_from_people_is_refused(files, capsys):
    answers = files / "answers.csv"
    answers.write_text(
        answers.read_text(encoding="utf-8") + "zz99,latent_pockets,3\n", encoding="utf-8"
    )
    code = run(str(answers), "--people", str(files / "people.csv"), "--quiet")
    assert code == 2
    assert (
        "column 'respondent': respondent 'zz99' is not in the people file"
        in capsys.readouterr().err
    )


def test_groups_can_be_switched_off_and_a_study_can_add_items(files):
    extra = files / "extra.json"
    extra.write_text(json.dumps({
        "scales": [{"id": "youth_voice", "title": "Young people's voice"}],
        "items": [{"id": "youth_heard", "scale": "youth_voice", "text": "Young people are heard."},
                  {"id": "youth_shape", "scale": "youth_voice", "text": "Young people shape services."}],
    }), encoding="utf-8")  # fmt: skip
    answers = files / "answers.csv"
    answers.write_text(
        answers.read_text(encoding="utf-8") + "p002,youth_heard,4\np002,youth_shape,5\n",
        encoding="utf-8",
    )
    out = files / "d.json"
    code = run(str(answers), "--exclude-group", "omr_community", "--items", str(extra),
               "--json", str(out), "--quiet")  # fmt: skip
    assert code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["bank"]["excluded_groups"] == ["omr_community"]
    assert result["bank"]["added_items"] == ["youth_heard", "youth_shape"]
    assert "community" not in result["omr"] and "providers" in result["omr"]
    assert result["inputs"]["ignored_answers"] > 0
    youth = next(s for s in result["scales"] if s["id"] == "youth_voice")
    assert (youth["n"], youth["mean"], youth["group"]) == (1, 4.5, "study")


def test_method_weights_and_context_come_from_the_command_line(files):
    out = files / "d.json"
    code = run(str(files / "answers.csv"), "--weights", "evidence=0,urgency=2",
               "--context", "capital=5", "--json", str(out), "--quiet")  # fmt: skip
    assert code == 0
    methods = json.loads(out.read_text(encoding="utf-8"))["methods"]
    assert methods["weights"] == {
        "urgency": 2.0,
        "capital": 1.0,
        "professions": 1.0,
        "evidence": 0.0,
    }
    capital = next(f for f in methods["factors"] if f["id"] == "capital")
    assert capital["source"] == "given" and capital["level"] == 5


def test_a_malformed_weight_is_a_usage_error(files, capsys):
    with pytest.raises(SystemExit) as caught:
        run(str(files / "answers.csv"), "--weights", "cost=1")
    assert caught.value.code == 2
    assert "expected FACTOR=NUMBER" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--exclude-group", "omr"], "unknown item group 'omr'"),
        (["--bank-version", "0"], "unknown item bank version '0'"),
        (["--ties", "ties.csv"], "--ties needs --people"),
    ],
)
def test_bad_options_are_refused_with_a_message(files, capsys, args, message):
    assert run(str(files / "answers.csv"), *args, "--quiet") != 0
    assert message in capsys.readouterr().err


def test_answers_given_to_bank_1_are_diagnosed_with_bank_1(files, bank, typical, write_answers):
    from placelab.core.toolkit import load_bank

    old = load_bank("1")
    answers = write_answers(typical(old, {"phase_1": 4.3}, respondents=12, seed=5))
    out = files / "old.json"
    assert run(str(answers), "--json", str(out), "--quiet") == 0
    assert json.loads(out.read_text(encoding="utf-8"))["bank"]["version"] == "1"
    assert "latent_slow" in answers.read_text(encoding="utf-8")  # a version 1 statement


def test_answers_that_describe_no_phase_print_none(files, bank, typical, write_answers, capsys):
    targets = {f"phase_{n}": 1.5 for n in range(5)}
    answers = write_answers(typical(bank, targets, respondents=20, seed=6, noise=0.4))
    assert run(str(answers)) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Phase: none clearly described (closest ")
    assert "No phase of the lifecycle is clearly described" in printed
