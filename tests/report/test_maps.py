"""Static maps: one SVG per network and view, from the stored layout, readable without colour."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import placelab
from placelab.core.demo import generate_locality, write_locality
from placelab.core.errors import PlacelabError
from placelab.core.networks.layout import sector_layout
from placelab.core.pseudonymise import pseudonym_map, viewer_analysis
from placelab.core.vocabulary import label
from placelab.report.maps import BAND_LABELS, network_svg, svg_to_png
from tests.strategies import directed_edges

SVG = "{http://www.w3.org/2000/svg}"
SECTORS = ["local_authority", "school_college", "voluntary_community", "health"]
FAST = placelab.Parameters(permutations=9)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A generated locality of 60 people in seven networks, as the JSON file holds it."""
    people, ties = write_locality(
        tmp_path_factory.mktemp("maps"), *generate_locality(people=60, seed=2)
    )
    return json.loads(json.dumps(placelab.load(people, ties, parameters=FAST).to_dict()))


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed


def _people(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("data-person"): e for e in root.iter() if e.get("data-person")}


def _centre(element: ET.Element) -> tuple[float, float]:
    """Where a person is drawn: a circle's centre, or the centre of a role's outermost shape."""
    if element.tag == SVG + "circle":
        return float(element.get("cx")), float(element.get("cy"))
    outer = next(iter(element.iter(SVG + "rect")), None)
    if outer is not None:
        return (
            float(outer.get("x")) + float(outer.get("width")) / 2,
            float(outer.get("y")) + float(outer.get("height")) / 2,
        )
    points = next(element.iter(SVG + "polygon")).get("points").split()
    xs = [float(p.split(",")[0]) for p in points]
    ys = [float(p.split(",")[1]) for p in points]
    if len(points) == 4:  # diamond
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return (min(xs) + max(xs)) / 2, ys[0] + (max(ys) - ys[0]) * 2 / 3  # triangle: centroid


def _texts(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root.iter(SVG + "text"))


def _tied(result: dict, network: str) -> set[str]:
    return {str(p) for s, t, _w in result["ties"][network] for p in (s, t)}


@pytest.mark.parametrize("view", ["all", "within", "across"])
@pytest.mark.parametrize("network", ["innovation", "work", "all"])
def test_every_view_is_well_formed_and_titled(result: dict, network: str, view: str):
    root = _tree(network_svg(result, network, ties=view))
    assert root.find(SVG + "title").text
    assert "people" in root.find(SVG + "desc").text
    assert not list(root.iter(SVG + "script"))


def test_the_legend_names_every_role_and_what_hollow_means(result: dict):
    legend = _texts(_tree(network_svg(result, "innovation")))
    for words in ("Hub", "Gatekeeper", "Pulsetaker", "Several roles", "did not answer"):
        assert words in legend


def test_key_connectors_have_their_colour_and_a_shape(result: dict):
    root = _tree(network_svg(result, "innovation"))
    people = _people(root)
    connectors = result["networks"]["innovation"]["key_connectors"]
    for role, colour, tag in (
        ("hub", "#f5c400", "rect"),
        ("gatekeeper", "#1f8a3b", "polygon"),
        ("pulsetaker", "#d4351c", "polygon"),
    ):
        assert connectors[role], f"the generated locality should have a {role}"
        for person in connectors[role]:
            marks = list(people[person].iter(SVG + tag))
            assert any(colour in (m.get("fill"), m.get("stroke")) for m in marks), (role, person)


def test_someone_holding_several_roles_shows_each(result: dict):
    connectors = result["networks"]["innovation"]["key_connectors"]
    several = set(connectors["hub"]) & set(connectors["pulsetaker"])
    assert several, "the generated locality should have a hub who is also a pulsetaker"
    people = _people(_tree(network_svg(result, "innovation")))
    for person in several:
        shapes = [e for e in people[person] if e.tag in (SVG + "rect", SVG + "polygon")]
        assert len(shapes) >= 2


def test_a_person_has_one_position_in_every_network(result: dict):
    drawn = {n: _people(_tree(network_svg(result, n))) for n in ("work", "innovation", "expert")}
    both = _tied(result, "work") & _tied(result, "innovation") & _tied(result, "expert")
    assert both
    for person in both:
        spots = {n: _centre(drawn[n][person]) for n in drawn}
        assert spots["work"] == pytest.approx(spots["innovation"], abs=0.11)
        assert spots["work"] == pytest.approx(spots["expert"], abs=0.11)
        assert spots["work"] == pytest.approx(result["layout"]["positions"][person], abs=0.11)


def test_people_with_no_tie_in_the_network_sit_in_their_margin(result: dict):
    untied = set(result["layout"]["positions"]) - _tied(result, "strategic")
    assert untied, "someone should have no strategic tie"
    drawn = _people(_tree(network_svg(result, "strategic")))
    for person in untied:
        assert _centre(drawn[person]) == pytest.approx(
            result["layout"]["margins"][person], abs=0.11
        )


def test_non_respondents_are_hollow_and_a_viewers_map_says_nothing_of_who_answered(result: dict):
    silent = [str(p["id"]) for p in result["people"] if not p["responded"]]
    assert silent
    drawn = _people(_tree(network_svg(result, "innovation")))
    plain = [p for p in silent if drawn[p].tag == SVG + "circle"]
    assert plain and all(drawn[p].get("fill") == "#ffffff" for p in plain)
    roster = [(str(p["id"]), p["name"]) for p in result["people"]]
    names = pseudonym_map(roster, secret="test", scope="maps")
    viewer = viewer_analysis(result, None, names)["result"]
    root = _tree(network_svg(viewer, "innovation"))
    assert not [e for e in root.iter(SVG + "circle") if e.get("fill") == "#ffffff"]
    assert "did not answer" not in _texts(root)
    svg = network_svg(viewer, "innovation")
    for person in result["people"]:
        assert person["name"] not in svg


def test_one_way_ties_carry_an_arrowhead_and_two_way_ties_none(result: dict):
    pointed = {(str(s), str(t)) for s, t, _w in result["ties"]["work"]}
    pairs = {tuple(sorted(p)) for p in pointed}
    mutual = {p for p in pairs if (p[1], p[0]) in pointed and p in pointed}
    root = _tree(network_svg(result, "work", across_style="lines"))
    lines = list(root.find(SVG + "g[@class='ties']"))
    assert len(lines) == len(pairs)
    arrows = [e for e in lines if e.get("marker-end")]
    assert len(arrows) == len(pairs) - len(mutual)


def test_within_and_across_split_the_ties_between_them(result: dict):
    def count(view: str) -> int:
        root = _tree(network_svg(result, "innovation", ties=view, across_style="lines"))
        return len(list(root.find(SVG + "g[@class='ties']")))

    assert count("within") + count("across") == count("all")
    assert count("within") and count("across")


def test_aggregated_bands_count_every_tie_across_sectors(result: dict):
    lines = _tree(network_svg(result, "innovation", ties="across", across_style="lines"))
    across = len(list(lines.find(SVG + "g[@class='ties']")))
    bands = _tree(network_svg(result, "innovation", ties="across", across_style="aggregated"))
    tips = [t.text for t in bands.find(SVG + "g[@class='bands']").iter(SVG + "title")]
    # Ties between two small sectors, which share a region, stay lines.
    alone = [e for e in bands.find(SVG + "g[@class='ties']") if e.get("class") != "in-band"]
    assert sum(int(tip.rsplit(": ", 1)[1].split()[0]) for tip in tips) + len(alone) == across
    written = [t for t in bands.find(SVG + "g[@class='band-counts']").iter(SVG + "text")]
    assert 0 < len(written) <= min(len(tips), BAND_LABELS)


def test_one_sectors_map_holds_its_people_and_their_ties_alone(result: dict):
    council = {str(p["id"]) for p in result["people"] if p["sector"] == "local_authority"}
    root = _tree(network_svg(result, "innovation", only="local_authority"))
    assert set(_people(root)) == council
    assert "Local authority" in root.find(SVG + "title").text
    regions = root.find(SVG + "g[@class='regions']")
    assert len(list(regions.iter(SVG + "text"))) == 1


def test_the_free_layout_draws_no_regions(result: dict):
    root = _tree(network_svg(result, "innovation", layout="free"))
    assert not list(root.find(SVG + "g[@class='regions']"))
    drawn = _people(root)
    person = next(iter(_tied(result, "innovation")))
    assert _centre(drawn[person]) == pytest.approx(result["layout"]["free"][person], abs=0.11)


def test_highlighted_people_stay_bright_and_the_rest_fade(result: dict):
    chosen = result["networks"]["innovation"]["key_connectors"]["hub"][:1]
    drawn = _people(_tree(network_svg(result, "innovation", highlight=chosen)))
    assert drawn[chosen[0]].get("opacity") is None
    assert all(e.get("opacity") == "0.3" for p, e in drawn.items() if p not in chosen)


def test_a_result_without_a_layout_says_to_run_the_analysis_again(result: dict):
    old = {k: v for k, v in result.items() if k not in ("layout", "ties")}
    with pytest.raises(PlacelabError, match="run the analysis again"):
        network_svg(old, "innovation")


def test_a_bad_view_is_refused_clearly(result: dict):
    with pytest.raises(PlacelabError, match="within"):
        network_svg(result, "innovation", ties="sideways")
    with pytest.raises(PlacelabError, match="no 'gossip' network"):
        network_svg(result, "gossip")


def test_the_png_is_a_picture_not_a_blank(result: dict, tmp_path: Path):
    png = svg_to_png(network_svg(result, "innovation"))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 2000
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50
    assert (245, 196, 0) in {c for _n, c in colours}, "a hub's yellow should be painted"


def test_auto_draws_ties_across_one_by_one_until_they_would_make_a_solid_band(result: dict):
    from placelab.report.maps import AGGREGATE_ABOVE

    lines = network_svg(result, "work", ties="across", across_style="lines")
    across = len(list(_tree(lines).find(SVG + "g[@class='ties']")))
    bands = network_svg(result, "work", ties="across", across_style="aggregated")
    auto = network_svg(result, "work", ties="across")
    assert auto == (bands if across > AGGREGATE_ABOVE else lines)


@st.composite
def small_results(draw) -> dict:
    """A result holding what a map reads: layout, ties (some one-way), key connectors."""
    n, edges = draw(directed_edges(min_people=1, max_people=30))
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=n, max_size=n))
    ids = [f"x{i}" for i in range(n)]
    graph = ig.Graph(n=n, edges=edges).as_undirected(mode="collapse")
    hubs = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    return {
        "layout": sector_layout(graph, ids, sectors),
        "ties": {"work": [[ids[s], ids[t], 1.0] for s, t in edges]},
        "networks": {"work": {"key_connectors": {"hub": hubs, "gatekeeper": hubs[:1]}}},
        "people": [{"id": p, "responded": i % 3 > 0} for i, p in enumerate(ids)],
    }


@settings(max_examples=40, deadline=None)
@given(small_results(), st.sampled_from(["all", "within", "across"]))
def test_any_study_draws_everyone_once_inside_their_region(result, view):
    root = _tree(network_svg(result, "work", ties=view))
    drawn = _people(root)
    assert set(drawn) == set(result["layout"]["positions"])
    regions = {r["key"]: r for r in result["layout"]["regions"]}
    tied = _tied(result, "work")
    for person, element in drawn.items():
        x, y = _centre(element)
        inside = [
            k for k, r in regions.items()
            if r["x"] - 0.2 <= x <= r["x"] + r["width"] + 0.2
            and r["y"] - 0.2 <= y <= r["y"] + r["height"] + 0.2
        ]  # fmt: skip
        assert len(inside) == 1, person
        expected = result["layout"]["positions" if person in tied else "margins"][person]
        assert (x, y) == pytest.approx(expected, abs=0.11)


def test_a_small_sectors_map_is_the_other_sectors_region(result: dict):
    other = next(r for r in result["layout"]["regions"] if r["key"] == "other_sectors")
    small = other["sectors"][0]
    root = _tree(network_svg(result, "innovation", only=small))
    assert root.find(SVG + "title").text.endswith(label(small))
    members = {str(p["id"]) for p in result["people"] if p["sector"] == small}
    assert set(_people(root)) == members
    merged = _tree(network_svg(result, "innovation", only="other_sectors"))
    assert merged.find(SVG + "title").text.endswith("Other sectors")
    in_region = {str(p["id"]) for p in result["people"] if p["sector"] in other["sectors"]}
    assert set(_people(merged)) == in_region
    with pytest.raises(PlacelabError, match="no region"):
        network_svg(result, "innovation", only="churches")
