"""The report as a PDF: headless Chromium prints :func:`render_html`'s page with its print styles.

What the PDF is, and why:

- **Chromium, not WeasyPrint.** Both make tagged PDF from HTML; at 1,000 people WeasyPrint took
  17.5 s for the PDF (it draws each map's thousands of SVG elements in Python) and Chromium
  5.6 s, the same page (bench/README.md). Debian's ``chromium`` is already what the browser
  tests use; ``make install`` installs it.
- **Tagged, with an outline**: Chromium writes a structure tree from the HTML (headings, lists,
  tables, images with their ``alt``) and, with ``--generate-pdf-document-outline``, bookmarks
  from the headings.
- **A4 with page numbers**: the ``@page`` rules of ``templates/report.css``; no header or footer
  of Chromium's own.
- **Its title** is the page's ``<title>`` (the report's title, "(pseudonymised)" in that
  variant): nothing about a person, and no attachments.
- **Nothing from another host**: the page carries a Content-Security-Policy that allows only
  ``data:`` images and inline styles (no scripts, no fetches), and Chromium runs with a
  throwaway profile and its background networking off.

``--no-sandbox``: the page printed is placelab's own, scripts are forbidden by its policy, and
the sandbox needs user namespaces that containers and root (CI) often lack.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from placelab.core.errors import PlacelabError
from placelab.report.model import Report
from placelab.report.render import render_html

CHROMIUM_VARIABLE = "PLACELAB_CHROMIUM"
TIMEOUT_SECONDS = 300
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)
MISSING = (
    "writing a PDF needs Chromium: install Debian's chromium package (make install does), or "
    f"set {CHROMIUM_VARIABLE} to the browser's path"
)


def render_pdf(report: Report) -> bytes:
    """The whole report as a tagged A4 PDF with an outline, page numbers and its title."""
    return html_to_pdf(render_html(report))


def html_to_pdf(page: str) -> bytes:
    """Print one self-contained HTML page (the report's) to PDF with headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="placelab-pdf-") as folder:
        source, target = Path(folder, "report.html"), Path(folder, "report.pdf")
        source.write_text(page, encoding="utf-8")
        command = [
            chromium(), *FLAGS, f"--user-data-dir={Path(folder, 'profile')}",
            f"--print-to-pdf={target}", source.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise PlacelabError(
                f"Chromium took more than {TIMEOUT_SECONDS} s to print the report"
            ) from None
        if done.returncode != 0 or not target.is_file():
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["nothing"]
            raise PlacelabError(f"Chromium could not print the report (it said: {said[0]})")
        return target.read_bytes()


def chromium() -> str:
    """The browser to print with: ``$PLACELAB_CHROMIUM``, else Debian's ``chromium``."""
    found = os.environ.get(CHROMIUM_VARIABLE) or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file():
        raise PlacelabError(MISSING)
    return found
