"""A finished analysis's stored reports: which variants a user may have, and where each stands.

Those allowed names get the report with names by default and may take the pseudonymised one to
share; everyone else with access gets only the pseudonymised one (``access.sees_names``).
"""

from __future__ import annotations

from django.http import Http404

from placelab.web.studies.access import StudyAccess
from placelab.web.studies.models import AnalysisRun, RunFile

# The worker's steps for each variant (services.reports), in order: the page counts them.
STEPS = (
    "working out the findings and drawing the maps",
    "writing the web page (HTML)",
    "laying out the pages of the PDF",
)


def report_variants(access: StudyAccess) -> tuple[str, ...]:
    """The variants this user may download, the one they get by default first."""
    if access.sees_names:
        return (RunFile.FULL, RunFile.PSEUDONYMISED)
    return (RunFile.PSEUDONYMISED,)


def report_variant(access: StudyAccess, asked: str | None) -> str:
    """The variant a download gives: ``asked`` if this user may have it, their default if none
    was asked; Http404 for the full report to someone not allowed names, as the other
    downloads with names answer."""
    allowed = report_variants(access)
    if asked is None:
        return allowed[0]
    if asked not in allowed:
        raise Http404("No such report")
    return asked


def report_files(run: AnalysisRun) -> dict[tuple[str, str], RunFile]:
    """The run's stored reports by (variant, format), without their content."""
    rows = RunFile.objects.filter(run=run).defer("content")
    return {(r.variant, r.format): r for r in rows}


def report_file(run: AnalysisRun, variant: str, format: str) -> RunFile | None:
    """One stored report; its content is read only when asked for (it may be megabytes)."""
    return RunFile.objects.filter(run=run, variant=variant, format=format).defer("content").first()


def step_number(stored: RunFile) -> int:
    """How many of :data:`STEPS` the worker has started on ``stored``'s variant (0 while queued)."""
    if stored.status == RunFile.QUEUED:
        return 0
    return STEPS.index(stored.step) + 1 if stored.step in STEPS else 1
