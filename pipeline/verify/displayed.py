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
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline import ASSETS
from pipeline.verify import browser
from pipeline.verify.sequence import Passage

READING_SCRIPT = ASSETS / "verify" / "displayed.js"
WINDOW = {"width": 1280, "height": 900}
"""A desktop window: the text a reader can scroll to is read whatever the window's size."""


@cache
def _script() -> str:
    return READING_SCRIPT.read_text("utf-8")


def displayed_passages(folder: Path, documents: Sequence[str], schemes: Sequence[str] = ("light",)) -> list[Passage]:
    """The passages shown of each document (paths relative to `folder`), in the order given,
    each placed by the document's file name and the block's place in it ('section-2.xhtml,
    <p> 4 of <main>'). With several colour `schemes` ('light', 'dark'),
    a block counts as shown only in every one, with the least of its text any one shows."""
    with browser.serve(folder) as site, browser.chromium() as chromium:
        readings = [_reading(chromium, site, documents, scheme) for scheme in schemes]
    return [Passage(min((reading[where] for reading in readings), key=len), where) for where in readings[0] if all(where in reading for reading in readings)]


def _reading(chromium: Any, site: str, documents: Sequence[str], scheme: str) -> dict[str, str]:
    """where -> text of every block shown in one colour scheme, in reading order."""
    context = chromium.new_context(viewport=WINDOW, color_scheme=scheme)
    page = context.new_page()
    shown = {}
    for name in documents:
        page.goto(f"{site}{name}")
        label = PurePosixPath(name).name
        shown |= {f"{label}, {found['where']}": found["text"] for found in page.evaluate(_script())}
    context.close()
    return shown
