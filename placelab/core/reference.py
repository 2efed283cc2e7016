"""The reference pool: other studies' anonymised figures, against which a study reads its own.

The source method sets each network's density against normative ranges drawn from past
analyses and kept up to date with each new one: too thin to sustain innovation, or so dense it
suggests a clique or cartel that can block it (NESTA / Young Foundation 2008, Appendix C 2.4).
Those ranges were never published, so placelab builds them from studies that share their
figures. This module is the one place for the pool's rules (``docs/reference-pool.md``):

- an *entry* is one study's aggregates (:func:`study_aggregates`): its size band, response rate
  and, per network, density, reciprocity, degree centralisation, E-I index by sector kind and by
  layer, and each sector's share of the key connectors; groups under five people are left out
  (``placelab.core.disclosure``), figures are rounded to three significant figures, which blurs the
  exact counts behind them in all but small networks, and nothing names the place, a person, an
  organisation or carries free text (the field is a one-way key);
- *comparable* studies are those of the same size band and field when at least
  :data:`MIN_STUDIES` are, else of the same size band, else all (:func:`comparable`);
- a figure's *percentile* among them is Hazen's (scipy's ``percentileofscore`` with
  ``kind="mean"``): the share below it plus half the share equal to it; the *range* is their
  10th to 90th percentile by the same plotting position (numpy's ``method="hazen"``), and a
  figure is below, within or above it. Under :data:`MIN_STUDIES` other comparable studies no
  percentile is given.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from placelab.core.disclosure import MIN_GROUP, shown_groups

# The file's format lives with the other readers; its functions are part of this interface.
from placelab.core.io.pool_file import LAYER_KINDS, NETWORK_FIGURES, SECTOR_KINDS, SIZE_BANDS
from placelab.core.io.pool_file import POOL_FORMAT as POOL_FORMAT
from placelab.core.io.pool_file import check_pool as check_pool
from placelab.core.io.pool_file import is_pool as is_pool
from placelab.core.io.pool_file import pool_document as pool_document
from placelab.core.io.pool_file import read_pool as read_pool
from placelab.core.vocabulary import ALL, NETWORKS, UNKNOWN

if TYPE_CHECKING:
    from placelab.core.data import StudyData
    from placelab.core.networks.findings import FindingRules

MIN_STUDIES = 5
SIGNIFICANT = 3  # three significant figures: enough to compare, and blurs the counts behind them
RANGE = (10.0, 90.0)  # the range is the 10th to 90th percentile of comparable studies
FIGURE_LABELS = {
    "response_rate": "Response rate",
    "density": "Density",
    "reciprocity": "Reciprocity",
    "degree_centralisation": "Degree centralisation",
    "ei_index": "E-I index",
    "key_connector_share": "Share of key connectors",
}
BAND_LABELS = {
    "below": "below the range",
    "within": "within the range",
    "above": "above the range",
}
METHOD = (
    "Comparable studies are the pool's studies of the same size band (under 50, 50 to 199, "
    "200 to 999, 1,000 or more people) and the same field when at least five are, else of "
    "the same size band when at least five are, else all of them; this study's own entry is "
    "left out. A figure's percentile is the share of comparable studies below it plus half "
    "the share equal to it (Hazen's; scipy's percentileofscore with kind 'mean'), and its "
    "range runs from their 10th to their 90th percentile by the same rule, its ends within "
    "it. Figures are compared at the pool's three significant figures. Where fewer than five "
    "comparable studies have a figure, no percentile is given."
)


# -- one study's entry ----------------------------------------------------------------------


def field_key(text: str) -> str:
    """A one-way key of a study's field: equal for the same words whatever their case and
    spacing, and the words themselves never leave the study ("" for no field).

    >>> field_key("Secondary  education") == field_key("secondary education")
    True
    """
    words = " ".join(str(text or "").lower().split())
    return hashlib.sha256(words.encode()).hexdigest()[:16] if words else ""


def size_band(people: int) -> str:
    """The size band's code for a study of ``people`` (:data:`SIZE_BANDS`)."""
    for code, low, high, _words in SIZE_BANDS:
        if people >= low and (high is None or people < high):
            return code
    raise ValueError(f"no size band for {people} people")


def size_words(code: str) -> str:
    return next(words for band, _l, _h, words in SIZE_BANDS if band == code)


def study_key(result: Mapping) -> str:
    """The entry's key, a one-way hash of the inputs' fingerprint: a study finds its own entry
    to leave it out, and nothing else can be read from it."""
    fingerprint = str(result.get("inputs", {}).get("fingerprint") or "")
    return hashlib.sha256(f"placelab-reference:{fingerprint}".encode()).hexdigest()[:16]


def study_aggregates(result: Mapping, *, field: str = "", key: str | None = None) -> dict:
    """One study's anonymised entry for the pool, from a stored result (``Study.to_dict()``).

    ``field`` is the study's field in words, stored only as :func:`field_key`; ``key`` is the
    entry's key (by default :func:`study_key`).
    """
    return {
        "key": key or study_key(result),
        "field": field_key(field),
        "size_band": size_band(int(result["inputs"]["people"])),
        **rounded(_figures(result)),
    }


def _figures(result: Mapping) -> dict:
    inputs = result["inputs"]
    people = int(inputs["people"])
    sectors = {str(p["id"]): _sector_kind(p.get("sector")) for p in result.get("people", [])}
    return {
        "response_rate": int(inputs["respondents"]) / people if people else None,
        "networks": {
            name: _network_figures(network, sectors, people)
            for name, network in result["networks"].items()
            if name in NETWORKS or name == ALL  # a study's own network's name is free text
        },
    }


def _network_figures(network: Mapping, sectors: Mapping[str, str], people: int) -> dict:
    return {
        **{figure: _number(network.get(figure)) for figure in NETWORK_FIGURES},
        "ei_index": {
            "sector": _group_ei(network.get("mixing", {}).get("sector", {}), _sector_kind, people),
            "layer": _group_ei(network.get("mixing", {}).get("layer", {}), _layer_kind, people),
        },
        "key_connector_share": {"sector": _connector_shares(network, sectors, people)},
    }


def _sector_kind(sector: Any) -> str:
    return sector if sector in SECTOR_KINDS else "other"


def _layer_kind(layer: Any) -> str:
    return layer if layer in LAYER_KINDS else UNKNOWN


def _group_ei(mixing: Mapping, kind_of, people: int) -> dict[str, float | None]:
    """Krackhardt and Stern's E-I index of each kind of group, recounted from the tie matrix
    so that groups merged into one kind count their ties to each other as internal; only
    kinds shown under the disclosure rule (five people or more, with complementary hiding)."""
    sizes: dict[str, int] = {}
    for group in mixing.get("groups", []):
        kind = kind_of(group["group"])
        sizes[kind] = sizes.get(kind, 0) + int(group["people"])
    internal: dict[str, int] = dict.fromkeys(sizes, 0)
    external: dict[str, int] = dict.fromkeys(sizes, 0)
    for source, row in mixing.get("ties", {}).items():
        for target, count in row.items():
            a, b = kind_of(source), kind_of(target)
            if a == b:
                internal[a] = internal.get(a, 0) + int(count)
            else:
                external[a] = external.get(a, 0) + int(count)
                external[b] = external.get(b, 0) + int(count)
    return {
        kind: _ratio(external[kind] - internal[kind], external[kind] + internal[kind])
        for kind in sorted(shown_groups(sizes, people, min_group=MIN_GROUP))
    }


def _connector_shares(network: Mapping, sectors: Mapping[str, str], people: int) -> dict:
    """Of the network's key connectors (any role), the share in each kind of sector shown."""
    connectors = {str(p) for ids in network.get("key_connectors", {}).values() for p in ids}
    sizes: dict[str, int] = {}
    for kind in sectors.values():
        sizes[kind] = sizes.get(kind, 0) + 1
    shown = shown_groups(sizes, people, min_group=MIN_GROUP)
    return {
        kind: _ratio(sum(sectors.get(p) == kind for p in connectors), len(connectors))
        for kind in sorted(shown)
    }


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def rounded(value: Any) -> Any:
    """``value`` (a number, or a dict of them) to the pool's three significant figures: a
    study is read against the pool like for like, its figures rounded as the entries are."""
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT}g}")
    return value


# -- reading a study against the pool -------------------------------------------------------


def comparable(
    pool: Mapping, *, people: int, field: str = "", exclude: Iterable[str] = ()
) -> tuple[list[dict], str]:
    """The pool's entries a study of ``people`` in ``field`` is read against, and in words
    which they are: same size band and field when at least MIN_STUDIES are, else same size
    band when at least MIN_STUDIES are, else all. Entries keyed in ``exclude`` are left out.
    The words follow "comparable studies": "of 50 to 199 people in the same field"."""
    left_out = set(exclude)
    others = [e for e in pool["entries"] if e["key"] not in left_out]
    band = size_band(people)
    same_band = [e for e in others if e["size_band"] == band]
    key = field_key(field)
    same_field = [e for e in same_band if key and e["field"] == key]
    size = size_words(band)
    if len(same_field) >= MIN_STUDIES:
        return same_field, f"of {size} in the same field"
    why = "fewer than five share this study's field" if key else "the study gave no field"
    if len(same_band) >= MIN_STUDIES:
        return same_band, f"of {size}, since {why}"
    return others, f"of every size, since fewer than five have {size}"


def percentile(value: float, values: Sequence[float]) -> float:
    """Hazen's percentile of ``value`` among ``values``: the share below it plus half the
    share equal to it, times 100 (scipy.stats.percentileofscore with kind="mean").

    >>> percentile(0.03, [0.01, 0.02, 0.03, 0.04, 0.05])
    50.0
    """
    below = sum(v < value for v in values)
    equal = sum(v == value for v in values)
    return 100.0 * (below + 0.5 * equal) / len(values)


def ordinal(value: float) -> str:
    """A percentile in words, to the whole number: "1st", "42nd", "100th".

    >>> ordinal(12.5), ordinal(22.0), ordinal(50.0)
    ('13th', '22nd', '50th')
    """
    n = int(math.floor(value + 0.5))  # half up, as readers round
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percentile_words(value: float, studies: int) -> str:
    """Where a percentile puts a study among ``studies`` others, in words.

    >>> percentile_words(0.0, 5), percentile_words(50.0, 5), percentile_words(100.0, 6)
    ('lower than all 5', 'at the 50th percentile', 'higher than all 6')
    """
    if value <= 0:
        return f"lower than all {studies}"
    if value >= 100:
        return f"higher than all {studies}"
    return f"at the {ordinal(value)} percentile"


def reference_range(values: Sequence[float]) -> tuple[float, float]:
    """The 10th to 90th percentile of ``values`` by Hazen's plotting position (the k-th of n
    sorted values sits at 100 (k - 0.5) / n; between them, linear; beyond, the extremes).

    >>> reference_range([0.01, 0.02, 0.03, 0.04, 0.05])
    (0.01, 0.05)
    """
    low, high = np.percentile(np.asarray(values, dtype=float), RANGE, method="hazen")
    # Four significant figures: the pool's three, and a half-way point between two of them.
    return float(f"{low:.4g}"), float(f"{high:.4g}")


def band(value: float, low: float, high: float) -> str:
    """``below``, ``within`` or ``above`` the range (its ends are within)."""
    return "below" if value < low else "above" if value > high else "within"


def standing(
    result: Mapping, pool: Mapping, *, field: str = "", exclude: Iterable[str] | None = None
) -> dict:
    """Where each of a study's figures falls among comparable studies of ``pool``.

    The study's own entry (:func:`study_key`) is left out unless ``exclude`` says otherwise.
    Each figure gives its value, how many comparable studies have it, and, when at least
    MIN_STUDIES do, its percentile, the range and the band.
    """
    people = int(result["inputs"]["people"])
    exclude = [study_key(result)] if exclude is None else list(exclude)
    entries, basis = comparable(pool, people=people, field=field, exclude=exclude)
    own = rounded(_figures(result))
    found = {
        "pool": {k: pool.get(k) for k in ("source", "date", "studies")},
        "basis": basis,
        "comparable": len(entries),
        "min_studies": MIN_STUDIES,
        "enough": len(entries) >= MIN_STUDIES,
        "note": "" if len(entries) >= MIN_STUDIES else too_few(len(entries)),
        "method": METHOD,
        "response_rate": _standing(own["response_rate"], [e.get("response_rate") for e in entries]),
        "networks": {
            name: _nested(figures, [e["networks"].get(name) or {} for e in entries])
            for name, figures in own["networks"].items()
        },
    }
    return found


def too_few(count: int) -> str:
    return (
        f"Fewer than {MIN_STUDIES} other comparable studies share their figures yet "
        f"({count} {'does' if count == 1 else 'do'}), so no percentile is given."
    )


def _nested(own: Mapping, others: Sequence[Mapping]) -> dict:
    return {
        key: _nested(value, [o.get(key) or {} for o in others])
        if isinstance(value, Mapping)
        else _standing(value, [o.get(key) for o in others])
        for key, value in own.items()
    }


def _standing(value: float | None, values: Iterable[Any]) -> dict:
    known = [float(v) for v in values if v is not None]
    found: dict[str, Any] = {"value": value, "studies": len(known)}
    found.update(percentile=None, band=None, range=None)
    if value is None or len(known) < MIN_STUDIES:
        return found
    low, high = reference_range(known)
    found.update(
        percentile=percentile(value, known), band=band(value, low, high), range=[low, high]
    )
    return found


def density_values(
    pool: Mapping, *, people: int, field: str = "", exclude: Iterable[str] = ()
) -> tuple[dict[str, tuple[float, ...]], str]:
    """Each network's density in the comparable studies, where at least MIN_STUDIES give one,
    and the words saying which studies of which pool they are."""
    entries, basis = comparable(pool, people=people, field=field, exclude=exclude)
    values: dict[str, tuple[float, ...]] = {}
    for name in NETWORKS:  # the flag reads each network; "all" is their union
        known = [e["networks"].get(name, {}).get("density") for e in entries]
        known = [float(v) for v in known if v is not None]
        if len(known) >= MIN_STUDIES:
            values[name] = tuple(known)
    words = (
        f"the 10th to 90th percentile of {len(entries)} comparable studies {basis}, in the "
        f"reference pool of {pool.get('source')} dated {pool.get('date')}"
    )
    return values, words


def density_ranges(
    pool: Mapping, *, people: int, field: str = "", exclude: Iterable[str] = ()
) -> tuple[dict[str, tuple[float, float]], str] | None:
    """Each network's density range from the pool, as a ranges file gives them, and where they
    come from in words; None when fewer than MIN_STUDIES comparable studies give any."""
    values, words = density_values(pool, people=people, field=field, exclude=exclude)
    if not values:
        return None
    return {name: reference_range(known) for name, known in values.items()}, words


def pool_rules(pool: Mapping, data: StudyData, *, field: str = "") -> FindingRules:
    """The finding rules a pool gives the study of ``data`` (``placelab analyze --reference``
    and the web alike): its comparable studies' density ranges, the study's own entry (the
    entry of these very inputs) left out; the defaults when too few studies are comparable."""
    from placelab.core.networks.findings import FindingRules  # findings imports this module

    own = study_key({"inputs": {"fingerprint": data.fingerprint()}})
    return FindingRules(**density_rules(pool, people=len(data.people), field=field, exclude=[own]))


def density_rules(
    pool: Mapping, *, people: int, field: str = "", exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """The density keywords of ``FindingRules`` from a pool: the ranges, their source, and the
    comparable studies' densities (so the finding gives the study's percentile). Empty when
    the pool has too few comparable studies."""
    values, words = density_values(pool, people=people, field=field, exclude=exclude)
    if not values:
        return {}
    ranges = {name: reference_range(known) for name, known in values.items()}
    return {"density_ranges": ranges, "density_source": words, "density_values": values}
