"""A throwaway placelab site for the web benchmarks: Django set up on a fresh data folder (SQLite,
or the database ``DATABASE_URL`` names) and migrated."""

from __future__ import annotations

import os


def setup_django(folder: str) -> None:
    os.environ.setdefault("PLACELAB_DEBUG", "1")
    os.environ["PLACELAB_DATA_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "placelab.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
