"""Damage to a built PDF, one small function each, made with pikepdf on an open copy: what a
careless or hostile hand could do to a leaflet while keeping the file well-formed. The first
article's leaflet is what they are written against (its first page's ninth text object is the
introduction's first line)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pikepdf

Instructions = Iterable[tuple[list, pikepdf.Operator]]


def rewrite(pdf: pikepdf.Pdf, change: Callable[[Instructions], Iterator[tuple[list, pikepdf.Operator]]], pages: slice = slice(None)) -> None:
    """Each page's content stream, instruction by instruction, through `change`."""
    for page in pdf.pages[pages]:
        instructions = [(list(operands), operator) for operands, operator in pikepdf.parse_content_stream(page)]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(list(change(instructions))))


def every_glyph_invisible(pdf: pikepdf.Pdf) -> None:
    """`3 Tr` after each BT: the text is there for software, and draws nothing."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            yield operands, operator
            if operator == pikepdf.Operator("BT"):
                yield [3], pikepdf.Operator("Tr")

    rewrite(pdf, change)


def glyphs_reversed(pdf: pikepdf.Pdf) -> None:
    """Each TJ's glyphs (and spacings) in reverse order; the /ActualText around them kept."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            if operator == pikepdf.Operator("TJ"):
                operands = [pikepdf.Array(list(operands[0])[::-1])]
            yield operands, operator

    rewrite(pdf, change)


def white_box_over_a_paragraph(pdf: pikepdf.Pdf) -> None:
    """A white rectangle drawn last, across the first page from 200pt to 300pt from the top."""
    page = pdf.pages[0]
    page.contents_coalesce()
    height = float(page.MediaBox[3])
    page.Contents = pdf.make_stream(b"q\n" + page.Contents.read_bytes() + f"\nQ\nq 1 1 1 rg 0 {height - 300} 600 100 re f Q\n".encode())


def text_off_the_page(pdf: pikepdf.Pdf) -> None:
    """Every text object of the second page moved 5000 units up, off the page."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            if operator == pikepdf.Operator("BT"):
                yield [], pikepdf.Operator("q")
                yield [1, 0, 0, 1, 0, 5000], pikepdf.Operator("cm")
            yield operands, operator
            if operator == pikepdf.Operator("ET"):
                yield [], pikepdf.Operator("Q")

    rewrite(pdf, change, slice(1, 2))


def text_clipped_away(pdf: pikepdf.Pdf) -> None:
    """Every text object of the first page drawn inside a clip of one unit square."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            if operator == pikepdf.Operator("BT"):
                yield [], pikepdf.Operator("q")
                yield [0, 0, 1, 1], pikepdf.Operator("re")
                yield [], pikepdf.Operator("W")
                yield [], pikepdf.Operator("n")
            yield operands, operator
            if operator == pikepdf.Operator("ET"):
                yield [], pikepdf.Operator("Q")

    rewrite(pdf, change, slice(0, 1))


def near_white_text(pdf: pikepdf.Pdf) -> None:
    """Every text object filled with #f5f5f5, the colours it set itself left out."""
    colours = {pikepdf.Operator(name) for name in ("rg", "g", "k", "sc", "scn", "cs")}

    def change(instructions: Instructions):
        inside = False
        for operands, operator in instructions:
            inside = operator == pikepdf.Operator("BT") or (inside and operator != pikepdf.Operator("ET"))
            if not (inside and operator in colours):
                yield operands, operator
            if operator == pikepdf.Operator("BT"):
                yield [0.96, 0.96, 0.96], pikepdf.Operator("rg")

    rewrite(pdf, change)


def untagged_copy_of_a_line(pdf: pikepdf.Pdf) -> None:
    """The introduction's first line drawn again 30pt lower, after the page's content and outside
    any marked content: text a reader of the page sees that the structure tree does not hold."""
    in_css_pixels = [0.75, 0, 0, 0.75, 0, 0]  # WeasyPrint draws in CSS pixels, 0.75pt each

    def change(instructions: Instructions):
        texts, copy = 0, []
        for operands, operator in instructions:
            yield operands, operator
            texts += operator == pikepdf.Operator("BT")
            if texts == 9 and operator not in (pikepdf.Operator("BDC"), pikepdf.Operator("EMC")):
                copy.append((operands, operator))
                texts += operator == pikepdf.Operator("ET")
        moved = [([], pikepdf.Operator("q")), (in_css_pixels, pikepdf.Operator("cm")), ([1, 0, 0, 1, 0, 40], pikepdf.Operator("cm"))]
        yield from [*moved, *copy, ([], pikepdf.Operator("Q"))]

    rewrite(pdf, change, slice(0, 1))


def actual_text_rewritten(pdf: pikepdf.Pdf) -> None:
    """The /ActualText of the introduction's first line says something else; its glyphs are kept."""

    def change(instructions: Instructions):
        declared = 0
        for operands, operator in instructions:
            if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]:
                declared += 1
                if declared == 9:
                    operands[1].ActualText = pikepdf.String("Take ten times the usual dose.")
            yield operands, operator

    rewrite(pdf, change, slice(0, 1))


def structure_reversed(pdf: pikepdf.Pdf) -> None:
    """The document element's children (title block, sections ... disclaimer) in reverse order."""
    document = pdf.Root.StructTreeRoot.K
    document = document[0] if isinstance(document, pikepdf.Array) else document
    document.K = pikepdf.Array(list(document.K)[::-1])


def figure_alt_rewritten(pdf: pikepdf.Pdf) -> None:
    """Every figure's /Alt (the publisher's logo) says something else; the picture is kept."""
    from pipeline.verify.checks.pdf_reading import structure

    for element in structure(pdf):
        if "/Alt" in element:
            element.Alt = pikepdf.String("Take ten times the usual dose.")
