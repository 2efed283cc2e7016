"""The ``placelab report`` command: the report as HTML and PDF from a study's files, full or
pseudonymised; on a bad input, exit 2 with a located error and nothing written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from edits import replace_line
from small_study import SMALL_PEOPLE

from placelab.cli import main
from placelab.cli_report import SECRET_VARIABLE
from placelab.core.demo import generate_locality, write_locality
from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit.demo_answers import generate_answers

NAMES = [line.split(",")[1] for line in SMALL_PEOPLE.splitlines()[1:]]


def _run(*args: object) -> int:
    return main(["report", *map(str, args), "--quiet"])


def _out(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return folder / "report.html", folder / "report.pdf"


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", done.stdout)


def _pdf_title(path: Path) -> str:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return re.search(r"^Title:\s*(.*)$", done.stdout, re.M).group(1)


def test_it_writes_the_report_as_html_and_pdf(small_study, tmp_path):
    html, pdf = _out(tmp_path)

    code = _run(*small_study, "--html", html, "--pdf", pdf, "--title", "Networks of Ashby",
                "--locality", "Ashby", "--field", "Youth services")  # fmt: skip

    assert code == 0
    page = html.read_text(encoding="utf-8")
    assert "<title>Networks of Ashby</title>" in page and "Ashby · Youth services" in page
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert _pdf_title(pdf) == "Networks of Ashby"
    text = _pdf_text(pdf)
    for heading in ("Summary", "The networks", "How the numbers were made"):
        assert heading in text
    assert "From people.csv, ties.csv" in text  # where the numbers came from, on the cover


def test_either_output_alone_is_enough(small_study, tmp_path):
    html, pdf = _out(tmp_path)

    assert _run(*small_study, "--pdf", pdf) == 0

    assert pdf.exists() and not html.exists()


def test_pseudonymise_names_no_one_in_either_file(small_study, tmp_path):
    html, pdf = _out(tmp_path)

    assert _run(*small_study, "--html", html, "--pdf", pdf, "--pseudonymise") == 0

    page, text = html.read_text(encoding="utf-8"), _pdf_text(pdf)
    assert "pseudonymised" in page and "Person " in page
    assert _pdf_title(pdf) == "Innovation networks (pseudonymised)"
    for name in NAMES:
        assert name not in page and name not in text
    for organisation in ("Council", "School A", "School B", "Trust"):
        assert f">{organisation}<" not in page


def test_the_full_report_names_people(small_study, tmp_path):
    """The check above can fail: without --pseudonymise the same study's report names people."""
    html, _ = _out(tmp_path)

    assert _run(*small_study, "--html", html) == 0

    assert any(name in html.read_text(encoding="utf-8") for name in NAMES)


def _person_numbers(html: Path) -> list[str]:
    return re.findall(r"Person \d+", html.read_text(encoding="utf-8"))


def test_the_secret_keeps_pseudonyms_stable_from_one_report_to_the_next(
    small_study, tmp_path, monkeypatch
):
    monkeypatch.setenv(SECRET_VARIABLE, "our study's secret")
    first, second = tmp_path / "first.html", tmp_path / "second.html"

    assert _run(*small_study, "--html", first, "--pseudonymise") == 0
    assert _run(*small_study, "--html", second, "--pseudonymise") == 0

    assert _person_numbers(first) and _person_numbers(first) == _person_numbers(second)


# --- bad input: exit 2 or 1, a message, nothing written -----------------------------------------


def test_a_bad_people_file_exits_2_and_writes_nothing(small_study, tmp_path, capsys):
    people, ties = small_study
    row = replace_line(people, "p03,", "p03,Cal Ode,Council,local_authority,systemic,sideways,yes")
    html, pdf = _out(tmp_path)

    code = _run(people, ties, "--html", html, "--pdf", pdf)

    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"placelab: {people}, row {row}, column 'seniority': ")
    assert list(html.parent.iterdir()) == []  # no report, no .partial file


def test_a_bad_file_leaves_earlier_reports_as_they_were(small_study, tmp_path):
    people, ties = small_study
    replace_line(ties, "p01,p02,work", "p01,p99,wrok,")
    html, pdf = _out(tmp_path)
    html.write_text("<p>earlier</p>", encoding="utf-8")
    pdf.write_bytes(b"%PDF-earlier")

    assert _run(people, ties, "--html", html, "--pdf", pdf) == 2

    assert html.read_text(encoding="utf-8") == "<p>earlier</p>"
    assert pdf.read_bytes() == b"%PDF-earlier"


def test_a_bad_reference_file_exits_2_and_writes_nothing(small_study, tmp_path, capsys):
    reference = tmp_path / "ranges.json"
    reference.write_text('{"source": "x", "ranges": {"wrok": [0.1, 0.2]}}', encoding="utf-8")
    html, pdf = _out(tmp_path)

    assert _run(*small_study, "--html", html, "--pdf", pdf, "--reference", reference) == 2

    assert "not a network of this study" in capsys.readouterr().err
    assert list(html.parent.iterdir()) == []


def test_it_refuses_to_run_without_an_output(small_study, capsys):
    assert _run(*small_study) == 1
    assert "--html and/or --pdf" in capsys.readouterr().err


def test_it_refuses_one_file_for_both_outputs(small_study, tmp_path, capsys):
    both = tmp_path / "report"
    assert _run(*small_study, "--html", both, "--pdf", both) == 1
    assert "a file of its own" in capsys.readouterr().err
    assert not both.exists()


def test_a_pdf_path_in_no_folder_leaves_no_html(small_study, tmp_path, capsys):
    html, _ = _out(tmp_path)
    assert _run(*small_study, "--html", html, "--pdf", tmp_path / "nowhere" / "r.pdf") == 1
    assert "there is no folder" in capsys.readouterr().err
    assert not html.exists()


# --- with answers: the diagnosis ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("demo")
    people, ties = write_locality(folder, *generate_locality())
    answers = generate_answers(people_from_table(read_table(people)))
    answers.to_csv(folder / "answers.csv", index=False)
    return people, ties, folder / "answers.csv"


def test_answers_add_the_diagnosis_as_a_program(demo, tmp_path):
    people, ties, answers = demo
    html, pdf = _out(tmp_path)

    done = subprocess.run(
        [sys.executable, "-m", "placelab.cli", "report", people, ties, "--answers", answers,
         "--html", html, "--pdf", pdf],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "PDF" in done.stderr and "done" in done.stderr  # progress, step by step
    text = _pdf_text(pdf)
    assert "Where the place stands in the innovation lifecycle" in text
    assert "Strategic triangle" in text or "strategic triangle" in text


def test_a_bad_answers_file_exits_2_and_writes_nothing(demo, tmp_path, capsys):
    people, ties, answers = demo
    bad = tmp_path / "answers.csv"
    lines = answers.read_text(encoding="utf-8").splitlines()
    respondent, item, _answer = lines[1].split(",")
    bad.write_text("\n".join([lines[0], f"{respondent},{item},7", *lines[2:]]), encoding="utf-8")
    html, pdf = _out(tmp_path)

    assert _run(people, ties, "--answers", bad, "--html", html, "--pdf", pdf) == 2

    assert capsys.readouterr().err.startswith(f"placelab: {bad}, row 2")
    assert list(html.parent.iterdir()) == []
