"""The report's section "The diagnosis"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "The diagnosis"


def build(context: ReportContext) -> Section:
    return Section(id="diagnosis", title=TITLE, template="sections/diagnosis.html", data={})
