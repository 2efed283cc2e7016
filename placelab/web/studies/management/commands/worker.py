"""``manage.py worker``: run the background tasks (analyses, reports and exports, roster imports,
emails) as django-tasks' database worker (``db_worker``) does, with what production needs:

- it registers itself (a ``Worker`` row named host:pid:random) and beats every
  ``PLACELAB_WORKER_BEAT_SECONDS`` (10), from a thread, so a long task never silences it;
- every other beat it sweeps: work whose worker has gone is queued again (services.workers);
- a lost database does not end it: it closes its connections, waits (1 s doubling to 30 s,
  logged once per outage) and serves again when the database is back;
- it never reloads on code changes, and SIGTERM or SIGINT stop it cleanly once the task in hand
  is done (a second signal stops it at once); its row then says when it stopped.

Run as many as you like, on any machines that reach the database.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, connection, connections
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker

from placelab.web.studies.services import workers

logger = logging.getLogger("placelab.worker")
DATABASE_ERRORS = (OperationalError, InterfaceError)
LONGEST_WAIT = 30.0


class RecoveringWorker(db_worker.Worker):
    """django-tasks' worker loop, started again after the database comes back."""

    def run(self) -> None:
        while self.running:
            try:
                super().run()
                return  # --max-tasks reached, or told to stop
            except DATABASE_ERRORS as error:
                self.running_task = False
                self.startup_delay = False
                wait_for_database(error, lambda: self.running)


def wait_for_database(error: Exception, keep_waiting=lambda: True) -> None:
    """Wait, 1 s doubling to 30 s, until the database answers again; log once either side."""
    logger.error("The database is unreachable (%s); trying again until it is back.", error)
    lost, delay = time.monotonic(), 1.0
    while keep_waiting():
        _close_connections()
        time.sleep(delay)
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DATABASE_ERRORS:
            delay = min(delay * 2, LONGEST_WAIT)
            continue
        logger.warning("The database is back after %.0f s; serving again.", time.monotonic() - lost)
        return


def _close_connections() -> None:
    for alias in connections:
        try:
            connections[alias].close()
        except DATABASE_ERRORS:
            pass  # already broken: Django opens a new one on the next query


class Pulse(threading.Thread):
    """The worker's own heartbeat and sweep, beside the task the main thread runs."""

    def __init__(self) -> None:
        super().__init__(name="worker-pulse", daemon=True)
        self.stop = threading.Event()
        self.outage = False

    def run(self) -> None:
        beats = 0
        try:
            while True:
                self.pulse(sweep=beats % 2 == 0)
                beats += 1
                if self.stop.wait(workers.beat_every()):
                    return
        finally:
            connections.close_all()  # this thread's own

    def pulse(self, *, sweep: bool) -> None:
        try:
            workers.worker_beat()
            if sweep:
                workers.workers_sweep()
        except DATABASE_ERRORS as error:
            if not self.outage:  # once per outage: the main loop says when it is back
                logger.warning("Could not record the worker's heartbeat (%s).", error)
            self.outage = True
            _close_connections()
        except Exception:
            logger.exception("The sweep for work whose worker has gone failed; trying again.")
        else:
            self.outage = False


class Command(db_worker.Command):
    help = (
        "Run background tasks (analyses, reports, exports, roster imports, emails); work whose "
        "worker has gone is taken up again. Run one or more beside the web server."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue-name", default=DEFAULT_TASK_QUEUE_NAME,
            help="The queues to serve, comma-separated, or '*' for all (default: %(default)r)",
        )  # fmt: skip
        parser.add_argument(
            "--interval", default=1.0, type=db_worker.valid_interval,
            help="Seconds to wait between looks at an empty queue (default: %(default)r)",
        )  # fmt: skip
        parser.add_argument(
            "--max-tasks", default=None, type=db_worker.valid_max_tasks,
            help="Stop after this many tasks (default: never)",
        )  # fmt: skip

    def handle(self, *, verbosity: int, queue_name: str, interval: float, max_tasks, **options):
        self.configure_logging(verbosity)
        self.register()
        loop = RecoveringWorker(
            queue_names=queue_name.split(","), interval=interval, batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=True, max_tasks=max_tasks,
            worker_id=workers.worker_name(), excluded_queue_names=[],
        )  # fmt: skip
        pulse = Pulse()
        loop.configure_signals()
        try:
            pulse.start()
            logger.info("Worker %s serving queue %s.", workers.worker_name(), queue_name)
            loop.run()
        finally:
            pulse.stop.set()
            pulse.join(timeout=5)
            self.unregister()

    def register(self) -> None:
        while True:
            try:
                workers.worker_register()
                return
            except DATABASE_ERRORS as error:
                wait_for_database(error)

    def unregister(self) -> None:
        try:
            workers.worker_stop()
            logger.info("Worker %s stopped.", workers.worker_name())
        except DATABASE_ERRORS:
            logger.warning(
                "Worker %s stopped; the database did not hear it.", workers.worker_name()
            )
