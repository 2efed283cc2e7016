"""The report's section "The networks"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "The networks"


def build(context: ReportContext) -> Section:
    return Section(id="networks", title=TITLE, template="sections/networks.html", data={})
