"""What the importer could not place, in the document's own terms: `FILE:LINE: warning: ...`.

A warning is something the author must do (write a missing question, give an address); the
written source carries the same words as a `# import:` comment where the fix goes. A note
says what was left out on purpose (web-page chrome), so nothing disappears unseen; notes
do not make `pipeline import --check` fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.model.rules import escaped

Location = tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    line: int
    message: str
    severity: str = "warning"  # warning | note
    at: Location = ()
    """Where in the written source the author acts on it (for its comment); () for nowhere."""


@dataclass
class Findings:
    file: str
    items: list[Finding] = field(default_factory=list)

    def warn(self, line: int, message: str, at: Location = ()) -> None:
        self.items.append(Finding(line, message, "warning", at))

    def note(self, line: int, message: str) -> None:
        self.items.append(Finding(line, message, "note"))

    @property
    def warnings(self) -> list[Finding]:
        return [item for item in self.items if item.severity == "warning"]

    def lines(self) -> list[str]:
        """Each finding as a compiler prints it, in the order of the document, one line each
        (the file's name and the document's words escaped)."""
        ordered = sorted(self.items, key=lambda item: item.line)
        return [escaped(f"{self.file}:{item.line}: {item.severity}: {item.message}") for item in ordered]


def shown(words: str, limit: int = 50) -> str:
    """Words of the document quoted in a message, cut at `limit` characters."""
    words = " ".join(words.split())
    return f"'{words}'" if len(words) <= limit else f"'{words[: limit - 1]}…'"
