"""How long the web takes to turn a wave's rows into the core's inputs, against the CLI's files,
and how long the analysis page's "answers have changed since" check takes.

``python -m bench.web [--sizes 1000,10000]``

For each size, a synthetic locality (``generate_large``) is loaded into a fresh SQLite database
(or the one ``DATABASE_URL`` names) as an answered wave; then, in the same run, the CLI reads
the same data from the exported ``people.csv`` and ``ties.csv`` (the baseline), and the web's
``wave_inputs`` reads it from the database; each is timed three times and the fastest kept, in
CPU time on SQLite (the database runs in this process) and in wall time on PostgreSQL (it runs
in another). Both must give the same fingerprint.

Then the check (``run_is_stale``) is timed on an analysed wave as a page view meets it: nothing
changed since the analysis (one query on the wave's stamp), and just after a tie changed (the
wave read and hashed again, as every check did before the stamps). From 1,000 people on, the
command exits 1 if the web reads more slowly than the CLI, or the check of an unchanged wave
takes 100 ms or more.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.django_site import setup_django

RATIO_TARGET = 1.0  # the web's reading against the CLI's, at most
CHECK_TARGET = 0.100  # seconds for the check of an unchanged wave, under
TARGETS_FROM = 1_000  # people: smaller waves are timed but not held to the targets
REPEATS = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args(argv)
    missed = []
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        for people in (int(s) for s in args.sizes.split(",")):
            line, problems = measure(people, Path(folder))
            print(line, flush=True)
            missed += problems
    for problem in missed:
        print(f"MISSED: {problem}", file=sys.stderr)
    return 1 if missed else 0


def measure(people: int, folder: Path) -> tuple[str, list[str]]:
    from django.db import connection

    from placelab.core.study import read_study
    from placelab.web.studies.selectors.analysis_inputs import wave_export, wave_inputs

    wave = load_wave(people)
    files = wave_export(wave=wave, folder=folder)
    clock = time.process_time if connection.vendor == "sqlite" else time.perf_counter
    networks = wave.study.networks
    cli, from_files = fastest(clock, lambda: read_study(files["people.csv"], files["ties.csv"],
                                                         networks=networks))  # fmt: skip
    web, inputs = fastest(clock, lambda: wave_inputs(wave))
    assert inputs.data.fingerprint() == from_files.fingerprint()
    unchanged, after_change = check_times(wave, inputs)
    ratio = web / cli
    line = (
        f"{people:>7,} people, {len(from_files.ties):>9,} ties: CLI reads the files in "
        f"{cli:6.2f} s, the web reads the database in {web:6.2f} s ({ratio:4.2f} x; "
        f"{'CPU' if clock is time.process_time else 'wall'} time); answers-changed check "
        f"{unchanged * 1000:5.1f} ms unchanged, {after_change:5.2f} s just after a change"
    )
    problems = []
    if people >= TARGETS_FROM:
        if ratio > RATIO_TARGET:
            problems.append(f"{people:,} people: the web reads {ratio:.2f}x the CLI's time")
        if unchanged >= CHECK_TARGET:
            problems.append(f"{people:,} people: the check took {unchanged * 1000:.0f} ms")
    return line, problems


def fastest(clock, work):
    best, result = float("inf"), None
    for _ in range(REPEATS):
        started = clock()
        result = work()
        best = min(best, clock() - started)
    return best, result


def check_times(wave, inputs) -> tuple[float, float]:
    """The check's wall time on an analysed wave, unchanged (fastest of five), and at the first
    page view after a tie changed; the analysis is recorded as the worker records it."""
    from django.utils import timezone

    from placelab.web.studies.models import AnalysisRun, Nomination
    from placelab.web.studies.selectors.results import run_is_stale

    run = AnalysisRun.objects.create(
        wave=wave, status=AnalysisRun.DONE, finished=timezone.now(),
        inputs_hash=inputs.fingerprint, inputs_stamp=inputs.stamp,
    )  # fmt: skip
    unchanged = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        stale = run_is_stale(AnalysisRun.objects.get(pk=run.pk))
        unchanged = min(unchanged, time.perf_counter() - started)
        assert stale is False
    tie = Nomination.objects.filter(response__invitation__wave=wave).order_by("pk").first()
    Nomination.objects.filter(pk=tie.pk).update(frequency=5 if tie.frequency != 5 else 4)
    started = time.perf_counter()
    assert run_is_stale(AnalysisRun.objects.get(pk=run.pk)) is True
    return unchanged, time.perf_counter() - started


def load_wave(people: int):
    """The locality as a closed, answered wave, loaded as the demo loader loads it."""
    import pandas as pd
    from django.contrib.auth import get_user_model

    from placelab.core.demo import generate_large
    from placelab.web.studies.management.commands.load_demo import answered_study

    roster, ties = generate_large(people, seed=1)
    roster = roster.set_index("id").assign(responded=roster.set_index("id")["responded"] == "yes")
    ties = ties.astype(str)
    answers = pd.DataFrame(columns=["respondent", "item", "answer"])
    owner, _ = get_user_model().objects.get_or_create(username=f"bench-{people}")
    return answered_study(owner, roster, ties, answers).waves.get()


if __name__ == "__main__":
    sys.exit(main())
