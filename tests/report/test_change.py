"""The report's "What changed" on the demo's two waves: the voluntary sector's closer reach
leads, the pseudonymised copy names no one and breaks out no group under five, and the maps mark
lost ties only on the earlier wave and new ones only on the later, as many as the files hold."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from placelab.core.networks.compare import compare_waves
from placelab.core.networks.parameters import Parameters
from placelab.core.pseudonymise import MIN_GROUP, pseudonym_map, viewer_comparison
from placelab.core.study import Study, read_study
from placelab.report.model import build_comparison_report, build_report
from placelab.report.render import render_html
from placelab.report.sections.change import change_data

EXAMPLES = Path(__file__).parents[2] / "examples"
FOLDERS = (EXAMPLES, EXAMPLES / "wave2")
LABELS = {"before_label": "Wave 1", "after_label": "Wave 2"}


@pytest.fixture(scope="module")
def demo() -> dict:
    waves = [read_study(f / "people.csv", f / "ties.csv") for f in FOLDERS]
    comparison = compare_waves(*waves, Parameters(permutations=99), resamples=100)
    first = Study(waves[0]).to_dict()
    second = Study(waves[1], anchors=first["layout"]).to_dict()
    return {"comparison": comparison, "before": first, "after": second}


@pytest.fixture(scope="module")
def pseudonyms(demo) -> dict[str, str]:
    people = {
        (str(p["id"]), str(p["name"])) for w in ("before", "after") for p in demo[w]["people"]
    }
    return pseudonym_map(sorted(people), secret="test", scope="demo")


@pytest.fixture(scope="module")
def data(demo) -> dict:
    return change_data(
        demo["comparison"], before=demo["before"], after=demo["after"], pseudonymised=False,
        **LABELS,
    )  # fmt: skip


def _roster_names() -> set[str]:
    return {name for f in FOLDERS for name in pd.read_csv(f / "people.csv", dtype=str)["name"]}


def test_the_voluntary_sectors_closer_reach_leads(data):
    lead = data["findings"][0]
    assert lead["title"].startswith("Voluntary and community sector: reach to the core rose")
    assert lead["questions"] and lead["cite"].startswith("NESTA / Young Foundation")
    assert len(lead["related"]) >= 2  # the networks it rests on, beneath it


def test_response_rates_are_side_by_side(data):
    rows = {row["label"]: (row["before"], row["after"]) for row in data["response"]["rows"]}
    assert rows["People who answered"] == (92, 95)
    assert rows["Response rate"] == pytest.approx((92 / 137, 95 / 136))


def test_each_network_has_its_ties_figures_and_verdicts(data, demo):
    innovation = next(n for n in data["networks"] if n["network"] == "innovation")
    ties = demo["comparison"]["everyone"]["networks"]["innovation"]["ties"]
    assert f"{ties['lost']:,} were lost and {ties['new']:,} are new" in innovation["ties_text"]
    verdicts = {f["label"]: f["verdict"] for f in innovation["figures"]}
    assert verdicts["Centralisation"] == "Not tested"
    assert {verdicts["Density"], verdicts["Reciprocity"]} <= {"Clear change", "No clear change"}
    sectors = next(t for t in innovation["groups"] if t["title"] == "Sectors")
    voluntary = next(r for r in sectors["rows"] if r["label"] == "Voluntary and community sector")
    assert voluntary["reach_core"]["verdict"] == "Clear change"
    assert voluntary["reach_core"]["after"] > voluntary["reach_core"]["before"]


def _svg(src: str) -> str:
    return base64.b64decode(src.split(",", 1)[1]).decode("utf-8")


def _pairs(folder: Path, network: str, on_both: set[str]) -> set[frozenset]:
    ties = pd.read_csv(folder / "ties.csv", dtype=str)
    ties = ties[(ties["network"] == network) & (ties["source"] != ties["target"])]
    return {
        frozenset(pair)
        for pair in zip(ties["source"], ties["target"], strict=True)
        if set(pair) <= on_both
    }


@pytest.mark.parametrize("network", ["innovation", "decision"])
def test_lost_ties_are_marked_on_the_earlier_map_and_new_ones_on_the_later(data, demo, network):
    rosters = [set(pd.read_csv(f / "people.csv", dtype=str)["id"]) for f in FOLDERS]
    on_both = rosters[0] & rosters[1]
    # Counted from the files: directed nominations as the comparison counts them ...
    directed = []
    for folder in FOLDERS:
        ties = pd.read_csv(folder / "ties.csv", dtype=str)
        ties = ties[ties["network"] == network]
        directed.append({(s, t) for s, t in zip(ties["source"], ties["target"], strict=True)
                         if s in on_both and t in on_both})  # fmt: skip
    counted = demo["comparison"]["everyone"]["networks"][network]["ties"]
    assert (len(directed[0] - directed[1]), len(directed[1] - directed[0])) == (
        counted["lost"], counted["new"],
    )  # fmt: skip
    # ... and pairs as the maps draw them: a pair is lost when neither names the other any more.
    pairs = [_pairs(folder, network, on_both) for folder in FOLDERS]
    maps = next(m for m in data["maps"] if m["network"] == network)
    earlier, later = _svg(maps["before"]["src"]), _svg(maps["after"]["src"])

    assert earlier.count('data-tie="lost"') == len(pairs[0] - pairs[1]) > 0
    assert later.count('data-tie="new"') == len(pairs[1] - pairs[0]) > 0
    assert 'data-tie="new"' not in earlier and 'data-tie="lost"' not in later
    assert "Lost by the next wave (dashed)" in earlier and "(thick)" in later


def test_people_keep_their_places_on_both_waves_maps(demo):
    first, second = (demo[w]["layout"]["positions"] for w in ("before", "after"))
    sector = [{p["id"]: p["sector"] for p in demo[w]["people"]} for w in ("before", "after")]
    # Someone with no tie in wave 1 sat in their box's margin, and is placed afresh once tied.
    tied = {str(p) for rows in demo["before"]["ties"].values() for row in rows for p in row[:2]}
    kept = [p for p in first if p in second and p in tied and sector[0][p] == sector[1][p]]
    assert kept and all(first[p] == pytest.approx(second[p], abs=1e-6) for p in kept)


def test_the_viewers_comparison_names_no_one(demo, pseudonyms):
    shown = viewer_comparison(demo["comparison"], pseudonyms)
    text = json.dumps(shown)

    leaked = [n for n in _roster_names() if n in text]
    assert leaked == []
    ids = {str(p["id"]) for w in ("before", "after") for p in demo[w]["people"]}
    assert not ids & set(re.findall(r'"(p\d+)"', text))
    assert shown["everyone"]["core"]["joined"] == [
        {"id": pseudonyms[p["id"]], "name": pseudonyms[p["id"]]}
        for p in demo["comparison"]["everyone"]["core"]["joined"]
    ]


def test_the_viewers_comparison_says_nothing_per_person_about_who_answered(demo, pseudonyms):
    panel = viewer_comparison(demo["comparison"], pseudonyms)["answered_both"]
    assert panel["core"] == {"joined": 1, "left": 0}
    for network in panel["networks"].values():
        for change in network["key_connectors"].values():
            assert all(isinstance(n, int) for n in change.values())


def test_no_group_under_five_is_broken_out_for_a_viewer(demo, pseudonyms):
    shown = viewer_comparison(demo["comparison"], pseudonyms)
    people = [pd.read_csv(f / "people.csv", dtype=str) for f in FOLDERS]
    answered = [set(p.loc[p["responded"] == "yes", "id"]) for p in people]
    panel = answered[0] & answered[1]
    for view, among in (("everyone", None), ("answered_both", panel)):
        for network in shown[view]["networks"].values():
            for grouping, groups in network["groups"].items():
                for group in groups:
                    for roster in people:
                        members = roster[roster[grouping] == group]["id"]
                        size = len(members if among is None else set(members) & among)
                        assert size >= MIN_GROUP, (view, grouping, group, size)


def test_the_pseudonymised_report_holds_no_name(demo, pseudonyms):
    report = build_comparison_report(
        demo["comparison"], before=demo["before"], after=demo["after"], pseudonyms=pseudonyms,
        **LABELS,
    )  # fmt: skip
    page = render_html(report)
    maps = re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', page)
    words = page + "".join(_svg(src) for src in maps)

    assert report.pseudonymised and maps
    assert [n for n in _roster_names() if n in words] == []
    assert "Person " in words


def test_the_study_report_of_the_later_wave_says_what_changed_after_its_summary(demo):
    report = build_report(
        demo["after"], change={"comparison": demo["comparison"], "before": None, **LABELS}
    )
    assert [s.id for s in report.sections][:2] == ["summary", "change"]
    change = report.section("change").data
    assert change["maps"] == [] and change["maps_note"].startswith("No maps")
    assert "What changed since the last wave" in render_html(report)


def test_a_map_refuses_a_mark_it_does_not_know(demo):
    from placelab.core.errors import PlacelabError
    from placelab.report.maps import network_svg

    with pytest.raises(PlacelabError, match="marked takes lost and new, not gone"):
        network_svg(demo["before"], "work", marked={"gone": []})


def test_the_pseudonymised_study_report_compares_through_viewer_copies(demo, pseudonyms):
    change = {"comparison": demo["comparison"], "before": demo["before"], **LABELS}
    report = build_report(demo["after"], pseudonyms=pseudonyms, change=change)

    data = report.section("change").data
    assert data["pseudonymised"] and len(data["maps"]) == len(demo["comparison"]["networks"])
    page = render_html(report)
    maps = re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', page)
    assert [n for n in _roster_names() if n in page + "".join(_svg(m) for m in maps)] == []
    assert change["comparison"] is demo["comparison"]  # the input is not changed


def test_only_clear_changes_are_set_in_bold(demo):
    page = render_html(build_comparison_report(
        demo["comparison"], before=None, after=None, **LABELS
    ))  # fmt: skip
    assert "<strong>Clear change</strong>" in page
    assert "<strong>No clear change" not in page and "<strong>Not tested" not in page


def test_the_viewers_comparison_lists_people_in_pseudonym_order(demo, pseudonyms):
    shown = viewer_comparison(demo["comparison"], pseudonyms)["everyone"]
    lists = [
        change[key]
        for network in shown["networks"].values()
        for change in network["key_connectors"].values()
        for key in ("became", "stopped")
    ]
    numbers = [[int(p["id"].split()[-1]) for p in people] for people in lists]  # fmt: skip
    assert any(len(n) > 1 for n in numbers) and all(n == sorted(n) for n in numbers)
