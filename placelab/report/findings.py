"""The findings a reader meets: the network findings and the diagnosis' own, each once.

The web's pages and the report show the same list (:func:`all_findings`), so a finding reads the
same wherever it is met.
"""

from __future__ import annotations

from collections.abc import Mapping

SEVERITIES = ("high", "medium", "low", "info")


def all_findings(result: Mapping, diagnosis: Mapping | None) -> list[dict]:
    """The network findings and the diagnosis' own, most severe first.

    The diagnosis repeats the network findings that bear on it, graded for the phase it found
    (an excluded sector matters less early on: ``core.networks.findings.graded``); those copies
    are shown in place of the result's, once. Findings of equal severity keep their order:
    the network findings first, then the diagnosis' own.
    """
    told = (diagnosis or {}).get("findings", [])
    graded = {f.get("id"): f for f in told if f.get("origin") == "networks"}
    own = [f for f in told if f.get("origin") != "networks"]
    found = [graded.get(f.get("id"), f) for f in result.get("findings", [])] + own
    return sorted(found, key=severity_rank)


def severity_rank(finding: Mapping) -> int:
    """0 for a high finding, 3 for information; an unknown severity reads as information."""
    severity = finding.get("severity", "info")
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES) - 1
