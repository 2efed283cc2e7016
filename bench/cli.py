"""How long ``placelab analyze`` takes as a user runs it: start, read the CSV files, analyse, write.

``python -m bench.cli [--people 1000] [--runs 5]``

The demo generator's locality (``generate_large``, about 8 names per respondent per network) is
written as ``people.csv`` and ``ties.csv``; then, in the same run, the command is timed whole,
against two baselines: the bare interpreter (``python -c pass``) and the start-up alone
(``import placelab.cli``). The command's own progress messages split the rest into reading the
files (until "building the networks"), the analysis and the writing of the JSON. Each figure is
the fastest of ``--runs`` runs: on a shared machine the fastest is the one least disturbed.

Target (issue 12): the whole command under 1.5 s at 1,000 people. Exits 1 when it is missed, or
when the command fails or writes a result that does not hold every person.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SECONDS_TARGET = {1_000: 1.5}
_STEP = re.compile(r"\[\s*([\d.]+)s\] (.+)")


def timed_run(command: list[str]) -> tuple[float, str]:
    """Wall-clock seconds of ``command``, and what it wrote to stderr; raises if it failed."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-500:]}")
    return seconds, done.stderr


def steps(stderr: str) -> dict[str, float]:
    """Seconds from the command's start (after its imports) to each progress message."""
    return {m.group(2): float(m.group(1)) for m in map(_STEP.match, stderr.splitlines()) if m}


def measure(people: int, runs: int, folder: Path) -> dict:
    from placelab.core.demo import generate_large

    roster, ties = generate_large(people, seed=0)
    roster.to_csv(folder / "people.csv", index=False)
    ties.to_csv(folder / "ties.csv", index=False)
    output = folder / "result.json"
    script = Path(sys.executable).with_name("placelab")
    analyze = [str(script), "analyze", str(folder / "people.csv"), str(folder / "ties.csv")]
    analyze += ["--json", str(output)]
    bare = min(timed_run([sys.executable, "-c", "pass"])[0] for _ in range(runs))
    start_up = min(timed_run([sys.executable, "-c", "import placelab.cli"])[0] for _ in range(runs))
    whole, stderr = min((timed_run(analyze) for _ in range(runs)), key=lambda r: r[0])
    marks = steps(stderr)
    result = json.loads(output.read_text(encoding="utf-8"))
    if result["inputs"]["people"] != people or len(result["people"]) != people:
        raise RuntimeError(f"the result holds {len(result['people'])} people, not {people}")
    reading = marks["building the networks"]
    analysed = marks["fragility if key connectors leave"]  # the last step of the analysis
    return {
        "people": people,
        "ties": len(ties),
        "whole": whole,
        "bare": bare,
        "start_up": start_up,
        "read": reading,
        "analyse_and_write": marks["done"] - reading,
        "after_last_step": marks["done"] - analysed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        try:
            found = measure(args.people, args.runs, Path(folder))
        except (RuntimeError, KeyError, ValueError) as error:
            print(f"FAILED: placelab analyze, {args.people:,} people: {error}", file=sys.stderr)
            return 1
    print(
        f"placelab analyze, {found['people']:,} people, {found['ties']:,} ties "
        f"(fastest of {args.runs}):\n"
        f"  whole command                 {found['whole']:6.2f} s\n"
        f"  bare interpreter (baseline)   {found['bare']:6.2f} s\n"
        f"  start-up, import placelab.cli {found['start_up']:6.2f} s "
        f"({found['start_up'] / found['whole']:.0%} of the whole)\n"
        f"  reading the CSV files         {found['read']:6.2f} s\n"
        f"  analysis and writing the JSON {found['analyse_and_write']:6.2f} s "
        f"(from the last analysis step to the end: {found['after_last_step']:.2f} s)"
    )
    limit = SECONDS_TARGET.get(args.people)
    if limit is None:
        return 0
    met = found["whole"] < limit
    print(f"  [{'PASS' if met else 'FAIL'}] the whole command under {limit:g} s")
    if not met:
        print(
            f"FAILED: placelab analyze, {args.people:,} people: over {limit:g} s", file=sys.stderr
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
