"""The validated inputs of one analysis: who is on the roster and who named whom."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

PEOPLE_COLUMNS = ("id", "name", "organisation", "sector", "layer", "seniority", "responded")
TIE_COLUMNS = ("source", "target", "network", "weight")


@dataclass(frozen=True)
class StudyData:
    """A roster and its nominations, checked and ready to analyse.

    ``people`` is indexed by ``id`` in file order, with ``responded`` as a bool and any further
    columns kept as attributes. ``ties`` holds nominations between people on the roster;
    ``outside_ties`` those naming someone who is not on it (kept, listed, and left out of
    roster-based measures). ``networks`` lists the networks in the order they are reported.
    """

    people: pd.DataFrame
    ties: pd.DataFrame
    outside_ties: pd.DataFrame
    networks: tuple[str, ...]
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(c for c in self.people.columns if c not in PEOPLE_COLUMNS)

    def fingerprint(self) -> str:
        """A hash of the inputs, stored with results so a figure can be traced to its data."""
        digest = hashlib.sha256()
        digest.update(self.people.to_csv().encode())
        digest.update(self.ties.to_csv(index=False).encode())
        digest.update(self.outside_ties.to_csv(index=False).encode())
        digest.update(",".join(self.networks).encode())
        return digest.hexdigest()
