"""The report's section "The networks": each network's figures in words against the result, the
density flag on both sides of a reference range, the alignment verdicts by the findings' own
cut, and a pseudonymised variant that names no one."""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pytest
from report.reading import built_page, section_context
from report.reading import map_images as images
from report.reading import words as text

from placelab.core.demo import generate_locality, write_locality
from placelab.core.networks.findings import FindingRules
from placelab.core.study import load
from placelab.core.vocabulary import QUESTIONS
from placelab.report.model import Section
from placelab.report.sections import networks
from placelab.report.sections.networks import alignment_verdict, density_judgement

# --- a study worked by hand --------------------------------------------------------------------
#
# Twelve people, six in the council (p01-p06) and six in schools (p07-p12), everyone answered.
# Innovation: p02-p06 name p01, p08-p12 name p07, and p01 and p07 name each other: 12 ties of
# the 12 x 11 = 132 possible, density 12/132 = 0.0909; 2 of the 12 are returned (1 in 6).
# Expert: the same 12 ties, so the two line up exactly (r = 1).
# Strategic: p02-p06 name p01 and p08-p12 name p07 (10 ties, density 0.0758, none returned).
# Decision: the same pairs the other way round (p01 names p02-p06, p07 names p08-p12): not one
# tie in common with strategic, so r = (132 * 0 - 10 * 10) / (10 * 122) = -0.082.
COUNCIL = [f"p{i:02d}" for i in range(1, 7)]
SCHOOLS = [f"p{i:02d}" for i in range(7, 13)]
NAMES = {
    "p01": "Ann Lee", "p02": "Bea Kwan", "p03": "Cal Ode", "p04": "Dee Ng", "p05": "Eve Orr",
    "p06": "Fay Gu", "p07": "Gus Hay", "p08": "Hal Ivy", "p09": "Ida Joy", "p10": "Jo Kim",
    "p11": "Kai Lo", "p12": "Lea Moy",
}  # fmt: skip
HAND_NETWORKS = ("innovation", "expert", "strategic", "decision")


def _hand_ties() -> list[tuple[str, str, str]]:
    towards = [(p, "p01") for p in COUNCIL[1:]] + [(p, "p07") for p in SCHOOLS[1:]]
    ties = []
    for network in ("innovation", "expert"):
        ties += [(a, b, network) for a, b in [*towards, ("p01", "p07"), ("p07", "p01")]]
    ties += [(a, b, "strategic") for a, b in towards]
    ties += [(b, a, "decision") for a, b in towards]
    return ties


def _write_hand_study(folder) -> tuple:
    people = folder / "people.csv"
    rows = ["id,name,organisation,sector,layer,seniority,responded"]
    for pid in COUNCIL + SCHOOLS:
        sector, org = (
            ("local_authority", "Council") if pid in COUNCIL else ("school_college", "School")
        )
        rows.append(f"{pid},{NAMES[pid]},{org},{sector},sectoral,middle,yes")
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ties = folder / "ties.csv"
    lines = ["source,target,network,weight", *(f"{a},{b},{n},1" for a, b, n in _hand_ties())]
    ties.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return people, ties


def _analyse(folder, rules: FindingRules | None = None) -> dict:
    from placelab.core.networks.parameters import Parameters

    study = load(*_write_hand_study(folder), networks=list(HAND_NETWORKS),
                 parameters=Parameters(permutations=99))  # fmt: skip
    if rules is not None:
        study.rules = rules
    return study.to_dict()


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _analyse(tmp_path_factory.mktemp("hand"))


INNOVATION = 12 / 132
STRATEGIC = 10 / 132
# Innovation above a range whose top prints as its density at three places (0.091), expert below
# its range, strategic exactly on the bottom of its own (within), decision with none.
RANGES = {
    "innovation": (0.05, 0.0907),
    "expert": (0.1, 0.2),
    "strategic": (STRATEGIC, 0.2),
}


@pytest.fixture(scope="module")
def ranged(tmp_path_factory: pytest.TempPathFactory) -> dict:
    rules = FindingRules(density_ranges=RANGES, density_source="Test panel 2026")
    return _analyse(tmp_path_factory.mktemp("ranged"), rules)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    people, ties = generate_locality(people=137, seed=2007)
    return load(*write_locality(tmp_path_factory.mktemp("demo"), people, ties)).to_dict()


# --- building the section alone ------------------------------------------------------------------


def built(result: dict, pseudonyms: dict | None = None) -> Section:
    return networks.build(section_context(result, pseudonyms))


def section_html(result: dict, pseudonyms: dict | None = None) -> str:
    return built_page(networks.build, section_context(result, pseudonyms))


def by_key(section: Section) -> dict[str, dict]:
    return {n["key"]: n for n in section.data["networks"]}


# --- each network ------------------------------------------------------------------------------


def test_it_gives_each_network_its_question_figures_and_map_in_the_studys_order(
    hand: dict,
) -> None:
    section = built(hand)
    assert [n["key"] for n in section.data["networks"]] == list(HAND_NETWORKS)
    innovation = by_key(section)["innovation"]
    assert innovation["question"] == QUESTIONS["innovation"]
    figures = {f["label"]: f["value"] for f in innovation["key_figures"]}
    assert figures == {"People": "12", "Ties named": "12", "Density": "0.091", "Reciprocity": "17%"}
    assert innovation["map"]["src"].startswith("data:image/svg+xml;base64,")
    assert len(images(section_html(hand))) == len(HAND_NETWORKS)  # one map per network


def test_density_reciprocity_and_groups_are_said_as_worked_by_hand(hand: dict) -> None:
    words = " ".join(by_key(built(hand))["innovation"]["sentences"])
    assert "Of the 132 ways one person could name another, 12 were named" in words
    assert "a density of 0.091, about 9 in every 100" in words
    assert "One in six of the ties (17%) were named back" in words
    assert "the 12 ties join 11 pairs of people" in words  # p01-p07 named both ways
    assert "12 of the 12 people (100%) are in the main connected group." in words
    strategic = " ".join(by_key(built(hand))["strategic"]["sentences"])
    assert "10 were named: a density of 0.076" in strategic
    assert "None of the ties (0%) were named back" in strategic


def test_the_table_holds_the_results_own_figures(demo: dict) -> None:
    section = built(demo)
    for row, name in zip(section.data["table"], section.data["networks"], strict=True):
        figures = demo["networks"][name["key"]]
        assert row["people"] == figures["people"] and row["ties"] == figures["ties"]
        assert row["density"] == f"{figures['density']:.3f}"
        assert row["reciprocity"] == f"{figures['reciprocity']:.0%}"
        assert row["main_group"] == f"{figures['largest_component'] / figures['people']:.0%}"
        assert row["isolates"] == figures["isolates"]


def test_the_pairs_of_people_are_those_the_map_draws(demo: dict) -> None:
    # NetworkX as the reference: the directed ties as unordered pairs.
    for name in ("work", "innovation", "decision"):
        pairs = nx.Graph([(a, b) for a, b, *_ in demo["ties"][name]]).number_of_edges()
        words = " ".join(by_key(built(demo))[name]["sentences"])
        assert f"join {pairs:,} pairs of people" in words


def test_components_say_who_has_no_tie_and_the_small_separate_groups(demo: dict) -> None:
    figures = demo["networks"]["expert"]
    words = by_key(built(demo))["expert"]["sentences"][-1]
    graph = nx.Graph([(a, b) for a, b, *_ in demo["ties"]["expert"]])
    graph.add_nodes_from(p["id"] for p in demo["people"])
    sizes = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    assert sizes[0] == figures["largest_component"]
    assert f"{sizes[0]} of the 137 people" in words
    assert f"{sizes.count(1)} have no tie in this network" in words
    small = [s for s in sizes[1:] if s > 1]
    if small:
        assert f"the other {sum(small)} form {len(small)} small separate group" in words


# --- density against reference ranges -----------------------------------------------------------


def test_without_ranges_it_says_density_is_not_compared_and_why(hand: dict) -> None:
    section = built(hand)
    note = section.data["density"]
    assert note["compared"] is False
    assert "not compared with other places" in note["text"]
    assert "not published" in note["text"]
    assert note["cite"] == "NESTA / Young Foundation 2008, Appendix C 2.4"
    assert all(n["density"]["flag"] is None for n in section.data["networks"])
    assert "Reference range" not in section_html(hand)


def test_density_is_flagged_on_both_sides_of_its_range_as_the_findings_flag_it(
    ranged: dict,
) -> None:
    section = built(ranged)
    found = by_key(section)
    assert found["innovation"]["density"]["flag"] == "above"
    assert found["expert"]["density"]["flag"] == "below"
    assert found["strategic"]["density"]["flag"] == "within"  # on the bound is within
    assert found["decision"]["density"]["flag"] is None
    flagged = {
        f["numbers"]["network"] for f in ranged["findings"] if f["id"].startswith("density-")
    }
    assert flagged == {"innovation", "expert"}
    assert "clique or cartel" in found["innovation"]["density"]["text"]
    assert "too little connected" in found["expert"]["density"]["text"]
    assert "Test panel 2026" in section.data["density"]["text"]
    assert "no range for: Decision" in section.data["density"]["text"]


def test_a_flagged_density_never_prints_as_its_bound(ranged: dict) -> None:
    density = by_key(built(ranged))["innovation"]["density"]
    # 0.0909 and 0.0907 both print 0.091 at three places: one more place tells them apart.
    assert density["shown"] == "0.0909"
    assert density["range_text"] == "0.0500 to 0.0907"
    assert "above the reference range of 0.0500 to 0.0907" in density["text"]


@pytest.mark.parametrize(
    ("density", "flag"),
    [(0.0299, "below"), (0.03, "within"), (0.05, "within"), (0.08, "within"), (0.0801, "above")],
)
def test_the_flag_holds_on_either_side_of_each_bound(density: float, flag: str) -> None:
    figures = {"people": 100, "ties": round(density * 9900), "density": density}
    judged = density_judgement(figures, (0.03, 0.08))
    assert judged["flag"] == flag
    assert judged["shown"] not in judged["range_text"].split(" to ") or flag == "within"


def test_the_html_marks_a_density_outside_its_range(ranged: dict) -> None:
    page = text(section_html(ranged))
    assert "above its range" in page and "below its range" in page
    assert "Reference range" in page and "none given" in page


# --- alignment -------------------------------------------------------------------------------


def _pearson(result: dict, a: str, b: str) -> float:
    ids = [p["id"] for p in result["people"]]
    index = {p: i for i, p in enumerate(ids)}
    matrices = []
    for network in (a, b):
        m = np.zeros((len(ids), len(ids)))
        for s, t, *_ in result["ties"][network]:
            m[index[s], index[t]] = 1
        matrices.append(m[~np.eye(len(ids), dtype=bool)])
    return float(np.corrcoef(*matrices)[0, 1])


def test_alignment_of_the_hand_study_is_worked_by_hand(hand: dict) -> None:
    assert _pearson(hand, "innovation", "expert") == pytest.approx(1.0)
    assert _pearson(hand, "strategic", "decision") == pytest.approx(-100 / 1220)
    pairs = built(hand).data["alignment"]["pairs"]
    assert [p["title"] for p in pairs] == [
        "The innovation and expert networks line up",
        "The strategic and decision networks do not line up",
    ]
    assert pairs[0]["figures"].startswith("QAP correlation 1.00, p = 0.010; 12 ties named in both")
    assert "healthy tension" not in pairs[0]["text"]
    assert "lack of confidence in leaders" in pairs[1]["text"]
    assert pairs[1]["severity"] == "medium"


def test_alignment_verdicts_agree_with_the_misalignment_findings(demo: dict) -> None:
    pairs = built(demo).data["alignment"]["pairs"]
    findings = {f["id"]: f for f in demo["findings"] if f["id"].startswith("misaligned-")}
    for pair, row in zip(pairs, [r for r in demo["alignment"] if r["highlighted"]], strict=True):
        key = f"misaligned-{row['network_a']}-{row['network_b']}"
        if pair["verdict"] == "aligned":
            assert key not in findings
        else:
            assert findings[key]["title"] == pair["title"]
            assert findings[key]["severity"] == pair["severity"]


@pytest.mark.parametrize(
    ("r", "p", "verdict"),
    [
        (0.30, 0.01, "aligned"),
        (0.2951, 0.01, "aligned"),  # prints as 0.30, the cut: judged as printed
        (0.2949, 0.01, "partly"),
        (0.9, 0.05, "aligned"),
        (0.9, 0.051, "not"),
        (0.1, 0.2, "not"),
        (None, None, "none"),
    ],
)
def test_alignment_is_judged_at_the_findings_thresholds(r, p, verdict) -> None:
    rules = networks.finding_rules({"finding_rules": FindingRules().describe()})
    assert alignment_verdict(r, p, rules) == verdict


def test_the_alignment_cut_is_the_studys_own(hand: dict) -> None:
    stricter = {**hand, "finding_rules": {**hand["finding_rules"], "alignment_r": 0.5}}
    intro = " ".join(built(stricter).data["alignment"]["intro"])
    assert "correlation of 0.50 or more" in intro


def test_the_matrix_gives_every_pair_once(demo: dict) -> None:
    matrix = built(demo).data["alignment"]["matrix"]
    cells = [c for row in matrix["rows"] for c in row["cells"]]
    assert len(cells) == 21 and all(cells)
    expected = {f"{r['r']:.2f}" for r in demo["alignment"]}
    assert {c["r"] for c in cells} == expected


# --- the pseudonymised variant -------------------------------------------------------------------


def test_the_pseudonymised_variant_names_no_one(demo: dict) -> None:
    pseudonyms = {str(p["id"]): f"Person {i}" for i, p in enumerate(demo["people"], start=1)}
    page = section_html(demo, pseudonyms)
    maps = images(page)
    assert len(maps) == 7
    shown = text(page) + " ".join(maps)
    for person in demo["people"]:
        assert not re.search(rf"\b{re.escape(person['name'])}\b", shown), person["name"]
        assert re.search(rf"\b{re.escape(person['id'])}\b", shown) is None
    for organisation in {p["organisation"] for p in demo["people"]}:
        assert organisation not in shown
    assert "without direction" in text(page)
    assert all('marker-end="url(#arrow)"' not in svg for svg in maps)  # no one-way ties drawn


def test_the_pseudonymised_variant_keeps_the_networks_own_figures(demo: dict) -> None:
    full, shown = built(demo), built(demo, {})
    assert full.data["table"] == shown.data["table"]
    assert full.data["alignment"]["pairs"] == shown.data["alignment"]["pairs"]
