"""``manage.py reference_export FILE``: write the installation's reference pool to a JSON file
to share with other installations (format: docs/reference-pool.md): the studies here whose
owners opted in, and the pools imported before, each entry with its source."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placelab.web.studies.services.reference import EXPORTED, reference_export


class Command(BaseCommand):
    help = "Write the reference pool (anonymised figures of the studies that share them) to FILE."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="where to write the pool (JSON)")
        parser.add_argument(
            "--source", default=EXPORTED,
            help=f'how the pool names this installation (default: "{EXPORTED}")',
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        pool = reference_export(source=options["source"])
        try:
            Path(options["file"]).write_text(json.dumps(pool, indent=1) + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}") from None
        self.stdout.write(f"Wrote {len(pool['entries'])} studies' figures to {options['file']}.")
