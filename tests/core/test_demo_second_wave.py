"""The demo's second wave: the same locality a year later, its voluntary sector nearer the core.

Issue 13: "The demo gains a second answered wave in which the voluntary sector has moved closer to
the core, and the comparison finds it." These tests hold the second wave to that story through
placelab's own analysis (group mixing by sector), with the reach to the core counted again by
hand from the tie lists, and keep ``examples/wave2`` in step with the generator.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import placelab
from placelab.core import demo
from placelab.core.vocabulary import NETWORKS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VOLUNTARY = "voluntary_community"
# Sectors large enough (19-36 people) for their reach to the core to be read on its own.
STEADY_SECTORS = ("local_authority", "school_college", "resident_group")


@pytest.fixture(scope="module")
def first() -> tuple[pd.DataFrame, pd.DataFrame]:
    return demo.generate_locality()


@pytest.fixture(scope="module")
def second(first) -> tuple[pd.DataFrame, pd.DataFrame]:
    return demo.generate_second_wave(*first)


@pytest.fixture(scope="module")
def studies(first, second, tmp_path_factory) -> dict[str, placelab.Study]:
    folder = tmp_path_factory.mktemp("waves")
    loaded = {}
    for name, (people, ties) in {"wave1": first, "wave2": second}.items():
        people_path, ties_path = demo.write_locality(folder / name, people, ties)
        loaded[name] = placelab.load(people_path, ties_path)
    return loaded


def _by_sector(study: placelab.Study) -> pd.DataFrame:
    mixing = study.networks.group_mixing
    chosen = (mixing["grouping"] == "sector") & (mixing["network"] == "all")
    return mixing[chosen].set_index("group")


def _reach_by_hand(people: pd.DataFrame, ties: pd.DataFrame, core: list[str]) -> float:
    """The voluntary sector's share of tie ends that reach the core, counted from the tie list:
    any network's tie counts once per ordered pair, core members' own ends are left out."""
    sector = people.set_index("id")["sector"]
    pairs = ties[ties["target"].isin(sector.index)][["source", "target"]].drop_duplicates()
    ends = to_core = 0
    for mine, other in (("source", "target"), ("target", "source")):
        outer = (pairs[mine].map(sector) == VOLUNTARY) & ~pairs[mine].isin(core)
        ends += int(outer.sum())
        to_core += int((outer & pairs[other].isin(core)).sum())
    return to_core / ends


# --- the files ---------------------------------------------------------------------------------


def test_the_example_files_are_what_the_generator_makes(second, tmp_path):
    demo.write_second_wave(tmp_path, *second)
    for name in ("people.csv", "ties.csv", "answers.csv"):
        written = (tmp_path / name).read_bytes()
        assert written == (EXAMPLES / "wave2" / name).read_bytes(), name


def test_the_command_writes_both_waves(tmp_path, capsys):
    assert demo.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "137 people (92 responded" in printed
    assert "136 people (95 responded, 70%)" in printed
    assert sorted(p.name for p in (tmp_path / "wave2").iterdir()) == [
        "answers.csv",
        "people.csv",
        "ties.csv",
    ]


def test_the_second_wave_passes_placelabs_checks():
    data = placelab.read_study(EXAMPLES / "wave2" / "people.csv", EXAMPLES / "wave2" / "ties.csv")
    assert len(data.people) == 136
    assert int(data.people["responded"].sum()) == 95
    assert data.networks == NETWORKS
    assert 5 <= len(data.outside_ties) <= 8
    answers = pd.read_csv(EXAMPLES / "wave2" / "answers.csv", dtype=str)
    assert set(answers["respondent"]) == set(data.people.index[data.people["responded"]])


def test_same_seed_same_wave_and_another_seed_another(first, second):
    again = demo.generate_second_wave(*first)
    pd.testing.assert_frame_equal(again[0], second[0])
    pd.testing.assert_frame_equal(again[1], second[1])
    other = demo.generate_second_wave(*first, seed=1)
    assert not other[1].equals(second[1])


# --- the same place, a year on ----------------------------------------------------------------


def test_a_few_people_left_and_a_few_joined_in_their_posts(first, second):
    before, after = first[0].set_index("id"), second[0].set_index("id")
    gone = before.index.difference(after.index)
    new = after.index.difference(before.index)
    assert len(gone) == demo.LEAVERS and list(new) == ["p138", "p139", "p140", "p141", "p142"]
    # Each newcomer holds a leaver's post, in their first year, under a name not used before.
    posts = set(zip(before.loc[gone, "organisation"], before.loc[gone, "role_title"], strict=True))
    assert set(zip(after.loc[new, "organisation"], after.loc[new, "role_title"], strict=True)) <= (
        posts
    )
    assert (after.loc[new, "years_in_post"] == 1).all()
    assert not set(after.loc[new, "name"]) & set(before["name"])
    # The rest of the roster is as it was.
    stayed = after.index.intersection(before.index)
    columns = ["name", "organisation", "sector", "layer", "seniority", "role_title"]
    pd.testing.assert_frame_equal(after.loc[stayed, columns], before.loc[stayed, columns])


def test_most_ties_are_kept_and_most_respondents_answer_again(first, second):
    key = ["source", "target", "network"]
    kept = first[1].merge(second[1], on=key)
    assert 0.5 <= len(kept) / len(first[1]) <= 0.7
    assert abs(len(second[1]) / len(first[1]) - 1) < 0.1
    answered = [set(p.loc[p["responded"] == "yes", "id"]) for p, _ in (first, second)]
    assert len(answered[0] & answered[1]) / len(answered[0]) > 0.8


def test_the_core_group_is_the_same(studies):
    members = [s.networks.core["members"] for s in studies.values()]
    assert members[0] == members[1]


def test_the_voluntary_sector_reaches_the_core_much_more(studies):
    reach = {name: _by_sector(study).at[VOLUNTARY, "reach_core"] for name, study in studies.items()}
    # Wave 1: 28 of 455 tie ends (0.06), the pilot's voluntary sector at the edge; wave 2: 0.17.
    assert reach["wave1"] < 0.08
    assert reach["wave2"] > 2 * reach["wave1"] and reach["wave2"] - reach["wave1"] > 0.08


def test_the_reach_agrees_with_a_count_by_hand(first, second, studies):
    for (people, ties), study in zip((first, second), studies.values(), strict=True):
        core = study.networks.core["members"]
        expected = _reach_by_hand(people, ties, core)
        assert _by_sector(study).at[VOLUNTARY, "reach_core"] == pytest.approx(expected)


def test_the_voluntary_sectors_ties_turn_outwards(studies):
    ei = {name: _by_sector(study).at[VOLUNTARY, "ei_index"] for name, study in studies.items()}
    assert ei["wave2"] - ei["wave1"] > 0.05


def test_the_other_sectors_change_only_a_little(studies):
    columns = ["reach_core", "ei_index"]
    sectors = [_by_sector(s).loc[list(STEADY_SECTORS), columns] for s in studies.values()]
    change = (sectors[1] - sectors[0]).abs()
    assert (change < 0.05).all().all(), change
