"""The analysis page, one network at a time: every section, its numbers, its words, its links.

Numbers are checked against hand-worked counts of tests/small_study.py and against NetworkX
and NumPy computed here from the same ties, not against the page's own code.
"""

from __future__ import annotations

import csv
import html as htmllib
import re
from itertools import permutations
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import networkx as nx
import numpy as np
import pytest
from django.urls import reverse
from small_study import SMALL_PEOPLE, SMALL_TIES
from web.builders import answer_everything
from web.conftest import PASSWORD
from web.test_accessibility import DESK, PHONE, violations

from placelab.core.vocabulary import label
from placelab.report.group_tables import heat_shade
from placelab.report.words import share_in_words
from placelab.web.studies.models import AnalysisRun, Wave
from placelab.web.studies.selectors.analysis_map_links import finding_map_query, map_view_words
from placelab.web.studies.selectors.analysis_page import network_chosen
from placelab.web.studies.selectors.results import pseudonyms
from placelab.web.studies.services.analysis import analysis_run_now

PEOPLE = list(csv.DictReader(SMALL_PEOPLE.splitlines()))
TIES = list(csv.DictReader(SMALL_TIES.splitlines()))
NAMES = [p["name"] for p in PEOPLE]
SECTOR = {p["id"]: p["sector"] for p in PEOPLE}
ORGANISATIONS = ["School A", "School B"]  # "Council" and "Trust" are checked as cell text
CODES = ["local_authority", "school_college", "voluntary_community", "systemic", "sectoral"]


def page(client, study, network: str | None = None) -> str:
    url = reverse("studies:analysis", args=[study.pk, 1])
    response = client.get(url, {"network": network} if network else {})
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    """The page from the <h4> ``heading`` to the next <h4> or <h3>."""
    start = html.index(f"<h4>{heading}</h4>")
    ends = [i for i in (html.find("<h4>", start + 4), html.find("<h3", start + 4)) if i > 0]
    return html[start : min(ends)]


def text_of(html: str) -> str:
    """What a reader sees: tags gone, entities decoded, spaces collapsed."""
    html = re.sub(r"<br>", " ", html)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", html)))


def rows_of(html: str) -> list[list[str]]:
    """Each table row's cells, as text."""
    return [
        [text_of(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    ]


def hrefs(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def graph(network: str, *, directed: bool = False):
    g = (nx.DiGraph if directed else nx.Graph)()
    g.add_nodes_from(p["id"] for p in PEOPLE)
    g.add_edges_from((t["source"], t["target"]) for t in TIES
                     if t["network"] == network and t["target"] in SECTOR)  # fmt: skip
    return g


# --- words and links, without the database ---------------------------------------------------


def test_the_heat_map_shades_on_a_square_root_scale():
    assert [heat_shade(c, 100) for c in (0, 1, 4, 25, 64, 100)] == [0, 1, 1, 3, 4, 5]
    assert heat_shade(3, 0) == 0


@pytest.mark.parametrize(
    ("finding", "query"),
    [
        ({"id": "excluded-sector-voluntary_community",
          "numbers": {"network": "innovation", "grouping": "sector", "group": "voluntary_community"}},
         {"network": "innovation", "ties": "across", "sector": ["voluntary_community"]}),
        ({"id": "excluded-layer-public",
          "numbers": {"network": "innovation", "grouping": "layer", "group": "public"}},
         {"network": "innovation", "layer": ["public"]}),
        ({"id": "dependence-on-few", "numbers": {"leavers": ["p1"]}}, {"network": "all", "leave": "key"}),
        ({"id": "dominant-core", "numbers": {"size": 4}}, {"network": "all", "highlight": "core"}),
        ({"id": "thin-vertical-frontline-public", "numbers": {"from_layer": "frontline", "to_layer": "public"}},
         {"network": "all", "layer": ["frontline", "public"]}),
        ({"id": "misaligned-strategic-decision", "numbers": {"r": 0.1}}, {"network": "strategic"}),
        ({"id": "low-response-sector-health", "numbers": {"grouping": "sector", "group": "health"}},
         {"sector": ["health"]}),
        ({"id": "density-work", "numbers": {"network": "work"}}, {"network": "work"}),
        ({"title": "A diagnosis finding", "numbers": {}}, {}),
    ],
)  # fmt: skip
def test_each_finding_opens_the_map_view_that_shows_it(finding, query):
    assert finding_map_query(finding) == query


def test_the_network_shown_by_default_is_innovation_else_the_first():
    result = {
        "inputs": {"networks": ["work", "expert"]},
        "networks": {"work": {}, "expert": {}, "all": {}},
    }
    assert network_chosen(result, None) == "work"
    assert network_chosen(result, "all") == "all"
    assert network_chosen(result, "social") == "work"  # not asked: the default, never an error
    result["inputs"]["networks"].append("innovation")
    result["networks"]["innovation"] = {}
    assert network_chosen(result, None) == "innovation"
    assert network_chosen({"networks": {}}, None) is None


# --- the page ---------------------------------------------------------------------------------


def test_the_network_tabs_are_links_and_innovation_comes_first(analyst_client, analysed, study):
    html = page(analyst_client, study)
    tabs = re.search(r'<nav aria-label="Networks".*?</nav>', html, re.S).group(0)
    assert text_of(tabs).split() == ["Work", "Innovation", "Expert", "All", "networks", "together"]
    assert re.search(r'href="\?network=innovation#networks" aria-current="page"', tabs)
    assert "The innovation network" in html
    work = page(analyst_client, study, "work")
    assert "The work network" in work
    assert f"The survey asked: <q>{study.question('work')}</q>" in work
    assert "The innovation network" in page(analyst_client, study, "no-such-network")


def test_key_connectors_are_named_with_organisation_and_why(analyst_client, analysed, study):
    html = section(page(analyst_client, study, "work"), "Key connectors")
    hub, degree = max(graph("work").degree, key=lambda pair: pair[1])
    person = next(p for p in PEOPLE if p["id"] == hub)
    row = next(r for r in rows_of(html) if r and r[0] == person["name"])
    assert row[1] == person["organisation"] and row[2] == "Local authority"
    assert row[3] == f"Yes: {degree} direct ties (1st)"
    assert f"?network=work&person={hub}" in " ".join(hrefs(html))
    # The roles are told apart on the map by colour and shape, as the legend of the static map says.
    assert "yellow squares on the map" in html and "green triangles on the map" in html


def test_a_role_held_only_borderline_says_so(analyst_client, analysed, study):
    # An exact study has none: the page says nothing of estimates.
    assert "borderline" not in page(analyst_client, study, "work")
    # A large study's estimated scores mark some roles borderline (core.networks.roles).
    betweenness = nx.betweenness_centrality(graph("work"))
    gatekeeper = max(betweenness, key=betweenness.get)
    result = analysed.result
    result["networks"]["work"]["key_connectors_borderline"] = {"gatekeeper": [gatekeeper]}
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=result)
    html = section(page(analyst_client, study, "work"), "Key connectors")
    name = next(p["name"] for p in PEOPLE if p["id"] == gatekeeper)
    row = next(r for r in rows_of(html) if r and r[0] == name)
    assert row[4].startswith("Yes, borderline: on ")
    assert "a role is marked borderline: the estimate cannot tell them apart" in text_of(html)
    assert row[3].startswith("Yes: ") and row[5].startswith("Yes: ")  # those roles are sure


def test_the_core_group_is_named(analyst_client, analysed, study):
    html = section(page(analyst_client, study), "The core group")
    members = analysed.result["core_group"]["members"]
    names = {p["id"]: p["name"] for p in PEOPLE}
    table = rows_of(html)[1:]
    assert sorted(r[0] for r in table) == sorted(names[m] for m in members)


def test_the_mixing_matrix_counts_ties_by_sector_and_links_to_them(analyst_client, analysed, study):
    html = section(page(analyst_client, study, "work"), "Who ties with whom, by sector")
    counts = {(SECTOR[a], SECTOR[b]): 0 for a in SECTOR for b in SECTOR}
    for a, b in graph("work", directed=True).edges:
        counts[SECTOR[a], SECTOR[b]] += 1
    order = ["local_authority", "school_college", "voluntary_community"]
    rows = rows_of(html)
    assert rows[0][1:] == [
        "Local authority",
        "Schools and colleges",
        "Voluntary and community sector",
    ]
    for row, a in zip(rows[1:], order, strict=True):
        assert [int(c) for c in row[1:]] == [counts[a, b] for b in order]
    # Hand-worked: the council names a school once, and the school's people name each other 3 times.
    assert counts["local_authority", "school_college"] == 1
    links = [parse_qs(urlsplit(h).query) for h in hrefs(html)]
    assert {"network": ["work"], "ties": ["across"],
            "sector": ["local_authority", "school_college"]} in links  # fmt: skip
    assert {"network": ["work"], "only": ["school_college"]} in links
    assert all(urlsplit(h).path == f"/studies/{study.pk}/waves/1/map/" for h in hrefs(html))


def test_the_heat_map_lists_sectors_in_the_maps_order(analyst_client, analysed, study):
    # Twelve people in sectors of four share one region: put its sectors in another order.
    stored = analysed.result["layout"]["regions"]
    regions = [{**r, "sectors": r["sectors"][::-1]} for r in stored[::-1]]
    result = {**analysed.result, "layout": {**analysed.result["layout"], "regions": regions}}
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=result)
    html = section(page(analyst_client, study, "work"), "Who ties with whom, by sector")
    header = rows_of(html)[0][1:]
    expected = ["Voluntary and community sector", "Schools and colleges", "Local authority"]
    assert [label(s) for r in regions for s in r["sectors"] if label(s) in header] == expected
    assert header == expected


def test_ei_by_sector_and_layer_in_numbers_and_words(analyst_client, analysed, study):
    rows = rows_of(section(page(analyst_client, study, "work"), "Ties inside and across groups"))
    by_label = {r[0]: r for r in rows}
    # Hand-worked from small_study's work ties: the council 3 inside, 2 out; schools 3 and 1;
    # the trust 2 and 1 (a tie counts for both its ends' groups).
    assert by_label["Local authority"][2:6] == ["4", "3", "2", "-0.20"]
    assert by_label["Local authority"][1].startswith(
        "Three in five of this group's ties stay inside it."
    )
    assert by_label["Schools and colleges"][2:6] == ["4", "3", "1", "-0.50"]
    assert by_label["Schools and colleges"][1].startswith("Three in four")
    assert by_label["Voluntary and community sector"][1].startswith("Two in three")
    assert "Systemic" in by_label and "Sectoral" in by_label


def test_brokerage_by_sector_counts_open_two_paths(analyst_client, analysed, study):
    html = section(page(analyst_client, study, "work"), "Brokerage between sectors")
    g = graph("work", directed=True)
    counted = {s: dict.fromkeys(("coordinator", "itinerant", "representative", "gatekeeper",
                                 "liaison"), 0) for s in set(SECTOR.values())}  # fmt: skip
    for a, b, c in permutations(g.nodes, 3):
        if g.has_edge(a, b) and g.has_edge(b, c) and not g.has_edge(a, c):
            sa, sb, sc = SECTOR[a], SECTOR[b], SECTOR[c]
            role = ("coordinator" if sa == sb == sc else "itinerant" if sa == sc
                    else "representative" if sa == sb else "gatekeeper" if sb == sc else "liaison")  # fmt: skip
            counted[sb][role] += 1
    assert "Gatekeeper (brokerage)" in html and "not the key connector role" in html
    # The council's one tie to a school and one to the trust: the two pairs to see brokers for.
    brokers = [parse_qs(urlsplit(h).query).get("brokers") for h in hrefs(html)]
    assert ["local_authority,school_college"] in brokers
    assert ["local_authority,voluntary_community"] in brokers
    rows = {r[0]: r[1:] for r in rows_of(html)[1:]}
    for sector, label_ in [
        ("local_authority", "Local authority"),
        ("school_college", "Schools and colleges"),
    ]:
        shown = [int(cell.split()[0]) for cell in rows[label_]]
        assert shown == list(counted[sector].values())


def test_fragility_names_who_leaves_and_what_is_left(analyst_client, analysed, study):
    html = section(page(analyst_client, study, "work"), "If key connectors left")
    names = {p["name"]: p["id"] for p in PEOPLE}
    g = graph("work")
    before = max(map(len, nx.connected_components(g))) / len(g)
    assert f"Today {before:.0%} of people" in text_of(html)
    first = rows_of(html)[1]
    g.remove_node(names[first[1]])
    after = max(map(len, nx.connected_components(g))) / len(g)
    assert first[0] == "1" and first[2] == f"{after:.0%}"
    assert any("leave=key" in h for h in hrefs(html))


def test_the_alignment_matrix_gives_r_and_p(analyst_client, analysed, study):
    html = page(analyst_client, study)
    ids = [p["id"] for p in PEOPLE]
    work, innovation = (
        nx.to_numpy_array(graph(n, directed=True), nodelist=ids) for n in ("work", "innovation")
    )
    off = ~np.eye(len(ids), dtype=bool)
    r = np.corrcoef(work[off], innovation[off])[0, 1]
    table = html[html.index('id="alignment-title"') :]
    row = next(r_ for r_ in rows_of(table) if r_[0] == "Innovation")
    stored = next(
        a
        for a in analysed.result["alignment"]
        if {a["network_a"], a["network_b"]} == {"work", "innovation"}
    )
    assert row[1].startswith(f"r {r:.2f}, p {stored['p']:.3f}")
    assert "overlap" in row[1]


def test_communities_are_counted_with_people_on_their_own(analyst_client, analysed, study):
    html = section(page(analyst_client, study, "work"), "Communities")
    components = [len(c) for c in nx.connected_components(graph("work"))]
    # Small enough that every community lies inside one component: at least as many groups.
    groups = sum(
        1 for p in analysed.result["people"] if p["networks"]["work"]["community"] is not None
    )
    assert groups == 12
    alone = sum(1 for size in components if size == 1)
    assert (
        f"and {alone} {'person' if alone == 1 else 'people'} with no tie in this network"
        in text_of(html)
    )


def test_labels_never_codes(analyst_client, analysed, study):
    for network in ("work", "innovation", "expert", "all"):
        html = page(analyst_client, study, network)
        seen = text_of(html[html.index('id="networks"') : html.index("How to reproduce it")])
        assert not [code for code in CODES if code in seen], network


def test_a_viewer_sees_pseudonyms_and_no_organisation(viewer_client, analysed, study):
    names = pseudonyms(study)
    for network in ("work", "innovation", "expert", "all"):
        html = page(viewer_client, study, network)
        seen = text_of(html)
        assert not [n for n in NAMES if n in html], network
        assert not [o for o in ORGANISATIONS if o in html], network
        assert "Organisation" not in section(html, "Key connectors")
        assert not [c for r in rows_of(html) for c in r if c in ("Council", "Trust")]
    work = page(viewer_client, study, "work")
    hub = max(graph("work").degree, key=lambda pair: pair[1])[0]
    assert names[hub] in section(work, "Key connectors")
    assert f"person={names[hub].replace(' ', '+')}" in " ".join(hrefs(work))
    assert "Person" in seen


# --- what a viewer's copy holds: ties without direction, tables over pairs ----------------------

# Two of the schools' people moved to the council: 6 in the local authority, whose sector a viewer
# sees; the school's other 2 and the trust's 4 merge into "Other sectors" (6).
MOVED = {"p05", "p06"}
SHOWN_SECTOR = {p: "local_authority" if s == "local_authority" or p in MOVED else "other_sectors"
                for p, s in SECTOR.items()}  # fmt: skip


@pytest.fixture
def viewed(study, wave) -> AnalysisRun:
    """The small study with a sector a viewer may see (six people) and one of the rest merged."""
    study.networks = ["work", "innovation", "expert"]
    study.save()
    study.participants.filter(key__in=MOVED).update(sector="local_authority")
    answer_everything(wave)
    run = analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    assert run.status == AnalysisRun.DONE, run.error
    return run


def pair_counts(network: str) -> dict[frozenset, int]:
    """Pairs of people tied either way, by the sectors a viewer sees: NetworkX's undirected graph."""
    counts: dict[frozenset, int] = {}
    for a, b in graph(network).edges:
        key = frozenset((SHOWN_SECTOR[a], SHOWN_SECTOR[b]))
        counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("network", ["work", "innovation"])
def test_a_viewers_heat_map_counts_pairs_once_in_its_lower_half(viewer_client, viewed, study,
                                                                network):  # fmt: skip
    html = section(page(viewer_client, study, network), "Who ties with whom, by sector")
    pairs = pair_counts(network)
    la, other = frozenset({"local_authority"}), frozenset({"other_sectors"})
    across = frozenset({"local_authority", "other_sectors"})
    rows = rows_of(html)
    assert rows[0][1:] == ["Local authority", "Other sectors"]
    assert rows[1] == ["Local authority", str(pairs.get(la, 0)), ""]  # upper half left empty
    assert rows[2] == ["Other sectors", str(pairs.get(across, 0)), str(pairs.get(other, 0))]
    # Hand-worked, work: council pairs p01-p02 (named both ways, one pair), p01-p05, p05-p06,
    # p03-p04; across p06-p07 and p01-p09; the rest p07-p08, p09-p10, p10-p11.
    if network == "work":
        assert [pairs[la], pairs[across], pairs[other]] == [4, 2, 3]
    seen = text_of(html)
    assert "Pairs of people tied, either way, between the row's sector and the column's" in seen
    assert "person who named" not in seen and "ties from people" not in seen
    assert "2 pairs of people tied between Other sectors and Local authority" in html


@pytest.mark.parametrize("network", ["work", "innovation"])
def test_the_sectors_a_viewer_sees_brokers_between_are_counted_once(viewer_client, analyst_client,
                                                                    viewed, study, network):  # fmt: skip
    html = text_of(section(page(viewer_client, study, network), "Brokerage between sectors"))
    across = pair_counts(network)[frozenset({"local_authority", "other_sectors"})]
    assert across == 2  # innovation: p05-p09 and p09-p01, each named once
    assert f"Local authority – Other sectors ({across} pairs of people tied between them)" in html
    # Those who see names count ties each way: innovation's p05 -> p09 and p09 -> p01.
    analyst = text_of(
        section(page(analyst_client, study, "innovation"), "Brokerage between sectors")
    )
    real = {p: "local_authority" if p in MOVED else s for p, s in SECTOR.items()}
    directed = graph("innovation", directed=True)
    ties = sum(1 for a, b in directed.edges
               if {real[a], real[b]} == {"local_authority", "voluntary_community"})  # fmt: skip
    assert ties == 2
    assert f"Local authority – Voluntary and community sector ({ties} ties between them)" in analyst


def test_a_viewer_sees_the_whole_networks_brokerage_and_why_no_more(viewer_client, viewed, study):
    html = section(page(viewer_client, study, "work"), "Brokerage between sectors")
    seen = text_of(html)
    assert "Counts by sector are not shown to you" in seen and "who answered" in seen
    assert "× chance" not in seen  # no table by sector to read it in
    g = graph("work", directed=True)
    open_paths = sum(1 for a, b, c in permutations(g.nodes, 3)
                     if g.has_edge(a, b) and g.has_edge(b, c) and not g.has_edge(a, c))  # fmt: skip
    whole = next(r for r in rows_of(html) if r and r[0] == "Whole network")
    assert sum(int(c) for c in whole[1:]) == open_paths  # every open two-path has one broker role


def test_a_viewers_tables_by_group_and_summary_count_pairs(viewer_client, analyst_client, viewed,
                                                          study):  # fmt: skip
    html = page(viewer_client, study, "work")
    g, directed = graph("work"), graph("work", directed=True)
    seen = text_of(html)
    assert f"12 people, {g.number_of_edges()} pairs of them tied " in seen
    assert f"({directed.number_of_edges()} ties counting each direction)" in seen
    assert "ties are shown without direction" in seen and "A tie points from" not in seen
    real = {p: "local_authority" if p in MOVED else s for p, s in SECTOR.items()}
    across = sum(real[a] != real[b] for a, b in directed.edges)
    assert across == 2  # p06 -> p07 and p01 -> p09, of 10
    words = share_in_words(across, directed.number_of_edges()).capitalize()
    assert f"{words} of the ties (counting each direction) join people of different sectors" in seen
    table = section(html, "Ties inside and across groups")
    rows = {r[0]: r for r in rows_of(table)}
    assert rows["Sector"][3:5] == ["Pairs inside", "Pairs outside"]
    pairs = pair_counts("work")
    assert rows["Local authority"][2:5] == [
        "6", str(pairs[frozenset({"local_authority"})]),
        str(pairs[frozenset({"local_authority", "other_sectors"})]),
    ]  # fmt: skip
    # Those who see names keep directed ties and their words.
    analyst = page(analyst_client, study, "work")
    assert "A tie points from the person who answered" in analyst
    assert "From the sector of the person who named (rows)" in analyst
    assert "Pairs inside" not in analyst and "pairs of them tied" not in analyst


def test_findings_link_to_the_map_views_that_show_them(analyst_client, analysed, study):
    found = [
        {"id": "excluded-sector-voluntary_community", "severity": "high", "title": "Outside the core",
         "text": "t", "numbers": {"network": "innovation", "grouping": "sector", "group": "voluntary_community"}},
        {"id": "dependence-on-few", "severity": "high", "title": "Depends on a few", "text": "t",
         "numbers": {"leavers": ["p01"]}},
    ]  # fmt: skip
    AnalysisRun.objects.filter(pk=analysed.pk).update(result={**analysed.result, "findings": found})
    for html in (
        page(analyst_client, study),
        analyst_client.get(reverse("studies:detail", args=[study.pk])).content.decode(),
    ):
        links = {h for h in hrefs(html) if "/map/" in h}
        base = f"/studies/{study.pk}/waves/1/map/"
        assert f"{base}?network=innovation&ties=across&sector=voluntary_community" in links
        assert f"{base}?network=all&leave=key" in links
    overview = analyst_client.get(reverse("studies:detail", args=[study.pk])).content.decode()
    assert reverse("studies:analysis", args=[study.pk, 1]) + "#networks" in hrefs(overview)


def test_an_old_result_without_newer_keys_still_shows(
    analyst_client, viewer_client, analysed, study
):
    old = {k: v for k, v in analysed.result.items() if k not in ("alignment", "layout", "ties")}
    old["networks"] = {
        n: {
            k: v
            for k, v in net.items()
            if k not in ("brokerage", "fragility", "communities", "mixing", "key_connectors")
        }
        for n, net in old["networks"].items()
    }
    old["people"] = [
        {k: v for k, v in p.items() if k not in ("organisation", "responded")}
        for p in old["people"]
    ]
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=old)
    for client in (analyst_client, viewer_client):
        html = page(client, study, "work")
        assert "Run the analysis again to draw the maps" in html
        assert "The work network" in html


def test_every_map_link_on_the_page_opens_a_map(analyst_client, viewer_client, analysed, study):
    for client in (analyst_client, viewer_client):
        links = {h for n in ("work", "innovation", "all") for h in hrefs(page(client, study, n))
                 if f"/studies/{study.pk}/waves/1/map" in h}  # fmt: skip
        assert len(links) > 20
        failed = [
            (link, code) for link in sorted(links) if (code := client.get(link).status_code) != 200
        ]
        assert not failed


# --- the static map ----------------------------------------------------------------------


def test_the_page_shows_each_networks_map_as_svg_with_a_png(analyst_client, analysed, study):
    html = section(page(analyst_client, study, "work"), "The map")
    svg_url = reverse("studies:map_svg", args=[study.pk, 1, "work"]) + f"?run={analysed.pk}"
    assert f'<img src="{svg_url}"' in html
    assert reverse("studies:map_png", args=[study.pk, 1, "work"]) + f"?run={analysed.pk}" in hrefs(
        html
    )
    assert f"/studies/{study.pk}/waves/1/map/?network=work" in hrefs(html)  # Explore this map
    response = analyst_client.get(svg_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)  # well-formed
    assert root.tag.endswith("svg") and "Hub" in response.content.decode()
    assert response["Cache-Control"] == "private, max-age=86400"  # this run's map never changes
    assert "max-age" not in analyst_client.get(svg_url.split("?")[0]).get("Cache-Control", "")
    png = analyst_client.get(reverse("studies:map_png", args=[study.pk, 1, "work"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_a_viewers_map_names_no_one(viewer_client, analysed, study):
    for network in ("work", "innovation", "all"):
        response = viewer_client.get(reverse("studies:map_svg", args=[study.pk, 1, network]))
        assert response.status_code == 200
        svg = response.content.decode()
        assert not [n for n in NAMES if n in svg], network
        assert not re.search(r"\bp(0[1-9]|1[0-2])\b", svg), network
        assert not [o for o in ORGANISATIONS if o in svg], network


def test_no_map_of_a_network_the_study_lacks_or_of_an_old_result(analyst_client, analysed, study):
    assert (
        analyst_client.get(reverse("studies:map_svg", args=[study.pk, 1, "social"])).status_code
        == 404
    )
    old = {k: v for k, v in analysed.result.items() if k not in ("layout", "ties")}
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=old)
    assert (
        analyst_client.get(reverse("studies:map_svg", args=[study.pk, 1, "work"])).status_code
        == 404
    )
    assert "Run the analysis again to draw the maps" in page(analyst_client, study, "work")


# --- in the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_page_passes_axe_for_analysts_and_viewers(browser, live_server, study, wave, analyst,
                                                      viewer, viewport):  # fmt: skip
    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    found = {}
    for user in (analyst, viewer):
        page_ = browser.new_page(viewport=viewport)
        page_.goto(live_server.url + reverse("login"))
        page_.get_by_label("User name").fill(user.username)
        page_.get_by_label("Password").fill(PASSWORD)
        page_.get_by_role("button", name="Sign in").click()
        for network in ("innovation", "all"):
            url = reverse("studies:analysis", args=[study.pk, 1]) + f"?network={network}"
            page_.goto(live_server.url + url)
            found[f"{user.username} {network}"] = violations(page_)
        # The tabs work without JavaScript: a plain link to another network's sections.
        page_.get_by_role("navigation", name="Networks").get_by_role(
            "link", name="Work", exact=True
        ).click()
        assert "The work network" in page_.content()
        page_.close()
    assert not any(found.values()), "\n".join(f"{k}:\n{r}" for k, r in found.items() if r)


def test_a_map_link_says_what_the_view_shows():
    query = finding_map_query(
        {"id": "excluded-sector-voluntary_community",
         "numbers": {"network": "innovation", "grouping": "sector", "group": "voluntary_community"}}
    )  # fmt: skip
    assert map_view_words(query) == (
        "the innovation network, ties across sectors, Voluntary and community sector highlighted"
    )
    assert map_view_words({"network": "all", "leave": "key"}) == (
        "all networks together, without the leading key connectors"
    )
