"""The report's section "Sectors and layers"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "Sectors and layers"


def build(context: ReportContext) -> Section:
    return Section(id="groups", title=TITLE, template="sections/groups.html", data={})
