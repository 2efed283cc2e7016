"""The sector template (Appendix C 4.2, Figure C8): where each person is drawn, once, for every map."""

from __future__ import annotations

import math

import igraph as ig
from hypothesis import given, settings
from hypothesis import strategies as st

from placelab.core.networks.layout import (
    MARGIN_SHARE,
    MIN_GAP,
    OTHER_SECTORS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    region_keys,
    sector_layout,
)
from tests.strategies import directed_edges

# 32 people: 8 in the council, 8 in schools, 6 in the voluntary sector, 5 residents, and five
# people in two sectors too small to show (health 3, funder 2).
SECTORS = (
    ["local_authority"] * 8
    + ["school_college"] * 8
    + ["voluntary_community"] * 6
    + ["resident_group"] * 5
    + ["health"] * 3
    + ["funder"] * 2
)
IDS = [f"p{i:02d}" for i in range(len(SECTORS))]
# A path inside each sector, a few ties across; p21 and p31 (a funder) have no tie at all.
TIES = (
    [(i, i + 1) for i in range(0, 7)]
    + [(i, i + 1) for i in range(8, 15)]
    + [(i, i + 1) for i in range(16, 20)]
    + [(i, i + 1) for i in range(22, 26)]
    + [(0, 8), (3, 16), (9, 22), (27, 1), (28, 27), (29, 30)]
)
ISOLATES = {"p21", "p31"}


def _graph() -> ig.Graph:
    return ig.Graph(n=len(IDS), edges=TIES)


def _regions(layout: dict) -> dict[str, dict]:
    return {r["key"]: r for r in layout["regions"]}


def _inside(point, region, slack=0.11) -> bool:
    x, y = point
    return (
        region["x"] - slack <= x <= region["x"] + region["width"] + slack
        and region["y"] - slack <= y <= region["y"] + region["height"] + slack
    )


def _in_margin_band(point, region) -> bool:
    band_top = region["y"] + region["height"] * (1 - MARGIN_SHARE) - 0.11
    return _inside(point, region) and point[1] >= band_top


def _region_of(layout: dict, sectors=SECTORS) -> dict[str, dict]:
    by_sector = {s: r for r in layout["regions"] for s in r["sectors"]}
    return {person: by_sector[sector] for person, sector in zip(IDS, sectors, strict=False)}


def test_everyone_is_inside_their_sectors_region():
    layout = sector_layout(_graph(), IDS, SECTORS)
    regions = _region_of(layout)
    for person, point in layout["positions"].items():
        assert _inside(point, regions[person]), (person, point, regions[person])


def test_sectors_under_five_share_the_other_sectors_region_with_a_label():
    layout = sector_layout(_graph(), IDS, SECTORS)
    other = _regions(layout)[OTHER_SECTORS]
    assert other["sectors"] == ["funder", "health"]
    assert other["label"] == "Other sectors"
    assert _regions(layout)["voluntary_community"]["label"] == "Voluntary and community sector"


def test_a_small_sector_alone_is_not_given_away_by_subtraction():
    # Health (4) would be the only group left out: the smallest shown sector (5) joins it.
    keys = region_keys(["local_authority"] * 9 + ["school_college"] * 5 + ["health"] * 4)
    assert keys == {
        "local_authority": "local_authority",
        "school_college": OTHER_SECTORS,
        "health": OTHER_SECTORS,
    }


def test_the_template_follows_figure_c8():
    regions = _regions(sector_layout(_graph(), IDS, SECTORS))
    council, schools = regions["local_authority"], regions["school_college"]
    voluntary, residents = regions["voluntary_community"], regions["resident_group"]
    assert council["x"] < schools["x"] and council["y"] == schools["y"] < 10
    for below in (voluntary, residents):
        assert below["y"] >= council["y"] + council["height"]
    for region in regions.values():
        assert region["x"] >= 0 and region["x"] + region["width"] <= PAGE_WIDTH
        assert region["y"] >= 0 and region["y"] + region["height"] <= PAGE_HEIGHT


def test_regions_do_not_overlap():
    regions = list(_regions(sector_layout(_graph(), IDS, SECTORS)).values())
    for n, a in enumerate(regions):
        for b in regions[n + 1 :]:
            apart_x = a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            apart_y = a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
            assert apart_x or apart_y, (a["key"], b["key"])


def test_a_caller_can_change_the_order_of_the_regions():
    order = ["voluntary_community", "resident_group", "local_authority", "school_college"]
    regions = _regions(sector_layout(_graph(), IDS, SECTORS, sector_order=order))
    assert regions["voluntary_community"]["x"] < 10 and regions["voluntary_community"]["y"] < 10
    assert regions["local_authority"]["y"] > regions["voluntary_community"]["y"]


def test_people_with_no_tie_sit_in_their_regions_margin():
    layout = sector_layout(_graph(), IDS, SECTORS)
    regions = _region_of(layout)
    for person in ISOLATES:
        assert layout["positions"][person] == layout["margins"][person]
        assert _in_margin_band(layout["positions"][person], regions[person])
    for person in set(IDS) - ISOLATES:
        point = layout["positions"][person]
        assert _inside(point, regions[person]) and not _in_margin_band(point, regions[person])


def test_everyone_has_a_margin_place_of_their_own():
    layout = sector_layout(_graph(), IDS, SECTORS)
    regions = _region_of(layout)
    places = {tuple(p) for p in layout["margins"].values()}
    assert len(places) == len(IDS)
    for person, point in layout["margins"].items():
        assert _in_margin_band(point, regions[person])


def test_the_same_seed_gives_the_same_layout_and_another_seed_another():
    first = sector_layout(_graph(), IDS, SECTORS, seed=3)
    assert sector_layout(_graph(), IDS, SECTORS, seed=3) == first
    assert sector_layout(_graph(), IDS, SECTORS, seed=4)["positions"] != first["positions"]


def test_a_second_wave_keeps_everyone_where_the_first_put_them():
    first = sector_layout(_graph(), IDS, SECTORS, seed=0)
    # Wave 2: new ties (p21 now tied), one tie gone, and a new council member, p32.
    ids = [*IDS, "p32"]
    sectors = [*SECTORS[:8], *SECTORS[8:], "local_authority"]
    ties = [t for t in TIES if t != (0, 8)] + [(20, 21), (32, 2), (32, 5)]
    second = sector_layout(ig.Graph(n=len(ids), edges=ties), ids, sectors, seed=7, anchors=first)
    assert second["regions"] == first["regions"]
    for person in set(IDS) - ISOLATES:
        assert second["positions"][person] == first["positions"][person], person
    for person in IDS:
        assert second["margins"][person] == first["margins"][person], person
    council = _regions(second)["local_authority"]
    assert _inside(second["positions"]["p32"], council)
    assert not _in_margin_band(second["positions"]["p21"], _regions(second)["voluntary_community"])


def test_the_free_layout_uses_the_whole_page_and_no_regions():
    free = sector_layout(_graph(), IDS, SECTORS)["free"]
    assert set(free) == set(IDS)
    xs = [x for x, _ in free.values()]
    ys = [y for _, y in free.values()]
    assert 0 <= min(xs) and max(xs) <= PAGE_WIDTH and 0 <= min(ys) and max(ys) <= PAGE_HEIGHT
    assert max(xs) - min(xs) > PAGE_WIDTH / 2


def test_an_empty_roster_gives_an_empty_layout():
    layout = sector_layout(ig.Graph(n=0), [], [])
    assert layout["positions"] == layout["margins"] == layout["free"] == {}
    assert layout["regions"] == []


SECTOR_CHOICES = ["local_authority", "school_college", "voluntary_community", "health", "police"]


@st.composite
def studies(draw):
    n, edges = draw(directed_edges(min_people=1, max_people=40))
    sectors = draw(st.lists(st.sampled_from(SECTOR_CHOICES), min_size=n, max_size=n))
    return n, edges, sectors


@settings(max_examples=60, deadline=None)
@given(studies(), st.integers(0, 3))
def test_any_study_puts_everyone_inside_their_region(study, seed):
    n, edges, sectors = study
    ids = [f"x{i}" for i in range(n)]
    graph = ig.Graph(n=n, edges=edges).as_undirected(mode="collapse")
    layout = sector_layout(graph, ids, sectors, seed=seed)
    by_sector = {s: r for r in layout["regions"] for s in r["sectors"]}
    for region in layout["regions"]:
        counted = sum(sectors.count(s) for s in region["sectors"])
        assert counted >= 5 or region["key"] == OTHER_SECTORS
    degree = graph.degree()
    for i, person in enumerate(ids):
        region = by_sector[sectors[i]]
        assert _inside(layout["positions"][person], region)
        assert _in_margin_band(layout["margins"][person], region)
        if degree[i] == 0:
            assert layout["positions"][person] == layout["margins"][person]
    assert layout == sector_layout(graph, ids, sectors, seed=seed)


@settings(max_examples=40, deadline=None)
@given(studies(), st.data())
def test_any_second_wave_keeps_the_people_tied_in_both_where_they_were(study, data):
    n, edges, sectors = study
    ids = [f"x{i}" for i in range(n)]
    first_graph = ig.Graph(n=n, edges=edges).as_undirected(mode="collapse")
    first = sector_layout(first_graph, ids, sectors, seed=0)
    _, later_edges = data.draw(directed_edges(min_people=n, max_people=n))
    second_graph = ig.Graph(n=n, edges=later_edges).as_undirected(mode="collapse")
    second = sector_layout(second_graph, ids, sectors, seed=1, anchors=first)
    assert second["regions"] == first["regions"]
    assert second["margins"] == first["margins"]
    for i, person in enumerate(ids):
        if first_graph.degree(i) and second_graph.degree(i):
            assert second["positions"][person] == first["positions"][person]


def test_a_new_sector_order_makes_a_new_template_even_with_anchors():
    first = sector_layout(_graph(), IDS, SECTORS)
    order = ["school_college", "local_authority"]
    second = sector_layout(_graph(), IDS, SECTORS, sector_order=order, anchors=first)
    regions = _regions(second)
    assert regions["school_college"]["x"] < regions["local_authority"]["x"]
    regions_of = _region_of(second)
    for person, point in second["positions"].items():
        assert _inside(point, regions_of[person])


def test_people_are_placed_by_their_ties_inside_their_region():
    # Ten council officers in two teams of five who work only within their team.
    ids = [f"c{i}" for i in range(10)]
    teams = [range(0, 5), range(5, 10)]
    ties = [(a, b) for team in teams for a in team for b in team if a < b]
    layout = sector_layout(ig.Graph(n=10, edges=ties), ids, ["local_authority"] * 10)
    place = {i: layout["positions"][f"c{i}"] for i in range(10)}

    def mean_distance(pairs):
        pairs = list(pairs)
        return sum(math.dist(place[a], place[b]) for a, b in pairs) / len(pairs)

    inside = mean_distance(ties)
    between = mean_distance((a, b) for a in teams[0] for b in teams[1])
    assert inside < between / 2


def test_someone_tied_only_outside_their_sector_faces_those_they_are_tied_to():
    # A new council officer, p32, is tied to three people in schools alone; the schools'
    # region is to the right of the council's.
    ids, sectors = [*IDS, "p32"], [*SECTORS, "local_authority"]
    graph = ig.Graph(n=len(ids), edges=[*TIES, (32, 8), (32, 9), (32, 10)])
    for seed in range(5):
        layout = sector_layout(graph, ids, sectors, seed=seed)
        council = _regions(layout)["local_authority"]
        x, _ = layout["positions"]["p32"]
        assert x > council["x"] + council["width"] / 2, seed


def test_no_one_hides_behind_anyone_else():
    # Forty council officers each tied to one head teacher and to no one else: all face the
    # schools, and would pile up there.
    ids = [f"c{i}" for i in range(45)]
    sectors = ["local_authority"] * 40 + ["school_college"] * 5
    ties = [(i, 40) for i in range(40)] + [(40, 41), (41, 42), (42, 43), (43, 44)]
    for layout in (
        sector_layout(ig.Graph(n=45, edges=ties), ids, sectors),
        sector_layout(_graph(), IDS, SECTORS),
    ):
        points = list(layout["positions"].values())
        closest = min(math.dist(p, q) for n, p in enumerate(points) for q in points[n + 1 :])
        assert closest >= MIN_GAP - 0.2
