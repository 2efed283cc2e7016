"""Reading one section of the report as a test needs it: built alone, rendered on a page of its
own, and read back as the words and map images a reader meets."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html.parser import HTMLParser

from placelab.core.pseudonymise import MIN_GROUP, viewer_analysis
from placelab.report.model import FULL, PSEUDONYMISED, About, Report, ReportContext, Section
from placelab.report.render import render_html


def section_context(
    result: dict,
    pseudonyms: dict | None = None,
    *,
    diagnosis: dict | None = None,
    min_group: int = MIN_GROUP,
) -> ReportContext:
    """What a section builder reads: the viewer copy when ``pseudonyms`` are given."""
    variant = FULL if pseudonyms is None else PSEUDONYMISED
    if pseudonyms is not None:
        shown = viewer_analysis(result, diagnosis, pseudonyms)
        result, diagnosis = shown["result"], shown["diagnosis"]
    names = {str(p["id"]): str(p.get("name") or p["id"]) for p in result.get("people", [])}
    return ReportContext(result, diagnosis, About(), variant, min_group, names)


def section_page(section: Section, variant: str = FULL, min_group: int = MIN_GROUP) -> str:
    """The section's ``<section>`` element as the report's page shows it."""
    page = render_html(Report(About(), variant, min_group, (section,)))
    found = re.search(rf'<section id="{section.id}".*?</section>', page, re.S)
    assert found, f"no section {section.id!r} on the page"
    return found.group(0)


def built_page(build: Callable[[ReportContext], Section], context: ReportContext) -> str:
    return section_page(build(context), context.variant, context.min_group)


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag, attrs) -> None:
        self.skip = tag in ("style", "script")

    def handle_endtag(self, tag) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def words(html: str) -> str:
    """The text of ``html`` as a reader meets it, spaces collapsed."""
    parser = _Words()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def map_images(html: str) -> list[str]:
    """Every SVG image ``html`` embeds as a data URI, decoded."""
    return [
        base64.b64decode(data).decode("utf-8")
        for data in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
