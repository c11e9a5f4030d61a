"""Reading a built PDF back as a printer would measure it: its structure elements and fonts
(pikepdf), its characters' sizes and lines' spacing, and each page's text layer (PDFium).

What the pages say, glyph by glyph and as a screen reader reads it, is `pdf_glyphs` and
`pdf_readings`. Used by the PDF checks of `pipeline verify` and by the PDF renderer's tests.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

LINE_END_HYPHEN = "\x02"
"""How PDFium reports a hyphen that ends a line (as in "re-|evaluation")."""


def page_texts(path: Path) -> list[str]:
    """The text layer of each page, a line-end hyphen given back as '-'."""
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range().replace(LINE_END_HYPHEN, "-") for page in document]
    finally:
        document.close()


def font_sizes(path: Path) -> list[float]:
    """The printed size in points of every visible character (font size times text scale)."""
    sizes = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                if not chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)).isspace():
                    sizes.append(_printed_size(textpage.raw, index))
    finally:
        document.close()
    return sizes


def structure(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from the StructTreeRoot (if any), in reading order."""

    def walk(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from walk(kid)

    root = pdf.Root.get("/StructTreeRoot")
    return walk(root) if root is not None else iter(())


def fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every font dictionary used on a page, descendant fonts of composite fonts included."""
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            yield font
            yield from font.get("/DescendantFonts", [])


def line_spacings(path: Path) -> list[float]:
    """Line spacing as a reader sees it: for each two lines of one text size that follow each
    other on a page, the distance between their baselines over that size (1.4 for 12pt lines
    16.8pt apart). Lines are the characters sharing a baseline; the gap between paragraphs
    counts too, and is only ever larger."""
    spacings = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            lines = _printed_lines(sorted(_baselines(textpage.raw).items(), key=lambda item: -item[0]))
            for (upper, size), (lower, next_size) in itertools.pairwise(lines):
                if size == next_size:
                    spacings.append(round((upper - lower) / size, 3))
    finally:
        document.close()
    return spacings


def _printed_lines(baselines: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Baselines, top first, less than a text size apart taken as one printed line (lines that
    close would overlap): the
    marks and runs a line raises or lowers (Devanagari, Bengali and Arabic vowel signs, which
    WeasyPrint draws with their own rise) are not lines of their own."""
    lines: list[tuple[float, float]] = []
    for height, size in baselines:
        if lines and lines[-1][0] - height < max(size, lines[-1][1]):
            continue
        lines.append((height, size))
    return lines


def _baselines(textpage: Any) -> dict[float, float]:
    """Baseline height -> the size of the largest visible character on it."""
    lines: dict[float, float] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        if chr(pdfium_c.FPDFText_GetUnicode(textpage, index)).isspace():
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
        baseline = round(y.value, 1)
        lines[baseline] = max(lines.get(baseline, 0.0), _printed_size(textpage, index))
    return lines


def _printed_size(textpage: Any, index: int) -> float:
    """Character `index`'s size in points: its font size times its text matrix's scale."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return round(pdfium_c.FPDFText_GetFontSize(textpage, index) * scale, 2)
