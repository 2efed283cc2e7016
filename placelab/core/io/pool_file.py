"""The reference pool's file (``placelab-reference-pool/1``): written, read and checked.

``docs/reference-pool.md`` describes it field by field; ``placelab.core.reference`` makes the
entries and reads a study against them. Checking refuses any field the format does not have, so
that nothing but the documented aggregates can travel in a pool, and names the file, the entry
and the field of the first problem.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date as Date
from pathlib import Path
from typing import Any, NoReturn

from placelab.core.errors import InputError
from placelab.core.vocabulary import ALL, LAYERS, NETWORKS, SECTORS, UNKNOWN

POOL_FORMAT = "placelab-reference-pool/1"
# (code, lowest, highest + 1 or None, words): people on the roster.
SIZE_BANDS: tuple[tuple[str, int, int | None, str], ...] = (
    ("under-50", 0, 50, "under 50 people"),
    ("50-199", 50, 200, "50 to 199 people"),
    ("200-999", 200, 1000, "200 to 999 people"),
    ("1000+", 1000, None, "1,000 people or more"),
)
NETWORK_FIGURES = ("density", "reciprocity", "degree_centralisation")
SECTOR_KINDS = SECTORS  # a study's own extra sectors count as "other"
LAYER_KINDS = (*LAYERS, UNKNOWN)
_KEY = re.compile(r"^[0-9a-f]{16}$")


def pool_document(entries: Iterable[Mapping], *, source: str, date: str) -> dict:
    """A pool as its JSON file holds it: format, source, date, count of studies, entries."""
    entries = [dict(e) for e in entries]
    document = {
        "format": POOL_FORMAT,
        "source": source,
        "date": date,
        "studies": len(entries),
        "entries": entries,
    }
    check_pool(document, file="the pool")
    return document


def is_pool(spec: Any) -> bool:
    """Is ``spec`` (a reference file's JSON) a pool, rather than a file of hand-made ranges?"""
    return isinstance(spec, Mapping) and str(spec.get("format", "")).startswith(
        "placelab-reference-pool/"
    )


def read_pool(path: str | Path) -> dict:
    """Read and check a pool file; InputError naming the file, the entry and the field."""
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(f"not JSON: {error}", file=str(path), expected=POOL_FORMAT) from None
    return check_pool(spec, file=str(path))


def check_pool(spec: Any, *, file: str) -> dict:
    """``spec`` if it is a valid pool, else InputError naming ``file``, entry and field."""
    if not isinstance(spec, Mapping):
        raise InputError("not a reference pool", file=file, expected=f"a {POOL_FORMAT} object")
    if spec.get("format") != POOL_FORMAT:
        _fail(file, None, "format", f"format {spec.get('format')!r}", repr(POOL_FORMAT))
    extra = set(spec) - {"format", "source", "date", "studies", "entries"}
    if extra:
        _fail(file, None, sorted(extra)[0], "a field the pool format does not have", "none")
    if not isinstance(spec.get("source"), str) or not spec["source"].strip():
        _fail(file, None, "source", "no source", "who made the pool, in words")
    _check_date(spec.get("date"), file)
    entries = spec.get("entries")
    if not isinstance(entries, list):
        _fail(file, None, "entries", "no list of entries", "a list of studies' aggregates")
    if spec.get("studies") != len(entries) or isinstance(spec.get("studies"), bool):
        _fail(file, None, "studies", f"{spec.get('studies')!r}", f"{len(entries)}, the entries")
    for number, entry in enumerate(entries, start=1):
        _check_entry(entry, file, f"entry {number}")
    return dict(spec)


def _check_date(value: Any, file: str) -> None:
    try:
        Date.fromisoformat(value)
    except (TypeError, ValueError):
        _fail(file, None, "date", f"{value!r}", "a date as YYYY-MM-DD")


def _check_entry(entry: Any, file: str, item: str) -> None:
    if not isinstance(entry, Mapping):
        _fail(file, item, None, "not an object", "a study's aggregates")
    extra = set(entry) - {"key", "field", "size_band", "response_rate", "networks"}
    if extra:
        _fail(file, item, sorted(extra)[0], "a field the pool format does not have", "none")
    if not isinstance(entry.get("key"), str) or not _KEY.match(entry["key"]):
        _fail(file, item, "key", f"{entry.get('key')!r}", "16 hexadecimal digits")
    field = entry.get("field")
    if not isinstance(field, str) or (field and not _KEY.match(field)):
        _fail(file, item, "field", f"{field!r}", '16 hexadecimal digits, or ""')
    bands = [band[0] for band in SIZE_BANDS]
    if entry.get("size_band") not in bands:
        _fail(file, item, "size_band", f"{entry.get('size_band')!r}", "one of " + ", ".join(bands))
    _check_number(entry.get("response_rate"), (0, 1), file, item, "response_rate")
    networks = entry.get("networks")
    if not isinstance(networks, Mapping):
        _fail(file, item, "networks", "no networks", "an object of networks' figures")
    for name, figures in networks.items():
        if name not in NETWORKS and name != ALL:
            _fail(file, item, "networks", f"a network {name!r}", "one of " + ", ".join(NETWORKS))
        _check_network(figures, file, item, f"networks.{name}")


def _check_network(figures: Any, file: str, item: str, where: str) -> None:
    if not isinstance(figures, Mapping):
        _fail(file, item, where, "not an object", "the network's figures")
    extra = set(figures) - {*NETWORK_FIGURES, "ei_index", "key_connector_share"}
    if extra:
        _fail(file, item, f"{where}.{sorted(extra)[0]}", "not a figure of the format", "none")
    for figure in NETWORK_FIGURES:
        _check_number(figures.get(figure), (0, 1), file, item, f"{where}.{figure}")
    groups = {"ei_index": ("sector", "layer"), "key_connector_share": ("sector",)}
    for figure, groupings in groups.items():
        value = figures.get(figure, {})
        if not isinstance(value, Mapping) or set(value) - set(groupings):
            _fail(file, item, f"{where}.{figure}", "not groups", " and ".join(groupings))
        low = -1 if figure == "ei_index" else 0
        for grouping, shares in value.items():
            kinds = SECTOR_KINDS if grouping == "sector" else LAYER_KINDS
            _check_groups(shares, kinds, (low, 1), file, item, f"{where}.{figure}.{grouping}")


def _check_groups(
    shares: Any, kinds: Sequence[str], bounds: tuple, file: str, item: str, where: str
) -> None:
    if not isinstance(shares, Mapping):
        _fail(file, item, where, "not an object", "figures by group")
    for kind, value in shares.items():
        if kind not in kinds:
            _fail(file, item, where, f"a group {kind!r}", "one of " + ", ".join(kinds))
        _check_number(value, bounds, file, item, f"{where}.{kind}")


def _check_number(value: Any, bounds: tuple, file: str, item: str, where: str) -> None:
    if value is None:
        return
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not bounds[0] <= value <= bounds[1]:
        _fail(file, item, where, f"{value!r}", f"a number from {bounds[0]} to {bounds[1]}, or null")


def _fail(file: str, item: str | None, where: str | None, found: str, expected: str) -> NoReturn:
    raise InputError(found, file=file, item=item, column=where, expected=expected)
