"""``plain`` and ``result_text``: the fast path through orjson gives what the walk in Python gives."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import placelab
from placelab.core.demo import generate_locality, write_locality
from placelab.core.io.result_json import _plain_walk, plain, result_text


@pytest.fixture(scope="module")
def raw_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A result as ``result_dict`` builds it, before ``plain``: numpy scalars, NaN, tuples."""
    people, ties = write_locality(
        tmp_path_factory.mktemp("plain"), *generate_locality(people=60, seed=3)
    )
    study = placelab.load(people, ties, parameters=placelab.Parameters(permutations=19))
    analysis = study.networks
    return {
        "measures": analysis.measures.to_dict(orient="records"),
        "summary": analysis.summary.to_dict(orient="index"),
        "alignment": analysis.alignment.to_dict(orient="records"),
        "layout": analysis.layout,
    }


def _same(a, b) -> bool:
    """Equal, with types: 1 and 1.0 and True are told apart, as a JSON reader would."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


def test_a_real_result_comes_out_as_the_walk_makes_it(raw_result):
    fast, walked = plain(raw_result), _plain_walk(raw_result)
    assert _same(fast, walked)
    assert any(v is None for row in fast["measures"] for v in row.values())  # NaN constraint


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": np.float64(0.25), "b": np.int64(3), "c": np.bool_(True)}, {"a": 0.25, "b": 3, "c": True}),
        ({"x": (1, 2.5, "é")}, {"x": [1, 2.5, "é"]}),
        ({"n": float("nan"), "i": -math.inf, "arr": np.array([1.0, np.nan])}, {"n": None, "i": None, "arr": [1.0, None]}),
        ({1: "int key", "d": {np.int64(2): 0.5}}, {"1": "int key", "d": {"2": 0.5}}),  # walked
        ({"f": np.float32(0.5)}, {"f": 0.5}),
    ],
)  # fmt: skip
def test_scalars_keys_and_missing_values(value, expected):
    assert _same(plain(value), expected)


def test_the_json_text_is_strict_and_reads_back_equal(raw_result):
    text = result_text(plain(raw_result))
    assert json.loads(text) == plain(raw_result)
    assert "NaN" not in text and "Infinity" not in text
    assert text.startswith("{\n  ")  # indented, for people opening the file
