"""The report's section "If key people leave"."""

from __future__ import annotations

from placelab.report.model import ReportContext, Section

TITLE = "If key people leave"


def build(context: ReportContext) -> Section:
    return Section(id="fragility", title=TITLE, template="sections/fragility.html", data={})
