"""Real ``manage.py worker`` processes, killed by signal or cut off from the database, and the
work they held taken up again without anyone pressing a button.

The workers are subprocesses on the test database, so the tests are transactional (the rows
must be committed for another process to see them) and need a database another process can
open: PostgreSQL, or SQLite in a file (pytest-django's SQLite test database is in memory).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from web.builders import answer_everything
from web.conftest import build_study, on_postgres
from web.servers import CuttableLink

from placelab.core.demo import generate_locality
from placelab.web.studies.models import (
    AnalysisRun,
    Invitation,
    Nomination,
    Organisation,
    Participant,
    Response,
    Study,
    Wave,
    Worker,
)
from placelab.web.studies.services.analysis import analysis_request
from placelab.web.studies.services.workers import (
    work_claim,
    work_heartbeat,
    work_recover,
    worker_name,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)
# pytest-django's SQLite test database is in memory, out of another process's reach.
other_process = pytest.mark.skipif(
    not on_postgres(), reason="a worker process needs the test database in PostgreSQL"
)
# Quick beats for the tests that only need a worker to notice sooner, not the real timings.
QUICK = {"PLACELAB_WORKER_BEAT_SECONDS": "1", "PLACELAB_WORKER_STALE_SECONDS": "4"}


def database_url(port: int | None = None) -> str:
    db = connection.settings_dict
    host, user = db["HOST"] or "127.0.0.1", db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Start ``manage.py worker`` processes on the test database; each logs to its own file."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.started = folder, []

    def start(self, *, port: int | None = None, **env: str) -> subprocess.Popen:
        with (self.folder / f"worker-{len(self.started)}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "placelab.web.manage", "worker", "--interval", "0.5"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "DATABASE_URL": database_url(port), "PLACELAB_DEBUG": "1",
                     "PLACELAB_DATA_DIR": str(self.folder), **env},
            )  # fmt: skip
        self.started.append(process)
        return process

    def log(self, process: subprocess.Popen) -> str:
        return (self.folder / f"worker-{self.started.index(process)}.log").read_text("utf-8")

    def stop_all(self) -> None:
        """SIGTERM, as systemd stops them; a second one after a moment stops a report half
        written rather than waiting for it."""
        for second_signal in (False, True):
            for process in self.started:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in self.started:
                try:
                    process.wait(timeout=10 if second_signal else 3)
                except subprocess.TimeoutExpired:
                    if second_signal:
                        process.kill()
                        process.wait()


@pytest.fixture
def workers(tmp_path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    yield started
    started.stop_all()


def wait_for(what: Callable[[], object], seconds: float, why: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := what():
            return value
        time.sleep(0.2)
    pytest.fail(f"not within {seconds} s: {why}")


def status(run: AnalysisRun) -> tuple[str, int]:
    run.refresh_from_db()
    return run.status, run.attempts


def large_wave(owner, people: int = 450) -> Wave:
    """The demo locality at ``people``: its analysis takes seconds (below 500 people, so the
    core forks no process pool a killed worker would leave behind)."""
    roster, ties = generate_locality(people=people)
    study = Study.objects.create(locality="Eastbrook", field="youth services", owner=owner)
    wave = Wave.objects.create(study=study, number=1, status=Wave.CLOSED)
    orgs = {
        name: Organisation.objects.create(study=study, name=name, sector=g.sector.iloc[0],
                                          layer=g.layer.iloc[0])
        for name, g in roster.groupby("organisation")
    }  # fmt: skip
    people_by_key = {
        p.key: p
        for p in Participant.objects.bulk_create(
            Participant(
                study=study,
                key=r.id,
                name=r.name,
                organisation=orgs[r.organisation],
                sector=r.sector,
                layer=r.layer,
                seniority=r.seniority,
            )
            for r in roster.itertuples()
        )  # fmt: skip
    }
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        Invitation(wave=wave, participant=p) for p in people_by_key.values()
    )
    answered = set(roster.loc[roster.responded == "yes", "id"])
    responses = {
        r.invitation.participant.key: r
        for r in Response.objects.bulk_create(
            Response(invitation=i, consented=now, submitted=now)
            for i in invitations
            if i.participant.key in answered
        )
    }
    inside = ties[ties.target.isin(people_by_key.keys())]
    Nomination.objects.bulk_create(
        Nomination(response=responses[t.source], network=t.network, alter=people_by_key[t.target],
                   frequency=int(t.weight) if pd.notna(t.weight) else None)
        for t in inside.itertuples()
    )  # fmt: skip
    return wave


@other_process
def test_a_run_whose_worker_is_killed_is_finished_by_another_within_90_seconds(owner, workers):
    run = analysis_request(wave=large_wave(owner), user=owner)
    first = workers.start()
    wait_for(lambda: status(run) == (AnalysisRun.RUNNING, 1), 60, "the first worker starts it")

    first.kill()  # SIGKILL: no goodbye, mid-analysis
    first.wait()
    killed = time.monotonic()
    assert status(run) == (AnalysisRun.RUNNING, 1)
    workers.start()

    # Noticed once its heartbeat is 60 s old, at the next sweep (every 20 s), and run again.
    wait_for(lambda: status(run)[1] == 2, 90, "another worker takes it up")
    taken_up = time.monotonic() - killed
    wait_for(lambda: status(run)[0] == AnalysisRun.DONE, 60, "another worker finishes it")
    assert run.attempts == 2 and run.result["people"]
    assert 55 < taken_up < 85 and time.monotonic() - killed < 120
    # The killed worker's task no longer reads as running; the new one succeeds.
    tasks = DBTaskResult.objects.filter(task_path__endswith="run_analysis").order_by("enqueued_at")
    ended = (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)
    wait_for(lambda: tuple(t.status for t in tasks.all()) == ended, 10, "the tasks recorded")
    assert "stopped" in tasks[0].traceback


@other_process
def test_a_run_whose_worker_is_killed_three_times_fails_saying_so(owner, workers):
    run = analysis_request(wave=large_wave(owner), user=owner)
    for attempt in (1, 2, 3):
        worker = workers.start(**QUICK)
        started = (AnalysisRun.RUNNING, attempt)
        wait_for(lambda started=started: status(run) == started, 60, f"start {attempt}")
        worker.kill()
        worker.wait()

    workers.start(**QUICK)

    wait_for(lambda: status(run)[0] == AnalysisRun.FAILED, 30, "the last worker gives up on it")
    assert run.attempts == 3
    assert run.error.startswith("The worker running this analysis stopped three times")
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    buried = Worker.objects.filter(stopped__isnull=False)
    wait_for(lambda: buried.count() == 3, 10, "the three killed workers are marked stopped")


@other_process
def test_two_workers_run_each_of_five_analyses_once(owner, workers):
    waves = []
    for n in range(5):
        wave = build_study(owner, locality=f"Town {n}").waves.get()
        answer_everything(wave)
        waves.append(wave)
    runs = [analysis_request(wave=wave, user=owner) for wave in waves]

    workers.start()
    workers.start()

    for run in runs:
        wait_for(lambda run=run: status(run)[0] == AnalysisRun.DONE, 120, f"run {run.pk}")
    assert [r.attempts for r in runs] == [1] * 5  # each started once
    analyses = DBTaskResult.objects.filter(task_path__endswith="run_analysis")
    succeeded = analyses.filter(status=TaskResultStatus.SUCCESSFUL)
    wait_for(lambda: succeeded.count() == 5, 10, "five tasks recorded as done")
    assert analyses.count() == 5
    assert {r.worker for r in runs} <= set(Worker.objects.values_list("name", flat=True))

    for worker in workers.started:  # SIGTERM: each ends its task in hand, then says it stopped
        worker.send_signal(signal.SIGTERM)
    assert [w.wait(timeout=60) for w in workers.started] == [0, 0]
    assert not Worker.objects.filter(stopped__isnull=True).exists()


@pytest.mark.postgres_only
@other_process
def test_a_worker_cut_off_from_the_database_keeps_serving_when_it_returns(
    owner, workers, study, wave
):
    db = connection.settings_dict
    proxy = CuttableLink((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    # Production settings, as the worker that died of it in issue 10 ran with.
    production = {"PLACELAB_DEBUG": "0", "PLACELAB_SECRET_KEY": secrets.token_urlsafe(50)}
    worker = workers.start(port=proxy.port, **production)
    wait_for(lambda: Worker.objects.filter(stopped__isnull=True).exists(), 30, "it registers")
    time.sleep(2)

    proxy.cut()
    time.sleep(10)
    assert worker.poll() is None, workers.log(worker)
    proxy.restore()

    answer_everything(wave)
    run = analysis_request(wave=wave, user=owner)
    wait_for(lambda: status(run)[0] == AnalysisRun.DONE, 90, "the worker runs it once back")
    assert worker.poll() is None
    log = workers.log(worker)
    assert log.count("The database is unreachable") == 1, log
    assert "The database is back after" in log
    workers.stop_all()
    proxy.cut()  # PostgreSQL hears at once that the worker's sessions ended


def test_only_one_worker_claims_a_run_and_it_beats_while_the_task_runs(wave, settings):
    settings.WORKER_BEAT_SECONDS = 0.2
    run = AnalysisRun.objects.create(wave=wave)
    rows = AnalysisRun.objects.filter(pk=run.pk)
    assert work_claim(rows) and not work_claim(rows)
    claimed = rows.get()
    assert (claimed.status, claimed.attempts, claimed.worker) == ("running", 1, worker_name())

    with work_heartbeat(rows):
        time.sleep(1)

    assert rows.get().heartbeat > claimed.heartbeat


# SQLite's shared in-memory test database refuses a second writer outright ("table is locked")
# rather than making it wait, so the race is tried where workers share a database for real.
@pytest.mark.skipif(not on_postgres(), reason="two sweeps need PostgreSQL's concurrent writers")
def test_two_sweeps_at_once_queue_a_dead_run_once(wave):
    a_while_ago = timezone.now() - timedelta(minutes=2)
    run = AnalysisRun.objects.create(
        wave=wave, status=AnalysisRun.RUNNING, started=a_while_ago, heartbeat=a_while_ago,
        attempts=1,
    )  # fmt: skip
    together, touched = threading.Barrier(2), []

    def sweep() -> None:
        together.wait()
        touched.append(work_recover("analysis"))
        connections.close_all()

    sweepers = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweepers:
        thread.start()
    for thread in sweepers:
        thread.join()

    assert sorted(touched) == [0, 1]
    assert status(run) == (AnalysisRun.QUEUED, 1)
    assert DBTaskResult.objects.filter(task_path__endswith="run_analysis").count() == 1
