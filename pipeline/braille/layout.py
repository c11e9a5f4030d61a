"""Braille pages: blocks of cells set line by line, as BANA's "Braille Formats" (2016) asks.

Words are never divided between lines; only a sequence longer than a whole line (a web
address) is, with UEB's line continuation indicator at the end of the line. Chinese, which
liblouis writes with no blanks between words, fills its lines instead: a run of syllables is
divided between two of them, unmarked. Each page has its braille page number at the right of
its last line, three blank cells or more from any text there. A heading is kept on the page
of the line of text that follows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.braille.translation import BLANK, BREAK, LINE_CONTINUATION, unmarked

Page = list[str]
"""A page's lines of Unicode braille, without trailing blank cells; blank lines are ''."""
PAGE_NUMBER_GAP = 3
CENTRED_MARGIN = 3
"""Blank cells kept on each side of a centred line."""


@dataclass(frozen=True)
class Block:
    """Words (runs of cells without blanks) set from cell `first + 1`, runovers from `runover + 1`."""

    words: tuple[str, ...]
    first: int = 0
    runover: int = 0
    centred: bool = False
    blank_before: bool = False
    blank_after: bool = False
    keep_with_next: bool = False


def words(cells: str) -> tuple[str, ...]:
    return tuple(word for word in cells.split(BLANK) if word)


@dataclass(frozen=True)
class Division:
    """How a line is divided: the cell ending a divided line (none in Chinese), and whether a
    run of cells is divided to fill a line (Chinese) or only when no line holds it (an address)."""

    mark: str = LINE_CONTINUATION
    fills_lines: bool = False


class Formatter:
    """Sets blocks on pages of `cells` x `lines`, page k numbered `numbering(k)` from 1."""

    def __init__(self, cells: int, lines: int, numbering: Callable[[int], str], division: Division = Division()) -> None:
        self.cells, self.lines = cells, lines
        self._numbering = numbering
        self._division = division
        self.pages: list[Page] = []
        self._numbers: list[str] = []
        self._new_page()

    def add(self, block: Block) -> None:
        if block.blank_before:
            self._blank()
        if block.keep_with_next:
            needed = len(self._set(block, self.cells)) + block.blank_after + 1
            if self._room() < needed and self._page:
                self._new_page()
        self._place(block)
        if block.blank_after:
            self._blank()

    def finish(self) -> list[Page]:
        """Every page, its number set at the right of its last line."""
        numbered = []
        for page, number in zip(self.pages, self._numbers):
            lines = page + [""] * (self.lines - len(page))
            last = lines[-1]
            lines[-1] = last + BLANK * (self.cells - len(last) - len(number)) + number
            numbered.append(lines)
        return numbered

    @property
    def _page(self) -> Page:
        return self.pages[-1]

    def _new_page(self) -> None:
        self.pages.append([])
        self._numbers.append(self._numbering(len(self.pages)))

    def _room(self) -> int:
        return self.lines - len(self._page)

    def _width(self) -> int:
        """Cells free on the page's next line: the last line leaves room for the page number."""
        if self._room() == 1:
            return self.cells - PAGE_NUMBER_GAP - len(self._numbers[-1])
        return self.cells

    def _blank(self) -> None:
        if self._page and self._page[-1] and self._room() > 0:
            self._page.append("")

    def _place(self, block: Block) -> None:
        remaining = list(block.words)
        first = True
        while remaining:
            if self._room() == 0 or (self._room() == 1 and not self._division.fills_lines and _divided_only_here(block, remaining[0], first, self._width(), self.cells)):
                self._new_page()
            line, remaining = _fill(block, remaining, first, self._width(), self._division)
            self._page.append(line)
            first = False

    def _set(self, block: Block, width: int) -> list[str]:
        """The block's lines at a full width (to see how many it takes)."""
        lines, remaining, first = [], list(block.words), True
        while remaining:
            line, remaining = _fill(block, remaining, first, width, self._division)
            lines.append(line)
            first = False
        return lines


def _room_for_words(block: Block, first: bool, width: int) -> tuple[int, int]:
    """(indent, cells for words) of a line of the block."""
    if block.centred:
        return CENTRED_MARGIN, width - 2 * CENTRED_MARGIN
    indent = block.first if first else block.runover
    return indent, width - indent


def _divided_only_here(block: Block, word: str, first: bool, width: int, full_width: int) -> bool:
    """Whether a word at the start of this shortened line would be divided where a full line
    would hold it (it then goes to the next page instead)."""
    length = len(unmarked(word))
    return _room_for_words(block, first, width)[1] < length <= _room_for_words(block, first, full_width)[1]


def _fill(block: Block, remaining: list[str], first: bool, width: int, division: Division) -> tuple[str, list[str]]:
    """One line of the block from its remaining words, and the words left after it."""
    indent, room = _room_for_words(block, first, width)
    taken: list[str] = []
    while remaining and len(unmarked(BLANK.join([*taken, remaining[0]]))) <= room:
        taken.append(remaining.pop(0))
    if remaining and (not taken or division.fills_lines):
        # a sequence longer than a whole line, or Chinese filling its line: divided, the rest on the next line
        left = room - len(unmarked(BLANK.join(taken))) - 1 if taken else room
        divided = _divide(remaining[0], left, division.mark, forced=not taken)
        if divided:
            taken, remaining = [*taken, divided[0]], [divided[1], *remaining[1:]]
    content = unmarked(BLANK.join(taken))
    if block.centred:
        indent = max(CENTRED_MARGIN, (width - len(content)) // 2)
    return BLANK * indent + content, remaining


def _divide(word: str, room: int, mark: str, forced: bool) -> tuple[str, str] | None:
    """The part of a word for this line (ended by `mark`), and the rest: cut at its last break
    point that fits; else, when `forced` (no line holds the word), at the end of the line."""
    parts = word.split(BREAK)
    for taken in range(len(parts) - 1, 0, -1):
        head = "".join(parts[:taken]) + mark
        if len(head) <= room:
            return head, BREAK.join(parts[taken:])
    if not forced:
        return None
    plain = unmarked(word)
    cut = room - len(mark)
    return plain[:cut] + mark, plain[cut:]
