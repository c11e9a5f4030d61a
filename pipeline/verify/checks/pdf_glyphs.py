"""The glyphs a PDF draws, one by one, as its content streams draw them (pdfminer.six).

PDFium and most text extractors give back a marked-content sequence's /ActualText in place of
its glyphs, which is what a screen reader should hear but not what the page shows: a file whose
glyphs were drawn in another order, or not at all, would read the same. pdfminer.six reads each
glyph through its font's ToUnicode map and ignores /ActualText; here it also records, per glyph,
the marked content it is in (its MCID, whether it is an artifact, the /ActualText around it),
where it stands on the page, its size, render mode and fill colour, and the page's lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pdfminer.layout import LTChar
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.utils import decode_text

UNMAPPED = "\ufffd"
"""What a glyph reads as when its font's ToUnicode map does not give it any text."""


@dataclass(frozen=True)
class Glyph:
    text: str
    mcid: int | None
    artifact: bool
    declared: tuple[int, str] | None
    """The marked content's /ActualText around the glyph: (a number for that sequence, its text)."""
    box: tuple[float, float, float, float]
    """x0, y0, x1, y1 in points, the page's origin at its lower left."""
    size: float
    bold: bool
    render_mode: int
    fill: tuple[float, ...]
    """The fill colour's components in its colour space (1 gray, 3 RGB, 4 CMYK)."""

    @property
    def invisible(self) -> bool:
        """Drawn in render mode 3 (neither filled nor stroked) or 7 (a clip only)."""
        return self.render_mode in (3, 7)

    @property
    def drawn(self) -> bool:
        """True for a glyph that should leave ink: not a space, with a width."""
        return bool(self.text.strip()) and self.box[2] - self.box[0] > 0.1


@dataclass(frozen=True)
class Page:
    number: int
    box: tuple[float, float, float, float]
    glyphs: tuple[Glyph, ...]
    lines: dict[int, int]
    """Index of a glyph -> the number of its printed line on the page, from the top (0 before the first)."""

    def shows(self, glyph: Glyph) -> bool:
        """True if the glyph is drawn visibly and at least in part on the page."""
        left, bottom, right, top = self.box
        x0, y0, x1, y1 = glyph.box
        return not glyph.invisible and x0 < right and x1 > left and y0 < top and y1 > bottom

    def where(self, glyph_index: int) -> str:
        return f"page {self.number}, line {self.lines.get(glyph_index, 0)}"


class GlyphRecorder(PDFTextDevice):
    """A pdfminer device that keeps every glyph with the marked content it is in."""

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources)
        self.glyphs: list[Glyph] = []
        self._marks: list[tuple[str, dict]] = []
        self._declared_count = 0
        self._render_mode = 0

    def begin_tag(self, tag, props=None) -> None:
        properties = dict(props) if isinstance(props, dict) else {}
        if "ActualText" in properties:
            self._declared_count += 1
            properties["declared"] = (self._declared_count, _decoded(properties["ActualText"]))
        self._marks.append((tag.name, properties))

    def end_tag(self) -> None:
        if self._marks:
            self._marks.pop()

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        self._render_mode = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = UNMAPPED
        char = LTChar(matrix, font, fontsize, scaling, rise, text, font.char_width(cid), font.char_disp(cid), ncs, graphicstate)
        self.glyphs.append(Glyph(
            text=text,
            mcid=next((props["MCID"] for _tag, props in reversed(self._marks) if "MCID" in props), None),
            artifact=any(tag == "Artifact" for tag, _props in self._marks),
            declared=next((props["declared"] for _tag, props in reversed(self._marks) if "declared" in props), None),
            box=char.bbox,
            size=round(char.size, 2),
            bold="bold" in char.fontname.lower(),
            render_mode=self._render_mode,
            fill=tuple(float(value) for value in _components(graphicstate.ncolor)),
        ))
        return char.adv


def _decoded(value: object) -> str:
    return decode_text(value) if isinstance(value, bytes) else str(value)


def _components(color: object) -> list:
    """A colour's numbers; none for a pattern (a name), whose colour is not one value."""
    values = list(color) if isinstance(color, (list, tuple)) else [color]
    return values if all(isinstance(value, (int, float)) for value in values) else []


def version(path: Path) -> tuple[Path, int, int]:
    """The file as a cache knows it: a reading is kept while path, change time and size stay."""
    status = path.stat()
    return path.resolve(), status.st_mtime_ns, status.st_size


def pages(path: Path) -> tuple[Page, ...]:
    """Every page's glyphs, in the order its content streams draw them. A file is read once
    while it stays the same: the PDF checks of one run share the reading."""
    return _pages(*version(path))


@lru_cache(maxsize=4)
def _pages(path: Path, _modified: int, _size: int) -> tuple[Page, ...]:
    resources, found = PDFResourceManager(), []
    with path.open("rb") as file:
        for number, page in enumerate(PDFPage.get_pages(file), start=1):
            recorder = GlyphRecorder(resources)
            PDFPageInterpreter(resources, recorder).process_page(page)
            glyphs = tuple(recorder.glyphs)
            found.append(Page(number, tuple(float(value) for value in page.mediabox), glyphs, _line_numbers(glyphs)))
    return tuple(found)


def _line_numbers(glyphs: tuple[Glyph, ...]) -> dict[int, int]:
    """Glyph index -> printed line: glyphs whose middles fall within one line's height, top first
    (table cells side by side share a line; a raised mark stays on its line)."""
    shown = sorted((index for index, glyph in enumerate(glyphs) if glyph.drawn), key=lambda index: -_middle(glyphs[index]))
    lines, number, bottom = {}, 0, None
    for index in shown:
        glyph = glyphs[index]
        if bottom is None or _middle(glyph) < bottom:
            number, bottom = number + 1, glyph.box[1]
        lines[index] = number
    previous = 0
    for index in range(len(glyphs)):  # a space is on the line of the glyph before it
        previous = lines.setdefault(index, previous)
    return lines


def _middle(glyph: Glyph) -> float:
    return (glyph.box[1] + glyph.box[3]) / 2


def runs(page: Page) -> Iterator[tuple[int | None, list[int]]]:
    """(MCID, indexes of its glyphs) for each run of glyphs in one marked-content sequence."""
    for mcid, group in itertools.groupby(range(len(page.glyphs)), key=lambda index: page.glyphs[index].mcid):
        yield mcid, list(group)
