"""Read UCINET DL files: full matrices, half matrices and edge lists, one network or several.

placelab reads DL itself because igraph 1.0's ``Graph.Read_DL``, the one reader at hand, refuses
what UCINET's own files hold: several matrices (``nm=2``) and their names (``matrix labels:``),
``format=`` on the first line, and half matrices; NetworkX has no DL reader.

What is read (Borgatti, Everett and Freeman, *UCINET 6 for Windows*, "DL files"):

- a header from ``dl`` to ``data:``: ``n=`` people, ``nm=`` matrices (1 by default),
  ``format=`` (``fullmatrix`` by default, ``upperhalf``, ``lowerhalf``, ``edgelist1``,
  ``nodelist1``), ``diagonal=present|absent`` for half matrices; settings may share a line and
  be split by commas or spaces;
- ``labels:`` (or ``row labels:`` and ``column labels:`` alike) with the people's names,
  ``labels embedded`` when the data carry them (lists, full matrices), and ``matrix labels:`` with the networks' names;
- the data: for a full matrix, n rows of n values per matrix, read as a tie from the row's
  person to the column's when the value is not 0, the value its weight; a half matrix is
  symmetric, each value a tie both ways; an edge list has a line per tie (two people and a
  weight), a node list a person followed by those they name, matrices parted by a line ``!``.

A two-mode file (``nr=``, ``nc=``) is refused: its rows and columns are not the same people.
Each matrix is a network named by its matrix label, ``relation_2`` without one; a file of one
unlabelled matrix is one network, named as
:func:`~placelab.core.io.mapping.network_for_unnamed` says. A person's id is their label when
every label differs, otherwise their number.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from placelab.core.errors import InputError
from placelab.core.io.filegraph import FileEdge, FileGraph, FileNode
from placelab.core.io.tables import decode_csv

KIND = "UCINET DL"
FORMATS = ("fullmatrix", "upperhalf", "lowerhalf", "edgelist1", "nodelist1")
_SETTING = re.compile(r"(\w+)\s*=\s*(\w+)")
_LABELS = re.compile(r"^(row\s+|col\s+|column\s+|matrix\s+)?labels\s*:(.*)$", re.IGNORECASE)
_EMBEDDED = re.compile(r"labels\s+embedded", re.IGNORECASE)


@dataclass
class _Header:
    settings: dict[str, str] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    matrices: list[str] = field(default_factory=list)
    embedded: bool = False


def read_dl(path: str | Path) -> FileGraph:
    """The people and ties of a UCINET DL file (see the module for what is read)."""
    path = Path(path)
    file = str(path)
    text, _ = decode_csv(path.read_bytes(), file)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not lines[start].strip().lower().startswith("dl"):
        raise InputError("not a DL file: it does not start with DL", file=file)
    data = next((i for i, line in enumerate(lines) if line.strip().lower() == "data:"), None)
    if data is None:
        raise InputError("no data: line", file=file, expected="the data after a line 'data:'")
    header = _header(file, lines[start:data], start)
    return _Matrices(file, header, lines, data + 1).graph()


def _header(file: str, lines: list[str], start: int) -> _Header:
    header = _Header()
    current: list[str] | None = None
    for number, line in enumerate(lines, start=start + 1):
        text = line.strip()
        if number == start + 1:
            text = text[2:]  # past "dl"
        labels = _LABELS.match(text)
        if labels:
            kind = (labels[1] or "").strip().lower()
            if kind == "matrix":
                current = header.matrices
            else:  # a one-mode file's column labels repeat its row labels
                current = header.labels if not (kind.startswith("col") and header.labels) else []
            current.extend(_tokens(file, number, labels[2]))
        elif _EMBEDDED.search(text):
            header.embedded, current = True, None
        elif _SETTING.search(text):
            header.settings |= {k.lower(): v.lower() for k, v in _SETTING.findall(text)}
            current = None
        elif current is not None:
            current.extend(_tokens(file, number, text))
    return header


class _Matrices:
    def __init__(self, file: str, header: _Header, lines: list[str], first: int) -> None:
        self.file, self.header = file, header
        settings = header.settings
        if "nr" in settings or "nc" in settings:
            raise InputError(
                "a two-mode file (nr=, nc=): its rows and columns are not the same people",
                file=file,
                expected="n= for one set of people",
            )
        self.n = self._count("n", None)
        self.nm = self._count("nm", 1)
        self.format = settings.get("format", "fullmatrix")
        if self.format not in FORMATS:
            raise InputError(
                f"format {self.format!r} is not one placelab reads", file=file,
                expected="one of " + ", ".join(FORMATS),
            )  # fmt: skip
        self.diagonal = settings.get("diagonal", "present") != "absent"
        self.labels = header.labels
        if self.labels and len(self.labels) != self.n:
            raise InputError(
                f"{len(self.labels)} labels for n={self.n} people", file=file,
                expected=f"{self.n} labels",
            )  # fmt: skip
        # Data tokens with the line each stands on; "!" parts one matrix from the next.
        self.lines = [(number, text) for number, text in enumerate(lines, 1) if number > first]
        self.ties: list[tuple[int, int, str, int, bool]] = []  # people counted from 0

    def _count(self, key: str, default: int | None) -> int:
        value = self.header.settings.get(key)
        if value is None and default is not None:
            return default
        if value is None or not value.isdigit() or int(value) < 1:
            raise InputError(
                f"{key}={value or ''} is not a count", file=self.file,
                expected=f"{key}= and a whole number above 0",
            )  # fmt: skip
        return int(value)

    def graph(self) -> FileGraph:
        if self.format.endswith("list1"):
            self._lists()
        else:
            self._matrices()
        labels = self.labels + [""] * (self.n - len(self.labels))
        named = all(labels) and len(set(labels)) == len(labels)
        ids = labels if named else [str(i) for i in range(1, self.n + 1)]
        nodes = tuple(
            FileNode(node_id, {"label": label} if label else {})
            for node_id, label in zip(ids, labels, strict=True)
        )
        edges = tuple(
            FileEdge(ids[a], ids[b], self._values(weight, matrix), both)
            for a, b, weight, matrix, both in self.ties
        )
        return FileGraph(self.file, KIND, nodes, edges)

    def _values(self, weight: str, matrix: int) -> dict[str, object]:
        values: dict[str, object] = {"weight": weight}
        names = self.header.matrices
        if matrix < len(names):
            values["network"] = names[matrix]
        elif self.nm > 1:
            values["network"] = f"relation_{matrix + 1}"
        return values

    def _error(self, line: int, message: str, expected: str | None = None) -> InputError:
        return InputError(message, file=self.file, item=f"line {line}", expected=expected)

    # --- matrices ------------------------------------------------------------------------------

    def _matrices(self) -> None:
        tokens = [
            (number, token)
            for number, text in self.lines
            if text.strip() != "!"
            for token in _tokens(self.file, number, text)
        ]
        position = 0
        for matrix in range(self.nm):
            if self.header.embedded:
                position = self._column_labels(tokens, position)
            for row, column in self._cells():
                if self.header.embedded and column == self._first_column(row):
                    position = self._row_label(tokens, position, row)
                if position >= len(tokens):
                    raise InputError(
                        f"the data end in matrix {matrix + 1} of {self.nm}", file=self.file,
                        expected=f"{self._cells_per_matrix()} values per matrix",
                    )  # fmt: skip
                number, value = tokens[position]
                position += 1
                if _value(self, number, value) != 0:
                    both = self.format != "fullmatrix"
                    self.ties.append((row, column, value, matrix, both))
        if position < len(tokens):
            raise self._error(
                tokens[position][0], "more values than the matrices hold",
                f"{self.nm} matrices of {self._cells_per_matrix()} values",
            )  # fmt: skip

    def _cells(self) -> list[tuple[int, int]]:
        n, diagonal = self.n, self.diagonal
        if self.format == "fullmatrix":  # diagonal=absent: each row leaves out its own cell
            return [(r, c) for r in range(n) for c in range(n) if diagonal or r != c]
        if self.format == "upperhalf":
            return [(r, c) for r in range(n) for c in range(r if diagonal else r + 1, n)]
        return [(r, c) for r in range(n) for c in range(r + 1 if diagonal else r)]

    def _cells_per_matrix(self) -> int:
        return len(self._cells())

    def _first_column(self, row: int) -> int:
        if self.format == "upperhalf":
            return row if self.diagonal else row + 1
        return 1 if row == 0 and not self.diagonal and self.format == "fullmatrix" else 0

    def _column_labels(self, tokens: list[tuple[int, str]], position: int) -> int:
        """Embedded labels: a full matrix starts with a line of the columns' labels."""
        if self.format == "fullmatrix":
            found = [token for _, token in tokens[position : position + self.n]]
            self.labels = self.labels or found
            return position + self.n
        return position

    def _row_label(self, tokens: list[tuple[int, str]], position: int, row: int) -> int:
        """Embedded labels: each row starts with its person's label (the names, if none yet)."""
        if position < len(tokens) and len(self.labels) == row:
            self.labels.append(tokens[position][1])
        return position + 1

    # --- edge and node lists -------------------------------------------------------------------

    def _lists(self) -> None:
        matrix = 0
        by_label = self.header.embedded
        for number, text in self.lines:
            if text.strip() == "!":
                matrix += 1
                continue
            parts = _tokens(self.file, number, text)
            if not parts:
                continue
            if matrix >= self.nm:
                raise self._error(number, f"more than nm={self.nm} matrices")
            if self.format == "edgelist1":
                if len(parts) not in (2, 3):
                    raise self._error(number, "an edge list line holds two people and a weight")
                ends = [self._person(number, part, by_label) for part in parts[:2]]
                weight = parts[2] if len(parts) == 3 else "1"
                _value(self, number, weight)
                self.ties.append((ends[0], ends[1], weight, matrix, False))
            else:
                ends = [self._person(number, part, by_label) for part in parts]
                self.ties += [(ends[0], end, "1", matrix, False) for end in ends[1:]]

    def _person(self, line: int, token: str, by_label: bool) -> int:
        """A person of a list, counted from 0 (``labels embedded``: a new label, a new person)."""
        if by_label:
            if token not in self.labels:
                if len(self.labels) == self.n:
                    raise self._error(line, f"{token!r} would be person {self.n + 1} of n={self.n}")
                self.labels.append(token)
            return self.labels.index(token)
        if not token.isdigit() or not 1 <= int(token) <= self.n:
            raise self._error(line, f"{token!r} is not one of the people", f"1 to {self.n}")
        return int(token) - 1


def _tokens(file: str, line: int, text: str) -> list[str]:
    """A line's values or labels, split by spaces or commas; a label may be in quotes."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace += ","
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        raise InputError("a quotation mark is not closed", file=file, item=f"line {line}") from None


def _value(reader: _Matrices, line: int, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise reader._error(line, f"{text!r} is not a number", "a number") from None
