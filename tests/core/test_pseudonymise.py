"""A viewer's copy of a result re-identifies no one: the re-identification check.

For every person, the people sharing the combination of everything a viewer sees about them
(all of their record but the pseudonym and their network position) number at least five; no
roster name, organisation or title is left anywhere; nothing per person says who answered.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import study_files

import placelab
from placelab.core.pseudonymise import (
    pseudonym_map,
    result_pseudonyms,
    shown_attributes,
    viewer_analysis,
)
from placelab.core.vocabulary import LAYERS, SECTORS, SENIORITIES

EXAMPLES = Path(__file__).parents[2] / "examples"
# Per person, what depends on who named whom (a tie points from the person who answered).
ANSWERING = {"responded", "in_degree", "out_degree", "in_strength", "out_strength", "pagerank"}


def crowd_sizes(result: dict) -> dict[str, int]:
    """For each person, how many people show exactly what they show, network position aside.

    What they show is their record but its pseudonym and measures, and the map region their
    place in the sector template falls in (a map shows their sector by where it draws them).
    """
    seen = {
        p["id"]: json.dumps({k: v for k, v in p.items() if k not in ("id", "name", "networks")})
        + str(region_of(result.get("layout"), p["id"]))
        for p in result["people"]
    }
    counts = Counter(seen.values())
    return {person: counts[profile] for person, profile in seen.items()}


def region_of(layout: dict | None, person: str) -> str | None:
    if layout is None:
        return None
    x, y = layout["positions"][person]
    slack = 0.2  # stored places are rounded to 0.1; regions lie 8 apart
    for region in layout["regions"]:
        if (-slack <= x - region["x"] <= region["width"] + slack
                and -slack <= y - region["y"] <= region["height"] + slack):  # fmt: skip
            return region["key"]
    raise AssertionError(f"{person} is drawn outside every region")


def roster(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def viewer_copy(people_csv: Path, ties_csv: Path, *, by_id: bool = False) -> tuple[list, dict]:
    """The command line's way: pseudonyms from the result itself, within its fingerprint; or,
    ``by_id``, the same for any files with the same roster."""
    result = placelab.load(people_csv, ties_csv).to_dict()
    if by_id:
        names = pseudonym_map([(p["id"], "") for p in result["people"]], secret="s", scope="1")
    else:
        names = result_pseudonyms(result, secret="a secret of the test")
    return roster(people_csv), viewer_analysis(result, None, names)["result"]


@pytest.fixture(scope="module")
def demo() -> tuple[list[dict], dict, dict]:
    rows, viewer = viewer_copy(EXAMPLES / "people.csv", EXAMPLES / "ties.csv")
    full = placelab.load(EXAMPLES / "people.csv", EXAMPLES / "ties.csv").to_dict()
    return rows, viewer, full


def test_everyone_in_the_demo_shares_what_a_viewer_sees_with_four_others(demo):
    rows, viewer, _full = demo
    assert "layout" in viewer  # the check covers the map region too
    sizes = crowd_sizes(viewer)
    assert len(sizes) == len(rows) == 137
    assert min(sizes.values()) >= 5


def test_the_demo_as_stored_would_fail_the_same_check(demo):
    """The check can fail: the roster's own columns single out most of the demo's people."""
    rows, _viewer, _full = demo
    profiles = Counter((r["organisation"], r["role_title"]) for r in rows)
    assert sum(profiles[(r["organisation"], r["role_title"])] == 1 for r in rows) == 57


def test_no_roster_name_organisation_or_title_is_left_in_the_demo(demo):
    rows, viewer, _full = demo
    text = json.dumps(viewer, ensure_ascii=False)
    for row in rows:
        for column in ("id", "name", "organisation", "role_title"):
            assert f'"{row[column]}"' not in text, (column, row[column])
            if column != "id":
                assert row[column] not in text, (column, row[column])


def test_nothing_per_person_says_who_answered(demo):
    _rows, viewer, _full = demo
    for person in viewer["people"]:
        assert set(person) == {"id", "name", "sector", "layer", "seniority", "networks"}
        for measures in person["networks"].values():
            assert not ANSWERING & set(measures)
            assert "brokerage" not in measures
    assert all(set(o) <= {"name", "named_by", "networks"} for o in viewer["outsiders"])


def test_the_social_capital_reports_show_viewers_counts_not_people(demo):
    rows, viewer, full = demo
    shown, stored = viewer["social_capital"], full["social_capital"]
    assert shown["parameters"] == stored["parameters"]
    for key, category in stored["categories"].items():
        seen = shown["categories"][key]
        assert "people" not in seen and seen["count"] == len(category["people"]) > 0
        assert {k: v for k, v in seen.items() if k != "count"} == {
            k: v for k, v in category.items() if k != "people"
        }
    text = json.dumps(shown, ensure_ascii=False)
    assert "Person " not in text
    assert not any(f'"{row["id"]}"' in text or row["name"] in text for row in rows)


def test_people_are_listed_in_pseudonym_order_not_roster_order(demo):
    _rows, viewer, _full = demo
    numbers = [int(p["id"].removeprefix("Person ")) for p in viewer["people"]]
    assert numbers == sorted(numbers) == list(range(1, 138))


def test_symmetrised_measures_are_kept_as_computed(demo):
    _rows, viewer, full = demo
    names = {p["id"]: None for p in full["people"]}
    assert len(names) == len(viewer["people"])
    full_degrees = sorted(p["networks"]["work"]["degree"] for p in full["people"])
    assert sorted(p["networks"]["work"]["degree"] for p in viewer["people"]) == full_degrees


SMALL_SECTORS = ("business", "funder", "university", "other")  # 4, 2, 2 and 2 in the demo


def test_small_sectors_are_merged_into_other_sectors_in_every_table(demo):
    """Business 4, funders 2, university 2 and 'other' 2 make one group of 10 (hand count),
    under the maps' key for it."""
    _rows, viewer, _full = demo
    mixing = viewer["networks"]["work"]["mixing"]["sector"]
    groups = {row["group"]: row for row in mixing["groups"]}
    assert set(groups) == set(mixing["ties"]) == {
        "local_authority", "school_college", "health", "police_justice",
        "voluntary_community", "resident_group", "other_sectors",
    }  # fmt: skip
    assert groups["other_sectors"]["people"] == 10
    for makeup in viewer["networks"]["work"]["communities"]["makeup"].values():
        assert not set(makeup) & set(SMALL_SECTORS)
    sectors = Counter(p["sector"] for p in viewer["people"])
    assert min(sectors.values()) >= 5


def test_tables_by_sector_and_layer_count_pairs_as_networkx_does(demo):
    """Counted over directed ties, a table beside the undirected tie list would say who named
    whom; a viewer's tables count each pair once (NetworkX's Graph as the reference), by the
    sector and layer each person is shown with, so that they tell nothing the records do not."""
    _rows, viewer, full = demo
    ids = {p["id"] for p in full["people"]}
    stored = nx.Graph()
    stored.add_edges_from((s, t) for s, t, _w in full["ties"]["work"] if t in ids)
    graph = nx.Graph()
    graph.add_nodes_from(p["id"] for p in viewer["people"])
    graph.add_edges_from((a, b) for a, b, _w in viewer["ties"]["work"])
    assert graph.number_of_edges() == stored.number_of_edges()
    sector = {p["id"]: p["sector"] for p in viewer["people"]}
    matrix = viewer["networks"]["work"]["mixing"]["sector"]["ties"]
    expected = Counter(frozenset((sector[a], sector[b])) for a, b in graph.edges)
    for pair, count in expected.items():
        a, b = sorted(pair) * (3 - len(pair))
        assert matrix[a][b] == matrix[b][a] == count, (a, b)
    groups = {r["group"]: r for r in viewer["networks"]["work"]["mixing"]["sector"]["groups"]}
    isolates = Counter(sector[person] for person in nx.isolates(graph))
    assert {g: r["isolates"] for g, r in groups.items()} == {g: isolates[g] for g in groups}
    inside = sum(sector[a] == sector[b] == "school_college" for a, b in graph.edges)
    across = sum((sector[a] == "school_college") != (sector[b] == "school_college")
                 for a, b in graph.edges)  # fmt: skip
    assert groups["school_college"]["internal_ties"] == inside
    assert groups["school_college"]["ei_index"] == pytest.approx(
        (across - inside) / (across + inside)
    )
    layer = {p["id"]: p["layer"] for p in viewer["people"]}
    links = {(r["from_layer"], r["to_layer"]): r for r in viewer["networks"]["work"]["layer_links"]}
    between = sum({layer[a], layer[b]} == {"systemic", "sectoral"} for a, b in graph.edges)
    size = Counter(layer.values())
    layer_rows = viewer["networks"]["work"]["mixing"]["layer"]["groups"]
    assert {r["group"]: r["people"] for r in layer_rows} == size
    assert links[("systemic", "sectoral")]["ties"] == between
    assert links[("systemic", "sectoral")]["density"] == pytest.approx(
        between / (size["systemic"] * size["sectoral"])
    )
    assert all("other" not in (r["from_layer"], r["to_layer"]) for r in links.values())


def test_the_core_groups_closure_counts_pairs_as_networkx_does(demo):
    """Directed, the demo's core has density 1: every member named every other, so all of them
    answered. A viewer gets the density of pairs (NetworkX's undirected density)."""
    _rows, viewer, full = demo
    assert full["core_group"]["closure"]["internal_density"] == 1.0
    people = {p["id"] for p in full["people"]}
    graph = nx.Graph()
    graph.add_nodes_from(people)
    for ties in full["ties"].values():
        graph.add_edges_from((s, t) for s, t, _w in ties if t in people)
    core = full["core_group"]["members"]
    closure = viewer["core_group"]["closure"]
    assert closure["internal_density"] == pytest.approx(nx.density(graph.subgraph(core)))
    boundary = sum((a in core) != (b in core) for a, b in graph.edges)
    assert closure["boundary_density"] == pytest.approx(
        boundary / (len(core) * (len(people) - len(core)))
    )


def test_a_result_stored_without_its_ties_shows_no_counts_by_direction(demo):
    """Old results kept only directed counts: a viewer gets no table of them to set beside."""
    _rows, _viewer, full = demo
    old = {key: value for key, value in full.items() if key not in ("ties", "layout")}
    viewer = viewer_analysis(old, None, {p["id"]: p["id"] for p in full["people"]})["result"]
    work = viewer["networks"]["work"]
    assert work["mixing"] == {} and work["layer_links"] == []
    assert viewer["core_group"]["closure"]["internal_density"] is None
    assert "ties" not in viewer and "ties_directed" not in viewer
    assert min(crowd_sizes(viewer).values()) >= 5


def test_ties_are_given_once_per_pair_without_direction():
    stored = {
        "people": [{"id": i, "sector": "x", "networks": {}} for i in ("a", "b", "c")],
        "outsiders": [],
        "ties": {"work": [["a", "b", 2], ["b", "a", 4], ["c", "a", 1]]},
    }
    names = {"a": "Person 3", "b": "Person 1", "c": "Person 2"}
    viewer = viewer_analysis(stored, None, names)["result"]
    # The larger weight, so that a pair named both ways cannot be told by its weight.
    assert viewer["ties"] == {"work": [["Person 1", "Person 3", 4], ["Person 2", "Person 3", 1]]}
    assert viewer["ties_directed"] is False
    assert stored["ties"]["work"][0] == ["a", "b", 2]  # the stored result is unchanged


def test_the_diagnosis_loses_each_respondents_scores():
    diagnosis = {"respondents": [{"id": "p1", "scores": {}}], "findings": [{"text": "Ann"}]}
    shown = viewer_analysis(None, diagnosis, {"p1": "Person 1", "Ann": "Person 1"})
    assert shown["diagnosis"] == {"findings": [{"text": "Person 1"}]}


def test_someone_missing_from_the_map_still_gets_a_pseudonym():
    stored = {"people": [{"id": "p9", "networks": {}}], "outsiders": [{"name": "Dr Who"}]}
    viewer = viewer_analysis(stored, None, {"p1": "Person 1"})["result"]
    assert "p9" not in json.dumps(viewer) and "Dr Who" not in json.dumps(viewer)


def test_pseudonyms_are_stable_and_follow_no_roster_order():
    people = [(f"p{i:03}", f"Name {i}") for i in range(40)]
    first = pseudonym_map(people, secret="s", scope="7")
    assert first == pseudonym_map(list(reversed(people)), secret="s", scope="7")
    assert first != pseudonym_map(people, secret="s", scope="8")
    assert [first[key] for key, _ in people] != [f"Person {i}" for i in range(1, 41)]


@pytest.mark.parametrize(
    ("layers", "shown"),
    [
        # The demo's voluntary sector: 2 sectoral people hidden with 3 of the 25 frontline.
        ({"frontline": 25, "sectoral": 2}, {"frontline": 22, "other": 5}),
        # 6 frontline cannot spare 3 and keep 5: everyone's layer is hidden.
        ({"frontline": 6, "sectoral": 2}, {"other": 8}),
        # Hidden already number 5: nothing more to hide.
        ({"frontline": 9, "sectoral": 3, "public": 2}, {"frontline": 9, "other": 5}),
        ({"frontline": 5, "public": 5}, {"frontline": 5, "public": 5}),
    ],
)
def test_a_layer_is_hidden_for_as_few_people_as_five_need(layers, shown):
    people = [
        {"id": f"{layer}{i}", "sector": "health", "layer": layer}
        for layer, n in layers.items()
        for i in range(n)
    ]
    seen = shown_attributes(people, attributes=["sector", "layer"])
    assert Counter(a["layer"] for a in seen.values()) == shown


rosters = st.lists(
    st.fixed_dictionaries({
        "sector": st.sampled_from(SECTORS[:5]), "layer": st.sampled_from(LAYERS),
        "seniority": st.sampled_from([*SENIORITIES, None]),
    }),
    max_size=60,
)  # fmt: skip


@given(rosters)
def test_every_combination_shown_is_held_by_five(people):
    people = [{"id": str(i), **p} for i, p in enumerate(people)]
    shown = shown_attributes(people)
    counts = Counter(tuple(a.values()) for a in shown.values())
    if len(people) >= 5:
        assert min(counts.values(), default=5) >= 5
    for person in people:  # a value is shown as it is, or as "other"
        for attribute, value in shown[person["id"]].items():
            assert value in (person[attribute] or "unknown", "other", "other_sectors")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study_files())
def test_generated_studies_pass_the_re_identification_check(study):
    with tempfile.TemporaryDirectory() as folder:
        people_csv, ties_csv = Path(folder, "people.csv"), Path(folder, "ties.csv")
        people_csv.write_text(study[0], encoding="utf-8")
        ties_csv.write_text(study[1], encoding="utf-8")
        rows, viewer = viewer_copy(people_csv, ties_csv)
    assert min(crowd_sizes(viewer).values()) >= 5
    text = json.dumps(viewer)
    assert not any(r["name"] in text or r["organisation"] in text for r in rows)
    assert not any(r["role_title"] in text for r in rows)


@st.composite
def two_orientations(draw) -> list[tuple[str, str]]:
    """Two (people.csv, ties.csv): the same pairs, with the same weights, named by different
    people; the people who named someone are the ones who answered."""
    n = draw(st.integers(5, 14))
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1]),
            min_size=1,
            max_size=2 * n,
        )
    )
    weights = {pair: draw(st.integers(1, 5)) for pair in sorted(pairs)}
    ties = []
    for flips in (draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs))),
                  [True] * len(pairs)):  # fmt: skip
        ties.append([(b, a, weights[a, b]) if flip else (a, b, weights[a, b])
                     for (a, b), flip in zip(sorted(pairs), flips, strict=True)])  # fmt: skip
    people = ["id,name,organisation,sector,layer,seniority,responded"]
    sources = [{s for s, _t, _w in oriented} for oriented in ties]
    rows = [
        (i, draw(st.sampled_from(SECTORS[:2])), draw(st.sampled_from(LAYERS[:2]))) for i in range(n)
    ]
    texts = []
    for oriented, answered in zip(ties, sources, strict=True):
        roster = people + [
            f"p{i},N{i},O,{sector},{layer},senior,{'yes' if i in answered else 'no'}"
            for i, sector, layer in rows
        ]
        texts.append(
            (
                "\n".join(roster) + "\n",
                "source,target,network,weight\n"
                + "".join(f"p{s},p{t},work,{w}\n" for s, t, w in oriented),
            )
        )
    return texts


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_orientations())
def test_who_named_whom_changes_nothing_a_viewer_sees_of_a_person(studies_pair):
    """The same pairs, named by different people (so different people answered): each person's
    record, the ties and the tables by group read the same to a viewer."""
    seen = []
    for people_text, ties_text in studies_pair:
        with tempfile.TemporaryDirectory() as folder:
            people_csv, ties_csv = Path(folder, "people.csv"), Path(folder, "ties.csv")
            people_csv.write_text(people_text, encoding="utf-8")
            ties_csv.write_text(ties_text, encoding="utf-8")
            _rows, viewer = viewer_copy(people_csv, ties_csv, by_id=True)
        work = viewer["networks"]["work"]
        seen.append(
            {
                "people": [
                    {**p, "networks": {k: {m: pytest.approx(v) if isinstance(v, float) else v
                                           for m, v in measures.items()}
                                       for k, measures in p["networks"].items()}}
                    for p in viewer["people"]
                ],
                "ties": viewer["ties"],
                "mixing": work["mixing"],
                "layer_links": work["layer_links"],
            }
        )  # fmt: skip
    assert seen[0] == seen[1]


def test_borderline_key_connectors_are_listed_in_pseudonym_order_not_roster_order():
    # Estimated scores (large studies) mark some roles borderline; their lists, stored in
    # roster order, must say no more about the roster than the key connectors' lists do.
    result = placelab.load(EXAMPLES / "people.csv", EXAMPLES / "ties.csv").to_dict()
    ids = [p["id"] for p in result["people"]]
    result["networks"]["work"]["key_connectors_borderline"] = {"gatekeeper": ids[:40]}
    names = result_pseudonyms(result, secret="a secret of the test")
    shown = viewer_analysis(result, None, names)["result"]["networks"]["work"]
    listed = shown["key_connectors_borderline"]["gatekeeper"]
    numbers = [int(p.removeprefix("Person ")) for p in listed]
    assert numbers == sorted(numbers) and len(numbers) == 40
    assert numbers != [int(names[i].removeprefix("Person ")) for i in ids[:40]]
