"""PDF parity: the glyphs as drawn, and what a screen reader reads, both say what the source says.

A PDF can say one thing to the eye and another to assistive technology: its /ActualText and
/Alt stand in for the glyphs when read aloud, and nothing makes them agree but the renderer's
care. So the leaflet is read twice in the structure tree's order (`pdf_readings`), and each
reading is aligned with the source on its own: every sentence once and in order, nothing the
source or catalogue does not say. Lines whose glyphs cannot be read back (Arabic ligatures,
Indic vowel signs) are counted in the figure and left to the ink check, which sees them drawn.
"""

from __future__ import annotations

from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.pdf import MEDIA_TYPE
from pipeline.verify.sequence import compare, expected_sentences

SHOWN_LINES = 3


class PdfParity(Check):
    name = "pdf-parity"
    description = "the glyphs as drawn and the text a screen reader reads (/ActualText, /Alt) each hold every sentence of the source, once and in order, and nothing else"
    media_types = (MEDIA_TYPE,)
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_readings import read

        assert source is not None  # needs_source: the engine never passes None
        readings = read(self.checked_file(output))
        expected = expected_sentences(source.article, source.where)
        results = [(name, compare(source.article, expected, passages)) for name, passages in (("glyphs", readings.drawn), ("read aloud", readings.spoken))]
        figure = "; ".join(f"{name}: {reading.figure}" for name, reading in results)
        if readings.unmapped:
            shown = ", ".join(readings.unmapped[:SHOWN_LINES]) + (", ..." if len(readings.unmapped) > SHOWN_LINES else "")
            figure += f"; {counted(len(readings.unmapped), 'line')} read from /ActualText, their glyphs not mapped back to letters ({shown}): pdf-ink checks they are drawn"
        messages = [f"{name}: {message}" for name, reading in results for message in reading.messages]
        return CheckResult.judge(all(reading.ok for _name, reading in results), figure, messages)
