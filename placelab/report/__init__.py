"""The study report: one model (:func:`build_report`), rendered as HTML and PDF."""

from placelab.report.model import FULL, PSEUDONYMISED, About, Report, build_report
from placelab.report.render import render_html

__all__ = ["FULL", "PSEUDONYMISED", "About", "Report", "build_report", "render_html"]
