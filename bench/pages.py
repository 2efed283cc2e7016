"""How long the owner's and the respondent's pages take at 10,000 people (issue 11).

``python -m bench.pages [--people 10000] [--responses 3000] [--limit-ms 300] [--readme]``

Builds, in a fresh SQLite database (or the one ``DATABASE_URL`` names), a study of ``--people``
people (the demo's generator put on the roster through the owner's import, ``bench.load_data``),
everyone invited and most of them emailed, ``--responses`` of them started (four in five
submitted, each naming a few people, now and then someone off the list). Then it asks each page
through Django's test client, server side only (no network, no browser): once to warm it, then
``--repeats`` times, and reports the median. It exits 1 if any page's median is over
``--limit-ms``; ``--readme`` writes the table into bench/README.md's section.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.django_site import setup_django

README = Path(__file__).with_name("README.md")
SECTION = "## Pages at 10,000 people (issue 11)"
TABLE_START, TABLE_END = "<!-- pages: start -->", "<!-- pages: end -->"


@dataclass(frozen=True)
class Timing:
    page: str
    url: str
    status: int
    median_ms: float
    worst_ms: float
    cpu_ms: float  # this process's CPU time: Django, and SQLite's work, without waiting
    queries: int


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(args.folder or scratch)
        started = time.perf_counter()
        wave = existing() or build(args.people, args.responses, seed=args.seed)
        analyse()
        built = time.perf_counter() - started
        timings = measure(wave, repeats=args.repeats)
        people = wave.study.participants.count()
        answered = wave.invitations.filter(response__page="review").count()  # not the walkers
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"{people:,} people, {answered:,} responses; built in {built:.0f} s; "
          f"load average {load} at the end")  # fmt: skip
    print(table(timings, args.limit_ms))
    slow = [t for t in timings if t.median_ms > args.limit_ms or t.status >= 400]
    if args.readme:
        write_readme(table(timings, args.limit_ms))
    for t in slow:
        print(f"FAIL {t.page}: {t.median_ms:.0f} ms (status {t.status})", file=sys.stderr)
    return 1 if slow else 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--responses", type=int, default=3_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit-ms", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--readme", action="store_true", help="write the table to README.md")
    parser.add_argument(
        "--folder", help="keep the site here, and reuse the study already in it (to try a change)"
    )
    return parser.parse_args(argv)


# --- the study ----------------------------------------------------------------------------------


def existing():
    """The wave built by an earlier run in the same ``--folder``, if there is one."""
    from placelab.web.studies.models import Wave

    return Wave.objects.filter(study__owner__username="load-owner").first()


def analyse() -> None:
    """On PostgreSQL, gather the planner's statistics, as autovacuum does within a minute or so
    of a bulk load in production: without them the first plans over 10,000 fresh rows are
    three to four times slower (measured: the response rate's query, 33 ms against 9 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build(people: int, responses: int, *, seed: int):
    """The open wave of a study of ``people``, everyone invited, ``responses`` started."""
    from django.utils import timezone

    from bench.load_data import make_study
    from placelab.web.studies.models import Invitation, Nomination, Response

    wave, _pages = make_study(people, seed)
    draw = random.Random(seed)
    now = timezone.now()
    invitations = list(wave.invitations.order_by("pk"))
    # Nine in ten emailed; a few without an address, whose links are copied by hand.
    emailed = [i.pk for i in invitations if draw.random() < 0.9]
    Invitation.objects.filter(pk__in=emailed).update(sent=now)
    no_email = [i.participant_id for i in draw.sample(invitations, len(invitations) // 50)]
    wave.study.participants.filter(pk__in=no_email).update(email="")
    started = draw.sample(invitations, min(responses, len(invitations)))
    Response.objects.bulk_create(
        Response(invitation=i, consented=now, submitted=now if draw.random() < 0.8 else None,
                 page="review")
        for i in started
    )  # fmt: skip
    everyone = [i.participant_id for i in invitations]
    rows = Response.objects.filter(invitation__wave=wave).values_list("pk", flat=True)
    Nomination.objects.bulk_create(_nominations(list(rows), everyone, wave.study.networks, draw))
    return wave


def _nominations(responses: list[int], everyone: list[int], networks: list[str], draw):
    """A few people in a few networks for each respondent, and one in ten names someone off
    the list (about 300 different names, so the outsiders page has a list to show)."""
    from placelab.web.studies.models import Nomination

    for response in responses:
        for network in draw.sample(networks, 3):
            for alter in draw.sample(everyone, 4):
                yield Nomination(response_id=response, network=network, alter_id=alter,
                                 frequency=draw.randint(1, 5))  # fmt: skip
        if draw.random() < 0.1:
            name = f"Sam Outsider {draw.randint(1, 300)}"
            yield Nomination(response_id=response, network=networks[0], outsider=name)


# --- the pages ----------------------------------------------------------------------------------


def pages(wave) -> list[tuple[str, str]]:
    """(what, url) for each page timed: the owner's, then one respondent's every survey page."""
    from django.urls import reverse

    s, n = wave.study_id, wave.number
    owner = [
        ("study page", reverse("studies:detail", args=[s])),
        ("roster", reverse("studies:roster", args=[s])),
        ("roster, last page", reverse("studies:roster", args=[s]) + "?page=9999"),
        ("invitations", reverse("studies:invitations", args=[s, n])),
        ("invitations, searched", reverse("studies:invitations", args=[s, n]) + "?q=school"),
        ("invitations, last page", reverse("studies:invitations", args=[s, n]) + "?page=9999"),
        ("invitations' figures (JSON)", reverse("studies:invitations_status", args=[s, n])),
        ("invitation email", reverse("studies:invitation_wording", args=[s, n])),
        ("responses", reverse("studies:responses", args=[s, n])),
        ("responses, last page", reverse("studies:responses", args=[s, n]) + "?page=9999"),
        ("response rate (JSON)", reverse("api:response_rate", args=[s, n])),
        ("named off the list", reverse("studies:outsiders", args=[s, n])),
    ]
    return owner + survey_pages(wave)


def survey_pages(wave) -> list[tuple[str, str]]:
    """Every page of the survey of someone who has consented and not submitted, as
    ``survey_get(...).steps`` lists them (whatever layout the study's survey has)."""
    from django.urls import reverse
    from django.utils import timezone

    from placelab.web.studies.models import Response
    from placelab.web.studies.selectors.survey import THANKS, survey_get

    invitation = wave.invitations.filter(response__isnull=True).order_by("pk").first()
    Response.objects.create(invitation=invitation, consented=timezone.now())
    steps = survey_get(invitation=invitation).steps
    return [
        (f"survey: {step.slug}", reverse("survey:page", args=[invitation.token, step.slug]))
        for step in steps
        if step.kind != THANKS  # shown only after submitting
    ]


def measure(wave, *, repeats: int) -> list[Timing]:
    from django.db import connection, reset_queries
    from django.test import Client

    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(wave.study.owner)
    found = []
    for what, url in pages(wave):
        client.get(url)  # warm: the first request of a page fills caches
        times, cpu = [], []
        for _ in range(repeats):
            reset_queries()
            started, used = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.process_time() - used))
        queries = len(connection.queries)
        found.append(Timing(what, url, response.status_code, statistics.median(times),
                            max(times), statistics.median(cpu), queries))  # fmt: skip
    return found


def table(timings: list[Timing], limit_ms: float) -> str:
    lines = [
        f"| page | status | median ms | worst ms | CPU ms | queries | under {limit_ms:.0f} ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        verdict = "yes" if t.median_ms <= limit_ms and t.status < 400 else "**no**"
        lines.append(f"| {t.page} | {t.status} | {t.median_ms:.0f} | {t.worst_ms:.0f} | "
                     f"{t.cpu_ms:.0f} | {t.queries} | {verdict} |")  # fmt: skip
    return "\n".join(lines)


def write_readme(text: str) -> None:
    """Replace the table between the markers of README.md's section with ``text``."""
    readme = README.read_text()
    if TABLE_START not in readme:
        raise SystemExit(f"{README} has no {TABLE_START} marker to write the table after")
    head, rest = readme.split(TABLE_START, 1)
    _old, tail = rest.split(TABLE_END, 1)
    README.write_text(f"{head}{TABLE_START}\n{text}\n{TABLE_END}{tail}")


if __name__ == "__main__":
    sys.exit(main())
