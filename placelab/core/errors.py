"""The errors placelab raises: one small hierarchy the CLI and the web both translate."""

from __future__ import annotations


class PlacelabError(Exception):
    """Anything placelab refuses to do, with a message meant for the user."""


class InputError(PlacelabError):
    """A file that cannot be read as placelab expects, located by file, row and column.

    ``row`` counts lines of the file as a spreadsheet shows them (the header is row 1);
    ``column`` is the column's name. Either may be ``None`` when the problem is the whole file.
    A graph file has no rows: ``item`` names the node or edge instead (``node 'Medici'``,
    ``edge 'a' -> 'b'``), and ``column`` is then the node's or edge's attribute.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        item: str | None = None,
    ) -> None:
        self.file = file
        self.item = item
        self.row = row
        self.column = column
        self.expected = expected
        self.detail = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = [
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else None,
                self.item,
                f"{'attribute' if self.item else 'column'} '{self.column}'"
                if self.column is not None
                else None,
            )
            if part
        ]
        text = f"{', '.join(where)}: {self.detail}" if where else self.detail
        if self.expected:
            text += f" (expected {self.expected})"
        return text
