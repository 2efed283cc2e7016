"""Fixtures for the toolkit: synthetic respondents written to real files, and the seed texts."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from placelab.core.toolkit import load_bank
from placelab.core.toolkit.bank import ItemBank

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="session")
def bank() -> ItemBank:
    return load_bank()


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[..., Path]:
    """Write ``{respondent: {item: answer}}`` as a long answers.csv; returns its path."""

    def write(answers: dict[str, dict[str, object]], name: str = "answers.csv") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(["respondent", "item", "answer"])
            for respondent, items in answers.items():
                for item, answer in items.items():
                    out.writerow([respondent, item, answer])
        return path

    return write


def typical_answers(
    bank: ItemBank, targets: dict[str, float], *, respondents: int = 30, seed: int = 1,
    noise: float = 0.7, prefix: str = "r",
) -> dict[str, dict[str, int]]:  # fmt: skip
    """Respondents whose answers centre on ``targets`` (scale -> mean), 3 where none is given.

    Answers are rounded and clipped to 1-5; reverse items are answered the other way round, so
    their scored value centres on the target too.
    """
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, int]] = {}
    for n in range(respondents):
        offsets = {s.id: rng.normal(0, noise / 2) for s in bank.scales}
        answers = {}
        for item in bank.items:
            value = targets.get(item.scale, 3.0) + offsets[item.scale] + rng.normal(0, noise)
            score = int(np.clip(np.rint(value), 1, 5))
            answers[item.id] = 6 - score if item.reverse else score
        out[f"{prefix}{n:03d}"] = answers
    return out


def phase_pattern(phase: int) -> dict[str, float]:
    """The typical pattern of one phase: its statements agreed with, neighbours half, others not."""
    return {f"phase_{k}": {0: 4.5, 1: 3.0}.get(abs(k - phase), 1.5) for k in range(5)}


@pytest.fixture(scope="session")
def typical() -> Callable[..., dict[str, dict[str, int]]]:
    return typical_answers


@pytest.fixture(scope="session")
def pattern() -> Callable[[int], dict[str, float]]:
    return phase_pattern
