"""Step One: synthetic respondents answering a phase's typical pattern are diagnosed in it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placelab.core.toolkit import diagnose, read_answers
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.toolkit.lifecycle import diagnose_phase

PHASES = ["latent", "design_discover", "mobilisation", "mainstreaming", "embedding"]


@pytest.mark.parametrize("phase", range(5), ids=PHASES)
def test_the_typical_pattern_of_each_phase_is_diagnosed_as_that_phase(
    phase, bank, typical, pattern, write_answers
):
    path = write_answers(typical(bank, pattern(phase), respondents=25, seed=phase))
    life = diagnose(read_answers(path, bank), bank=bank)["lifecycle"]
    assert life["phase"]["id"] == phase
    assert life["runner_up"]["id"] in {phase - 1, phase + 1}  # a neighbour, never a far phase
    assert life["confidence"]["label"] == "high"
    assert life["agreement"] > 0.8


def test_a_place_between_two_phases_is_read_with_less_confidence(bank, typical):
    targets = {"phase_0": 1.5, "phase_1": 3.6, "phase_2": 3.5, "phase_3": 2.0, "phase_4": 1.5}
    scores = _phase_scores(typical(bank, targets, respondents=20, seed=4, noise=0.9))
    life = diagnose_phase(scores, load_guidance(), seed=0)
    assert {life["phase"]["id"], life["runner_up"]["id"]} == {1, 2}
    assert life["confidence"]["label"] in {"low", "moderate"}
    assert life["margin"] < 0.3


def test_the_bootstrap_is_reproducible_with_its_seed(bank, typical):
    scores = _phase_scores(typical(bank, {"phase_1": 3.5, "phase_2": 3.4}, respondents=15, seed=2))
    guidance = load_guidance()
    first, again = (diagnose_phase(scores, guidance, seed=9) for _ in range(2))
    assert first == again
    other = diagnose_phase(scores, guidance, seed=10)
    assert other["phase"] == first["phase"]


def test_each_respondents_own_phase_shares_ties_equally():
    guidance = load_guidance()
    scores = pd.DataFrame(
        {"phase_0": [5, 1, 3], "phase_1": [1, 5, 3], "phase_2": [1, 1, 1],
         "phase_3": [1, 1, 1], "phase_4": [1, 1, np.nan]},
        index=["a", "b", "c"], dtype=float,
    )  # fmt: skip
    life = diagnose_phase(scores, guidance, seed=0)
    shares = [p["share"] for p in life["own_phase"]]
    assert shares == pytest.approx([0.5, 0.5, 0, 0, 0])
    assert life["scores"][4]["respondents"] == 2


def test_the_evidence_for_the_phase_is_its_statements_most_agreed_first(bank, typical, pattern,
                                                                         write_answers):  # fmt: skip
    path = write_answers(typical(bank, pattern(3), respondents=10, seed=8))
    life = diagnose(read_answers(path, bank), bank=bank)["lifecycle"]
    evidence = life["phase"]["evidence"]
    assert {e["item"] for e in evidence} == {i.id for i in bank.scale_items("phase_3")}
    means = [e["mean"] for e in evidence]
    assert means == sorted(means, reverse=True)


def test_no_phase_is_diagnosed_when_the_lifecycle_items_are_switched_off(bank, typical,
                                                                         write_answers):  # fmt: skip
    path = write_answers(typical(bank, {}, respondents=6, seed=1))
    smaller = bank.without_groups(["lifecycle"])
    result = diagnose(read_answers(path, smaller), bank=smaller)
    assert result["lifecycle"] is None and result["next_steps"] is None
    assert result["triangle"]["path"] is None


def _phase_scores(answers: dict[str, dict[str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(answers, orient="index").astype(float)
    return pd.DataFrame(
        {f"phase_{k}": frame[[c for c in frame if c.startswith(_prefix(k))]].mean(axis=1)
         for k in range(5)}
    )  # fmt: skip


def _prefix(phase: int) -> str:
    return ("latent_", "design_", "mobilise_", "mainstream_", "embed_")[phase]
