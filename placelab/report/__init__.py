"""Reports of an analysis: ``render_html`` turns a result dict into one self-contained page."""

from placelab.report.html import render_html

__all__ = ["render_html"]
