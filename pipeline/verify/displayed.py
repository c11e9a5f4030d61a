"""What a browser displays of HTML and XHTML documents: the visible text, block by block, in
reading order, as a sighted reader meets it.

The reading itself is one script (`assets/verify/displayed.js`, which says what counts as
shown) run in Chromium on each document served from 127.0.0.1 (`browser.serve`), so styles,
`hidden`, colours and clipping apply as in a reader's browser. One Chromium reads every
document of a call (it takes about a second to start). Pages keep their own
Content-Security-Policy: a style the page's policy refuses is not shown to a reader either.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline import ASSETS
from pipeline.text import sentences
from pipeline.verify import browser
from pipeline.verify.sequence import Passage

READING_SCRIPT = ASSETS / "verify" / "displayed.js"
CHAPTER_START = re.compile(r"^\d+(?::\d\d)+(?:\.\d+)?\s+(?:\d+(?:\.\d+)*\.?\s+)?")
"""What a chapter link shows before the heading it names: the time, and the section's number."""
WINDOW = {"width": 1280, "height": 900}
"""A desktop window: the text a reader can scroll to is read whatever the window's size."""


@cache
def _script() -> str:
    return READING_SCRIPT.read_text("utf-8")


def displayed_passages(folder: Path, documents: Sequence[str], schemes: Sequence[str] = ("light",), headings: Collection[str] = ()) -> list[Passage]:
    """The passages shown of each document (paths relative to `folder`), in the order given,
    each placed by the document's file name and the block's place in it ('section-2.xhtml,
    <p> 4 of <main>'). With several colour `schemes` ('light', 'dark'), a block counts as
    shown only in every one, with the least of its text any one shows.

    An entry of a navigation landmark that names one of `headings` (after the time a chapter
    link starts at and the section's number, '1:52 1. Causes') is left out: a table of
    contents repeats the headings by design. Any other text of a navigation landmark is read
    like the rest."""
    listed = {sentences.fold_space(heading) for heading in headings}
    with browser.serve(folder) as site, browser.chromium() as chromium:
        readings = [_reading(chromium, site, documents, scheme, listed) for scheme in schemes]
    return [_least(reading[block] for reading in readings) for block in readings[0] if all(block in reading for reading in readings)]


def _reading(chromium: Any, site: str, documents: Sequence[str], scheme: str, headings: Collection[str]) -> dict[tuple[str, int], Passage]:
    """(document, block) -> passage of every block shown in one colour scheme, in reading order."""
    context = chromium.new_context(viewport=WINDOW, color_scheme=scheme)
    page = context.new_page()
    shown = {}
    for name in documents:
        page.goto(f"{site}{name}")
        label = PurePosixPath(name).name
        blocks = [found for found in page.evaluate(_script()) if not (found["navigation"] and _names(found["text"], headings))]
        shown |= {(name, found["block"]): Passage(found["text"], f"{label}, {found['where']}") for found in blocks}
    context.close()
    return shown


def _least(passages: Iterable[Passage]) -> Passage:
    """Of one block's readings, the one that shows the least of its text."""
    return min(passages, key=lambda passage: len(passage.text))


def _names(entry: str, headings: Collection[str]) -> bool:
    return CHAPTER_START.sub("", entry) in headings
