"""Static maps of a study's networks: SVG written from the stored layout, and PNG from the SVG.

Each map is drawn as the NESTA / Young Foundation report draws its networks (Appendix C 3.3
and 4.2, Figures C7, C8, C9 and C11): the sector template's regions, the ties as lines, and the
key connectors marked, hubs yellow, gatekeepers green and pulsetakers red. Colour is never the
only cue: each role has its own shape too (hub a square, pulsetaker a diamond, gatekeeper a
triangle), nested when one person holds several. The positions are the result's own
(``result["layout"]``, placelab.core.networks.layout), so this map, the browser map and the
exports agree. No JavaScript, nothing loaded from elsewhere: the SVG stands alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from placelab.core.errors import PlacelabError
from placelab.core.networks import views
from placelab.core.networks.roles import OTHER_COLOUR, ROLE_COLOURS
from placelab.core.vocabulary import ALL, label

ROLES = ("hub", "pulsetaker", "gatekeeper")  # outermost first when one person holds several
ROLE_SHAPES = {"hub": "square", "gatekeeper": "triangle", "pulsetaker": "diamond"}
PERSON_FILL = OTHER_COLOUR
INK = "#1f2933"
TIE = "#2f5d9e"
REGION_FILL, REGION_EDGE, BAND_FILL = "#f2f4f7", "#9aa5b1", "#e4e8ee"
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
LEGEND_HEIGHT = 112
CAPTION = 30  # the map's title, written under it so that a PNG says what it shows
VIEWS = ("all", "within", "across")
ACROSS_STYLES = ("auto", "lines", "aggregated")
# Above this many ties between regions, one line each makes a solid band (bench/README.md has
# the test pictures): "auto" then draws one band per pair of regions instead.
AGGREGATE_ABOVE = 150
NESTED = (1.0, 0.7, 0.42)  # sizes of the first, second and third role's shape
SPACING_FULL_SIZE = 18.0  # units between people (square root of area per person) at full size
# Under the bands each tie across is still drawn, faintly, up to this many.
FAINT_UP_TO = 3000
BAND_LABELS = 15  # counts written on at most this many bands, the largest; the rest in tooltips
MISSING_LAYOUT = "This result has no map layout: run the analysis again to draw the maps."
# Ties marked as changed between two waves (``network_svg(marked=...)``): told apart by their
# stroke, not only by colour, so that they read in greyscale print.
MARKS = {
    "lost": {
        "colour": "#b42318",
        "width": 1.5,
        "dash": "5 3",
        "words": "Lost by the next wave (dashed)",
    },
    "new": {
        "colour": "#0b6e4f",
        "width": 2.6,
        "dash": "",
        "words": "New since the last wave (thick)",
    },
}
MARK_ROW = 30  # the legend's extra row for marked ties


@dataclass(frozen=True)
class Tie:
    source: str
    target: str
    mutual: bool
    across: bool


def network_svg(
    result: Mapping,
    network: str,
    *,
    ties: str = "all",
    only: str | None = None,
    highlight: Iterable[str] | None = None,
    pseudonymous: bool | None = None,
    across_style: str = "auto",
    layout: str = "template",
    marked: Mapping[str, Iterable[Sequence[str]]] | None = None,
) -> str:
    """One network of ``result`` as a self-contained SVG map.

    Parameters
    ----------
    result
        A stored result (``placelab.core.io.result_json.result_dict``) or a viewer's copy of it
        (``placelab.core.pseudonymise``): people missing ``responded`` are all drawn alike.
    network
        A network's key, or ``"all"`` for every network together.
    ties
        ``"all"``, ``"within"`` (ties inside a region only) or ``"across"`` (ties between
        regions only): Figure C7, sections B and C.
    only
        A sector code or region key: that region's people and the ties among them, zoomed in
        (Figure C11).
    highlight
        Person ids to bring forward; everyone else is faded.
    pseudonymous
        When true, a person's tooltip gives their key in ``result`` (a pseudonym in a viewer's
        copy), never a name. By default true for a viewer's copy, false otherwise.
    across_style
        ``"lines"``: each tie between two regions drawn; ``"aggregated"``: one band for each
        pair of regions, as wide as their ties are many, with the count; ``"auto"``: lines up
        to ``AGGREGATE_ABOVE`` ties between regions, bands above.
    layout
        ``"template"`` (the sector template) or ``"free"`` (the whole-network layout, no
        regions drawn).
    marked
        Ties to mark as changed between two waves: ``{"lost": pairs, "new": pairs}``, each
        pair ``(source, target)``. A line on the map is marked when any of its nominations is
        (a two-way line for either direction): lost ones dashed, new ones thick, with a legend
        row; the other ties are faded so that the change stands out. Lost ties belong on the
        earlier wave's map, new ones on the later's.
    """
    stored = result.get("layout")
    if not stored or "ties" not in result:
        raise PlacelabError(MISSING_LAYOUT)
    if ties not in VIEWS:
        raise PlacelabError(f"ties must be one of {', '.join(VIEWS)}, not {ties!r}")
    if network != ALL and network not in result["ties"]:
        raise PlacelabError(f"this study has no {network!r} network")
    if across_style not in ACROSS_STYLES:
        raise PlacelabError(f"across_style must be one of {', '.join(ACROSS_STYLES)}")
    if pseudonymous is None:
        pseudonymous = result.get("ties_directed") is False
    unknown = set(marked or {}) - set(MARKS)
    if unknown:
        raise PlacelabError(f"marked takes {' and '.join(MARKS)}, not {', '.join(sorted(unknown))}")
    canvas = _Canvas(result, network, ties, only, highlight, pseudonymous, across_style, layout)
    canvas.marks = _marks(marked or {}, canvas.ties)
    return canvas.draw()


class _Canvas:
    """One map being drawn: the chosen people, ties and regions, and the SVG text."""

    def __init__(self, result, network, view, only, highlight, pseudonymous, across_style, layout):
        self.result, self.network, self.view = result, network, view
        self.layout = result["layout"]
        self.free = layout == "free"
        self.pseudonymous = pseudonymous
        self.regions = [] if self.free else self.layout["regions"]
        self.region_of = _regions_of(self.layout)
        # Within and across are by sector, as on the browser map (placelab.core.networks.views);
        # without a sector (a bare layout) a person's region stands for it.
        sector_of = {**self.region_of, **_sectors(result)}
        self.directed = result.get("ties_directed") is not False
        all_ties = _ties(result, network, sector_of, self.directed)
        self.people = list(self.layout["positions"])
        self.focus = None
        if only is not None:  # a sector's internal network: its people, the ties among them
            self.focus = _region_for(self.layout, only)
            members = [p for p in self.people if sector_of[p] == only]
            self.focus_label = label(only) if members else self.focus["label"]
            members = members or [p for p in self.people if self.region_of[p] == self.focus["key"]]
            self.people, kept = members, set(members)
            self.regions = [self.focus]
            all_ties = [t for t in all_ties if t.source in kept and t.target in kept]
        # Someone with no tie in the network drawn sits in their region's margin.
        tied = {p for tie in all_ties for p in (tie.source, tie.target)}
        placed = self.layout["free"] if self.free else self.layout["positions"]
        self.position = {
            p: placed[p] if (p in tied or self.free) else self.layout["margins"][p]
            for p in self.people
        }
        keep = {
            "all": lambda t: True,
            "within": lambda t: not t.across,
            "across": lambda t: t.across,
        }
        self.ties = [t for t in all_ties if keep[view](t)]
        crossing = sum(t.across for t in self.ties)
        self.aggregate = not self.free and (
            across_style == "aggregated" or (across_style == "auto" and crossing > AGGREGATE_ABOVE)
        )
        self.roles = _roles(result, network)
        self.answered = {
            str(p["id"]): p["responded"] for p in result.get("people", []) if "responded" in p
        }
        self.names = {
            str(p["id"]): str(p["name"])
            for p in result.get("people", [])
            if p.get("name") and not pseudonymous
        }
        self.highlight = set(highlight) if highlight is not None else None
        self.marks: dict[tuple[str, str], str] = {}  # set by network_svg(marked=...)
        self.frame = self._frame()
        self.unit = self.frame[2] / self.layout["width"]  # sizes grow with the view, not the page
        self._shrink = self._crowding()

    def _frame(self) -> tuple[float, float, float, float]:
        if self.focus is None:
            return (0.0, 0.0, float(self.layout["width"]), float(self.layout["height"]))
        r = self.focus
        pad = 6.0
        # Keep the page's proportions so the legend below fits the same width.
        width = max(r["width"] + 2 * pad, (r["height"] + 2 * pad) * 10 / 7)
        height = width * 7 / 10
        return (
            r["x"] + r["width"] / 2 - width / 2,
            r["y"] + r["height"] / 2 - height / 2,
            width,
            height,
        )

    def draw(self) -> str:
        x, y, width, height = self.frame
        rows = (26 if self.aggregate else 0) + (MARK_ROW if self.marks else 0)
        legend = (CAPTION + LEGEND_HEIGHT + rows) * self.unit
        title, description = self._words()
        bands, counts = self._bands()
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="{_n(x)} {_n(y)} {_n(width)} {_n(height + legend)}" '
            f'width="{1000}" height="{_n(1000 * (height + legend) / width)}" '
            f'font-family="{FONT}" aria-labelledby="map-title map-desc">',
            f'<title id="map-title">{escape(title)}</title>',
            f'<desc id="map-desc">{escape(description)}</desc>',
            self._defs(),
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height + legend)}" '
            'fill="#ffffff"/>',
            *self._region_boxes(),
            *self._tie_lines(),
            *bands,
            *self._marked_lines(),  # over the bands, so that a change is never hidden
            *self._nodes(),
            *counts,
            *self._legend(x, y + height, width),
            "</svg>",
        ]
        return "\n".join(parts)

    # -- words ---------------------------------------------------------------------------------

    def _words(self) -> tuple[str, str]:
        name = "All networks together" if self.network == ALL else f"{label(self.network)} network"
        view = {"all": "", "within": ": ties inside sectors", "across": ": ties across sectors"}
        title = name + view[self.view]
        if self.focus is not None:
            title = f"{name} inside one sector: {self.focus_label}"
        counts = {role: sum(role in r for r in self._shown_roles().values()) for role in ROLES}
        where = (
            "People are placed in the sector template (each sector's box, the same in every "
            "map); those with no tie in this network sit along the bottom of their box."
            if not self.free
            else "People are placed by their ties alone (free layout)."
        )
        description = (
            f"{len(self.people)} people and {len(self.ties)} ties. "
            + ", ".join(f"{counts[r]} {r}s" for r in ROLES)
            + f" marked. {where}"
        )
        return title, description

    # -- drawing -------------------------------------------------------------------------------

    def _defs(self) -> str:
        size = _n(7 * self.unit)
        return (
            "<defs>"
            f'<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
            f'markerWidth="{size}" markerHeight="{size}" orient="auto">'
            f'<path d="M0,1 L10,5 L0,9 z" fill="{TIE}"/></marker>'
            "</defs>"
        )

    def _region_boxes(self) -> list[str]:
        from placelab.core.networks.layout import MARGIN_SHARE

        out = ['<g class="regions">']
        counts = {r["key"]: 0 for r in self.regions}
        for person in self.people:
            if self.region_of[person] in counts:
                counts[self.region_of[person]] += 1
        for r in self.regions:
            name = f"{r['label']} ({counts[r['key']]})"
            band = r["height"] * MARGIN_SHARE
            out.append(
                f'<rect x="{_n(r["x"])}" y="{_n(r["y"])}" width="{_n(r["width"])}" '
                f'height="{_n(r["height"])}" rx="4" fill="{REGION_FILL}" stroke="{REGION_EDGE}"/>'
                f'<rect x="{_n(r["x"] + 1)}" y="{_n(r["y"] + r["height"] - band)}" '
                f'width="{_n(r["width"] - 2)}" height="{_n(band - 1)}" fill="{BAND_FILL}"/>'
                f'<text x="{_n(r["x"] + 8)}" y="{_n(r["y"] + 17)}" font-size="{_n(14 * self.unit)}" '
                f'font-weight="bold" fill="{INK}">{escape(name)}</text>'
            )
        out.append("</g>")
        return out

    def _tie_lines(self) -> list[str]:
        out = [f'<g class="ties" fill="none" stroke="{TIE}">']
        crossing = sum(map(self._banded, self.ties))
        for tie in sorted(self.ties, key=lambda t: (t.mutual, t.source, t.target)):
            faint = self._banded(tie)
            if faint and crossing > FAINT_UP_TO:  # a haze that would hide the bands
                continue
            if (tie.source, tie.target) not in self.marks:  # marked ones are drawn on top
                out.append(self._tie(tie, faint=faint))
        out.append("</g>")
        return out

    def _marked_lines(self) -> list[str]:
        out = []
        for kind, style in MARKS.items():
            lines = [t for t in self.ties if self.marks.get((t.source, t.target)) == kind]
            if not lines:
                continue
            dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
            out.append(
                f'<g class="ties-{kind}" fill="none" stroke="{style["colour"]}" '
                f'stroke-width="{_n(style["width"] * self.unit)}"{dash}>'
            )
            for tie in lines:
                (x1, y1), (x2, y2) = self.position[tie.source], self.position[tie.target]
                out.append(
                    f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
                    f'data-tie="{kind}"/>'
                )
            out.append("</g>")
        return out

    def _across_counts(self) -> dict[tuple[str, str], int]:
        pairs: dict[tuple[str, str], int] = {}
        for tie in self.ties:
            if self._banded(tie):
                a, b = sorted((self.region_of[tie.source], self.region_of[tie.target]))
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
        return pairs

    def _banded(self, tie: Tie) -> bool:
        """Counted in a band: across sectors and between two regions (small sectors share one
        region, so a tie between two of them is drawn as a line)."""
        return (
            self.aggregate
            and tie.across
            and self.region_of[tie.source] != self.region_of[tie.target]
        )

    def _bands(self) -> tuple[list[str], list[str]]:
        """One band for each pair of regions, as wide as the ties between them are many, drawn
        under the people, and its count, drawn over them so that no one hides it."""
        pairs = self._across_counts() if self.aggregate else {}
        if not pairs:
            return [], []
        most = max(pairs.values())
        boxes = {r["key"]: r for r in self.layout["regions"]}
        u = self.unit
        lines, labels = ['<g class="bands">'], ['<g class="band-counts">']
        taken = [self._label_box(r) for r in self.regions]
        for (a, b), count in sorted(pairs.items(), key=lambda item: -item[1]):
            (x1, y1), (x2, y2) = _centre(boxes[a]), _centre(boxes[b])
            width = (2 + 16 * math.sqrt(count / most)) * u
            text = f"{count} tie{'s' if count != 1 else ''}"
            half = (len(text) * 3.6 + 6) * u
            tip = f"{boxes[a]['label']} and {boxes[b]['label']}: {text}"
            lines.append(
                f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{TIE}" '
                f'stroke-opacity="{0.2 if self.marks else 0.45}" stroke-linecap="round" '
                f'stroke-width="{_n(width)}">'
                f"<title>{escape(tip)}</title></line>"
            )
            if len(labels) > BAND_LABELS:  # a small band's count stays in its tooltip
                continue
            mx, my = _clear_spot((x1, y1), (x2, y2), half, 10 * u, taken)
            labels.append(
                f'<rect x="{_n(mx - half)}" y="{_n(my - 9 * u)}" width="{_n(2 * half)}" '
                f'height="{_n(18 * u)}" rx="{_n(4 * u)}" fill="#ffffff" stroke="{TIE}" '
                f'stroke-width="{_n(0.8 * u)}"/>'
                f'<text x="{_n(mx)}" y="{_n(my + 4.5 * u)}" text-anchor="middle" '
                f'font-size="{_n(12 * u)}" fill="{INK}">{text}</text>'
            )
        return [*lines, "</g>"], [*labels, "</g>"]

    def _label_box(self, region: Mapping) -> tuple[float, float, float, float]:
        """Roughly where a region's name is written (DejaVu Sans bold, about 0.6 em a letter)."""
        letters = len(region["label"]) + 5
        return (
            region["x"],
            region["y"],
            region["x"] + 8 * self.unit + letters * 8.6 * self.unit,
            region["y"] + 24 * self.unit,
        )

    def _tie(self, tie: Tie, *, faint: bool = False) -> str:
        (x1, y1), (x2, y2) = self.position[tie.source], self.position[tie.target]
        faded = self.highlight is not None and not (
            tie.source in self.highlight or tie.target in self.highlight
        )
        faded = faded or bool(self.marks)  # unchanged ties recede behind the marked ones
        opacity = 0.12 if faded or faint else (0.55 if tie.mutual else 0.4)
        width = (0.7 if faint else 1.6 if tie.mutual else 0.9) * self.unit
        arrow = self.directed and not tie.mutual and not faint
        if arrow:  # end the line at the edge of the person named, so the arrowhead shows
            gap = self._radius(tie.target) + 1.5 * self.unit
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            x2, y2 = x2 - (x2 - x1) * gap / length, y2 - (y2 - y1) * gap / length
        style = f'stroke-width="{_n(width)}" stroke-opacity="{opacity}"'
        if arrow:
            style += ' marker-end="url(#arrow)"'
        if faint:
            style += ' class="in-band"'
        return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" {style}/>'

    def _shown_roles(self) -> dict[str, list[str]]:
        return {p: self.roles.get(p, []) for p in self.people}

    def _radius(self, person: str) -> float:
        return (9.0 if self.roles.get(person) else 4.0) * self.unit * self.shrink

    @property
    def shrink(self) -> float:
        """Smaller marks in crowded maps, so that people stay apart: full size up to about
        one person per 330 square units (the demo's densest region), a third at 10,000."""
        return self._shrink

    def _crowding(self) -> float:
        area = sum(r["width"] * r["height"] for r in self.regions) or self.frame[2] * self.frame[3]
        spacing = math.sqrt(area / max(len(self.people), 1))
        return min(1.0, max(0.3, spacing / SPACING_FULL_SIZE))

    def _nodes(self) -> list[str]:
        roles = self._shown_roles()
        # Key connectors last, so that they are drawn on top.
        order = sorted(self.people, key=lambda p: (len(roles[p]), p))
        out = ['<g class="people">']
        for person in order:
            out.append(self._node(person, roles[person]))
        out.append("</g>")
        return out

    def _node(self, person: str, roles: Sequence[str]) -> str:
        x, y = self.position[person]
        answered = self.answered.get(person, True)
        faded = self.highlight is not None and person not in self.highlight
        words = [self.names.get(person, person)]
        words += [r for r in roles]
        if not answered:
            words.append("did not answer")
        tip = f"<title>{escape(', '.join(words))}</title>"
        attrs = (' opacity="0.3"' if faded else "") + f" data-person={quoteattr(person)}"
        if not roles:
            fill = "#ffffff" if not answered else PERSON_FILL
            return (
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(self._radius(person))}" fill="{fill}" '
                f'stroke="{PERSON_FILL}" stroke-width="{_n(1.2 * self.unit)}"{attrs}>{tip}</circle>'
            )
        shapes = [
            _shape(
                ROLE_SHAPES[role], x, y, self._radius(person) * NESTED[n], role, answered, self.unit
            )
            for n, role in enumerate(r for r in ROLES if r in roles)
        ]
        return f"<g{attrs}>{tip}{''.join(shapes)}</g>"

    def _legend(self, x: float, top: float, width: float) -> list[str]:
        u = self.unit
        out = [f'<g class="legend" font-size="{_n(13 * u)}" fill="{INK}">']
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(top + 2 * u)}" x2="{_n(x + width)}" y2="{_n(top + 2 * u)}" '
            f'stroke="{REGION_EDGE}" stroke-width="{_n(u)}"/>'
        )
        title, _ = self._words()
        which = {"all": "", "within": " inside sectors", "across": " across sectors"}[self.view]
        counts = f"{len(self.people)} people, {len(self.ties)} ties{which} (two-way counted once)"
        out.append(
            f'<text x="{_n(x + 6 * u)}" y="{_n(top + 24 * u)}" font-size="{_n(15 * u)}" '
            f'font-weight="bold">{escape(title)}</text>'
            f'<text x="{_n(x + width - 6 * u)}" y="{_n(top + 24 * u)}" text-anchor="end">'
            f"{escape(counts)}</text>"
        )
        top += CAPTION * u
        row1, row2, row3 = top + 26 * u, top + 56 * u, top + 86 * u
        step = width / 5
        items = [
            (role, label(role) + f" ({_role_meaning(role)})")
            for role in ("hub", "gatekeeper", "pulsetaker")
        ]
        for n, (role, text) in enumerate(items):
            cx = x + 16 * u + n * step * 5 / 3
            out.append(_shape(ROLE_SHAPES[role], cx, row1, 8 * u, role, True, u))
            out.append(f'<text x="{_n(cx + 14 * u)}" y="{_n(row1 + 5 * u)}">{escape(text)}</text>')
        cx = x + 16 * u
        nested = "".join(
            _shape(ROLE_SHAPES[r], cx, row2, 8 * u * NESTED[n], r, True, u)
            for n, r in enumerate(ROLES)
        )
        out.append(nested)
        out.append(
            f'<text x="{_n(cx + 14 * u)}" y="{_n(row2 + 5 * u)}">Several roles: shapes inside each other</text>'
        )
        cx2 = x + step * 5 / 3 + 16 * u
        out.append(
            f'<circle cx="{_n(cx2)}" cy="{_n(row2)}" r="{_n(4 * u)}" fill="{PERSON_FILL}" '
            f'stroke="{PERSON_FILL}"/>'
            f'<text x="{_n(cx2 + 14 * u)}" y="{_n(row2 + 5 * u)}">Other person</text>'
        )
        if self.answered:
            cx3 = x + 2 * step * 5 / 3 + 16 * u
            out.append(
                f'<circle cx="{_n(cx3)}" cy="{_n(row2)}" r="{_n(4 * u)}" fill="#ffffff" '
                f'stroke="{PERSON_FILL}" stroke-width="{_n(1.2 * u)}"/>'
                f'<text x="{_n(cx3 + 14 * u)}" y="{_n(row2 + 5 * u)}">Hollow: did not answer</text>'
            )
        out.extend(self._tie_legend(x, row3, step, u))
        if self.marks:
            out.extend(self._mark_legend(x, row3 + (26 + MARK_ROW) * u if self.aggregate
                                         else row3 + MARK_ROW * u, step, u))  # fmt: skip
        out.append("</g>")
        return out

    def _mark_legend(self, x: float, row: float, step: float, u: float) -> list[str]:
        out = []
        shown = sorted(set(self.marks.values()), key=list(MARKS).index)
        for n, kind in enumerate(shown):
            style, x1 = MARKS[kind], x + 6 * u + n * step * 5 / 3
            dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
            count = sum(v == kind for v in self.marks.values())
            out.append(
                f'<line x1="{_n(x1)}" y1="{_n(row)}" x2="{_n(x1 + 34 * u)}" y2="{_n(row)}" '
                f'stroke="{style["colour"]}" stroke-width="{_n(style["width"] * u)}"{dash}/>'
                f'<text x="{_n(x1 + 42 * u)}" y="{_n(row + 5 * u)}">'
                f"{escape(style['words'])}: {count}</text>"
            )
        return out

    def _tie_legend(self, x: float, row: float, step: float, u: float) -> list[str]:
        x1 = x + 6 * u
        out = []
        if self.directed:
            out.append(
                f'<line x1="{_n(x1)}" y1="{_n(row)}" x2="{_n(x1 + 34 * u)}" y2="{_n(row)}" stroke="{TIE}" '
                f'stroke-width="{_n(1.6 * u)}" stroke-opacity="0.8"/>'
                f'<text x="{_n(x1 + 42 * u)}" y="{_n(row + 5 * u)}">Two-way tie</text>'
                f'<line x1="{_n(x1 + step * 5 / 6)}" y1="{_n(row)}" x2="{_n(x1 + step * 5 / 6 + 34 * u)}" '
                f'y2="{_n(row)}" stroke="{TIE}" stroke-width="{_n(0.9 * u)}" stroke-opacity="0.8" '
                f'marker-end="url(#arrow)"/>'
                f'<text x="{_n(x1 + step * 5 / 6 + 42 * u)}" y="{_n(row + 5 * u)}">One-way: arrow to the person named</text>'
            )
        else:
            out.append(
                f'<line x1="{_n(x1)}" y1="{_n(row)}" x2="{_n(x1 + 34 * u)}" y2="{_n(row)}" stroke="{TIE}" '
                f'stroke-width="{_n(1.2 * u)}"/>'
                f'<text x="{_n(x1 + 42 * u)}" y="{_n(row + 5 * u)}">Tie (direction not shown)</text>'
            )
        if self.aggregate:
            bx = x + 2 * step * 5 / 3 + 8 * u
            out.append(
                f'<line x1="{_n(bx)}" y1="{_n(row + 22 * u)}" x2="{_n(bx + 16 * u)}" y2="{_n(row + 22 * u)}" '
                f'stroke="{TIE}" stroke-opacity="0.45" stroke-width="{_n(8 * u)}"/>'
                f'<text x="{_n(bx + 22 * u)}" y="{_n(row + 27 * u)}">Band: all ties between two sectors</text>'
            )
        if not self.free:
            margin = (
                "Bottom of the box: no tie inside this sector"
                if self.focus is not None
                else "Bottom of a box: no tie in this network"
            )
            out.append(
                f'<rect x="{_n(x + 2 * step * 5 / 3 + 8 * u)}" y="{_n(row - 7 * u)}" width="{_n(16 * u)}" '
                f'height="{_n(14 * u)}" fill="{BAND_FILL}" stroke="{REGION_EDGE}" stroke-width="{_n(0.6 * u)}"/>'
                f'<text x="{_n(x + 2 * step * 5 / 3 + 30 * u)}" y="{_n(row + 5 * u)}">{margin}</text>'
            )
        return out


def _marks(marked: Mapping[str, Iterable[Sequence[str]]], ties: Sequence[Tie]) -> dict:
    """Each drawn line ``(source, target)`` that is marked, and how ("lost" or "new")."""
    kinds = {}
    for kind in MARKS:
        for pair in marked.get(kind, ()):
            kinds[frozenset((str(pair[0]), str(pair[1])))] = kind
    return {
        (t.source, t.target): kinds[key]
        for t in ties
        if (key := frozenset((t.source, t.target))) in kinds
    }


def _centre(region: Mapping) -> tuple[float, float]:
    return (region["x"] + region["width"] / 2, region["y"] + region["height"] / 2)


def _clear_spot(a, b, half_width: float, half_height: float, taken: list) -> tuple[float, float]:
    """A point on the segment a-b whose label box overlaps none in ``taken`` (then taken too);
    the middle when there is none."""
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.5):
        x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        box = (x - half_width, y - half_height, x + half_width, y + half_height)
        if not any(
            box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in taken
        ):
            break
    taken.append(box)
    return x, y


def _role_meaning(role: str) -> str:
    return {
        "hub": "many direct ties",
        "gatekeeper": "between groups",
        "pulsetaker": "reaches many indirectly",
    }[role]


def _shape(kind: str, x: float, y: float, r: float, role: str, filled: bool, unit: float) -> str:
    """A role's mark centred on (x, y), ``r`` from centre to edge; hollow when not ``filled``."""
    colour = ROLE_COLOURS[role]
    fill = colour if filled else "#ffffff"
    stroke = (
        f'stroke="{INK if filled else colour}" stroke-width="{_n((0.8 if filled else 2.0) * unit)}"'
    )
    if kind == "square":
        s = r * 0.9
        return f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" fill="{fill}" {stroke}/>'
    if kind == "diamond":
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:  # triangle, pointing up, centred on its centroid
        points = [(x, y - r), (x + r * 0.87, y + r * 0.5), (x - r * 0.87, y + r * 0.5)]
    text = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    return f'<polygon points="{text}" fill="{fill}" {stroke}/>'


def _regions_of(layout: Mapping) -> dict[str, str]:
    """Each person's region key: the region whose box holds their template position."""
    found = {}
    for person, (x, y) in layout["positions"].items():
        for r in layout["regions"]:
            if (
                r["x"] - 0.2 <= x <= r["x"] + r["width"] + 0.2
                and r["y"] - 0.2 <= y <= r["y"] + r["height"] + 0.2
            ):
                found[person] = r["key"]
                break
        else:
            found[person] = ""
    return found


def _region_for(layout: Mapping, only: str) -> dict:
    for r in layout["regions"]:
        if only == r["key"] or only in r["sectors"]:
            return r
    raise PlacelabError(f"no region of this map holds the sector {only!r}")


def _sectors(result: Mapping) -> dict[str, str]:
    return {str(p["id"]): str(p["sector"]) for p in result.get("people", []) if p.get("sector")}


def _ties(result: Mapping, network: str, sector_of: Mapping[str, str], directed: bool) -> list[Tie]:
    """The network's ties, one per pair (placelab.core.networks.views.map_ties, as the browser
    map draws them), marked two-way or one-way, and across sectors or not (``ties_by_sector``)."""
    names = list(result["ties"]) if network == ALL else [network]
    lines = views.map_ties(result["ties"], names, directed=directed)
    inside = set(views.ties_by_sector(lines, sector_of, keep="within"))
    return [
        Tie(line.source, line.target, mutual=not directed or bool(line.two_way),
            across=line not in inside)
        for line in sorted(lines)
    ]  # fmt: skip


def _roles(result: Mapping, network: str) -> dict[str, list[str]]:
    held: dict[str, list[str]] = {}
    connectors = result.get("networks", {}).get(network, {}).get("key_connectors", {})
    for role in ROLES:
        for person in connectors.get(role, []):
            held.setdefault(str(person), []).append(role)
    return held


def _n(value: float) -> str:
    """A coordinate in short form: SVG files for 10,000 people stay small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The SVG rasterised to PNG by CairoSVG (on the system's cairo library), ``scale`` times
    the SVG's size: 2000 pixels wide for a map, sharp on a slide or in print."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)


__all__ = ["MISSING_LAYOUT", "network_svg", "svg_to_png"]
