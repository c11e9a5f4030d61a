"""Content parity: the edition, read as its reader reads it, says what the source says.

Each format reads its own edition (the text file's lines, the PDF's glyphs, the browser's
display, the transcript's cues) as passages in reading order by subclassing `Parity`; the
alignment with the source is `pipeline.verify.sequence`, once for every format.
"""

from __future__ import annotations

from pipeline.verify.checks import Check, CheckResult, Output, Source
from pipeline.verify.sequence import Passage, compare, expected_sentences


class Parity(Check):
    """Base of the parity checks: a subclass says how its format's reader perceives it."""

    needs_source = True

    def passages(self, source: Source, output: Output) -> list[Passage]:
        raise NotImplementedError

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None  # needs_source: the engine never passes None
        reading = compare(source.article, expected_sentences(source.article, source.where), self.passages(source, output))
        return CheckResult.judge(reading.ok, reading.figure, reading.messages)


class TextParity(Parity):
    name = "text-parity"
    description = "the plain text holds every sentence of the source, once and in order, and nothing the source or catalogue does not say"
    media_types = ("text/plain",)
    renderers = ("txt",)

    def passages(self, source: Source, output: Output) -> list[Passage]:
        lines = self.checked_file(output).read_text("utf-8").splitlines()
        return [Passage(line, f"line {number}") for number, line in enumerate(lines, start=1) if line.strip()]
