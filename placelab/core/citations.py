"""Citations of the seed documents, in the shape the network findings use.

A citation records the document, its file in ``shared/seeds/``, the section, the line range
``[first, last]`` in that file and an anchor: a few words found verbatim in those lines (joined
with single spaces), so a test can prove the passage exists. The toolkit's data files write
``{"doc": "nesta", "section": ..., "lines": [a, b], "anchor": ...}``; :func:`citation` expands
``doc`` into the document's name and file.
"""

from __future__ import annotations

from typing import Any

DOCUMENTS: dict[str, dict[str, str]] = {
    "nesta": {"document": "NESTA / Young Foundation report", "file": "002_e44b9f2a63977112.txt"},
    "pascal": {
        "document": "PASCAL: Localism, place-making and social innovation",
        "file": "000_e841bada15ff17df.txt",
    },
}
# How a reader is pointed to each document: author and year, as a report's reference list would.
# The PASCAL paper carries no date; its latest source is of 2011.
READER_NAMES: dict[str, str] = {
    "NESTA / Young Foundation report": "NESTA / Young Foundation 2008",
    "PASCAL: Localism, place-making and social innovation": "PASCAL, Localism, place-making "
    "and social innovation",
}


def citation(spec: dict[str, Any]) -> dict[str, Any]:
    """``{"doc", "section", "lines", "anchor"}`` -> ``{"document", "file", "section", ...}``."""
    first, last = (int(n) for n in spec["lines"])
    return {
        **DOCUMENTS[spec.get("doc", "nesta")],
        "section": str(spec["section"]),
        "lines": [first, last],
        "anchor": str(spec["anchor"]),
    }


def reader_citation(cited: dict[str, Any] | None) -> str:
    """A citation as a reader meets it: report and section, never file or lines.

    >>> reader_citation({"document": "NESTA / Young Foundation report", "section": "Appendix C 2.4"})
    'NESTA / Young Foundation 2008, Appendix C 2.4'
    """
    if not cited:
        return ""
    document = str(cited.get("document", ""))
    name = READER_NAMES.get(document, document)
    section = str(cited.get("section") or "").strip()
    return f"{name}, {section}" if section else name
