"""The demo locality: deterministic, valid as files, telling the pilot's story (Appendix C 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placelab.core import demo
from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS
from placelab.core.io.tables import read_table
from placelab.core.io.validate import study_from_tables
from placelab.core.vocabulary import LAYERS, NETWORKS, SECTORS, SENIORITIES

CORE_SECTORS = ("local_authority", "school_college")


@pytest.fixture(scope="module")
def pilot() -> tuple[pd.DataFrame, pd.DataFrame]:
    return demo.generate_locality()


@pytest.fixture(scope="module")
def large() -> tuple[pd.DataFrame, pd.DataFrame]:
    return demo.generate_large(1000, seed=1)


def _roster_ties(people: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """Ties between people on the roster, with both ends' attributes alongside."""
    roster = people.set_index("id")
    inside = ties[ties["target"].isin(roster.index)].astype({"source": str, "target": str})
    for end in ("source", "target"):
        for column in ("sector", "layer", "organisation"):
            inside = inside.assign(**{f"{end}_{column}": inside[end].map(roster[column]).values})
    return inside


def _highest_degree(ties: pd.DataFrame, k: int) -> list[str]:
    """The k people with most distinct partners, ties read both ways."""
    pairs = pd.DataFrame(np.sort(ties[["source", "target"]].to_numpy(), axis=1)).drop_duplicates()
    degree = pd.concat([pairs[0], pairs[1]]).value_counts()
    return list(degree.sort_values(ascending=False, kind="stable").index[:k])


# --- determinism and shape -------------------------------------------------------------------


def test_same_seed_gives_identical_frames(pilot):
    people, ties = demo.generate_locality()
    pd.testing.assert_frame_equal(people, pilot[0])
    pd.testing.assert_frame_equal(ties, pilot[1])


def test_different_seed_gives_a_different_locality(pilot):
    people, ties = demo.generate_locality(seed=2008)
    assert list(people["organisation"]) == list(pilot[0]["organisation"])  # same posts
    assert not people["name"].equals(pilot[0]["name"])
    assert not ties.equals(pilot[1])


def test_pilot_invites_137_and_92_respond(pilot):
    people, _ = pilot
    assert len(people) == 137
    assert (people["responded"] == "yes").sum() == 92
    assert set(people["responded"]) == {"yes", "no"}


def test_columns_and_vocabulary(pilot):
    people, ties = pilot
    assert list(people.columns) == [*PEOPLE_COLUMNS, *demo.EXTRA_COLUMNS]
    assert list(ties.columns) == list(TIE_COLUMNS)
    assert people["id"].is_unique and people["id"].is_monotonic_increasing
    assert set(people["sector"]) <= set(SECTORS)
    assert set(people["layer"]) == set(LAYERS)
    assert set(people["seniority"]) == set(SENIORITIES)
    assert {"health", "police_justice", "business"} <= set(people["sector"])
    assert people["name"].is_unique


def test_ties_obey_the_file_rules(pilot):
    people, ties = pilot
    respondents = set(people.loc[people["responded"] == "yes", "id"])
    assert set(ties["source"]) <= respondents
    assert not (ties["source"] == ties["target"]).any()
    assert not ties.duplicated(["source", "target", "network"]).any()
    assert set(ties["network"]) == set(NETWORKS)
    assert ties["weight"].between(1, 5).all()
    assert set(ties["weight"]) == {1, 2, 3, 4, 5}


def test_a_few_ties_name_people_off_the_roster(pilot):
    people, ties = pilot
    outside = ties[~ties["target"].isin(people["id"])]
    assert 5 <= len(outside) <= 8
    assert outside["target"].str.fullmatch(r"ext-\d\d").all()


def test_names_exercise_encoding(pilot):
    names = " ".join(pilot[0]["name"])
    assert "O'Neill" in names and "Zoë" in names


def test_other_sizes_scale_the_template():
    people, ties = demo.generate_locality(people=300, response_rate=0.5, seed=5)
    assert len(people) == 300
    assert (people["responded"] == "yes").sum() == 150
    assert set(ties["source"]) <= set(people.loc[people["responded"] == "yes", "id"])


@pytest.mark.parametrize(
    "arguments",
    [{"people": 1}, {"response_rate": 0.0}, {"response_rate": 1.5}, {"names_per_person": -1}],
)
def test_bad_arguments_are_refused(arguments):
    with pytest.raises(ValueError):
        demo.generate_locality(**arguments)


def test_allocate_keeps_the_total_and_proportions():
    counts = demo.allocate(np.array([10, 20, 30]), 7)
    assert counts.sum() == 7
    assert list(counts) == [1, 2, 4]
    assert list(demo.allocate(np.array([3, 5]), 8)) == [3, 5]


# --- the files load through placelab's own readers -------------------------------------------


def test_written_files_load_and_validate(pilot, tmp_path):
    people, ties = pilot
    people_path, ties_path = demo.write_locality(tmp_path / "out", people, ties)
    data = study_from_tables(read_table(people_path), read_table(ties_path))
    assert len(data.people) == 137
    assert int(data.people["responded"].sum()) == 92
    assert len(data.ties) + len(data.outside_ties) == len(ties)
    assert 5 <= len(data.outside_ties) <= 8
    assert data.networks == NETWORKS
    assert data.attributes == demo.EXTRA_COLUMNS
    assert data.people["name"].str.contains("Zoë").any()  # UTF-8 survived the round trip


def test_command_line_writes_the_demo(tmp_path, capsys):
    assert demo.main([str(tmp_path)]) == 0
    assert "137 people (92 responded" in capsys.readouterr().out
    written = pd.read_csv(tmp_path / "people.csv", encoding="utf-8", dtype=str)
    assert list(written["id"]) == list(demo.generate_locality()[0]["id"])
    assert (
        (tmp_path / "ties.csv")
        .read_text(encoding="utf-8")
        .startswith("source,target,network,weight\n")
    )


# --- the pilot's story, measured --------------------------------------------------------------


def test_council_and_schools_hold_the_innovation_network(pilot):
    ties = _roster_ties(*pilot)
    innovation = ties[ties["network"] == "innovation"]
    core = innovation["source_sector"].isin(CORE_SECTORS) & innovation["target_sector"].isin(
        CORE_SECTORS
    )
    voluntary = (innovation["source_sector"] == "voluntary_community") | (
        innovation["target_sector"] == "voluntary_community"
    )
    assert core.mean() > 0.5
    assert voluntary.mean() < 0.2
    assert core.mean() > 4 * voluntary.mean()


def test_a_core_group_of_officers_and_head_teachers_lead_all_seven_networks(pilot):
    people, ties = pilot
    roster = people.set_index("id")
    inside = ties[ties["target"].isin(roster.index)]
    leaders: set[str] = set()
    for network in NETWORKS:
        top = _highest_degree(inside[inside["network"] == network], 7)  # top 5% of 137
        assert roster.loc[top, "sector"].isin(CORE_SECTORS).all(), network
        leaders |= set(top)
    assert len(leaders) <= 10  # the same few people in every network
    assert roster.loc[list(leaders), "role_title"].isin(["Head Teacher", "Principal"]).sum() >= 2


def test_no_student_council_member_responded():
    for seed in (2007, 1, 2):
        people, ties = demo.generate_locality(seed=seed)
        council = people[people["organisation"] == "Borough Student Council"]
        assert len(council) == 10
        assert (council["responded"] == "no").all()
        assert set(council["layer"]) == {"public"}
        assert not ties["source"].isin(council["id"]).any()


def test_voluntary_groups_network_weakly_with_each_other(pilot):
    ties = _roster_ties(*pilot)
    voluntary = ties[ties["source_sector"] == "voluntary_community"]
    other_group = (voluntary["target_sector"] == "voluntary_community") & (
        voluntary["target_organisation"] != voluntary["source_organisation"]
    )
    to_core = voluntary["target_sector"].isin(CORE_SECTORS)
    assert other_group.mean() < 0.15
    assert other_group.sum() < to_core.sum() / 3


def test_the_public_is_poorly_tied_to_the_higher_layers(pilot):
    ties = _roster_ties(*pilot)
    higher = ("systemic", "sectoral")
    across = (ties["source_layer"].isin(higher) & (ties["target_layer"] == "public")) | (
        ties["target_layer"].isin(higher) & (ties["source_layer"] == "public")
    )
    within_higher = ties["source_layer"].isin(higher) & ties["target_layer"].isin(higher)
    assert across.mean() < 0.02
    assert within_higher.mean() > 10 * across.mean()


# --- large localities for benchmarks ----------------------------------------------------------


def test_large_locality_has_the_requested_size_and_names(large):
    people, ties = large
    assert len(people) == 1000
    assert list(people.columns) == [*PEOPLE_COLUMNS, *demo.EXTRA_COLUMNS]
    respondents = people["responded"] == "yes"
    assert respondents.sum() == 670
    per_network = ties.groupby("network", observed=True).size() / respondents.sum()
    assert len(per_network) == 7
    assert 7.0 <= per_network.mean() <= 8.5
    sizes = people["organisation"].value_counts()
    assert sizes.min() >= 20 and sizes.max() <= 220


def test_large_ties_obey_the_file_rules(large):
    people, ties = large
    source, target = ties["source"].astype(str), ties["target"].astype(str)
    assert set(source) <= set(people.loc[people["responded"] == "yes", "id"])
    assert set(target) <= set(people["id"])
    assert not (source == target).any()
    assert not pd.DataFrame({"s": source, "t": target, "n": ties["network"]}).duplicated().any()
    assert ties["weight"].between(1, 5).all()


def test_large_locality_keeps_the_core_and_edge(large):
    ties = _roster_ties(*large)
    innovation = ties[ties["network"] == "innovation"]
    core = innovation["source_sector"].isin(CORE_SECTORS) & innovation["target_sector"].isin(
        CORE_SECTORS
    )
    voluntary = (innovation["source_sector"] == "voluntary_community") | (
        innovation["target_sector"] == "voluntary_community"
    )
    assert core.mean() > 3 * voluntary.mean()
    people = large[0]
    councils = people["organisation"].str.startswith("Student Council")
    assert councils.any() and (people.loc[councils, "responded"] == "no").all()


def test_large_locality_is_deterministic_and_loads(large, tmp_path):
    people, ties = demo.generate_large(1000, seed=1)
    pd.testing.assert_frame_equal(people, large[0])
    pd.testing.assert_frame_equal(ties, large[1])
    paths = demo.write_locality(tmp_path, people, ties)
    data = study_from_tables(*(read_table(path) for path in paths))
    assert len(data.ties) == len(ties) and data.outside_ties.empty
