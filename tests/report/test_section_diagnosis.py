"""The report's diagnosis section: the demo's diagnosis, and diagnoses of hand-made answers for
the edges (no phase described, divided views, few respondents, no diagnosis at all).

Every diagnosis here is made by the real ``placelab.core.toolkit.diagnose`` from answers written
to a file; the words are checked against figures worked out by hand from those answers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from base64 import b64decode
from pathlib import Path

import pandas as pd
import pytest
from report.reading import section_page, words

from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.pseudonymise import viewer_analysis
from placelab.core.toolkit import diagnose_files, load_bank
from placelab.report.model import FULL, PSEUDONYMISED, About, Report, ReportContext
from placelab.report.render import render_html
from placelab.report.sections import diagnosis as section

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PHASES = ("phase_0", "phase_1", "phase_2", "phase_3", "phase_4")


def _context(diagnosis: dict | None, variant: str = FULL, min_group: int = 5) -> ReportContext:
    return ReportContext({}, diagnosis, About(), variant, min_group)


def _html(built) -> str:
    """A whole report page holding only this section."""
    return render_html(Report(about=About(), variant=FULL, min_group=5, sections=(built,)))


def _text(built) -> str:
    return words(section_page(built))


def _answers(tmp_path: Path, scores: list[dict[str, float]]) -> Path:
    """A wide answers file: respondent i gives every item of each scale the score asked for
    (reverse-worded items the answer that scores it), 3 on scales not named."""
    bank = load_bank()
    people = people_from_table(read_table(EXAMPLES / "people.csv"))
    ids = list(people.index[people["responded"]])
    rows = []
    for person, wanted in zip(ids, scores, strict=False):
        row = {"respondent": person}
        for item in bank.items:
            value = wanted.get(item.scale, 3)
            row[item.id] = int(6 - value if item.reverse else value)
        rows.append(row)
    path = tmp_path / "answers.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _diagnose(tmp_path: Path, scores: list[dict[str, float]]) -> dict:
    return diagnose_files(_answers(tmp_path, scores), people=EXAMPLES / "people.csv")


@pytest.fixture(scope="module")
def demo() -> dict:
    return diagnose_files(EXAMPLES / "answers.csv", people=EXAMPLES / "people.csv")


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_names_its_phase_with_confidence_runner_up_and_agreement(demo):
    phase = section.build(_context(demo)).data["phase"]
    life = demo["lifecycle"]
    assert phase["headline"] == "The answers point to the design and discover phase."
    said = " ".join(phase["sentences"])
    resamples = round(life["confidence"]["bootstrap_share"] * 1000)
    assert f"High confidence: it comes top in {resamples:,} of 1,000 resamples" in said
    assert "Runner-up: mobilisation" in said
    own = next(p["share"] for p in life["own_phase"] if p["id"] == 1)
    assert f"{own:.0%} of 92 respondents" in said
    assert phase["divided"] is None  # 57% agree most: more than half


def test_a_confidence_of_998_in_1000_is_never_printed_as_100_percent(demo):
    said = " ".join(section.build(_context(demo)).data["phase"]["sentences"])
    assert "100%" not in said and "0% of" not in said


def test_the_phase_table_shows_the_spread_not_only_the_mean(demo):
    rows = section.build(_context(demo)).data["phase"]["rows"]
    scale = next(s for s in demo["scales"] if s["id"] == "phase_1")
    row = next(r for r in rows if r["leading"])
    assert row["name"] == "Design and discover"
    assert row["agree"] == f"{scale['views']['agree']:.0%}"
    assert row["middle"] == f"{scale['quartiles'][0]:.1f} to {scale['quartiles'][2]:.1f}"


def test_the_triangle_explains_its_path_and_never_says_a_bare_label(demo):
    built = section.build(_context(demo))
    triangle = built.data["triangle"]
    assert triangle["path"]["title"] == "On the success path for this phase"
    assert "Table B2 says this phase needs" in triangle["path"]["meaning"]
    assert triangle["weak"]["title"] == "Value is the weak corner of the strategic triangle"
    text = _text(built)
    assert "path: success" not in text.lower() and "at_risk" not in text


def test_the_triangle_figure_is_an_svg_with_every_score_in_its_text_alternative(demo):
    figure = section.build(_context(demo)).data["triangle"]["figure"]
    svg = ET.fromstring(b64decode(figure["src"].split(",", 1)[1]))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}line")) == 3
    texts = "".join(svg.itertext())
    for part in (*demo["triangle"]["corners"].values(), *demo["triangle"]["links"].values()):
        assert f"{part['label']} {part['mean']:.1f}" in figure["alt"]
        assert f"{part['mean']:.1f}" in texts


def test_pitfalls_say_what_they_rest_on_and_figures_never_contradict_their_threshold(demo):
    text = _text(section.build(_context(demo)))
    steps = section.build(_context(demo)).data["steps"]
    assert [p["text"] for p in steps["signalled"]] == [
        p["text"] for p in demo["next_steps"]["pitfalls"] if p["signalled"]
    ]
    pairs = re.findall(r"(\d\.\d) out of 5, below the (\d\.\d)", text)
    assert pairs and all(float(a) < float(b) for a, b in pairs)
    for question in demo["next_steps"]["questions"]:
        assert question["text"] in text


def test_the_method_chooser_says_it_is_a_heuristic_and_what_drives_each_option(demo):
    methods = section.build(_context(demo)).data["methods"]
    top = methods["methods"][0]
    assert top["name"] == demo["methods"]["methods"][0]["name"]
    assert top["for"] and all(not r.startswith(("+", "-")) for r in top["for"])
    # the terms shown add up to the score shown (to rounding)
    terms = [float(r.rsplit("(", 1)[1].rstrip(")").replace("−", "-")) for r in top["for"]]
    assert sum(terms) == pytest.approx(top["score"], abs=0.01)
    assert "heuristic" in methods["note"]
    assert {f["reading"].split(":")[0].split(",")[0] for f in methods["factors"]} == {
        "high",
        "middling",
    }
    assert methods["counting"] == (
        "So the ranking below turns on urgency of change and power of the professions, "
        "weighed equally."
    )


def test_breakdowns_hold_back_small_groups_and_name_them_only_in_the_full_report(demo):
    full = section.build(_context(demo)).data["views"]
    sectors = next(t for t in full["tables"] if t["grouping"] == "sector")
    assert {g["label"] for g in sectors["groups"]} <= {
        "Local authority",
        "Schools and colleges",
        "Voluntary and community sector",
    }
    assert all(g["n"] >= 5 for g in sectors["groups"])
    assert "Police and justice" in sectors["held"]
    shown = viewer_analysis(None, demo, {})["diagnosis"]
    viewer = section.build(_context(shown, PSEUDONYMISED)).data["views"]
    held = next(t for t in viewer["tables"] if t["grouping"] == "sector")["held"]
    assert "Police and justice" not in held and "held back" in held


def test_a_larger_study_minimum_holds_back_more_groups(demo):
    views = section.build(_context(demo, min_group=20)).data["views"]
    for table in views["tables"]:
        assert all(g["n"] >= 20 for g in table["groups"])


def test_the_pseudonymised_section_shows_only_aggregates(demo):
    shown = viewer_analysis(None, demo, {})["diagnosis"]
    assert "respondents" not in shown
    text = _text(section.build(_context(shown, PSEUDONYMISED)))
    assert not re.search(r"\bp\d{3}\b", text)
    full = section.build(_context(demo)).data
    viewer = section.build(_context(shown, PSEUDONYMISED)).data
    for key in ("phase", "triangle", "omr", "steps", "methods", "reliability"):
        assert viewer[key] == full[key]


def test_reliability_reports_alpha_and_flags_weak_scales(demo):
    rel = section.build(_context(demo)).data["reliability"]
    value = next(s for s in demo["scales"] if s["id"] == "triangle_value")
    row = next(r for r in rel["rows"] if r["scale"] == "Value")
    # Pairwise alpha (every respondent who answered two of its items; listwise gave 0.56)
    assert row["alpha"] == f"{value['alpha']['value']:.2f}" == "0.60"
    assert row["alpha_weak"] and "Value;" in rel["weak"]
    assert rel["weak"].startswith("9 of the 24 scales fall below 0.70")
    assert "45 people on the roster are not counted" in rel["missing"]


# --- the edges ------------------------------------------------------------------------------


def test_answers_that_describe_no_phase_say_so_with_the_closest(tmp_path):
    diagnosis = _diagnose(tmp_path, [{p: 2 for p in PHASES} | {"phase_3": 3}] * 25)
    data = section.build(_context(diagnosis)).data
    assert data["phase"]["headline"] == "No phase of the lifecycle is clearly described."
    said = " ".join(data["phase"]["sentences"])
    assert "the closest, mainstreaming, averages 3.0 out of 5, short of the 3.5" in said
    assert "Of the phases, mainstreaming comes closest in 1,000 of 1,000 resamples" in said
    assert "confidence" not in said.lower()  # no phase is named, so none is held with confidence
    assert data["steps"]["available"] is False
    assert data["triangle"]["path"]["title"] == "Not judged"
    assert "Not judged: no phase is clearly described" in _text(section.build(_context(diagnosis)))


def test_divided_views_say_how_few_agree_with_the_leading_phase(tmp_path):
    # 9 agree most with phase 1, 7 with phase 2, 6 with phase 4: phase 1 leads (mean 4.4)
    # but only 9 of 22, 41%, agree with it most.
    a = {"phase_1": 5, "phase_2": 4, "phase_4": 3}
    b = {"phase_1": 4, "phase_2": 5, "phase_4": 3}
    c = {"phase_1": 4, "phase_2": 3, "phase_4": 5}
    diagnosis = _diagnose(tmp_path, [a] * 9 + [b] * 7 + [c] * 6)
    phase = section.build(_context(diagnosis)).data["phase"]
    assert phase["headline"] == "The answers point to the design and discover phase."
    assert "41% of 22 respondents" in " ".join(phase["sentences"])
    assert "only 41% of 22 respondents (about two in five) agree most" in phase["divided"]
    assert "it does not say that people agree" in phase["divided"]  # despite high confidence
    assert phase["split"] is None  # the runner-up, mobilisation, is the next phase


def test_few_respondents_get_counts_not_percentages(tmp_path):
    # 8 respondents: 5 agree most with phase 1 (4 against 3), 3 with phase 2 (5 against 4).
    diagnosis = _diagnose(
        tmp_path, [{"phase_1": 4, "phase_2": 3}] * 5 + [{"phase_1": 4, "phase_2": 5}] * 3
    )
    data = section.build(_context(diagnosis)).data
    said = " ".join(data["phase"]["sentences"])
    assert "5 of 8 respondents agree most with the statements of design and discover" in said
    assert "3 with mobilisation" in said
    rows = data["phase"]["rows"]
    assert all("%" not in v for r in rows for v in r.values() if isinstance(v, str))
    assert next(r for r in rows if r["leading"])["own"] == "5"
    assert "Only 8 people answered" in data["reliability"]["few"]
    assert not data["views"]["tables"] or all(
        g["n"] >= 5 for t in data["views"]["tables"] for g in t["groups"]
    )


@pytest.mark.parametrize(
    ("diagnosis", "words"),
    [
        (None, "No diagnosis was made for this study"),
        (
            {"unavailable": "Too few answers to diagnose the place"},
            "could not be made: too few answers to diagnose the place.",
        ),
    ],
)
def test_no_diagnosis_is_one_plain_paragraph(diagnosis, words):
    built = section.build(_context(diagnosis))
    assert built.data == {"available": False, "unavailable": built.data["unavailable"]}
    html = _html(built)
    body = html[html.index('id="diagnosis"') :]
    assert body.count("<p>") == 1 and words in body
    assert "network evidence in the other sections stands" in built.data["unavailable"]


def test_share_words_switch_to_counts_under_twenty():
    assert section.share_words(0.5625, 8) == "4.5 of 8"
    assert section.share_words(0.375, 8) == "3 of 8"
    assert section.share_words(0.5706, 92) == "57% of 92"


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_the_section_passes_axe_on_a_desk_and_on_a_phone(demo, tmp_path):
    """axe-core's WCAG 2.1 A and AA rules, in Debian's chromium, on the section alone."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(_html(section.build(_context(demo))), encoding="utf-8")
    rules = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
    options = {"runOnly": rules, "resultTypes": ["violations"]}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(page_file.as_uri())
                found = Axe().run(page, context={"include": [["#diagnosis"]]}, options=options)
                assert not found.violations_count, found.generate_report()
                figure = page.locator("#diagnosis figure img")
                assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
                page.close()
        finally:
            browser.close()


def test_a_diagnosis_without_phase_triangle_or_roster_says_what_is_missing(demo):
    # As a study that switched the lifecycle and triangle statements off, with no roster:
    # every part the diagnosis lacks says so instead of showing empty tables.
    partial = {
        **demo,
        "lifecycle": None,
        "triangle": None,
        "next_steps": None,
        "omr": {},
        "breakdowns": {"groupings": [], "shown": [], "held_back": [], "divided": []},
        "findings": [],
    }
    built = section.build(_context(partial))
    text = _text(built)
    assert "Too few people answered the statements of the lifecycle phases" in text
    assert "to read the triangle" in text
    assert "Not judged: no phase is clearly described" in text
    assert "Too few answers to read these conditions" in text
    assert "views are not broken down by group" in text
