"""Two waves compared: ties kept, new and lost counted by hand, figures against NetworkX and
NumPy, and the bootstrap's verdicts on waves built to change, or not."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from small_study import SMALL_PEOPLE, SMALL_TIES

from placelab.core.disclosure import shown_groups
from placelab.core.networks.compare import CLEAR, NOT_CLEAR, compare_waves
from placelab.core.networks.parameters import Parameters
from placelab.core.study import read_study

FAST = Parameters(permutations=99)

# Wave 2 of the small study: Kai Lo (p12) has left and p13 has joined; Ida Joy (p10) did not
# answer. Work ties between people on both rosters (p01-p11): p03->p04, p07->p08 and p10->p11
# are lost, p04->p03 and p11->p09 are new, the other 7 kept; p13->p01 is not between them.
WAVE2_PEOPLE = (
    SMALL_PEOPLE.replace("p10,Ida Joy,Trust,voluntary_community,sectoral,middle,yes",
                         "p10,Ida Joy,Trust,voluntary_community,sectoral,middle,no")
    .replace("p12,Kai Lo,Trust,voluntary_community,sectoral,,yes",
             "p13,Lu Mae,Trust,voluntary_community,sectoral,middle,yes")
)  # fmt: skip
WAVE2_TIES = """\
source,target,network,weight
p01,p02,work,
p02,p01,work,
p01,p05,work,
p05,p06,work,
p06,p07,work,
p09,p10,work,
p01,p09,work,
p04,p03,work,
p11,p09,work,
p13,p01,work,
p01,p05,innovation,
p05,p09,innovation,
p02,p01,expert,
"""
WORK_WAVE2 = [line.split(",")[:2] for line in WAVE2_TIES.splitlines()[1:11]]


def _wave(folder: Path, people: str, ties: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(people, encoding="utf-8")
    (folder / "ties.csv").write_text(ties, encoding="utf-8")
    return read_study(folder / "people.csv", folder / "ties.csv")


@pytest.fixture
def small_waves(tmp_path):
    return (
        _wave(tmp_path / "w1", SMALL_PEOPLE, SMALL_TIES),
        _wave(tmp_path / "w2", WAVE2_PEOPLE, WAVE2_TIES),
    )


def test_ties_kept_new_and_lost_are_counted_on_people_on_both_rosters(small_waves):
    result = compare_waves(*small_waves, FAST, resamples=20)

    ties = result["everyone"]["networks"]["work"]["ties"]
    assert ties == {
        "before": 10, "after": 9, "kept": 7, "new": 2, "lost": 3,
        "kept_share": 0.7, "new_share": 0.2, "lost_share": 0.3,
    }  # fmt: skip
    assert result["everyone"]["people_on_both_rosters"] == 11


def test_density_before_and_after_match_networkx(small_waves):
    result = compare_waves(*small_waves, FAST, resamples=20)

    later = nx.DiGraph(WORK_WAVE2)
    later.add_nodes_from(small_waves[1].people.index)
    density = result["everyone"]["networks"]["work"]["figures"]["density"]
    assert density["before"] == pytest.approx(10 / (12 * 11))
    assert density["after"] == pytest.approx(nx.density(later))
    assert density["change"] == pytest.approx(nx.density(later) - 10 / (12 * 11))
    reciprocity = result["everyone"]["networks"]["work"]["figures"]["reciprocity"]
    assert reciprocity["after"] == pytest.approx(nx.overall_reciprocity(later))


def test_qap_correlation_is_pearsons_r_of_the_two_adjacency_matrices(small_waves):
    result = compare_waves(*small_waves, FAST, resamples=20)

    common = [f"p{i:02d}" for i in range(1, 12)]
    first = nx.DiGraph([e.split(",")[:2] for e in SMALL_TIES.splitlines()[1:11]])
    cells = []
    for graph in (first, nx.DiGraph(WORK_WAVE2)):
        graph.add_nodes_from(common)
        matrix = nx.to_numpy_array(graph, nodelist=common)
        cells.append(matrix[~np.eye(len(common), dtype=bool)])
    qap = result["everyone"]["networks"]["work"]["qap"]
    assert qap["r"] == pytest.approx(np.corrcoef(*cells)[0, 1])
    assert qap["shared_ties"] == 7


def test_the_panel_holds_only_people_who_answered_in_both_waves(small_waves):
    result = compare_waves(*small_waves, FAST, resamples=20)

    # Gus Hay (p08) answered in neither wave, Ida Joy (p10) only the first; Kai Lo (p12) and
    # p13 were each on one roster only.
    assert result["response"]["answered_both"] == 9
    assert result["answered_both"]["people_on_both_rosters"] == 9
    assert result["response"]["before"] == {"people": 12, "responded": 11, "rate": 11 / 12}
    assert result["response"]["after"] == {"people": 12, "responded": 10, "rate": 10 / 12}
    # Among the nine: p01-p02 both ways, p01->p05, p05->p06, p06->p07 and p01->p09 kept,
    # p03->p04 lost, p04->p03 and p11->p09 new; the other ties touch p08 or p10.
    ties = result["answered_both"]["networks"]["work"]["ties"]
    assert (ties["before"], ties["kept"], ties["new"], ties["lost"]) == (7, 6, 2, 1)


def test_groups_under_five_are_not_shown(small_waves):
    result = compare_waves(*small_waves, FAST, resamples=20)

    # Every sector has four people; the layers 4 and 8, and hiding the four would give the
    # eight away, so neither is shown.
    for view in ("everyone", "answered_both"):
        assert result[view]["networks"]["work"]["groups"] == {"sector": {}, "layer": {}}


# A place of 43 people: Ann (p01) and Bea (p02) of the council are named by everyone else, and
# each person names three others of their own sector. In the later wave each member of the
# voluntary sector names both of them instead of Ann alone: their ties to the core double.
SECTOR_SIZES = {
    "local_authority": 10,
    "school_college": 10,
    "health": 10,
    "voluntary_community": 10,
    "business": 3,
}
LAYER_OF = {"local_authority": "systemic", "voluntary_community": "sectoral", "business": "public"}


def _place(closer: bool, *, silent: tuple[str, ...] = ()) -> tuple[str, str]:
    rng = np.random.default_rng(7)
    sectors = [s for s, n in SECTOR_SIZES.items() for _ in range(n)]
    ids = [f"p{i + 1:02d}" for i in range(len(sectors))]
    people = ["id,name,organisation,sector,layer,seniority,responded"] + [
        f"{p},Person {p},Org {s},{s},{LAYER_OF.get(s, 'frontline')},middle,"
        f"{'no' if p in silent else 'yes'}"
        for p, s in zip(ids, sectors, strict=True)
    ]
    ties = {("p01", "p02"), ("p02", "p01")}
    for person, sector in zip(ids[2:], sectors[2:], strict=True):
        peers = [q for q, s in zip(ids, sectors, strict=True) if s == sector and q != person]
        peers = [q for q in peers if q not in ("p01", "p02")]
        ties |= {(person, q) for q in rng.choice(peers, size=min(3, len(peers)), replace=False)}
        core = ("p01", "p02") if closer or sector != "voluntary_community" else ("p01",)
        ties |= {(person, c) for c in core}
    lines = ["source,target,network,weight"] + [
        f"{s},{t},innovation,1" for s, t in sorted(ties) if s not in silent
    ]
    return "\n".join(people) + "\n", "\n".join(lines) + "\n"


@pytest.fixture
def place(tmp_path):
    def make(name: str, closer: bool, **options):
        return _wave(tmp_path / name, *_place(closer, **options))

    return make


def test_identical_waves_show_no_change_and_no_clear_change(place):
    wave = place("w1", closer=False)
    result = compare_waves(wave, wave, FAST, resamples=50)

    assert result["findings"] == []
    for view in ("everyone", "answered_both"):
        entry = result[view]["networks"]["innovation"]
        assert entry["ties"]["new"] == entry["ties"]["lost"] == 0
        assert all(f["change"] == 0 for f in entry["figures"].values())
        assert entry["communities"]["merged"] == entry["communities"]["split"] == []
        assert result[view]["core"] == {"joined": [], "left": []}
        assert entry["qap"]["r"] == pytest.approx(1.0)
    panel = result["answered_both"]["networks"]["innovation"]
    verdicts = [panel["figures"][k]["verdict"] for k in ("density", "reciprocity")] + [
        figures[key]["verdict"]
        for groups in panel["groups"].values()
        for figures in groups.values()
        for key in ("ei_index", "reach_core")
    ]
    assert verdicts and set(verdicts) == {NOT_CLEAR}


def test_a_sector_whose_ties_to_the_core_double_is_a_clear_change(place):
    result = compare_waves(place("w1", closer=False), place("w2", closer=True), FAST)

    assert result["answered_both"]["core"] == {"joined": [], "left": []}
    sectors = result["answered_both"]["networks"]["innovation"]["groups"]["sector"]
    voluntary = sectors["voluntary_community"]["reach_core"]
    assert voluntary["after"] > voluntary["before"]
    assert voluntary["verdict"] == CLEAR and voluntary["interval"][0] > 0
    for untouched in ("school_college",):
        assert sectors[untouched]["reach_core"]["verdict"] == NOT_CLEAR
    found = [f for f in result["findings"] if f["numbers"].get("group") == "voluntary_community"]
    reach = next(f for f in found if f["numbers"]["figure"] == "reach_core")
    assert reach["numbers"]["interval"] == voluntary["interval"]
    assert reach["questions"] and reach["seed"]


def test_business_of_three_is_hidden_with_the_group_its_absence_would_reveal(place):
    result = compare_waves(place("w1", closer=False), place("w2", closer=True), FAST)

    shown = result["everyone"]["networks"]["innovation"]["groups"]["sector"]
    assert "business" not in shown
    assert set(shown) == set(shown_groups(SECTOR_SIZES))


def test_it_is_reproducible_for_a_seed(place):
    waves = place("w1", closer=False), place("w2", closer=True)

    assert compare_waves(*waves, FAST, seed=3) == compare_waves(*waves, FAST, seed=3)
    other = compare_waves(*waves, FAST, seed=4)["answered_both"]["networks"]["innovation"]
    same = compare_waves(*waves, FAST, seed=3)["answered_both"]["networks"]["innovation"]
    assert other["figures"]["density"]["interval"] != same["figures"]["density"]["interval"]


def test_the_panel_leaves_out_who_answered_only_once(place):
    before = place("w1", closer=False, silent=("p12",))
    after = place("w2", closer=True, silent=("p20", "p31"))
    result = compare_waves(before, after, FAST, resamples=20)

    assert result["response"]["answered_both"] == 43 - 3
    assert result["answered_both"]["people_on_both_rosters"] == 40
    assert result["everyone"]["people_on_both_rosters"] == 43
    assert result["response"]["after"]["responded"] == 41


def test_the_demos_second_wave_shows_the_voluntary_sector_closer_to_the_core(tmp_path):
    demo = pytest.importorskip("placelab.core.demo")
    if not hasattr(demo, "generate_second_wave"):
        pytest.skip("the demo has no second wave yet")
    first = demo.generate_locality()
    waves = []
    for name, (people, ties) in (("w1", first), ("w2", demo.generate_second_wave(*first))):
        (tmp_path / name).mkdir()
        people.to_csv(tmp_path / name / "people.csv", index=False)
        ties.to_csv(tmp_path / name / "ties.csv", index=False)
        waves.append(read_study(tmp_path / name / "people.csv", tmp_path / name / "ties.csv"))

    result = compare_waves(*waves, FAST, resamples=100)

    figures = result["answered_both"]["networks"]["innovation"]["groups"]["sector"]
    reach = figures["voluntary_community"]["reach_core"]
    assert reach["verdict"] == CLEAR and reach["change"] > 0
    top = result["findings"][0]["numbers"]
    assert (top["group"], top["figure"]) == ("voluntary_community", "reach_core")


def test_the_bootstraps_figures_with_everyone_drawn_once_are_the_analysiss(place):
    from placelab.core.networks.analysis import analyse_networks
    from placelab.core.networks.compare import _resampled

    analysis = analyse_networks(place("w1", closer=False), FAST)
    once = np.ones((1, len(analysis.data.people)), dtype=np.int64)
    figures = _resampled(analysis, "innovation", once)

    summary = analysis.summary.loc["innovation"]
    assert figures["density"][0] == pytest.approx(summary["density"])
    assert figures["reciprocity"][0] == pytest.approx(summary["reciprocity"])
    mixes = analysis.group_mixing.set_index(["network", "grouping", "group"]).loc["innovation"]
    for (grouping, group), row in mixes.iterrows():
        assert figures[grouping, group, "ei_index"][0] == pytest.approx(row["ei_index"])
        expected = np.nan if row["reach_core"] is None else row["reach_core"]
        assert figures[grouping, group, "reach_core"][0] == pytest.approx(expected, nan_ok=True)


def test_without_two_people_answering_both_waves_there_is_no_panel(tmp_path):
    people = "id,name,organisation,sector,layer,seniority,responded\n{}\n{}\n"
    row = "{},{},Trust,health,systemic,senior,{}"
    before = _wave(
        tmp_path / "w1", people.format(row.format("a", "A", "yes"), row.format("b", "B", "no")),
        "source,target,network,weight\na,b,work,1\n",
    )  # fmt: skip
    after = _wave(
        tmp_path / "w2", people.format(row.format("a", "A", "no"), row.format("b", "B", "yes")),
        "source,target,network,weight\nb,a,work,1\n",
    )  # fmt: skip

    result = compare_waves(before, after, FAST, resamples=10)

    assert result["response"]["answered_both"] == 0
    assert result["answered_both"] is None and result["findings"] == []
    assert result["everyone"]["networks"]["work"]["ties"]["lost"] == 1


# --- findings grouped by what they share ---------------------------------------------------


def _figure(change: float, clear: bool = True) -> dict:
    interval = [change / 2, change * 1.5] if change > 0 else [change * 1.5, change / 2]
    return {"before": 0.2, "after": 0.2 + change, "change": change,
            "interval": interval if clear else [-0.1, 0.1],
            "verdict": CLEAR if clear else NOT_CLEAR}  # fmt: skip


def _view(reach: dict[tuple[str, str], float], *, joined: int = 0, density=None) -> dict:
    """A panel view whose only clear changes are ``reach[(network, group)]`` (sector groups)
    and ``density[network]``."""
    networks: dict = {}
    for (network, group), change in reach.items():
        entry = networks.setdefault(network, {"figures": {}, "groups": {"sector": {}}})
        entry["groups"]["sector"][group] = {"reach_core": _figure(change),
                                            "ei_index": _figure(0.0, clear=False)}  # fmt: skip
    for network in density or {}:
        networks.setdefault(network, {"figures": {}, "groups": {"sector": {}}})
    for network, entry in networks.items():
        change = (density or {}).get(network)
        entry["figures"] = {
            "density": _figure(change) if change else _figure(0.0, clear=False),
            "reciprocity": _figure(0.0, clear=False),
        }
    core = {"joined": [{"id": f"p{i}", "name": f"P{i}"} for i in range(joined)], "left": []}
    return {"core": core, "networks": networks}


def _grouped(view: dict) -> tuple[list[dict], list[dict]]:
    from placelab.core.networks.compare_findings import change_findings, finding_groups

    findings = change_findings(view, 100)
    return findings, finding_groups(findings, view)


def _every_finding_once(findings: list[dict], groups: list[dict]) -> None:
    members = [i for g in groups for i in g["related"]]
    assert sorted(members) == sorted(f["id"] for f in findings)


def test_one_groups_changes_across_networks_are_one_lead_finding():
    findings, groups = _grouped(
        _view({("work", "health"): 0.2, ("expert", "health"): 0.3, ("work", "police_justice"): 0.1})
    )

    _every_finding_once(findings, groups)
    lead = groups[0]
    assert lead["cause"] == "same group" and len(lead["related"]) == 2
    assert lead["related"][0] == "change_reach_core_expert_sector_health"  # the larger first
    assert lead["lead"]["title"] == "Health: reach to the core rose in 2 networks"
    assert lead["lead"]["numbers"]["related"] and lead["lead"]["questions"]
    assert lead["lead"]["seed"]["section"] == "Appendix C 4.3.4"
    assert groups[1]["cause"] == "one change"
    assert groups[1]["lead"]["id"] == "change_reach_core_work_sector_police_justice"


def test_reach_moving_together_when_the_core_changed_is_read_as_the_cores_change():
    reach = {("work", "health"): 0.05, ("work", "police_justice"): 0.06,
             ("work", "business"): 0.04, ("expert", "school_college"): 0.05,
             ("work", "voluntary_community"): 0.30, ("expert", "voluntary_community"): 0.25}  # fmt: skip
    findings, groups = _grouped(_view(reach, joined=1))

    _every_finding_once(findings, groups)
    # Median of the groups' largest changes is 0.05: the voluntary sector's 0.30 is more than
    # twice it, so it stands apart and leads; the others move with the core.
    assert [g["cause"] for g in groups] == ["same group", "core changed"]
    assert groups[0]["lead"]["numbers"]["group"] == "voluntary_community"
    assert "more than the core's change alone explains" in groups[0]["lead"]["text"]
    core = groups[1]
    assert len(core["related"]) == 4 and core["lead"]["numbers"]["core_changed"]["joined"] == 1
    assert core["lead"]["title"] == "The core group changed, and the reach to it of 4 groups rose"


def test_without_a_change_of_the_core_groups_are_not_put_together():
    reach = {("work", "health"): 0.05, ("work", "police_justice"): 0.06}
    findings, groups = _grouped(_view(reach, joined=0))
    assert [g["cause"] for g in groups] == ["one change", "one change"]


def test_one_figure_moving_the_same_way_in_several_networks_is_one_finding():
    findings, groups = _grouped(_view({}, density={"work": 0.02, "social": 0.01}))

    _every_finding_once(findings, groups)
    (group,) = groups
    assert group["cause"] == "same figure"
    assert group["lead"]["title"] == "Density rose in 2 networks"


def test_groups_figures_rank_before_whole_networks():
    _findings, groups = _grouped(_view({("work", "health"): 0.01}, density={"social": 0.5}))
    assert [g["lead"]["numbers"].get("group") for g in groups] == ["health", None]


def test_the_demos_voluntary_sector_leads_the_grouped_findings():
    examples = Path(__file__).parents[3] / "examples"
    waves = [read_study(f / "people.csv", f / "ties.csv") for f in (examples, examples / "wave2")]

    result = compare_waves(*waves, FAST, resamples=100)

    lead = result["finding_groups"][0]["lead"]
    assert lead["numbers"]["group"] == "voluntary_community"
    assert {c["figure"] for c in lead["numbers"]["changes"]} >= {"reach_core"}
    _every_finding_once(result["findings"], result["finding_groups"])
    assert "finding_groups" in result["method"]
