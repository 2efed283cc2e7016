"""The report as one self-contained HTML page: inline CSS, maps as data URIs, no scripts.

Nothing is loaded from another host, so the file reads the same offline, attached to an email or
printed; the PDF (:mod:`.pdf`) is made from this page with the print styles. Every value is
escaped (names come from the study's files).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from placelab.core.vocabulary import label
from placelab.report.model import Report, cite

TEMPLATES = Path(__file__).parent / "templates"


def render_html(report: Report) -> str:
    """The whole report, sections in order, as one HTML document."""
    template = _environment().get_template("report.html")
    return template.render(report=report, about=report.about, css=_css())


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
    env.filters.update(percent=percent, number=number, signed=signed, label=label, cite=cite)
    return env


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
