"""What the export tests share: the input's ties read without placelab, and what each exported
person must carry, compared with what a reader got back."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter

import pytest
from small_study import SMALL_TIES


def small_study_ties(*, roster: set[str]) -> dict[str, list[list]]:
    """SMALL_TIES read independently of placelab: each network's ties between roster people."""
    ties: dict[str, list[list]] = {}
    for row in csv.DictReader(io.StringIO(SMALL_TIES)):
        if row["target"] in roster:
            weight = float(row["weight"] or 1)
            ties.setdefault(row["network"], []).append([row["source"], row["target"], weight])
    return ties


def same(got: object, expected: object) -> bool:
    """Equal, floats within 1e-9; a missing value reads back as None, NaN or nothing."""
    if expected is None:
        return got is None or got == "" or (isinstance(got, float) and math.isnan(got))
    if isinstance(expected, bool):
        return got == expected
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return got is not None and got == pytest.approx(expected, rel=1e-9, abs=1e-12)
    return got == expected


def expected_node(result: dict, person: dict) -> dict[str, object]:
    """Every attribute the graph files promise for ``person``, by its name in the files."""
    drawn = "all" if "all" in result["networks"] else next(iter(result["networks"]))
    x, y = result["layout"]["positions"][person["id"]]
    expected: dict[str, object] = {k: v for k, v in person.items() if k not in ("id", "networks")}
    expected |= {
        "core_group": person["id"] in result["core_group"]["members"],
        "x": x, "y": result["layout"]["height"] - y,
        "roles": ",".join(person["networks"][drawn]["roles"]),
        "primary_role": person["networks"][drawn]["primary_role"] or "",
        "community": person["networks"][drawn]["community"],
    }  # fmt: skip
    for network, measures in person["networks"].items():
        for name, value in measures.items():
            if name == "brokerage":
                expected |= {f"{network}_brokerage_{r}": n for r, n in value.items()}
            elif name in ("roles", "borderline"):
                expected[f"{network}_{name}"] = ",".join(value)
            elif name == "primary_role":
                expected[f"{network}_primary_role"] = value or ""
            else:
                expected[f"{network}_{name}"] = value
    return expected


def mismatches(result: dict, nodes: dict[str, dict]) -> list[str]:
    """Each attribute of each person whose value read back differs from the result's."""
    wrong = []
    for person in result["people"]:
        got = nodes[person["id"]]
        for name, value in expected_node(result, person).items():
            if not same(got.get(name), value):
                wrong.append(f"{person['id']} {name}: {got.get(name)!r} != {value!r}")
    return wrong


def tie_counts(result: dict) -> Counter:
    return Counter({network: len(ties) for network, ties in result["ties"].items()})


def tie_set(result: dict) -> Counter:
    return Counter(
        (source, target, network, float(weight))
        for network, ties in result["ties"].items()
        for source, target, weight in ties
    )
