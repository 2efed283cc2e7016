"""Read Pajek ``.net`` files: one network, or several relations in one file.

placelab reads Pajek itself, because neither reader at hand reads the files Pajek users have:
igraph 1.0's ``Graph.Read_Pajek`` refuses a relation's label (``*Arcs :2 "advice"``, how Pajek
keeps several networks in one file) and makes a file that has both ``*Arcs`` and ``*Edges``
wholly undirected; NetworkX 3's ``read_pajek`` reads every line after the first ``*Arcs`` or
``*Edges`` as an edge (a second section's header too) and needs a label on every vertex.

What is read (Batagelj and Mrvar, *Pajek manual*, "Network" files):

- ``*Vertices n``, then a line per vertex: its number, and optionally a quoted label and
  coordinates (ignored). A two-mode network (``*Vertices n n1``) is refused: its vertices are
  not all people.
- ``*Arcs`` (directed) and ``*Edges`` (undirected: a tie both ways), a line per tie: the two
  vertex numbers and optionally a weight; ``*Arcslist`` and ``*Edgeslist``, a vertex followed
  by those it names; ``*Matrix``, a row of values per vertex.
- Each of those sections may open a relation, ``*Arcs :2 "advice"``, its label the network's
  name; a tie line may also say its own relation (``2: 1 3``). Without a label the relation is
  ``relation_2``; a file with none at all is one network, named as
  :func:`~placelab.core.io.mapping.network_for_unnamed` says.
- ``%`` starts a comment line; ``*Network`` names the file's network (kept for no use).

A person's id is their vertex's label when every vertex has a different one, so that the files
placelab writes and its messages use names; otherwise the vertex's number.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from placelab.core.errors import InputError
from placelab.core.io.filegraph import FileEdge, FileGraph, FileNode
from placelab.core.io.tables import decode_csv

KIND = "Pajek"
_SECTION = re.compile(r"^\*(\w+)\s*(?::\s*(\d+)\s*(.*))?")
_TIES = {"arcs", "edges", "arcslist", "edgeslist", "matrix"}


class _Reader:
    def __init__(self, file: str, lines: list[str]) -> None:
        self.file = file
        self.lines = lines
        self.labels: list[str] = []
        self.relations: dict[str, str] = {}  # number -> label ("" if unlabelled)
        self.ties: list[tuple[int, int, str, str, bool]] = []  # from, to, weight, relation, both
        self.matrix_row = 0  # the rows of a *Matrix section read so far

    def error(self, line: int, message: str, expected: str | None = None) -> InputError:
        return InputError(message, file=self.file, item=f"line {line}", expected=expected)

    def read(self) -> None:
        section, relation = "", ""
        for number, text in enumerate(self.lines, start=1):
            text = text.strip()
            if not text or text.startswith("%"):
                continue
            if text.startswith("*"):
                section, relation = self._section(number, text)
            elif section == "vertices":
                self._vertex(number, text)
            elif section in _TIES:
                self._ties(number, text, section, relation)
            elif section == "":
                raise self.error(number, "a line before any section", "*Vertices first")
        if not self.labels:
            raise InputError("no *Vertices section", file=self.file, expected="a Pajek network")

    def _section(self, line: int, text: str) -> tuple[str, str]:
        match = _SECTION.match(text)
        if match is None:
            raise self.error(line, f"{text.split()[0]!r} is not a section", "*Vertices, *Arcs ...")
        name = match[1].lower()
        if name == "vertices":
            counts = text.split()[1:]
            if len(counts) != 1 or not counts[0].isdigit():
                raise self.error(
                    line,
                    "a two-mode network, or a *Vertices line without its count",
                    "*Vertices and the number of people: a one-mode network",
                )
            self.labels = [""] * int(counts[0])
            return name, ""
        if name in _TIES:
            if not self.labels:
                raise self.error(line, f"*{match[1]} before *Vertices", "*Vertices first")
            relation = match[2] or ""
            if relation:
                label = _unquoted(match[3] or "")
                self.relations[relation] = label or self.relations.get(relation, "")
            self.matrix_row = 0
            return name, relation
        if name == "network":
            return "", ""
        # *Partition, *Vector and the like (a .paj project's parts): not a network, skipped.
        return "skip", ""

    def _vertex(self, line: int, text: str) -> None:
        parts = _split(self, line, text)
        if not parts[0].isdigit() or not 1 <= int(parts[0]) <= len(self.labels):
            raise self.error(
                line, f"vertex {parts[0]!r} is not a number from 1 to {len(self.labels)}"
            )
        self.labels[int(parts[0]) - 1] = parts[1] if len(parts) > 1 else ""

    def _ties(self, line: int, text: str, section: str, relation: str) -> None:
        parts = _split(self, line, text)
        if parts[0].endswith(":") and parts[0][:-1].isdigit():  # "2: 1 3": the line's relation
            relation = parts.pop(0)[:-1]
            self.relations.setdefault(relation, "")
        both = section.startswith("edges")
        if section == "matrix":
            self.matrix_row += 1
            for column, value in enumerate(parts, start=1):
                if _number(self, line, value) != 0:
                    self._add(line, self.matrix_row, column, value, relation, False)
        elif section.endswith("list"):
            first = self._vertex_number(line, parts[0])
            for other in parts[1:]:
                self._add(line, first, self._vertex_number(line, other), "", relation, both)
        else:
            if len(parts) < 2:
                raise self.error(line, "a tie needs two vertices", "two vertex numbers")
            source, target = (self._vertex_number(line, part) for part in parts[:2])
            weight = parts[2] if len(parts) > 2 else ""
            if weight:
                _number(self, line, weight)
            self._add(line, source, target, weight, relation, both)

    def _vertex_number(self, line: int, text: str) -> int:
        if not text.isdigit() or not 1 <= int(text) <= len(self.labels):
            raise self.error(
                line,
                f"{text!r} is not one of the vertices",
                f"a vertex number from 1 to {len(self.labels)}",
            )
        return int(text)

    def _add(self, line: int, a: int, b: int, weight: str, relation: str, both: bool) -> None:
        if len(self.labels) < max(a, b):
            raise self.error(line, f"vertex {max(a, b)} is not one of the {len(self.labels)}")
        self.ties.append((a, b, weight, relation, both))

    def graph(self) -> FileGraph:
        labels = self.labels
        named = all(labels) and len(set(labels)) == len(labels)
        ids = list(labels) if named else [str(i) for i in range(1, len(labels) + 1)]
        nodes = tuple(
            FileNode(node_id, {"label": label} if label else {})
            for node_id, label in zip(ids, labels, strict=True)
        )
        edges = tuple(
            FileEdge(ids[a - 1], ids[b - 1], self._values(weight, relation), both)
            for a, b, weight, relation, both in self.ties
        )
        return FileGraph(self.file, KIND, nodes, edges)

    def _values(self, weight: str, relation: str) -> dict[str, object]:
        values: dict[str, object] = {"weight": weight} if weight else {}
        if relation:
            values["network"] = self.relations[relation] or f"relation_{relation}"
        return values


def read_pajek(path: str | Path) -> FileGraph:
    """The vertices and ties of a Pajek ``.net`` file (see the module for what is read)."""
    path = Path(path)
    text, _ = decode_csv(path.read_bytes(), str(path))
    reader = _Reader(str(path), text.splitlines())
    reader.read()
    return reader.graph()


def _split(reader: _Reader, line: int, text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        raise reader.error(line, "a quotation mark is not closed", 'a label in "quotes"') from None


def _unquoted(text: str) -> str:
    text = text.strip()
    return text[1:-1].strip() if len(text) > 1 and text[0] == text[-1] == '"' else text


def _number(reader: _Reader, line: int, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise reader.error(line, f"{text!r} is not a number", "a number") from None
