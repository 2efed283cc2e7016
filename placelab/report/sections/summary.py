"""The report's section "Summary"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "Summary"


def build(context: ReportContext) -> Section:
    return Section(id="summary", title=TITLE, template="sections/summary.html", data={})
