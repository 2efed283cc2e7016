"""The report's section "Sectors and layers": who is outside the core (as the findings say), the
sector heat map, the vertical and horizontal links, the other networks; groups under five never
broken out; the pseudonymised variant counts pairs and says so.

Counts are checked against NetworkX over the same ties, not against the section's own code.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import networkx as nx
import pytest
from report.reading import section_page, words

from placelab import Parameters
from placelab.core.pseudonymise import MIN_GROUP, viewer_analysis
from placelab.core.study import load
from placelab.core.toolkit.findings import merge_findings
from placelab.core.vocabulary import LAYERS, SECTORS
from placelab.report.group_tables import heat_shade, mixing_matrix
from placelab.report.model import FULL, PSEUDONYMISED, About, ReportContext
from placelab.report.sections import groups

NETWORKS = ("work", "innovation", "expert")
# 33 people: the council and schools (8 each) name four of their own in every network and so
# hold the core; a voluntary sector of six and residents' groups of six each name around a
# ring, the voluntary sector reaching two of the others and the residents only the voluntary
# sector. A business of two and a university of three (five people together) are too small to
# break out: hidden together, they leave no group of under five to be worked out from a total.
SECTOR_LAYERS = [
    ("local_authority", "Council", ["systemic"] * 3 + ["sectoral"] * 3 + ["frontline"] * 2),
    ("school_college", "School", ["systemic"] * 2 + ["sectoral"] * 3 + ["frontline"] * 3),
    ("voluntary_community", "Trust", ["frontline"] * 3 + ["public"] * 3),
    ("resident_group", "Residents", ["public"] * 6),
    ("business", "Firm", ["sectoral"] * 2),
    ("university", "University", ["sectoral"] * 3),
]
SMALL = ("business", "university")


def people() -> list[tuple[str, ...]]:
    rows = []
    for sector, organisation, layers in SECTOR_LAYERS:
        for layer in layers:
            n = len(rows) + 1
            rows.append(
                (f"p{n:02d}", f"Name {n:02d}", organisation, sector, layer, "middle", "yes")
            )
    return rows


def ties() -> list[tuple[str, str, str, int]]:
    rnd = random.Random(7)
    ids = [p[0] for p in people()]
    council_schools, voluntary, residents = ids[:16], ids[16:22], ids[22:28]
    out = []
    for network in NETWORKS:
        for me in council_schools:
            named = {"p01", "p02", "p09", "p10", *rnd.sample(council_schools, 2)} - {me}
            out += [(me, other, network, 2) for other in sorted(named)]
        for ring in (voluntary, residents):
            out += [(a, ring[(i + 1) % len(ring)], network, 1) for i, a in enumerate(ring)]
        out += [("p17", "p03", network, 1), ("p18", "p11", network, 1), ("p23", "p19", network, 1),
                ("p29", "p01", network, 1), ("p30", "p05", network, 1), ("p31", "p09", network, 1),
                ("p32", "p12", network, 1), ("p33", "p31", network, 1)]  # fmt: skip
    return out


def write(path: Path, header: str, rows: list[tuple]) -> Path:
    path.write_text("\n".join([header, *(",".join(map(str, r)) for r in rows)]) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("groups")
    header = "id,name,organisation,sector,layer,seniority,responded"
    people_csv = write(folder / "people.csv", header, people())
    ties_csv = write(folder / "ties.csv", "source,target,network,weight", ties())
    return load(people_csv, ties_csv, parameters=Parameters(permutations=19)).to_dict()


@pytest.fixture(scope="module")
def viewer(result: dict) -> dict:
    return viewer_analysis(result, None, {})["result"]


def context(result: dict, *, pseudonymised: bool = False, diagnosis: dict | None = None):
    names = {str(p["id"]): str(p.get("name") or p["id"]) for p in result["people"]}
    variant = PSEUDONYMISED if pseudonymised else FULL
    return ReportContext(result, diagnosis, About(), variant, MIN_GROUP, names)


def built(result: dict, **options) -> dict:
    return groups.build(context(result, **options)).data


def section_html(result: dict, **options) -> str:
    variant = PSEUDONYMISED if options.get("pseudonymised") else FULL
    return section_page(groups.build(context(result, **options)), variant)


def digraph(result: dict, network: str) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from((p["id"], p) for p in result["people"])
    graph.add_edges_from((a, b) for a, b, *_w in result["ties"][network] if b in graph)
    return graph


def sector_of(result: dict) -> dict[str, str]:
    return {p["id"]: p["sector"] for p in result["people"]}


# --- who is outside the core ----------------------------------------------------------------


def test_the_groups_outside_the_core_are_those_the_findings_name(result):
    data = built(result)
    named = {(f["numbers"]["grouping"], f["numbers"]["group"]) for f in result["findings"]
             if f["id"].startswith("excluded-")}  # fmt: skip
    assert named == {("sector", "resident_group"), ("layer", "public")}
    flagged = {(t["name"], row["key"]) for t in data["tables"] for row in t["rows"]
               if row["outside"]}  # fmt: skip
    assert flagged == named
    assert [f["title"] for f in data["outside"]] == [
        f["title"] for f in result["findings"] if f["id"].startswith("excluded-")
    ]
    assert data["outside_summary"] == (
        "Two groups sit outside the core of the innovation network: the public layer and "
        "Residents' groups."
    )


def test_outside_the_core_takes_the_severity_the_diagnosed_phase_gives(result):
    diagnosis = {"findings": merge_findings([], result["findings"], 3)}  # mainstreaming
    data = built(result, diagnosis=diagnosis)
    assert {f["severity"] for f in data["outside"]} == {"high"}
    early = built(result, diagnosis={"findings": merge_findings([], result["findings"], 1)})
    assert {f["severity"] for f in early["outside"]} == {"low"}


def test_each_groups_core_members_reach_and_ei_match_networkx(result):
    graph = digraph(result, "innovation")
    core = set(result["core_group"]["members"])
    sector = sector_of(result)
    rows = {row["key"]: row for row in built(result)["tables"][0]["rows"]}
    assert list(rows) == ["local_authority", "school_college", "voluntary_community",
                          "resident_group"]  # fmt: skip
    for key, row in rows.items():
        members = {n for n in graph if sector[n] == key}
        inside = sum(1 for a, b in graph.edges if a in members and b in members)
        touching = sum(1 for a, b in graph.edges if a in members or b in members)
        outside = touching - inside
        assert (row["internal"], row["external"]) == (inside, outside)
        assert row["ei_index"] == pytest.approx((outside - inside) / (outside + inside))
        assert row["core"] == len(members & core)
        ends = [other for a, b in graph.edges for me, other in ((a, b), (b, a))
                if me in members - core]  # fmt: skip
        assert row["reach_core"] == pytest.approx(sum(o in core for o in ends) / len(ends))
    assert rows["resident_group"]["status"] == "None: outside the core"
    assert rows["local_authority"]["status"] == f"{rows['local_authority']['core']} of 8"


# --- groups under five ----------------------------------------------------------------------


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["full", "pseudonymised"])
def test_groups_under_five_are_never_broken_out(result, viewer, pseudonymised):
    shown = viewer if pseudonymised else result
    data = built(shown, pseudonymised=pseudonymised)
    keys = {row["key"] for t in data["tables"] for row in t["rows"]}
    keys |= {row["key"] for row in data["heat"]["rows"]}
    assert not keys & set(SMALL)
    text = words(section_html(shown, pseudonymised=pseudonymised))
    assert "Business" not in text and "University" not in text
    if not pseudonymised:  # the viewer copy merges them into "Other sectors" instead
        assert data["tables"][0]["left_out"].startswith("5 people in sectors of fewer than 5")


# --- the heat map ---------------------------------------------------------------------------


def test_the_heat_map_counts_ties_from_sector_to_sector_as_networkx(result):
    graph, sector = digraph(result, "innovation"), sector_of(result)
    heat = built(result)["heat"]
    keys = [row["key"] for row in heat["rows"]]
    counts = {(a, b): 0 for a in keys for b in keys}
    for u, v in graph.edges:
        if (sector[u], sector[v]) in counts:
            counts[(sector[u], sector[v])] += 1
    largest = max(counts.values())
    assert heat["largest"] == largest and not heat["pairs"]
    for row in heat["rows"]:
        for b, cell in zip(keys, row["cells"], strict=True):
            assert cell["count"] == counts[(row["key"], b)]
            assert cell["shade"] == heat_shade(cell["count"], largest)
            assert cell["map_url"] is None and not cell["blank"]
    within = sum(counts[(k, k)] for k in keys)
    assert heat["summary"][0] == (
        f"Among the sectors shown, {within} of the {sum(counts.values())} ties "
        f"({groups.share_in_words(within, sum(counts.values()))}) are within one sector."
    )


def test_the_heat_map_is_a_table_with_a_number_in_every_shaded_cell(result):
    html = section_html(result)
    table = re.search(r'<table class="heatmap">.*?</table>', html, re.S).group(0)
    cells = re.findall(r'<td class="num heat-(\d)">([^<]*)</td>', table)
    assert len(cells) == 16  # four sectors shown, a number in each cell
    assert all(number.strip().isdigit() for _shade, number in cells)
    assert "<caption>" in table and 'scope="row"' in table and 'scope="col"' in table


def test_the_web_keeps_its_map_links_and_the_report_has_none(result):
    net = result["networks"]["innovation"]
    linked = mixing_matrix(net, "innovation", sees_names=True, link=lambda q: f"/map?{q}")
    cell = linked["rows"][0]["cells"][0]
    assert cell["map_url"] == "/map?{'network': 'innovation', 'only': 'local_authority'}"
    bare = mixing_matrix(net, "innovation", sees_names=True)
    assert all(c["map_url"] is None for row in bare["rows"] for c in row["cells"])


# --- vertical and horizontal links ----------------------------------------------------------


def test_layer_links_run_down_figure_c5_and_mark_the_thin_ones(result):
    vertical = built(result)["vertical"]
    top = [row["link"] for row in vertical["rows"][:7]]
    assert top == ["Systemic", "Systemic – Sectoral", "Sectoral", "Sectoral – Frontline",
                   "Frontline", "Frontline – Public", "Public"]  # fmt: skip
    assert {row["link"] for row in vertical["rows"] if row["thin"]} == {"Frontline – Public"}
    assert vertical["has_all"] and vertical["thin_note"] is None
    thin = next(f for f in result["findings"] if f["id"] == "thin-vertical-frontline-public")
    row = next(row for row in vertical["rows"] if row["thin"])
    assert row["density_all"] == thin["numbers"]["density"]  # the finding's figure, as it says
    graph = digraph(result, "innovation")
    layer = {p["id"]: p["layer"] for p in result["people"]}
    sizes = {key: sum(1 for v in layer.values() if v == key) for key in LAYERS}
    for row in vertical["rows"]:
        a, _, b = row["link"].partition(" – ")
        a, b = a.lower(), (b or a).lower()
        ties = sum(1 for u, v in graph.edges if {layer[u], layer[v]} == {a, b}
                   and (a != b or layer[u] == a))  # fmt: skip
        possible = sizes[a] * (sizes[a] - 1) if a == b else 2 * sizes[a] * sizes[b]
        assert (row["ties"], row["density"]) == (ties, pytest.approx(ties / possible))


def test_horizontal_links_count_ties_within_a_layer_across_sectors(result):
    graph, sector = digraph(result, "innovation"), sector_of(result)
    layer = {p["id"]: p["layer"] for p in result["people"]}
    for row in built(result)["horizontal"]["rows"]:
        within = [(u, v) for u, v in graph.edges if layer[u] == layer[v] == row["key"]]
        assert row["ties"] == len(within)
        assert row["across"] == sum(1 for u, v in within if sector[u] != sector[v])


# --- the other networks, the pseudonymised variant, words -----------------------------------


def test_the_other_networks_come_in_one_compact_table(result):
    others = built(result)["others"]
    assert [c["key"] for c in others["columns"]] == list(NETWORKS)
    assert [c["focus"] for c in others["columns"]] == [False, True, False]
    assert [part["heading"] for part in others["parts"]] == ["By sector", "By layer"]
    for i, network in enumerate(NETWORKS):
        rows = result["networks"][network]["mixing"]["sector"]["groups"]
        reach = {r["group"]: r["reach_core"] for r in rows}
        assert [row["cells"][i] for row in others["parts"][0]["rows"]] == [
            reach[k] for k in ("local_authority", "school_college", "voluntary_community",
                               "resident_group")
        ]  # fmt: skip


def test_the_pseudonymised_section_counts_pairs_and_says_so(viewer):
    data = built(viewer, pseudonymised=True)
    assert data["pairs"] and data["heat"]["pairs"] and data["pairs_note"]
    graph = nx.Graph()
    graph.add_edges_from((a, b) for a, b, *_w in viewer["ties"]["innovation"])
    sector = sector_of(viewer)
    keys = [row["key"] for row in data["heat"]["rows"]]
    for i, row in enumerate(data["heat"]["rows"]):
        for j, cell in enumerate(row["cells"]):
            assert cell["blank"] == (j > i)
            pair = {row["key"], keys[j]}
            expected = sum(1 for u, v in graph.edges if {sector[u], sector[v]} == pair)
            assert cell["count"] == expected
    assert data["vertical"]["thin_note"] == groups.THIN_PAIRS_NOTE
    text = words(section_html(viewer, pseudonymised=True))
    assert "count pairs of people" in text and "Pairs inside" in text
    assert "Name 0" not in text and "Council" not in text


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["full", "pseudonymised"])
def test_readers_meet_labels_never_codes(result, viewer, pseudonymised):
    text = words(section_html(viewer if pseudonymised else result, pseudonymised=pseudonymised))
    for code in [c for c in (*SECTORS, "other_sectors") if "_" in c]:
        assert code not in text
    for word in ("Voluntary and community sector", "Residents' groups", "Sectoral", "Public"):
        assert word in text
    # The viewer copy withholds the layer of people it would narrow to a small group.
    assert ("Others (layer not shown)" in text) == pseudonymised


def test_a_result_without_networks_says_so():
    assert groups.build(context({"networks": {}, "people": []})).data == {}


def test_without_a_core_group_no_one_is_said_to_be_outside_it(result):
    kept = [f for f in result["findings"] if not f["id"].startswith("excluded-")]
    coreless = {**result, "core_group": {**result["core_group"], "members": []}, "findings": kept}
    assert built(coreless)["outside_summary"] == (
        "No one is a key connector in most networks, so there is no core group to be inside or "
        "outside of."
    )
