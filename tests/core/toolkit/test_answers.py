"""Reading answers files: both layouts, "don't know", and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from placelab.core.errors import InputError
from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit import read_answers

PEOPLE = """\
id,name,organisation,sector,layer,seniority,responded
p01,Ann,Council,local_authority,systemic,senior,yes
p02,Bea,Council,local_authority,sectoral,middle,yes
p03,Cal,Trust,voluntary_community,frontline,frontline,no
"""


def write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def people(tmp_path):
    return people_from_table(read_table(write(tmp_path, PEOPLE, "people.csv")))


def error_of(path: Path, bank, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        read_answers(path, bank, **kwargs)
    return caught.value


def test_long_and_wide_layouts_read_the_same(tmp_path, bank):
    long = write(tmp_path, "respondent,item,answer\np01,latent_pockets,4\np01,design_strategy,dk\n"
                 "p02,latent_pockets,2\np02,design_strategy,\n")  # fmt: skip
    wide = write(tmp_path, "respondent,latent_pockets,design_strategy\np01,4,DK\np02,2,\n", "w.csv")
    a, b = read_answers(long, bank), read_answers(wide, bank)
    assert a.values.equals(b.values) and a.dont_know.equals(b.dont_know)
    assert a.values.at["p01", "latent_pockets"] == 4 and np.isnan(
        a.values.at["p01", "design_strategy"]
    )
    assert a.dont_know.at["p01", "design_strategy"] and not a.dont_know.at["p02", "design_strategy"]
    assert a.rows == {"p01": 2, "p02": 4} and b.rows == {"p01": 2, "p02": 3}


@pytest.mark.parametrize("word", ["dk", "DK", "don't know", "Dont know", "don’t know"])
def test_dont_know_is_read_in_the_ways_people_write_it(tmp_path, bank, word):
    path = write(tmp_path, f'respondent,item,answer\np01,latent_pockets,"{word}"\n')
    assert read_answers(path, bank).dont_know.to_numpy().sum() == 1


def test_an_unknown_item_is_located_with_a_suggestion(tmp_path, bank):
    path = write(tmp_path, "respondent,item,answer\np01,latent_pockets,4\np01,latent_pocket,3\n")
    error = error_of(path, bank)
    assert (error.file, error.row, error.column) == (str(path), 3, "item")
    assert "did you mean 'latent_pockets'?" in str(error)


def test_an_unknown_column_in_the_wide_layout_is_located_in_the_header(tmp_path, bank):
    path = write(tmp_path, "respondent,latent_pockets,desing_strategy\np01,4,3\n")
    error = error_of(path, bank)
    assert (error.row, error.column) == (1, "desing_strategy")
    assert "did you mean 'design_strategy'?" in str(error)


@pytest.mark.parametrize("answer", ["6", "0", "3.5", "agree", "-1"])
def test_an_answer_off_the_scale_is_refused(tmp_path, bank, answer):
    path = write(
        tmp_path, f"respondent,item,answer\np01,latent_pockets,4\np02,latent_pockets,{answer}\n"
    )
    error = error_of(path, bank)
    assert (error.row, error.column) == (3, "answer")
    assert "1, 2, 3, 4 or 5, dk" in str(error)


def test_a_second_answer_to_the_same_item_is_refused(tmp_path, bank):
    path = write(tmp_path, "respondent,item,answer\np01,latent_pockets,4\np02,latent_pockets,3\n"
                 "p01,latent_pockets,5\n")  # fmt: skip
    error = error_of(path, bank)
    assert error.row == 4 and "in row 2" in str(error)


def test_a_respondent_twice_in_the_wide_layout_is_refused(tmp_path, bank):
    path = write(tmp_path, "respondent,latent_pockets\np01,4\np02,3\np01,\n")
    error = error_of(path, bank)
    assert (error.row, error.column) == (4, "respondent") and "row 2" in str(error)


def test_respondents_must_be_on_the_roster_and_have_responded(tmp_path, bank, people):
    outsider = write(
        tmp_path, "respondent,item,answer\np01,latent_pockets,4\np09,latent_pockets,3\n"
    )
    error = error_of(outsider, bank, people=people)
    assert (error.row, error.column) == (3, "respondent") and "'p09'" in str(error)
    silent = write(tmp_path, "respondent,item,answer\np03,latent_pockets,3\n", "s.csv")
    assert "not having responded" in str(error_of(silent, bank, people=people))


@pytest.mark.parametrize(
    "text, row, column",
    [
        ("respondent,answer\np01,4\n", 1, "item"),
        ("respondent,item,answer\n,latent_pockets,4\n", 2, "respondent"),
        ("respondent,item,answer\np01,,4\n", 2, "item"),
        ("who,latent_pockets\np01,4\n", 1, None),
    ],
    ids=["no item column", "blank respondent", "blank item", "no respondent column"],
)
def test_malformed_files_are_located(tmp_path, bank, text, row, column):
    error = error_of(write(tmp_path, text), bank)
    assert (error.row, error.column) == (row, column)


def test_answers_to_a_switched_off_group_are_ignored_and_counted(tmp_path, bank):
    path = write(tmp_path, "respondent,item,answer\np01,latent_pockets,4\n"
                 "p01,community_resources_banks,2\np01,community_motivation_pull,dk\n")  # fmt: skip
    answers = read_answers(path, bank.without_groups(["omr_community"]))
    assert answers.ignored == 2
    assert "community_resources_banks" not in answers.values.columns


def test_a_wide_spreadsheet_is_read_like_a_csv(tmp_path, bank):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["respondent", "latent_pockets", "design_strategy"])
    sheet.append(["p01", 4, "dk"])
    sheet.append(["p02", 2.0, None])
    book.save(tmp_path / "answers.xlsx")
    answers = read_answers(tmp_path / "answers.xlsx", bank)
    assert answers.values.at["p02", "latent_pockets"] == 2
    assert answers.dont_know.at["p01", "design_strategy"]
    sheet.append(["p03", 9, 1])
    book.save(tmp_path / "answers.xlsx")
    error = error_of(tmp_path / "answers.xlsx", bank)
    assert (error.row, error.column) == (4, "latent_pockets")
