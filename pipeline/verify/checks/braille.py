"""Checks of the braille edition: the BRF fits its pages and is ASCII braille, the PEF is valid
PEF 2008-1 and holds the same cells, and the braille read back through liblouis holds every
sentence of the source.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from pipeline.model import walk
from pipeline.text import sentences
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted

if TYPE_CHECKING:
    from pipeline.braille.translation import Translator

BRF, PEF = "application/x-brf", "application/x-pef+xml"
_PAGE_NUMBER = re.compile("\u2800{3,}[^\u2800]+$")


def _size(output: Output) -> tuple[int, int]:
    return output.options.get("cells", 40), output.options.get("lines", 25)


def _brf_pages(output: Output) -> list[list[str]]:
    from pipeline.braille import brf

    return brf.decode(output.file(BRF).read_bytes())


class BrfPageSize(Check):
    name = "brf-page-size"
    description = "the BRF is ASCII braille, every page within its lines and every line within its cells"
    media_types = (BRF,)
    renderers = ("braille",)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        cells, lines = _size(output)
        try:
            pages = _brf_pages(output)
        except ValueError as error:
            return CheckResult.judge(False, "not ASCII braille", [str(error)])
        problems = [f"page {number}: {len(page)} lines, more than {lines}" for number, page in enumerate(pages, start=1) if len(page) > lines]
        problems += [
            f"page {number}, line {line_number}: {len(line)} cells, more than {cells}"
            for number, page in enumerate(pages, start=1)
            for line_number, line in enumerate(page, start=1)
            if len(line) > cells
        ]
        return CheckResult.judge(not problems, f"{counted(len(pages), 'page')} of {cells} x {lines} or less", problems)


class PefValid(Check):
    name = "pef-valid"
    description = "the PEF is valid against the PEF 2008-1 RELAX NG schema, its rows within the volume's size"
    media_types = (PEF,)
    renderers = ("braille",)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.braille import pef

        data = output.file(PEF).read_bytes()
        problems = pef.problems(data)
        if not problems:
            cols, rows = pef.page_size(data)
            for number, page in enumerate(pef.pages(data), start=1):
                if len(page) > rows or any(len(row) > cols for row in page):
                    problems.append(f"page {number} does not fit the volume's {cols} x {rows}")
        return CheckResult.judge(not problems, "valid PEF 2008-1" if not problems else counted(len(problems), "problem"), problems[:20])


class PefMatchesBrf(Check):
    name = "pef-matches-brf"
    description = "the PEF holds the same pages, rows and cells as the BRF"
    media_types = (BRF, PEF)
    renderers = ("braille",)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.braille import pef

        try:
            brf_pages = _brf_pages(output)
        except ValueError as error:
            return CheckResult.judge(False, "BRF unreadable", [str(error)])
        pef_pages = pef.pages(output.file(PEF).read_bytes())
        problems = [f"{counted(len(brf_pages), 'page')} in the BRF, {len(pef_pages)} in the PEF"] if len(brf_pages) != len(pef_pages) else []
        for number, (brf_page, pef_page) in enumerate(zip(brf_pages, pef_pages), start=1):
            if [line.rstrip("\u2800") for line in brf_page] != [row.rstrip("\u2800") for row in pef_page]:
                problems.append(f"page {number} differs")
        return CheckResult.judge(not problems, f"{counted(len(brf_pages), 'page')} alike" if not problems else "differ", problems[:20])


class BrailleBackTranslation(Check):
    name = "braille-back-translation"
    description = "the braille, translated back with the same liblouis tables, holds every sentence of the source"
    media_types = (BRF,)
    renderers = ("braille",)
    needs_source = True

    def environment(self) -> str:
        from pipeline.braille.tables import BrailleError, louis

        try:
            return f"liblouis {louis().version()}"
        except BrailleError:
            return "liblouis absent"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None  # needs_source: the engine never passes None
        from pipeline.braille.tables import BrailleError, tables_for
        from pipeline.braille.translation import Translator

        try:
            translator = Translator(tables_for(source.article.lang, output.options.get("braille_grade")))
        except BrailleError as error:
            return CheckResult.skip(str(error))
        try:
            cells = reading(_brf_pages(output), translator.line_division)
        except ValueError as error:
            return CheckResult.judge(False, "BRF unreadable", [str(error)])
        read_back = letters(translator.back(cells))
        in_braille = _squeezed(translator, cells)
        total, by_cells, missing = 0, 0, []
        for item in walk.source_texts(source.article):
            for sentence in sentences.located_sentences(item.value):
                total += 1
                if letters(sentence.text) in read_back:
                    continue
                if _squeezed(translator, translator.braille(sentence.text)) in in_braille:
                    by_cells += 1
                    continue
                missing.append(f'missing: {source.where(item.location, sentence.start)} {walk.dotted_path(item.location)}: "{sentence.text}"')
        figure = f"{total - len(missing)}/{total} sentences of the source read back"
        if by_cells:
            figure += f" ({by_cells} found by their braille, which liblouis reads back otherwise)"
        return CheckResult.judge(not missing, f"{figure}, {len(missing)} missing" if missing else figure, missing)


def reading(pages: list[list[str]], division: str | None = None) -> str:
    """The braille of every page as one run of text: page numbers and line ends removed, a word
    divided at a line's end (`division`: UEB's line continuation indicator; none in Chinese,
    where dot 5 is a comma) joined again."""
    from pipeline.braille.translation import BLANK, LINE_CONTINUATION

    division = LINE_CONTINUATION if division is None else division
    joined = ""
    for page in pages:
        *body, last = page or [""]
        for line in (*body, _PAGE_NUMBER.sub("", last)):
            line = line.strip(BLANK)
            if line:
                divided = bool(division) and joined.endswith(division)
                joined = joined[: -len(division)] + line if divided else f"{joined}{BLANK}{line}" if joined else line
    return joined


def letters(value: str) -> str:
    """Letters and digits only: braille writes some punctuation alike (Spanish ¿ and ?, its
    apostrophe and full stop), which reading back cannot tell apart."""
    return "".join(char for char in unicodedata.normalize("NFC", value) if char.isalnum())


def _squeezed(translator: Translator, cells: str) -> str:
    from pipeline.braille.translation import BLANK, unmarked

    return unmarked(translator.without_emphasis(cells)).replace(BLANK, "")
