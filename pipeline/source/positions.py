"""A parsed source and where each of its values stands in the file, so that every problem,
found while loading, validating or checking plain language, can name its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Position = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """Parsed source data and where each value stands (1-based line, column)."""

    path: Path
    data: Any
    positions: dict[tuple[Any, ...], Position] = field(repr=False)
    source: str = field(default="", repr=False)

    def position(self, location: tuple[Any, ...]) -> Position:
        """The position of `location`, or of its nearest ancestor that exists in the file."""
        node: Any = self.data
        found: tuple[Any, ...] = ()
        for part in location:
            if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                found = (*found, part)
            elif isinstance(node, (dict, list)):
                # A part the file lacks (a missing key) or one pydantic adds (a union tag).
                continue
        return self.positions.get(found, (1, 1))

    def text_position(self, location: tuple[Any, ...], index: int) -> Position:
        """Where character `index` of the text value at `location` stands in the file.

        Follows the value's characters through the source from the value's start, skipping
        what YAML folds away (line breaks, indentation, block indicators, quotes) and reading
        escapes. Where the source cannot be followed, the position of the last character it
        could follow is given.
        """
        value = self._value(location)
        start = self.position(location)
        if not isinstance(value, str) or not self.source:
            return start
        return _follow(self.source.split("\n"), start, value[: index + 1])

    def _value(self, location: tuple[Any, ...]) -> Any:
        node: Any = self.data
        for part in location:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def _follow(lines: list[str], start: Position, value: str) -> Position:
    """The position of the last character of `value`, read through the source from `start`."""
    row, column = start[0] - 1, start[1] - 1
    opener = lines[row][column : column + 1] if row < len(lines) else ""
    if opener in (">", "|"):
        row, column = row + 1, 0
    elif opener in ("'", '"'):
        column += 1
    quote = opener if opener in ("'", '"') else ""
    found = start
    for char in value:
        if char.isspace():
            continue
        while True:
            if row >= len(lines):
                return found
            if column >= len(lines[row]):
                row, column = row + 1, 0
                continue
            here, width = _source_char(lines[row], column, quote)
            if here == char:
                break
            if here and not here.isspace():
                return found
            column += width
        found = (row + 1, column + 1)
        column += width
    return found


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029", "": ""}


def _source_char(line: str, column: int, quote: str) -> tuple[str, int]:
    """The character the source stands for at `column`, and how many columns it takes."""
    if quote == '"' and line[column] == "\\":
        code = line[column + 1 : column + 2]
        digits = {"x": 2, "u": 4, "U": 8}.get(code, 0)
        if digits:
            try:
                return chr(int(line[column + 2 : column + 2 + digits], 16)), 2 + digits
            except ValueError:
                return "\\", 1
        return _ESCAPES.get(code, code), 2
    if quote == "'" and line[column : column + 2] == "''":
        return "'", 2
    return line[column], 1
