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

Right-to-left lines carry their text in logical order too, as the PDF standard says, although
pdftotext 22.12 reverses such ActualText and PDFium reverses each run of Arabic letters (tested
in tests/test_pdf_scripts.py, which records both as known failures): writing the text reversed
for them would give every reader that follows the standard reversed text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pydyf
import weasyprint.pdf
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.pdf.stream import Stream


class TextStream(Stream):
    @contextmanager
    def marked(self, box: object, tag: str) -> Iterator[None]:
        with super().marked(box, tag):
            if not isinstance(box, TextBox) or self._tags is None or not box.text.strip():
                yield
                return
            self.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(box.text)}))
            try:
                yield
            finally:
                self.end_marked_content()


def install() -> None:
    """Have WeasyPrint draw pages with `TextStream` (it looks the class up when writing a PDF)."""
    if not issubclass(weasyprint.pdf.Stream, TextStream):
        weasyprint.pdf.Stream = TextStream

