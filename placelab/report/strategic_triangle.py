"""The strategic triangle as a reader meets it in the summary and the diagnosis: what each path
means (NESTA / Young Foundation 2008, Table B2) and the triangle drawn as a small figure.

The figure is an SVG in an ``<img>`` data URI, with a text alternative that gives every score;
fill, line style, a red ring and the written scores all carry meaning, so it never rests on
colour alone.
"""

from __future__ import annotations

import math

from placelab.core.precision import score
from placelab.report.model import svg_image

PATHS = {
    "success": (
        "On the success path for this phase",
        "Every corner and link is at least where Table B2 says this phase needs it.",
    ),
    "at_risk": (
        "At risk",
        "Something falls short of what this phase needs, though not in the way Table B2 "
        "says innovation usually fails in this phase.",
    ),
    "failure": (
        "On the failure path for this phase",
        "What falls short is what Table B2 names as the way innovation fails in this phase.",
    ),
    "isolated": (
        "Sustainable but isolated",
        "Capacity is strong and authority and value are there in some measure, but not all is "
        "strong: Table B2's picture of an innovation that lasts without spreading.",
    ),
}
NO_PATH_LATENT = (
    "No path for this phase",
    "Table B2 draws neither a success nor a failure path for the latent phase.",
)
NO_PATH_UNJUDGED = (
    "Not judged",
    "No phase is clearly described, so there is no phase to hold the triangle against.",
)


def score_text(value: float | None) -> str:
    """A score out of 5 as printed (:func:`placelab.core.precision.score`); missing: a dash."""
    return "–" if value is None or not math.isfinite(value) else score(value)


def path_sentence(path: str) -> str | None:
    """'The triangle is at risk: something falls short ...' for the summary's one line."""
    if path not in PATHS:
        return None
    title, meaning = PATHS[path]
    return f"The triangle is {title[:1].lower()}{title[1:]}: {meaning[:1].lower()}{meaning[1:]}"


def triangle_figure(triangle: dict) -> dict[str, str]:
    """The triangle as an ``<img>``: an SVG data URI and a text alternative."""
    svg = triangle_svg(triangle)
    parts = [*triangle["corners"].values(), *triangle["links"].values()]
    said = "; ".join(
        f"{p['label']} {score_text(p.get('mean'))} ({p.get('band') or 'not enough answers'})"
        for p in parts
    )
    alt = (
        f"The strategic triangle, corners and links with their scores out of 5: {said}. "
        "The table below gives the same figures."
    )
    return svg_image(svg, alt)


INK, ACCENT, LIGHT, SHORT = "#1f2933", "#2f5d9e", "#c9d8ee", "#a61b1b"
CORNER_AT = {"authority": (260, 90), "capacity": (140, 320), "value": (380, 320)}
LEGEND = (
    "Filled circle or thick line: strong",
    "light or thin: some; dashed: absent",
    "red: short of what the phase needs",
)
LINK_ENDS = {
    "authority_capacity": ("authority", "capacity", "builds"),
    "capacity_value": ("capacity", "value", "creates"),
    "value_authority": ("value", "authority", "strengthens"),
}
RADIUS = 38


def triangle_svg(triangle: dict) -> str:
    """A small drawing: filled corners are strong, light ones some, dashed ones absent; a red
    ring marks what falls short of the phase's need. Words carry every cue colour does."""
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 520 500" role="img" '
        'font-family="DejaVu Sans, Arial, Helvetica, sans-serif">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{INK}"/></marker></defs>',
        '<rect width="520" height="500" fill="#fff"/>',
    ]
    for key, (start, end, verb) in LINK_ENDS.items():
        if key in triangle["links"]:
            out += _link_svg(triangle["links"][key], CORNER_AT[start], CORNER_AT[end], verb)
    for key, part in triangle["corners"].items():
        if key in CORNER_AT:
            out += _corner_svg(part, CORNER_AT[key], key)
    out += [
        f'<text x="260" y="{432 + 22 * n}" font-size="16" text-anchor="middle" fill="{INK}">'
        f"{line}</text>"
        for n, line in enumerate(LEGEND)
    ]
    return "".join([*out, "</svg>"])


def _corner_svg(part: dict, at: tuple[int, int], key: str) -> list[str]:
    x, y = at
    band = part.get("band")
    fill = {"strong": ACCENT, "some": LIGHT}.get(band or "", "#fff")
    dash = ' stroke-dasharray="6 4"' if band in ("absent", None) else ""
    text_fill = "#fff" if band == "strong" else INK
    ring = (
        f'<circle cx="{x}" cy="{y}" r="{RADIUS + 6}" fill="none" stroke="{SHORT}" '
        'stroke-width="3"/>'
        if part.get("shortfall")
        else ""
    )
    name = {"capacity": "Organisational capacity"}.get(key, part["label"].capitalize())
    label_y = y - RADIUS - 14 if key == "authority" else y + RADIUS + 26
    return [
        ring,
        f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{fill}" stroke="{ACCENT}" '
        f'stroke-width="2.5"{dash}/>',
        f'<text x="{x}" y="{y + 9}" font-size="26" font-weight="bold" text-anchor="middle" '
        f'fill="{text_fill}">{score_text(part.get("mean"))}</text>',
        f'<text x="{x}" y="{label_y}" font-size="20" font-weight="bold" text-anchor="middle" '
        f'fill="{INK}">{name}</text>',
    ]


def _link_svg(part: dict, a: tuple[int, int], b: tuple[int, int], verb: str) -> list[str]:
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    gap = RADIUS + 10
    sx, sy, ex, ey = x1 + ux * gap, y1 + uy * gap, x2 - ux * gap, y2 - uy * gap
    band = part.get("band")
    width = {"strong": 7, "some": 3.5}.get(band or "", 2)
    dash = ' stroke-dasharray="7 6"' if band in ("absent", None) else ""
    colour = SHORT if part.get("shortfall") else INK
    mx, my = (sx + ex) / 2, (sy + ey) / 2
    nx, ny = -uy, ux  # the outward side: corners run anticlockwise on screen
    lx, ly = mx + nx * 30, my + ny * 30
    anchor = "middle" if abs(nx) < 0.3 else ("start" if nx > 0 else "end")
    return [
        f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{dash} marker-end="url(#arrow)"/>',
        f'<text x="{lx:.1f}" y="{ly + 6:.1f}" font-size="19" text-anchor="{anchor}" '
        f'fill="{INK}">{verb} {score_text(part.get("mean"))}</text>',
    ]
