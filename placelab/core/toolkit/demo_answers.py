"""Seeded self-assessment answers for the demo locality, consistent with its network story.

The demo (:mod:`placelab.core.demo`) is a place early in the cycle: its council and schools form
a close core, the voluntary and community sector and residents sit at the edge. Its answers say
the same thing:

- the place sits between design and discover and mobilisation: senior people, who set aside
  the first resources, lean to mobilisation; frontline staff, the voluntary sector and residents
  lean back towards design and discover or latent;
- authority is strong, organisational capacity stretched, and value not yet visible to the public;
  feedback from value to authority is the weakest link, and good ideas seldom reach leaders;
- there has been a push (underperformance and policy), but outside resources are thin;
- providers have more opportunity and motivation than the community, whose resources are
  scarcest; people far from the community often answer "don't know" about it.

Each respondent's answer to an item is a target mean for their kind of group and seniority, plus
a person-and-scale offset (which makes items of a scale agree, as real scales do), plus item
noise, rounded to the 1-5 scale. Everything is invented.

Run ``python -m placelab.core.toolkit.demo_answers DIR`` to write ``DIR/answers.csv`` for the
respondents of ``DIR/people.csv``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit.bank import ItemBank, load_bank

SEED = 2008
PERSON_SD = 0.65  # person-and-scale offset: what makes a scale's items agree
ITEM_SD = 0.6
SKIP = 0.01

BASE: dict[str, float] = {
    "phase_0": 2.6, "phase_1": 3.7, "phase_2": 3.4, "phase_3": 2.3, "phase_4": 1.8,
    "factor_push": 3.7, "factor_capacity": 3.1, "factor_resources": 2.6,
    "triangle_authority": 3.9, "triangle_capacity": 2.8, "triangle_value": 2.2,
    "link_authority_capacity": 3.2, "link_capacity_value": 2.6, "link_value_authority": 2.2,
    "omr_provider_opportunity": 3.4, "omr_provider_motivation": 3.8,
    "omr_provider_resources": 2.6, "omr_community_opportunity": 2.5,
    "omr_community_motivation": 3.0, "omr_community_resources": 2.1,
    "context_urgency": 3.8, "context_capital": 2.6, "context_professions": 4.0,
    "context_evidence": 2.8,
}  # fmt: skip

# Single statements that part from their scale: good ideas seldom reach those who could back
# them (the thin vertical links of the networks), though authority is otherwise strong.
ITEM_SHIFT: dict[str, float] = {"authority_spots_ideas": -1.3}

# Shifts by seniority and by kind of sector: where people stand shapes what they see.
SENIORITY_SHIFT: dict[str, dict[str, float]] = {
    "senior": {"phase_0": -0.4, "phase_1": -0.1, "phase_2": 0.7, "triangle_authority": 0.3,
               "triangle_capacity": 0.3, "link_authority_capacity": 0.3},
    "frontline": {"phase_0": 0.3, "phase_2": -0.4, "triangle_capacity": -0.3,
                  "link_value_authority": -0.3},
}  # fmt: skip
EDGE_SECTORS = ("voluntary_community", "resident_group")
EDGE_SHIFT: dict[str, float] = {
    "phase_0": 0.6, "phase_2": -0.7, "triangle_authority": -0.6,
    "omr_provider_opportunity": -0.4, "omr_community_resources": -0.3,
    "omr_community_motivation": 0.3,
}  # fmt: skip
# Chance of "don't know": higher on what a person cannot see from where they stand.
DONT_KNOW = {"base": 0.03, "triangle_value": 0.10, "community_far": 0.15, "context": 0.08}


def generate_answers(
    people: pd.DataFrame, bank: ItemBank | None = None, *, seed: int = SEED
) -> pd.DataFrame:
    """Long-format answers (respondent, item, answer) for everyone in ``people`` who responded."""
    bank = bank or load_bank()
    rng = np.random.default_rng(seed)
    respondents = people[people["responded"]]
    rows = []
    for person_id, person in respondents.iterrows():
        offsets = {s.id: rng.normal(0, PERSON_SD) for s in bank.scales}
        for item in bank.items:
            answer = _answer(item, person, offsets[item.scale], bank, rng)
            if answer is not None:
                rows.append((person_id, item.id, answer))
    return pd.DataFrame(rows, columns=["respondent", "item", "answer"])


def _answer(item, person: pd.Series, offset: float, bank: ItemBank, rng) -> str | None:
    if rng.random() < SKIP:
        return None
    if rng.random() < _dont_know(item, person, bank):
        return "dk"
    target = _target(item.scale, person) + ITEM_SHIFT.get(item.id, 0.0)
    target += offset + rng.normal(0, ITEM_SD)
    score = int(np.clip(np.rint(target), 1, 5))
    return str(6 - score if item.reverse else score)


def _target(scale: str, person: pd.Series) -> float:
    value = BASE.get(scale, 3.0)
    value += SENIORITY_SHIFT.get(person["seniority"], {}).get(scale, 0.0)
    if person["sector"] in EDGE_SECTORS:
        value += EDGE_SHIFT.get(scale, 0.0)
    return value


def _dont_know(item, person: pd.Series, bank: ItemBank) -> float:
    if item.about == "community" and person["sector"] not in EDGE_SECTORS:
        return DONT_KNOW["community_far"]
    if item.scale == "triangle_value":
        return DONT_KNOW["triangle_value"]
    if bank.group_of(item.scale) == "method_context":
        return DONT_KNOW["context"]
    return DONT_KNOW["base"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the demo locality's answers.csv.")
    parser.add_argument("folder", help="the folder holding people.csv; answers.csv goes there")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    people = people_from_table(read_table(folder / "people.csv"))
    answers = generate_answers(people, seed=args.seed)
    partial = folder / "answers.csv.partial"
    answers.to_csv(partial, index=False)
    partial.replace(folder / "answers.csv")
    print(f"wrote {len(answers)} answers from {answers['respondent'].nunique()} respondents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
