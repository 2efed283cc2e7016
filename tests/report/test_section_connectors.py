"""The report's section "Key connectors and social capital": who is listed, in what order, in
what words; the pseudonymised variant names no one from the roster and no one's social capital;
"gatekeeper" is only ever the key connector."""

from __future__ import annotations

import copy
import re
from collections import Counter

import networkx as nx
import pytest
from report.reading import built_page, map_images, section_context
from report.reading import words as text
from small_study import SMALL_PEOPLE, SMALL_TIES

from placelab.core.demo import generate_locality, write_locality
from placelab.core.pseudonymise import MIN_GROUP, viewer_analysis
from placelab.core.study import load
from placelab.core.vocabulary import label
from placelab.report.model import (
    Section,
)
from placelab.report.sections import connectors
from placelab.report.sections.connectors import LISTED_MOST

# --- the results ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Twelve people, three networks (tests/small_study.py), analysed by placelab.core."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "people.csv").write_text(SMALL_PEOPLE, encoding="utf-8")
    (folder / "ties.csv").write_text(SMALL_TIES, encoding="utf-8")
    return load(folder / "people.csv", folder / "ties.csv").to_dict()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo locality of 137 people and seven networks, analysed by placelab.core."""
    people, ties = generate_locality(people=137, seed=2007)
    paths = write_locality(tmp_path_factory.mktemp("demo"), people, ties)
    return load(*paths).to_dict()


def built(result: dict, pseudonyms: dict | None = None) -> Section:
    return connectors.build(section_context(result, pseudonyms))


def section_html(result: dict, pseudonyms: dict | None = None) -> str:
    return built_page(connectors.build, section_context(result, pseudonyms))


def images(html: str) -> str:
    return " ".join(map_images(html))


# --- key connectors ---------------------------------------------------------------------------


def test_it_lists_each_key_connector_once_by_networks_then_roles_then_name(small: dict) -> None:
    # Worked by hand from tests/small_study.py. Work: p01 is tied to three people, everyone else
    # to two at most, and lies between the rest: hub, gatekeeper and pulsetaker. Innovation: a
    # triangle p01-p05-p09 (all tied: hubs and pulsetakers; nobody between anyone) and a pair.
    # Expert: three pairs, so six hubs tied on one tie each, no gatekeeper, and the pulsetakers
    # of the first largest part, p01 and p02.
    table = built(small).data["connectors"]["table"]
    assert table["networks"] == ["Work", "Innovation", "Expert"]
    rows = [
        (r["name"], [c and c["letters"] for c in r["cells"]], r["networks"]) for r in table["rows"]
    ]
    assert rows == [
        ("Ann Lee", ["H G P", "H P", "H P"], 3),
        ("Hal Ivy", [None, "H P", "H"], 2),  # two networks and three roles, like p05: by name
        ("Zoë Ångström", [None, "H P", "H"], 2),
        ("Bea Kwan", [None, None, "H P"], 1),
        ("Eli Fox", [None, None, "H"], 1),
        ("Ida Joy", [None, None, "H"], 1),
    ]
    assert table["rows"][0]["cells"][0]["words"] == "hub, gatekeeper, pulsetaker"
    assert table["rows"][0]["about"] == "Local authority · Systemic"
    assert table["rows"][0]["organisation"] == "Council"
    assert table["summary"] == (
        "Six people hold a role in at least one network; one person in all three networks, "
        "three people in only one."
    )


def test_the_work_networks_key_connector_is_networkxs_top_scorer_on_every_measure(
    small: dict,
) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(p["id"] for p in small["people"])
    graph.add_edges_from((a, b) for a, b, _w in small["ties"]["work"])
    largest = graph.subgraph(max(nx.connected_components(graph), key=len))
    scores = {
        "H": dict(graph.degree()),
        "G": nx.betweenness_centrality(graph),
        "P": nx.information_centrality(largest),
    }
    tops = {role: max(s, key=s.get) for role, s in scores.items()}
    assert set(tops.values()) == {"p01"}
    for role, values in scores.items():  # the top score is the only one: one holder each
        assert sorted(values.values())[-1] > sorted(values.values())[-2], role
    rows = built(small).data["connectors"]["table"]["rows"]
    in_work = [(r["name"], r["cells"][0]["letters"]) for r in rows if r["cells"][0]]
    assert in_work == [("Ann Lee", "H G P")]


def test_it_counts_each_role_per_network_and_says_ties_share_the_cut_off(small: dict) -> None:
    connectors = built(small).data["connectors"]
    assert connectors["counts"] == [
        {"network": "Work", "hub": 1, "gatekeeper": 1, "pulsetaker": 1, "any": 1, "borderline": 0},
        {"network": "Innovation", "hub": 3, "gatekeeper": 0, "pulsetaker": 3, "any": 3,
         "borderline": 0},
        {"network": "Expert", "hub": 6, "gatekeeper": 0, "pulsetaker": 2, "any": 6,
         "borderline": 0},
    ]  # fmt: skip
    assert connectors["per_role"] == 1
    assert connectors["borderline"] is None
    assert connectors["ties"] == (
        "Where more than one person holds a role, several were tied at the cut-off and all of "
        "them hold it."
    )
    assert connectors["ties"] in text(section_html(small))


def test_it_says_when_the_top_five_per_cent_is_too_few_people(small: dict, demo: dict) -> None:
    connectors = built(small).data["connectors"]
    assert connectors["few"].startswith(
        "Too few people for the method: the top 5% of 12 people is one person in each role."
    )
    assert "the one person with the highest scores" in connectors["rule"]
    assert "with 12 people on the roster" in connectors["rule"]
    assert built(demo).data["connectors"]["few"] is None  # 7 people per role of 137
    assert "the seven people with the highest scores" in built(demo).data["connectors"]["rule"]


def test_each_role_is_explained_with_its_score_and_map_mark(small: dict) -> None:
    roles = {r["role"]: r for r in built(small).data["connectors"]["roles"]}
    assert list(roles) == ["hub", "gatekeeper", "pulsetaker"]
    assert "many direct ties" in roles["hub"]["meaning"]
    assert "routes between other people" in roles["gatekeeper"]["meaning"]
    assert "what passes between groups goes through them" in roles["gatekeeper"]["meaning"]
    assert "indirect ties" in roles["pulsetaker"]["meaning"]
    assert "know what is going on" in roles["pulsetaker"]["meaning"]
    assert (
        roles["gatekeeper"]["method"] == small["method"]["key_connectors"]["scores"]["gatekeeper"]
    )
    assert [r["mark"] for r in roles.values()] == [
        "yellow square", "green triangle", "red diamond"
    ]  # fmt: skip


@pytest.mark.parametrize("pseudonymised", [False, True])
def test_gatekeeper_means_only_the_key_connector(demo: dict, pseudonymised: bool) -> None:
    """Gould and Fernandez's brokerage role shares the word; this section never uses it so."""
    words = text(section_html(demo, {} if pseudonymised else None)).lower()
    assert "gatekeeper" in words
    for other in ("brokerage", "broker", "gould", "fernandez", "representative", "liaison"):
        assert other not in words
    for found in re.finditer(r"gatekeepers?\b", words):
        around = words[max(0, found.start() - 300) : found.end() + 300]
        assert "(brokerage)" not in around


# --- the core group ---------------------------------------------------------------------------


def test_the_core_group_is_named_with_how_closed_it_is(small: dict) -> None:
    core = built(small).data["core"]
    # Key connectors in at least two of the three networks: p01 (three), p05 and p09 (two each).
    assert [(m["name"], m["networks"]) for m in core["members"]] == [
        ("Ann Lee", 3), ("Hal Ivy", 2), ("Zoë Ångström", 2)
    ]  # fmt: skip
    assert (
        "more than half of the three networks (any role, in at least 2 of them)"
        in (core["definition"])
    )
    # Over all networks, among p01, p05 and p09 four of the six directed pairs are tied
    # (p01->p05, p01->p09, p05->p09, p09->p01): 67%. The others on the roster name eight
    # people, three of them in the core (p02->p01, p06->p05, p10->p09); the core name seven,
    # three outside it (p01->p02, p05->p06, p09->p10). The ratio of densities is the core's.
    closure = small["core_group"]["closure"]
    assert core["size"] == [
        "3 people, 25% of everyone on the roster.",
        "Two in three of the ties they could have with each other exist in one network or "
        "another (67%).",
        f"A tie between two of them is {closure['closure_ratio']:.1f} times as likely as one "
        "between one of them and someone outside the group.",
        "Three in eight of everyone else's nominations name one of them (38%).",
        "Three in seven of their own nominations reach outside the group (43%).",
    ]
    # 25% of people is more than the study's 20% for a dominant core: no clique by its rule.
    assert core["meaning"]["severity"] is None
    assert core["meaning"]["text"].startswith("This core does not look like a closed clique")
    assert "at most 20% of people" in core["meaning"]["text"]


def test_a_dominant_core_is_said_to_risk_a_clique_with_its_questions(small: dict) -> None:
    result = copy.deepcopy(small)
    result["findings"].append({
        "id": "dominant-core", "severity": "medium", "title": "A small core group dominates",
        "text": "", "numbers": {}, "seed": None, "questions": ["Who outside it is heard?"],
    })  # fmt: skip
    meaning = built(result).data["core"]["meaning"]
    assert meaning["severity"] == "medium" and meaning["questions"] == ["Who outside it is heard?"]
    assert "risks a clique that filters or blocks ideas" in meaning["text"]
    html = text(section_html(result))
    assert "A small core group dominates." in html and "Who outside it is heard?" in html


@pytest.mark.parametrize(
    ("members", "start"),
    [([], "No one is a key connector in more than half"), (["p01", "p05"], "A core of two people")],
)
def test_no_core_or_a_core_of_two_is_no_clique(small: dict, members: list, start: str) -> None:
    result = copy.deepcopy(small)
    result["core_group"]["members"] = members
    meaning = built(result).data["core"]["meaning"]
    assert meaning["text"].startswith(start) and meaning["severity"] is None


def test_the_core_group_map_brings_the_members_forward(demo: dict) -> None:
    core = built(demo).data["core"]
    assert core["map"]["src"].startswith("data:image/svg+xml;base64,")
    assert "innovation network" in core["map"]["alt"]
    old = copy.deepcopy(demo)  # a result stored without a layout still builds, without a map
    del old["layout"]
    assert built(old).data["core"]["map"] is None


# --- social capital ---------------------------------------------------------------------------

SEED = {"document": "NESTA / Young Foundation report", "section": "Appendix C 2.4"}


def hand_built(result: dict) -> dict:
    """``result`` with social capital lists of the shape the core writes, set by hand."""
    result = copy.deepcopy(result)
    result["social_capital"] = {
        "parameters": {},
        "categories": {
            "recognised_leaders": {
                "title": "Recognised leaders", "rule": "Most named for the future.", "seed": SEED,
                "people": [{"id": "p01", "because": "Named by 3 people.", "numbers": {}}],
            },
            "mentors": {
                "title": "Mentors", "rule": "Named for advice from outside.", "seed": SEED,
                "people": [
                    {"id": "p05", "because": "Named by 2 people from other organisations.",
                     "numbers": {}, "mentees": ["p06", "p10"]},
                    {"id": "p09", "because": "Named by many.", "numbers": {},
                     "mentees": [f"p{n:02d}" for n in (1, 2, 3, 4, 6, 7, 8, 10, 11, 12, 5)]},
                ],
            },
            "mentees": {
                "title": "Mentees", "rule": "Turn to a mentor elsewhere.", "seed": SEED,
                "people": [{"id": "p06", "because": "Turns to 1 mentor.", "numbers": {},
                            "mentors": ["p05"]}],
            },
            "rising_stars": {"title": "Rising stars", "rule": "New and connected.", "seed": SEED,
                             "people": []},
        },
    }  # fmt: skip
    return result


def test_each_list_names_its_people_with_why_and_mentors_their_mentees(small: dict) -> None:
    social = built(hand_built(small)).data["social"]
    assert social["missing"] is None
    shown = {c["key"]: c for c in social["categories"]}
    assert list(shown) == ["recognised_leaders", "mentors", "mentees", "rising_stars"]
    leaders = shown["recognised_leaders"]
    assert leaders["cite"] == "NESTA / Young Foundation 2008, Appendix C 2.4"
    assert leaders["rule"] == "Most named for the future." and leaders["size"] == "One person."
    assert [(p["name"], p["because"]) for p in leaders["people"]] == [
        ("Ann Lee", "Named by 3 people.")
    ]
    mentors = shown["mentors"]
    assert mentors["links"] == "Mentees"
    assert [(p["name"], p["linked"]) for p in mentors["people"]] == [
        ("Zoë Ångström", "Eli Fox and Ida Joy"),
        ("Hal Ivy", "Ann Lee, Bea Kwan, Cal Ode, Dee Ng, Eli Fox, Fay Gu, Gus Hay, Ida Joy, "
         "Jo Kim, Kai Lo and 1 more"),
    ]  # fmt: skip
    assert mentors["links_note"].startswith("Past 10 mentees")
    assert shown["mentees"]["links"] == "Mentors"
    assert shown["mentees"]["people"][0]["linked"] == "Zoë Ångström"
    assert shown["rising_stars"]["size"] == "No one meets this rule in this study."
    html = text(section_html(hand_built(small)))
    assert "Named by 2 people from other organisations." in html
    assert "Share them with care" in html


def test_the_lists_of_a_real_result_are_shown_in_its_order_cut_at_a_readable_length(
    demo: dict,
) -> None:
    stored = demo["social_capital"]["categories"]
    shown = built(demo).data["social"]["categories"]
    assert [c["key"] for c in shown] == list(stored)
    assert [c["key"] for c in shown] == [
        "recognised_leaders", "potential_leaders", "mentors", "mentees", "innovators",
        "implementers", "rising_stars",
    ]  # fmt: skip
    names = {p["id"]: p["name"] for p in demo["people"]}
    for category in shown:
        listed = stored[category["key"]]["people"]
        assert category["count"] == len(listed)
        first = listed[:LISTED_MOST]
        assert [p["name"] for p in category["people"]] == [names[p["id"]] for p in first]
        if len(listed) > LISTED_MOST:  # the demo's 69 mentees: 25 named, 44 counted
            assert category["more"].startswith(f"{len(listed) - LISTED_MOST} more people are")
        else:
            assert category["more"] is None
    assert any(c["more"] for c in shown)


def test_a_result_from_before_the_lists_says_to_run_the_analysis_again(small: dict) -> None:
    result = copy.deepcopy(small)
    result.pop("social_capital", None)
    social = built(result).data["social"]
    assert social["categories"] == []
    assert "Run the analysis again" in social["missing"]
    assert "Run the analysis again" in text(section_html(result))
    assert "Run the analysis again" in text(section_html(result, pseudonyms={}))


# --- the pseudonymised variant ----------------------------------------------------------------


def test_the_pseudonymised_section_names_no_one_from_the_roster(demo: dict) -> None:
    html = section_html(demo, pseudonyms={})
    seen = text(html) + " " + images(html) + " " + html
    for person in demo["people"]:
        assert person["name"] not in seen
        assert not re.search(rf"\b{re.escape(person['id'])}\b", seen)
    for organisation in {p["organisation"] for p in demo["people"]}:
        assert organisation not in text(html)
    assert "Person " in text(html)


def test_the_pseudonymised_section_counts_the_lists_and_names_no_one_in_them(demo: dict) -> None:
    full = {c["key"]: c for c in built(demo).data["social"]["categories"]}
    social = built(demo, {}).data["social"]
    assert social["missing"] is None
    for category in social["categories"]:
        assert category["people"] == []
        assert category["count"] == full[category["key"]]["count"]
        if category["count"]:
            assert category["size"].endswith("Their names appear only in the full report.")
    words = text(section_html(demo, pseudonyms={}))
    assert (
        "names appear only in the full report" in social["counted"] and social["counted"] in words
    )
    lists = words.split("The social capital lists", 1)[1]
    for category in social["categories"]:  # one row per list: title, rule, how many
        assert f"{category['title']} {category['count']} {category['rule']}" in lists
    assert "Why" not in lists  # no table of people and reasons
    for entry in demo["social_capital"]["categories"]["mentors"]["people"]:
        assert entry["because"] not in words


def test_the_pseudonymised_table_shows_sector_and_layer_as_the_viewer_copy_does(
    demo: dict,
) -> None:
    viewer = viewer_analysis(demo, None, {})["result"]
    shown = {p["name"]: f"{label(p['sector'])} · {label(p['layer'])}" for p in viewer["people"]}
    rows = built(demo, {}).data["connectors"]["table"]["rows"]
    assert len(rows) == len(built(demo).data["connectors"]["table"]["rows"])
    assert all(r["organisation"] == "" and r["about"] == shown[r["name"]] for r in rows)
    for grouping in ("sector", "layer"):  # each value shown is shared by five or more people
        sizes = Counter(label(p[grouping]) for p in viewer["people"])
        assert all(sizes[r["about"].split(" · ")[grouping == "layer"]] >= MIN_GROUP for r in rows)


def test_names_are_escaped(small: dict) -> None:
    result = copy.deepcopy(small)
    result["people"][0]["name"] = "<script>alert(1)</script>"
    html = section_html(result)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_list_the_study_could_not_draw_up_says_why_not_that_no_one_meets_it(small: dict) -> None:
    result = hand_built(small)
    category = result["social_capital"]["categories"]["recognised_leaders"]
    category.update(people=[], unavailable="This study did not ask the strategic or decision "
                    "questions, so this list cannot be drawn up.")  # fmt: skip
    shown = {c["key"]: c for c in built(result).data["social"]["categories"]}
    assert shown["recognised_leaders"]["size"].startswith("This study did not ask the strategic")


def test_a_role_held_only_borderline_is_marked_and_explained(small: dict) -> None:
    # As if the scores had been estimated: Ann Lee (p01) holds the work network's gatekeeper
    # role only borderline.
    result = copy.deepcopy(small)
    result["networks"]["work"]["key_connectors_borderline"] = {"gatekeeper": ["p01"]}
    connectors = built(result).data["connectors"]
    assert [row["borderline"] for row in connectors["counts"]] == [1, 0, 0]
    ann = connectors["table"]["rows"][0]
    assert ann["name"] == "Ann Lee"
    assert ann["cells"][0] == {
        "letters": "H G? P",
        "words": "hub, gatekeeper (borderline), pulsetaker",
    }
    assert "the estimate cannot tell them apart from the next people" in connectors["borderline"]
    page = text(section_html(result))
    assert connectors["borderline"] in page
    assert "A question mark (G?) marks a role held only borderline" in page
