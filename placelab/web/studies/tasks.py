"""Background tasks (django-tasks, database backend): run them with ``manage.py db_worker``.

In production run one or more workers beside the web server, e.g. a systemd unit running
``python -m placelab.web.manage db_worker`` with the same environment as the site; ``make demo``
starts one. A task holds only ids: the worker reads everything else from the database.
"""

from __future__ import annotations

from django_tasks import task

from placelab.web.studies.services.analysis import analysis_execute


@task()
def run_analysis(run_id: int) -> None:
    """Run the queued analysis ``run_id`` (an ``AnalysisRun``); progress is saved as it goes."""
    analysis_execute(run_id=run_id)
