"""The ``placelab analyze`` command: results on good files; exit 2, a located error and no output on bad."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from edits import append_line, drop_column, replace_line

from placelab.cli import main
from placelab.report import build_report, render_html

FAST = ["--quiet", "--permutations", "19"]
ROSTER = [f"p{i:02d}" for i in range(1, 13)]


def _unreadable_name(people: Path, _ties: Path) -> None:
    """A byte that is no letter in UTF-8, in a file whose other letters are UTF-8's."""
    people.write_bytes(people.read_bytes().replace(b"Cal Ode", b"CalOd\x81"))


def _run(*args: object) -> int:
    return main(["analyze", *map(str, args)])


def _outputs(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return folder / "result.json", folder / "report.html"


# --- a good study ---------------------------------------------------------------------------------


def test_it_writes_a_json_result_with_each_networks_density(small_study, tmp_path, capsys):
    result_path, _ = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, *FAST) == 0

    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert result["format"] == "placelab-result/1"
    assert list(result["networks"]) == ["work", "innovation", "expert", "all"]
    n = 12 * 11  # density counts everyone on the roster, respondents or not
    densities = {name: network["density"] for name, network in result["networks"].items()}
    assert densities == pytest.approx(
        {"work": 10 / n, "innovation": 4 / n, "expert": 3 / n, "all": 15 / n}
    )
    assert {name: network["ties"] for name, network in result["networks"].items()} == {
        "work": 10,
        "innovation": 4,
        "expert": 3,
        "all": 15,
    }
    assert result["inputs"]["people"] == 12
    assert result["inputs"]["respondents"] == 11
    assert capsys.readouterr().err == ""  # --quiet


def test_it_lists_someone_named_from_outside_the_roster_apart(small_study, tmp_path):
    result_path, _ = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, *FAST) == 0

    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert result["outsiders"] == [
        {"name": "Øyvind Dahl", "nominations": 1, "named_by": 1, "networks": ["innovation"]}
    ]
    assert [person["id"] for person in result["people"]] == ROSTER
    assert result["networks"]["innovation"]["people"] == 12


def test_it_keeps_non_ascii_names_in_the_json(small_study, tmp_path):
    result_path, _ = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, *FAST) == 0

    text = result_path.read_text(encoding="utf-8")
    names = {p["id"]: p["name"] for p in json.loads(text)["people"]}
    assert names["p05"] == "Zoë Ångström"
    assert "Zoë Ångström" in text  # written as UTF-8, not escaped


def test_it_reads_xlsx_files(small_study, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    paths = []
    for source in small_study:
        book = openpyxl.Workbook()
        with source.open(encoding="utf-8", newline="") as handle:
            for record in csv.reader(handle):
                book.active.append(record)
        book.save(source.with_suffix(".xlsx"))
        paths.append(source.with_suffix(".xlsx"))
    result_path, _ = _outputs(tmp_path)

    assert _run(*paths, "--json", result_path, *FAST) == 0

    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert result["networks"]["work"]["density"] == pytest.approx(10 / 132)
    assert result["inputs"]["files"]["people"].endswith("people.xlsx")


def test_sector_extends_the_fixed_list_of_sectors(small_study, tmp_path, capsys):
    people, ties = small_study
    replace_line(people, "p06,", "p06,Eli Fox,Homes,housing,sectoral,middle,yes")
    replace_line(people, "p07,", "p07,Fay Gu,Bank,banking,sectoral,frontline,yes")
    result_path, _ = _outputs(tmp_path)

    assert _run(people, ties, "--json", result_path, *FAST, "--sector", "housing") == 2
    assert "row 8, column 'sector': unknown sector 'banking'" in capsys.readouterr().err
    assert not result_path.exists()

    args = ["--sector", "housing", "--sector", "banking"]
    assert _run(people, ties, "--json", result_path, *FAST, *args) == 0
    sectors = {p["id"]: p["sector"] for p in json.loads(result_path.read_text())["people"]}
    assert (sectors["p06"], sectors["p07"]) == ("housing", "banking")


def test_networks_fixes_the_list_of_networks(small_study, tmp_path, capsys):
    result_path, _ = _outputs(tmp_path)

    args = ["--networks", "work,innovation,expert,decision"]
    assert _run(*small_study, "--json", result_path, *FAST, *args) == 0
    assert json.loads(result_path.read_text())["inputs"]["networks"] == [
        "work",
        "innovation",
        "expert",
        "decision",
    ]

    result_path.unlink()
    assert _run(*small_study, "--json", result_path, *FAST, "--networks", "work,innovation") == 2
    assert "row 17, column 'network': unknown network 'expert'" in capsys.readouterr().err
    assert not result_path.exists()


def test_networks_may_be_listed_with_spaces_after_the_commas(small_study, tmp_path):
    result_path, _ = _outputs(tmp_path)

    args = ["--networks", "work, innovation, expert"]
    assert _run(*small_study, "--json", result_path, *FAST, *args) == 0


@pytest.mark.parametrize(
    "command",
    [
        [str(Path(sys.executable).with_name("placelab"))],
        [sys.executable, "-m", "placelab.cli"],
    ],
    ids=["console-script", "python-m"],
)
def test_the_command_runs_as_a_program(small_study, tmp_path, command):
    if not Path(command[0]).exists():
        pytest.skip("the placelab console script is not installed beside this Python")
    result_path, _ = _outputs(tmp_path)
    run = [*command, "analyze", *map(str, small_study), "--json", str(result_path), *FAST]

    done = subprocess.run(run, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert json.loads(result_path.read_text(encoding="utf-8"))["networks"]["work"]["ties"] == 10


def test_the_program_exits_2_with_a_located_error_on_a_bad_file(small_study, tmp_path):
    people, ties = small_study
    append_line(ties, "p04,p04,expert,")
    result_path, _ = _outputs(tmp_path)
    run = [sys.executable, "-m", "placelab.cli", "analyze", str(people), str(ties)]

    done = subprocess.run(
        [*run, "--json", str(result_path), "--quiet"], capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 2
    assert f"placelab: {ties}, row 20, column 'target': 'p04' names themselves" in done.stderr
    assert "Traceback" not in done.stderr
    assert not result_path.exists()


def test_it_refuses_to_run_without_an_output_option(small_study, tmp_path, capsys):
    before = sorted(tmp_path.iterdir())

    code = _run(*small_study, *FAST)

    assert code != 0
    err = capsys.readouterr().err
    assert "--json" in err and "--html" in err
    assert sorted(tmp_path.iterdir()) == before


def test_it_writes_an_html_report_beside_the_json(small_study, tmp_path):
    result_path, report_path = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, "--html", report_path, *FAST) == 0

    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert result["format"] == "placelab-result/1"
    assert report_path.read_text(encoding="utf-8") == render_html(build_report(result))


# --- bad files ------------------------------------------------------------------------------------

Edit = Callable[[Path, Path], None]

# (how the small study is broken, the file at fault, its row and column, words the message uses)
BAD: dict[str, tuple[Edit, str, int | None, str | None, str]] = {
    "missing-column": (
        lambda p, t: drop_column(p, "sector"),
        "people",
        1,
        "sector",
        "missing column 'sector' (expected a header with id,",
    ),
    "duplicate-id": (
        lambda p, t: replace_line(p, "p07,", "p03,Fay Gu,School B,school_college,sectoral,,yes"),
        "people",
        8,
        "id",
        "id 'p03' is already used in row 4 (expected one row per person)",
    ),
    "unknown-sector": (
        lambda p, t: replace_line(p, "p06,", "p06,Eli Fox,Homes,housing,sectoral,middle,yes"),
        "people",
        7,
        "sector",
        "unknown sector 'housing' (expected one of: Local authority, Schools and colleges,",
    ),
    "responded-not-yes-no": (
        lambda p, t: replace_line(p, "p04,", "p04,Dee Ng,Council,local_authority,sectoral,,maybe"),
        "people",
        5,
        "responded",
        "'maybe' is not yes or no (expected yes/no",
    ),
    "wrong-encoding": (
        _unreadable_name,
        "people",
        4,
        "name",
        "(0x81) is not text in UTF-8",  # the file's other letters are UTF-8's
    ),
    "empty-file": (lambda p, t: t.write_bytes(b""), "ties", None, None, "the file is empty"),
    "self-tie": (
        lambda p, t: replace_line(t, "p06,p07,work", "p06,p06,work,"),
        "ties",
        6,
        "target",
        "'p06' names themselves (expected a tie to someone else)",
    ),
    "source-off-roster": (
        lambda p, t: replace_line(t, "p03,p04,work", "p13,p04,work,"),
        "ties",
        9,
        "source",
        "source 'p13' is not on the roster (expected the id of a person",
    ),
    "source-not-responded": (
        lambda p, t: append_line(t, "p08,p07,work,"),
        "ties",
        20,
        "source",
        "source 'p08' named someone but is marked as not having responded",
    ),
    "duplicate-tie": (
        lambda p, t: append_line(t, "p05,p09,innovation,3"),
        "ties",
        20,
        "target",
        "already named 'p09' in the innovation network in row 13",
    ),
    "non-numeric-weight": (
        lambda p, t: replace_line(t, "p06,p07,work", "p06,p07,work,often"),
        "ties",
        6,
        "weight",
        "weight 'often' is not a positive number (expected a number above 0",
    ),
    "network-typo": (
        lambda p, t: replace_line(t, "p11,p12,innovation", "p11,p12,inovation,2"),
        "ties",
        15,
        "network",
        "unknown network 'inovation': did you mean 'innovation'?",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_exits_2_naming_file_row_and_column_and_writes_nothing(
    small_study, tmp_path, capsys, case
):
    edit, at_fault, row, column, words = BAD[case]
    people, ties = small_study
    edit(people, ties)
    result_path, report_path = _outputs(tmp_path)
    bad_file = {"people": people, "ties": ties}[at_fault]

    code = _run(people, ties, "--json", result_path, "--html", report_path, *FAST)

    err = capsys.readouterr().err
    assert code == 2
    place = ", ".join(
        [str(bad_file)]
        + ([f"row {row}"] if row is not None else [])
        + ([f"column '{column}'"] if column is not None else [])
    )
    assert err.startswith(f"placelab: {place}: "), err
    assert words in err
    assert list(result_path.parent.iterdir()) == []  # no result, no report, no .partial file


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_leaves_existing_outputs_unchanged(small_study, tmp_path, case):
    edit = BAD[case][0]
    people, ties = small_study
    edit(people, ties)
    result_path, report_path = _outputs(tmp_path)
    result_path.write_text('{"earlier": "result"}', encoding="utf-8")
    report_path.write_text("<p>earlier report</p>", encoding="utf-8")

    assert _run(people, ties, "--json", result_path, "--html", report_path, *FAST) == 2

    assert result_path.read_text(encoding="utf-8") == '{"earlier": "result"}'
    assert report_path.read_text(encoding="utf-8") == "<p>earlier report</p>"
    assert sorted(p.name for p in result_path.parent.iterdir()) == ["report.html", "result.json"]


def test_an_html_path_that_cannot_be_written_leaves_no_json(small_study, tmp_path, capsys):
    result_path, _ = _outputs(tmp_path)
    report_path = tmp_path / "no-such-folder" / "report.html"

    code = _run(*small_study, "--json", result_path, "--html", report_path, *FAST)

    assert code == 1
    assert not result_path.exists()
    assert str(report_path.parent) in capsys.readouterr().err


def test_an_output_path_that_is_a_folder_is_refused_before_anything_is_written(
    small_study, tmp_path, capsys
):
    result_path, _ = _outputs(tmp_path)
    report_path = tmp_path / "report.html"
    report_path.mkdir()

    code = _run(*small_study, "--json", result_path, "--html", report_path, *FAST)

    assert code == 1
    assert not result_path.exists()
    assert not any(p.suffix == ".partial" for p in result_path.parent.iterdir())
    assert f"{report_path} is a folder" in capsys.readouterr().err


# --- density reference ranges ---------------------------------------------------------------------


def _reference(tmp_path: Path, spec: object) -> Path:
    path = tmp_path / "ranges.json"
    path.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    return path


def test_a_reference_range_gives_a_finding_when_density_is_outside_it(small_study, tmp_path):
    reference = _reference(
        tmp_path,
        {
            "source": "Pilot locality, 2009",
            "ranges": {"work": [0.2, 0.5], "innovation": [0.01, 0.1]},
        },
    )
    result_path, _ = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, "--reference", reference, *FAST) == 0

    findings = {f["id"]: f for f in json.loads(result_path.read_text())["findings"]}
    work = findings["density-work"]
    assert work["numbers"]["density"] == pytest.approx(10 / 132)
    assert work["numbers"]["range"] == [0.2, 0.5]
    assert work["numbers"]["range_source"] == "Pilot locality, 2009"
    assert "below" in work["title"]
    assert "density-innovation" not in findings  # 4/132 is inside 0.01-0.1


def test_without_a_reference_there_is_no_density_finding(small_study, tmp_path):
    result_path, _ = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, *FAST) == 0

    findings = json.loads(result_path.read_text())["findings"]
    assert not [f for f in findings if f["id"].startswith("density-")]


@pytest.mark.parametrize(
    ("spec", "column", "words"),
    [
        ({"ranges": {"work": [0.2, 0.5]}}, None, "not a reference file"),
        ({"source": "  ", "ranges": {"work": [0.2, 0.5]}}, "source", "the ranges need a source"),
        ({"source": "x", "ranges": {"work": [0.2]}}, None, "not a reference file"),
        ({"source": "x", "ranges": {"work": ["low", "high"]}}, None, "not a reference file"),
        ("{not json", None, "not a reference file"),
    ],
    ids=["no-source", "blank-source", "one-bound", "words-for-bounds", "not-json"],
)
def test_a_bad_reference_file_exits_2_and_writes_nothing(
    small_study, tmp_path, capsys, spec, column, words
):
    reference = _reference(tmp_path, spec)
    result_path, _ = _outputs(tmp_path)

    assert _run(*small_study, "--json", result_path, "--reference", reference, *FAST) == 2

    err = capsys.readouterr().err
    assert err.startswith(
        f"placelab: {reference}" + (f", column '{column}'" if column else "") + ": "
    )
    assert words in err
    assert list(result_path.parent.iterdir()) == []


def test_a_missing_reference_file_exits_2(small_study, tmp_path, capsys):
    result_path, _ = _outputs(tmp_path)
    missing = tmp_path / "nowhere.json"

    assert _run(*small_study, "--json", result_path, "--reference", missing, *FAST) == 2

    assert f"placelab: {missing}: no such file" in capsys.readouterr().err
    assert not result_path.exists()


def test_a_reference_file_with_ranges_as_a_list_exits_2(small_study, tmp_path, capsys):
    reference = _reference(tmp_path, {"source": "x", "ranges": [["work", 0.2, 0.5]]})
    result_path, _ = _outputs(tmp_path)

    code = _run(*small_study, "--json", result_path, "--reference", reference, *FAST)

    assert code == 2
    assert "not a reference file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("ranges", "words"),
    [
        ({"wrok": [0.1, 0.2]}, "a range for 'wrok', which is not a network of this study"),
        ({"work": [0.5, 0.2]}, "the range for 'work' runs from 0.5 to 0.2"),
    ],
)
def test_a_reference_range_that_cannot_apply_exits_2(small_study, tmp_path, capsys, ranges, words):
    reference = _reference(tmp_path, {"source": "our panel", "ranges": ranges})
    result_path, _ = _outputs(tmp_path)

    code = _run(*small_study, "--json", result_path, "--reference", reference, *FAST)

    assert code == 2
    assert words in capsys.readouterr().err
    assert not result_path.exists()
