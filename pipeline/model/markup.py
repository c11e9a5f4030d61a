"""Inline markup of the source's text: `**strong**`, `*emphasis*` and `[text](https://...)`.

Renderers lay spans out; none of them parses markup itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.model.rules import url_problem


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, strong, emphasis, or a link to `url`."""

    text: str
    style: str = "plain"  # plain | strong | emphasis | link
    url: str | None = None


_INLINE = re.compile(
    r"\*\*(?P<strong>[^*\n](?:.*?[^*\s])??)\*\*"  # ?? so that '**a** and **b**' is two spans, not one
    r"|(?<![*\w])\*(?P<emphasis>[^*\s](?:[^*]*?[^*\s])?)\*(?![*\w])"
    r"|(?P<image>!)?\[(?P<label>[^\[\]\n]+)\]\((?P<url>[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)"
)


def spans(value: str) -> tuple[Span, ...]:
    """Split text into spans; anything that is not our markup stays literal text."""
    return tuple(span for _start, span in located_spans(value))


def located_spans(value: str) -> Iterator[tuple[int, Span]]:
    """Each span with the index in `value` where its text starts (after any `**` or `[`)."""
    position = 0
    for match in _INLINE.finditer(value):
        if match.start() > position:
            yield position, Span(value[position : match.start()])
        if match["strong"] is not None:
            yield match.start("strong"), Span(match["strong"], "strong")
        elif match["emphasis"] is not None:
            yield match.start("emphasis"), Span(match["emphasis"], "emphasis")
        else:
            yield match.start("label"), Span(match["label"], "link", match["url"])
        position = match.end()
    if position < len(value):
        yield position, Span(value[position:])


def markup_problems(value: str) -> Iterator[str]:
    for match in _INLINE.finditer(value):
        if match["image"]:
            yield "images are not supported in text: describe the picture in words"
        elif match["url"] is not None:
            problem = url_problem(match["url"])
            if problem:
                yield f"link [{match['label']}]: {problem}"


def plain(value: str) -> str:
    """The words a reader sees, without markup (link targets dropped)."""
    return "".join(span.text for span in spans(value))


def links(value: str) -> list[Span]:
    return [span for span in spans(value) if span.style == "link"]
