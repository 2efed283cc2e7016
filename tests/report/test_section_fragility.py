"""The report's section "If key people leave": the leavers and what their leaving does, in words
and numbers checked by hand and against NetworkX; too small a network said so; the map with
the leavers brought forward; a pseudonymised variant that names no one."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from report.reading import built_page, section_context
from report.reading import map_images as images
from report.reading import words as text

from placelab.core.demo import generate_locality, write_locality
from placelab.core.networks.parameters import Parameters
from placelab.core.study import load
from placelab.report.model import Section
from placelab.report.sections import fragility

# --- a study worked by hand --------------------------------------------------------------------
#
# Twelve people. Innovation: p02-p06 name p01, p08-p12 name p07, p01 and p07 name each other and
# p08 names p01 as well. p01 alone has the most ties, lies between the most people and reaches
# them best, so p01 is the one key connector (the top 5 per cent of 12 people, at least one):
# one leaves, of the five the method takes. Without p01, p02-p06 are alone and p07's six stay
# together: 6 of the 11 who remain (55%) are in the main group, 5 of the 11 others are cut off,
# and fragmentation goes from 0 to 1 - 6*5 / (11*10) = 73%.
# Work: a chain p01-p02-p03-p04-p05-p06. p02-p05 each have two ties, the most: four hubs leave,
# and p01 and p06, the two others in the chain, are left alone.
COUNCIL = [f"p{i:02d}" for i in range(1, 7)]
SCHOOLS = [f"p{i:02d}" for i in range(7, 13)]
NAMES = dict(zip(COUNCIL + SCHOOLS, ["Ann Lee", "Bea Kwan", "Cal Ode", "Dee Ng", "Eve Orr",
             "Fay Gu", "Gus Hay", "Hal Ivy", "Ida Joy", "Jo Kim", "Kai Lo", "Lea Moy"],
             strict=True))  # fmt: skip


def _write(folder) -> tuple:
    rows = ["id,name,organisation,sector,layer,seniority,responded"]
    for pid in COUNCIL + SCHOOLS:
        sector, org = (
            ("local_authority", "Council") if pid in COUNCIL else ("school_college", "School")
        )
        rows.append(f"{pid},{NAMES[pid]},{org},{sector},sectoral,middle,yes")
    ties = [(p, "p01") for p in COUNCIL[1:]] + [(p, "p07") for p in SCHOOLS[1:]]
    ties = [
        (a, b, "innovation") for a, b in [*ties, ("p01", "p07"), ("p07", "p01"), ("p08", "p01")]
    ]
    ties += [(a, b, "work") for a, b in zip(COUNCIL[:-1], COUNCIL[1:], strict=True)]
    (folder / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = ["source,target,network,weight", *(f"{a},{b},{n},1" for a, b, n in ties)]
    (folder / "ties.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "people.csv", folder / "ties.csv"


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> dict:
    paths = _write(tmp_path_factory.mktemp("hand"))
    study = load(*paths, networks=["work", "innovation"], parameters=Parameters(permutations=99))
    return study.to_dict()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    people, ties = generate_locality(people=137, seed=2007)
    return load(*write_locality(tmp_path_factory.mktemp("demo"), people, ties)).to_dict()


# --- building the section alone ------------------------------------------------------------------


def built(result: dict, pseudonyms: dict | None = None) -> Section:
    return fragility.build(section_context(result, pseudonyms))


def section_html(result: dict, pseudonyms: dict | None = None) -> str:
    return built_page(fragility.build, section_context(result, pseudonyms))


# --- the hand-worked study ---------------------------------------------------------------------


def test_the_innovation_network_comes_first_with_its_leavers(hand: dict) -> None:
    focus = built(hand).data["focus"]
    assert focus["key"] == "innovation"
    assert [(p["name"], p["organisation"]) for p in focus["leavers"]] == [("Ann Lee", "Council")]
    assert focus["leavers"][0]["roles"] == "hub, gatekeeper, pulsetaker"


def test_what_their_leaving_does_is_said_as_worked_by_hand(hand: dict) -> None:
    focus = built(hand).data["focus"]
    assert (focus["main_before"], focus["main_after"], focus["others"]) == (12, 6, 11)
    assert focus["cut_off"] == 5
    assert focus["headline"] == (
        "If this person left, about half of the others now in the main connected group would "
        "lose their route to the rest (5 of 11 people)."
    )
    assert focus["sentences"] == [
        "Today 100% of the 12 people are in the main connected group; after the departure, "
        "55% of the 11 who remain would be.",
        "Fragmentation would go from 0% to 73%, 73 points more.",
    ]
    assert focus["worst"]["name"] == "Ann Lee"
    assert focus["worst"]["after"] == pytest.approx(1 - 30 / 110)
    assert (
        "is Ann Lee: fragmentation would go from 0% to 73%, 73 points more"
        in (focus["worst"]["text"])
    )


def test_it_says_when_the_network_is_too_small_for_the_method(hand: dict) -> None:
    focus = built(hand).data["focus"]
    assert (
        "too small for the method: the top 5% of 12 people is less than one person"
        in (focus["small"])
    )
    assert focus["fewer"] == (
        "The method takes up to five leavers; this network has only one key connector, so "
        "only one leaves."
    )
    page = text(section_html(hand))
    assert "too small for the method" in page and "only one key connector" in page


def test_people_left_alone_are_all_cut_off(hand: dict) -> None:
    work = next(row for row in built(hand).data["table"] if row["key"] == "work")
    assert {p["name"] for p in work["leavers"]} == {"Bea Kwan", "Cal Ode", "Dee Ng", "Eve Orr"}
    # p01 and p06 remain, each alone: the largest "group" is one person, so no group at all.
    assert (work["main_before"], work["others"], work["cut_off"]) == (6, 2, 2)
    assert work["headline"].startswith("If these four people left, all of the others")


def test_a_network_whose_leavers_cut_no_one_off_says_so(demo: dict) -> None:
    rows = [row for row in built(demo).data["table"] if row["cut_off"] == 0]
    assert rows  # the demo has such networks (social, expert, decision)
    for row in rows:
        assert (
            "everyone else in the main connected group would still be connected"
            in (row["headline"])
        )


def test_the_map_brings_the_leavers_forward(hand: dict) -> None:
    page = section_html(hand)
    [svg] = images(page)
    assert "Innovation network" in svg
    assert "brought forward" in text(page)


# --- the demo against NetworkX ----------------------------------------------------------------


@pytest.mark.parametrize("network", ["innovation", "strategic", "all"])
def test_the_numbers_agree_with_networkx(demo: dict, network: str) -> None:
    row = next(r for r in built(demo).data["table"] if r["key"] == network)
    who = demo["networks"][network]["fragility"]["departures"][-1]["who"]
    ties = (
        [t for ts in demo["ties"].values() for t in ts]
        if network == "all"
        else demo["ties"][network]
    )
    graph = nx.Graph([(a, b) for a, b, *_ in ties])
    graph.add_nodes_from(p["id"] for p in demo["people"])
    main = max(nx.connected_components(graph), key=len)
    graph.remove_nodes_from(who)
    after = max(nx.connected_components(graph), key=len)
    assert row["main_before"] == len(main)
    assert row["main_after"] == len(after)
    assert row["others"] == len(main - set(who))
    assert row["cut_off"] == len(main - set(who) - after)
    assert [p["name"] for p in row["leavers"]] == [
        next(p["name"] for p in demo["people"] if p["id"] == pid) for pid in who
    ]


def test_the_table_holds_every_network_then_all_together(demo: dict) -> None:
    rows = built(demo).data["table"]
    assert [r["key"] for r in rows] == [*[n for n in demo["networks"] if n != "all"], "all"]
    for row in rows:
        steps = demo["networks"][row["key"]]["fragility"]["departures"]
        assert row["reach_before"] == steps[0]["reach"] and row["reach_after"] == steps[-1]["reach"]
        assert row["fragmentation_after"] == steps[-1]["fragmentation"]


# --- the pseudonymised variant -------------------------------------------------------------------


def test_the_pseudonymised_variant_names_no_one(demo: dict) -> None:
    pseudonyms = {str(p["id"]): f"Person {i}" for i, p in enumerate(demo["people"], start=1)}
    page = section_html(demo, pseudonyms)
    shown = text(page) + " ".join(images(page))
    for person in demo["people"]:
        assert not re.search(rf"\b{re.escape(person['name'])}\b", shown), person["name"]
        assert re.search(rf"\b{re.escape(person['id'])}\b", shown) is None
    for organisation in {p["organisation"] for p in demo["people"]}:
        assert organisation not in shown
    focus = built(demo, pseudonyms).data["focus"]
    who = demo["networks"]["innovation"]["fragility"]["departures"][-1]["who"]
    assert [p["name"] for p in focus["leavers"]] == [pseudonyms[p] for p in who]
    assert all(p["organisation"] == "" for p in focus["leavers"])


# --- a large study keeps to one map per network ------------------------------------------------


def test_a_large_study_points_to_the_networks_map_instead_of_drawing_another(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    people, ties = generate_locality(people=fragility.OWN_MAP_UP_TO + 20, seed=3)
    ties = ties[ties["network"] == "innovation"]  # one network is enough, and quicker
    paths = write_locality(tmp_path_factory.mktemp("large"), people, ties)
    study = load(*paths, networks=["innovation"], parameters=Parameters(permutations=9))
    page = section_html(study.to_dict())
    assert images(page) == []
    assert "one map for each network" in text(page)


def test_the_worst_single_leaver_is_said_to_be_outside_the_leavers_when_they_are(
    demo: dict,
) -> None:
    rows = built(demo).data["table"]
    for row in rows:
        fragility_ = demo["networks"][row["key"]]["fragility"]
        outside = fragility_["worst_departure"]["id"] not in fragility_["departures"][-1]["who"]
        assert ("who is not among the five above" in row["worst"]["text"]) == outside
    assert any("who is not among" in row["worst"]["text"] for row in rows)
