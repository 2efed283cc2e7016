"""The ``placelab compare`` subcommand: two waves of a study, from files to a JSON comparison.

``placelab/cli.py`` adds it with :func:`add_compare_command`; the comparison itself is
``placelab.core.networks.compare.compare_waves``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from placelab.cli_diagnose import add_sector_option, allowed_sectors, answers_bank, network_names
from placelab.core.errors import InputError, PlacelabError
from placelab.core.vocabulary import label

WAVE_FILES = ("people.csv", "ties.csv")
OUTPUTS = ("json_path", "html_path", "pdf_path")


def add_compare_command(commands) -> None:
    """Add ``compare`` to the ``placelab`` command's subparsers."""
    sub = commands.add_parser(
        "compare",
        help="compare two waves of a study: what changed in each network, and is it clear",
        description="Compare two waves: W1_PEOPLE W1_TIES W2_PEOPLE W2_TIES (CSV or XLSX), or "
        "two graph files, or two folders each holding people.csv and ties.csv. Changes among "
        "the people who answered both waves carry a seeded bootstrap interval.",
    )
    sub.add_argument("files", nargs="+", metavar="FILE", help="the earlier wave, then the later")
    sub.add_argument("--json", dest="json_path", help="write the comparison here")
    sub.add_argument("--html", dest="html_path", help="write the comparison report as HTML")
    sub.add_argument("--pdf", dest="pdf_path", help="write the comparison report as a PDF")
    sub.add_argument(
        "--answers", nargs=2, metavar=("W1_ANSWERS", "W2_ANSWERS"),
        help="each wave's self-assessment answers: adds the diagnosis compared",
    )  # fmt: skip
    sub.add_argument(
        "--pseudonymise", action="store_true",
        help="the report with people as 'Person N', for readers not allowed names",
    )  # fmt: skip
    sub.add_argument(
        "--labels",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        default=("Wave 1", "Wave 2"),
        help="the waves' names in the report",
    )
    sub.add_argument("--seed", type=int, default=0, help="seed for every random step")
    sub.add_argument("--resamples", type=int, default=200, help="bootstrap resamples (200)")
    sub.add_argument("--networks", help="the study's networks, comma-separated, fixed")
    add_sector_option(sub)
    sub.add_argument("--quiet", action="store_true", help="print no summary")
    sub.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """Read and check both waves, compare, then write: a bad file leaves nothing behind."""
    from placelab.cli_report import output_paths, render_report
    from placelab.core.io.result_json import result_text, write_texts
    from placelab.core.networks.compare import compare_waves
    from placelab.core.networks.parameters import Parameters
    from placelab.core.study import read_study

    if args.resamples < 1:
        raise PlacelabError("--resamples must be at least 1")
    paths = output_paths(args, OUTPUTS, "say where to write: --json, --html and/or --pdf FILE")
    sectors, networks = allowed_sectors(args), network_names(args.networks)
    files = wave_files(args.files)
    before, after = (
        read_study(people, ties, sectors=sectors, networks=networks) for people, ties in files
    )
    result = compare_waves(
        before, after, Parameters(seed=args.seed), resamples=args.resamples, seed=args.seed
    )
    if args.answers:
        result["diagnosis"] = diagnoses_compared(args, files, sectors)
    texts = {}
    if "json_path" in paths:
        texts[paths.pop("json_path")] = result_text(result)
    if paths:
        report = comparison_report(args, result, before, after)
        texts |= {path: render_report(name, report) for name, path in paths.items()}
    write_texts(texts)
    if not args.quiet:
        print(summary(result))
    return 0


def diagnoses_compared(
    args: argparse.Namespace, files: list[tuple[str, str | None]], sectors: tuple[str, ...]
) -> dict:
    """Each wave diagnosed as ``placelab diagnose`` does it, then compared. A graph file has
    no roster table to break the answers down by, so its wave is diagnosed without one."""
    from placelab.core.toolkit.compare_diagnosis import compare_diagnoses
    from placelab.core.toolkit.diagnosis import DiagnosisParameters, diagnose_files

    diagnoses = []
    for answers, (people, ties) in zip(args.answers, files, strict=True):
        bank = answers_bank(answers)
        diagnoses.append(
            diagnose_files(
                answers, people if ties is not None else None, bank=bank, sectors=sectors,
                parameters=DiagnosisParameters(seed=args.seed),
            )
        )  # fmt: skip
    return compare_diagnoses(*diagnoses)


def comparison_report(args: argparse.Namespace, result: dict, before, after):
    """The comparison as a report, with both waves analysed for the maps: the later wave laid
    out on the earlier's positions, so that everyone keeps their place."""
    import datetime

    from placelab.core.networks.parameters import Parameters
    from placelab.core.study import Study
    from placelab.report.model import About, build_comparison_report

    first = Study(before, Parameters(seed=args.seed)).to_dict()
    second = Study(after, Parameters(seed=args.seed), anchors=first["layout"]).to_dict()
    names = [Path(f).name for f in args.files]
    about = About(
        title="What changed between two waves", wave=" and ".join(args.labels),
        date=f"{datetime.date.today():%-d %B %Y}", source="From " + ", ".join(names),
    )  # fmt: skip
    return build_comparison_report(
        result, before=first, after=second, before_label=args.labels[0],
        after_label=args.labels[1], about=about,
        pseudonyms=both_pseudonyms(first, second) if args.pseudonymise else None,
    )  # fmt: skip


def both_pseudonyms(first: dict, second: dict) -> dict[str, str]:
    """Pseudonyms covering both waves' rosters, numbered under ``PLACELAB_PSEUDONYM_SECRET``
    (random when unset), as ``placelab report --pseudonymise`` numbers them."""
    import os
    import secrets

    from placelab.cli_report import SECRET_VARIABLE
    from placelab.core.pseudonymise import pseudonym_map

    people = {str(p["id"]): str(p.get("name") or "") for r in (first, second) for p in r["people"]}
    outsiders = sorted({str(o["name"]) for r in (first, second) for o in r.get("outsiders", [])
                        if o.get("name")})  # fmt: skip
    scope = ":".join(str(r.get("inputs", {}).get("fingerprint", "")) for r in (first, second))
    secret = os.environ.get(SECRET_VARIABLE) or secrets.token_hex(32)
    return pseudonym_map(sorted(people.items()), outsiders, secret=secret, scope=scope)


def wave_files(files: list[str]) -> list[tuple[str, str | None]]:
    """Each wave's (people, ties): four files, or two graph files or wave folders."""
    if len(files) == 4:
        return [(files[0], files[1]), (files[2], files[3])]
    if len(files) != 2:
        raise PlacelabError(
            f"expected two waves: 4 files (people and ties of each) or 2 graph files or "
            f"folders, not {len(files)}"
        )
    return [_one_wave(file) for file in files]


def _one_wave(file: str) -> tuple[str, str | None]:
    path = Path(file)
    if not path.is_dir():
        return file, None  # a graph file; read_study says if it is not one
    missing = [name for name in WAVE_FILES if not (path / name).is_file()]
    if missing:
        raise InputError(f"the wave folder has no {' or '.join(missing)}", file=file)
    return str(path / WAVE_FILES[0]), str(path / WAVE_FILES[1])


def summary(result: dict) -> str:
    """A few lines for the terminal: response rates, then each network's ties and findings."""
    rate = {w: result["response"][w]["rate"] for w in ("before", "after")}
    lines = [
        f"Response: {_share(rate['before'])} then {_share(rate['after'])}; "
        f"{result['response']['answered_both']} answered both waves"
    ]
    for name, entry in result["everyone"]["networks"].items():
        ties = entry["ties"]
        lines.append(
            f"{label(name)}: {ties['kept']} ties kept, {ties['new']} new, {ties['lost']} lost"
        )
    clear, groups = result["findings"], result.get("finding_groups", [])
    lines.append(
        f"{len(clear)} clear change{'s' if len(clear) != 1 else ''}"
        + (f", in {len(groups)} finding{'s' if len(groups) != 1 else ''}:" if clear else "")
    )
    for group in groups:
        lead, more = group["lead"], len(group["related"])
        lines.append(
            f"[{lead['severity']}] {lead['title']}" + (f" ({more} changes)" if more > 1 else "")
        )
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
