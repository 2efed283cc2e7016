"""The ``placelab pool`` subcommand: analysis results to a reference pool file.

``placelab/cli.py`` adds it with :func:`add_pool_command`; what an entry holds, and what it
never holds, is ``placelab.core.reference`` (docs/reference-pool.md).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from placelab.core.errors import InputError

RESULT_FORMAT = "placelab-result/1"


def add_pool_command(commands) -> None:
    """Add ``pool`` to the ``placelab`` command's subparsers."""
    sub = commands.add_parser(
        "pool",
        help="build a reference pool of anonymised figures from analysis results",
        description="Build a reference pool from results of placelab analyze --json: each "
        "study's size band, response rate and, per network, density, reciprocity, "
        "centralisation, E-I index by sector kind and layer, and each sector's share of the key "
        "connectors; no name, place, organisation or free text. placelab analyze --reference "
        "POOL.json then reads a study against comparable ones.",
    )
    sub.add_argument("results", nargs="+", metavar="RESULT.json", help="results to pool")
    sub.add_argument("--out", required=True, metavar="POOL.json", help="write the pool here")
    sub.add_argument(
        "--source", required=True,
        help="who made the pool, for the reports that use it, e.g. 'Northshire councils'",
    )  # fmt: skip
    sub.add_argument(
        "--field", default="",
        help="the studies' field, e.g. Secondary education (kept only as a one-way key)",
    )  # fmt: skip
    sub.add_argument(
        "--add-to", metavar="POOL.json",
        help="an earlier pool whose entries to keep (a study in both takes its new figures)",
    )  # fmt: skip
    sub.add_argument("--date", help="the pool's date, YYYY-MM-DD (today by default)")
    sub.set_defaults(run=run_pool)


def run_pool(args: argparse.Namespace) -> int:
    """Read and check every result first, then write the pool: a bad file leaves nothing."""
    from placelab.core.io.result_json import write_texts
    from placelab.core.reference import pool_document, read_pool, study_aggregates

    entries: dict[str, dict] = {}
    if args.add_to:
        entries = {e["key"]: e for e in read_pool(args.add_to)["entries"]}
    for path in args.results:
        entry = study_aggregates(read_result(path), field=args.field)
        if entry["key"] in entries:
            print(f"placelab: {path}: this study is already in the pool: its figures replace "
                  "the earlier ones", file=sys.stderr)  # fmt: skip
        entries[entry["key"]] = entry
    date = args.date or datetime.datetime.now(datetime.UTC).date().isoformat()
    document = pool_document(entries.values(), source=args.source, date=date)
    write_texts({Path(args.out): json.dumps(document, indent=2) + "\n"})
    print(f"{len(entries)} {'study' if len(entries) == 1 else 'studies'} in {args.out}")
    return 0


def read_result(path: str) -> dict:
    """An analysis result written by ``placelab analyze --json``, or InputError saying why not."""
    try:
        result = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(f"not JSON: {error}", file=path, expected=RESULT_FORMAT) from None
    if not isinstance(result, dict) or result.get("format") != RESULT_FORMAT:
        found = result.get("format") if isinstance(result, dict) else type(result).__name__
        raise InputError(
            f"not an analysis result (format {found!r})", file=path, column="format",
            expected=f"{RESULT_FORMAT}, from placelab analyze --json",
        )  # fmt: skip
    for key in ("inputs", "networks", "people"):
        if not isinstance(result.get(key), dict | list):
            raise InputError("missing", file=path, column=key, expected=RESULT_FORMAT)
    return result
