"""Reading a built PDF back as a reader, a screen reader and a printer would see it.

Text and font sizes come from PDFium (pypdfium2), structure and fonts from pikepdf. Used by
the PDF checks of `pipeline verify` and by the PDF renderer's tests.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

LINE_END_HYPHEN = "\x02"
"""How PDFium reports a hyphen that ends a line (as in "re-|evaluation")."""
ARTIFACT = "Artifact"
LIST_MARKER = re.compile(r"\s*(?:[•◦▪‣]|\d{1,3}[.)])\s*")
"""A list item's bullet or number alone: WeasyPrint paints a page's markers after its text, so
in content order they would fall inside a sentence that crosses to the next page."""


def content_text(path: Path) -> str:
    """The text of every text object that is not an artifact (running titles, page numbers),
    in content order: the words of the page without the furniture (and the list markers) that
    can fall in the middle of a sentence at a page break. A line-end hyphen is given back as '-'."""
    pieces = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                if ARTIFACT not in marks(item.raw):
                    text = object_text(item.raw, textpage.raw)
                    if not LIST_MARKER.fullmatch(text):
                        pieces.append(text)
    finally:
        document.close()
    return " ".join(pieces).replace(LINE_END_HYPHEN, "-")


def marks(page_object: Any) -> list[str]:
    """The names of the marked-content sequences a page object is in ('Span', 'Artifact')."""
    names = []
    for index in range(pdfium_c.FPDFPageObj_CountMarks(page_object)):
        mark = pdfium_c.FPDFPageObj_GetMark(page_object, index)
        size = ctypes.c_ulong()
        pdfium_c.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(size))
        buffer = (ctypes.c_ushort * (size.value // 2))()
        pdfium_c.FPDFPageObjMark_GetName(mark, buffer, size.value, ctypes.byref(size))
        names.append(bytes(buffer).decode("utf-16-le").rstrip("\x00"))
    return names


def object_text(text_object: Any, textpage: Any) -> str:
    length = pdfium_c.FPDFTextObj_GetText(text_object, textpage, None, 0)
    buffer = (ctypes.c_ushort * length)()
    pdfium_c.FPDFTextObj_GetText(text_object, textpage, buffer, length)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


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
                if chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)).isspace():
                    continue
                matrix = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                sizes.append(round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * scale, 2))
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
