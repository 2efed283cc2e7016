"""One benchmark case, run by ``bench.run`` in a fresh process so its peak memory is its own.

``python -m bench.case KIND PEOPLE [options]`` with KIND ``placelab``, ``baseline`` or
``agreement``; progress goes to stderr, and the last line of stdout is the result as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from bench.agreement import agreement
from bench.baseline import median_network, run_baseline
from bench.memory import PeakMemory, current_mb
from bench.study import make_study
from placelab.core.networks.analysis import Parameters, analyse_networks


class Steps:
    """Records when each progress message arrives, to time the steps between them."""

    def __init__(self, echo: bool) -> None:
        self.start = time.perf_counter()
        self.marks: list[tuple[str, float]] = []
        self.echo = echo

    def __call__(self, step: str) -> None:
        now = time.perf_counter() - self.start
        self.marks.append((step, now))
        if self.echo:
            print(f"  [{now:7.2f} s] {step}", file=sys.stderr, flush=True)

    def durations(self, end: float) -> list[tuple[str, float]]:
        """(message, seconds until the next message) for each message."""
        ends = [t for _step, t in self.marks[1:]] + [end]
        return [(step, round(e - t, 3)) for (step, t), e in zip(self.marks, ends, strict=True)]


def placelab_case(people: int, args: argparse.Namespace) -> dict:
    data = make_study(people, seed=args.seed)
    steps = Steps(args.verbose)
    before = current_mb()
    with PeakMemory() as memory:
        start = time.perf_counter()
        result = analyse_networks(data, Parameters(seed=args.seed), progress=steps)
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "steps": steps.durations(seconds),
        "ties": len(data.ties),
        "exact": result.exact,
        "data_mb": before,
        **memory.report(),
    }


def baseline_case(people: int, args: argparse.Namespace) -> dict:
    data = make_study(people, seed=args.seed)
    representative = None if args.full else median_network(data)
    before = current_mb()
    steps = Steps(args.verbose)
    with PeakMemory() as memory:
        times = run_baseline(
            data, Parameters(seed=args.seed), representative=representative, progress=steps
        )
    counted = {k: v for k, v in times.counted.items() if v > 1}
    return {
        "seconds": times.total,
        "measured_seconds": times.build + sum(times.per_network.values()) + times.alignment,
        "build": times.build,
        "per_network": times.per_network,
        "counted": counted,
        "alignment": times.alignment,
        "parts": {k: round(v, 3) for k, v in sorted(times.parts.items(), key=lambda i: -i[1])},
        "representative": representative,
        "data_mb": before,
        **memory.report(),
    }


def agreement_case(people: int, args: argparse.Namespace) -> dict:
    data = make_study(people, seed=args.seed)
    with PeakMemory() as memory:
        networks = tuple(args.networks.split(","))
        samples = tuple(int(k) for k in args.samples.split(",") if k)
        results = agreement(data, networks, Parameters(seed=args.seed), samples)
    return {"networks": results, **memory.report()}


CASES = {"placelab": placelab_case, "baseline": baseline_case, "agreement": agreement_case}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.case")
    parser.add_argument("kind", choices=sorted(CASES))
    parser.add_argument("people", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--full", action="store_true", help="baseline: run all seven networks")
    parser.add_argument("--networks", default="innovation,all", help="agreement: which networks")
    parser.add_argument(
        "--samples", default="", help="agreement: also try these numbers of sampled sources"
    )
    parser.add_argument("--verbose", action="store_true", help="print each step to stderr")
    args = parser.parse_args(argv)
    result = CASES[args.kind](args.people, args)
    print(json.dumps({"kind": args.kind, "people": args.people, **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
