"""The network map: its JSON (api:map_data), its page without JavaScript, and in chromium."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect
from small_study import SMALL_PEOPLE
from web.builders import answer_everything
from web.conftest import PASSWORD, client_for
from web.test_accessibility import DESK, PHONE, violations

from placelab.web.studies.models import AnalysisRun
from placelab.web.studies.selectors.analysis_map_links import finding_concerns_view
from placelab.web.studies.services.analysis import analysis_run_now

PEOPLE = list(csv.DictReader(io.StringIO(SMALL_PEOPLE)))
NAME = {row["id"]: row["name"] for row in PEOPLE}
SECTOR = {row["id"]: row["sector"] for row in PEOPLE}


def analysed_now(wave) -> AnalysisRun:
    answer_everything(wave)
    run = analysis_run_now(wave=wave)
    assert run.status == AnalysisRun.DONE, run.error
    return run


@pytest.fixture
def analysed(wave) -> AnalysisRun:
    return analysed_now(wave)


def map_json(client, wave, **query) -> dict:
    url = reverse("api:map_data", args=[wave.study.pk, wave.number])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.json()


def lines(data: dict) -> set[tuple[str, str, int]]:
    keys = [n["key"] for n in data["nodes"]]
    return {(keys[i], keys[j], kind) for i, j, kind, _w in data["edges"]}


def test_the_owner_sees_everyone_named_placed_and_tied(owner_client, wave, analysed):
    data = map_json(owner_client, wave, network="work")
    layout = analysed.result["layout"]
    assert {n["key"] for n in data["nodes"]} == set(NAME)
    for node in data["nodes"]:
        assert node["label"] == NAME[node["key"]]
        assert node["sector_label"] != node["sector"]  # a label, never the code
        tied = any(node["key"] in t[:2] for t in analysed.result["ties"]["work"])
        place = layout["positions" if tied else "margins"][node["key"]]
        assert [node["x"], node["y"]] == pytest.approx(place, abs=0.06)
    # p01 and p02 named each other in the work network; p01 named p05 alone.
    assert ("p01", "p02", 2) in lines(data) or ("p02", "p01", 2) in lines(data)
    assert ("p01", "p05", 1) in lines(data)
    assert next(n for n in data["nodes"] if n["key"] == "p08")["responded"] is False


def test_ties_within_and_across_sectors_split_the_lines(owner_client, wave, analysed):
    every = lines(map_json(owner_client, wave, network="work"))
    within = lines(map_json(owner_client, wave, network="work", ties="within"))
    across = lines(map_json(owner_client, wave, network="work", ties="across"))
    assert within and across and within | across == every and not within & across
    assert all(SECTOR[a] == SECTOR[b] for a, b, _ in within)
    assert all(SECTOR[a] != SECTOR[b] for a, b, _ in across)


def test_one_sectors_own_network_and_one_persons_two_steps(owner_client, wave, analysed):
    only = map_json(owner_client, wave, network="work", only="school_college")
    assert {n["key"] for n in only["nodes"]} == {
        k for k, s in SECTOR.items() if s == "school_college"
    }
    # work ties p01-p02, p01->p05, p01->p09, p05->p06, p06->p07, p09->p10: two steps from p05
    # reach p02, p09 and p07; p10 and p08 are three steps away.
    ego = map_json(owner_client, wave, network="work", person="p05")
    assert {n["key"] for n in ego["nodes"]} == {"p05", "p01", "p06", "p02", "p07", "p09"}


def test_highlights_mark_people_without_hiding_the_others(owner_client, wave, analysed):
    data = map_json(owner_client, wave, network="work", sector="voluntary_community")
    assert data["highlighting"] and len(data["nodes"]) == 12
    assert {n["key"] for n in data["nodes"] if n["match"]} == {"p09", "p10", "p11", "p12"}
    found = map_json(owner_client, wave, q="zoë")
    assert [n["key"] for n in found["nodes"] if n["match"]] == ["p05"]


def test_a_value_the_study_lacks_is_named_and_left_out(owner_client, wave, analysed):
    data = map_json(owner_client, wave, network="gossip", sector="pirates")
    assert data["network"] == "innovation"
    assert any("gossip" in p for p in data["problems"])
    assert any("pirates" in p for p in data["problems"])


def test_if_the_key_connectors_left_the_pieces_are_counted(owner_client, wave, analysed):
    data = map_json(owner_client, wave, network="work", leave="key")
    leavers = analysed.result["networks"]["work"]["fragility"]["departures"][-1]["who"]
    assert leavers and not {n["key"] for n in data["nodes"]} & set(leavers)
    assert sum(data["pieces"]["sizes"]) == 12 - len(leavers)


def test_a_viewers_map_holds_no_name_organisation_or_attribute(viewer_client, wave, analysed):
    text = json.dumps(map_json(viewer_client, wave, network="work"), ensure_ascii=False)
    for row in PEOPLE:
        for secret in (row["name"], row["organisation"], f'"{row["id"]}"'):
            assert secret not in text, secret
    assert "seniority" not in text and "responded" not in text
    data = json.loads(text)
    assert all(n["label"].startswith("Person ") for n in data["nodes"])
    assert {kind for *_ij, kind, _w in data["edges"]} == {0}  # no direction for viewers


def test_the_table_lists_the_maps_people_sorted_without_javascript(owner_client, wave, analysed):
    url = reverse("studies:map", args=[wave.study.pk, wave.number])
    page = owner_client.get(url, {"network": "work", "sort": "-degree"}).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    named = [name for name in NAME.values() if name in rows]
    assert len(named) == 12
    data = map_json(owner_client, wave, network="work")
    degree = {NAME[n["key"]]: n["measures"]["degree"] for n in data["nodes"]}
    in_order = sorted(named, key=rows.index)
    assert [degree[n] for n in in_order] == sorted(degree.values(), reverse=True)
    assert 'aria-sort="descending"' in page
    assert "Schools and colleges" in rows and "school_college" not in rows


def test_an_old_result_without_a_layout_asks_for_a_new_run(owner_client, wave, analysed):
    analysed.result = {k: v for k, v in analysed.result.items() if k not in ("layout", "ties")}
    analysed.save()
    page = owner_client.get(reverse("studies:map", args=[wave.study.pk, wave.number]))
    assert "Run the analysis again to draw the maps" in page.content.decode()


def test_outsiders_get_no_map(outsider, wave, analysed):
    client = client_for(outsider)
    assert client.get(reverse("studies:map", args=[wave.study.pk, wave.number])).status_code == 404
    url = reverse("api:map_data", args=[wave.study.pk, wave.number])
    assert client.get(url).status_code == 404


# --- the findings about the view --------------------------------------------------------------

OUTSIDE = {"network": "innovation", "ties": "across", "sector": ["voluntary_community"]}


@pytest.mark.parametrize(
    ("finding_view", "view", "concerns"),
    [
        (OUTSIDE, {"network": "innovation", "sector": ["voluntary_community"]}, True),
        (OUTSIDE, {"network": "innovation", "ties": "within",
                   "sector": ["school_college", "voluntary_community"]}, True),
        (OUTSIDE, {"network": "work", "sector": ["voluntary_community"]}, False),
        (OUTSIDE, {"network": "innovation", "sector": ["school_college"]}, False),
        (OUTSIDE, {"network": "innovation"}, False),
        ({"network": "all", "layer": ["frontline", "public"]},
         {"network": "all", "layer": ["public"]}, False),
        ({"network": "all", "layer": ["frontline", "public"]},
         {"network": "all", "layer": ["public", "frontline"]}, True),
        ({"network": "all", "leave": "key"}, {"network": "all"}, False),
        ({"network": "all", "leave": "key"}, {"network": "all", "leave": "key"}, True),
        ({"network": "all", "brokers": "a,b"}, {"network": "all", "brokers": "b,a"}, True),
        ({"network": "all", "brokers": "a,b"}, {"network": "all", "brokers": "a,c"}, False),
        ({"network": "strategic"}, {"network": "strategic", "sector": ["health"]}, True),
        ({"sector": ["health"]}, {"network": "work", "sector": ["health"]}, True),  # any network
        ({}, {"network": "innovation"}, False),  # a finding no map shows concerns no view
    ],
)  # fmt: skip
def test_a_finding_concerns_the_views_that_select_what_it_names(finding_view, view, concerns):
    assert finding_concerns_view(finding_view, view) is concerns


def findings_about(page: str) -> str:
    """The map page's "Findings about this view" section, "" when it says nothing."""
    part = page.split('<div id="map-findings">')[1].split("</div>")[0]
    return part if "Findings about this view" in part else ""


def map_page(client, wave, **query) -> str:
    url = reverse("studies:map", args=[wave.study.pk, wave.number])
    return client.get(url, query).content.decode()


def test_the_map_lists_the_findings_about_its_view(owner_client, wave, analysed):
    # The small study's innovation network leaves its sectoral layer outside the core.
    analysis = owner_client.get(reverse("studies:analysis", args=[wave.study.pk, wave.number]))
    assert 'id="finding-excluded-layer-sectoral"' in analysis.content.decode()
    link = reverse("studies:analysis", args=[wave.study.pk, wave.number])
    for ties in ("all", "across"):
        section = findings_about(map_page(owner_client, wave, network="innovation",
                                          layer="sectoral", ties=ties))  # fmt: skip
        assert "Outside the core of the innovation network: the sectoral layer" in section
        assert f'href="{link}#finding-excluded-layer-sectoral"' in section
        assert "Read it on the analysis page" in section
        assert "(severity: low)" in section  # the severity the diagnosed phase gives it, as a word
        assert "depend on a few" not in section  # that one is about all networks, leaving


def test_a_view_no_finding_concerns_says_nothing_of_findings(owner_client, wave, analysed):
    for query in ({"network": "work", "layer": "sectoral"}, {"network": "work"}):
        page = map_page(owner_client, wave, **query)
        assert 'id="map-findings"' in page  # the place stays, for the JavaScript update
        assert not findings_about(page) and "Findings about this view" not in page


def test_a_viewer_sees_the_findings_about_the_view_with_pseudonyms(
    viewer_client, owner_client, wave, analysed
):
    # A title that names someone, as the analysis page would show it, in the result and in the
    # diagnosis' graded copy (the one the page shows).
    named = f"The networks depend on a few people, {NAME['p01']} first"
    for key in ("result", "diagnosis"):
        stored = getattr(analysed, key)
        for finding in stored["findings"]:
            if finding["id"] == "dependence-on-few":
                finding["title"] = named
    analysed.save()
    owner = findings_about(map_page(owner_client, wave, network="all", leave="key"))
    assert named in owner
    section = findings_about(map_page(viewer_client, wave, network="all", leave="key"))
    assert "The networks depend on a few people, Person " in section
    for row in PEOPLE:
        assert row["name"] not in section and row["id"] not in section
    anchor = section.split('href="')[1].split('"')[0]
    path, fragment = anchor.split("#")
    assert f'id="{fragment}"' in viewer_client.get(path).content.decode()


# --- in chromium ------------------------------------------------------------------------------


def signed_in_page(browser, live_server, user, viewport=DESK):
    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def open_map(page, live_server, wave, query: str = "") -> None:
    url = reverse("studies:map", args=[wave.study.pk, wave.number])
    page.goto(f"{live_server.url}{url}?{query}")
    page.wait_for_selector("#map[data-drawn]")


def painted_pixels(page) -> int:
    """Pixels of the map that are not the white background, read back from a screenshot."""
    picture = np.asarray(Image.open(io.BytesIO(page.locator("#map").screenshot())).convert("L"))
    return int((picture < 235).sum())


def drawn(page) -> tuple[int, int]:
    people, ties = page.get_attribute("#map", "data-drawn").split()
    return int(people), int(ties)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_paints_and_a_filter_changes_what_is_drawn(browser, live_server, owner, wave):
    analysed_now(wave)
    page = signed_in_page(browser, live_server, owner)
    open_map(page, live_server, wave, "network=work")
    assert drawn(page) == (12, 9)  # 10 nominations, p01 and p02 both ways: 9 lines
    before = painted_pixels(page)
    assert before > 500, "the map's canvas is blank"
    page.get_by_label("Ties", exact=True).select_option("across")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#map[data-drawn='12 2']")
    assert "ties=across" in page.url  # the view is a link to share
    assert 0 < painted_pixels(page) < before
    page.get_by_label("Only one sector's own network").select_option("school_college")
    page.get_by_label("Ties", exact=True).select_option("all")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#map[data-drawn='4 3']")
    # The table and findings are swapped in from the server apart from the drawing: wait for them.
    expect(page.locator("#map-table-wrap tbody tr")).to_have_count(4)
    expect(page.locator("#map-findings")).to_have_text("")
    page.get_by_label("Only one sector's own network").select_option("")
    page.get_by_label("Network", exact=True).select_option("innovation")
    page.locator("input[name=layer][value=sectoral]").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#map-findings >> text=Findings about this view")
    assert "the sectoral layer" in page.locator("#map-findings").inner_text()


FADED = "#e4e7eb"  # style.js: what the map fades a tie to when it is not highlighted


def faded_ties(page) -> set[tuple[str, str]]:
    script = """faded => {
        const {graph, renderer} = window.placelabMap;
        return graph.edges().filter(e => renderer.getEdgeDisplayData(e).color === faded)
            .map(e => graph.extremities(e));
    }"""
    return {tuple(pair) for pair in page.evaluate(script, FADED)}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_one_highlighted_sector_keeps_its_ties_to_others_and_two_keep_those_between(
    browser, live_server, owner, wave
):
    analysed_now(wave)
    page = signed_in_page(browser, live_server, owner)
    open_map(page, live_server, wave, "network=work&sector=voluntary_community")
    vcs = {k for k, s in SECTOR.items() if s == "voluntary_community"}
    ties = page.evaluate(
        "window.placelabMap.graph.edges().map(e => window.placelabMap.graph.extremities(e))"
    )
    touching = {tuple(pair) for pair in ties if set(pair) & vcs}
    assert touching, "the small study's voluntary sector has work ties"
    assert not touching & faded_ties(page)
    open_map(
        page, live_server, wave, "network=work&sector=voluntary_community&sector=local_authority"
    )
    for source, target in faded_ties(page):
        assert not {SECTOR[source], SECTOR[target]} <= {"voluntary_community", "local_authority"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_finds_a_person_and_the_table_holds_the_maps_people(
    browser, live_server, owner, wave
):
    analysed_now(wave)
    page = signed_in_page(browser, live_server, owner)
    open_map(page, live_server, wave, "network=innovation")
    page.get_by_label("Find a person").fill("Zoë")
    page.wait_for_selector("#map[data-found='p05']")
    on_map = set(page.evaluate("window.placelabMap.graph.nodes()"))
    in_table = set(page.locator("#map-table-wrap tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.key)"))  # fmt: skip
    assert on_map == in_table == set(NAME)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_map_page_passes_axe(browser, live_server, owner, viewer, wave, viewport):
    analysed_now(wave)
    found = {}
    for user in (owner, viewer):
        page = signed_in_page(browser, live_server, user, viewport)
        for query in ("network=work", "network=all&ties=across&role=hub&leave=key",
                      "network=work&brokers=local_authority&brokers=school_college"):  # fmt: skip
            open_map(page, live_server, wave, query)
            found[f"{user.username} {query}"] = violations(page)
    assert not any(found.values()), "\n".join(f"{q}:\n{r}" for q, r in found.items() if r)
