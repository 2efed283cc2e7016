"""A method chooser: the ways of supporting innovation the report names, scored against the four
factors it says should decide between them (2.5): urgency of change, capital intensity of the
service, power of the professions, and the level of knowledge and evidence.

This is a heuristic, and says so in its output. The report gives no scores; the fit of each
option to each factor (``data/methods.json``) is placelab's reading. The scoring:

- a factor's level is on the 1-5 scale: the mean of its context scale in the survey, or a value
  the study gives; it reads "high" from the agree band (3.5), "low" below the disagree band
  (2.5) and "middling" between, judged as printed to one decimal; it is centred as
  ``(level - 3) / 2`` (-1 low, +1 high);
- an option's fit to a factor runs from -1 (suits a low level) to +1 (suits a high level), with
  one reason for a high level and one for a low, each arguing the way its sign says;
- an option's score is the sum over factors of ``weight x fit x centred level``, so an option
  gains where the place is as the option likes it and loses where it is the opposite; a
  middling factor adds nothing either way;
- every non-zero term is reported with the reason for its level, marked + or - by the sign of
  the term; a factor with no level adds nothing and is listed as unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from placelab.core.citations import citation
from placelab.core.errors import InputError
from placelab.core.precision import shown
from placelab.core.toolkit.guidance import load_guidance


@dataclass(frozen=True)
class Option:
    id: str
    kind: str  # "method" or "finance"
    name: str
    summary: str
    fit: dict[str, tuple[float, str, str]]  # factor -> (fit -1 to +1, if high, if low)
    seed: dict[str, Any]


@dataclass(frozen=True)
class MethodChooser:
    version: str
    note: str
    factors: tuple[dict[str, Any], ...]
    default_weights: dict[str, float]
    options: tuple[Option, ...]
    seed: dict[str, Any]


@cache
def load_methods() -> MethodChooser:
    """The shipped methods, kinds of finance and their fit to the four factors."""
    path = resources.files("placelab.core.toolkit") / "data" / "methods.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return MethodChooser(
        version=str(data["version"]),
        note=data["note"],
        factors=tuple({**f, "seed": citation(f["seed"])} for f in data["factors"]),
        default_weights={k: float(v) for k, v in data["default_weights"].items()},
        options=tuple(
            Option(
                o["id"],
                o["kind"],
                o["name"],
                o["summary"],
                {f: (float(v[0]), str(v[1]), str(v[2])) for f, v in o["fit"].items()},
                citation(o["seed"]),
            )
            for o in data["options"]
        ),  # fmt: skip
        seed=citation(data["seed"]),
    )


def choose_methods(
    means: dict[str, float | None],
    *,
    context: dict[str, float] | None = None,
    weights: dict[str, float] | None = None,
    chooser: MethodChooser | None = None,
) -> dict:
    """Rank every method and kind of finance for this place, with the reasoning behind each."""
    chooser = chooser or load_methods()
    weights = _weights(chooser, weights)
    factors = [_factor(f, means, context or {}) for f in chooser.factors]
    ranked = sorted(
        (_score(option, factors, weights) for option in chooser.options),
        key=lambda r: (-r["score"], r["name"]),
    )
    return {
        "heuristic": True,
        "note": chooser.note,
        "version": chooser.version,
        "weights": weights,
        "factors": factors,
        "methods": [r for r in ranked if r["kind"] == "method"],
        "finance": [r for r in ranked if r["kind"] == "finance"],
        "seed": chooser.seed,
    }


def _weights(chooser: MethodChooser, given: dict[str, float] | None) -> dict[str, float]:
    weights = dict(chooser.default_weights)
    for name, value in (given or {}).items():
        if name not in weights:
            raise InputError(
                f"unknown factor {name!r} in the method weights",
                expected="one of " + ", ".join(weights),
            )
        weights[name] = float(value)
    return weights


def _factor(spec: dict[str, Any], means: dict[str, float | None], context: dict) -> dict:
    given = context.get(spec["id"])
    if given is not None and not 1 <= float(given) <= 5:
        raise InputError(
            f"the {spec['id']} level {given} is off the scale", expected="a number from 1 to 5"
        )
    level = float(given) if given is not None else means.get(spec["scale"])
    centred = None if level is None else (level - 3) / 2
    band = None if level is None else _band(level)
    reading = None if band is None else "middling" if band == "middling" else spec[band]
    return {
        "id": spec["id"],
        "label": spec["label"],
        "level": level,
        "centred": centred,
        "band": band,
        "source": "given" if given is not None else "survey" if level is not None else "unknown",
        "reading": reading,
        "seed": spec["seed"],
    }


def _band(level: float) -> str:
    some, strong = load_guidance().bands
    value = shown(level)
    return "high" if value >= strong else "low" if value < some else "middling"


def _score(option: Option, factors: list[dict], weights: dict[str, float]) -> dict:
    reasons = []
    for factor in factors:
        band = factor["band"]
        if factor["id"] not in option.fit or band in (None, "middling"):
            continue
        fit, if_high, if_low = option.fit[factor["id"]]
        contribution = weights[factor["id"]] * fit * factor["centred"]
        if contribution == 0:
            continue
        why = if_high if band == "high" else if_low
        reasons.append(
            {
                "factor": factor["id"],
                "fit": fit,
                "level": factor["level"],
                "band": band,
                "weight": weights[factor["id"]],
                "contribution": contribution,
                "text": f"{'+' if contribution > 0 else '-'} {factor['reading']}: {why}",
            }
        )
    reasons.sort(key=lambda r: -abs(r["contribution"]))
    return {
        "id": option.id,
        "kind": option.kind,
        "name": option.name,
        "summary": option.summary,
        "score": sum(r["contribution"] for r in reasons),
        "reasons": reasons,
        "seed": option.seed,
    }
