"""The toolkit's guidance, loaded from ``data/guidance.json``: phases, the triangle's needs by
phase (Table B2), pitfalls and progression (Table A2), Step Three's questions, and what the
critical factors and PASCAL's conditions mean for action. Every entry carries its citation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from placelab.core.citations import citation
from placelab.core.precision import shown


@dataclass(frozen=True)
class Phase:
    id: int
    key: str
    name: str
    summary: str
    seed: dict[str, Any]

    @property
    def scale(self) -> str:
        return f"phase_{self.id}"


@dataclass(frozen=True)
class TriangleNeed:
    """What one phase asks of each corner and link: a band ("some" or "strong"), or nothing."""

    phase: int
    corners: dict[str, str]
    links: dict[str, str]
    reading: str
    failure_corners: tuple[str, ...]
    failure_links: tuple[str, ...]
    failure_reading: str | None
    failure_seed: dict[str, Any] | None
    isolated_reading: str | None
    isolated_seed: dict[str, Any] | None
    seed: dict[str, Any]
    paths: bool = True  # False where Table B2 draws no success or failure path (phase 0)


@dataclass(frozen=True)
class Pitfall:
    id: str
    phase: int
    text: str
    question: str
    signals: tuple[dict[str, Any], ...]  # {"scale" or "item": id, "below": score}
    network_signals: tuple[str, ...]  # prefixes of network finding ids
    seed: dict[str, Any]


@dataclass(frozen=True)
class Step:
    """A progression condition or a Step Three question, for one phase."""

    phase: int
    text: str
    seed: dict[str, Any]


@dataclass(frozen=True)
class Guidance:
    version: str
    bands: tuple[float, float]  # (some, strong) on the 1-5 scale
    phases: tuple[Phase, ...]
    corners: dict[str, dict[str, Any]]
    links: dict[str, dict[str, Any]]
    cycle_seed: dict[str, Any]
    needs: dict[int, TriangleNeed]
    pitfalls: tuple[Pitfall, ...]
    progression: dict[int, tuple[int | None, tuple[Step, ...]]]
    questions: tuple[Step, ...]
    factors: tuple[dict[str, Any], ...]
    omr: dict[str, Any]

    def phase(self, phase_id: int) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def band(self, score: float | None) -> str | None:
        """The band of a mean score on the 1-5 scale: "absent", "some", "strong", or None.

        Judged on the score as printed (one decimal), so "2.5" is never called absent.
        """
        if score is None:
            return None
        score = shown(score)
        some, strong = self.bands
        return "strong" if score >= strong else "some" if score >= some else "absent"

    def threshold(self, band: str) -> float:
        return self.bands[0] if band == "some" else self.bands[1]


@cache
def load_guidance() -> Guidance:
    """The shipped guidance (read once)."""
    path = resources.files("placelab.core.toolkit") / "data" / "guidance.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    triangle = data["triangle"]
    return Guidance(
        version=str(data["version"]),
        bands=(float(data["bands"]["some"]), float(data["bands"]["strong"])),
        phases=tuple(
            Phase(p["id"], p["key"], p["name"], p["summary"], citation(p["seed"]))
            for p in data["phases"]
        ),
        corners=triangle["corners"],
        links=triangle["links"],
        cycle_seed=citation(triangle["cycle_seed"]),
        needs={n["phase"]: _need(n) for n in triangle["needs"]},
        pitfalls=tuple(_pitfall(p) for p in data["pitfalls"]),
        progression={
            p["from"]: (p["to"], tuple(_step(p["from"], c) for c in p["conditions"]))
            for p in data["progression"]
        },
        questions=tuple(_step(q["phase"], q) for q in data["questions"]),
        factors=tuple(_factor(f) for f in data["factors"]),
        omr=data["omr"],
    )


def _need(raw: dict[str, Any]) -> TriangleNeed:
    failure = raw["failure"]
    isolated = raw.get("isolated")
    return TriangleNeed(
        phase=raw["phase"],
        corners=raw["corners"],
        links=raw["links"],
        reading=raw["reading"],
        failure_corners=tuple(failure["corners"]),
        failure_links=tuple(failure["links"]),
        failure_reading=failure.get("reading"),
        failure_seed=citation(failure["seed"]) if "seed" in failure else None,
        isolated_reading=isolated["reading"] if isolated else None,
        isolated_seed=citation(isolated["seed"]) if isolated else None,
        seed=citation(raw["seed"]),
        paths=bool(raw.get("paths", True)),
    )


def _factor(raw: dict[str, Any]) -> dict[str, Any]:
    cited = {k: citation(v) for k, v in raw.items() if k.endswith("seed")}
    return {**raw, **cited}


def _pitfall(raw: dict[str, Any]) -> Pitfall:
    return Pitfall(
        id=raw["id"],
        phase=raw["phase"],
        text=raw["text"],
        question=raw["question"],
        signals=tuple(raw.get("signals", ())),
        network_signals=tuple(raw.get("network_signals", ())),
        seed=citation(raw["seed"]),
    )


def _step(phase: int, raw: dict[str, Any]) -> Step:
    return Step(phase, raw["text"], citation(raw["seed"]))
