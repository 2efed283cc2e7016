"""The ``placelab report`` subcommand: a study's files to the report, as HTML and/or PDF.

``placelab/cli.py`` adds it with :func:`add_report_command`. It reads and checks every input,
analyses, diagnoses (with ``--answers``), builds the report and renders it before writing
anything, so a bad file leaves no output behind, as ``placelab analyze`` does.

``--pseudonymise`` writes the variant for people not allowed to see names
(:func:`placelab.core.pseudonymise.viewer_analysis`, through ``build_report``). Pseudonyms are
numbered under a secret: ``PLACELAB_PSEUDONYM_SECRET`` when it is set, so that "Person 12" is
the same person in every report made with it; otherwise a random one, new for each run. A fixed
secret written into placelab would let anyone holding the roster's ids number it again.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

from placelab.cli_diagnose import add_sector_option, allowed_sectors, answers_bank, network_names
from placelab.core.errors import InputError, PlacelabError
from placelab.core.io.result_json import write_texts
from placelab.core.networks.analysis import Parameters
from placelab.core.study import Study, load

SECRET_VARIABLE = "PLACELAB_PSEUDONYM_SECRET"
_OUTPUTS = ("html_path", "pdf_path")


def add_report_command(commands) -> None:
    """Add ``report`` to the ``placelab`` command's subparsers."""
    sub = commands.add_parser(
        "report",
        help="write the study report (summary, maps, connectors, diagnosis) as HTML and PDF",
        description="Analyse people.csv and ties.csv (and answers.csv, for the diagnosis) and "
        "write the study report.",
    )
    sub.add_argument("people", help="people.csv or people.xlsx")
    sub.add_argument("ties", help="ties.csv or ties.xlsx")
    sub.add_argument("--answers", help="answers.csv or .xlsx: adds the diagnosis")
    sub.add_argument("--html", dest="html_path", help="write the report as one HTML file")
    sub.add_argument("--pdf", dest="pdf_path", help="write the report as a PDF (A4)")
    sub.add_argument(
        "--pseudonymise", action="store_true",
        help=f"people as 'Person N', for readers not allowed names (numbers stable under "
        f"${SECRET_VARIABLE}, random otherwise)",
    )  # fmt: skip
    sub.add_argument(
        "--reference", metavar="RANGES.json",
        help="density reference ranges or a reference pool (placelab pool; docs/reference-pool.md)",
    )  # fmt: skip
    sub.add_argument(
        "--title", help="the report's title (by default the field and the place: "
        "'Secondary education in Hartwell')",
    )  # fmt: skip
    sub.add_argument("--locality", default="", help="the place, e.g. Hartwell")
    sub.add_argument("--field", default="", help="the field, e.g. Secondary education")
    sub.add_argument("--seed", type=int, default=0, help="seed for every random step")
    add_sector_option(sub)
    sub.add_argument("--networks", help="the study's networks, comma-separated, fixed")
    sub.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sub.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Check everything, compute everything, then write: a bad file leaves nothing behind."""
    from placelab.cli import _progress, analysed  # cli.py imports this module

    paths = output_paths(args, _OUTPUTS, "say where to write the report: --html and/or --pdf FILE")
    say = None if args.quiet else _progress(time.monotonic())
    sectors = allowed_sectors(args)
    study = load(
        args.people, args.ties, sectors=sectors, networks=network_names(args.networks),
        parameters=Parameters(seed=args.seed), progress=say,
    )  # fmt: skip
    result = analysed(study, args.reference, args.field)
    diagnosis = _diagnosis(args, study, sectors, say) if args.answers else None
    report = _build(args, result, diagnosis)
    write_texts({path: render_report(name, report, say) for name, path in paths.items()})
    if say:
        say("done")
    return 0


def output_paths(args: argparse.Namespace, names: tuple[str, ...], missing: str) -> dict:
    """The output files asked for, checked before any work: each its own, in a folder that is."""
    paths = {name: Path(getattr(args, name)) for name in names if getattr(args, name)}
    if not paths:
        raise PlacelabError(missing)
    if len(set(paths.values())) < len(paths):
        raise PlacelabError("each output needs a file of its own")
    for path in paths.values():
        if not path.parent.is_dir():
            raise PlacelabError(f"{path}: there is no folder {path.parent} to write into")
        if path.is_dir():
            raise PlacelabError(f"{path} is a folder: name a file to write")
    return paths


def _diagnosis(
    args: argparse.Namespace, study: Study, sectors: tuple[str, ...], say: Callable | None
) -> dict:
    """The diagnosis as ``placelab diagnose`` makes it, with the network's findings joined.

    Bad answers stop the command (InputError); answers too few to diagnose give a report whose
    diagnosis says why, as the web's does.
    """
    # Imported here, not at the top: SciPy's statistics would slow every other command's start.
    from placelab.core.toolkit.diagnosis import DiagnosisParameters, diagnose_files

    if say:
        say("diagnosis")
    bank = answers_bank(args.answers)
    try:
        return diagnose_files(
            args.answers, args.people, bank=bank, sectors=sectors,
            network_findings=study.findings, parameters=DiagnosisParameters(seed=args.seed),
        )  # fmt: skip
    except InputError:
        raise
    except PlacelabError as error:
        if not args.quiet:
            print(f"placelab: no diagnosis in the report: {error}", file=sys.stderr)
        return {"unavailable": f"Too few answers to diagnose the place: {error}"}


def _build(args: argparse.Namespace, result: dict, diagnosis: dict | None):
    from placelab.core.pseudonymise import result_pseudonyms
    from placelab.report import About, build_report
    from placelab.report.model import study_title

    files = [Path(p).name for p in (args.people, args.ties, args.answers) if p]
    about = About(
        title=args.title or study_title(args.locality, args.field),
        locality=args.locality, field=args.field,
        date=f"{datetime.date.today():%-d %B %Y}", source="From " + ", ".join(files),
    )  # fmt: skip
    pseudonyms = None
    if args.pseudonymise:
        secret = os.environ.get(SECRET_VARIABLE) or secrets.token_hex(32)
        pseudonyms = result_pseudonyms(result, secret=secret)
    return build_report(result, diagnosis, about=about, pseudonyms=pseudonyms)


def render_report(output: str, report, say: Callable | None = None) -> str | bytes:
    """The report as HTML (``html_path``) or PDF (``pdf_path``), saying so to ``say``."""
    if say:
        say("HTML" if output == "html_path" else "PDF")
    if output == "html_path":
        from placelab.report import render_html

        return render_html(report)
    from placelab.report.pdf import render_pdf

    return render_pdf(report)
