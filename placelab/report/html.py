"""A plain, self-contained HTML report of one analysis, from the result dict of ``result_json``.

The page loads nothing from another host (inline CSS, no scripts), escapes every value it shows
(names come from the study's files), and never breaks out a group smaller than
``finding_rules.min_group`` people (five by default).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from placelab.core.vocabulary import ALL, QUESTIONS

TEMPLATES = Path(__file__).parent / "templates"
MIN_GROUP = 5
SEVERITIES = ("high", "medium", "low", "info")
SHARE_WORDS = {"share", "reach", "rate"}  # a number under a key with one of these is a share
TITLES = {"ei_index": "E-I index", "r": "r", "p": "p"}


def render_html(result: dict) -> str:
    """The report as one HTML page; ``result`` is ``Study.to_dict()`` or the JSON it writes."""
    template = _environment().get_template("report.html")
    return template.render(
        r=result,
        ALL=ALL,
        questions=QUESTIONS,
        min_group=result.get("finding_rules", {}).get("min_group", MIN_GROUP),
        name=_namer(result["people"]),
        networks=[n for n in result["networks"] if n != ALL],
        core=_core_rows(result),
        counts=_severity_counts(result["findings"]),
    )


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
        percent=percent, number=number, signed=signed, label=label, title_of=title_of
    )
    env.tests["share"] = is_share
    return env


def percent(value: float | None, digits: int = 0) -> str:
    """0.256 -> '26%'; a missing value -> an en dash."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value * 100:.{digits}f}%"


def number(value: float | int | None, digits: int = 3) -> str:
    """Integers with thousands separators, other numbers to ``digits`` places."""
    if value is None or not math.isfinite(value):
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


def label(value: object) -> str:
    """A vocabulary word for reading: 'voluntary_community' -> 'voluntary community'."""
    return str(value).replace("_", " ")


def title_of(key: str) -> str:
    """A result key as a heading: 'share_of_people' -> 'Share of people'."""
    if key in TITLES:
        return TITLES[key]
    text = label(key)
    return text[:1].upper() + text[1:]


def is_share(key: str) -> bool:
    """Is the number under ``key`` a share, to be shown as a percentage?"""
    return bool(SHARE_WORDS & set(str(key).split("_")))


def _namer(people: list[dict]) -> Callable[[str], str]:
    names = {p["id"]: (p.get("name") or p["id"]) for p in people}
    return lambda person_id: names.get(person_id, person_id)


def _core_rows(result: dict) -> list[dict]:
    """The core group's members, with the number of networks in which they are key connectors."""
    by_id = {p["id"]: p for p in result["people"]}
    rows = []
    for person_id in result["core_group"]["members"]:
        person = by_id[person_id]
        held = [n for n, m in person["networks"].items() if n != ALL and m["roles"]]
        rows.append({"person": person, "connector_in": held})
    return rows


def _severity_counts(findings: list[dict]) -> dict[str, int]:
    return {s: sum(f["severity"] == s for f in findings) for s in SEVERITIES}
