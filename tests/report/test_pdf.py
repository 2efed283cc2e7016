"""The PDF report (printed by Debian's chromium), read back with poppler's tools: every section in
its text, A4 pages numbered, tagged, with an outline, its title in the metadata; and in the
pseudonymised variant no roster name in its text, metadata, outline, structure tree (figures'
alt text), drawn maps or attachments. Nothing is fetched from another host."""

from __future__ import annotations

import base64
import http.server
import re
import subprocess
import threading
import zlib
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest

import placelab
from placelab.core.demo import generate_locality, write_locality
from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.pseudonymise import result_pseudonyms
from placelab.core.toolkit.demo_answers import generate_answers
from placelab.core.toolkit.diagnosis import diagnose_files
from placelab.report import About, build_report, render_html
from placelab.report.pdf import html_to_pdf, render_pdf

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
    path = _write(demo["folder"], "full.pdf", render_pdf(report))
    return {"report": report, "path": path}


@pytest.fixture(scope="module")
def pseudonymised(demo: dict) -> dict:
    names = result_pseudonyms(demo["result"], secret="test secret")
    report = build_report(demo["result"], demo["diagnosis"], about=ABOUT, pseudonyms=names)
    path = _write(demo["folder"], "pseudo.pdf", render_pdf(report))
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
    assert sizes.count(" pts (A4)") == pages  # 210 x 297 mm, to the printer's rounding
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


def _raw(path: Path) -> bytes:
    """The file with every compressed stream inflated and every hex string decoded: its strings
    (metadata, bookmarks, the tags' alt text) as plain bytes."""
    data = path.read_bytes()
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            pass  # an image or font stream that is not deflated
    joined = b"\n".join(parts)
    hexes = re.findall(rb"<((?:[0-9A-Fa-f]{2}){2,})>", joined)
    return joined + b"\n".join(bytes.fromhex(h.decode()) for h in hexes)


def test_the_pseudonymised_pdf_holds_no_roster_name_in_its_raw_content(demo, pseudonymised):
    """Inflated, the file's strings (metadata, bookmarks, the tags' alt text) are plain bytes: a
    name in any of them would be found here."""
    raw = _raw(pseudonymised["path"])
    assert ABOUT.title.encode() in raw  # it sees the strings
    for name in _roster_names(demo["people"]):
        assert name.encode("utf-8") not in raw
        assert name.encode("utf-16-be") not in raw  # PDF text strings may be UTF-16


def _maps(report) -> list[str]:
    """The maps' SVG in the HTML the PDF is printed from."""
    found = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', render_html(report))
    return [base64.b64decode(m).decode("utf-8") for m in found]


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


def test_printing_fetches_nothing_from_another_host(full):
    """An image and a style sheet from elsewhere slipped into the page: the report's own
    Content-Security-Policy keeps Chromium from asking for either."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    here = f"http://127.0.0.1:{server.server_port}"
    page = render_html(full["report"]).replace(
        "<body>",
        f'<body><img src="{here}/x.png" alt=""><link rel="stylesheet" href="{here}/x.css">',
    )
    try:
        assert html_to_pdf(page).startswith(b"%PDF")
    finally:
        server.shutdown()
    assert _Recorder.seen == []
