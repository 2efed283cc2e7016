"""The analysed study as an Excel workbook, in words a council officer reads.

Sheets: People (one row per person), Measures (one row per person and network), Key connectors,
Ties, Networks (one row per network), Alignment and Method. Headings and values are labels
(:func:`~placelab.core.vocabulary.label`), never codes; ids stay as they are, since they are
what the input files and the other exports name people by. Missing numbers are empty cells.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from placelab.core.io.exports import check_exportable
from placelab.core.networks.brokerage import BROKERAGE_ROLES
from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.vocabulary import label

MEASURE_LABELS = {
    "in_degree": "Named by (in-degree)",
    "out_degree": "Names (out-degree)",
    "in_strength": "Named by, weighted (in-strength)",
    "out_strength": "Names, weighted (out-strength)",
    "degree": "Ties either way (degree)",
    "betweenness": "Betweenness",
    "harmonic": "Harmonic closeness",
    "information": "Information centrality",
    "pagerank": "PageRank",
    "k_core": "k-core",
    "constraint": "Constraint (Burt)",
}
# Gould and Fernandez's roles of the middle person b in a -> b -> c, by sector; their
# "gatekeeper" is not NetForm's, so the heading says what it counts first.
BROKERAGE_LABELS = {
    "coordinator": "Brokers within own sector (coordinator)",
    "itinerant": "Brokers for another sector (itinerant)",
    "representative": "Brokers from own sector out (representative)",
    "gatekeeper": "Brokers into own sector (Gould and Fernandez's gatekeeper)",
    "liaison": "Brokers between two other sectors (liaison)",
}
NETWORK_LABELS = {
    "people": "People",
    "ties": "Ties",
    "density": "Density",
    "reciprocity": "Reciprocity",
    "components": "Components",
    "largest_component": "People in the largest component",
    "isolates": "People with no tie",
    "degree_centralisation": "Degree centralisation",
    "share_naming_anyone": "Share of respondents who named anyone",
    "mean_names_per_respondent": "Names per respondent (mean)",
}
ALIGNMENT_LABELS = {
    "network_a": "Network",
    "network_b": "Other network",
    "r": "Correlation (QAP r)",
    "p": "p (one-sided)",
    "shared_ties": "Ties in both",
    "highlighted": "Highlighted",
}
ROSTER_LABELS = {"id": "Id", "responded": "Answered the survey"}
_CODED = ("sector", "layer", "seniority")


def xlsx_bytes(result: dict) -> bytes:
    """The workbook as the bytes of an ``.xlsx`` file."""
    check_exportable(result)
    book = Workbook(write_only=True)
    names = {p["id"]: p.get("name") or "" for p in result["people"]}
    sheets = {
        "People": _people(result),
        "Measures": _measures(result),
        "Key connectors": _key_connectors(result, names),
        "Ties": _ties(result, names),
        "Networks": _networks(result),
        "Alignment": _alignment(result),
        "Method": _method(result["method"]),
    }
    for title, rows in sheets.items():
        _write(book.create_sheet(title), rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(sheet: WriteOnlyWorksheet, rows: Iterator[list]) -> None:
    heading = next(rows)
    sheet.freeze_panes = "A2"
    for number, text in enumerate(heading):
        sheet.column_dimensions[_column(number)].width = max(10, min(len(str(text)) + 2, 48))
    bold = Font(bold=True)
    sheet.append([_bold(sheet, text, bold) for text in heading])
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])


def _text_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """Text starting with "=" as a text cell: openpyxl would otherwise store it as a formula
    that Excel runs (a name such as =HYPERLINK(...) could leak the workbook)."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _bold(sheet: WriteOnlyWorksheet, text: object, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _column(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _yes(value: object) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _networks_of(result: dict) -> list[str]:
    return list(result["networks"])


# --- the sheets --------------------------------------------------------------------------------


def _people(result: dict) -> Iterator[list]:
    columns = list(dict.fromkeys(k for p in result["people"] for k in p if k != "networks"))
    core = set(result["core_group"]["members"])
    positions = result["layout"].get("positions", {})
    yield [
        *(ROSTER_LABELS.get(c) or label(c) for c in columns),
        "In the core group", "Map position across (x)", "Map position down (y)",
    ]  # fmt: skip
    for person in result["people"]:
        row = [_roster_cell(c, person.get(c)) for c in columns]
        x, y = positions.get(person["id"], (None, None))
        yield [*row, _yes(person["id"] in core), x, y]


def _roster_cell(column: str, value: object) -> object:
    if value is None or value == "":
        return None
    if column == "responded":
        return _yes(value)
    return label(value) if column in _CODED else value


def _measures(result: dict) -> Iterator[list]:
    yield [
        "Id", "Name", "Network", *MEASURE_LABELS.values(), "Roles", "Primary role",
        "Community", *BROKERAGE_LABELS.values(),
    ]  # fmt: skip
    for network in _networks_of(result):
        for person in result["people"]:
            measures = person.get("networks", {}).get(network)
            if measures is None:
                continue
            yield [
                person["id"], person.get("name"), label(network),
                *(measures.get(m) for m in MEASURE_LABELS),
                ", ".join(label(r) for r in measures.get("roles") or []) or None,
                label(measures["primary_role"]) if measures.get("primary_role") else None,
                measures.get("community"),
                *((measures.get("brokerage") or {}).get(r) for r in BROKERAGE_ROLES),
            ]  # fmt: skip


def _key_connectors(result: dict, names: dict[str, str]) -> Iterator[list]:
    yield ["Network", "Role", "Id", "Name", "Organisation", "Sector", "Score", "Scored by"]
    people = {p["id"]: p for p in result["people"]}
    for network in _networks_of(result):
        found = result["networks"][network].get("key_connectors", {})
        for role, measure in ROLE_SCORES.items():
            for person in found.get(role, []):
                record = people.get(person, {})
                score = record.get("networks", {}).get(network, {}).get(measure)
                yield [
                    label(network), label(role), person, names.get(person),
                    record.get("organisation"), _roster_cell("sector", record.get("sector")),
                    score, MEASURE_LABELS[measure],
                ]  # fmt: skip


def _ties(result: dict, names: dict[str, str]) -> Iterator[list]:
    yield ["Network", "From (id)", "From", "To (id)", "To", "Weight"]
    for network, ties in result["ties"].items():
        for source, target, weight in ties:
            yield [label(network), source, names.get(source), target, names.get(target), weight]


def _networks(result: dict) -> Iterator[list]:
    first: dict = next(iter(result["networks"].values()), {})
    groupings = list(first.get("ei_index", {}))
    yield [
        "Network", *NETWORK_LABELS.values(),
        *(f"E-I index by {label(g).lower()}" for g in groupings),
        "Communities", *(f"{label(r)}s" for r in ROLE_SCORES),
    ]  # fmt: skip
    for network in _networks_of(result):
        summary = result["networks"][network]
        yield [
            label(network), *(summary.get(k) for k in NETWORK_LABELS),
            *(summary.get("ei_index", {}).get(g) for g in groupings),
            summary.get("communities", {}).get("count"),
            *(len(summary.get("key_connectors", {}).get(r, [])) for r in ROLE_SCORES),
        ]  # fmt: skip


def _alignment(result: dict) -> Iterator[list]:
    yield list(ALIGNMENT_LABELS.values())
    for row in result["alignment"]:
        yield [
            label(row["network_a"]), label(row["network_b"]), row.get("r"), row.get("p"),
            row.get("shared_ties"), _yes(row.get("highlighted")),
        ]  # fmt: skip


def _method(method: dict) -> Iterator[list]:
    yield ["Topic", "How it was done"]
    yield from _notes(method, ())


def _notes(notes: dict, path: tuple[str, ...]) -> Iterable[list]:
    for key, value in notes.items():
        topic = (*path, "E-I index" if key == "ei_index" else label(key))
        if isinstance(value, dict):
            yield from _notes(value, topic)
        elif value is not None:
            text = _yes(value) if isinstance(value, bool) else value
            yield [": ".join(topic), text]
