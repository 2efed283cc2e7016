"""Findings on the demo locality, which is built to tell the seed's pilot story."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import placelab
from placelab.core.networks.findings import FindingRules, _pooled_reach, graded, network_findings

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds"


@pytest.fixture(scope="module")
def study() -> placelab.Study:
    return placelab.load(EXAMPLES / "people.csv", EXAMPLES / "ties.csv")


def ids(findings: list[dict]) -> set[str]:
    return {f["id"] for f in findings}


def test_the_voluntary_sector_is_found_outside_the_core(study):
    found = {f["id"]: f for f in study.findings}
    excluded = found["excluded-sector-voluntary_community"]
    assert excluded["severity"] == "medium"  # weighed by phase once the diagnosis knows it
    assert excluded["numbers"]["reach_core"] < excluded["numbers"]["typical_reach_core"] / 2
    assert excluded["seed"]["section"] == "Appendix C 4.3.4"
    assert [graded(excluded, n)["severity"] for n in range(5)] == [
        "low", "low", "medium", "high", "high"
    ]  # fmt: skip


def test_the_council_and_schools_are_not_called_excluded(study):
    assert "excluded-sector-local_authority" not in ids(study.findings)
    assert "excluded-sector-school_college" not in ids(study.findings)


def test_the_silent_student_council_shows_as_low_response(study):
    low = [f for f in study.findings if f["id"].startswith("low-response-")]
    assert any(f["numbers"]["group"] == "resident_group" for f in low)
    assert all(f["numbers"]["response_rate"] < 0.5 for f in low)


def test_every_finding_says_what_it_rests_on_and_what_to_ask(study):
    for finding in study.findings:
        assert finding["severity"] in {"high", "medium", "low", "info"}
        assert finding["numbers"] and finding["questions"]
        first, last = finding["seed"]["lines"]
        assert 0 < first <= last


@pytest.mark.skipif(not SEED.is_dir(), reason="the seed documents are not beside the repo")
def test_every_cited_passage_exists_in_the_seed(study):
    lines = (SEED / "002_e44b9f2a63977112.txt").read_text(encoding="utf-8").splitlines()
    every_rule = FindingRules(
        density_ranges={"work": (0.5, 0.9)}, density_source="test range",
        core_min_inward=0.0, core_max_outward=1.0, reach_drop=0.0,
    )  # fmt: skip
    found = network_findings(study.networks, every_rule)
    kinds = {f["id"].split("-")[0] for f in found}
    assert kinds == {"excluded", "dominant", "thin", "dependence", "low", "misaligned", "density"}
    for finding in found:
        first, last = finding["seed"]["lines"]
        passage = " ".join(line.strip() for line in lines[first - 1 : last])
        assert finding["seed"]["anchor"] in passage, finding["id"]


def test_density_is_judged_only_against_a_range_with_a_source(study):
    assert not any(f["id"].startswith("density-") for f in study.findings)
    rules = FindingRules(density_ranges={"work": (0.5, 0.9)}, density_source="Our own 2025 panel")
    density = [f for f in network_findings(study.networks, rules) if f["id"] == "density-work"]
    assert density and density[0]["numbers"]["range_source"] == "Our own 2025 panel"
    assert "below" in density[0]["title"]


def test_a_dominant_closed_core_is_named_when_the_rest_depend_on_it(study):
    loose = FindingRules(core_min_inward=0.1, core_max_outward=1.0)
    assert "dominant-core" in ids(network_findings(study.networks, loose))
    strict = FindingRules(core_min_inward=0.99)
    assert "dominant-core" not in ids(network_findings(study.networks, strict))


def test_an_empty_layer_gives_no_finding_about_links_through_it(study):
    people = study.data.people.assign(
        layer=study.data.people["layer"].replace({"frontline": "sectoral"})
    )
    without_frontline = placelab.Study(dataclasses.replace(study.data, people=people))
    thin = [f for f in without_frontline.findings if f["id"].startswith("thin-vertical")]
    assert all("frontline" not in f["id"] for f in thin)
    assert all(f["numbers"]["density"] == f["numbers"]["density"] for f in thin)  # no NaN


def test_a_network_with_no_ties_is_not_called_out_of_line(small_study):
    # The small study names no one in the strategic or decision networks: QAP's r is undefined
    # there, and "they do not line up" would be a high-severity finding about nothing.
    people, ties = small_study
    study = placelab.load(people, ties, networks=["work", "innovation", "expert", "strategic",
                                                  "decision"])  # fmt: skip
    row = study.alignment.query("network_a == 'strategic' and network_b == 'decision'")
    assert row["r"].isna().all()
    assert "misaligned-strategic-decision" not in ids(study.findings)


def _innovation_ties(study) -> pd.DataFrame:
    ties = study.data.ties
    return ties[ties["network"] == "innovation"]


def test_exclusion_prints_its_bases_counted_from_the_ties_themselves(study):
    people, core = study.data.people, set(study.networks.core["members"])
    found = {f["id"]: f for f in study.findings}
    excluded = found["excluded-sector-voluntary_community"]
    members = set(people.index[people["sector"] == "voluntary_community"]) - core
    ends = to_core = 0
    for a, b in _innovation_ties(study)[["source", "target"]].itertuples(index=False):
        for mine, other in ((a, b), (b, a)):
            if mine in members:
                ends += 1
                to_core += other in core
    numbers = excluded["numbers"]
    assert (numbers["tie_ends"], numbers["tie_ends_to_core"]) == (ends, to_core)
    assert f"{to_core} of their {ends} innovation tie ends" in excluded["text"]
    isolated = numbers["isolated"]
    assert (
        f"{isolated} of the {numbers['people']} ({isolated / numbers['people']:.0%})"
        in (excluded["text"])
    )
    answered = int(people.loc[people["sector"] == "voluntary_community", "responded"].sum())
    assert f"{answered} of the {numbers['people']} answered" in excluded["text"]


def test_a_layer_with_exactly_a_sectors_people_gives_one_finding_not_two(study):
    people = study.data.people
    residents = set(people.index[people["sector"] == "resident_group"])
    assert residents == set(people.index[people["layer"] == "public"])  # the demo's set-up
    found = {f["id"]: f for f in study.findings}
    assert "excluded-layer-public" not in found and "low-response-layer-public" not in found
    merged = found["excluded-sector-resident_group"]
    assert merged["numbers"]["same_as"] == {"grouping": "layer", "group": "public"}
    assert merged["title"].endswith("Residents' groups (the same people as the public layer)")


def test_a_mostly_silent_group_carries_the_warning_and_never_rises_above_medium(study):
    excluded = {f["id"]: f for f in study.findings}["excluded-sector-resident_group"]
    numbers = excluded["numbers"]
    assert numbers["low_response"] and numbers["responded"] / numbers["people"] < 0.5
    assert "read them with care" in excluded["text"]
    assert graded(excluded, 4)["severity"] == "medium"


def test_typical_reach_is_pooled_over_groups_of_five_or_more():
    # Two sectors of ten (10 of 20 tie ends reach the core; 0 of 10) and a pair (1 of 1).
    frame = pd.DataFrame({"people": [10, 10, 2], "tie_ends": [20, 10, 1],
                          "tie_ends_to_core": [10, 0, 1]})  # fmt: skip
    assert _pooled_reach(frame, 5) == pytest.approx(10 / 30)  # not (0.5 + 0 + 1) / 3
    assert _pooled_reach(frame.iloc[:0], 5) is None


def test_partly_aligned_networks_are_medium_and_say_the_cut_is_ours(study):
    row = study.alignment.query("network_a == 'strategic' and network_b == 'decision'").iloc[0]
    assert row["p"] <= 0.05 and row["r"] < 0.3  # significantly, but weakly, aligned
    found = {f["id"]: f for f in study.findings}["misaligned-strategic-decision"]
    assert found["severity"] == "medium"
    assert "only partly line up" in found["title"]
    assert "more than chance" in found["text"] and "a cut of ours" in found["text"]


def test_thin_links_to_a_mostly_silent_layer_carry_the_low_response_warning(study):
    people = study.data.people
    public = people[people["layer"] == "public"]
    answered, invited = int(public["responded"].sum()), len(public)
    assert answered / invited < 0.5
    thin = {f["id"]: f for f in study.findings}["thin-vertical-frontline-public"]
    assert thin["numbers"]["low_response"] == ["public"]
    assert f"Only {answered} of the {invited} people in the public layer answered" in thin["text"]
