"""The PDF report, read back with poppler's tools: every section in its text, A4 pages numbered,
tagged, with an outline, its title in the metadata; and in the pseudonymised variant no roster
name in its text, metadata, outline, structure tree (figures' alt text), drawn maps or
attachments. Nothing is fetched from another host."""

from __future__ import annotations

import base64
import http.server
import io
import re
import subprocess
import threading
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import numpy as np
import pytest

import placelab
from placelab.core.demo import generate_locality, write_locality
from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.pseudonymise import result_pseudonyms
from placelab.core.toolkit.demo_answers import generate_answers
from placelab.core.toolkit.diagnosis import diagnose_files
from placelab.report import About, build_report, render_html
from placelab.report.pdf import _local_only, print_svg, render_pdf

ABOUT = About(title="Innovation in Hartwell", locality="Hartwell", field="Secondary education")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo locality (137 people with invented names), analysed and diagnosed."""
    folder = tmp_path_factory.mktemp("demo")
    people, ties = generate_locality()
    people_path, ties_path = write_locality(folder, people, ties)
    answers = generate_answers(people_from_table(read_table(people_path)))
    answers.to_csv(folder / "answers.csv", index=False)
    study = placelab.load(people_path, ties_path, parameters=placelab.Parameters(permutations=99))
    result = study.to_dict()
    diagnosis = diagnose_files(folder / "answers.csv", people_path, network_findings=study.findings)
    return {"result": result, "diagnosis": diagnosis, "people": people, "folder": folder}


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def full(demo: dict) -> dict:
    report = build_report(demo["result"], demo["diagnosis"], about=ABOUT)
    path = _write(demo["folder"], "full.pdf", render_pdf(report, uncompressed_pdf=True))
    return {"report": report, "path": path}


@pytest.fixture(scope="module")
def pseudonymised(demo: dict) -> dict:
    names = result_pseudonyms(demo["result"], secret="test secret")
    report = build_report(demo["result"], demo["diagnosis"], about=ABOUT, pseudonyms=names)
    path = _write(demo["folder"], "pseudo.pdf", render_pdf(report, uncompressed_pdf=True))
    return {"report": report, "path": path}


def _tool(*command: object) -> str:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def _text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, each run of spaces and line breaks one space."""
    return re.sub(r"\s+", " ", _tool("pdftotext", path, "-"))


def _info(path: Path) -> dict[str, str]:
    lines = _tool("pdfinfo", path).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def _outline(path: Path) -> ElementTree.Element:
    """The bookmarks as poppler's pdftohtml lists them in its XML: ``<outline>`` holds
    ``<item>``s, each followed by an ``<outline>`` of its own when it has children."""
    xml = _tool("pdftohtml", "-xml", "-stdout", "-i", "-q", path)
    return ElementTree.fromstring(xml).find("outline")


def _titles(outline: ElementTree.Element) -> list[str]:
    return [item.text or "" for item in outline.findall("item")]


def _roster_names(people) -> list[str]:
    return sorted({str(n) for n in people["name"] if str(n).strip()})


# --- what every PDF has ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["full", "pseudonymised"])
def test_its_text_holds_every_sections_title_in_order(request, variant):
    made = request.getfixturevalue(variant)
    text = _text(made["path"])
    body = text[text.index(made["report"].sections[-1].title) :]  # after the contents list
    assert ABOUT.title in text
    at = -1
    for section in made["report"].sections:
        assert section.title in text
        at = text.index(section.title, at + 1)
    assert body  # the last section's heading comes after the contents


def test_every_page_is_a4_and_numbered(full):
    info = _info(full["path"])
    pages = int(info["Pages"])
    sizes = _tool("pdfinfo", "-f", 1, "-l", pages, full["path"])
    assert sizes.count("595.276 x 841.89 pts (A4)") == pages
    for page in range(2, pages + 1):
        text = _tool("pdftotext", "-f", page, "-l", page, full["path"], "-")
        assert f"Page {page} of {pages}" in text


def test_it_is_tagged_with_a_structure_tree(full):
    assert _info(full["path"])["Tagged"] == "yes"
    structure = _tool("pdfinfo", "-struct", full["path"])
    for role in ("Document", "H1", "H2", "L", "LI"):
        assert re.search(rf"^\s*{role}( |$)", structure, re.M), role


def test_its_outline_has_the_title_and_each_section(full):
    outline = _outline(full["path"])
    assert _titles(outline) == [ABOUT.title]  # the cover's h1, with every h2 under it
    sections = [s.title for s in full["report"].sections]
    assert _titles(outline.find("outline")) == ["Contents", *sections]
    badges = re.compile(r"^(high|medium|low|info)\S", re.I)  # a severity badge run into a title
    assert not [item.text for item in outline.iter("item") if badges.match(item.text or "")]


def test_its_metadata_names_the_report_and_not_the_people(full, pseudonymised):
    assert _info(full["path"])["Title"] == ABOUT.title
    info = _info(pseudonymised["path"])
    assert info["Title"] == f"{ABOUT.title} (pseudonymised)"
    assert info["Author"] == "placelab"
    assert info["Subject"] == "Hartwell · Secondary education"


def test_it_has_no_attachments(full, pseudonymised):
    for made in (full, pseudonymised):
        assert _tool("pdfdetach", "-list", made["path"]).startswith("0 embedded files")


# --- the pseudonymised variant ------------------------------------------------------------------


def test_the_pseudonymised_pdf_shows_no_roster_name(demo, pseudonymised):
    names = _roster_names(demo["people"])
    text = _text(pseudonymised["path"])
    metadata = _tool("pdfinfo", "-meta", pseudonymised["path"]) + str(_info(pseudonymised["path"]))
    outline = " ".join(item.text or "" for item in _outline(pseudonymised["path"]).iter("item"))
    for name in names:
        assert name not in text
        assert name not in metadata
        assert name not in outline


def test_the_pseudonymised_pdf_holds_no_roster_name_in_its_raw_content(demo, pseudonymised):
    """Uncompressed, the file's strings (metadata, bookmarks, the tags' alt text and actual text)
    are plain bytes: a name in any of them, or written into a map as text, would be found here."""
    raw = pseudonymised["path"].read_bytes()
    assert ABOUT.title.encode() in raw  # the search sees the file's strings
    for name in _roster_names(demo["people"]):
        assert name.encode("utf-8") not in raw
        assert name.encode("utf-16-be") not in raw  # PDF text strings may be UTF-16


def _maps(report) -> list[str]:
    """The maps' SVG in the HTML the PDF is made of, each also as the PDF draws it."""
    found = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', render_html(report))
    svgs = [base64.b64decode(m).decode("utf-8") for m in found]
    return [*svgs, *map(print_svg, svgs)]


def test_the_pseudonymised_pdfs_maps_hold_no_roster_name_nor_organisation(demo, pseudonymised):
    maps = _maps(pseudonymised["report"])
    assert maps
    organisations = sorted(set(demo["people"]["organisation"]))
    for svg in maps:
        for name in [*_roster_names(demo["people"]), *organisations]:
            assert name not in svg and escape(name) not in svg


def test_the_pseudonymised_pdfs_text_names_no_organisation(demo, pseudonymised):
    text = _text(pseudonymised["path"])
    for organisation in sorted(set(demo["people"]["organisation"])):
        assert organisation not in text


def test_a_roster_name_in_the_full_pdf_would_be_found(demo, full):
    """The check above can fail: the full variant's text names someone."""
    text = _text(full["path"])
    assert any(name in text for name in _roster_names(demo["people"]))
    assert any(
        escape(name) in svg
        for name in _roster_names(demo["people"])
        for svg in _maps(full["report"])
    )


# --- nothing from another host -------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_fetcher_refuses_every_url_but_data():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetcher = _local_only()
    try:
        for url in (f"http://127.0.0.1:{server.server_port}/x.png", "file:///etc/hostname"):
            with pytest.raises(ValueError, match="disallowed protocol"):
                fetcher.fetch(url)
        assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    finally:
        server.shutdown()
    assert _Recorder.seen == []


# --- maps redrawn for print ---------------------------------------------------------------------

ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse"'
    ' markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#2f5d9e"/>'
    "</marker></defs>"
)
STYLE = 'stroke-width="1.5" stroke-opacity="0.8" marker-end="url(#arrow)"'
SMALL_MAP = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">'
    f'{ARROW}<rect width="200" height="100" fill="#ffffff"/>'
    '<g class="ties" fill="none" stroke="#2f5d9e">'
    f'<line x1="10" y1="10" x2="90" y2="10" {STYLE}><title>a</title></line>'
    f'<line x1="10" y1="50" x2="60" y2="90" {STYLE}/>'
    f'<line x1="190" y1="90" x2="110" y2="20" {STYLE}/>'
    '</g><g class="people">'
    '<circle cx="150" cy="60" r="4" fill="#5f6b7a" stroke="#5f6b7a" data-person="p1"/>'
    '<circle cx="170" cy="20" r="4" fill="#5f6b7a" stroke="#5f6b7a" data-person="p2"/>'
    "</g></svg>"
)


def test_print_svg_merges_ties_and_people_into_paths():
    printed = ElementTree.fromstring(print_svg(SMALL_MAP))
    svg = "{http://www.w3.org/2000/svg}"
    assert not printed.findall(f".//{svg}line") and not printed.findall(f".//{svg}circle")
    ties, heads = printed.find(f"{svg}g").findall(f"{svg}path")
    assert ties.get("d") == "M10 10L90 10M10 50L60 90M190 90L110 20"
    assert ties.get("stroke-width") == "1.5" and "marker-end" not in ties.attrib
    # The first arrowhead, by hand: the marker's (0,1), (10,5), (0,9) scaled by 7/10 with
    # (10,5) on the line's end (90,10), pointing along +x.
    assert heads.get("d").startswith("M83.00 7.20L90.00 10.00L83.00 12.80z")
    assert heads.get("fill") == "#2f5d9e" and heads.get("stroke") == "none"


def test_print_svg_draws_the_same_picture():
    """Rasterised by CairoSVG, no pixel of the map and its print version differs by more than a
    quarter of the grey scale; leaving out the three arrowheads would change over a hundred."""
    before, after = _grey(SMALL_MAP), _grey(print_svg(SMALL_MAP))
    assert (before < 250).sum() > 500  # something is drawn
    assert (np.abs(before - after) > 64).sum() == 0
    no_heads = SMALL_MAP.replace(' marker-end="url(#arrow)"', "")
    assert (np.abs(before - _grey(no_heads)) > 64).sum() > 100


def _grey(svg: str) -> np.ndarray:
    from PIL import Image

    from placelab.report.maps import svg_to_png

    return np.asarray(Image.open(io.BytesIO(svg_to_png(svg, scale=2))).convert("L"), dtype=float)
