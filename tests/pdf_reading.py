"""Reading a rendered PDF back in tests: what `pipeline verify` reads (pipeline.verify.checks.pdf_reading),
the text a screen reader reads in structure order, and rendering straight to a file."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.model import Article
from pipeline.registry import Renderer, RenderJob
from pipeline.verify.checks.pdf_reading import LINE_END_HYPHEN, font_sizes, fonts, line_spacings, object_text, page_texts, structure


def render(renderer: Renderer, article: Article, path: Path, epoch: int | None = None, **options) -> Path:
    chosen = {key: option.default for key, option in renderer.options.items()} | options
    renderer.render(article, RenderJob(path=path, options=chosen, source_date_epoch=epoch))
    return path


def squeezed(value: str) -> str:
    """Text with every space and line break removed, so line wrapping cannot hide a match.
    A hyphen that PDFium reports as ending a line is given back."""
    return re.sub(r"\s+", "", value.replace(LINE_END_HYPHEN, "-"))


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
                    pieces[(index, mcid)] = pieces.get((index, mcid), "") + object_text(item.raw, textpage.raw)
    finally:
        document.close()
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        order = [(pages[element.Pg.objgen], mcid) for element in structure(pdf) for mcid in _mcids(element)]
    read = " ".join(pieces.pop(key) for key in order if key in pieces)
    return read, list(pieces.values())


def _mcids(element: pikepdf.Dictionary) -> list[int]:
    kids = element.get("/K")
    return [int(kid) for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(kid, int)]


__all__ = ["font_sizes", "fonts", "line_spacings", "page_texts", "render", "squeezed", "structure", "tagged_text"]
