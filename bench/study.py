"""Synthetic localities as :class:`StudyData`, built straight from the generator's frames.

The benchmark measures the analysis, not file parsing: the generated frames are turned into the
validated shape (people indexed by id with ``responded`` a bool, ties between people on the
roster, no outside ties) directly, without writing or reading any file.
"""

from __future__ import annotations

import pandas as pd

from placelab.core.data import StudyData
from placelab.core.demo import generate_large
from placelab.core.vocabulary import NETWORKS

NAMES_PER_PERSON = 8.0


def make_study(people: int, *, seed: int = 0) -> StudyData:
    """A synthetic locality of ``people`` people, about 8 names per respondent per network."""
    roster, ties = generate_large(people, names_per_person=NAMES_PER_PERSON, seed=seed)
    return study_from_frames(roster, ties)


def study_from_frames(roster: pd.DataFrame, ties: pd.DataFrame) -> StudyData:
    """The StudyData a reader would return for these frames (plain string ids, float weights)."""
    people = roster.assign(
        id=roster["id"].astype(str), responded=roster["responded"].eq("yes")
    ).set_index("id")
    ties = pd.DataFrame(
        {
            "source": ties["source"].astype(str).to_numpy(dtype=object),
            "target": ties["target"].astype(str).to_numpy(dtype=object),
            "network": ties["network"].astype(str).to_numpy(dtype=object),
            "weight": ties["weight"].astype(float).to_numpy(),
        }
    )
    on_roster = ties["target"].isin(people.index)
    present = set(ties["network"].unique())
    return StudyData(
        people=people,
        ties=ties[on_roster].reset_index(drop=True),
        outside_ties=ties[~on_roster].reset_index(drop=True),
        networks=tuple(n for n in NETWORKS if n in present),
    )
