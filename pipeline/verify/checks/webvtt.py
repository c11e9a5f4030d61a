"""A strict WebVTT reader: anything a conforming player might read differently is an error.

It reads the transcripts the audio renderer writes (LF line ends, no BOM, one timing line and
escaped text per cue, cues in order without overlap), for `pipeline verify` and the tests.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TIME = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME} --> {_TIME}$")
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt);)")


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def _ms(hours: str, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def parse(document: str) -> list[Cue]:
    if not document.endswith("\n") or "\r" in document or document.startswith("\ufeff"):
        raise ValueError("WebVTT here is LF-only UTF-8 without BOM, ending in a newline")
    header, *blocks = document[:-1].split("\n\n")
    if header != "WEBVTT":
        raise ValueError(f"bad header block {header!r}")
    cues: list[Cue] = []
    for number, block in enumerate(blocks, start=1):
        timing, *payload = block.split("\n")
        match = _TIMING.match(timing)
        if not match:
            raise ValueError(f"cue {number}: bad timing line {timing!r}")
        start, end = _ms(*match.groups()[:4]), _ms(*match.groups()[4:])
        if end <= start or (cues and start < cues[-1].end_ms):
            raise ValueError(f"cue {number}: {timing!r} is empty, reversed or overlaps the one before")
        if not payload or any(not line.strip() or "-->" in line or "<" in line or _ENTITY.search(line) for line in payload):
            raise ValueError(f"cue {number}: bad cue text {payload!r}")
        cues.append(Cue(start, end, html.unescape(" ".join(payload))))
    return cues
