"""What became of one output in a build: built, up to date or failed, with its manifest entry.

Apart from the engine, so that the summary of a build can be printed without loading it (a
build with nothing to do answers from its stamp, `stamp.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    article_id: str
    renderer: str
    files: tuple[str, ...]
    status: str  # built | up to date | failed
    seconds: float = 0.0
    error: str = ""
    record: Mapping[str, Any] | None = None
    """The output's manifest entry (built or up to date): key, hashes, sizes."""

    @property
    def failed(self) -> bool:
        return self.status == "failed"
