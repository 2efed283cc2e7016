"""The ``placelab compare`` subcommand: two waves of a study, from files to a JSON comparison.

``placelab/cli.py`` adds it with :func:`add_compare_command`; the comparison itself is
``placelab.core.networks.compare.compare_waves``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from placelab.cli_diagnose import add_sector_option, allowed_sectors, network_names
from placelab.core.errors import InputError, PlacelabError
from placelab.core.vocabulary import label

WAVE_FILES = ("people.csv", "ties.csv")


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
    sub.add_argument("--json", dest="json_path", required=True, help="write the comparison here")
    sub.add_argument("--seed", type=int, default=0, help="seed for every random step")
    sub.add_argument("--resamples", type=int, default=200, help="bootstrap resamples (200)")
    sub.add_argument("--networks", help="the study's networks, comma-separated, fixed")
    add_sector_option(sub)
    sub.add_argument("--quiet", action="store_true", help="print no summary")
    sub.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """Read and check both waves, compare, then write: a bad file leaves nothing behind."""
    from placelab.core.io.result_json import result_text, write_texts
    from placelab.core.networks.compare import compare_waves
    from placelab.core.networks.parameters import Parameters
    from placelab.core.study import read_study

    if args.resamples < 1:
        raise PlacelabError("--resamples must be at least 1")
    sectors, networks = allowed_sectors(args), network_names(args.networks)
    before, after = (
        read_study(people, ties, sectors=sectors, networks=networks)
        for people, ties in wave_files(args.files)
    )
    result = compare_waves(
        before, after, Parameters(seed=args.seed), resamples=args.resamples, seed=args.seed
    )
    write_texts({Path(args.json_path): result_text(result)})
    if not args.quiet:
        print(summary(result))
    return 0


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
    clear = result["findings"]
    lines.append(
        f"{len(clear)} clear change{'s' if len(clear) != 1 else ''}" + (":" if clear else "")
    )
    lines += [f"[{f['severity']}] {f['title']}" for f in clear]
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
