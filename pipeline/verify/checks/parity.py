"""Content parity: the edition, read as its reader reads it, says what the source says.

Each format reads its own edition (the text file's lines, the PDF's glyphs, the browser's
display, the transcript's cues) as passages in reading order by subclassing `Parity`; the
alignment with the source is `pipeline.verify.sequence`, once for every format.
"""

from __future__ import annotations

from pipeline.verify.checks import Check, CheckResult, Output, Source
from pipeline.verify.details import EVERY_DETAIL, details
from pipeline.verify.sequence import Passage, compare, expected_sentences, unshown


class Parity(Check):
    """Base of the parity checks: a subclass says how its format's reader perceives it."""

    needs_source = True
    shows: tuple[str, ...] = EVERY_DETAIL
    """The kinds of details (`pipeline.verify.details`) the edition shows, each to be found as it is."""

    def passages(self, source: Source, output: Output) -> list[Passage]:
        raise NotImplementedError

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None  # needs_source: the engine never passes None
        passages = self.passages(source, output)
        reading = compare(source.article, expected_sentences(source.article, source.where), passages)
        wanted = details(source.article, source.where, self.shows)
        missing = unshown(wanted, passages) + self.declared_details(source, output)
        figure = f"{reading.figure}; {len(wanted) - len(missing)}/{len(wanted)} details" if wanted else reading.figure
        return CheckResult.judge(reading.ok and not missing, figure, (*reading.messages, *missing))

    def declared_details(self, source: Source, output: Output) -> list[str]:
        """What is wrong with the details a format also declares as metadata (an e-book's package)."""
        return []


class TextParity(Parity):
    name = "text-parity"
    description = "the plain text holds every sentence of the source, once and in order, and nothing the source or catalogue does not say"
    media_types = ("text/plain",)
    renderers = ("txt",)

    def passages(self, source: Source, output: Output) -> list[Passage]:
        lines = self.checked_file(output).read_text("utf-8").splitlines()
        return [Passage(line, f"line {number}") for number, line in enumerate(lines, start=1) if line.strip()]
