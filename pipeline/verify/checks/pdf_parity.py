"""PDF parity: the glyphs as drawn, and what a screen reader reads, both say what the source says.

A PDF can say one thing to the eye and another to assistive technology: its /ActualText and
/Alt stand in for the glyphs when read aloud, and nothing makes them agree but the renderer's
care. So the leaflet is read twice in the structure tree's order (`pdf_readings`), and each
reading is held to the source on its own by the `Parity` base: every sentence once and in
order, nothing the source or catalogue does not say, the article's details as they are. Lines
whose glyphs cannot be read back (Arabic ligatures, Indic vowel signs) are named in the glyph
reading's figure and left to the ink check, which sees them drawn.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from pipeline.verify.checks import CheckResult, Output, Source, counted
from pipeline.verify.checks.parity import Parity
from pipeline.verify.checks.pdf import MEDIA_TYPE
from pipeline.verify.sequence import Passage

SHOWN_LINES = 3


class PdfReadingParity(Parity):
    """A parity check of one of `pdf_readings.Readings`' two readings, named by `reading`."""

    media_types = (MEDIA_TYPE,)
    reading: ClassVar[str]

    def passages(self, source: Source, output: Output) -> list[Passage]:
        from pipeline.verify.checks.pdf_readings import read

        return list(getattr(read(self.checked_file(output)), self.reading))


class PdfParity(PdfReadingParity):
    name = "pdf-parity"
    description = "the glyphs as drawn (through ToUnicode, /ActualText ignored), in the structure tree's order, hold every sentence of the source, once and in order, and nothing else"
    reading = "drawn"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_readings import read

        result = super().run(source, output)
        unmapped = read(self.checked_file(output)).unmapped
        if not unmapped:
            return result
        shown = ", ".join(unmapped[:SHOWN_LINES]) + (", ..." if len(unmapped) > SHOWN_LINES else "")
        note = f"{counted(len(unmapped), 'line')} read from /ActualText, their glyphs not mapped back to letters ({shown}): pdf-ink checks they are drawn"
        return replace(result, figure=f"{result.figure}; {note}")


class PdfScreenReaderParity(PdfReadingParity):
    name = "pdf-screen-reader-parity"
    description = "what a screen reader reads (/ActualText and /Alt, glyphs elsewhere), in the structure tree's order, holds every sentence of the source, once and in order, and nothing else"
    reading = "spoken"
