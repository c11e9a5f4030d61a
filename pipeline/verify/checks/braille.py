"""Checks of the braille edition: the BRF fits its pages and is ASCII braille, the PEF is valid
PEF 2008-1 and holds the same cells, and the braille read back through liblouis holds every
sentence of the source.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.model import walk
from pipeline.text import sentences
from pipeline.verify import details
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
    description = "the braille holds every sentence of the source in order (as the same liblouis tables write it, or read back), each place a BRF page and line"
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
            pages = _brf_pages(output)
            read_back = letters(translator.back(reading(pages, translator.line_division)))
        except ValueError as error:
            return CheckResult.judge(False, "BRF unreadable", [str(error)])
        braille = placed_cells(pages, translator)
        wanted = [
            (f'{source.where(item.location, sentence.start)} {walk.dotted_path(item.location)}: "{sentence.text}"', sentence.text)
            for item in walk.source_texts(source.article)
            for sentence in sentences.located_sentences(item.value)
        ]
        sought = [_squeezed(translator, translator.braille(text)) for _where, text in wanted]
        in_order = in_sequence([_occurrences(braille.text, cells) for cells in sought], [len(cells) for cells in sought])
        by_letters, missing, out_of_order = 0, [], []
        for index, (where, text) in enumerate(wanted):
            found = _occurrences(braille.text, sought[index])
            if index in in_order:
                continue
            if found:
                before = max((in_order[earlier] for earlier in in_order if earlier < index), default=None)
                after = f"after {braille.place(before)}" if before is not None else "at the start"
                out_of_order.append(f"out of order: {where} is at {braille.place(found[0])}, not {after}")
            elif letters(text) in read_back:
                by_letters += 1
            else:
                missing.append(f"missing: {where}")
        shown = details.details(source.article, source.where)
        unshown = [details.unshown(detail) for detail in shown if not _shows(detail.text, translator, braille.text, read_back)]
        return _verdict(len(wanted), by_letters, (missing, out_of_order), (len(shown), unshown))


def _shows(text: str, translator: Translator, cells: str, read_back: str) -> bool:
    """Whether the braille holds `text`, as the tables write it (an address uncontracted, as
    the edition writes one) or read back."""
    written = (translator.braille(text), translator.address(text))
    return any(_squeezed(translator, form) in cells for form in written) or letters(text) in read_back


def in_sequence(occurrences: list[list[int]], lengths: list[int]) -> dict[int, int]:
    """Sentence index -> position, for the most sentences that can be read one after another
    (each at one of its `occurrences`, after the end of the one before): a longest increasing
    run, so that a heading standing inside another sentence does not throw the order off."""
    best: dict[tuple[int, int], tuple[int, tuple[int, int] | None]] = {}
    for index, positions in enumerate(occurrences):
        for position in positions:
            earlier = [(best[key][0], key) for key in best if key[0] < index and key[1] + lengths[key[0]] <= position]
            count, previous = max(earlier, default=(0, None))
            best[(index, position)] = (count + 1, previous)
    chosen: dict[int, int] = {}
    key = max(best, key=lambda key: best[key][0], default=None)
    while key is not None:
        chosen[key[0]] = key[1]
        key = best[key][1]
    return chosen


def _occurrences(text: str, sought: str, most: int = 8) -> list[int]:
    """Where `sought` stands in `text` (the first `most` places)."""
    found, start = [], 0
    while sought and len(found) < most and (position := text.find(sought, start)) >= 0:
        found.append(position)
        start = position + 1
    return found


def _verdict(total: int, by_letters: int, unplaced: tuple[list[str], list[str]], details_found: tuple[int, list[str]]) -> CheckResult:
    """The figure and findings: sentences in order, (missing, out of order) sentences, and
    (how many, which missing) details."""
    missing, out_of_order = unplaced
    details_count, unshown = details_found
    figure = f"{total - len(missing) - len(out_of_order)}/{total} sentences of the source in order"
    if by_letters:
        figure += f" ({by_letters} found only by reading back, whose braille differs)"
    wrong = ", ".join(f"{len(found)} {name}" for found, name in ((missing, "missing"), (out_of_order, "out of order")) if found)
    figure = f"{figure}, {wrong}" if wrong else figure
    figure = f"{figure}; {details_count - len(unshown)}/{details_count} details" if details_count else figure
    return CheckResult.judge(not (missing or out_of_order or unshown), figure, missing + out_of_order + unshown)


@dataclass(frozen=True)
class PlacedCells:
    """The braille as `_squeezed` compares it, and where each BRF line starts in it."""

    text: str
    starts: tuple[int, ...]
    places: tuple[str, ...]

    def place(self, offset: int) -> str:
        return self.places[max(bisect.bisect_right(self.starts, offset) - 1, 0)] if self.places else "the start"


def placed_cells(pages: list[list[str]], translator: Translator) -> PlacedCells:
    """As `reading` joins the pages (page numbers and line-end division marks left out), squeezed
    line by line, so that a sentence found in it is found on a page and line."""
    from pipeline.braille.translation import BLANK, LINE_CONTINUATION

    division = LINE_CONTINUATION if translator.line_division is None else translator.line_division
    text, starts, places = "", [], []
    for page_number, page in enumerate(pages, start=1):
        for line_number, line in enumerate(page, start=1):
            line = (_PAGE_NUMBER.sub("", line) if line_number == len(page) else line).strip(BLANK)
            squeezed = _squeezed(translator, line[: -len(division)] if division and line.endswith(division) else line)
            if squeezed:
                starts.append(len(text))
                places.append(f"BRF page {page_number}, line {line_number}")
                text += squeezed
    return PlacedCells(text, tuple(starts), tuple(places))
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
