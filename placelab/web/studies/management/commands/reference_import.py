"""``manage.py reference_import FILE --source TEXT``: add another installation's reference pool
(a file written by ``reference_export`` or ``placelab pool``). The file is checked whole first:
a bad one is refused with what is wrong, and nothing changes. Importing the same source again
replaces what it gave before."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from placelab.core.errors import PlacelabError
from placelab.web.studies.services.reference import reference_import


class Command(BaseCommand):
    help = "Add the reference pool in FILE under --source, replacing that source's earlier one."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a reference pool (JSON)")
        parser.add_argument(
            "--source", required=True,
            help='whose pool it is, e.g. "Northshire County Council, 2026"; an import under '
            "the same source replaces this one",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        try:
            added = reference_import(path=options["file"], source=options["source"])
        except PlacelabError as error:
            raise CommandError(f"{error}. Nothing was imported.") from None
        self.stdout.write(f"Imported {added} studies' figures from {options['source']}.")
