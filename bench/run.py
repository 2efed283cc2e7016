"""Time the whole network analysis on synthetic localities, against a NetworkX-only baseline.

``python -m bench.run [--sizes 1000,10000,100000] [--skip-baseline] [--agreement] [--skip-report]``

With 1,000 among the sizes it also runs ``bench.report`` (the study report's HTML and PDF at
1,000 people, against the analysis), ``bench.cli`` (the whole ``placelab analyze`` command) and
``bench.compare`` (comparing two waves, against analysing one), whose missed target or error
fails the run, as a missed target of the analysis does.

Each case (placelab at one size, the baseline at one size, the agreement check) runs in a
fresh process, so its time and peak memory are its own. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS_TARGET = {1_000: 1.0, 10_000: 10.0, 100_000: 180.0}  # issue 12
MB_TARGET = {100_000: 4_096}  # peak memory, issue 12
RATIO_TARGET = 10.0
FULL_BASELINE_UP_TO = 2_500  # above this the baseline runs one network and counts it 7 times
BASELINE_UP_TO = 10_000  # above this the baseline is skipped
AGREEMENT_PEOPLE = 10_000
AGREEMENT_NETWORKS = "innovation,all"
AGREEMENT_SAMPLES = "1000,2000,4000"
GATEKEEPER_TARGET = 0.95  # share of the exact top 5 per cent by betweenness found at 10,000
REPORT_PEOPLE = 1_000  # the study report's target (issue 9) is set at this size
# Benchmarks run beside the analysis at 1,000 people, each in its own process, failing the run
# when they fail: the study report (issue 9), the whole ``placelab analyze`` command (12) and
# comparing two waves (13).
SIDE_BENCHES = {
    "report": "bench.report",
    "whole command": "bench.cli",
    "comparison of two waves": "bench.compare",
}


def run_case(kind: str, people: int, extra: Sequence[str], args: argparse.Namespace) -> dict:
    """Run ``bench.case`` in a fresh interpreter; its last line of output is the result."""
    command = [sys.executable, "-m", "bench.case", kind, str(people), "--seed", str(args.seed)]
    command += [*extra, *(["--verbose"] if args.verbose else [])]
    print(f"-- {kind}, {people:,} people", file=sys.stderr, flush=True)
    try:
        done = subprocess.run(
            command, cwd=ROOT, stdout=subprocess.PIPE, text=True, timeout=args.timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": f"exit status {done.returncode}"}
    return json.loads(lines[-1])


def baseline_plan(people: int, args: argparse.Namespace) -> list[str] | None:
    """The options of the baseline case at this size, or None when it is skipped."""
    if args.skip_baseline or people > BASELINE_UP_TO:
        return None
    return ["--full"] if people <= FULL_BASELINE_UP_TO or args.baseline_full else []


def run_all(args: argparse.Namespace) -> dict:
    results: dict = {"sizes": {}, "agreement": None}
    for people in args.sizes:
        row = {"placelab": run_case("placelab", people, [], args), "baseline": None}
        plan = baseline_plan(people, args)
        if plan is not None:
            row["baseline"] = run_case("baseline", people, plan, args)
        results["sizes"][people] = row
    if want_agreement(args):
        extra = ["--networks", args.agreement_networks, "--samples", args.agreement_samples]
        results["agreement"] = run_case("agreement", AGREEMENT_PEOPLE, extra, args)
    return results


def want_agreement(args: argparse.Namespace) -> bool:
    if args.skip_agreement:
        return False
    return args.agreement or AGREEMENT_PEOPLE in args.sizes


# --- the printout ------------------------------------------------------------------------------


def _seconds(case: dict | None) -> str:
    if case is None:
        return "-"
    return case["error"] if "error" in case else f"{case['seconds']:.2f}"


def _how(case: dict | None) -> str:
    if case is None:
        return "skipped"
    if "error" in case:
        return "failed"
    if case.get("representative"):
        return f"{case['representative']} x{case['counted'][case['representative']]} + all"
    return "all 7 + all, measured"


def _ratio(row: dict) -> float | None:
    mine, theirs = row["placelab"], row["baseline"]
    if theirs is None or "error" in theirs or "error" in mine:
        return None
    return theirs["seconds"] / mine["seconds"]


def _mb(case: dict | None) -> str:
    return "-" if case is None or "error" in case else f"{case['peak_mb']:,.0f}"


def print_table(results: dict) -> None:
    header = (
        f"{'people':>8} {'ties':>10} {'placelab s':>11} {'baseline s':>11} "
        f"{'baseline run as':<24} {'ratio':>7} {'placelab MB':>12} {'baseline MB':>12}"
    )
    print(header)
    print("-" * len(header))
    for people, row in results["sizes"].items():
        ratio = _ratio(row)
        ties = row["placelab"].get("ties")
        print(
            f"{people:>8,} {ties or 0:>10,} {_seconds(row['placelab']):>11} "
            f"{_seconds(row['baseline']):>11} {_how(row['baseline']):<24} "
            f"{'-' if ratio is None else f'{ratio:.1f}x':>7} "
            f"{_mb(row['placelab']):>12} {_mb(row['baseline']):>12}"
        )


def print_notes(results: dict) -> None:
    print(
        "\nTimes are of the analysis alone (placelab: analyse_networks; baseline: the same work\n"
        "in NetworkX), on localities generated in memory and handed over as StudyData: no file\n"
        "is read or parsed. 'x7 + all': the baseline measured one network of median size, counted\n"
        "it for each of the seven, and measured the union 'all' and QAP in full. Peak MB: the\n"
        "largest of the case process's own peak resident set and the summed PSS of it and its\n"
        "worker processes (sampled every 0.1 s); it includes the generated data and imports."
    )


def target_lines(results: dict) -> list[tuple[str, bool | None]]:
    lines: list[tuple[str, bool | None]] = []
    for people, row in results["sizes"].items():
        case = row["placelab"]
        limit = SECONDS_TARGET.get(people)
        if limit is not None:
            met = None if "error" in case else case["seconds"] < limit
            lines.append((f"{people:,} people under {limit:g} s", met))
        most = MB_TARGET.get(people)
        if most is not None:
            met = None if "error" in case else case["peak_mb"] < most
            lines.append((f"{people:,} people under {most:,} MB at peak", met))
        if people in (1_000, 10_000) and row["baseline"] is not None:
            ratio = _ratio(row)
            met = None if ratio is None else ratio >= RATIO_TARGET
            lines.append((f"{people:,} people at least {RATIO_TARGET:g}x the baseline", met))
    if results["agreement"] is not None:
        measured = "error" not in results["agreement"]
        lines.append(("agreement with the exact result measured at 10,000", measured))
        for name, found in results["agreement"].get("networks", {}).items():
            share = found["gatekeepers"]["overlap"]
            lines.append((
                f"gatekeepers at 10,000 ({name}): at least {GATEKEEPER_TARGET:.0%} of the exact "
                f"set (found {share:.1%})",
                share is not None and share >= GATEKEEPER_TARGET,
            ))  # fmt: skip
    return lines


def print_targets(results: dict) -> None:
    print("\nTargets (2-core machine):")
    for text, met in target_lines(results):
        verdict = "n/a " if met is None else ("PASS" if met else "FAIL")
        print(f"  [{verdict}] {text}")


def print_agreement(agreement: dict | None) -> None:
    if agreement is None:
        return
    print(f"\nAgreement at {AGREEMENT_PEOPLE:,} people: top 5 per cent, approximate (default")
    print("parameters) against exact (exact_limit raised): |approx & exact| / |exact|.")
    if "error" in agreement:
        print(f"  {agreement['error']}")
        return
    for name, found in agreement["networks"].items():
        print(
            f"  {name} network (approximate {found['approx_seconds']:.1f} s, "
            f"{found['approx_cpu_seconds']:.1f} CPU s; exact {found['exact_seconds']:.1f} s):"
        )
        gate = found["gatekeepers"]
        print(
            f"    gatekeepers by {found['estimator']}: {gate['overlap'] * 100:.1f}% of the "
            f"exact {gate['exact_held']}; {gate['borderline']} of {gate['held']} borderline "
            f"({gate['borderline_right']} of them in the exact set), {gate['certain_wrong']} "
            "certain but not in it"
        )
        for row in found["rows"]:
            extra = ""
            if "spearman" in row:
                extra = f"   Spearman {row['spearman']:.4f}"
            print(
                f"    {row['what']:<12} {row['top_overlap'] * 100:6.1f}%  "
                f"of {row['top_size']:>4}{extra}"
            )
        for row in found.get("samples", []):
            print(
                f"    with {row['samples']:,} sampled sources ({row['seconds']:.1f} s): "
                f"betweenness {row['betweenness'] * 100:.1f}%, harmonic {row['harmonic'] * 100:.1f}%"
            )


MEASURING = ("building the networks", "measuring the ", "measured the ")


def phases(steps: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Steps with the building and per-network messages merged into one phase (the networks
    are measured in worker processes, so their messages say when each came back, not how long
    it took)."""
    merged: list[tuple[str, float]] = []
    for step, seconds in steps:
        if step.startswith(MEASURING) and merged and merged[-1][0] == MEASURING_PHASE:
            merged[-1] = (MEASURING_PHASE, merged[-1][1] + seconds)
        else:
            merged.append((MEASURING_PHASE if step.startswith(MEASURING) else step, seconds))
    return merged


MEASURING_PHASE = "build and measure every network"


def print_breakdown(results: dict) -> None:
    print(
        "\nWhere the time goes (from each progress message to the next; the last runs to the end):"
    )
    for people, row in results["sizes"].items():
        case = row["placelab"]
        if "steps" in case:
            steps = "; ".join(f"{step} {s:.2f}" for step, s in phases(case["steps"]))
            print(f"  placelab {people:,}: {steps}")
        base = row["baseline"]
        if base and "parts" in base:
            parts = ", ".join(f"{k} {v:.1f}" for k, v in base["parts"].items())
            print(f"  baseline {people:,} (as measured, before x7): {parts}")


def report(results: dict) -> None:
    print()
    print_table(results)
    print_notes(results)
    print_targets(results)
    print_agreement(results["agreement"])
    print_breakdown(results)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(s.replace("_", "")) for s in text.split(",")],
        default=[1_000, 10_000, 100_000],
        help="comma-separated numbers of people (default 1000,10000,100000)",
    )
    parser.add_argument("--skip-baseline", action="store_true", help="time placelab only")
    parser.add_argument(
        "--baseline-full", action="store_true", help="baseline runs all seven networks at any size"
    )
    parser.add_argument(
        "--agreement", action="store_true", help="measure agreement even if 10000 is not a size"
    )
    parser.add_argument("--skip-agreement", action="store_true")
    parser.add_argument("--agreement-networks", default=AGREEMENT_NETWORKS)
    parser.add_argument(
        "--agreement-samples",
        default=AGREEMENT_SAMPLES,
        help="also measure betweenness and harmonic agreement with these numbers of sampled "
        f"sources ('' for none; default {AGREEMENT_SAMPLES})",
    )
    parser.add_argument(
        "--skip-report",
        action="store_true",
        help="skip the study report's HTML and PDF bench and the whole command's (bench.cli)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per case")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--verbose", action="store_true", help="show each step as it starts")
    return parser.parse_args(argv)


def run_side_benches(args: argparse.Namespace) -> list[str]:
    """Each of ``SIDE_BENCHES`` at 1,000 people in its own process, its printout straight to
    ours. Returns why each that failed did (a missed target or an error)."""
    if args.skip_report or REPORT_PEOPLE not in args.sizes:
        return []
    failed = []
    for name, module in SIDE_BENCHES.items():
        print(f"\n-- the {name}, {REPORT_PEOPLE:,} people", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", module, "--people", str(REPORT_PEOPLE)]
        try:
            done = subprocess.run(command, cwd=ROOT, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            failed.append(f"{name}, {REPORT_PEOPLE:,} people: timed out after {args.timeout:.0f} s")
            continue
        if done.returncode != 0:
            failed.append(f"{name}, {REPORT_PEOPLE:,} people: a target missed or a step failed")
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    results = run_all(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    report(results)
    failed = failed_cases(results) + run_side_benches(args)
    for name in failed:
        print(f"FAILED: {name}", file=sys.stderr)
    return 1 if failed else 0


def failed_cases(results: dict) -> list[str]:
    """Every case that ended in an error and every target missed: any makes the run fail."""
    cases = [
        (f"{kind}, {people:,} people", case)
        for people, row in results["sizes"].items()
        for kind, case in row.items()
    ]
    cases.append((f"agreement, {AGREEMENT_PEOPLE:,} people", results["agreement"]))
    failed = [f"{name}: {case['error']}" for name, case in cases if case and "error" in case]
    return failed + [
        f"target missed: {text}" for text, met in target_lines(results) if met is False
    ]


if __name__ == "__main__":
    raise SystemExit(main())
