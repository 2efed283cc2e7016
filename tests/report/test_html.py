"""The HTML report: findings first, key connectors by name, nothing from another host, escaped names,
and no group of fewer than five people broken out."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

import placelab
from placelab.core.vocabulary import NETWORKS
from placelab.report.html import render_html

SCRIPT_NAME = "<script>alert(1)</script>"

# 20 people: three sectors of six and a university of two (too few to break out). p01, whose
# name is an HTML script, and p07 are named by every respondent in every network, so both are
# hubs everywhere. Four of the six voluntary sector people did not answer: a low-response finding.
PEOPLE = [
    ("p01", SCRIPT_NAME, "Council", "local_authority", "systemic", "senior", "yes"),
    ("p02", "Bea Kwan", "Council", "local_authority", "systemic", "middle", "yes"),
    ("p03", "Cal Ode", "Council", "local_authority", "sectoral", "middle", "yes"),
    ("p04", "Dee Ng", "Council", "local_authority", "sectoral", "frontline", "yes"),
    ("p05", "Eve Orr", "Council", "local_authority", "frontline", "frontline", "yes"),
    ("p06", "", "Council", "local_authority", "frontline", "frontline", "yes"),
    ("p07", "Grace Okafor", "School A", "school_college", "systemic", "senior", "yes"),
    ("p08", "Hal Ivy", "School A", "school_college", "sectoral", "middle", "yes"),
    ("p09", "Ida Joy", "School A", "school_college", "sectoral", "middle", "yes"),
    ("p10", "Jo Kim", "School B", "school_college", "frontline", "frontline", "yes"),
    ("p11", "Kai Lo", "School B", "school_college", "frontline", "frontline", "yes"),
    ("p12", "Lea Moy", "School B", "school_college", "frontline", "frontline", "yes"),
    ("p13", "Max Nye", "University", "university", "sectoral", "senior", "yes"),
    ("p14", "Nia Oak", "University", "university", "sectoral", "middle", "yes"),
    ("p15", "Oli Pim", "Trust", "voluntary_community", "public", "resident", "yes"),
    ("p16", "Pat Quy", "Trust", "voluntary_community", "public", "resident", "yes"),
    ("p17", "Ros Ray", "Trust", "voluntary_community", "public", "resident", "no"),
    ("p18", "Sam Sol", "Trust", "voluntary_community", "public", "resident", "no"),
    ("p19", "Tam Toe", "Trust", "voluntary_community", "public", "resident", "no"),
    ("p20", "Uma Ude", "Trust", "voluntary_community", "public", "resident", "no"),
]


def _ties() -> list[tuple[str, str, str, int]]:
    ids = [p[0] for p in PEOPLE]
    answered = [p[0] for p in PEOPLE if p[6] == "yes"]
    ties = []
    for network in NETWORKS:
        for person in answered:
            named = {"p01", "p07", ids[(ids.index(person) + 1) % len(ids)]} - {person}
            ties += [(person, other, network, 3) for other in sorted(named)]
    return [*ties, ("p02", "Dr <b>Outside</b>", "work", 1)]


def _write(path: Path, header: str, rows: list[tuple]) -> Path:
    lines = [header, *(",".join(str(cell) for cell in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("study")
    people = _write(
        folder / "people.csv", "id,name,organisation,sector,layer,seniority,responded", PEOPLE
    )
    ties = _write(folder / "ties.csv", "source,target,network,weight", _ties())
    study = placelab.load(people, ties, parameters=placelab.Parameters(permutations=99))
    return study.to_dict()


@pytest.fixture(scope="module")
def page(result: dict) -> str:
    return render_html(result)


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}".*?</section>', page, re.S)
    assert found, f"no section {section_id}"
    return found.group(0)


def test_it_shows_every_finding_first(result: dict, page: str):
    assert result["findings"], "the study should yield findings to show"
    findings = _section(page, "findings")
    for finding in result["findings"]:
        assert str(escape(finding["title"])) in findings
        assert str(escape(finding["seed"]["section"])) in findings
        for question in finding["questions"]:
            assert str(escape(question)) in findings
    assert page.index('id="findings"') < page.index('id="networks"')


def test_it_names_the_hubs(result: dict, page: str):
    connectors = _section(page, "connectors")
    assert result["networks"]["innovation"]["key_connectors"]["hub"] == ["p01", "p07"]
    assert "Grace Okafor" in connectors


def test_a_person_without_a_name_is_shown_by_id(result: dict):
    nameless = copy.deepcopy(result)
    nameless["people"][6]["name"] = ""  # p07, a hub
    assert "p07" in _section(render_html(nameless), "connectors")


def test_it_escapes_names(page: str):
    assert SCRIPT_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _section(page, "connectors")
    assert "<b>Outside</b>" not in page
    assert "Dr &lt;b&gt;Outside&lt;/b&gt;" in _section(page, "outsiders")


class _Resources(HTMLParser):
    """Every tag and every attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster") and value:
                self.urls.append(value)


def test_it_loads_nothing_from_another_host(page: str):
    found = _Resources()
    found.feed(page)
    assert found.urls, "the contents links should have been found"
    assert all(url.startswith("#") for url in found.urls), found.urls
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(found.tags)
    assert "<script" not in page
    assert "@import" not in page
    assert "url(" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)


def test_it_is_accessible_in_its_bones(page: str):
    assert re.search(r'<html lang="en">', page)
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    headers = re.findall(r"<th\b[^>]*>", page)
    assert headers and all('scope="' in th for th in headers)


def test_a_group_of_fewer_than_five_is_not_broken_out(page: str):
    rows = re.findall(r"<tr\b[^>]*>\s*<th scope=\"row\">university</th>(.*?)</tr>", page, re.S)
    assert rows, "the university should be listed, without its figures"
    for cells in rows:
        assert "fewer than 5" in cells
        assert not re.search(r'class="num"', cells)


def test_it_highlights_the_pairs_read_closely(page: str):
    highlighted = re.findall(r'<tr class="highlight">\s*<th scope="row">(.*?)</th>', page)
    assert highlighted == ["★ innovation and expert", "★ strategic and decision"]


def test_it_gives_what_is_needed_to_reproduce_it(result: dict, page: str):
    assert result["inputs"]["fingerprint"] in page
    assert f"seed {result['parameters']['seed']}" in page
    assert f"placelab {placelab.__version__}" in page
    assert str(escape(result["method"]["density"])) in _section(page, "method")


def test_it_renders_the_json_a_reader_loads(result: dict):
    assert render_html(json.loads(json.dumps(result))) == render_html(result)
