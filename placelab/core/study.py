"""The Python interface: load a study from files and read its results as DataFrames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import pandas as pd

from placelab.core.data import StudyData
from placelab.core.errors import InputError
from placelab.core.io.mapping import mapped_people, mapped_ties
from placelab.core.io.result_json import result_dict
from placelab.core.io.tables import read_table
from placelab.core.io.validate import study_from_tables
from placelab.core.networks.analysis import NetworkAnalysis, Parameters, Progress, analyse_networks
from placelab.core.networks.findings import FindingRules, network_findings
from placelab.core.vocabulary import LAYERS, SECTORS, UNKNOWN

# Graph files: GraphML, GEXF, Pajek and UCINET DL (placelab.core.io.graphfiles reads them).
GRAPH_SUFFIXES = (".graphml", ".gexf", ".net", ".dl")


def read_study(
    people: str | Path,
    ties: str | Path | None = None,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    attributes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> StudyData:
    """Read and check a study's files: people and ties (CSV or XLSX), or one graph file
    (GraphML, GEXF, Pajek ``.net``, UCINET ``.dl``).

    ``attributes`` and ``columns`` map placelab's names to the file's own: a person's column
    or node attribute (``{"sector": "dept"}``), a tie's column or edge attribute
    (``{"source": "from", "target": "to"}``).
    """
    return read_study_notes(
        people, ties, sectors=sectors, networks=networks, attributes=attributes, columns=columns
    )[0]


def read_study_notes(
    people: str | Path,
    ties: str | Path | None = None,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    attributes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[StudyData, tuple[str, ...]]:
    """As :func:`read_study`, with notes on what reading assumed (undirected edges read both
    ways, people without a sector, ties that name no network), one sentence each."""
    if Path(people).suffix.lower() in GRAPH_SUFFIXES:
        if ties is not None:
            raise InputError(
                "a graph file holds the ties itself: give no ties file", file=str(ties)
            )
        from placelab.core.io.graphfiles import read_graph_study

        return read_graph_study(
            people, sectors=sectors, networks=networks, attributes=attributes, columns=columns
        )
    if ties is None:
        raise InputError("a people file needs a ties file beside it", file=str(people))
    people_table = mapped_people(read_table(people), attributes)
    ties_table, notes = mapped_ties(read_table(ties), columns, networks)
    if notes and networks is None and ties_table.rows:
        # A network named after the file is no typing slip: fixed, the typo check lets it be.
        networks = (ties_table.rows[0][1]["network"],)
    # "unknown" is the layer of people read from a graph file without one: a file placelab
    # wrote from their result reads back.
    layers = (*LAYERS, UNKNOWN)
    data = study_from_tables(
        people_table, ties_table, sectors=sectors, networks=networks, layers=layers
    )
    return data, tuple(notes)


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
        notes: Sequence[str] = (),
    ) -> None:
        self.data = data
        # What reading the files assumed (read_study_notes): stated in the method notes.
        self.notes = tuple(notes)
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
        result = result_dict(self.networks, self.findings, self.rules)
        if self.notes:
            result["method"]["input_file"] = " ".join(self.notes)
        return result


def load(
    people: str | Path,
    ties: str | Path | None = None,
    *,
    sectors: Sequence[str] = SECTORS,
    networks: Sequence[str] | None = None,
    parameters: Parameters | None = None,
    progress: Progress | None = None,
    attributes: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> Study:
    """Read a study's files and return a :class:`Study` whose results compute on first use;
    ``attributes`` and ``columns`` are as for :func:`read_study`, and what reading assumed is
    in ``Study.notes``."""
    data, notes = read_study_notes(
        people, ties, sectors=sectors, networks=networks, attributes=attributes, columns=columns
    )
    return Study(data, parameters, progress, notes=notes)
