"""The report's section "Key connectors and social capital"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "Key connectors and social capital"


def build(context: ReportContext) -> Section:
    return Section(id="connectors", title=TITLE, template="sections/connectors.html", data={})
