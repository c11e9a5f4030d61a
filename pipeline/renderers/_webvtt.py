"""WebVTT: the transcript as timed cues, for captions and for following along.

Cue text is escaped (`&`, `<`, `>`), so "-->" or a tag in the source stays text and can
never end a cue or become markup; it holds no line breaks, so no cue can end early.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.text.clock import timestamp


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def document(cues: Iterable[Cue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        blocks.append(f"{timestamp(cue.start_ms)} --> {timestamp(cue.end_ms)}\n{escape(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def escape(value: str) -> str:
    return " ".join(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())
