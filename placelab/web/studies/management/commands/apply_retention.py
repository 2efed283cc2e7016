"""``manage.py apply_retention``: the daily pass of the retention period (run by cron or a
systemd timer, README "Data protection"): tell owners whose answers fall due within 14 days,
and delete the answers that are due."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from placelab.web.studies.services.retention import retention_apply


class Command(BaseCommand):
    help = "Email owners whose answers fall due soon, and delete the answers that are due."

    def handle(self, *args, **options) -> None:
        done = retention_apply()
        self.stdout.write(
            f"Told {len(done.notified)} owner(s); deleted the answers of "
            f"{len(done.deleted)} wave(s)."
        )
