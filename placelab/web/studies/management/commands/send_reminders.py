"""Remind everyone in every open wave who was sent a link and has not submitted (for cron).

Run it as often as you like, e.g. hourly: nobody is reminded more than once every 24 hours,
and a run at the same moment as the owner's Remind button emails nobody twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import QuerySet
from django.utils import timezone

from placelab.web.studies.models import Wave
from placelab.web.studies.services.invitations import Delivery, reminders_send


def open_waves() -> QuerySet[Wave]:
    return Wave.objects.filter(status=Wave.OPEN).select_related("study").order_by("study", "number")


def remind_wave(wave: Wave, *, now: dt.datetime) -> Delivery:
    return reminders_send(wave=wave, now=now)


def summary(wave: Wave, delivery: Delivery) -> str:
    line = f"{wave.study} (study {wave.study_id}), {wave}: {len(delivery.sent)} reminded"
    if delivery.failed:
        line += f", {len(delivery.failed)} failed (mail server)"
    return line


class Command(BaseCommand):
    help = "Email a reminder to those who have not submitted, in every open wave."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        failures = 0
        for wave in open_waves():
            delivery = remind_wave(wave, now=now)
            failures += len(delivery.failed)
            self.stdout.write(summary(wave, delivery))
        if failures:
            self.stderr.write(f"{failures} reminders could not be sent; the next run retries them")
