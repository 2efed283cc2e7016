"""The choices that change a number, kept together and stored with every result."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOP_SHARE = 0.05
# KADABRA's error bound for betweenness up to 10,000 people: it finds 95-97 per cent of the exact
# top 5 per cent there (bench/README.md); above, the bound grows as (n / 10,000) ** 0.5 so that
# 100,000 people stay within their time (each draw costs more in a bigger network).
BETWEENNESS_ERROR = 0.0008


@dataclass(frozen=True)
class Parameters:
    """Every choice that changes a number; stored with the results so they can be reproduced.

    Up to ``exact_limit`` people every measure is exact. Above it:

    - betweenness is a KADABRA estimate (within ``betweenness_error_for(n)`` of the truth for
      everyone, with probability at least ``1 - betweenness_delta``), unless people x ties is
      at most ``betweenness_exact_work`` (then exact), or the network has more than
      ``betweenness_kadabra_ties`` ties (then from ``samples`` seeded sources, with a standard
      error from ten batches of them);
    - harmonic closeness uses ``samples`` seeded source vertices;
    - information centrality is a stochastic estimate with ``information_probes`` probes;
    - QAP uses 99 permutations unless ``permutations`` is set.
    """

    seed: int = 0
    exact_limit: int = 2500
    samples: int = 500
    betweenness_error: float | None = None  # None: BETWEENNESS_ERROR, growing above 10,000
    betweenness_delta: float = 0.1
    # Above exact_limit betweenness stays exact while people x ties is at most this: exact
    # Brandes costs about that many steps (igraph: ~6 s for 4 x 10^8 on this machine), less
    # than KADABRA's draws, whose number depends on the error bound, not on the size.
    betweenness_exact_work: int = 400_000_000
    # Above this many ties KADABRA's draws cost too much (the 100,000-person union, 3.4 million
    # ties, ran over 3 CPU minutes): betweenness then comes from ``samples`` seeded sources.
    betweenness_kadabra_ties: int = 1_000_000
    information_probes: int = 128  # with control variates: surer than 256 plain (bench/README)
    permutations: int | None = None  # None: 999 up to exact_limit people, 99 above
    top_share: float = TOP_SHARE
    departures: int = 5
    departure_candidates: int = 50

    def sources(self, n: int) -> list[int] | None:
        """The sampled source vertices, or None when the graph is small enough to be exact."""
        if n <= self.exact_limit:
            return None
        rng = np.random.default_rng(self.seed)
        return sorted(rng.choice(n, size=min(self.samples, n), replace=False).tolist())

    def betweenness_error_for(self, n: int) -> float:
        """KADABRA's error bound for a network of ``n`` people."""
        if self.betweenness_error is not None:
            return self.betweenness_error
        return BETWEENNESS_ERROR * max(1.0, n / 10_000) ** 0.5

    def permutations_for(self, n: int) -> int:
        if self.permutations is not None:
            return self.permutations
        return 999 if n <= self.exact_limit else 99
