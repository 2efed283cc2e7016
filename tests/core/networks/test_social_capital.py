"""The social capital reports (Appendix C 2.4): each rule against a small network worked by hand.

The roster below has ten people in five organisations. Every expected list is written out by
hand, with the counts that make it in a comment; the ties are tiny so the counts can be checked
by eye. A tie points from the person who answered to the person named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import placelab
from placelab.core.networks.social_capital import (
    CATEGORIES,
    RESTS_ON,
    SEEDS,
    Found,
    SocialCapitalRules,
    find_all,
    key_connectors_of,
    mentoring,
    named_by,
    potential_leaders,
    recognised_leaders,
    rising_stars,
    social_capital_dict,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds"
SEVEN = ("work", "social", "innovation", "expert", "strategic", "learning", "decision")

#          id   organisation seniority   layer       years in post
ROSTER = [
    ("a", "A", "senior", "systemic", "10"),
    ("b", "A", "middle", "sectoral", "1"),
    ("c", "B", "frontline", "frontline", "5"),
    ("d", "B", "senior", "sectoral", "1"),
    ("e", "C", "middle", "sectoral", "4"),
    ("f", "C", "frontline", "frontline", "1"),
    ("g", "D", "resident", "public", ""),
    ("h", "D", "", "frontline", "6"),
    ("i", "E", "middle", "sectoral", "2"),
    ("j", "E", "senior", "systemic", "8"),
]


def people(drop: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(
        ROSTER, columns=["id", "organisation", "seniority", "layer", "years_in_post"]
    ).set_index("id")
    return frame.drop(columns=list(drop))


def ties(*nominations: str) -> pd.DataFrame:
    """ "b>a strategic" -> a row source b, target a, network strategic."""
    rows = []
    for text in nominations:
        pair, network = text.split()
        source, target = pair.split(">")
        rows.append((source, target, network, 1.0))
    return pd.DataFrame(rows, columns=["source", "target", "network", "weight"])


def measures(roles: dict[tuple[str, str], list[str]], networks=SEVEN) -> pd.DataFrame:
    """Per-network measures with the key connector roles given by hand; degree 1 per role."""
    return pd.DataFrame(
        [
            {"network": n, "id": p, "roles": roles.get((n, p), []),
             "degree": len(roles.get((n, p), []))}
            for n in networks for p, *_rest in ROSTER
        ]
    )  # fmt: skip


def ids(found) -> list[str]:
    return [entry["id"] for entry in found.people]


# --- recognised leaders ------------------------------------------------------------------

LEADER_TIES = ties(
    "b>a strategic", "c>a strategic", "e>a strategic", "f>d strategic", "g>d strategic",
    "c>a decision", "i>d decision", "j>d decision", "b>d decision", "a>b work",
)  # fmt: skip


def test_named_by_counts_each_person_once_across_the_networks():
    # a: b, c, e in strategic and c again in decision -> 3 people; d: f, g + i, j, b -> 5.
    counts = named_by(LEADER_TIES, ["strategic", "decision"])
    assert counts.loc["a"].to_dict() == {"strategic": 3, "decision": 1, "total": 3}
    assert counts.loc["d"].to_dict() == {"strategic": 2, "decision": 3, "total": 5}


def test_recognised_leaders_are_the_top_share_of_people_naming_them():
    # Ten people, 5 %: the top one (k = ceil(0.5) = 1): d, named by 5.
    found = recognised_leaders(people(), LEADER_TIES, SEVEN, share=0.05)
    assert ids(found) == ["d"]
    assert found.people[0]["numbers"] == {
        "named_by": 5, "top_share_from": 5, "by_network": {"strategic": 2, "decision": 3},
    }  # fmt: skip
    assert found.people[0]["because"] == (
        "Named by 5 people: 2 for advice about the future, 3 when a decision has to be made."
    )
    assert found.unavailable is None and found.note is None
    # 20 %: the top two, d (5) then a (3); the work tie a>b counts for nothing.
    assert ids(recognised_leaders(people(), LEADER_TIES, SEVEN, share=0.2)) == ["d", "a"]


def test_a_recognised_leader_must_be_named_by_enough_people():
    # At 20 % a (3) is in the top two, but fewer than 4 people name a.
    rules = SocialCapitalRules(leader_min_named_by=4)
    assert ids(recognised_leaders(people(), LEADER_TIES, SEVEN, share=0.2, rules=rules)) == ["d"]
    # In a study of few nominations the top person is no leader: k named by 2 < 3.
    few = ties("b>a strategic", "c>a decision")
    assert ids(recognised_leaders(people(), few, SEVEN)) == []


def test_people_tied_at_the_threshold_are_all_leaders():
    # a and d are each named by 3 people: both share the top place.
    tied = ties("b>a strategic", "c>a strategic", "e>a decision",
                "f>d strategic", "g>d decision", "i>d decision")  # fmt: skip
    assert ids(recognised_leaders(people(), tied, SEVEN)) == ["a", "d"]


def test_without_the_decision_question_leaders_rest_on_the_strategic_network():
    # Strategic alone: a named by b, c, e (3); d by f, g (2). Top one: a.
    found = recognised_leaders(people(), LEADER_TIES, ("work", "strategic"))
    assert ids(found) == ["a"]
    assert found.note == (
        "this study did not ask the decision question, so this list rests on the strategic "
        "network alone"
    )


def test_without_either_question_there_are_no_recognised_leaders_and_it_says_why():
    found = recognised_leaders(people(), LEADER_TIES, ("work", "innovation"))
    assert found.people == []
    assert found.unavailable == "this study did not ask the strategic or decision questions"


# --- potential leaders -------------------------------------------------------------------

POTENTIAL_ROLES = {
    ("innovation", "a"): ["hub", "gatekeeper"],  # senior: out
    ("innovation", "c"): ["hub"],  # frontline: in, one role
    ("learning", "d"): ["hub"],  # senior and a recognised leader: out
    ("learning", "e"): ["gatekeeper"],  # middle: in, one role
    ("innovation", "g"): ["gatekeeper"],  # resident: in, two roles over the two networks
    ("learning", "g"): ["hub"],
    ("innovation", "h"): ["pulsetaker"],  # seniority not recorded: out
    ("work", "i"): ["hub"],  # a key connector, but not of innovation or learning: out
}


def test_potential_leaders_are_non_senior_connectors_of_innovation_or_learning():
    # g holds two roles and comes first; c and e one each, in roster order.
    found = potential_leaders(people(), measures(POTENTIAL_ROLES), SEVEN, recognised=["d"])
    assert ids(found) == ["g", "c", "e"]
    assert found.people[0]["numbers"] == {
        "networks": {"innovation": ["gatekeeper"], "learning": ["hub"]}, "seniority": "resident",
    }  # fmt: skip
    assert found.people[0]["because"] == (
        "A key connector of the innovation network (gatekeeper) and the learning network (hub), "
        "a resident."
    )
    assert found.note == "people whose seniority is not recorded are left out"


def test_a_recognised_leader_is_not_also_a_potential_one():
    found = potential_leaders(people(), measures(POTENTIAL_ROLES), SEVEN, recognised=["c"])
    assert ids(found) == ["g", "e"]


def test_without_seniority_potential_leaders_cannot_be_told():
    found = potential_leaders(people(drop=("seniority",)), measures(POTENTIAL_ROLES), SEVEN)
    assert found.people == [] and "no seniority" in str(found.unavailable)


def test_without_the_learning_question_potential_leaders_rest_on_innovation():
    nets = ("work", "innovation")
    found = potential_leaders(people(), measures(POTENTIAL_ROLES, nets), nets)
    assert ids(found) == ["c", "g"]  # one role each in innovation, roster order
    assert "did not ask the learning question" in str(found.note)
    assert potential_leaders(people(), measures({}, ("work",)), ("work",)).unavailable


# --- mentors and mentees -----------------------------------------------------------------

# Organisations: a b in A, c d in B, e f in C, g h in D, i j in E.
MENTOR_TIES = ties(
    "b>a expert",  # same organisation: not counted
    "c>a expert", "e>a expert", "g>a expert", "c>a strategic",  # a: c, e, g from outside = 3
    "f>c expert", "i>c expert", "g>c expert", "d>c expert",  # c: f, i, g from outside = 3 (d is B)
    "j>e expert", "h>e strategic",  # e: j, h = 2
    "f>j work",  # not an advice network
)  # fmt: skip


def test_mentors_are_the_top_share_by_people_from_other_organisations_naming_them():
    # 20 % of ten: the top two scores are a (3) and c (3); e (2) falls below.
    mentors, mentees = mentoring(people(), MENTOR_TIES, SEVEN, share=0.2)
    assert ids(mentors) == ["a", "c"]
    # a is named by b, c, e, g (4 in all), 3 of them from outside; c (a mentor) is no mentee.
    assert mentors.people[0]["numbers"] == {
        "named_by_outside": 3, "top_share_from": 3, "named_by": 4,
    }  # fmt: skip
    assert mentors.people[0]["mentees"] == ["e", "g"]
    assert mentors.people[0]["because"] == (
        "Named for advice by 3 people from other organisations (4 people in all)."
    )
    assert mentors.people[1]["mentees"] == ["f", "g", "i"]
    # Mentees: g names both mentors; e, f, i one each (j and h name e, who is no mentor).
    assert ids(mentees) == ["g", "e", "f", "i"]
    assert [m["mentors"] for m in mentees.people] == [["a", "c"], ["a"], ["c"], ["c"]]


def test_each_mentor_lists_the_mentees_who_list_them():
    mentors, mentees = mentoring(people(), MENTOR_TIES, SEVEN, share=0.2)
    pairs = {(m["id"], t) for m in mentors.people for t in m["mentees"]}
    assert pairs == {(m, t["id"]) for t in mentees.people for m in t["mentors"]}


def test_a_mentor_must_be_named_from_outside_by_enough_people():
    # At 30 % a, c and e (2) are the top three; at least 3 from outside leaves a and c.
    assert ids(mentoring(people(), MENTOR_TIES, SEVEN, share=0.3)[0]) == ["a", "c"]
    rules = SocialCapitalRules(mentor_min_outside=2)
    mentors, mentees = mentoring(people(), MENTOR_TIES, SEVEN, share=0.3, rules=rules)
    assert ids(mentors) == ["a", "c", "e"]
    # e is now a mentor, so no longer a mentee; j and h are.
    assert ids(mentees) == ["g", "f", "h", "i", "j"]


def test_a_blank_organisation_is_no_ones_outsider():
    roster = people()
    roster.loc["g", "organisation"] = ""
    # Without g, a and c have 2 from outside each: below 3 for both.
    mentors, _mentees = mentoring(roster, MENTOR_TIES, SEVEN, share=0.2)
    assert ids(mentors) == []
    assert "organisation is not recorded" in str(mentors.note)


def test_without_organisations_or_advice_networks_mentoring_says_why():
    mentors, mentees = mentoring(people(drop=("organisation",)), MENTOR_TIES, SEVEN)
    assert mentors.unavailable == mentees.unavailable
    assert "no organisations" in str(mentors.unavailable)
    mentors, _ = mentoring(people(), MENTOR_TIES, ("work", "social"))
    assert mentors.unavailable == "this study did not ask the expert or strategic questions"
    # The strategic network alone: a is named by c from outside, e by h.
    mentors, _ = mentoring(people(), MENTOR_TIES, ("strategic",), share=0.2)
    assert ids(mentors) == [] and "did not ask the expert question" in str(mentors.note)


# --- innovators and implementers ---------------------------------------------------------


def test_innovators_and_implementers_are_the_connectors_of_their_network():
    # Innovation: a holds two roles, then c, g, h one each (degree 1, by id).
    roles = measures(POTENTIAL_ROLES)
    innovators = key_connectors_of(roles, "innovation", available=SEVEN)
    assert ids(innovators) == ["a", "c", "g", "h"]
    assert innovators.people[0]["numbers"] == {
        "network": "innovation", "roles": ["hub", "gatekeeper"], "degree": 2,
    }  # fmt: skip
    assert ids(key_connectors_of(roles, "learning", available=SEVEN)) == ["d", "e", "g"]
    missing = key_connectors_of(roles, "learning", available=("innovation",))
    assert missing.unavailable == "this study did not ask the learning question"


# --- rising stars ------------------------------------------------------------------------

RISING_ROLES = {
    ("work", "b"): ["hub"],  # middle, 1 year: new
    ("work", "c"): ["gatekeeper"],  # frontline, in two networks
    ("innovation", "c"): ["hub"],
    ("learning", "d"): ["hub"],  # senior, 1 year: a senior post is no rising star
    ("learning", "e"): ["gatekeeper"],  # middle, 4 years: neither frontline nor new
    ("social", "g"): ["hub"],  # resident, years not known
    ("innovation", "h"): ["pulsetaker"],  # seniority blank, frontline layer, 6 years
}


def test_rising_stars_are_frontline_or_new_and_key_connectors():
    # f (frontline, 1 year) and i (middle, 2 years) qualify but connect no network.
    found = rising_stars(people(), measures(RISING_ROLES), SEVEN)
    assert ids(found) == ["c", "b", "h"]  # c in two networks first, then roster order
    assert found.people[1]["numbers"] == {
        "networks": ["work"], "seniority": "middle", "years_in_post": 1.0,
    }  # fmt: skip
    assert found.people[1]["because"] == (
        "In a middle post, 1 year in post; a key connector of 1 network (work)."
    )
    assert found.people[2]["because"].startswith("In the frontline layer, 6 years in post")


def test_short_tenure_follows_the_threshold():
    rules = SocialCapitalRules(rising_max_years=4)
    # e (middle, 4 years) now counts as new.
    assert ids(rising_stars(people(), measures(RISING_ROLES), SEVEN, rules=rules)) == [
        "c", "b", "e", "h",
    ]  # fmt: skip


def test_without_years_in_post_only_frontline_staff_rise():
    found = rising_stars(people(drop=("years_in_post",)), measures(RISING_ROLES), SEVEN)
    assert ids(found) == ["c", "h"]
    assert found.note == (
        "the people file has no years in post, so only frontline staff are considered; where "
        "seniority is not recorded, frontline staff are those in the frontline layer"
    )
    bare = people(drop=("years_in_post", "seniority", "layer"))
    assert rising_stars(bare, measures(RISING_ROLES), SEVEN).unavailable


# --- the JSON ------------------------------------------------------------------------------


def test_every_category_is_written_in_order_with_its_rule_and_citations():
    found = find_all(people(), LEADER_TIES, measures(POTENTIAL_ROLES), SEVEN, share=0.05)
    result = social_capital_dict(found, SocialCapitalRules(), 0.05)
    assert list(result["categories"]) == list(CATEGORIES)
    assert result["parameters"]["top_share"] == 0.05
    for key, category in result["categories"].items():
        assert set(category) == {"title", "rule", "seed", "rests_on", "unavailable", "note",
                                 "people"}, key  # fmt: skip
        assert category["seed"]["section"] == "Appendix C 2.4"
        assert all(c["section"].startswith("Appendix C 2.") for c in category["rests_on"])
    # d, the recognised leader, is left out of the potential leaders.
    assert ids_of(result, "recognised_leaders") == ["d"]
    assert ids_of(result, "potential_leaders") == ["g", "c", "e"]
    json.dumps(result, allow_nan=False)


def ids_of(result: dict, key: str) -> list[str]:
    return [entry["id"] for entry in result["categories"][key]["people"]]


def test_each_rule_states_the_thresholds_in_force():
    rules = SocialCapitalRules(leader_min_named_by=4, mentor_min_outside=6, rising_max_years=3)
    result = social_capital_dict(dict.fromkeys(CATEGORIES, Found()), rules, 0.1)
    rule = {key: c["rule"] for key, c in result["categories"].items()}
    assert "the 10% of everyone" in rule["recognised_leaders"]
    assert "at least 4 people name them" in rule["recognised_leaders"]
    assert "at least 6 of them" in rule["mentors"]
    assert "in post for 3 years or less" in rule["rising_stars"]
    assert result["parameters"]["leader_min_named_by"] == 4


@pytest.mark.skipif(not SEED.is_dir(), reason="the seed documents are not beside the repo")
def test_every_cited_passage_exists_in_the_seed():
    lines = (SEED / "002_e44b9f2a63977112.txt").read_text(encoding="utf-8").splitlines()
    for cited in (*SEEDS.values(), *RESTS_ON.values()):
        first, last = cited["lines"]
        passage = " ".join(line.strip() for line in lines[first - 1 : last])
        assert cited["anchor"] in passage, cited


@pytest.fixture(scope="module")
def demo() -> dict:
    study = placelab.load(
        EXAMPLES / "people.csv",
        EXAMPLES / "ties.csv",
        parameters=placelab.Parameters(permutations=9),
    )
    return study.to_dict()


def test_the_demo_names_people_in_every_category(demo):
    categories = demo["social_capital"]["categories"]
    assert {k: bool(c["people"]) for k, c in categories.items()} == dict.fromkeys(CATEGORIES, True)
    assert all(c["unavailable"] is None for c in categories.values())
    roster = {p["id"]: p for p in demo["people"]}
    # Every potential leader and rising star holds no senior post; leaders are named by 3+.
    for key in ("potential_leaders", "rising_stars"):
        assert all(roster[e["id"]]["seniority"] != "senior" for e in categories[key]["people"])
    assert all(e["numbers"]["named_by"] >= 3 for e in categories["recognised_leaders"]["people"])


def test_the_demo_lists_agree_with_the_result_they_come_from(demo):
    categories = demo["social_capital"]["categories"]
    innovation = demo["networks"]["innovation"]["key_connectors"]
    connectors = set().union(*map(set, innovation.values()))
    assert {e["id"] for e in categories["innovators"]["people"]} == connectors
    # Recognised leaders counted again from the stored ties, by hand.
    ties_ = [t for n in ("strategic", "decision") for t in demo["ties"][n]]
    naming: dict[str, set] = {}
    for source, target, _w in ties_:
        naming.setdefault(target, set()).add(source)
    for entry in categories["recognised_leaders"]["people"]:
        assert entry["numbers"]["named_by"] == len(naming[entry["id"]])


def test_a_study_with_three_networks_says_which_lists_it_cannot_draw(small_study):
    # The small study asks work, innovation and expert, and records no years in post.
    categories = placelab.load(*small_study).to_dict()["social_capital"]["categories"]
    assert categories["recognised_leaders"]["unavailable"] == (
        "this study did not ask the strategic or decision questions"
    )
    assert (
        categories["implementers"]["unavailable"] == "this study did not ask the learning question"
    )
    assert categories["implementers"]["people"] == []
    assert categories["innovators"]["unavailable"] is None
    assert "did not ask the strategic question" in categories["mentors"]["note"]
    assert "no years in post" in categories["rising_stars"]["note"]


def test_a_study_whose_advice_networks_hold_no_ties_lists_no_one_without_failing():
    only_work = ties("a>b work")
    found = find_all(people(), only_work, measures({}), SEVEN)
    assert all(f.people == [] and f.unavailable is None for f in found.values())
