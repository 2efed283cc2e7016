"""Background tasks (django-tasks, database backend): run them with ``manage.py worker``.

In production run one or more workers beside the web server, e.g. a systemd unit running
``python -m placelab.web.manage worker`` with the same environment as the site; ``make demo``
starts one. A task holds only ids: the worker reads everything else from the database.

The work on a row (an analysis, a run's files, a roster import) beats on it while it runs
(``work_heartbeat``, in each service), so that if its worker dies another takes it up
(services.workers).
"""

from __future__ import annotations

from django_tasks import task

from placelab.web.studies.models import Wave
from placelab.web.studies.services.analysis import analysis_execute
from placelab.web.studies.services.comparison import comparison_execute
from placelab.web.studies.services.invitations import INVITATION, invitations_send, reminders_send
from placelab.web.studies.services.reports import reports_write
from placelab.web.studies.services.roster import roster_import_work


@task()
def run_analysis(run_id: int) -> None:
    """Run the queued analysis ``run_id`` (an ``AnalysisRun``); progress is saved as it goes."""
    analysis_execute(run_id=run_id)


@task()
def run_comparison(comparison_id: int) -> None:
    """Compare the two analysed waves of the queued ``comparison_id`` (a ``Comparison``)."""
    comparison_execute(comparison_id=comparison_id)


@task()
def write_reports(run_id: int) -> None:
    """Write the reports of the finished analysis ``run_id``, with names and pseudonymised, as
    HTML and PDF, and the exports asked for (Excel, GraphML, GEXF), and store them with it; each
    file's progress is saved as it goes."""
    reports_write(run_id=run_id)


@task()
def deliver_emails(wave_id: int, kind: str) -> dict[str, int]:
    """Email a wave's unsent invitations (``kind`` "invitation") or its due reminders.

    Away from the request, a long list cannot outlast a web server's time limit half-way; each
    email is still claimed before it goes, so a second press or the reminder command at the
    same moment emails nobody twice.
    """
    wave = Wave.objects.select_related("study").get(pk=wave_id)
    delivery = (invitations_send if kind == INVITATION else reminders_send)(wave=wave)
    return {"sent": len(delivery.sent), "failed": len(delivery.failed), "skipped": delivery.skipped}


@task()
def import_roster(import_id: int) -> None:
    """Read and check an uploaded roster (a ``PendingImport``) for its preview, or save it once
    its owner confirmed it: away from the request, so a large file never holds up a page."""
    roster_import_work(import_id=import_id)
