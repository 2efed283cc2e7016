"""The ``placelab diagnose`` subcommand: options, and the run from files to a JSON diagnosis.

``placelab/cli.py`` adds it with :func:`add_diagnose_command`; the run itself is
``placelab.core.toolkit.diagnose_files``, the same call the Python interface makes.
"""

from __future__ import annotations

import argparse

from placelab.core.errors import PlacelabError
from placelab.core.io.tables import read_table
from placelab.core.vocabulary import SECTORS

FACTORS = ("urgency", "capital", "professions", "evidence")


def add_diagnose_command(commands) -> None:
    """Add ``diagnose`` to the ``placelab`` command's subparsers."""
    sub = commands.add_parser(
        "diagnose",
        help="diagnose the lifecycle phase, strategic triangle and conditions for change",
        description="Diagnose a place from self-assessment answers (answers.csv or .xlsx, long "
        "respondent,item,answer or wide respondent + one column per item).",
    )
    sub.add_argument("answers", help="answers.csv or answers.xlsx")
    sub.add_argument("--people", help="people.csv: breakdowns by sector, layer and seniority")
    sub.add_argument("--ties", help="ties.csv (with --people): join the network findings")
    sub.add_argument("--networks", help="with --ties: the study's networks, comma-separated")
    sub.add_argument("--json", dest="json_path", help="write the full diagnosis as JSON")
    sub.add_argument("--seed", type=int, default=0, help="seed for the bootstrap (default 0)")
    sub.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    sub.add_argument(
        "--bank-version",
        help="item bank version (default: the newest one the answers' items belong to)",
    )
    sub.add_argument(
        "--exclude-group", action="append", default=[], metavar="GROUP",
        help="switch off a group of items, e.g. omr_community (repeatable)",
    )  # fmt: skip
    sub.add_argument("--items", metavar="ITEMS.json", help="the study's own items and scales")
    sub.add_argument(
        "--weights", type=_levels(0, 10), default={}, metavar="F=W,...",
        help="method chooser weights, e.g. urgency=2,evidence=0.5",
    )  # fmt: skip
    sub.add_argument(
        "--context", type=_levels(1, 5), default={}, metavar="F=L,...",
        help="state factor levels (1-5) instead of the survey's, e.g. capital=4",
    )  # fmt: skip
    add_sector_option(sub)
    sub.add_argument("--quiet", action="store_true", help="print no summary")
    sub.set_defaults(run=run_diagnose)


def answers_bank(answers: str, version: str | None = None):
    """The item bank an answers file is read with: ``version`` when given, else the one its
    items were answered in (``placelab diagnose``, ``report`` and ``compare`` alike)."""
    # Imported here, not at the top: SciPy's statistics would slow every other command's start.
    from placelab.core.toolkit.answers import answered_items
    from placelab.core.toolkit.bank import bank_version_for, load_bank

    return load_bank(version or bank_version_for(answered_items(read_table(answers))))


def run_diagnose(args: argparse.Namespace) -> int:
    """Check everything, compute everything, then write: a bad file leaves nothing behind."""
    # Imported here, not at the top: SciPy's statistics would slow every other command's start.
    from placelab.core.toolkit.bank import read_study_items
    from placelab.core.toolkit.diagnosis import (
        DiagnosisParameters,
        diagnose_files,
        write_diagnosis,
    )

    if args.ties and not args.people:
        raise PlacelabError("--ties needs --people: the network is read from both files")
    bank = answers_bank(args.answers, args.bank_version).without_groups(args.exclude_group)
    if args.items:
        bank = bank.with_items(read_study_items(args.items), file=args.items)
    sectors = allowed_sectors(args)
    network = _network_findings(args, sectors) if args.ties else None
    parameters = DiagnosisParameters(
        seed=args.seed, resamples=args.resamples,
        method_weights=args.weights, context=args.context,
    )  # fmt: skip
    result = diagnose_files(
        args.answers, args.people, bank=bank, sectors=sectors,
        network_findings=network, parameters=parameters,
    )  # fmt: skip
    if args.json_path:
        write_diagnosis(result, args.json_path)
    if not args.quiet:
        print(summary(result))
    return 0


def summary(result: dict) -> str:
    """A few lines for the terminal: the phase, the triangle and the findings' titles."""
    lines = []
    life = result["lifecycle"]
    if life and not life["phase"]:
        lines.append(
            f"Phase: none clearly described (closest {life['leading']['name'].lower()}, "
            f"below the agree band)"
        )
    elif life:
        runner = life["runner_up"]["name"].lower() if life["runner_up"] else "none"
        lines.append(
            f"Phase: {life['phase']['name'].lower()} ({life['confidence']['label']} confidence; "
            f"runner-up {runner})"
        )
    triangle = result["triangle"]
    if triangle:
        weak = triangle["weak_corner"]["label"] if triangle["weak_corner"] else "none"
        lines.append(f"Triangle: weak corner {weak}; path {triangle['path'] or 'not judged'}")
    lines += [f"[{f['severity']}] {f['title']}" for f in result["findings"]]
    return "\n".join(lines)


def _network_findings(args: argparse.Namespace, sectors: tuple[str, ...]) -> list[dict]:
    from placelab.core.networks.analysis import Parameters  # only paid for with --ties
    from placelab.core.study import load

    study = load(
        args.people, args.ties, sectors=sectors, networks=network_names(args.networks),
        parameters=Parameters(seed=args.seed),
    )  # fmt: skip
    return study.findings


def add_sector_option(parser: argparse.ArgumentParser) -> None:
    """``--sector NAME`` (repeatable), as every command that reads a roster takes it."""
    parser.add_argument(
        "--sector", action="append", default=[], metavar="NAME",
        help="allow a sector beyond the standard list (repeatable)",
    )  # fmt: skip


def allowed_sectors(args: argparse.Namespace) -> tuple[str, ...]:
    """The standard sectors and those ``--sector`` allows."""
    return (*SECTORS, *args.sector)


def network_names(text: str | None) -> list[str] | None:
    """``--networks work,innovation``: the study's networks, fixed; None to read them from ties."""
    return [name.strip() for name in text.split(",")] if text else None


def _levels(low: float, high: float):
    def parse(text: str) -> dict[str, float]:
        out = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            try:
                number = float(value)
            except ValueError:
                number = float("nan")
            if name not in FACTORS or not low <= number <= high:
                raise argparse.ArgumentTypeError(
                    f"{part!r}: expected FACTOR=NUMBER with FACTOR one of {', '.join(FACTORS)} "
                    f"and NUMBER from {low:g} to {high:g}"
                )
            out[name] = number
        return out

    return parse
