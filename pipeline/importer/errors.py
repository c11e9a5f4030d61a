"""How the importer says it cannot read a file: one line naming the file, what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path

from pipeline.model.rules import escaped


class ReadError(Exception):
    """The file cannot be read at all; the message says why and what to do."""


def name_of(path: Path | str) -> str:
    """A file's name as a message shows it: a newline or an escape sequence in the name is
    written as `\\n` or `\\x1b`, never printed, so a name cannot add lines or drive the terminal."""
    return escaped(str(path))
