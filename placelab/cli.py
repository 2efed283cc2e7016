"""The ``placelab`` command: every analysis the web reaches, on plain files."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from placelab.core.errors import InputError, PlacelabError
from placelab.core.io.result_json import write_result
from placelab.core.networks.analysis import Parameters
from placelab.core.networks.findings import FindingRules
from placelab.core.study import load
from placelab.core.vocabulary import SECTORS


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(f"placelab: {error}", file=sys.stderr)
        return 2
    except PlacelabError as error:
        print(f"placelab: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="placelab", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="command")
    analyze = commands.add_parser(
        "analyze",
        help="map the networks of a study and find its key connectors",
        description="Analyse people.csv and ties.csv (or XLSX), or one GraphML/GEXF file.",
    )
    analyze.add_argument("people", help="people.csv, people.xlsx, study.graphml or study.gexf")
    analyze.add_argument("ties", nargs="?", help="ties.csv or ties.xlsx (not with a graph file)")
    analyze.add_argument("--json", dest="json_path", help="write the full result as JSON")
    analyze.add_argument("--html", dest="html_path", help="write a report as HTML")
    analyze.add_argument("--seed", type=int, default=0, help="seed for every random step")
    analyze.add_argument("--permutations", type=int, help="QAP permutations (default 999)")
    analyze.add_argument(
        "--sector", action="append", default=[], metavar="NAME",
        help="allow a sector beyond the standard list (repeatable)",
    )  # fmt: skip
    analyze.add_argument("--networks", help="the study's networks, comma-separated, fixed")
    analyze.add_argument(
        "--reference", metavar="RANGES.json",
        help='density reference ranges: {"source": "...", "ranges": {"work": [lo, hi], ...}}',
    )  # fmt: skip
    analyze.add_argument("--quiet", action="store_true", help="no progress on stderr")
    analyze.set_defaults(run=_analyze)
    return parser


def _analyze(args: argparse.Namespace) -> int:
    if not args.json_path and not args.html_path:
        raise PlacelabError("say where to write the result: --json FILE and/or --html FILE")
    started = time.monotonic()
    progress = None if args.quiet else _progress(started)
    study = load(
        args.people,
        args.ties,
        sectors=(*SECTORS, *args.sector),
        networks=args.networks.split(",") if args.networks else None,
        parameters=Parameters(seed=args.seed, permutations=args.permutations),
        progress=progress,
    )
    study.rules = _rules(args.reference)
    result = study.to_dict()
    # Everything is computed before anything is written: a failure leaves no partial output.
    html = None
    if args.html_path:
        from placelab.report.html import render_html

        html = render_html(result)
    if args.json_path:
        write_result(result, args.json_path)
    if html is not None:
        _write_text(Path(args.html_path), html)
    if progress:
        progress("done")
    return 0


def _rules(path: str | None) -> FindingRules:
    if not path:
        return FindingRules()
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        ranges = {name: (float(lo), float(hi)) for name, (lo, hi) in spec["ranges"].items()}
        source = str(spec["source"])
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"not a reference file: {error}", file=path,
            expected='{"source": "where the ranges come from", "ranges": {"work": [0.02, 0.1]}}',
        ) from None  # fmt: skip
    if not source.strip():
        raise InputError("the ranges need a source", file=path, column="source")
    return FindingRules(density_ranges=ranges, density_source=source)


def _progress(started: float):
    def say(step: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {step}", file=sys.stderr, flush=True)

    return say


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


if __name__ == "__main__":
    sys.exit(main())
