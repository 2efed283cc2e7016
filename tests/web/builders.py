"""A wave as it looks after people respond (made with the ORM), and the worker that analyses it."""

from __future__ import annotations

import csv
import signal

import pandas as pd
from django.core.management import call_command
from django.utils import timezone
from small_study import SMALL_TIES

from placelab.core.toolkit.demo_answers import generate_answers
from placelab.web.studies.models import Answer, Invitation, Nomination, Participant, Response, Wave
from placelab.web.studies.selectors.survey import survey_bank


def submit(
    wave: Wave,
    key: str,
    ties: list[tuple[str, str, int | None]] = (),
    answers: dict[str, str] | None = None,
    *,
    submitted: bool = True,
) -> Response:
    """``key``'s response to ``wave``: ties as (network, alter key or outsider text, frequency).

    A target that is not a participant key is recorded as "someone not on the list".
    """
    invitation = Invitation.objects.get(wave=wave, participant__key=key)
    response = Response.objects.create(
        invitation=invitation, consented=timezone.now(),
        submitted=timezone.now() if submitted else None,
    )  # fmt: skip
    roster = {p.key: p for p in Participant.objects.filter(study=wave.study)}
    for network, target, frequency in ties:
        alter = roster.get(target)
        Nomination.objects.create(
            response=response, network=network, alter=alter,
            outsider="" if alter else target, frequency=frequency,
        )  # fmt: skip
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=value) for item, value in (answers or {}).items()
    )
    return response


def answer_everything(wave: Wave) -> None:
    """Everyone in the small study submits its ties (tests/small_study.py) and answers the
    self-assessment as the demo's respondents would, except p08, who never answers."""
    people = pd.DataFrame(
        [{"id": p.key, "sector": p.sector, "seniority": p.seniority, "responded": True}
         for p in Participant.objects.filter(study=wave.study).order_by("key")]
    ).set_index("id")  # fmt: skip
    people.loc["p08", "responded"] = False
    answers = generate_answers(people, survey_bank(study=wave.study), seed=7)
    rows = list(csv.DictReader(SMALL_TIES.splitlines()))
    for key in people.index[people["responded"]]:
        ties = [(r["network"], r["target"], int(r["weight"]) if r["weight"] else None)
                for r in rows if r["source"] == key]  # fmt: skip
        mine = answers[answers["respondent"] == key]
        submit(wave, key, ties, dict(zip(mine["item"], mine["answer"], strict=True)))


def run_worker() -> None:
    """``manage.py db_worker --batch``: run the queued tasks, then stop."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False,
                     verbosity=0)  # fmt: skip
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
