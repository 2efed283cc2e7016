"""The pool of worker processes: workers read the jobs they inherit, and none are left behind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import placelab
import placelab.core.networks.analysis as analysis

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_workers_measure_the_inherited_networks_and_the_jobs_are_let_go(monkeypatch):
    study = placelab.load(EXAMPLES / "people.csv", EXAMPLES / "ties.csv")
    serial = analysis.analyse_networks(study.data)
    monkeypatch.setattr(analysis, "PARALLEL_FROM", 0)  # the demo is small: force the pool
    parallel = analysis.analyse_networks(study.data)
    pd.testing.assert_frame_equal(parallel.measures, serial.measures)
    pd.testing.assert_frame_equal(parallel.brokerage, serial.brokerage)
    assert analysis._INHERITED == {}  # a long-lived process keeps no graphs of past analyses
