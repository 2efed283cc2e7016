"""The Python interface: load a study from files and read its results as DataFrames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import pandas as pd

from placelab.core.data import StudyData
from placelab.core.errors import InputError
from placelab.core.io.result_json import result_dict
from placelab.core.io.tables import read_table
from placelab.core.io.validate import study_from_tables
from placelab.core.networks.analysis import NetworkAnalysis, Parameters, Progress, analyse_networks
from placelab.core.networks.findings import FindingRules, network_findings
from placelab.core.vocabulary import SECTORS

GRAPH_SUFFIXES = (".graphml", ".gexf")


def read_study(
    people: str | Path,
    ties: str | Path | None = None,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
) -> StudyData:
    """Read and check a study's files: people and ties (CSV or XLSX), or one GraphML/GEXF."""
    if Path(people).suffix.lower() in GRAPH_SUFFIXES:
        if ties is not None:
            raise InputError(
                "a graph file holds the ties itself: give no ties file", file=str(ties)
            )
        from placelab.core.io.graphfiles import read_graph_file

        return read_graph_file(people, sectors=sectors, networks=networks)
    if ties is None:
        raise InputError("a people file needs a ties file beside it", file=str(people))
    return study_from_tables(
        read_table(people), read_table(ties), sectors=sectors, networks=networks
    )


class Study:
    """One study's data and, computed when first asked for, its network analysis.

    >>> study = load("examples/people.csv", "examples/ties.csv")  # doctest: +SKIP
    >>> study.summary.loc["innovation", "density"]  # doctest: +SKIP
    """

    def __init__(
        self,
        data: StudyData,
        parameters: Parameters | None = None,
        progress: Progress | None = None,
        *,
        sector_order: Sequence[str] | None = None,
        anchors: Mapping | None = None,
    ) -> None:
        self.data = data
        self.parameters = parameters or Parameters()
        self.rules = FindingRules()
        self._progress = progress
        # For the maps' layout: the regions' order, and an earlier wave's layout to keep.
        self.sector_order, self.anchors = sector_order, anchors

    @cached_property
    def networks(self) -> NetworkAnalysis:
        return analyse_networks(
            self.data, self.parameters, self._progress,
            sector_order=self.sector_order, anchors=self.anchors,
        )  # fmt: skip

    @property
    def people(self) -> pd.DataFrame:
        return self.data.people

    @property
    def summary(self) -> pd.DataFrame:
        """One row per network (and ``all``): density, reciprocity, ties, components, ..."""
        return self.networks.summary

    @property
    def measures(self) -> pd.DataFrame:
        """One row per person per network: degrees, centralities, roles, community."""
        return self.networks.measures

    @property
    def alignment(self) -> pd.DataFrame:
        return self.networks.alignment

    @property
    def findings(self) -> list[dict]:
        """What the numbers say, most severe first, under ``self.rules``."""
        return network_findings(self.networks, self.rules)

    def to_dict(self) -> dict:
        """The whole result as plain JSON-ready data (schema: ``schema/result.schema.json``)."""
        return result_dict(self.networks, self.findings, self.rules)


def load(
    people: str | Path,
    ties: str | Path | None = None,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    parameters: Parameters | None = None,
    progress: Progress | None = None,
) -> Study:
    """Read a study's files and return a :class:`Study` whose results compute on first use."""
    data = read_study(people, ties, sectors=sectors, networks=networks)
    return Study(data, parameters, progress)
