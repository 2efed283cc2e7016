"""The report's section "How the numbers were made"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "How the numbers were made"


def build(context: ReportContext) -> Section:
    return Section(id="methods", title=TITLE, template="sections/methods.html", data={})
