"""``manage.py load_demo DIR``: the demo locality as studies a newcomer can open and answer.

Reads ``people.csv``, ``ties.csv`` and ``answers.csv`` from DIR, and the second wave's from
``DIR/wave2`` (written by ``make demo``), and makes, for a demo owner whose password it prints:

- "Secondary education in Riverside": the demo locality with two closed waves a year apart,
  answered as the files say (in the second the voluntary sector has moved nearer the core), each
  with its analysis and reports;
- "Youth services in Northfield": a smaller roster with an open wave, so a newcomer can take the
  survey through one of the printed links.

Running it again replaces both studies and sets a new password.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from placelab.core.demo import SECOND_WAVE_FOLDER, generate_locality
from placelab.core.errors import PlacelabError
from placelab.core.io.tables import Table, read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit.planned import SHORT_FORM
from placelab.web.studies.models import (
    Answer,
    Invitation,
    Nomination,
    Participant,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.selectors.invitations import survey_link
from placelab.web.studies.selectors.roster import EMAIL, roster_preview
from placelab.web.studies.services.roster import roster_import

DEMO_USER = "demo"
ANSWERED = ("Riverside", "Secondary education")
OPEN = ("Northfield", "Youth services")
OPEN_PEOPLE = 24
WAVE_TITLES = ("Spring survey", "Spring survey, a year on")


class Command(BaseCommand):
    help = (
        "Load the demo locality (from DIR's people.csv, ties.csv, answers.csv, and its second "
        "wave's in DIR/wave2) as two studies."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            waves = [read_wave(directory), read_wave(directory / SECOND_WAVE_FOLDER)]
        except (PlacelabError, OSError) as error:
            raise CommandError(f"{error} (run `make demo-data` first)") from None
        password = secrets.token_urlsafe(9)
        with transaction.atomic():
            owner = demo_owner(password)
            Study.objects.filter(owner=owner).delete()
            answered = answered_study(owner, *waves[0])
            for number, files in enumerate(waves[1:], 2):
                answered_wave(answered, number, *files)
            open_wave = open_study(owner)
        runs = [analyse(wave) for wave in answered.waves.order_by("number")]
        self.report(password, answered, runs, open_wave)

    def report(self, password: str, answered: Study, runs: list, open_wave: Wave) -> None:
        say = self.stdout.write
        say(f"Demo owner: user name '{DEMO_USER}', password '{password}'")
        say(f"  sign in at {settings.SITE_URL}{reverse('login')}")
        say(f"Answered study: {settings.SITE_URL}{reverse('studies:detail', args=[answered.pk])}")
        for run in runs:
            say(f"  {run.wave}, analysis: {run.status}" + (f" ({run.error})" if run.error else ""))
            for stored in run.files.defer("content"):
                status = f"{stored.status} ({stored.error})" if stored.error else stored.status
                say(f"    report ({stored.get_variant_display()}, {stored.format}): {status}")
        say("Open survey links in Northfield (each is one person's private link):")
        for invitation in open_wave.invitations.select_related("participant")[:3]:
            say(f"  {invitation.participant.name}: {survey_link(invitation.token)}")


def demo_owner(password: str):
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USER, defaults={"email": "demo@example.org"}
    )
    user.set_password(password)
    user.save()
    return user


def read_wave(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A wave's people (checked, indexed by id), ties and answers, as the demo writes them."""
    people = people_from_table(read_table(folder / "people.csv"))
    ties = pd.read_csv(folder / "ties.csv", dtype=str)
    answers = pd.read_csv(folder / "answers.csv", dtype=str, keep_default_na=False)
    return people, ties, answers


def answered_study(owner, people: pd.DataFrame, ties: pd.DataFrame, answers: pd.DataFrame) -> Study:
    locality, field = ANSWERED
    study = Study.objects.create(
        locality=locality, field=field, owner=owner,
        description="A synthetic locality shaped like the pilot of the NESTA / Young Foundation "
        "report (Appendix C 4): everyone in it is invented.",
        attributes=[{"key": "role_title", "label": "Your job title"},
                    {"key": "years_in_post", "label": "Years in your post"}],
    )  # fmt: skip
    answered_wave(study, 1, people, ties, answers)
    return study


def answered_wave(
    study: Study, number: int, people: pd.DataFrame, ties: pd.DataFrame, answers: pd.DataFrame
) -> Wave:
    """A closed wave of ``study`` answered as the files say; its people join the roster (those
    already on it are updated), and only they are invited."""
    title = WAVE_TITLES[number - 1]
    wave = Wave.objects.create(study=study, number=number, status=Wave.CLOSED, title=title)
    by_key = roster(study, people)
    now = timezone.now()
    responses = {}
    for key in people.index:
        invitation = Invitation.objects.create(wave=wave, participant=by_key[key], sent=now)
        if people.at[key, "responded"]:
            responses[key] = Response.objects.create(
                invitation=invitation, consented=now, submitted=now, page="review"
            )
    Nomination.objects.bulk_create(
        Nomination(
            response=responses[t.source],
            network=t.network,
            alter=by_key.get(t.target),
            outsider="" if t.target in by_key else t.target,
            frequency=int(float(t.weight)) if t.weight else None,
        )  # fmt: skip
        for t in ties.itertuples(index=False)
    )
    Answer.objects.bulk_create(
        Answer(response=responses[a.respondent], item=a.item, value=a.answer)
        for a in answers.itertuples(index=False)
        if a.answer
    )
    return wave


def roster(study: Study, people: pd.DataFrame) -> dict[str, Participant]:
    """Put ``people`` (indexed by id) on the roster through the owner's import: the same
    checks, and the same rule for new organisations (the first row naming one sets it)."""
    frame = people.reset_index().drop(columns="responded").fillna("").astype(str)
    frame[EMAIL] = frame["id"] + f"@{study.locality.lower()}.example.org"
    columns = tuple(frame.columns)
    rows = tuple((n, dict(zip(columns, r, strict=True))) for n, r in enumerate(frame.values, 2))
    preview = roster_preview(study=study, table=Table("people.csv", columns, rows))
    if preview.problems:
        raise CommandError(
            f"the demo roster does not pass the import's checks: {preview.problems[0]}"
        )
    roster_import(study=study, rows=preview.rows)
    return {p.key: p for p in study.participants.order_by("key")}


def open_study(owner) -> Wave:
    locality, field = OPEN
    people, _ties = generate_locality(people=OPEN_PEOPLE, seed=11)
    people["organisation"] = people["organisation"].str.replace("Borough", "Northfield")
    study = Study.objects.create(
        locality=locality, field=field, owner=owner,
        description="Everyone who works with young people in Northfield, in the council, "
        "schools, health, the police, the voluntary sector and residents' groups, is asked the "
        "same questions.",
        # Asked as a new study asks: each person a share of the statements (issue 11).
        assessment_statements=SHORT_FORM,
    )  # fmt: skip
    wave = Wave.objects.create(study=study, number=1, status=Wave.OPEN, title="First survey")
    for person in roster(study, people.set_index("id")).values():
        Invitation.objects.create(wave=wave, participant=person)
    return wave


def analyse(wave: Wave):
    """Run the wave's analysis and write its reports now, in this process, as the worker would:
    the demo opens with the report ready to download."""
    from placelab.web.studies.services.analysis import analysis_run_now

    return analysis_run_now(wave=wave, write_reports=True)
