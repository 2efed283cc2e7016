"""The study report as one model, rendered as HTML (:mod:`.render`) and PDF (:mod:`.pdf`).

:func:`build_report` reads a stored result (``Study.to_dict()``) and diagnosis
(``placelab.core.toolkit.diagnose``) and returns a :class:`Report`: who it is about, whether it is
pseudonymised, and its sections in reading order, each a title, a template and the plain data the
template shows. The words and numbers are decided here and in :mod:`.sections`; templates only lay
them out, so the HTML and the PDF say the same.

The pseudonymised variant is made from the core's viewer copy
(:func:`placelab.core.pseudonymise.viewer_analysis`), the one rule set for everything a viewer
reaches: the report never pseudonymises on its own.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from placelab.core.citations import reader_citation
from placelab.core.pseudonymise import MIN_GROUP, viewer_analysis, viewer_comparison
from placelab.core.vocabulary import ALL, label

FULL = "full"
PSEUDONYMISED = "pseudonymised"
VARIANTS = (FULL, PSEUDONYMISED)


@dataclass(frozen=True)
class About:
    """What the report is of, for its title page and running header.

    ``source`` says where the numbers came from in a reader's words: a study's wave and the date of
    its analysis in the web, the files' names on the command line.
    """

    title: str = "Innovation networks"
    locality: str = ""
    field: str = ""
    wave: str = ""
    date: str = ""
    source: str = ""


def study_title(locality: str = "", field: str = "") -> str:
    """A report's title from its study: "Secondary education in Hartwell".

    >>> study_title("Hartwell", "secondary education")
    'Secondary education in Hartwell'
    >>> study_title()
    'Innovation networks'
    """
    locality, field = locality.strip(), field.strip()
    if not (locality or field):
        return About.title
    text = f"{field or 'Innovation'} in {locality}" if locality else field
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Section:
    """One part of the report: ``id`` is its anchor, ``template`` its file under
    ``templates/sections/``, ``data`` what the template shows (plain, JSON-ready)."""

    id: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    about: About
    variant: str
    min_group: int
    sections: tuple[Section, ...]
    kind: str = "study"  # or "comparison": two waves compared (build_comparison_report)

    @property
    def pseudonymised(self) -> bool:
        return self.variant == PSEUDONYMISED

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


@dataclass(frozen=True)
class ReportContext:
    """What every section builder reads: the result and diagnosis as this variant shows them."""

    result: dict
    diagnosis: dict | None
    about: About
    variant: str
    min_group: int
    names: Mapping[str, str] = field(default_factory=dict)  # id -> name as this variant shows it
    # An earlier wave to compare with (build_report's ``change``), as this variant shows it.
    change: Mapping[str, Any] | None = None

    @property
    def pseudonymised(self) -> bool:
        return self.variant == PSEUDONYMISED

    @property
    def networks(self) -> list[str]:
        """The study's networks in its own order, without the combined ``all``."""
        return [n for n in self.result.get("networks", {}) if n != ALL]

    @property
    def diagnosed(self) -> bool:
        """Is there a diagnosis to report (answers to the self-assessment, enough of them)?"""
        return bool(self.diagnosis) and "unavailable" not in (self.diagnosis or {})

    def name(self, person_id: str) -> str:
        """A person as this variant names them (a pseudonym in the viewer copy)."""
        return self.names.get(str(person_id), str(person_id))

    def map_image(self, network: str, *, caption: str = "", **options: Any) -> dict[str, str]:
        """A static map of ``network`` as an ``<img>``'s ``src`` (an SVG data URI) and ``alt``.

        Each map is its own image, so the ids inside one SVG never meet another's; ``options``
        go to :func:`placelab.report.maps.network_svg` (view, only, highlight, ...).
        """
        from placelab.report.maps import network_svg

        svg = network_svg(self.result, network, pseudonymous=self.pseudonymised, **options)
        return svg_image(
            svg, caption or f"Map of the {label(network)} network in the sector template"
        )


def svg_image(svg: str, alt: str) -> dict[str, str]:
    """An SVG as an ``<img>``'s ``src`` (a data URI) and ``alt``: the report is one file."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return {"src": f"data:image/svg+xml;base64,{encoded}", "alt": alt}


def cite(cited: Mapping[str, Any] | None) -> str:
    """A seed citation for readers: "NESTA / Young Foundation 2008, Appendix C 2.4"."""
    return reader_citation(dict(cited) if cited else None)


SectionBuilder = Callable[[ReportContext], Section]


def section_builders() -> tuple[SectionBuilder, ...]:
    """The report's sections in reading order: the summary first, then the evidence."""
    from placelab.report.sections import (
        connectors,
        diagnosis,
        fragility,
        groups,
        methods,
        networks,
        summary,
    )

    return (
        summary.build,
        networks.build,
        connectors.build,
        groups.build,
        fragility.build,
        diagnosis.build,
        methods.build,
    )


def build_report(
    result: dict,
    diagnosis: dict | None = None,
    *,
    about: About | None = None,
    pseudonyms: Mapping[str, str] | None = None,
    change: Mapping[str, Any] | None = None,
) -> Report:
    """The report of ``result`` (and ``diagnosis``, when the survey had a self-assessment).

    With ``pseudonyms`` (roster ids and names to "Person N", :func:`pseudonym_map`) the report is
    the pseudonymised variant, made from the viewer copy; without, the full one with names.
    Neither input is changed.

    With ``change`` (``{"comparison": compare_waves(...), "before": the earlier wave's result,
    "before_label": "Wave 1", "after_label": ...}``; ``before`` may be None: no maps) the
    section "What changed since the last wave" follows the summary; with ``pseudonyms`` it is
    made from viewer copies too, so ``pseudonyms`` must cover both waves' rosters.
    """
    variant = FULL if pseudonyms is None else PSEUDONYMISED
    if pseudonyms is not None:
        shown = viewer_analysis(result, diagnosis, pseudonyms)
        result, diagnosis = shown["result"], shown["diagnosis"]
        change = _viewer_change(change, pseudonyms)
    stated = (result.get("finding_rules") or {}).get("min_group")
    min_group = max(int(stated or MIN_GROUP), MIN_GROUP)
    names = {str(p["id"]): str(p.get("name") or p["id"]) for p in result.get("people", [])}
    context = ReportContext(result, diagnosis, about or About(), variant, min_group, names, change)
    builders = list(section_builders())
    if change is not None:
        from placelab.report.sections import change as change_section

        builders.insert(1, change_section.build)  # after the summary
    sections = tuple(build(context) for build in builders)
    return Report(about=context.about, variant=variant, min_group=min_group, sections=sections)


def build_comparison_report(
    comparison: dict,
    *,
    before: dict | None,
    after: dict | None,
    before_label: str,
    after_label: str,
    about: About | None = None,
    pseudonyms: Mapping[str, str] | None = None,
) -> Report:
    """A report of two waves compared and nothing else (``placelab compare --html``).

    ``before`` and ``after`` are the waves' results, for the maps (None: none drawn); with
    ``pseudonyms``, covering both waves' rosters, it is made from viewer copies of all three.
    """
    from placelab.report.sections.change import TITLE, change_data

    variant = FULL if pseudonyms is None else PSEUDONYMISED
    if pseudonyms is not None:
        comparison = viewer_comparison(comparison, pseudonyms)
        before, after = (
            viewer_analysis(r, None, pseudonyms)["result"] if r else None for r in (before, after)
        )
    data = change_data(
        comparison, before=before, after=after, before_label=before_label,
        after_label=after_label, pseudonymised=pseudonyms is not None,
    )  # fmt: skip
    section = Section(id="change", title=TITLE, template="sections/change.html", data=data)
    return Report(
        about=about or About(title="What changed between two waves"),
        variant=variant, min_group=MIN_GROUP, sections=(section,), kind="comparison",
    )  # fmt: skip


def _viewer_change(
    change: Mapping[str, Any] | None, pseudonyms: Mapping[str, str]
) -> dict[str, Any] | None:
    """``change`` as a viewer sees it: the comparison's viewer copy and the earlier wave's."""
    if change is None:
        return None
    before = change.get("before")
    return {
        **change,
        "comparison": viewer_comparison(dict(change["comparison"]), pseudonyms),
        "before": viewer_analysis(dict(before), None, pseudonyms)["result"] if before else None,
    }
