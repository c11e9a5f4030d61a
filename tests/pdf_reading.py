"""Reading a rendered PDF back as a reader, a screen reader and a printer would see it.

Text and font sizes come from PDFium (pypdfium2), structure and metadata from pikepdf.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.model import Article
from pipeline.registry import Renderer, RenderJob


def render(renderer: Renderer, article: Article, path: Path, epoch: int | None = None, **options) -> Path:
    chosen = {key: option.default for key, option in renderer.options.items()} | options
    renderer.render(article, RenderJob(path=path, options=chosen, source_date_epoch=epoch))
    return path


def page_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def squeezed(value: str) -> str:
    """Text with every space and line break removed, so line wrapping cannot hide a match.
    PDFium reports a hyphen that ends a line (as in "re-|evaluation") as U+0002."""
    return re.sub(r"\s+", "", value.replace("\x02", "-"))


def font_sizes(path: Path) -> list[float]:
    """The printed size in points of every visible character (font size times text scale)."""
    sizes = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                if chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)).isspace():
                    continue
                matrix = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                sizes.append(round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * scale, 2))
    finally:
        document.close()
    return sizes


def tagged_text(path: Path) -> tuple[str, list[str]]:
    """What a screen reader reads: marked text in structure-tree order, and any marked text
    the tree does not reach (which should be none: page furniture must be an artifact)."""
    pieces: dict[tuple[int, int], str] = {}
    document = pdfium.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            textpage = page.get_textpage()
            for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid >= 0:
                    pieces[(index, mcid)] = pieces.get((index, mcid), "") + _object_text(item.raw, textpage.raw)
    finally:
        document.close()
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        order = [(pages[element.Pg.objgen], mcid) for element in structure(pdf) for mcid in _mcids(element)]
    read = " ".join(pieces.pop(key) for key in order if key in pieces)
    return read, list(pieces.values())


def _object_text(text_object, textpage) -> str:
    length = pdfium_c.FPDFTextObj_GetText(text_object, textpage, None, 0)
    buffer = (ctypes.c_ushort * length)()
    pdfium_c.FPDFTextObj_GetText(text_object, textpage, buffer, length)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


def _mcids(element: pikepdf.Dictionary) -> list[int]:
    kids = element.get("/K")
    return [int(kid) for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(kid, int)]


def structure(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from the StructTreeRoot, in reading order."""

    def walk(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from walk(kid)

    return walk(pdf.Root.StructTreeRoot)


def fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every font dictionary used on a page, descendant fonts of composite fonts included."""
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            yield font
            yield from font.get("/DescendantFonts", [])
