"""The report as one self-contained HTML page: inline CSS, maps as data URIs, no scripts.

Nothing is loaded from another host, so the file reads the same offline, attached to an email or
printed; the PDF (:mod:`.pdf`) is made from this page with the print styles. Every value is
escaped (names come from the study's files).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from placelab.core.vocabulary import label
from placelab.report.model import Report, cite

TEMPLATES = Path(__file__).parent / "templates"


def render_html(report: Report) -> str:
    """The whole report, sections in order, as one HTML document."""
    template = _environment().get_template("report.html")
    page = template.render(report=report, about=report.about, cover=cover(report), css=_css())
    return _scrollable_focusable(page)


def _scrollable_focusable(page: str) -> str:
    """A wide table scrolls sideways on a phone; its box must take keyboard focus so that those
    who cannot use a mouse can scroll it too (WCAG 2.1.1, axe's scrollable-region-focusable)."""
    return page.replace('<div class="table-wrap">', '<div class="table-wrap" tabindex="0">')


def cover(report: Report) -> dict[str, Any]:
    """The cover's words: what the report holds and who may read it (full or pseudonymised)."""
    about = report.about
    place = " in ".join(filter(None, (about.field.lower() if about.field else "", about.locality)))
    subject = f"people working on {place}" if place else "the people in this study"
    shown = (
        "People are shown by pseudonyms (“Person 12”), not by name, and no group of fewer "
        f"than {report.min_group} people is broken out. A person's place in the networks "
        "can still point to them"
    )
    if report.pseudonymised:
        audience = shown + ": before sharing this version, read"
        link = {"href": "#methods-pseudonymised", "text": "what it can still reveal"}
    else:
        audience = (
            "This version names people. It is for those the study's owner has allowed to see "
            "names: do not pass it on. The pseudonymised version is the one to share more widely."
        )
        link = None
    if report.kind == "comparison":
        return {
            "about": (
                f"What changed between two waves of the survey of {subject}: who answered, "
                "which changes are clear and which could be chance, each network's ties kept, "
                "new and lost, and the maps of both waves side by side. The last part says how "
                "every number was made, so that anyone can check it."
            ),
            # No notes on pseudonymisation to link to: the sentence ends here.
            "audience": shown + " for colleagues who know who works with whom."
            if report.pseudonymised
            else audience,
            "link": None,
        }
    return {
        "about": (
            f"How {subject} are connected: who they turn to for ideas, advice and decisions, who "
            "holds the networks together, where the local innovation system is thin, and where "
            "the place stands in the innovation lifecycle. It opens with a one-page summary for "
            "leaders; the sections after it give the evidence, and the last says how every "
            "number was made, so that anyone can check it."
        ),
        "audience": audience,
        "link": link,
    }


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        percent=percent, number=number, signed=signed, label=label, cite=cite, css_string=css_string
    )
    return env


def css_string(text: str) -> Markup:
    r"""``text`` as a quoted CSS string, every character but letters, digits and spaces escaped
    as hex (``\22 `` for a quote), so that nothing in a study's title can end the string or
    the ``<style>`` it stands in.

    >>> str(css_string('A "b" </style>'))
    '"A \\22 b\\22  \\3c \\2f style\\3e "'
    """
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{escaped}"')


def percent(value: float | None, digits: int = 0) -> str:
    """0.256 -> '26%'; a missing value -> an en dash."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value * 100:.{digits}f}%"


def number(value: float | int | None, digits: int = 2) -> str:
    """Integers with thousands separators, other numbers to ``digits`` places."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def signed(value: float | None, digits: int = 2) -> str:
    """An index from -1 to +1 with its sign, using a true minus sign."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:+.{digits}f}".replace("-", "−")
