"""What someone not allowed names may see of a stored analysis: one rule set for every output.

Pages, JSON, maps, CSV and the pseudonymised report all take a viewer's copy from
:func:`viewer_analysis` (DESIGN.md, "Maps, reports and what viewers see"). The rules:

- **Pseudonyms.** Every roster id and name becomes "Person N", and every outsider named in
  answers "Someone not listed N"; N follows an order keyed by a secret (:func:`pseudonym_map`), so
  it is stable for a study and says nothing about anyone's name, id or place on the roster.
  Free text (a finding's sentence) has names replaced where they stand as whole words.
- **No small crowd.** Of a person's attributes a viewer sees only sector, layer and seniority,
  each generalised to "other" ("other_sectors" for a sector, the maps' region) where needed so
  that everyone shares the combination they show with at least ``min_group - 1`` others
  (k-anonymity, Sweeney 2002, doi:10.1142/S0218488502001648), by :func:`shown_attributes`.
  Organisation, role title, years in post, free text and any extra roster column are never
  shown: they are what re-identifies people in a small place.
  Tables by sector and layer count people by the sector and layer they are shown with, so that
  no table, set beside the tie list, tells a viewer more about anyone than their record does;
  other counts by sector merge the small ones the same way.
- **Nothing per person about who answered.** A tie points from the person who answered, so
  ``responded``, the directed measures (in- and out-degree and strength, PageRank, Gould and
  Fernandez brokerage) and the direction of ties are dropped; ties are given once per pair,
  ``[a, b, weight]`` with the larger weight, and ``ties_directed`` is False. The measures kept are
  those computed on the symmetrised network, which read the same whoever named whom; tables by
  sector and layer and the core group's densities are counted again over pairs, since a directed
  count set beside the pairs would say which were named both ways.
- The social capital reports (leaders, mentors, ...) keep their rules and lose their lists,
  showing only how many people each holds: the lists rest on who named whom and on seniority
  and years in post, which a viewer may not see.
- The diagnosis keeps its aggregates (already held to ``min_group``) and loses the per-respondent
  scores, which would say who answered and what.

What stays: a person's position in the network (their ties, centrality, roles) can identify them
to colleagues who know who works with whom. README.md says so to owners.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from placelab.core.disclosure import MIN_GROUP, OTHER_SECTORS, shown_groups
from placelab.core.vocabulary import ALL, UNKNOWN

OTHER = "other"
# What a value too rare to show becomes. Sectors merge into the maps' "other sectors" region,
# kept apart from a study's own "other" sector so that a map's regions split no group shown.
MERGED: dict[str, str] = {"sector": OTHER_SECTORS}
# The roster attributes a viewer may see, most telling first: each is refined only within the
# groups the ones before it leave.
SHOWN_ATTRIBUTES: tuple[str, ...] = ("sector", "layer", "seniority")
# Per-network measures that depend on who named whom, so would tell who answered.
DIRECTED_MEASURES: tuple[str, ...] = (
    "in_degree", "out_degree", "in_strength", "out_strength", "pagerank", "brokerage",
)  # fmt: skip
OUTSIDER_FIELDS: tuple[str, ...] = ("name", "named_by", "networks")
GROUPINGS: tuple[str, ...] = ("sector", "layer")
METHOD_NOTE = (
    "Names and ids are replaced by pseudonyms. Each person shows only sector, layer and "
    "seniority, generalised to 'other' (sectors to 'other sectors') so that at least {k} people "
    "share every combination shown; groups under {k} are merged the same way. Whether someone "
    "answered is not shown: ties are given without direction, tables by sector and layer and "
    "the core group's densities count pairs of people, and measures that depend on direction "
    "are left out."
)


def pseudonym_map(
    people: Iterable[tuple[str, str]], outsiders: Iterable[str] = (), *, secret: str, scope: str
) -> dict[str, str]:
    """Roster ids and names -> "Person N"; outsiders -> "Someone not listed N".

    People are numbered in the order of an HMAC of their id under ``secret`` (``scope`` tells
    studies apart), so the numbers are stable and say nothing about names, ids or roster order.
    A name that is someone else's id keeps the id's pseudonym.

    >>> pseudonym_map([("p1", "Ann"), ("p2", "Bo")], secret="s", scope="1")
    {'p1': 'Person 1', 'p2': 'Person 2', 'Ann': 'Person 1', 'Bo': 'Person 2'}
    """

    def order(row: tuple[str, str]) -> str:
        message = f"placelab.pseudonym:{scope}:{row[0]}".encode()
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    ordered = sorted(people, key=order)
    names = {key: f"Person {number}" for number, (key, _name) in enumerate(ordered, start=1)}
    for number, (_key, name) in enumerate(ordered, start=1):
        if name and name.strip():
            names.setdefault(name.strip(), f"Person {number}")
    for number, outsider in enumerate(filter(None, outsiders), start=1):
        names.setdefault(str(outsider), f"Someone not listed {number}")
    return names


def result_pseudonyms(result: dict, *, secret: str) -> dict[str, str]:
    """:func:`pseudonym_map` for a result read from files, as the command line has it: the
    people and outsiders it holds, numbered under ``secret`` within its inputs' fingerprint.

    ``secret`` must not be anything the shared copy holds (not the fingerprint, which it shows):
    with it and a guessed id, anyone could number the roster again. A random one per report
    (``secrets.token_hex()``) will do; the numbers then change from one report to the next.
    """
    people = [(str(p["id"]), str(p.get("name") or "")) for p in result.get("people", [])]
    outsiders = [str(o["name"]) for o in result.get("outsiders", []) if o.get("name")]
    scope = str(result.get("inputs", {}).get("fingerprint", ""))
    return pseudonym_map(people, outsiders, secret=secret, scope=scope)


def replace_names(data: Any, names: Mapping[str, str]) -> Any:
    """A copy of ``data`` with every name or id in ``names`` replaced by its pseudonym.

    A string that is exactly a name or id is replaced, in values and in dict keys alike; inside
    longer text (a finding's sentence) names and ids with a letter in them are replaced where
    they stand as whole words. Over-replacing is the safe side: a leaked name is not.

    >>> replace_names({"p1": ["p1", "Ann said hi"]}, {"p1": "Person 2", "Ann": "Person 2"})
    {'Person 2': ['Person 2', 'Person 2 said hi']}
    """
    words = sorted((n for n in names if any(c.isalpha() for c in n)), key=len, reverse=True)
    pattern = (
        re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None
    )

    # The same few strings (measure names, codes) recur for every person: each is searched once,
    # as the pattern has an alternative per person and would make the walk quadratic.
    seen: dict[str, str] = {}

    def text(value: str) -> str:
        if value in names:
            return names[value]
        if value not in seen:
            seen[value] = pattern.sub(lambda m: names[m.group(0)], value) if pattern else value
        return seen[value]

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, dict):
            return {(text(k) if isinstance(k, str) else k): walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return walk(data)


def shown_attributes(
    people: Sequence[Mapping[str, Any]],
    *,
    attributes: Sequence[str] = SHOWN_ATTRIBUTES,
    min_group: int = MIN_GROUP,
) -> dict[str, dict[str, str]]:
    """Each person's attributes as a viewer sees them: every combination held by ``min_group``.

    The people are split by the first attribute, each group by the next, and so on; at each
    split a value held by fewer than ``min_group`` people of the group becomes "other" (a
    sector "other_sectors", as on the maps; a blank value is "unknown" first), and the "other"
    part is made up to ``min_group`` when it falls short (:func:`_hidden`). Only a study smaller
    than ``min_group`` leaves a smaller crowd (everyone then shows "other").

    >>> people = [{"id": str(i), "sector": s} for i, s in enumerate("aaaaaabbbbbc")]
    >>> shown = shown_attributes(people, attributes=["sector"])
    >>> sorted(Counter(a["sector"] for a in shown.values()).items())
    [('a', 6), ('other_sectors', 6)]
    """
    cells: dict[str, tuple[str, ...]] = {str(p["id"]): () for p in people}
    for attribute in attributes:
        groups: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
        for person in people:
            key = str(person["id"])
            groups[cells[key]][key] = _value(person, attribute)
        merged = MERGED.get(attribute, OTHER)
        for cell, values in groups.items():
            hidden = _hidden(values, min_group, whole=attribute in MERGED)
            for key, value in values.items():
                cells[key] = (*cell, merged if key in hidden else value)
    return {person: dict(zip(attributes, cell, strict=True)) for person, cell in cells.items()}


def _hidden(values: Mapping[str, str], min_group: int, *, whole: bool) -> set[str]:
    """Whose value in one group must read "other": those of values held by fewer than
    ``min_group``, and more when they number 1 to ``min_group - 1``.

    ``whole``: the more are a whole value's people, the smallest first
    (:func:`placelab.core.disclosure.shown_groups`), as a sector must be, since the maps show
    it by a person's region. Otherwise just enough of the largest value's people, chosen by a
    hash of their id (no order a viewer could read), for it still holds ``min_group``: to hide
    2 of 27 people, 3 more of the other 25 rather than all of them.
    """
    sizes = Counter(values.values())
    shown = shown_groups(sizes, min_group=min_group)
    if not whole:
        shown = {value: n for value, n in sizes.items() if n >= min_group}
    hidden = {key for key, value in values.items() if value not in shown}
    short = min_group - len(hidden)
    if whole or not hidden or short <= 0 or not shown:
        return hidden
    largest = max(shown, key=lambda value: (shown[value], value))
    if shown[largest] - short < min_group:  # cannot spare them: fall back to whole values
        return _hidden(values, min_group, whole=True)
    givers = sorted((k for k, v in values.items() if v == largest), key=_digest)[:short]
    return hidden | set(givers)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _value(person: Mapping[str, Any], attribute: str) -> str:
    value = person.get(attribute)
    return UNKNOWN if value is None or str(value).strip() == "" else str(value)


def viewer_analysis(
    result: dict | None,
    diagnosis: dict | None,
    names: Mapping[str, str],
    *,
    min_group: int | None = None,
) -> dict[str, Any]:
    """``{"result": ..., "diagnosis": ...}`` as someone not allowed names may see them.

    ``names`` maps roster ids, names and outsiders to pseudonyms (:func:`pseudonym_map`); anyone
    in ``result`` it misses is given one, so no id escapes. ``min_group`` is the study's minimum
    group size: by default the one its findings used (``finding_rules``), never below five.
    Neither input is changed.
    """
    if result is None:
        return {"result": None, "diagnosis": _viewer_diagnosis(diagnosis, dict(names))}
    if min_group is None:
        stated = result.get("finding_rules", {}).get("min_group")
        min_group = max(int(stated or MIN_GROUP), MIN_GROUP)
    names = _covering(names, result)
    people = result.get("people", [])
    attributes = shown_attributes(people, min_group=min_group)
    sectors = _Merge.of(people, "sector", min_group)  # as shown_attributes' first split
    index = {str(p["id"]): i for i, p in enumerate(people)}
    pairs = _pairs(result, index)
    viewer = {key: value for key, value in result.items() if key not in ("people", "outsiders")}
    viewer["people"] = [_viewer_person(p, attributes[str(p["id"])]) for p in people]
    viewer["outsiders"] = [
        {k: v for k, v in o.items() if k in OUTSIDER_FIELDS} for o in result.get("outsiders", [])
    ]
    viewer["networks"] = {name: _viewer_network(network, sectors) for name, network in
                          result.get("networks", {}).items()}  # fmt: skip
    if pairs is not None:
        core = _core_mask(result, index)
        groups = {g: _group_codes(people, attributes, g) for g in GROUPINGS}
        for name, network in viewer["networks"].items():
            if name in pairs:
                _undirected_tables(network, pairs[name], groups, core)
    _undirected_core(viewer, pairs[ALL] if pairs else None, index, min_group)
    for network in viewer["networks"].values():
        if "layer" not in network["mixing"]:  # no ties to count them over pairs
            network["layer_links"] = []
    viewer.pop("ties", None)
    if "social_capital" in result:
        viewer["social_capital"] = _counts_only(result["social_capital"])
    viewer["method"] = {
        **result.get("method", {}),
        "pseudonymised": METHOD_NOTE.format(k=min_group),
    }
    shown = replace_names(viewer, names)
    _sort_people(shown)
    if "ties" in result:  # pseudonymised as they are made: no need to walk them again
        order = {name: i for i, name in enumerate(sorted(set(names.values()), key=_rank))}
        shown["ties"] = {n: _undirected(t, names, order) for n, t in result["ties"].items()}
        shown["ties_directed"] = False
    return {"result": shown, "diagnosis": _viewer_diagnosis(diagnosis, names)}


def _counts_only(social: dict) -> dict:
    """The social capital reports with each category's ``people`` replaced by its ``count``."""
    categories = {
        key: {**{k: v for k, v in category.items() if k != "people"},
              "count": len(category.get("people", []))}
        for key, category in social.get("categories", {}).items()
    }  # fmt: skip
    return {**social, "categories": categories}


def _covering(names: Mapping[str, str], result: dict) -> dict[str, str]:
    """``names``, plus a pseudonym for anyone in ``result`` it lacks (an erased participant)."""
    covered = dict(names)
    taken = set(covered.values())
    missing = sorted(
        (str(p["id"]) for p in result.get("people", []) if str(p["id"]) not in covered),
        key=lambda key: hashlib.sha256(key.encode()).hexdigest(),
    )
    number = len(taken)
    for key in missing:
        number += 1
        while f"Person {number}" in taken:
            number += 1
        covered[key] = f"Person {number}"
    outsiders = sum(value.startswith("Someone not listed ") for value in taken)
    for outsider in result.get("outsiders", []):
        name = outsider.get("name")
        if name and str(name) not in covered:
            outsiders += 1
            covered[str(name)] = f"Someone not listed {outsiders}"
    return covered


def _viewer_person(person: Mapping[str, Any], attributes: dict[str, str]) -> dict[str, Any]:
    networks = {
        name: {k: v for k, v in measures.items() if k not in DIRECTED_MEASURES}
        for name, measures in person.get("networks", {}).items()
    }
    return {"id": person["id"], "name": person["id"], **attributes, "networks": networks}


@dataclass(frozen=True)
class _Merge:
    """How a count by sector is shown (communities, brokerage): groups under the minimum
    merged, as :func:`shown_attributes` merges them first."""

    shown: frozenset[str]
    into: str

    @classmethod
    def of(cls, people: Sequence[Mapping[str, Any]], grouping: str, min_group: int) -> _Merge:
        sizes = Counter(_value(p, grouping) for p in people)
        shown = frozenset(shown_groups(sizes, min_group=min_group))
        return cls(shown, MERGED.get(grouping, OTHER))

    def __call__(self, group: str) -> str:
        return group if group in self.shown else self.into


def _undirected(
    ties: Iterable[Sequence[Any]], names: Mapping[str, str], order: Mapping[str, int]
) -> list[list[Any]]:
    """Each pair once, in pseudonym order, with the larger weight: a sum or a mean would say
    the tie was named both ways. ``order`` numbers the pseudonyms."""
    pairs: dict[tuple[str, str], Any] = {}
    for source, target, *rest in ties:
        a, b = names.get(str(source)), names.get(str(target))
        if a is None or b is None:  # no pseudonym, no tie: an id must never pass through
            continue
        if order.get(b, -1) < order.get(a, -1):
            a, b = b, a
        weight = rest[0] if rest else 1
        pairs[(a, b)] = weight if (a, b) not in pairs else max(pairs[(a, b)], weight)
    ordered = sorted(
        pairs.items(), key=lambda item: (order.get(item[0][0], -1), order.get(item[0][1], -1))
    )
    return [[a, b, w] for (a, b), w in ordered]


def _viewer_network(network: dict, sectors: _Merge) -> dict:
    """A network's figures with every sector or layer group under the minimum merged."""
    viewer = dict(network)
    mixing = network.get("mixing", {})
    # Counted again over pairs below; a result stored without its ties shows no such table.
    viewer["mixing"] = {g: table for g, table in mixing.items() if g not in GROUPINGS}
    if "communities" in network:
        makeup = network["communities"].get("makeup", {})
        viewer["communities"] = {
            **network["communities"],
            "makeup": {c: _merged_counts(m, sectors) for c, m in makeup.items()},
        }
    if "brokerage" in network:
        # Expectations per sector follow from its size: only the groups shown keep theirs.
        expected = network["brokerage"].get("expected_per_broker", [])
        viewer["brokerage"] = {
            **network["brokerage"],
            "expected_per_broker": [r for r in expected if r.get("sector") in sectors.shown],
        }
    return viewer


def _merged_counts(counts: Mapping[str, Any], merge: _Merge) -> dict[str, Any]:
    merged: dict[str, Any] = defaultdict(int)
    for group, count in counts.items():
        merged[merge(group)] += count or 0
    return dict(merged)


@dataclass(frozen=True)
class _Pairs:
    """One network's ties between people on the roster as unordered pairs of row numbers."""

    a: np.ndarray
    b: np.ndarray

    def tied(self, n: int) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        mask[self.a] = mask[self.b] = True
        return mask


def _pairs(result: dict, index: Mapping[str, int]) -> dict[str, _Pairs] | None:
    """Each network's pairs; "all", their union. None for a result stored before it kept its
    ties (contract #1 of the maps)."""
    if "ties" not in result or not index:
        return None
    n = len(index)
    codes: dict[str, np.ndarray] = {}
    for network, ties in result["ties"].items():
        ends = [(index[str(s)], index[str(t)]) for s, t, *_w in ties
                if str(s) in index and str(t) in index]  # fmt: skip
        array = np.asarray(ends, dtype=np.int64).reshape(-1, 2)
        codes[network] = np.unique(array.min(axis=1) * n + array.max(axis=1))
    codes.setdefault(ALL, np.unique(np.concatenate([np.empty(0, np.int64), *codes.values()])))
    return {network: _Pairs(code // n, code % n) for network, code in codes.items()}


def _undirected_tables(
    network: dict, pairs: _Pairs, groups: Mapping[str, tuple[list[str], np.ndarray]],
    core: np.ndarray,
) -> None:  # fmt: skip
    """Count a network's tables by sector and layer over pairs, not over directed ties.

    A directed count beside the undirected tie list would say who named whom: one tie between
    two groups, counted twice, was named both ways, so both people answered.
    """
    tied = pairs.tied(len(core))
    for grouping, (keys, of) in groups.items():
        network.setdefault("mixing", {})[grouping] = _pair_mixing(pairs, keys, of, core, tied)
    layers = network["mixing"]["layer"]
    sizes = {row["group"]: row["people"] for row in layers["groups"]}
    network["layer_links"] = [
        _pair_link(row, layers["ties"], sizes)
        for row in network.get("layer_links", [])
        if {row.get("from_layer"), row.get("to_layer")} <= set(sizes) - {OTHER}
    ]


def _group_codes(
    people: Sequence[Mapping[str, Any]], attributes: Mapping[str, dict[str, str]], grouping: str
) -> tuple[list[str], np.ndarray]:
    """The groups as each person is shown (tables by a finer grouping than a person's record
    would, with the tie list, let a viewer work out who is who), "other" last, and each
    person's group as its number among them."""
    shown = [attributes[str(p["id"])][grouping] for p in people]
    keys = sorted(set(shown), key=lambda key: (key in (OTHER, OTHER_SECTORS), key))
    number = {key: i for i, key in enumerate(keys)}
    return keys, np.asarray([number[g] for g in shown], dtype=np.int64)


def _pair_mixing(
    pairs: _Pairs, keys: list[str], of: np.ndarray, core: np.ndarray, tied: np.ndarray
) -> dict[str, Any]:
    k = len(keys)
    ga, gb = of[pairs.a], of[pairs.b]
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (ga, gb), 1)
    cross = ga != gb
    np.add.at(matrix, (gb[cross], ga[cross]), 1)
    out_a, out_b = ~core[pairs.a], ~core[pairs.b]  # ends outside the core, and where they lead
    ends = np.bincount(ga[out_a], minlength=k) + np.bincount(gb[out_b], minlength=k)
    to_core = np.bincount(ga[out_a & ~out_b], minlength=k) + np.bincount(
        gb[out_b & ~out_a], minlength=k
    )
    sizes, isolates = np.bincount(of, minlength=k), np.bincount(of[~tied], minlength=k)
    groups = []
    for i, key in enumerate(keys):
        internal = int(matrix[i, i])
        external = int(matrix[i].sum()) - internal
        groups.append({
            "group": key, "people": int(sizes[i]), "isolates": int(isolates[i]),
            "internal_ties": internal, "external_ties": external,
            "ei_index": (external - internal) / (external + internal) if external + internal else None,
            "reach_core": int(to_core[i]) / int(ends[i]) if ends[i] else None,
        })  # fmt: skip
    ties = {a: {b: int(matrix[i, j]) for j, b in enumerate(keys)} for i, a in enumerate(keys)}
    return {"ties": ties, "groups": groups, "directed": False}


def _core_mask(result: dict, index: Mapping[str, int]) -> np.ndarray:
    core = np.zeros(len(index), dtype=bool)
    members = result.get("core_group", {}).get("members", [])
    core[[index[str(k)] for k in members if str(k) in index]] = True
    return core


def _undirected_core(
    viewer: dict, pairs: _Pairs | None, index: Mapping[str, int], min_group: int
) -> None:
    """The core group's closure over pairs (of all networks together), in its table and in the
    finding that quotes it: a directed density of 1 would say every member named every other.
    Without the ties to count pairs (an old result) the densities are not shown.

    The shares of nominations (inward, outward) stay for a core of ``min_group`` or more, as the
    finding states them: they are about the group's nominations taken together.
    """
    if "core_group" not in viewer:
        return
    core = _core_mask(viewer, index)
    n, c = len(core), int(core.sum())
    inside = across = None
    if pairs is not None:
        internal = int((core[pairs.a] & core[pairs.b]).sum())
        boundary = int((core[pairs.a] != core[pairs.b]).sum())
        inside = internal / (c * (c - 1) / 2) if c > 1 else None
        across = boundary / (c * (n - c)) if 0 < c < n else None
    closure = {
        **viewer["core_group"].get("closure", {}),
        "internal_density": inside, "boundary_density": across,
        "closure_ratio": inside / across if inside is not None and across else None,
    }  # fmt: skip
    if c < min_group:
        closure.update(outward_share=None, inward_share=None)
    viewer["core_group"] = {**viewer["core_group"], "closure": closure}
    viewer["findings"] = [
        {**f, "numbers": {**f["numbers"], **{k: closure[k] for k in closure if k in f["numbers"]}}}
        if f.get("id") == "dominant-core" and isinstance(f.get("numbers"), dict)
        else f
        for f in viewer.get("findings", [])
    ]


def _pair_link(row: dict, matrix: dict[str, dict[str, int]], sizes: Mapping[str, int]) -> dict:
    """A layer link over pairs: density over n(n-1)/2 within a layer, n_X n_Y between two."""
    upper, lower = row["from_layer"], row["to_layer"]
    ties = matrix[upper][lower]
    n, m = sizes[upper], sizes[lower]
    possible = n * (n - 1) / 2 if upper == lower else n * m
    return {**row, "ties": ties, "density": ties / possible if possible else None}


def _viewer_diagnosis(diagnosis: dict | None, names: Mapping[str, str]) -> dict | None:
    if diagnosis is None:
        return None
    return replace_names({k: v for k, v in diagnosis.items() if k != "respondents"}, names)


def _person_order(key: Any) -> tuple:
    """Pseudonyms in number order ("Person 2" before "Person 10"), so no list keeps roster order."""
    return _rank(str(key))


@lru_cache(maxsize=65536)
def _rank(text: str) -> tuple[str, int]:
    head, _space, number = text.rpartition(" ")
    return (head, int(number)) if number.isdigit() else (text, 0)


def _sort_people(result: dict) -> None:
    """Lists of people in pseudonym order: the stored order follows the roster (organisations)."""
    result["people"].sort(key=lambda p: _person_order(p["id"]))
    if "core_group" in result:
        result["core_group"]["members"] = sorted(
            result["core_group"].get("members", []), key=_person_order
        )
    for network in result.get("networks", {}).values():
        for field in ("key_connectors", "key_connectors_borderline"):
            connectors = network.get(field) or {}
            for role, members in connectors.items():
                connectors[role] = sorted(members, key=_person_order)
    layout = result.get("layout")
    if isinstance(layout, dict):
        for key in ("positions", "margins", "free"):
            if isinstance(layout.get(key), dict):
                layout[key] = dict(sorted(layout[key].items(), key=lambda i: _person_order(i[0])))


def viewer_comparison(comparison: dict, names: Mapping[str, str]) -> dict:
    """A comparison of two waves (``compare_waves``) as someone not allowed names may see it.

    The rules of :func:`viewer_analysis`: everyone named (joining or leaving the core, becoming
    or ceasing to be a key connector) becomes their pseudonym, ``names`` covering both waves'
    rosters (a person missing from it is given one). Nothing per person about who answered: the
    view over the people who answered both waves names no one, keeping only how many joined or
    left the core and each role (its figures are aggregates). Groups are as the comparison
    shows them, already only those of at least ``MIN_GROUP`` people in both waves, and so is a
    compared diagnosis. The input is not changed.
    """
    named = {
        str(p["id"])
        for view in ("everyone", "answered_both")
        for p in _named_in(comparison.get(view))
    }
    names = _covering(names, {"people": [{"id": p} for p in sorted(named)]})
    shown = dict(comparison)
    if shown.get("answered_both") is not None:
        shown["answered_both"] = _counted(shown["answered_both"])
    shown = replace_names(shown, names)
    for people in _named_lists(shown.get("everyone")):  # roster order would hint at organisations
        people.sort(key=lambda p: _person_order(p["id"]))
    shown["method"] = {
        **comparison.get("method", {}),
        "pseudonymised": "Names are replaced by pseudonyms. Among the people who answered both "
        "waves only counts are given of who joined or left the core group and each role, since "
        "naming them would say who answered.",
    }
    return shown


def _named_in(view: Mapping | None) -> Iterable[Mapping]:
    """Everyone a comparison's view names: the core's and each role's comings and goings."""
    for people in _named_lists(view):
        yield from people


def _named_lists(view: Mapping | None) -> Iterable[list]:
    if not view:
        return
    for key in ("joined", "left"):
        yield view["core"].get(key, [])
    for network in view["networks"].values():
        for change in network.get("key_connectors", {}).values():
            for key in ("became", "stopped"):
                yield change.get(key, [])


def _counted(view: dict) -> dict:
    """The panel view with each list of people replaced by how many it held."""
    networks = {
        name: {
            **network,
            "key_connectors": {
                role: {key: len(people) for key, people in change.items()}
                for role, change in network.get("key_connectors", {}).items()
            },
        }
        for name, network in view["networks"].items()
    }
    return {**view, "core": {k: len(v) for k, v in view["core"].items()}, "networks": networks}
