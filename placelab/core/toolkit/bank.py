"""The item bank: the self-assessment's statements, grouped into scales and groups, versioned.

The bank ships as JSON beside the code (``data/item_bank/<version>.json``). Every statement is
placelab's own wording and cites the seed passage it rests on (:mod:`.citations`). A study may
switch groups off (:meth:`ItemBank.without_groups`) and add its own items and scales
(:meth:`ItemBank.with_items`, :func:`read_study_items`); :meth:`ItemBank.to_dict` is what a
survey renders.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from placelab.core.citations import DOCUMENTS, citation
from placelab.core.errors import InputError

FORMAT = "placelab-item-bank/1"
STUDY_GROUP = "study"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Item:
    """One statement answered on the agreement scale; ``reverse`` items are scored 6 - answer."""

    id: str
    scale: str
    text: str
    reverse: bool = False
    about: str | None = None  # "providers" or "community" for PASCAL's conditions
    seed: dict[str, Any] | None = None  # None only for items a study adds


@dataclass(frozen=True)
class Scale:
    id: str
    group: str
    title: str
    seed: dict[str, Any] | None = None


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class ItemBank:
    """A version of the bank, as a study uses it (some groups off, its own items added)."""

    version: str
    answer_scale: dict[str, Any]
    groups: tuple[Group, ...]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    excluded_groups: tuple[str, ...] = ()
    added_items: tuple[str, ...] = ()
    _switched_off: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def scale_items(self, scale: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scale == scale)

    def has_scale(self, scale: str) -> bool:
        return any(item.scale == scale for item in self.items)

    def group_of(self, scale: str) -> str:
        return next(s.group for s in self.scales if s.id == scale)

    def switched_off(self, item_id: str) -> bool:
        """True for an item of the shipped bank whose group this study switched off."""
        return item_id in self._switched_off

    def without_groups(self, groups: list[str] | tuple[str, ...]) -> ItemBank:
        """The bank with whole groups switched off (their scales are then not scored)."""
        known = {g.id for g in self.groups}
        unknown = [g for g in groups if g not in known]
        if unknown:
            raise InputError(
                f"unknown item group {unknown[0]!r}", expected="one of " + ", ".join(sorted(known))
            )
        drop = set(groups)
        scales = tuple(s for s in self.scales if s.group not in drop)
        kept = {s.id for s in scales}
        items = tuple(i for i in self.items if i.scale in kept)
        off = frozenset(i.id for i in self.items if i.scale not in kept)
        return replace(
            self,
            groups=tuple(g for g in self.groups if g.id not in drop),
            scales=scales,
            items=items,
            excluded_groups=(*self.excluded_groups, *groups),
            _switched_off=self._switched_off | off,
        )

    def asking(self, item_ids: list[str] | tuple[str, ...]) -> ItemBank:
        """The bank as one respondent is asked it: only ``item_ids``, and only the scales and
        groups that still have a statement (a planned-missingness draw, :mod:`.planned`)."""
        wanted = set(item_ids)
        items = tuple(i for i in self.items if i.id in wanted)
        kept = {i.scale for i in items}
        scales = tuple(s for s in self.scales if s.id in kept)
        groups = {s.group for s in scales}
        return replace(
            self, items=items, scales=scales, groups=tuple(g for g in self.groups if g.id in groups)
        )

    def with_items(self, spec: dict[str, Any], *, file: str | None = None) -> ItemBank:
        """The bank with a study's own groups, scales and items added (see :func:`read_study_items`)."""
        groups, scales, items = _study_content(spec, self, file)
        return replace(
            self,
            groups=(*self.groups, *groups),
            scales=(*self.scales, *scales),
            items=(*self.items, *items),
            added_items=(*self.added_items, *(i.id for i in items)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The bank as plain data for a survey to render: groups, scales and items, each cited."""
        return {
            "format": FORMAT,
            "version": self.version,
            "answer_scale": self.answer_scale,
            "documents": DOCUMENTS,
            "excluded_groups": list(self.excluded_groups),
            "added_items": list(self.added_items),
            "groups": [vars(g) for g in self.groups],
            "scales": [vars(s) for s in self.scales],
            "items": [vars(i) for i in self.items],
        }


def bank_versions() -> tuple[str, ...]:
    """The versions of the bank that ship with placelab, oldest first."""
    folder = resources.files("placelab.core.toolkit") / "data" / "item_bank"
    names = [p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json")]
    return tuple(sorted(names, key=lambda v: (len(v), v)))


def load_bank(version: str | None = None) -> ItemBank:
    """Load a shipped version of the bank (the newest unless ``version`` is given)."""
    versions = bank_versions()
    chosen = version or versions[-1]
    if chosen not in versions:
        raise InputError(
            f"unknown item bank version {chosen!r}", expected="one of " + ", ".join(versions)
        )
    path = resources.files("placelab.core.toolkit") / "data" / "item_bank" / f"{chosen}.json"
    return bank_from_dict(json.loads(path.read_text(encoding="utf-8")))


def bank_version_for(items: set[str] | frozenset[str]) -> str:
    """The newest shipped version whose statements include every shipped statement in ``items``.

    Answers given to an older version keep it: a file that answers ``latent_slow`` (version 1
    only) is read with version 1, not rejected by version 2. Ids no shipped version has (a
    study's own items) do not decide; if no version fits, the newest is returned and reading the
    answers names the first unknown item.
    """
    versions = bank_versions()
    ids = {v: set(load_bank(v).item_ids) for v in versions}
    shipped = set().union(*ids.values()) & set(items)
    return next((v for v in reversed(versions) if shipped <= ids[v]), versions[-1])


def bank_from_dict(data: dict[str, Any]) -> ItemBank:
    """Build a bank from its JSON form, expanding each citation."""
    return ItemBank(
        version=str(data["version"]),
        answer_scale=data["answer_scale"],
        groups=tuple(Group(g["id"], g["title"], g.get("intro", "")) for g in data["groups"]),
        scales=tuple(
            Scale(s["id"], s["group"], s["title"], citation(s["seed"])) for s in data["scales"]
        ),
        items=tuple(
            Item(
                id=i["id"],
                scale=i["scale"],
                text=i["text"],
                reverse=bool(i.get("reverse", False)),
                about=i.get("about"),
                seed=citation(i["seed"]),
            )
            for i in data["items"]
        ),
    )


def read_study_items(path: str | Path) -> dict[str, Any]:
    """Read a study's own items: ``{"groups": [...], "scales": [...], "items": [...]}``.

    Each item needs ``id``, ``scale`` and ``text`` (``reverse`` optional); a new scale needs
    ``id`` and ``title`` (``group`` defaults to ``"study"``). Pass the result to
    :meth:`ItemBank.with_items`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"not a readable JSON file: {error}", file=str(path)) from None
    if not isinstance(spec, dict) or not isinstance(spec.get("items"), list):
        raise InputError(
            "no list of items", file=str(path), expected='{"items": [{"id", "scale", "text"}]}'
        )
    return spec


def _study_content(
    spec: dict[str, Any], bank: ItemBank, file: str | None
) -> tuple[list[Group], list[Scale], list[Item]]:
    groups = [
        Group(_text(g, "id", f"groups[{n}]", file), _text(g, "title", f"groups[{n}]", file))
        for n, g in enumerate(spec.get("groups", []))
    ]
    group_ids = {g.id for g in bank.groups} | {g.id for g in groups} | {STUDY_GROUP}
    scales = [_study_scale(s, n, group_ids, file) for n, s in enumerate(spec.get("scales", []))]
    if any(s.group == STUDY_GROUP for s in scales) and STUDY_GROUP not in {g.id for g in groups}:
        groups.append(Group(STUDY_GROUP, "Questions added by this study"))
    scale_ids = {s.id for s in bank.scales} | {s.id for s in scales}
    # An item may not take a scale's id: means of both are looked up by id.
    taken = set(bank.item_ids) | set(bank._switched_off) | scale_ids
    items = []
    for n, raw in enumerate(spec["items"]):
        item = _study_item(raw, n, scale_ids, taken, file)
        taken.add(item.id)
        items.append(item)
    return groups, scales, items


def _study_scale(raw: Any, n: int, groups: set[str], file: str | None) -> Scale:
    where = f"scales[{n}]"
    scale = Scale(
        _id(raw, where, file), raw.get("group", STUDY_GROUP), _text(raw, "title", where, file)
    )
    if scale.group not in groups:
        raise InputError(
            f"unknown group {scale.group!r}", file=file, column=f"{where}.group",
            expected="a group of the bank, one defined in 'groups', or 'study'",
        )  # fmt: skip
    return scale


def _study_item(raw: Any, n: int, scales: set[str], taken: set[str], file: str | None) -> Item:
    where = f"items[{n}]"
    item_id = _id(raw, where, file)
    if item_id in taken:
        raise InputError(
            f"item id {item_id!r} is already used", file=file, column=f"{where}.id",
            expected="a new id for each item",
        )  # fmt: skip
    scale = _text(raw, "scale", where, file)
    if scale not in scales:
        raise InputError(
            f"unknown scale {scale!r}", file=file, column=f"{where}.scale",
            expected="a scale of the bank or one defined in 'scales'",
        )  # fmt: skip
    reverse = raw.get("reverse", False)
    if not isinstance(reverse, bool):
        raise InputError("reverse must be true or false", file=file, column=f"{where}.reverse")
    return Item(item_id, scale, _text(raw, "text", where, file), reverse)


def _id(raw: Any, where: str, file: str | None) -> str:
    value = _text(raw, "id", where, file)
    if not ID_PATTERN.match(value):
        raise InputError(
            f"id {value!r} is not a plain name", file=file, column=f"{where}.id",
            expected="lower-case letters, digits and underscores, starting with a letter",
        )  # fmt: skip
    return value


def _text(raw: Any, key: str, where: str, file: str | None) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"the {key} is missing or blank", file=file, column=f"{where}.{key}")
    return value.strip()
