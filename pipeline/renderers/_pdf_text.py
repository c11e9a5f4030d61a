"""Each line of a PDF read back as written: /ActualText around its glyphs.

A PDF shows glyphs, not text: WeasyPrint writes a line's glyphs in visual order with one
Unicode mapping per glyph, so text extraction (pdftotext, PDFium, a screen reader, copy and
paste) rebuilds the text from the glyphs. For Devanagari, Bengali and Gurmukhi the vowel signs
drawn before their consonant come back before it and conjuncts lose letters; Arabic and Urdu
marks and ligatures come back scattered. PDF's answer is /ActualText: marked content whose
property list carries, in logical order, the text its glyphs stand for.

Only the drawing step knows a line's text: once written, the glyph order and the one mapping
per glyph are all the file holds. So WeasyPrint's content stream is given a `marked` that,
inside the marked content WeasyPrint opens for each line of text (the one whose MCID ties it
to the structure tree, so PDF/UA tagging is unchanged), nests
`/Span <</ActualText (the line's text, UTF-16BE)>> BDC ... EMC` around the line's glyphs.

A line set right to left is different: text extraction reorders it itself, and reverses a
line-wide ActualText, so its glyphs are left to the reader, with ActualText only around the
clusters that need it (`_pdf_clusters`): WeasyPrint's text calls for the line are collected
between BT and ET and written again. Its text in logical order is left in a marked-content
point for the finishing step, which moves it to the line's structure element (/ActualText
there is what screen readers read, and text extraction does not use it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pydyf
import weasyprint.pdf
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.pdf.stream import Stream

from pipeline.renderers._pdf_clusters import LineWriter, line_plan
from pipeline.renderers._pdf_finish import LOGICAL_TEXT


class TextStream(Stream):
    _right_to_left: TextBox | None = None
    _line: LineWriter | None = None

    @contextmanager
    def marked(self, box: object, tag: str) -> Iterator[None]:
        with super().marked(box, tag):
            if not isinstance(box, TextBox) or self._tags is None or not box.text.strip():
                yield
            elif box.style["direction"] == "rtl":
                self.stream.append(b"/" + LOGICAL_TEXT.encode() + b" " + pydyf.Dictionary({"ActualText": pydyf.String(box.text)}).data + b" DP")
                self._right_to_left = box
                try:
                    yield
                finally:
                    self._right_to_left = None
            else:
                self.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(box.text)}))
                try:
                    yield
                finally:
                    self.end_marked_content()

    def begin_text(self) -> None:
        super().begin_text()
        if self._right_to_left is not None:
            self._line = LineWriter(line_plan(self, self._right_to_left))

    def set_font_size(self, font: str, size: float) -> None:
        if self._line is None:
            return super().set_font_size(font, size)
        self._line.set_font_size(font, size, next(each for each in self._fonts.values() if each.hash == font))

    def set_text_rise(self, height: float) -> None:
        if self._line is None:
            return super().set_text_rise(height)
        self._line.set_text_rise(height)

    def show_text(self, text: str) -> None:
        if self._line is None:
            return super().show_text(text)
        self._line.show_text(text)

    def end_text(self) -> None:
        line, self._line = self._line, None
        if line is not None:
            line.write(super())
        super().end_text()


def install() -> None:
    """Have WeasyPrint draw pages with `TextStream` (it looks the class up when writing a PDF)."""
    if not issubclass(weasyprint.pdf.Stream, TextStream):
        weasyprint.pdf.Stream = TextStream
