"""How far the approximations above ``exact_limit`` move the top 5 per cent.

For a few networks of one locality, placelab's measures are computed twice: with the default
parameters (KADABRA for betweenness, sampled sources for harmonic closeness, a stochastic
estimate for information centrality) and with ``exact_limit`` raised so that every measure is
exact. For each score, and for each key connector role, the agreement is the share of the exact
top 5 per cent that the approximate top 5 per cent finds: ``|top_approx & top_exact| /
|top_exact|``. For gatekeepers it also counts those the estimate marks borderline, and those it
is sure of that the exact set does not hold (there should be none, or next to none).
"""

from __future__ import annotations

import time
from dataclasses import replace

import igraph as ig
import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from placelab.core.data import StudyData
from placelab.core.networks.analysis import Parameters
from placelab.core.networks.betweenness import betweenness
from placelab.core.networks.centrality import harmonic_closeness
from placelab.core.networks.centrality import person_measures as placelab_measures
from placelab.core.networks.graphs import build_networks
from placelab.core.networks.roles import ROLE_SCORES, key_connectors, top_share

SCORES = ("betweenness", "harmonic", "information")
EXACT = Parameters(exact_limit=10**9)


def overlap(approx: np.ndarray, exact: np.ndarray) -> float | None:
    """|approx & exact| / |exact| for two boolean masks; None when the exact set is empty."""
    held = int(exact.sum())
    return float((approx & exact).sum() / held) if held else None


def compare(approx: pd.DataFrame, exact: pd.DataFrame, share: float) -> list[dict]:
    """One row per score and per role: top-share overlap and Spearman's rank correlation."""
    rows = []
    for score in SCORES:
        a, e = approx[score].to_numpy(), exact[score].to_numpy()
        rho = spearmanr(a, e).statistic
        rows.append(
            {
                "what": score,
                "top_overlap": overlap(top_share(a, share=share), top_share(e, share=share)),
                "top_size": int(top_share(e, share=share).sum()),
                "spearman": float(rho),
                "max_relative_error": float(np.max(np.abs(a - e)) / np.max(np.abs(e))),
            }
        )
    roles_a, roles_e = key_connectors(approx, share=share), key_connectors(exact, share=share)
    for role in [*ROLE_SCORES, "any role"]:
        if role == "any role":
            a, e = roles_a["roles"].map(bool).to_numpy(), roles_e["roles"].map(bool).to_numpy()
        else:
            a, e = roles_a[role].to_numpy(), roles_e[role].to_numpy()
        rows.append({"what": role, "top_overlap": overlap(a, e), "top_size": int(e.sum())})
    return rows


def estimator(parameters: Parameters, n: int) -> str:
    """The betweenness estimator for ``n`` people, in words, with its settings."""
    return (
        f"KADABRA (Borassi and Natale 2019, NetworKit), error bound "
        f"{parameters.betweenness_error_for(n):.2g} with probability "
        f"{1 - parameters.betweenness_delta:.0%}, seed {parameters.seed}"
    )


def gatekeepers(approx: pd.DataFrame, exact: pd.DataFrame, share: float) -> dict:
    """The gatekeeper role's overlap, and how many of the estimate's gatekeepers are borderline
    and how many it is sure of but the exact set lacks."""
    found, wanted = key_connectors(approx, share=share), key_connectors(exact, share=share)
    held, truth = found["gatekeeper"].to_numpy(), wanted["gatekeeper"].to_numpy()
    unsure = found["borderline"].map(lambda roles: "gatekeeper" in roles).to_numpy()
    return {
        "overlap": overlap(held, truth),
        "held": int(held.sum()),
        "exact_held": int(truth.sum()),
        "borderline": int(unsure.sum()),
        "borderline_right": int((unsure & truth).sum()),
        "certain_wrong": int((held & ~unsure & ~truth).sum()),
    }


def more_samples(
    undirected: ig.Graph, exact: pd.DataFrame, parameters: Parameters, samples: tuple[int, ...]
) -> list[dict]:
    """Top-share overlap of betweenness (Brandes and Pich's source sampling, the estimator
    placelab used before KADABRA) and harmonic closeness from other numbers of sources."""
    rows = []
    n = len(exact)
    for count in samples:
        sources = replace(parameters, samples=count).sources(n)
        start = time.perf_counter()
        found = {
            "betweenness": betweenness(undirected, sources=sources),
            "harmonic": harmonic_closeness(undirected, sources=sources),
        }
        row: dict = {"samples": count, "seconds": time.perf_counter() - start}
        for score, values in found.items():
            wanted = top_share(exact[score].to_numpy(), share=parameters.top_share)
            row[score] = overlap(top_share(values, share=parameters.top_share), wanted)
        rows.append(row)
    return rows


def agreement(
    data: StudyData,
    networks: tuple[str, ...],
    parameters: Parameters | None = None,
    samples: tuple[int, ...] = (),
) -> dict:
    """Agreement of approximate and exact measures for ``networks`` of ``data``, with timings;
    with ``samples``, also that of betweenness and harmonic closeness from that many sources."""
    parameters = parameters or Parameters()
    nets = build_networks(data)
    results = {}
    for name in networks:
        directed, undirected = nets.directed[name], nets.undirected[name]
        start, cpu = time.perf_counter(), time.process_time()
        approx = placelab_measures(directed, undirected, parameters)
        middle, cpu_middle = time.perf_counter(), time.process_time()
        exact = placelab_measures(directed, undirected, EXACT)
        end = time.perf_counter()
        results[name] = {
            "approx_seconds": middle - start,
            "approx_cpu_seconds": cpu_middle - cpu,
            "exact_seconds": end - middle,
            "estimator": estimator(parameters, undirected.vcount()),
            "gatekeepers": gatekeepers(approx, exact, parameters.top_share),
            "rows": compare(approx, exact, parameters.top_share),
            "samples": more_samples(undirected, exact, parameters, samples),
        }
    return results
