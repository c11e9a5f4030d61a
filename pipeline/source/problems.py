"""Problems found in a source, reported the way compilers do: FILE:LINE:COL: error: ..."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.model.rules import escaped


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    path: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        # escaped: one problem is one line, and no file name or value of a source drives the terminal
        return escaped(f"{self.file}:{self.line}:{self.column}: {self.severity}: {where}{self.message}")


class SourceError(Exception):
    """A source that cannot become an article; carries every problem found at once."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = sorted(problems)


def kind_of(value: Any) -> str:
    """What a value is, in the words of a problem message: 'text', 'a list', 'true/false' ..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"
