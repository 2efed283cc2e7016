"""What one view of a network map shows: its ties, one person's neighbourhood, the brokers
between two sectors, and the pieces a network falls into when its key connectors leave.

Pure functions over plain data (person ids, ties as ``(source, target, weight)``), so the web's
map, the static maps and the command line draw the same views. Ties are those of the stored
result (``result["ties"]``): directed nominations for people who see who named whom, or each pair
once without direction for viewers (``directed=False``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import igraph as ig
import numpy as np

from placelab.core.networks.brokerage import open_two_paths
from placelab.core.networks.fragility import fragmentation, reach

# Gould and Fernandez's roles between two groups A and B, renamed so that their "gatekeeper"
# is never read as NetForm's key connector of that name: the broker in the group that receives
# the request is the "receiver".
BETWEEN_ROLES = ("liaison", "representative", "receiver")


class MapTie(NamedTuple):
    """A line on the map: ``two_way`` is None when direction is not known (viewers' maps).

    A named tuple rather than a dataclass: a map of 100,000 ties makes 100,000 of them.
    """

    source: str
    target: str
    weight: float
    two_way: bool | None


def map_ties(
    ties: Mapping[str, Sequence[Sequence]], networks: Iterable[str], *, directed: bool = True
) -> list[MapTie]:
    """The lines of a map of ``networks`` (their union): one per pair of people.

    With ``directed``, a pair who named each other is one two-way line, drawn from the
    nomination seen first; otherwise each pair is one line without direction. A pair's weight is
    the sum of its ties' weights over the networks (and both directions).

    >>> map_ties({"work": [["a", "b", 1], ["b", "a", 2], ["a", "c", 1]]}, ["work"])[0]
    MapTie(source='a', target='b', weight=3.0, two_way=True)
    """
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for network in networks:
        for row in ties.get(network, ()):
            source, target = str(row[0]), str(row[1])
            if source != target:
                weights[(source, target)] += float(row[2])
    pairs: dict[tuple[str, str], list] = {}
    for (source, target), weight in weights.items():
        seen = pairs.get((target, source))
        if seen is None:
            pairs[(source, target)] = [source, target, weight, False]
        else:  # the pair seen the other way round: one two-way line
            seen[2] += weight
            seen[3] = True
    return [MapTie(a, b, w, two if directed else None) for a, b, w, two in pairs.values()]


def ties_by_sector(
    ties: Iterable[MapTie], sector_of: Mapping[str, str], *, keep: str
) -> list[MapTie]:
    """The ties inside sectors (``keep="within"``) or across them (``keep="across"``):
    Figure C7, sections B and C."""
    if keep not in ("within", "across"):
        raise ValueError(f"keep must be 'within' or 'across', not {keep!r}")
    inside = keep == "within"
    return [t for t in ties if (sector_of.get(t.source) == sector_of.get(t.target)) == inside]


def steps_from(ties: Iterable[MapTie], person: str, *, most: int = 2) -> dict[str, int]:
    """Everyone at most ``most`` steps from ``person`` along ties of either direction, with
    their distance (breadth-first search; the person is at 0)."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for t in ties:
        neighbours[t.source].add(t.target)
        neighbours[t.target].add(t.source)
    distance, frontier = {person: 0}, [person]
    for step in range(1, most + 1):
        frontier = [n for p in frontier for n in neighbours[p] if n not in distance]
        for n in frontier:
            distance.setdefault(n, step)
    return distance


def ego_ties(ties: Iterable[MapTie], distance: Mapping[str, int]) -> list[MapTie]:
    """The ties that lead out from the person: between people within reach, at least one end
    nearer than the farthest step (ties among the farthest people are left out)."""
    farthest = max(distance.values(), default=0)
    return [
        t
        for t in ties
        if t.source in distance
        and t.target in distance
        and min(distance[t.source], distance[t.target]) < max(farthest, 1)
    ]


def brokers_between(
    people: Sequence[str],
    ties: Iterable[MapTie],
    sector_of: Mapping[str, str],
    first: str,
    second: str,
) -> dict[str, dict[str, int]]:
    """Who brokers between sectors ``first`` and ``second``, in Gould and Fernandez's roles.

    A broker ``b`` sits on an open two-path ``a -> b -> c`` (``a`` does not name ``c``) with
    ``a`` in one of the two sectors and ``c`` in the other, either way round:

    - *representative*: ``b`` in ``a``'s sector, passing its own sector's request on;
    - *receiver*: ``b`` in ``c``'s sector, taking the other sector's request in (Gould and
      Fernandez's "gatekeeper", renamed here: it is not NetForm's gatekeeper);
    - *liaison*: ``b`` in neither sector.

    A tie without direction counts both ways. Returns each broker's count of paths per role.

    Reference: Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation. Sociological
    Methodology 19, 89-126. https://doi.org/10.2307/270949
    """
    index = {person: i for i, person in enumerate(people)}
    arcs = set()
    for t in ties:
        arcs.add((index[t.source], index[t.target]))
        if t.two_way is not False:
            arcs.add((index[t.target], index[t.source]))
    graph = ig.Graph(n=len(people), edges=sorted(arcs), directed=True)
    sector = np.array([sector_of.get(p, "") for p in people], dtype=object)
    found: dict[str, dict[str, int]] = {}
    for a, b, c in open_two_paths(graph):
        ends = {sector[a], sector[c]}
        if ends != {first, second} or first == second:
            continue
        role = (
            "representative"
            if sector[b] == sector[a]
            else "receiver"
            if sector[b] == sector[c]
            else "liaison"
        )
        counts = found.setdefault(people[b], dict.fromkeys(BETWEEN_ROLES, 0))
        counts[role] += 1
    return found


@dataclass(frozen=True)
class Pieces:
    """The network once ``leavers`` have gone: its pieces (largest first), the people who were
    in the largest piece before and are no longer in it after (``cut_off``), and what changed."""

    leavers: list[str]
    pieces: list[list[str]]
    pieces_before: int
    cut_off: list[str]
    reach_before: float
    reach_after: float
    fragmentation_before: float
    fragmentation_after: float


def without(people: Sequence[str], ties: Iterable[MapTie], leavers: Sequence[str]) -> Pieces:
    """The pieces the network of ``people`` falls into when ``leavers`` leave, with the share in
    the largest piece and Borgatti's fragmentation before and after (``fragility``)."""
    index = {person: i for i, person in enumerate(people)}
    edges = {tuple(sorted((index[t.source], index[t.target]))) for t in ties}
    graph = ig.Graph(n=len(people), edges=sorted(edges))
    graph.vs["id"] = list(people)
    remaining = graph.copy()
    remaining.delete_vertices([index[p] for p in leavers if p in index])
    before, after = _pieces(graph), _pieces(remaining)
    main_before, main_after = set(before[0]) if before else set(), set(after[0]) if after else set()
    return Pieces(
        leavers=[p for p in leavers if p in index],
        pieces=after,
        pieces_before=len(before),
        cut_off=sorted(main_before - main_after - set(leavers)),
        reach_before=reach(graph),
        reach_after=reach(remaining),
        fragmentation_before=fragmentation(graph),
        fragmentation_after=fragmentation(remaining),
    )


def _pieces(graph: ig.Graph) -> list[list[str]]:
    """The connected components as lists of ids, largest first (ties broken by the ids)."""
    names = graph.vs["id"] if graph.vcount() else []
    return sorted(
        ([names[i] for i in piece] for piece in graph.connected_components()),
        key=lambda piece: (-len(piece), piece),
    )
