"""The result format: real results validate against schema/result.schema.json, and broken ones fail."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import placelab
from placelab.core.demo import generate_locality, write_locality

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT / "schema" / "result.schema.json"
EXAMPLES = ROOT / "examples"
FAST = placelab.Parameters(permutations=99)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def generated_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A small generated locality (40 people, seven networks), through the public API."""
    people, ties = write_locality(
        tmp_path_factory.mktemp("generated"), *generate_locality(people=40, seed=1)
    )
    return _json_round_trip(placelab.load(people, ties, parameters=FAST).to_dict())


def _json_round_trip(result: dict) -> dict:
    """What a reader of ``--json`` sees: the schema describes the file, not Python objects."""
    return json.loads(json.dumps(result, allow_nan=False))


def _errors(validator: Draft202012Validator, result: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(result)]


def test_a_generated_study_validates(validator: Draft202012Validator, generated_result: dict):
    assert _errors(validator, generated_result) == []
    assert generated_result["findings"], "the generated locality should yield findings to check"


def test_the_small_study_with_three_networks_and_an_outsider_validates(
    validator: Draft202012Validator, small_study: tuple[Path, Path]
):
    result = _json_round_trip(placelab.load(*small_study, parameters=FAST).to_dict())
    assert result["outsiders"], "the small study names someone off the roster"
    assert _errors(validator, result) == []


@pytest.mark.skipif(not (EXAMPLES / "people.csv").exists(), reason="no demo locality in examples/")
def test_the_demo_locality_validates(validator: Draft202012Validator):
    study = placelab.load(EXAMPLES / "people.csv", EXAMPLES / "ties.csv", parameters=FAST)
    assert _errors(validator, _json_round_trip(study.to_dict())) == []


def _first_network(result: dict) -> dict:
    return next(iter(result["networks"].values()))


def _some_person_network(result: dict) -> dict:
    return next(iter(result["people"][0]["networks"].values()))


BREAKAGES = {
    "density removed": lambda r: _first_network(r).pop("density"),
    "a role 'boss'": lambda r: _some_person_network(r).update(roles=["hub", "boss"]),
    "a primary role 'boss'": lambda r: _some_person_network(r).update(primary_role="boss"),
    "a key connector list for 'boss'": lambda r: _first_network(r)["key_connectors"].update(
        boss=[]
    ),
    "the E-I index by layer missing": lambda r: _first_network(r)["ei_index"].pop("layer"),
    "a density above 1": lambda r: _first_network(r).update(density=1.5),
    "betweenness missing": lambda r: _some_person_network(r).pop("betweenness"),
    "a correlation as text": lambda r: r["alignment"][0].update(r="0.3"),
    "a severity 'urgent'": lambda r: r["findings"][0].update(severity="urgent"),
    "a finding without its seed lines": lambda r: r["findings"][0]["seed"].pop("lines"),
    "a finding without questions": lambda r: r["findings"][0].pop("questions"),
    "no format": lambda r: r.pop("format"),
    "another format": lambda r: r.update(format="placelab-result/2"),
    "a short fingerprint": lambda r: r["inputs"].update(fingerprint="abc"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_it_rejects_a_broken_result(
    validator: Draft202012Validator, generated_result: dict, breakage: str
):
    broken = copy.deepcopy(generated_result)
    BREAKAGES[breakage](broken)
    assert _errors(validator, broken), f"a result with {breakage} should not validate"


def test_alignment_r_may_be_null_for_a_network_without_ties(
    validator: Draft202012Validator, generated_result: dict
):
    result = copy.deepcopy(generated_result)
    result["alignment"][0]["r"] = None
    assert _errors(validator, result) == []


def _fields(node: dict, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every named field of the schema, with its path, through properties and definitions."""
    for key, sub in node.get("properties", {}).items():
        yield f"{path}.{key}", sub
        yield from _fields(sub, f"{path}.{key}")
    for key, sub in node.get("$defs", {}).items():
        yield from _fields(sub, f"$defs.{key}")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield from _fields(node[key], f"{path}[]")
    for sub in node.get("allOf", []) + node.get("anyOf", []):
        yield from _fields(sub, path)


def test_every_field_says_what_it_means():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    undocumented = [path for path, sub in _fields(schema) if not sub.get("description")]
    assert undocumented == []
