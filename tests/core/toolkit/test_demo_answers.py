"""The demo's answers: reproducible from the seed, valid, one set per respondent."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit import read_answers
from placelab.core.toolkit.demo_answers import generate_answers, main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_the_sample_answers_file_is_what_the_seeded_generator_writes(tmp_path):
    (tmp_path / "people.csv").write_bytes((EXAMPLES / "people.csv").read_bytes())
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / "answers.csv").read_bytes() == (EXAMPLES / "answers.csv").read_bytes()


def test_every_respondent_who_answered_the_survey_has_answers(bank):
    people = people_from_table(read_table(EXAMPLES / "people.csv"))
    answers = read_answers(EXAMPLES / "answers.csv", bank, people=people)
    assert set(answers.respondents) == set(people.index[people["responded"]])
    assert len(answers.respondents) == 92
    assert 0 < answers.dont_know.to_numpy().mean() < 0.15


def test_another_seed_gives_other_answers(bank):
    people = people_from_table(read_table(EXAMPLES / "people.csv"))
    a, b = generate_answers(people, bank, seed=1), generate_answers(people, bank, seed=2)
    assert not a.equals(b)
    assert isinstance(a, pd.DataFrame) and list(a.columns) == ["respondent", "item", "answer"]
