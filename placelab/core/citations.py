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


def citation(spec: dict[str, Any]) -> dict[str, Any]:
    """``{"doc", "section", "lines", "anchor"}`` -> ``{"document", "file", "section", ...}``."""
    first, last = (int(n) for n in spec["lines"])
    return {
        **DOCUMENTS[spec.get("doc", "nesta")],
        "section": str(spec["section"]),
        "lines": [first, last],
        "anchor": str(spec["anchor"]),
    }
