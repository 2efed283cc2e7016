"""The rules for a roster and its nominations: each bad row is refused by file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from edits import append_line, drop_column, replace_line

from placelab.core.data import StudyData
from placelab.core.errors import InputError
from placelab.core.io.tables import read_table, read_table_bytes
from placelab.core.io.validate import (
    people_from_table,
    roster_problems,
    roster_table,
    study_from_tables,
)
from placelab.core.vocabulary import LABELS, SECTORS


def _study(people: Path, ties: Path, **options) -> StudyData:
    return study_from_tables(read_table(people), read_table(ties), **options)


def _error(people: Path, ties: Path, **options) -> InputError:
    with pytest.raises(InputError) as caught:
        _study(people, ties, **options)
    return caught.value


def _drop_lines_from(path: Path, starts: str) -> None:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith(starts)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _assert_at(error: InputError, file: Path, row: int | None, column: str | None) -> None:
    assert (error.file, error.row, error.column) == (str(file), row, column), str(error)


# --- the valid study ------------------------------------------------------------------------------


def test_it_reads_the_small_study(small_study):
    data = _study(*small_study)

    assert list(data.people.index) == [f"p{i:02d}" for i in range(1, 13)]
    assert data.people.loc["p05", "name"] == "Zoë Ångström"
    assert data.people["responded"].tolist() == [True] * 7 + [False] + [True] * 4
    assert data.networks == ("work", "innovation", "expert")
    assert len(data.ties) == 17
    assert data.sources == {"people": str(small_study[0]), "ties": str(small_study[1])}


def test_it_keeps_a_target_off_the_roster_as_an_outside_tie(small_study):
    data = _study(*small_study)

    assert data.outside_ties.to_dict(orient="records") == [
        {"source": "p12", "target": "Øyvind Dahl", "network": "innovation", "weight": 1.0}
    ]
    assert "Øyvind Dahl" not in set(data.ties["target"])


def test_it_reads_a_blank_weight_as_1_and_keeps_given_weights(small_study):
    ties = _study(*small_study).ties.set_index(["source", "target", "network"])["weight"]

    assert ties[("p01", "p02", "work")] == 1.0
    assert ties[("p02", "p01", "work")] == 2.0
    assert ties[("p10", "p09", "expert")] == 3.0


def test_it_reads_a_ties_file_without_a_weight_column_as_all_1(small_study):
    people, ties = small_study
    drop_column(ties, "weight")

    assert set(_study(people, ties).ties["weight"]) == {1.0}


def test_it_lets_a_non_respondent_be_named(small_study):
    ties = _study(*small_study).ties

    assert ((ties["source"] == "p07") & (ties["target"] == "p08")).any()


def test_it_allows_the_same_pair_in_two_networks(small_study):
    people, ties = small_study
    append_line(ties, "p01,p02,innovation,")

    data = _study(people, ties)

    pair = data.ties[(data.ties["source"] == "p01") & (data.ties["target"] == "p02")]
    assert sorted(pair["network"]) == ["innovation", "work"]


def test_it_accepts_a_study_defined_network_and_lists_it_after_the_seven(small_study):
    people, ties = small_study
    append_line(ties, "p03,p01,wellbeing,")

    assert _study(people, ties).networks == ("work", "innovation", "expert", "wellbeing")


def test_it_reads_the_same_study_from_xlsx_files(small_study, tmp_path):
    def to_xlsx(source: Path) -> Path:
        book = openpyxl.Workbook()
        with source.open(encoding="utf-8", newline="") as handle:
            for record in csv.reader(handle):
                book.active.append([cell or None for cell in record])
        target = source.with_suffix(".xlsx")
        book.save(target)
        return target

    from_csv = _study(*small_study)
    from_xlsx = _study(*map(to_xlsx, small_study))

    assert from_xlsx.people.equals(from_csv.people)
    assert from_xlsx.ties.equals(from_csv.ties)
    assert from_xlsx.outside_ties.equals(from_csv.outside_ties)
    assert from_xlsx.sources["people"].endswith("people.xlsx")


@pytest.mark.parametrize("word", ["yes", "Yes", "Y", "TRUE", "t", "1"])
def test_it_reads_yes_words_as_responded(small_study, word):
    people, ties = small_study
    replace_line(people, "p08,", f"p08,Gus Hay,School B,school_college,sectoral,frontline,{word}")

    assert bool(_study(people, ties).people.loc["p08", "responded"]) is True


@pytest.mark.parametrize("word", ["no", "NO", "n", "False", "f", "0"])
def test_it_reads_no_words_as_not_responded(small_study, word):
    people, ties = small_study
    replace_line(people, "p01,", f"p01,Ann Lee,Council,local_authority,systemic,senior,{word}")
    _drop_lines_from(ties, "p01,")

    assert bool(_study(people, ties).people.loc["p01", "responded"]) is False


# --- the people file ------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["id", "sector", "layer", "responded", "name", "seniority"])
def test_it_names_a_missing_people_column_at_row_1(small_study, column):
    people, ties = small_study
    drop_column(people, column)

    error = _error(people, ties)

    assert (error.file, error.row) == (str(people), 1)
    assert f"missing column '{column}'" in error.detail
    assert error.expected.startswith("a header with id, name, organisation")


def test_it_names_the_row_of_a_duplicate_id(small_study):
    people, ties = small_study
    row = replace_line(people, "p07,", "p03,Fay Gu,School B,school_college,sectoral,frontline,yes")

    error = _error(people, ties)

    _assert_at(error, people, row, "id")
    assert row == 8
    assert "'p03' is already used in row 4" in error.detail
    assert error.expected == "one row per person"


def test_it_names_a_duplicate_id_that_differs_only_by_spaces(small_study):
    people, ties = small_study
    row = append_line(people, " p02 ,Other,Council,local_authority,systemic,,yes")

    _assert_at(_error(people, ties), people, row, "id")


def test_it_names_the_row_of_a_blank_id(small_study):
    people, ties = small_study
    row = replace_line(people, "p12,", ",Kai Lo,Trust,voluntary_community,sectoral,,yes")

    _assert_at(_error(people, ties), people, row, "id")


@pytest.mark.parametrize(
    ("column", "line", "bad"),
    [
        ("sector", "p06,Eli Fox,School A,housing,sectoral,middle,yes", "housing"),
        ("sector", "p06,Eli Fox,School A,Schools,sectoral,middle,yes", "Schools"),
        ("layer", "p06,Eli Fox,School A,school_college,middle,middle,yes", "middle"),
        ("seniority", "p06,Eli Fox,School A,school_college,sectoral,boss,yes", "boss"),
    ],
)
def test_it_names_an_unknown_choice_and_lists_the_allowed_ones(small_study, column, line, bad):
    people, ties = small_study
    row = replace_line(people, "p06,", line)

    error = _error(people, ties)

    _assert_at(error, people, row, column)
    assert f"unknown {column} {bad!r}" in error.detail
    assert error.expected.startswith("one of: ")


def test_it_lists_the_study_sectors_as_expected_for_an_unknown_sector(small_study):
    people, ties = small_study
    replace_line(people, "p06,", "p06,Eli Fox,School A,housing,sectoral,middle,yes")

    assert _error(people, ties).expected == "one of: " + ", ".join(LABELS[s] for s in SECTORS)


def test_it_accepts_a_sector_the_study_adds_to_the_list(small_study):
    people, ties = small_study
    replace_line(people, "p06,", "p06,Eli Fox,Homes,housing,sectoral,middle,yes")

    data = _study(people, ties, sectors=(*SECTORS, "housing"))

    assert data.people.loc["p06", "sector"] == "housing"


@pytest.mark.parametrize("column", ["sector", "layer"])
def test_it_names_a_blank_required_people_cell(small_study, column):
    people, ties = small_study
    cells = {"sector": "school_college", "layer": "sectoral", column: ""}
    row = replace_line(
        people, "p06,", f"p06,Eli Fox,School A,{cells['sector']},{cells['layer']},middle,yes"
    )

    error = _error(people, ties)

    _assert_at(error, people, row, column)
    assert "blank" in error.detail


@pytest.mark.parametrize("word", ["maybe", "ja", "2", ""])
def test_it_names_a_responded_cell_that_is_not_yes_or_no(small_study, word):
    people, ties = small_study
    row = replace_line(
        people, "p04,", f"p04,Dee Ng,Council,local_authority,sectoral,frontline,{word}"
    )

    error = _error(people, ties)

    _assert_at(error, people, row, "responded")
    if word:
        assert f"{word!r} is not yes or no" in error.detail
        assert error.expected == "yes/no, true/false or 1/0"
    else:
        assert "blank" in error.detail


def test_it_keeps_extra_people_columns_as_attributes(small_study):
    people, ties = small_study
    lines = people.read_text(encoding="utf-8").splitlines()
    people.write_text(
        "\n".join([lines[0] + ",ward"] + [f"{line},w{i}" for i, line in enumerate(lines[1:])])
        + "\n",
        encoding="utf-8",
    )

    data = _study(people, ties)

    assert data.attributes == ("ward",)
    assert data.people.loc["p03", "ward"] == "w2"


# --- the ties file --------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["source", "target", "network"])
def test_it_names_a_missing_ties_column_at_row_1(small_study, column):
    people, ties = small_study
    drop_column(ties, column)

    error = _error(people, ties)

    assert (error.file, error.row) == (str(ties), 1)
    assert f"missing column '{column}'" in error.detail
    assert error.expected == "a header with source, target, network"


def test_it_names_the_row_of_a_self_tie(small_study):
    people, ties = small_study
    row = replace_line(ties, "p06,p07,work", "p06,p06,work,")

    error = _error(people, ties)

    _assert_at(error, ties, row, "target")
    assert "'p06' names themselves" in error.detail
    assert error.expected == "a tie to someone else"


def test_it_names_a_source_who_is_not_on_the_roster(small_study):
    people, ties = small_study
    row = replace_line(ties, "p03,p04,work", "p13,p04,work,")

    error = _error(people, ties)

    _assert_at(error, ties, row, "source")
    assert "'p13' is not on the roster" in error.detail
    assert error.expected == "the id of a person in the people file"


def test_it_names_a_source_marked_as_not_having_responded(small_study):
    people, ties = small_study
    row = append_line(ties, "p08,p07,work,")

    error = _error(people, ties)

    _assert_at(error, ties, row, "source")
    assert "'p08'" in error.detail
    assert "not having responded" in error.detail


def test_it_names_the_row_of_a_duplicate_tie_and_the_row_it_repeats(small_study):
    people, ties = small_study
    row = append_line(ties, "p05,p09,innovation,3")

    error = _error(people, ties)

    _assert_at(error, ties, row, "target")  # the person named twice
    assert "'p05' already named 'p09' in the innovation network in row 13" in error.detail
    assert error.expected == "each tie once per network"


@pytest.mark.parametrize("weight", ["heavy", "0", "-1", "nan", "inf", "1,5", "two"])
def test_it_names_a_weight_that_is_not_a_positive_number(small_study, weight):
    people, ties = small_study
    row = replace_line(ties, "p06,p07,work", f'p06,p07,work,"{weight}"')

    error = _error(people, ties)

    _assert_at(error, ties, row, "weight")
    assert f"weight {weight!r} is not a positive number" in error.detail
    assert error.expected == "a number above 0, or blank for 1"


def test_it_reads_a_decimal_weight(small_study):
    people, ties = small_study
    replace_line(ties, "p06,p07,work", "p06,p07,work, 0.5 ")

    ties_frame = _study(people, ties).ties

    tie = (ties_frame["source"] == "p06") & (ties_frame["target"] == "p07")
    assert ties_frame.loc[tie, "weight"].tolist() == [0.5]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("inovation", "innovation"),
        ("socail", "social"),
        ("wrok", "work"),
        ("Work", "work"),
        ("decisions", "decision"),
    ],
)
def test_it_names_a_network_with_a_typo_and_suggests_the_known_one(small_study, typo, meant):
    people, ties = small_study
    row = replace_line(ties, "p11,p12,innovation", f"p11,p12,{typo},2")

    error = _error(people, ties)

    _assert_at(error, ties, row, "network")
    assert f"unknown network {typo!r}: did you mean {meant!r}?" in error.detail
    assert error.expected.startswith("one of work, social, innovation")


def test_it_refuses_a_network_outside_a_fixed_list(small_study):
    people, ties = small_study

    error = _error(people, ties, networks=("work", "innovation"))

    _assert_at(error, ties, 17, "network")  # the first expert tie
    assert "unknown network 'expert'" in error.detail
    assert error.expected == "one of work, innovation"


def test_a_fixed_network_list_is_reported_even_where_it_has_no_ties(small_study):
    data = _study(*small_study, networks=("work", "innovation", "expert", "decision"))

    assert data.networks == ("work", "innovation", "expert", "decision")


@pytest.mark.parametrize("column", ["source", "target", "network"])
def test_it_names_a_blank_cell_in_a_tie(small_study, column):
    people, ties = small_study
    cells = {"source": "p05", "target": "p06", "network": "work", column: ""}
    row = replace_line(
        ties, "p05,p06,work", f"{cells['source']},{cells['target']},{cells['network']},"
    )

    error = _error(people, ties)

    _assert_at(error, ties, row, column)
    assert "blank" in error.detail


def test_it_counts_rows_past_blank_lines(small_study):
    people, ties = small_study
    text = people.read_text(encoding="utf-8")
    people.write_text(
        text + "\n\n" + "p01,Ann Again,Council,local_authority,systemic,,yes\n", encoding="utf-8"
    )

    _assert_at(_error(people, ties), people, 16, "id")


def test_it_names_the_sheet_row_of_a_duplicate_id_in_xlsx(small_study, tmp_path):
    path = tmp_path / "people.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "name", "organisation", "sector", "layer", "seniority", "responded"])
    book.active.append(["p01", "Ann", "Council", "health", "systemic", None, "yes"])
    book.active.append(["p02", "Bo", "Council", "health", "systemic", None, True])
    book.active.append(["p01", "Cy", "Council", "health", "systemic", None, "no"])
    book.save(path)

    with pytest.raises(InputError) as caught:
        _study(path, small_study[1])

    _assert_at(caught.value, path, 4, "id")


# --- every problem of a roster at once (roster_problems) ------------------------------------------


def _where(problems: list[InputError]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in problems]


def test_a_valid_roster_has_no_problems(small_study):
    assert roster_problems(read_table(small_study[0])) == []


def test_it_lists_every_problem_of_a_roster_by_row_and_column(small_study):
    people, _ = small_study
    replace_line(people, "p03,", "p03,Cal Ode,Council,housing,sectoral,boss,maybe")
    replace_line(people, "p07,", "p02,Fay Gu,School B,school_college,,frontline,yes")
    replace_line(people, "p12,", ",Kai Lo,Trust,voluntary_community,sectoral,,")

    problems = roster_problems(read_table(people))

    assert _where(problems) == [
        (4, "sector"),
        (4, "seniority"),
        (4, "responded"),
        (8, "id"),
        (8, "layer"),
        (13, "id"),
        (13, "responded"),
    ]
    assert all(p.file == str(people) and p.expected for p in problems if p.column != "id")
    assert "'p02' is already used in row 3" in problems[3].detail


def test_people_from_table_raises_the_first_problem_roster_problems_lists(small_study):
    people, ties = small_study
    replace_line(people, "p05,", "p05,Zoë Ångström,School A,school_college,top,boss,yes")
    replace_line(people, "p09,", "p09,Hal Ivy,Trust,housing,systemic,senior,yes")

    first = roster_problems(read_table(people))[0]

    assert str(_error(people, ties)) == str(first)
    assert (first.row, first.column) == (6, "layer")


def test_it_reports_a_blank_sector_once_as_blank(small_study):
    people, _ = small_study
    replace_line(people, "p06,", "p06,Eli Fox,School A,,sectoral,middle,yes")

    problems = roster_problems(read_table(people))

    assert _where(problems) == [(7, "sector")]
    assert "blank" in problems[0].detail


def test_it_judges_sectors_against_the_list_given(small_study):
    people, _ = small_study
    replace_line(people, "p06,", "p06,Eli Fox,Homes,housing,sectoral,middle,yes")

    assert roster_problems(read_table(people), sectors=(*SECTORS, "housing")) == []
    assert roster_problems(read_table(people))[0].expected.startswith("one of: Local authority,")


def test_a_missing_column_is_the_only_problem_listed(small_study):
    people, _ = small_study
    drop_column(people, "layer")

    problems = roster_problems(read_table(people))

    assert _where(problems) == [(1, "layer")]


def test_without_responded_the_column_may_be_missing_and_is_not_read(small_study):
    people, _ = small_study
    drop_column(people, "responded")

    assert roster_problems(read_table(people), responded=False) == []
    assert _where(roster_problems(read_table(people))) == [(1, "responded")]


def test_without_responded_a_bad_responded_cell_is_ignored(small_study):
    people, _ = small_study
    replace_line(people, "p04,", "p04,Dee Ng,Council,local_authority,sectoral,frontline,maybe")

    assert roster_problems(read_table(people), responded=False) == []


def test_it_reads_an_uploaded_file_from_bytes_by_its_name(small_study, tmp_path):
    people, _ = small_study
    path = tmp_path / "people.xlsx"
    book = openpyxl.Workbook()
    for line in csv.reader(people.read_text(encoding="utf-8").splitlines()):
        book.active.append(line)
    book.save(path)

    from_csv = read_table_bytes(people.read_bytes(), "roster.csv")
    from_xlsx = read_table_bytes(path.read_bytes(), "roster.xlsx")

    assert from_csv.file == "roster.csv" and from_xlsx.file == "roster.xlsx"
    assert from_csv.rows == from_xlsx.rows == read_table(people).rows


def test_it_names_an_upload_that_is_not_a_workbook():
    with pytest.raises(InputError) as caught:
        read_table_bytes(b"id,name\n", "roster.xlsx")

    assert caught.value.file == "roster.xlsx"
    assert "not a readable XLSX workbook" in caught.value.detail


# --- headers in any case, and labels for codes (roster_table) --------------------------------------

SPREADSHEET = (
    " ID ;Full Name;Organisation name;SECTOR;Layer;seniority;E-mail;Responded;Ward\n"
    "p1;Ann Lee;Council;Local authority;Systemic;Senior;ann@example.org;yes;North\n"
    "p2;Bo Ray;Clinic;HEALTH;frontline;MIDDLE;;no;\n"
    "p3;Cy Dunn;Tenants;Residents\u2019 groups;Public;resident;;no;South\n"
    "p4;Di Fox;School;school_college;sectoral;;;no;\n"
)


def test_headers_are_read_in_any_case_and_by_their_synonyms():
    table = roster_table(read_table_bytes(SPREADSHEET.encode(), "roster.csv"))

    assert table.columns == (
        "id", "name", "organisation", "sector", "layer", "seniority", "email", "responded", "Ward",
    )  # fmt: skip
    assert table.rows[0][1]["name"] == "Ann Lee" and table.rows[0][1]["Ward"] == "North"


def test_sectors_layers_and_seniorities_are_read_by_label_or_code_in_any_case():
    table = roster_table(read_table_bytes(SPREADSHEET.encode(), "roster.csv"))

    assert [(c["sector"], c["layer"], c["seniority"]) for _, c in table.rows] == [
        ("local_authority", "systemic", "senior"),
        ("health", "frontline", "middle"),
        ("resident_group", "public", "resident"),
        ("school_college", "sectoral", ""),
    ]


def test_a_roster_in_labels_and_capitals_is_a_valid_roster_for_the_cli_too():
    people = people_from_table(read_table_bytes(SPREADSHEET.encode(), "roster.csv"))

    assert people.loc["p3", "sector"] == "resident_group"
    assert list(people["responded"]) == [True, False, False, False]


def test_a_word_that_names_no_choice_is_refused_with_the_labels_expected():
    text = SPREADSHEET.replace("HEALTH", "Housing")

    problems = roster_problems(read_table_bytes(text.encode(), "roster.csv"))

    assert [(p.row, p.column, p.detail) for p in problems] == [
        (3, "sector", "unknown sector 'Housing'")
    ]
    assert problems[0].expected == (
        "one of: Local authority, Schools and colleges, Health, Police and justice, "
        "Voluntary and community sector, Business, University, Funders, Residents' groups, Other"
    )


def test_two_columns_that_mean_one_are_refused_at_row_1():
    text = "id,Name,name,sector,layer,organisation,seniority\np1,A,B,health,public,,\n"

    problems = roster_problems(read_table_bytes(text.encode(), "roster.csv"))

    assert [(p.row, p.column, p.detail) for p in problems] == [
        (1, "name", "columns 'Name' and 'name' both mean 'name'")
    ]
