"""Smoke test of the benchmark: the baseline computes the same numbers, and the command runs.

Nothing here is timed; the benchmark itself is run by hand (``python -m bench.run``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # bench/ is not installed; tests/bench must not shadow it

from bench import baseline  # noqa: E402
from bench.agreement import agreement  # noqa: E402
from bench.study import make_study  # noqa: E402
from placelab.core.networks.analysis import Parameters  # noqa: E402
from placelab.core.networks.brokerage import brokerage  # noqa: E402
from placelab.core.networks.centrality import person_measures as placelab_measures  # noqa: E402
from placelab.core.networks.graphs import build_networks  # noqa: E402

EXACT = Parameters()
SAMPLED = Parameters(exact_limit=100, samples=40, information_probes=16, betweenness_exact_work=0)
SAME_TO = {
    "pagerank": 5e-3,  # NetworkX stops its power iteration at an L1 error of n * 1e-6
    "information_se": 1e-4,  # a spread of probes, each solved to 1e-4 (placelab's in float32)
}


@pytest.fixture(scope="module")
def study():
    return make_study(300)


SOURCES = Parameters(
    exact_limit=100, samples=40, information_probes=16, betweenness_exact_work=0,
    betweenness_kadabra_ties=0,
)  # fmt: skip


@pytest.mark.parametrize(
    "parameters", [EXACT, SAMPLED, SOURCES], ids=["exact", "sampled", "sources"]
)
@pytest.mark.parametrize("network", ["innovation", "all"])
def test_baseline_measures_equal_placelab(study, parameters, network):
    nets, graphs = build_networks(study), baseline.build_graphs(study)
    ours = placelab_measures(nets.directed[network], nets.undirected[network], parameters)
    theirs = baseline.person_measures(
        graphs.directed[network], graphs.undirected[network], parameters, baseline.Timer({})
    )
    for column in ours.columns:
        expected = np.nan_to_num(ours[column].to_numpy(dtype=float))
        found = np.nan_to_num([theirs[column][v] for v in graphs.ids])
        np.testing.assert_allclose(found, expected, rtol=SAME_TO.get(column, 1e-6), atol=1e-9)


def test_baseline_brokerage_equals_placelab(study):
    nets, graphs = build_networks(study), baseline.build_graphs(study)
    counted = baseline.brokerage(graphs.directed["all"], study.people["sector"].to_dict())
    expected = brokerage(nets.directed["all"], study.people["sector"].to_numpy(dtype=str))
    assert np.array_equal(np.array([counted[v] for v in graphs.ids]), expected.to_numpy())


def test_agreement_is_complete_when_exact(study):
    found = agreement(study, ("innovation",), Parameters(exact_limit=10**9))
    assert all(row["top_overlap"] == 1.0 for row in found["innovation"]["rows"])


def test_the_command_runs():
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "150", "--skip-agreement"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "all 7 + all, measured" in done.stdout
    assert "error" not in done.stdout


def test_a_failed_case_fails_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "150", "--skip-agreement",
         "--skip-baseline", "--timeout", "0.01"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "FAILED: placelab, 150 people: timed out" in done.stderr


def test_the_web_benchmark_runs_and_reads_what_the_cli_reads():
    # bench.web asserts that the database and the exported files give the same fingerprint.
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.web", "--sizes", "150"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "150 people" in done.stdout and "the web reads the database in" in done.stdout
