"""The report as a PDF: WeasyPrint lays out :func:`render_html`'s page with its print styles.

What the PDF is, and why:

- **Tagged, PDF/UA-1** (``pdf_variant="pdf/ua-1"``): a structure tree from the HTML (headings,
  lists, tables, figures with their ``alt``), the document's language and its title shown in
  the reader's window, so a screen reader reads it in order.
- **An outline** (bookmarks) from the ``<h1>``-``<h4>`` headings: WeasyPrint's default
  ``bookmark-level`` for headings.
- **A4 with page numbers**: the ``@page`` rules of ``templates/report.css`` (print media).
- **Metadata** set here rather than trusted to the page: the title is the report's title
  (``About.title``), the author placelab, no attachments. The pseudonymised variant's metadata
  is made only from ``About``, which holds no roster data.
- **Nothing from another host**: the fetcher refuses every URL but ``data:``, so a name in a
  study file that looks like a URL is never fetched and the PDF reads the same offline.
"""

from __future__ import annotations

from typing import Any

from placelab.report.model import Report
from placelab.report.render import render_html

GENERATOR = "placelab"
# PDF/UA-1 implies tags and PDF 1.7 (WeasyPrint's weasyprint.pdf.pdfua.VARIANTS).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "attachments": None}


def render_pdf(report: Report, **options: Any) -> bytes:
    """The whole report as a tagged A4 PDF with an outline, page numbers and its title.

    ``options`` go to WeasyPrint's ``write_pdf`` on top of :data:`PDF_OPTIONS` (tests pass
    ``uncompressed_pdf=True`` to read the content streams).
    """
    from weasyprint import HTML  # imported when a PDF is wanted: it loads pango

    page = HTML(string=render_html(report), url_fetcher=_local_only(), media_type="print")
    document = page.render(**{**PDF_OPTIONS, **options})
    _set_metadata(document.metadata, report)
    return document.write_pdf(**{**PDF_OPTIONS, **options})


def _set_metadata(metadata: Any, report: Report) -> None:
    """Title, author, subject and language from the report's ``About``; no attachments."""
    about = report.about
    metadata.title = about.title + (" (pseudonymised)" if report.pseudonymised else "")
    metadata.authors = [GENERATOR]
    metadata.generator = GENERATOR
    metadata.description = " · ".join(filter(None, (about.locality, about.field, about.wave)))
    metadata.keywords = []
    metadata.attachments = []
    metadata.custom = {}
    metadata.lang = "en-GB"


def _local_only() -> Any:
    """A WeasyPrint URL fetcher that fetches ``data:`` URIs (the maps) and refuses the rest."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1)
