"""How long comparing two waves takes, against reading and analysing one wave, in CPU seconds.

``python -m bench.compare [--people 1000] [--seed 2007] [--resamples 200] [--runs 3]``

The demo locality's generator makes two waves as a user has them (``generate_locality``, then
``generate_second_wave``: a year later, a few people gone and new, about 70 per cent answering,
three in four of the old ties named again), written as ``wave1/`` and ``wave2/``, each holding
``people.csv`` and ``ties.csv``. Each step then runs in a fresh process, so that its CPU time
(its children's included: the analysis measures networks in a pool of processes) and its peak
memory (the summed PSS of its processes, ``bench.memory``) are its own:

- the baseline: reading one wave's files and analysing it (``placelab.core.study.load(...)
  .to_dict()``, as ``bench.report`` does);
- reading both waves and ``compare_waves`` (``--resamples`` bootstrap resamples), with where
  its time goes: its four analyses (each wave, everyone and the people who answered both), the
  figures compared, the bootstrap intervals and the findings;
- the whole ``placelab analyze ... --json`` of one wave and ``placelab compare ... --json`` of
  both, as a user runs them (the installed script, start-up included).

The four steps run ``--runs`` times in turn (3), and each keeps its run with the fewest CPU
seconds: on a busy machine OpenBLAS's threads waiting on each other add seconds of CPU to a
run, to one step and not another.

Targets, as ratios to a baseline in the same run, at 1,000 people with 200 resamples
(``RATIO_TARGET``, ``COMMAND_RATIO_TARGET``, ``MEMORY_RATIO_TARGET``), chosen after measuring
(bench/README.md, "Comparing two waves"):

- reading both waves and ``compare_waves``, at most 5 times the CPU seconds of reading and
  analysing one wave. Its work adds up to about 4: the two waves analysed for everyone (2
  analyses) and again for the people who answered both (600 of 1,000; each about 0.5 of a full
  analysis), the figures compared (about 1 analysis: QAP of each network's two waves with 999
  permutations, the people on both rosters, the ties kept, new and lost), the bootstrap (0.2
  with one BLAS thread: 200 resamples as matrix products) and reading two waves. Measured
  4.0-4.3 on a moderately busy machine, 4.7 at load 6.6: there the bootstrap's matrix products
  took 1.5 to 4.9 CPU seconds instead of 0.5, OpenBLAS's two threads in the main process
  waiting on each other;
- the whole ``placelab compare`` command at most 4.5 times ``placelab analyze`` of one wave:
  both start the same interpreter and import much the same, which narrows the ratio to about
  3.3; measured 3.2-3.8, 4.1 at load 6.6 (the same bootstrap);
- the comparison's peak memory at most 2 times the one wave's: it holds two waves and four
  analyses, but the libraries and the interpreter are most of a step's memory. Measured
  1.24-1.34 (1.30-1.48 for the whole commands).

Exits 1 when a target is missed or a step fails (``--ratio-target``, ``--command-ratio-target``
and ``--memory-ratio-target`` set other limits).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.memory import PeakMemory, current_mb

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 5.0  # read both waves + compare_waves, over read + analyse one wave
COMMAND_RATIO_TARGET = 4.5  # placelab compare over placelab analyze, whole commands
MEMORY_RATIO_TARGET = 2.0  # peak memory of read both + compare_waves, over read + analyse one
WAVES = ("wave1", "wave2")
# compare_waves's calls, in the order it makes them, named for where its time goes.
ANALYSES = (
    "analysis: everyone, earlier wave",
    "analysis: everyone, later wave",
    "analysis: answered both, earlier wave",
    "analysis: answered both, later wave",
)
PARTS = {
    "_view": "figures compared (ties, connectors, groups, QAP, communities)",
    "_add_intervals": "bootstrap intervals",
    "change_findings": "findings",
    "finding_groups": "findings grouped",
}


def _cpu() -> float:
    """Processor seconds of this process and of its finished children (the pool's workers)."""
    now = os.times()
    return now.user + now.system + now.children_user + now.children_system


def _timed(work: Callable):
    """``work()``'s value and the CPU and wall seconds it took."""
    start, cpu = time.perf_counter(), _cpu()
    value = work()
    return value, _cpu() - cpu, time.perf_counter() - start


# --- the steps, each run in its own process (``--case``) ----------------------------------------


def make_inputs(folder: Path, people: int, seed: int) -> dict:
    """Both waves written under ``folder``; the second wave's seed is the first's plus one (the
    demo's own pair is 2007 and 2008)."""
    from placelab.core.demo import generate_locality, generate_second_wave, write_locality

    first = generate_locality(people=people, seed=seed)
    second = generate_second_wave(*first, seed=seed + 1)
    facts = {}
    for wave, (roster, ties) in zip(WAVES, (first, second), strict=True):
        write_locality(folder / wave, roster, ties)
        answered = roster["id"][roster["responded"] == "yes"]
        facts[wave] = {"people": len(roster), "ties": len(ties), "answered": set(answered)}
    both = len(facts["wave1"].pop("answered") & facts["wave2"].pop("answered"))
    return {**facts, "answered_both": both}


def analyse_case(folder: Path) -> dict:
    """The baseline: one wave's files read and analysed, as ``placelab analyze`` does."""
    from placelab.core.study import load

    wave = folder / WAVES[0]
    # load reads and checks the files at once; the analysis waits for to_dict.
    study, read_cpu, read_wall = _timed(lambda: load(wave / "people.csv", wave / "ties.csv"))
    result, cpu, wall = _timed(study.to_dict)
    if len(result["people"]) != len(study.data.people):
        raise RuntimeError(f"the result holds {len(result['people'])} people")
    return {"read": [read_cpu, read_wall], "analyse": [cpu, wall]}


def compare_case(folder: Path, resamples: int) -> dict:
    """Both waves read, then compared by ``compare_waves`` with its parts timed."""
    from placelab.core.networks import compare
    from placelab.core.networks.parameters import Parameters
    from placelab.core.study import read_study

    def read_both():
        return [read_study(folder / w / "people.csv", folder / w / "ties.csv") for w in WAVES]

    (before, after), read_cpu, read_wall = _timed(read_both)
    parts = _instrument(compare)
    result, cpu, wall = _timed(
        lambda: compare.compare_waves(
            before, after, Parameters(seed=0), resamples=resamples, seed=0
        )
    )
    if result["format"] != "placelab-comparison/1" or result["answered_both"] is None:
        raise RuntimeError("compare_waves compared nothing among the people who answered both")
    return {"read": [read_cpu, read_wall], "compare": [cpu, wall], "parts": parts}


def _instrument(module) -> dict[str, float]:
    """Wrap ``compare_waves``'s helpers in ``module`` so that each call adds its CPU seconds to
    the returned dict, under ``ANALYSES`` and ``PARTS``; what they do is unchanged. A helper
    renamed since is left alone: its time shows as "the rest"."""
    seconds: dict[str, float] = {}
    calls = {"analyse_networks": 0}

    def wrap(name: str):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            if name == "analyse_networks":
                count = calls[name] = calls[name] + 1
                part = ANALYSES[count - 1] if count <= len(ANALYSES) else f"analysis {count}"
            else:
                part = PARTS[name]
            value, cpu, _wall = _timed(lambda: original(*args, **kwargs))
            seconds[part] = seconds.get(part, 0.0) + cpu
            return value

        setattr(module, name, timed)

    for name in ("analyse_networks", *PARTS):
        if callable(getattr(module, name, None)):
            wrap(name)
    return seconds


# --- running them ----------------------------------------------------------------------------


def run_step(name: str, command: list[str], log: Path, verbose: bool) -> dict:
    """Run ``command`` to its end: its CPU seconds (children included), wall seconds, the peak
    of its processes' summed PSS in MiB (sampled by ``bench.memory``, without ours) and, for a
    ``--case``, the JSON of its last line of output. Raises, naming the step, if it failed."""
    if verbose:
        print(f"-- {name}", file=sys.stderr, flush=True)
    own = current_mb()
    with log.open("w") as out, PeakMemory() as memory:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)  # its own rusage, its workers' included
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    if child.returncode != 0:
        said = "\n".join(lines[-3:])
        raise RuntimeError(f"{name}: the step exited {child.returncode}, saying\n{said}")
    return {
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "peak_mb": max(memory.tree_kib / 1024 - own, 0.0),
        "found": json.loads(lines[-1]) if command[1:3] == ["-m", "bench.compare"] else None,
    }


def measure(args: argparse.Namespace, folder: Path) -> dict:
    """Both waves written, then each step run ``args.runs`` times in turn; each step's figures
    are those of its run with the fewest CPU seconds, the one least disturbed on a shared
    machine (as ``bench.cli`` keeps the fastest)."""

    def step(name: str, command: list[str], log: str) -> dict:
        return run_step(name, command, folder / log, args.verbose)

    case = [sys.executable, "-m", "bench.compare", "--folder", str(folder), "--case"]
    size = ["--people", str(args.people), "--seed", str(args.seed)]
    inputs = step("writing both waves", [*case, "inputs", *size], "inputs.log")["found"]
    script, wave = str(Path(sys.executable).with_name("placelab")), folder / WAVES[0]
    analyze = [script, "analyze", str(wave / "people.csv"), str(wave / "ties.csv"), "--quiet"]
    compare = [script, "compare", *(str(folder / w) for w in WAVES), "--quiet"]
    compare += ["--resamples", str(args.resamples), "--json", str(folder / "two.json")]
    steps = {
        "one": ("reading and analysing one wave (the baseline)", [*case, "analyse"]),
        "two": (f"reading both waves and compare_waves, {args.resamples} resamples",
                [*case, "compare", "--resamples", str(args.resamples)]),
        "analyze": ("placelab analyze, one wave", [*analyze, "--json", str(folder / "one.json")]),
        "command": ("placelab compare", compare),
    }  # fmt: skip
    runs: dict[str, list[dict]] = {key: [] for key in steps}
    for _ in range(args.runs):
        for key, (name, command) in steps.items():
            runs[key].append(step(name, command, f"{key}.log"))
    compared = json.loads((folder / "two.json").read_text(encoding="utf-8"))
    if compared.get("answered_both") is None:
        raise RuntimeError("placelab compare compared nothing among the people who answered both")
    return {"inputs": inputs, **{key: min(done, key=_step_cpu) for key, done in runs.items()}}


def _step_cpu(run: dict) -> float:
    """CPU seconds of what a step measures: a case's own work (not its imports), or a whole
    command."""
    if run["found"] is None:
        return run["cpu"]
    return sum(seconds[0] for key, seconds in run["found"].items() if key != "parts")


# --- the printout ----------------------------------------------------------------------------


def rows(found: dict) -> list[tuple[str, float, float | None, float | None]]:
    """(step, CPU s, wall s, peak MB) for the table; parts have no wall time or memory."""
    one, two = found["one"], found["two"]
    (r1, rw1), (a1, aw1) = one["found"]["read"], one["found"]["analyse"]
    (r2, rw2), (c2, cw2) = two["found"]["read"], two["found"]["compare"]
    table = [
        ("baseline: read and analyse one wave", r1 + a1, rw1 + aw1, one["peak_mb"]),
        ("  reading its files", r1, rw1, None),
        ("  analysing it (Study.to_dict)", a1, aw1, None),
        ("read both waves and compare_waves", r2 + c2, rw2 + cw2, two["peak_mb"]),
        ("  reading both waves' files", r2, rw2, None),
        ("  compare_waves", c2, cw2, None),
    ]
    parts = two["found"]["parts"]
    table += [(f"    {name}", seconds, None, None) for name, seconds in parts.items()]
    table.append(("    the rest", c2 - sum(parts.values()), None, None))
    for name, key in (("placelab analyze --json, one wave", "analyze"),
                      ("placelab compare --json", "command")):  # fmt: skip
        run = found[key]
        table.append((name, run["cpu"], run["wall"], run["peak_mb"]))
    return table


def ratios(found: dict) -> dict[str, float]:
    one, two = found["one"]["found"], found["two"]["found"]
    baseline = one["read"][0] + one["analyse"][0]
    return {
        "compare": (two["read"][0] + two["compare"][0]) / baseline,
        "compare_waves": two["compare"][0] / one["analyse"][0],
        "command": found["command"]["cpu"] / found["analyze"]["cpu"],
        "memory": found["two"]["peak_mb"] / found["one"]["peak_mb"],
        "command_memory": found["command"]["peak_mb"] / found["analyze"]["peak_mb"],
    }


def print_summary(args: argparse.Namespace, found: dict) -> int:
    inputs, load = found["inputs"], os.getloadavg()[0]
    first, second = inputs["wave1"], inputs["wave2"]
    print(
        f"\nComparing two waves at {first['people']:,} people ({first['ties']:,} and "
        f"{second['ties']:,} ties; {inputs['answered_both']:,} answered both), "
        f"{args.resamples} resamples, fewest CPU seconds of {args.runs} run"
        f"{'s' if args.runs != 1 else ''} (load average {load:.1f} over {os.cpu_count()} cores):"
    )
    print(f"  {'step':<66} {'CPU s':>7} {'wall s':>7} {'peak MB':>8}")
    for name, cpu, wall, mb in rows(found):
        wall_text = "" if wall is None else f"{wall:7.2f}"
        mb_text = "" if mb is None else f"{mb:8,.0f}"
        print(f"  {name:<66} {cpu:7.2f} {wall_text:>7} {mb_text:>8}")
    found_ratios = ratios(found)
    print(
        "\nRatios of CPU seconds (peak memory):\n"
        f"  read both waves and compare, over read and analyse one wave  "
        f"{found_ratios['compare']:5.2f}x ({found_ratios['memory']:.2f}x)\n"
        f"  compare_waves over the one wave's analysis                    "
        f"{found_ratios['compare_waves']:5.2f}x\n"
        f"  placelab compare over placelab analyze of one wave            "
        f"{found_ratios['command']:5.2f}x ({found_ratios['command_memory']:.2f}x)\n"
        "CPU seconds count the pool's worker processes; peak MB is the summed PSS of a step's\n"
        "processes (its imports and data included)."
    )
    return check_targets(args, found_ratios)


def check_targets(args: argparse.Namespace, found_ratios: dict[str, float]) -> int:
    """Print each target with PASS or FAIL; 1 if any is missed."""
    verdicts = [
        ("read both waves and compare_waves", found_ratios["compare"], args.ratio_target),
        ("placelab compare, whole command", found_ratios["command"], args.command_ratio_target),
        ("peak memory of comparing", found_ratios["memory"], args.memory_ratio_target),
    ]
    print("\nTargets:")
    failed = []
    for text, value, limit in verdicts:
        met = value <= limit
        print(f"  [{'PASS' if met else 'FAIL'}] {text}: {value:.2f}x the baseline (at most "
              f"{limit:g}x)")  # fmt: skip
        if not met:
            failed.append(f"{text}: {value:.2f}x the baseline, over {limit:g}x")
    for text in failed:
        print(f"FAILED: comparing two waves, {args.people:,} people: {text}", file=sys.stderr)
    return 1 if failed else 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2007, help="the first wave's seed (2007)")
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (3)")
    parser.add_argument("--ratio-target", type=float, default=RATIO_TARGET)
    parser.add_argument("--command-ratio-target", type=float, default=COMMAND_RATIO_TARGET)
    parser.add_argument("--memory-ratio-target", type=float, default=MEMORY_RATIO_TARGET)
    parser.add_argument("--verbose", action="store_true", help="say each step as it starts")
    # One step in this process, run by the benchmark itself: its result is the last line.
    parser.add_argument("--case", choices=("inputs", "analyse", "compare"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.resamples < 1 or args.runs < 1:
        parser.error("--resamples and --runs must be at least 1")
    return args


def run_case(args: argparse.Namespace) -> int:
    if args.case == "inputs":
        found = make_inputs(args.folder, args.people, args.seed)
    elif args.case == "analyse":
        found = analyse_case(args.folder)
    else:
        found = compare_case(args.folder, args.resamples)
    print(json.dumps(found))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.case:
        return run_case(args)
    try:
        with tempfile.TemporaryDirectory() as folder:
            found = measure(args, Path(folder))
    except (RuntimeError, KeyError, ValueError, OSError) as error:
        print(f"FAILED: comparing two waves, {args.people:,} people: {error}", file=sys.stderr)
        return 1
    return print_summary(args, found)


if __name__ == "__main__":
    raise SystemExit(main())
