"""The ``placelab`` command: every analysis the web reaches, on plain files."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from placelab.cli_compare import add_compare_command
from placelab.cli_diagnose import (
    add_diagnose_command,
    add_sector_option,
    allowed_sectors,
    network_names,
)
from placelab.cli_pool import add_pool_command
from placelab.cli_report import add_report_command, output_paths
from placelab.core.errors import InputError, PlacelabError
from placelab.core.io.result_json import result_text, write_texts
from placelab.core.networks.analysis import Parameters
from placelab.core.networks.findings import FindingRules
from placelab.core.reference import check_pool, is_pool, pool_rules, standing
from placelab.core.study import Study, load


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
        description=ANALYZE_DESCRIPTION,
    )
    analyze.add_argument(
        "people", help="people.csv or .xlsx, or one graph file: .graphml, .gexf, .net or .dl"
    )
    analyze.add_argument("ties", nargs="?", help="ties.csv or ties.xlsx (not with a graph file)")
    analyze.add_argument("--json", dest="json_path", help="write the full result as JSON")
    analyze.add_argument("--html", dest="html_path", help="write a report as HTML")
    analyze.add_argument(
        "--graphml", dest="graphml_path", help="write people, ties and measures as GraphML"
    )
    analyze.add_argument(
        "--gexf", dest="gexf_path", help="write them as GEXF, coloured and placed for Gephi"
    )
    analyze.add_argument("--xlsx", dest="xlsx_path", help="write them as an Excel workbook")
    analyze.add_argument("--seed", type=int, default=0, help="seed for every random step")
    analyze.add_argument("--permutations", type=int, help="QAP permutations (default 999)")
    add_sector_option(analyze)
    analyze.add_argument("--networks", help="the study's networks, comma-separated, fixed")
    analyze.add_argument(
        "--attribute", dest="attributes", action="append", type=_names, default=[],
        metavar="OURS=THEIRS,...",
        help="read the file's own column or node attribute as placelab's, e.g. "
        "sector=dept,layer=level (name, organisation, sector, layer, seniority, responded)",
    )  # fmt: skip
    analyze.add_argument(
        "--columns", action="append", type=_names, default=[], metavar="OURS=THEIRS,...",
        help="read the ties file's own columns, or a graph file's edge attributes, as "
        "placelab's, e.g. source=from,target=to,network=net (source, target, network, weight)",
    )  # fmt: skip
    analyze.add_argument(
        "--reference", metavar="FILE.json",
        help='density reference ranges, {"source": "...", "ranges": {"work": [lo, hi], ...}}, '
        "or a reference pool from placelab pool (docs/reference-pool.md)",
    )  # fmt: skip
    analyze.add_argument(
        "--field", default="",
        help="the study's field, e.g. Secondary education: a reference pool compares studies of "
        "the same field first (only a one-way key of the words is compared)",
    )  # fmt: skip
    analyze.add_argument("--quiet", action="store_true", help="no progress on stderr")
    analyze.set_defaults(run=_analyze)
    add_diagnose_command(commands)
    add_compare_command(commands)
    add_pool_command(commands)
    add_report_command(commands)
    return parser


ANALYZE_DESCRIPTION = (
    "Analyse people.csv and ties.csv (or XLSX), or one graph file from another tool: GraphML "
    "or GEXF (Gephi, NetworkX, igraph, yEd), Pajek .net (one network, or several relations "
    'as *Arcs :1 "label" sections) or UCINET DL (full or half matrices, edge or node '
    "lists; nm= matrices named by 'matrix labels:'). In a graph file each node is a person "
    "and each edge a tie from the person who answered to the person named; an undirected "
    "edge is a tie both ways, a node without a sector or layer is 'Not known', and edges "
    "that name no network are one network named after the file. What reading assumed is "
    "said on stderr and in the result's method notes."
)


def _names(text: str) -> dict[str, str]:
    """``sector=dept,layer=level`` as {"sector": "dept", "layer": "level"}."""
    pairs = [part.split("=", 1) for part in text.split(",") if part.strip()]
    if not pairs or any(len(pair) != 2 or not all(p.strip() for p in pair) for pair in pairs):
        raise argparse.ArgumentTypeError(f"{text!r}: expected OURS=THEIRS pairs, comma-separated")
    return {ours.strip(): theirs.strip() for ours, theirs in pairs}


# The options that name an output file; write_texts writes them all or none.
_OUTPUTS = ("json_path", "html_path", "graphml_path", "gexf_path", "xlsx_path")


def _analyze(args: argparse.Namespace) -> int:
    paths = output_paths(
        args, _OUTPUTS,
        "say where to write the result: --json, --html, --graphml, --gexf and/or --xlsx FILE",
    )  # fmt: skip
    started = time.monotonic()
    progress = None if args.quiet else _progress(started)
    study = load(
        args.people,
        args.ties,
        sectors=allowed_sectors(args),
        networks=network_names(args.networks),
        parameters=Parameters(seed=args.seed, permutations=args.permutations),
        progress=progress,
        attributes={k: v for names in args.attributes for k, v in names.items()},
        columns={k: v for names in args.columns for k, v in names.items()},
    )
    for note in study.notes:  # what reading assumed, of the file of ties: even with --quiet
        print(f"placelab: {args.ties or args.people}: {note}", file=sys.stderr)
    result = analysed(study, args.reference, args.field)
    write_texts({path: _render(name, result) for name, path in paths.items()})
    if progress:
        progress("done")
    return 0


def _render(output: str, result: dict) -> str | bytes:
    # Each writer is imported when asked for: NetworkX, openpyxl and the report's templates
    # would slow every command's start.
    if output == "json_path":
        return result_text(result)
    if output == "html_path":
        from placelab.report import build_report, render_html

        return render_html(build_report(result))
    if output in ("graphml_path", "gexf_path"):
        from placelab.core.io.exports import gexf_text, graphml_text

        return graphml_text(result) if output == "graphml_path" else gexf_text(result)
    from placelab.core.io.workbook import xlsx_bytes

    return xlsx_bytes(result)


def analysed(study: Study, reference: str | None, field: str = "") -> dict:
    """The study's result, its findings read against ``--reference`` (ranges or a pool); with
    a pool the result also says where each figure stands among comparable studies."""
    study.rules, pool = reference_rules(reference, study, field)
    result = study.to_dict()
    if pool:
        result["reference"] = standing(result, pool, field=field)
    return result


def reference_rules(
    path: str | None, study: Study, field: str = ""
) -> tuple[FindingRules, dict | None]:
    """The finding rules a ``--reference`` file gives, ranges or a pool, and the pool if it is
    one (the result then gains ``standing(result, pool, field=field)`` as "reference")."""
    pool = _pool(path)
    if pool is None:
        return _rules(path, study.data.networks), None
    return pool_rules(pool, study.data, field=field), pool


def _pool(path: str | None) -> dict | None:
    """The reference file as a checked pool, or None when it is a file of ranges (or none)."""
    if not path:
        return None
    spec = _reference_json(path)
    return check_pool(spec, file=path) if is_pool(spec) else None


def _reference_json(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(
            f"not a reference file: {error}", file=path,
            expected="JSON: ranges, or a pool from placelab pool",
        ) from None  # fmt: skip


def _rules(path: str | None, networks: Sequence[str]) -> FindingRules:
    if not path:
        return FindingRules()
    expected = '{"source": "where the ranges come from", "ranges": {"work": [0.02, 0.1]}}'
    spec = _reference_json(path)
    if is_pool(spec):
        raise InputError(
            "a reference pool: this command reads only ranges", file=path,
            expected="placelab analyze --reference for a pool",
        )  # fmt: skip
    try:
        ranges = {name: (float(lo), float(hi)) for name, (lo, hi) in spec["ranges"].items()}
        source = str(spec["source"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(f"not a reference file: {error}", file=path, expected=expected) from None
    if not source.strip():
        raise InputError("the ranges need a source", file=path, column="source")
    for name, (low, high) in ranges.items():
        if name not in networks:
            raise InputError(
                f"a range for {name!r}, which is not a network of this study", file=path,
                column="ranges", expected="one of " + ", ".join(networks),
            )  # fmt: skip
        if not 0 <= low <= high <= 1:
            raise InputError(
                f"the range for {name!r} runs from {low} to {high}", file=path,
                column="ranges", expected="two densities from 0 to 1, the lower first",
            )  # fmt: skip
    return FindingRules(density_ranges=ranges, density_source=source)


def _progress(started: float):
    def say(step: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {step}", file=sys.stderr, flush=True)

    return say


if __name__ == "__main__":
    sys.exit(main())
