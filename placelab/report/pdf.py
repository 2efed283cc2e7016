"""The report as a PDF: WeasyPrint lays out :func:`render_html`'s page with its print styles.

What the PDF is, and why:

- **Tagged, PDF/UA-1** (``pdf_variant="pdf/ua-1"``): a structure tree from the HTML (headings,
  lists, tables, figures with their ``alt``), the document's language and its title shown in
  the reader's window, so a screen reader reads it in order.
- **An outline** (bookmarks) from the ``<h1>``-``<h4>`` headings: WeasyPrint's default
  ``bookmark-level`` for headings.
- **A4 with page numbers**: the ``@page`` rules of ``templates/report.css`` (print media).
- **Metadata** set here rather than trusted to the page: the title is the report's title
  (``About.title``), the author placelab, no attachments. The pseudonymised variant's metadata
  is made only from ``About``, which holds no roster data.
- **Nothing from another host**: the fetcher refuses every URL but ``data:``, so a name in a
  study file that looks like a URL is never fetched and the PDF reads the same offline.
- **Maps drawn as few paths** (:func:`print_svg`): WeasyPrint draws an SVG node by node in
  Python, some 0.2 ms a node and as much again for each arrowhead, so a map of 12,000 ties took
  seconds. For print, runs of ties (and of people) drawn alike become one path each and the
  arrowheads one filled path: the same picture, except that where ties of one style cross, their
  translucency no longer adds up. bench/README.md has the figures.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Any
from xml.etree import ElementTree

from placelab.report.model import Report
from placelab.report.render import render_html

GENERATOR = "placelab"
# PDF/UA-1 implies tags and PDF 1.7 (WeasyPrint's weasyprint.pdf.pdfua.VARIANTS).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "attachments": None}


def render_pdf(report: Report, **options: Any) -> bytes:
    """The whole report as a tagged A4 PDF with an outline, page numbers and its title.

    ``options`` go to WeasyPrint on top of :data:`PDF_OPTIONS` (tests pass
    ``uncompressed_pdf=True`` to read the content streams).
    """
    document = layout(render_html(report), **options)
    _set_metadata(document.metadata, report)
    return document.write_pdf(**{**PDF_OPTIONS, **options})


def layout(page: str, *, redraw_maps: bool = True, **options: Any) -> Any:
    """WeasyPrint's pages of ``page`` (the report's HTML), with its print styles, the maps
    redrawn for print and nothing fetched but ``data:`` URIs."""
    from weasyprint import HTML  # imported when a PDF is wanted: it loads pango

    printed = print_maps(page) if redraw_maps else page
    html = HTML(string=printed, url_fetcher=_local_only(), media_type="print")
    return html.render(**{**PDF_OPTIONS, **options})


def _set_metadata(metadata: Any, report: Report) -> None:
    """Title, author, subject and language from the report's ``About``; no attachments."""
    about = report.about
    metadata.title = about.title + (" (pseudonymised)" if report.pseudonymised else "")
    metadata.authors = [GENERATOR]
    metadata.generator = GENERATOR
    metadata.description = " · ".join(filter(None, (about.locality, about.field, about.wave)))
    metadata.keywords = []
    metadata.attachments = []
    metadata.custom = {}
    metadata.lang = "en-GB"


def _local_only() -> Any:
    """A WeasyPrint URL fetcher that fetches ``data:`` URIs (the maps) and refuses the rest."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1)


SVG = "http://www.w3.org/2000/svg"
_MAP_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
_GEOMETRY = {"line": ("x1", "y1", "x2", "y2"), "circle": ("cx", "cy")}
_MARKER_PATH = re.compile(r"^[ML\d.,\s-]+[zZ]?$")  # absolute moves and lines only


def print_maps(page: str) -> str:
    """``page`` with each map (an ``<img>`` of an SVG data URI) drawn by :func:`print_svg`."""

    def redraw(match: re.Match) -> str:
        svg = print_svg(base64.b64decode(match.group(1)).decode("utf-8"))
        return f'src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}"'

    return _MAP_SRC.sub(redraw, page)


def print_svg(svg: str) -> str:
    """The same picture in fewer SVG elements: each run of ``<line>``s (or ``<circle>``s) that
    differ only in place becomes one ``<path>``, and their arrowheads one filled path.

    A run keeps its place among its siblings, so what is drawn over what is unchanged, except
    that within a run all fills come before all strokes. Tooltips (``<title>``) inside a run
    go: a PDF does not show them.
    """
    ElementTree.register_namespace("", SVG)
    root = ElementTree.fromstring(svg)
    markers = {m.get("id"): m for m in root.iter(f"{{{SVG}}}marker")}
    for parent in list(root.iter()):
        _merge_runs(parent, markers)
    return ElementTree.tostring(root, encoding="unicode")


def _merge_runs(parent: ElementTree.Element, markers: dict) -> None:
    children, merged, run = list(parent), [], []  # type: ignore[var-annotated]
    for child in [*children, None]:
        if run and (child is None or _style(child) != _style(run[0])):
            merged += _path_of(run, markers) if len(run) > 1 else run
            run = []
        if child is not None and _style(child) is not None:
            run.append(child)
        elif child is not None:
            merged.append(child)
    if len(merged) < len(children):
        parent[:] = merged


def _style(element: ElementTree.Element) -> tuple | None:
    """What a shape looks like apart from where it is, or None if it is not a line or circle
    (or holds more than a tooltip)."""
    tag = element.tag.removeprefix(f"{{{SVG}}}")
    if tag not in _GEOMETRY or any(c.tag != f"{{{SVG}}}title" for c in element):
        return None
    shown = (k for k in element.attrib if k not in _GEOMETRY[tag] and not k.startswith("data-"))
    return (tag, *sorted((k, element.attrib[k]) for k in shown))


def _path_of(run: list[ElementTree.Element], markers: dict) -> list[ElementTree.Element]:
    first = run[0]
    attrib = dict(_style(first)[1:])  # type: ignore[index]
    marker = markers.get(attrib.pop("marker-end", "")[5:-1]) if "marker-end" in attrib else None
    if _tag(first) == "circle":
        attrib.pop("r")
        d = "".join(_circle(float(e.get("cx")), float(e.get("cy")), float(e.get("r"))) for e in run)
    else:
        d = "".join(f"M{e.get('x1')} {e.get('y1')}L{e.get('x2')} {e.get('y2')}" for e in run)
    path = ElementTree.Element(f"{{{SVG}}}path", {**attrib, "d": d})
    heads = _arrowheads(run, marker) if marker is not None else None
    if marker is not None and heads is None:
        return run  # a marker this cannot redraw: leave the ties as they were
    return [path, heads] if heads is not None else [path]


def _tag(element: ElementTree.Element) -> str:
    return element.tag.removeprefix(f"{{{SVG}}}")


def _circle(x: float, y: float, r: float) -> str:
    return f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z"


def _arrowheads(run: list[ElementTree.Element], marker: ElementTree.Element):
    """The marker's polygon at the end of each line, turned along it (``orient="auto"``), as one
    filled path; None when the marker is not a single straight-sided path this can place."""
    shape = marker.find(f"{{{SVG}}}path")
    view = (marker.get("viewBox") or "").split()
    if shape is None or len(view) != 4 or marker.get("orient") != "auto":
        return None
    if not _MARKER_PATH.match(shape.get("d", "")):
        return None
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", shape.get("d", ""))]
    points = list(zip(numbers[::2], numbers[1::2], strict=True))
    scale = float(marker.get("markerWidth", "3")) / float(view[2])
    ref = (float(marker.get("refX", "0")), float(marker.get("refY", "0")))
    d = []
    for line in run:
        x1, y1, x2, y2 = (float(line.get(k)) for k in _GEOMETRY["line"])
        unit = scale * (1 if marker.get("markerUnits") == "userSpaceOnUse" else _width(line))
        cos, sin = math.cos(math.atan2(y2 - y1, x2 - x1)), math.sin(math.atan2(y2 - y1, x2 - x1))
        placed = []
        for px, py in points:
            u, v = (px - ref[0]) * unit, (py - ref[1]) * unit
            placed.append(f"{x2 + u * cos - v * sin:.2f} {y2 + u * sin + v * cos:.2f}")
        d.append("M" + "L".join(placed) + "z")
    attrib = {k: v for k, v in shape.attrib.items() if k != "d"}
    return ElementTree.Element(f"{{{SVG}}}path", {**attrib, "stroke": "none", "d": "".join(d)})


def _width(line: ElementTree.Element) -> float:
    return float(line.get("stroke-width", "1"))
