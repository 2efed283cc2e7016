"""Workers that say they are alive, and work that is taken up again when its worker has gone.

Each piece of background work (an analysis, a report or export file, a roster being read) is a
row with ``status``, ``worker``, ``heartbeat`` and ``attempts``. A worker takes it with
:func:`work_claim`, and beats on it while it works (:func:`work_heartbeat`). Every live worker
sweeps (:func:`workers_sweep`): work still "running" whose heartbeat is older than
:func:`stale_after` lost its worker (killed, machine restarted, database gone for long) and is queued
again, up to ``MAX_ATTEMPTS`` starts, then failed with a message that says so.

Each kind of work registers how to queue its task again (:func:`recovery_register`), so the
sweep knows nothing of analyses, reports or imports.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from placelab.core.errors import PlacelabError
from placelab.web.studies.models import AnalysisRun, Worker

logger = logging.getLogger(__name__)

QUEUED, RUNNING, FAILED = AnalysisRun.QUEUED, AnalysisRun.RUNNING, AnalysisRun.FAILED
MAX_ATTEMPTS = 3
KEEP_STOPPED = timedelta(days=7)  # a stopped worker's row, for an administrator to read


def beat_every() -> float:
    """Seconds between heartbeats (10 by default); a worker sweeps every other beat."""
    return float(settings.WORKER_BEAT_SECONDS)


def stale_after() -> timedelta:
    """How long work may go unbeaten before its worker is taken for gone (60 s: six beats)."""
    return timedelta(seconds=settings.WORKER_STALE_SECONDS)


@dataclass(frozen=True)
class Recoverable:
    """A kind of work the sweep takes up again: its rows, how to queue one's task again, what a
    row says when it has been started ``MAX_ATTEMPTS`` times without finishing, and what deletes
    the rows no one will take up any more (``expire``, if any)."""

    name: str
    rows: Callable[[], QuerySet]
    requeue: Callable[[Model], None]
    gave_up: str
    expire: Callable[[], int] | None = None


RECOVERABLE: dict[str, Recoverable] = {}


def recovery_register(
    name: str,
    *,
    rows: Callable[[], QuerySet],
    requeue: Callable[[Model], None],
    gave_up: str,
    expire: Callable[[], int] | None = None,
) -> None:
    """Let the sweep take up ``rows()`` whose worker has gone; ``requeue(row)`` queues its task
    again after the row is back to QUEUED; ``expire()``, run at each sweep, deletes what has
    expired. Modules register theirs when imported."""
    RECOVERABLE[name] = Recoverable(name, rows, requeue, gave_up, expire)


# -- this process's name, as a worker ---------------------------------------------------------

_name = ""


def worker_name() -> str:
    """host:pid:random, unique per start; a process that is not a ``worker`` (the demo's
    loader, ``db_worker``) has one too, so its work records who did it."""
    global _name
    if not _name or not _name.split(":")[1] == str(os.getpid()):  # a forked child is new
        _name = f"{socket.gethostname()[:100]}:{os.getpid()}:{secrets.token_hex(4)}"
    return _name


def worker_register() -> Worker:
    now = timezone.now()
    name = worker_name()
    return Worker.objects.create(name=name, host=name.split(":")[0], pid=os.getpid(), seen=now)


def worker_beat() -> None:
    # stopped=None: a worker that was cut off long enough to be thought dead is back.
    Worker.objects.filter(name=worker_name()).update(seen=timezone.now(), stopped=None)


def worker_stop() -> None:
    Worker.objects.filter(name=worker_name()).update(stopped=timezone.now())


# -- the worker's side of one piece of work ---------------------------------------------------


def work_claim(rows: QuerySet, **fields) -> bool:
    """Take the queued row(s) of ``rows`` for this worker by one conditional UPDATE, which only
    one worker wins; ``fields`` are set with it (started, step...). True if taken."""
    return bool(
        rows.filter(status=QUEUED).update(
            status=RUNNING,
            worker=worker_name(),
            heartbeat=timezone.now(),
            attempts=F("attempts") + 1,
            **fields,
        )  # fmt: skip
    )


def work_execute(
    rows: QuerySet, compute: Callable[[], None], *, what: str, unexpected: str
) -> bool:
    """The worker's side of one queued row (an analysis, a comparison): claim it, run ``compute``
    while beating on it, and fail it with a PlacelabError's own words, or with ``unexpected`` for
    anything else (logged, and raised again for the task backend's record). True when
    ``compute`` finished; False when another worker had it, or it failed."""
    if not work_claim(rows, started=timezone.now(), step="starting", steps_done=0):
        return False  # already taken by another worker, or deleted
    try:
        with work_heartbeat(rows):  # so no sweep takes it
            compute()
    except PlacelabError as error:
        work_fail(rows, str(error))
        return False
    except Exception:
        logger.exception("%s failed", what)
        work_fail(rows, unexpected)
        raise
    return True


def work_enqueue(task, pk: int, rows: QuerySet, *, what: str, noun: str) -> None:
    """Queue ``task`` for row ``pk`` and record its task id; when the queue cannot take it, the
    row fails with words saying so ("The ``noun`` could not be queued"), rather than waiting for
    a worker that will never come."""
    try:
        queued = task.enqueue(pk)
    except Exception:
        logger.exception("could not queue %s", what)
        work_fail(rows, f"The {noun} could not be queued. Try again in a moment.")
        return
    rows.update(task_id=str(queued.id)[:64])


def work_progress(rows: QuerySet, step: str) -> None:
    """Record the step the work has reached, for the page that polls it. One short autocommitted
    UPDATE per step: no transaction is held open during the work."""
    rows.update(step=step[:200], steps_done=F("steps_done") + 1)


def work_fail(rows: QuerySet, message: str) -> None:
    rows.update(status=FAILED, finished=timezone.now(), error=message)


@contextmanager
def work_heartbeat(rows: QuerySet) -> Iterator[None]:
    """While the block runs, beat every :func:`beat_every` seconds on the rows of ``rows`` this
    worker has claimed and still runs, from a thread: the work itself may hold the main thread
    in one long computation (a layout, a PDF) for minutes.

    Inside a transaction (a test's) no other connection could see the rows: nothing beats.
    """
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()
    mine = rows.filter(status=RUNNING, worker=worker_name())
    beater = threading.Thread(target=_beat, args=(mine, stop), name="heartbeat", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()


def _beat(rows: QuerySet, stop: threading.Event) -> None:
    try:
        while not stop.wait(beat_every()):
            try:
                rows.update(heartbeat=timezone.now())
            except Exception:  # the database is away: the work goes on, the sweep judges
                logger.warning("could not record a heartbeat; trying again", exc_info=True)
                connections.close_all()
    finally:
        connections.close_all()  # this thread's own connection


# -- the sweep --------------------------------------------------------------------------------


def workers_sweep() -> int:
    """Take up again all registered work whose worker has gone; the number of rows touched.

    Workers no longer seen are marked stopped, and their unfinished django-tasks results failed,
    so nothing counts them as running; workers stopped a week ago are forgotten.
    """
    import placelab.web.studies.tasks  # noqa: F401  (its imports register every kind of work)

    _bury_dead_workers()
    Worker.objects.filter(stopped__lt=timezone.now() - KEEP_STOPPED).delete()
    for kind in list(RECOVERABLE.values()):
        if kind.expire is not None:
            kind.expire()
    return sum(work_recover(name) for name in list(RECOVERABLE))


def work_recover(name: str, rows: QuerySet | None = None) -> int:
    """Queue again (or, at ``MAX_ATTEMPTS``, fail) the work of kind ``name`` (of ``rows``, or
    all) that is running with a stale heartbeat. Pages call it for what they show, so that a
    dead run never reads as under way; two sweeps at once touch each row once, as each change
    is a conditional UPDATE that only one of them wins."""
    kind = RECOVERABLE[name]
    rows = kind.rows() if rows is None else rows
    touched = 0
    for row in rows.filter(status=RUNNING).filter(_stale(rows.model)):
        claimed = rows.filter(pk=row.pk, status=RUNNING).filter(_stale(rows.model))
        if row.attempts >= MAX_ATTEMPTS:
            touched += claimed.update(status=FAILED, error=kind.gave_up, **_finished(rows.model))
        elif claimed.update(status=QUEUED, heartbeat=None, worker="", **_reset(rows.model)):
            touched += 1
            logger.warning("%s %s lost its worker (%s): queued again", name, row.pk, row.worker)
            kind.requeue(row)
    return touched


def _stale(model: type[Model]) -> Q:
    cutoff = timezone.now() - stale_after()
    since = "started" if _has(model, "started") else "created"
    return Q(heartbeat__lt=cutoff) | Q(heartbeat__isnull=True, **{f"{since}__lt": cutoff})


def _reset(model: type[Model]) -> dict:
    return {"step": ""} if _has(model, "step") else {}


def _finished(model: type[Model]) -> dict:
    return {"finished": timezone.now()} if _has(model, "finished") else {}


def _has(model: type[Model], field: str) -> bool:
    return any(f.name == field for f in model._meta.get_fields())


def task_lost(*task_ids: str) -> None:
    """Mark the django-tasks results ``task_ids`` failed if they still read as running: their
    worker has gone, and their work was queued again as a new task."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    known = [task_id for task_id in task_ids if task_id]  # a run queued before ids were kept
    DBTaskResult.objects.filter(pk__in=known, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now(),
        exception_class_path="placelab.WorkerLost",
        traceback="The worker running this task stopped (killed or cut off) before it ended.",
    )  # fmt: skip


def _bury_dead_workers() -> None:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - stale_after()
    dead = set(
        Worker.objects.filter(stopped__isnull=True, seen__lt=cutoff).values_list("name", flat=True)
    )
    if not dead:
        return
    with transaction.atomic():
        Worker.objects.filter(name__in=dead, seen__lt=cutoff).update(stopped=timezone.now())
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        lost = [r.pk for r in running.only("pk", "worker_ids") if set(r.worker_ids[-1:]) & dead]
        task_lost(*lost)
