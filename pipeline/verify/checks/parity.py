"""Content parity: every sentence of the source is in the output's text, the missing ones listed.

Each format reads its own text (the PDF's text layer, the EPUB's XHTML, the transcript's cues)
by subclassing `Parity`; the comparison is here, once. Sentences are those of
`pipeline.text` (what every renderer is held to), compared with all white space removed so
that line wrapping, hyphenation points and page breaks cannot hide a match.
"""

from __future__ import annotations

import re

from pipeline.model import walk
from pipeline.text import sentences
from pipeline.verify.checks import Check, CheckResult, Output, Source


def squeezed(value: str) -> str:
    return re.sub(r"\s+", "", value)


class Parity(Check):
    """Base of the parity checks: a subclass says where its format keeps the text."""

    needs_source = True

    def text(self, source: Source, output: Output) -> str:
        raise NotImplementedError

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None  # needs_source: the engine never passes None
        found = squeezed(self.text(source, output))
        total, missing = 0, []
        for item in walk.source_texts(source.article):
            for sentence in sentences.located_sentences(item.value):
                total += 1
                if squeezed(sentence.text) not in found:
                    missing.append(f'missing: {source.where(item.location, sentence.start)} {walk.dotted_path(item.location)}: "{sentence.text}"')
        figure = f"{total - len(missing)}/{total} sentences of the source"
        return CheckResult.judge(not missing, f"{figure}, {len(missing)} missing" if missing else figure, missing)


class TextParity(Parity):
    name = "text-parity"
    description = "every sentence of the source is in the plain text"
    media_types = ("text/plain",)
    renderers = ("txt",)

    def text(self, source: Source, output: Output) -> str:
        return self.checked_file(output).read_text("utf-8")
