"""What a browser displays of HTML and XHTML documents: the visible text, block by block, in
reading order, as a sighted reader meets it.

The reading itself is one script (`assets/verify/displayed.js`, which says what counts as
shown) run in Chromium on each document served from 127.0.0.1 (`browser.serve`), so styles,
`hidden`, colours and clipping apply as in a reader's browser. One Chromium reads every
document of a call (it takes about a second to start). Pages keep their own
Content-Security-Policy: a style the page's policy refuses is not shown to a reader either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from pipeline import ASSETS
from pipeline.verify import browser

READING_SCRIPT = ASSETS / "verify" / "displayed.js"
WINDOW = {"width": 1280, "height": 900}
"""A desktop window: the text a reader can scroll to is read whatever the window's size."""


@dataclass(frozen=True)
class Passage:
    text: str
    """plain text as this reader perceives it (a paragraph, a list item, a cell ...)"""
    where: str
    """its place in the edition's own terms: 'section-2.xhtml, <p> 4 of <main>'"""


@cache
def _script() -> str:
    return READING_SCRIPT.read_text("utf-8")


def displayed_passages(folder: Path, documents: Sequence[str]) -> list[Passage]:
    """The passages shown of each document (paths relative to `folder`), in the order given,
    each placed by the document's file name."""
    passages: list[Passage] = []
    with browser.serve(folder) as site, browser.chromium() as chromium:
        context = chromium.new_context(viewport=WINDOW)
        page = context.new_page()
        for name in documents:
            page.goto(f"{site}{name}")
            label = PurePosixPath(name).name
            passages += [Passage(found["text"], f"{label}, {found['where']}") for found in page.evaluate(_script())]
        context.close()
    return passages
