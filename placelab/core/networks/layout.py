"""Where each person is drawn: the sector template, computed once and stored with the result.

The NESTA / Young Foundation report draws every network in a *sector template* (Appendix C 4.2,
Figure C8, section A): each sector holds a fixed region of the page, local authority upper left,
schools and colleges upper right, the voluntary and community sector and residents below, and
the key connectors are marked inside it (Figures C7, C9, C11). placelab keeps that template and
places the people inside each region by their ties, so that a map also shows who is close to
whom. One layout serves every network of a wave and, through ``anchors``, every later wave:
a person keeps one position, so maps compare side by side.

The coordinates are those of a ``PAGE_WIDTH`` x ``PAGE_HEIGHT`` page with y growing downward
(the SVG convention); the browser map, the static SVG maps and the exports all read them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import igraph as ig
import numpy as np
from scipy.spatial import cKDTree

from placelab.core.disclosure import OTHER_SECTORS, shown_groups
from placelab.core.vocabulary import label

PAGE_WIDTH, PAGE_HEIGHT = 1000, 700
# Figure C8: local authority upper left, schools and colleges upper right (the first two
# regions form the top row), the voluntary and community sector and residents at the bottom.
DEFAULT_SECTOR_ORDER: tuple[str, ...] = (
    "local_authority", "school_college", "health", "police_justice", "university", "business",
    "funder", "other", "voluntary_community", "resident_group",
)  # fmt: skip
METHOD = (
    "Sector template (NESTA / Young Foundation 2008, Appendix C 4.2, Figure C8): each sector "
    "has a fixed region; inside it, as in group-in-a-box layouts (Rodrigues et al. 2011), "
    "people are placed by a Fruchterman-Reingold force-directed layout (Fruchterman and "
    "Reingold 1991) of the ties among them in all networks together, stretched to fill the "
    "region; people whose ties all leave the region sit on the side facing the regions they "
    "are tied to, and people with no tie in the region's margin; people closer than a "
    "minimum gap are pushed apart."
)

GUTTER = 8.0  # px between regions
LABEL_BAND = 32.0  # px at the top of a region kept for its label
MARGIN_SHARE = 0.16  # of a region's height, at its bottom, for people without a tie
MIN_ROW_SHARE = 0.16  # no row of regions lower than this share of the page
MAX_PER_ROW = 3
ITERATIONS = 200  # of each force-directed layout (igraph's default is 500; see bench/README.md)
MIN_GAP = 16.0  # px kept between people where there is room: a key connector's mark is 18 wide
SPREAD_ROUNDS = 12
# Stored positions are rounded to 0.1: one on a box's edge may lie this far outside it.
ROUNDING = 0.051


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def inset(self, left: float, top: float, right: float, bottom: float) -> Box:
        return Box(
            self.x + left,
            self.y + top,
            max(self.width - left - right, 1.0),
            max(self.height - top - bottom, 1.0),
        )

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def contains(self, point: Sequence[float], slack: float = 1e-6) -> bool:
        x, y = point
        return (
            self.x - slack <= x <= self.x + self.width + slack
            and self.y - slack <= y <= self.y + self.height + slack
        )


def region_keys(sectors: Sequence[str]) -> dict[str, str]:
    """Each sector's region: itself, or ``"other_sectors"`` for sectors too small to show.

    The disclosure rule decides (``placelab.core.disclosure.shown_groups``): a sector under five
    people, or one that would give such a group away by subtraction, shares the region of the
    other small sectors, so that no map singles out a group under five.

    >>> region_keys(["health"] * 5 + ["funder"] * 2 + ["business"] * 3)
    {'health': 'health', 'funder': 'other_sectors', 'business': 'other_sectors'}
    """
    sizes: dict[str, int] = {}
    for sector in sectors:
        sizes[sector] = sizes.get(sector, 0) + 1
    shown = shown_groups(sizes)
    return {sector: sector if sector in shown else OTHER_SECTORS for sector in sizes}


def template_regions(
    counts: Mapping[str, int], sector_order: Sequence[str] | None = None
) -> dict[str, Box]:
    """The page split into one box per region key, in ``sector_order``.

    The first two regions make the top row (Figure C8: local authority left, schools and
    colleges right); the rest fill rows of at most three, fuller rows at the bottom, so that
    the last regions of the order (by default the voluntary and community sector and
    residents) sit below. Rows and widths grow with the square root of the people in them,
    so a large sector gets more room without crowding out a small one.
    """
    order = _ordered(counts, sector_order)
    if not order:
        return {}
    rows = [order[:2], *_rows(order[2:])]
    weight = {key: math.sqrt(max(counts[key], 1)) for key in order}
    heights = _shares([sum(weight[k] for k in row) for row in rows], MIN_ROW_SHARE)
    boxes: dict[str, Box] = {}
    top = 0.0
    for row, share in zip(rows, heights, strict=True):
        height = share * PAGE_HEIGHT
        left = 0.0
        for key, w_share in zip(row, _shares([weight[k] for k in row], 0.2), strict=True):
            width = w_share * PAGE_WIDTH
            # Rounded as stored, so that a later wave reusing them finds the very same boxes.
            box = Box(left, top, width, height).inset(*[GUTTER / 2] * 4)
            boxes[key] = Box(*(round(v, 1) for v in (box.x, box.y, box.width, box.height)))
            left += width
        top += height
    return boxes


def _ordered(counts: Mapping[str, int], sector_order: Sequence[str] | None) -> list[str]:
    """Keys in the caller's order, then sectors it does not name (sorted), then other sectors."""
    order = [
        k for k in (sector_order or DEFAULT_SECTOR_ORDER) if k in counts and k != OTHER_SECTORS
    ]
    order += sorted(k for k in counts if k not in order and k != OTHER_SECTORS)
    return order + ([OTHER_SECTORS] if OTHER_SECTORS in counts else [])


def _rows(keys: list[str]) -> list[list[str]]:
    """Rows of at most MAX_PER_ROW, as even as can be, the fuller rows last."""
    if not keys:
        return []
    count = math.ceil(len(keys) / MAX_PER_ROW)
    sizes = [len(keys) // count + (i >= count - len(keys) % count) for i in range(count)]
    rows, start = [], 0
    for size in sizes:
        rows.append(keys[start : start + size])
        start += size
    return rows


def _shares(weights: list[float], floor: float) -> list[float]:
    """Shares of ``weights`` summing to 1, none below ``floor`` (when that is possible)."""
    total = sum(weights)
    shares = [w / total for w in weights]
    floor = min(floor, 1 / len(weights))
    small = [s < floor for s in shares]
    if not any(small):
        return shares
    rest = sum(w for w, s in zip(weights, small, strict=True) if not s)
    spare = 1 - floor * sum(small)
    return [floor if s else spare * w / rest for w, s in zip(weights, small, strict=True)]


def sector_layout(
    graph: ig.Graph,
    ids: Sequence[str],
    sectors: Sequence[str],
    *,
    seed: int = 0,
    sector_order: Sequence[str] | None = None,
    anchors: Mapping | None = None,
    iterations: int = ITERATIONS,
) -> dict:
    """Positions for everyone in the sector template, their margin places, and a free layout.

    Parameters
    ----------
    graph
        Undirected: an edge where two people are tied in any network (vertex i is ``ids[i]``).
    ids, sectors
        Everyone on the roster, in the graph's vertex order, and each one's sector.
    seed
        Seeds igraph's random starting positions: the same inputs and seed give the same layout.
    sector_order
        The order regions take on the page (default ``DEFAULT_SECTOR_ORDER``).
    anchors
        An earlier layout of the same study (a stored ``result["layout"]``, e.g. the previous
        wave's). Its regions are reused when the same regions are needed in the same order,
        and everyone who had a tie then and has one now stays where they were; a newcomer sits
        beside the people of their region they are tied to. Margin places are kept too.

    Returns
    -------
    dict
        The stored layout: ``method``, ``seed``, ``width``, ``height``, ``regions`` (key, label,
        sectors, x, y, width, height), ``positions``, ``margins`` and ``free`` (person id ->
        [x, y]). See ``schema/result.schema.json``.

    References
    ----------
    Fruchterman, T. M. J. and Reingold, E. M. (1991). Graph drawing by force-directed
    placement. Software: Practice and Experience 21(11), 1129-1164.
    https://doi.org/10.1002/spe.4380211102

    Rodrigues, E. M., Milic-Frayling, N., Smith, M., Shneiderman, B. and Hansen, D. (2011).
    Group-in-a-box layout for multi-faceted analysis of communities. IEEE SocialCom 2011,
    354-361. https://doi.org/10.1109/PASSAT/SocialCom.2011.139
    """
    ids = [str(i) for i in ids]
    sectors = [str(s) for s in sectors]
    region_of = region_keys(sectors)
    person_region = [region_of[s] for s in sectors]
    counts: dict[str, int] = {}
    for key in person_region:
        counts[key] = counts.get(key, 0) + 1
    order = _ordered(counts, sector_order)
    boxes = _reused_regions(anchors, order) or template_regions(counts, sector_order)
    tied = np.asarray(graph.degree(), dtype=int) > 0 if len(ids) else np.zeros(0, dtype=bool)
    margins = _margin_places(ids, person_region, boxes, anchors)
    inner = {key: _inner(box) for key, box in boxes.items()}
    placed = _region_force(graph, ids, person_region, inner, tied, anchors, seed, iterations)
    positions = {person: placed[i] if tied[i] else margins[person] for i, person in enumerate(ids)}
    return {
        "method": METHOD,
        "seed": seed,
        "width": PAGE_WIDTH,
        "height": PAGE_HEIGHT,
        "regions": [_region_record(key, box, region_of) for key, box in boxes.items()],
        "positions": _rounded(positions),
        "margins": _rounded(margins),
        "free": _rounded(free_layout(graph, ids, seed=seed, iterations=iterations)),
    }


def _region_record(key: str, box: Box, region_of: Mapping[str, str]) -> dict:
    members = sorted(s for s, k in region_of.items() if k == key)
    return {
        "key": key,
        "label": label(key),
        "sectors": members,
        "x": round(box.x, 1),
        "y": round(box.y, 1),
        "width": round(box.width, 1),
        "height": round(box.height, 1),
    }


def _reused_regions(anchors: Mapping | None, order: list[str]) -> dict[str, Box] | None:
    """An earlier layout's boxes, when it had the very regions needed now, in the same order
    (a study that changes its sector order asks for a new template)."""
    if not anchors or not anchors.get("regions"):
        return None
    earlier = {r["key"]: Box(r["x"], r["y"], r["width"], r["height"]) for r in anchors["regions"]}
    return earlier if list(earlier) == order else None


def _inner(box: Box) -> Box:
    """Where tied people go: below the label band, above the margin band."""
    return box.inset(6.0, LABEL_BAND, 6.0, box.height * MARGIN_SHARE + 4.0)


def _margin_band(box: Box) -> Box:
    band = box.height * MARGIN_SHARE
    return Box(box.x + 6.0, box.y + box.height - band, max(box.width - 12.0, 1.0), band - 4.0)


def _margin_places(
    ids: Sequence[str], regions: Sequence[str], boxes: Mapping[str, Box], anchors: Mapping | None
) -> dict[str, list[float]]:
    """Each person's place in their region's margin band, kept from ``anchors`` when it fits.

    Places form a grid across the band in roster order; people new since the earlier layout
    take the grid's free places.
    """
    earlier = (anchors or {}).get("margins", {})
    places: dict[str, list[float]] = {}
    by_region: dict[str, list[str]] = {}
    for person, key in zip(ids, regions, strict=True):
        by_region.setdefault(key, []).append(person)
    for key, people in by_region.items():
        band = _margin_band(boxes[key])
        kept = {
            p: earlier[p] for p in people if p in earlier and band.contains(earlier[p], ROUNDING)
        }
        grid = _grid(band, len(people))
        free = iter(slot for slot in grid if not _near_any(slot, kept.values(), band, len(grid)))
        for person in people:
            places[person] = list(kept[person]) if person in kept else next(free, grid[0])
    return places


def _grid(band: Box, count: int) -> list[list[float]]:
    """``count`` or more evenly spaced points filling ``band``, row by row."""
    cols = max(1, math.ceil(math.sqrt(count * band.width / band.height)))
    rows = max(1, math.ceil(count / cols))
    cols = max(cols, math.ceil(count / rows))
    dx, dy = band.width / cols, band.height / rows
    return [
        [band.x + dx * (c + 0.5), band.y + dy * (r + 0.5)] for r in range(rows) for c in range(cols)
    ]


def _near_any(slot: Sequence[float], taken, band: Box, slots: int) -> bool:
    spacing = math.sqrt(band.width * band.height / max(slots, 1)) / 2
    return any(math.dist(slot, point) < spacing for point in taken)


def _region_force(
    graph: ig.Graph,
    ids: Sequence[str],
    regions: Sequence[str],
    inner: Mapping[str, Box],
    tied: np.ndarray,
    anchors: Mapping | None,
    seed: int,
    iterations: int,
) -> dict[int, list[float]]:
    """A place inside its region's box for everyone with a tie.

    As in group-in-a-box layouts, each region is laid out on its own: a force-directed layout of
    the ties inside it, stretched to fill its box whatever its density. Someone whose ties all
    leave the region sits on the side of the box that faces the regions they are tied to. With
    ``anchors``, everyone placed before keeps their place, and a newcomer joins the people of
    their region they are tied to.
    """
    rng = np.random.default_rng(seed)
    earlier = (anchors or {}).get("positions", {})
    keys = list(inner)
    code = np.asarray([keys.index(r) for r in regions], dtype=int)
    ends = np.asarray(graph.get_edgelist(), dtype=int).reshape(-1, 2)
    inside = code[ends[:, 0]] == code[ends[:, 1]]
    within = np.bincount(ends[inside].ravel(), minlength=len(ids)) > 0
    centres = np.asarray([inner[k].centre for k in keys])
    placed: dict[int, list[float]] = {}
    for number, key in enumerate(keys):  # template order: the random stream is reproducible
        box, people = inner[key], np.flatnonzero(tied & (code == number))
        # Someone untied then sat in the margin band, outside the box: they are placed afresh.
        held = {
            i: list(earlier[ids[i]])
            for i in people.tolist()
            if ids[i] in earlier and box.contains(earlier[ids[i]], ROUNDING)
        }
        placed.update(held)
        if held:
            for i in people.tolist():
                if i not in held:
                    placed[i] = _newcomer(i, graph, held, box, rng)
        else:
            linked = people[within[people]]
            placed.update(_force(graph, linked, box, rng, iterations))
        for i in people[~within[people]].tolist():
            if i not in placed:
                placed[i] = _facing(i, graph, code, centres, number, box, rng)
        moved = [i for i in people.tolist() if i not in held]
        placed.update(_spread({i: placed[i] for i in people.tolist()}, moved, box))
    return placed


def _spread(points: Mapping[int, Sequence[float]], movable: Sequence[int], box: Box) -> dict:
    """The points pushed apart where they overlap, so that no mark hides another.

    Pairs closer than a minimum gap (``MIN_GAP``, less in a crowded box) are pushed apart along
    the line between them, a few rounds; only ``movable`` points move (not anchored ones).
    """
    if len(movable) == 0 or len(points) < 2:
        return {}
    keys = list(points)
    xy = np.asarray([points[k] for k in keys], dtype=float)
    gap = min(MIN_GAP, 0.8 * math.sqrt(box.width * box.height / len(keys)))
    free = np.isin(keys, list(movable))
    low, high = [box.x, box.y], [box.x + box.width, box.y + box.height]
    for _ in range(SPREAD_ROUNDS):
        pairs = np.asarray(sorted(cKDTree(xy).query_pairs(gap)), dtype=int).reshape(-1, 2)
        if len(pairs) == 0:
            break
        a, b = pairs[:, 0], pairs[:, 1]
        apart = xy[b] - xy[a]
        distance = np.hypot(apart[:, 0], apart[:, 1])
        # Points on top of each other part along a direction that depends on their indices only.
        same = distance < 1e-9
        apart[same] = np.column_stack([np.cos(a[same] + b[same]), np.sin(a[same] + b[same])])
        distance[same] = 1.0
        push = apart / distance[:, None] * ((gap - np.where(same, 0, distance)) / 2)[:, None]
        shift = np.zeros_like(xy)
        np.add.at(shift, a, -push)
        np.add.at(shift, b, push)
        xy = np.where(free[:, None], np.clip(xy + shift, low, high), xy)
    return {k: xy[n].tolist() for n, k in enumerate(keys) if free[n]}


def _force(
    graph: ig.Graph, people: np.ndarray, box: Box, rng: np.random.Generator, iterations: int
) -> dict[int, list[float]]:
    """Fruchterman-Reingold on the ties among ``people``, stretched to ``box``."""
    if len(people) == 0:
        return {}
    sub = graph.induced_subgraph(people.tolist())
    coords = np.asarray(
        _seeded(
            lambda: sub.layout_fruchterman_reingold(niter=iterations, grid=True).coords,
            int(rng.integers(2**31)),
        )
    ).reshape(-1, 2)
    page = np.clip(_stretch(coords, box), [box.x, box.y], [box.x + box.width, box.y + box.height])
    return dict(zip(people.tolist(), page.tolist(), strict=True))


def _facing(
    person: int,
    graph: ig.Graph,
    code: np.ndarray,
    centres: np.ndarray,
    number: int,
    box: Box,
    rng: np.random.Generator,
) -> list[float]:
    """A place towards the side of ``box`` that faces the regions ``person`` is tied to."""
    others = [code[j] for j in graph.neighbors(person) if code[j] != number]
    direction = sum((centres[k] - centres[number] for k in others), np.zeros(2))
    length = float(np.hypot(*direction))
    angle = math.atan2(direction[1], direction[0]) if length else rng.uniform(0, 2 * math.pi)
    along = np.array([math.cos(angle), math.sin(angle)])
    across = np.array([-along[1], along[0]])
    half = np.array([box.width / 2, box.height / 2])

    def reach(unit: np.ndarray) -> float:  # from the centre to the box's edge along ``unit``
        return 1 / max(abs(unit[0]) / half[0], abs(unit[1]) / half[1], 1e-9)

    point = (
        np.asarray(box.centre)
        + along * reach(along) * rng.uniform(0.55, 0.95)
        + across * reach(across) * rng.uniform(-0.8, 0.8)
    )
    return np.clip(point, [box.x, box.y], [box.x + box.width, box.y + box.height]).tolist()


def _newcomer(
    person: int,
    graph: ig.Graph,
    held: Mapping[int, Sequence[float]],
    box: Box,
    rng: np.random.Generator,
) -> list[float]:
    """Beside the people already placed in the region whom ``person`` is tied to, or anywhere
    in the box when there are none."""
    near = [held[j] for j in graph.neighbors(person) if j in held]
    if near:
        spread = 0.04 * min(box.width, box.height)
        point = np.mean(near, axis=0) + rng.normal(0, spread, 2)
    else:
        point = np.array([box.x, box.y]) + rng.uniform(0.1, 0.9, 2) * [box.width, box.height]
    return np.clip(point, [box.x, box.y], [box.x + box.width, box.y + box.height]).tolist()


def _stretch(coords: np.ndarray, box: Box) -> np.ndarray:
    """Scale each axis of ``coords`` to span ``box`` (a single point goes to its centre).

    The span is that of the middle 96 per cent, so one far straggler does not squeeze the rest;
    the stragglers end on the box's edge.
    """
    low, high = np.percentile(coords, [2, 98], axis=0)
    span = high - low
    origin, size = np.array([box.x, box.y]), np.array([box.width, box.height])
    safe = np.where(span > 0, span, 1.0)
    return np.where(span > 0, origin + (coords - low) / safe * size, origin + size / 2)


def free_layout(
    graph: ig.Graph, ids: Sequence[str], *, seed: int = 0, iterations: int = ITERATIONS
) -> dict[str, list[float]]:
    """The whole network laid out by Fruchterman-Reingold alone, no regions, fitted to the page.

    People with no tie are set in a row along the bottom of the page rather than left to drift.
    """
    ids = [str(i) for i in ids]
    tied = np.flatnonzero(np.asarray(graph.degree(), dtype=int) > 0) if ids else np.array([])
    page = Box(0, 0, PAGE_WIDTH, PAGE_HEIGHT)
    band = Box(20, PAGE_HEIGHT * (1 - MARGIN_SHARE / 2), PAGE_WIDTH - 40, PAGE_HEIGHT * 0.06)
    tied_set = set(tied.tolist())
    loose = [p for i, p in enumerate(ids) if i not in tied_set]
    places = dict(zip(loose, _grid(band, len(loose)), strict=False))
    if len(tied):
        sub = graph.subgraph(tied.tolist())
        coords = np.asarray(
            _seeded(
                lambda: sub.layout_fruchterman_reingold(niter=iterations, grid=True).coords,
                seed,
            )
        )
        box = page.inset(20, 20, 20, PAGE_HEIGHT * MARGIN_SHARE if loose else 20)
        fitted = np.clip(
            _stretch(coords, box), [box.x, box.y], [box.x + box.width, box.y + box.height]
        )
        places.update({ids[i]: list(point) for i, point in zip(tied, fitted, strict=True)})
    return {person: places[person] for person in ids}


def _seeded(run, seed: int):
    """Run ``run`` with Python's ``random`` (igraph's source of randomness) seeded, then restore."""
    state = random.getstate()
    random.seed(seed)
    try:
        return run()
    finally:
        random.setstate(state)


def _rounded(points: Mapping[str, Sequence[float]]) -> dict[str, list[float]]:
    return {person: [round(float(x), 1), round(float(y), 1)] for person, (x, y) in points.items()}
