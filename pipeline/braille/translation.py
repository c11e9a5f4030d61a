"""Text to braille cells and back, through liblouis, with the source's inline markup kept.

Strong and emphasised text become the table's bold and italic indicators; a link shows its
text (the edition lists its address after the block). A character the table has no six-dot
braille for is written as its Unicode name in brackets, "(grinning face)", rather than as liblouis's
escape (backslash, hex code), which needs eight-dot cells that BRF cannot hold and that no
reader expects; invisible format characters (zero-width joiners, variation selectors) are dropped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property

from pipeline.braille.tables import BrailleError, Tables, louis
from pipeline.model.markup import plain, spans
from pipeline.model.rules import quoted

BLANK = "\u2800"
SIX_DOT_CELLS = frozenset(chr(0x2800 + dots) for dots in range(64))
LINE_CONTINUATION = "\u2810"
"""UEB's line continuation indicator (dot 5), ending a line where a sequence longer than a
whole line (a web address, in practice) goes on to the next."""
BREAK = "\u200b"
"""Where an address (after a slash, a dot ...) or Chinese (between two syllables) may be divided
between lines: a mark the layout removes, never written."""
_BREAK_AFTER = re.compile(r"(?<=[/.?&=#_-])(?=.)")
_SYLLABIC_TABLES = ("zhcn-", "zh-chn")
"""Mainland Chinese braille, which liblouis writes with no blanks between words (a blank follows
a comma, a colon ...): a run of cells is a whole clause, divided between lines between two
syllables, unmarked. Each syllable is closed by its tone cell, so a line ending between two
reads as it is; a mark could only be read as punctuation: dot 5, UEB's line continuation
indicator, is the Chinese comma, and dots 36 (a hyphen) the colon."""
_SENTENCE_ENDS = "\u3002\uff01\uff1f"
GRADE_1_WORD = "\u2830\u2830"
"""UEB's grade 1 word indicator: an address in uncontracted braille inside contracted text."""
_STYLES = {"strong": "bold", "emphasis": "italic"}


class Translator:
    """One language's tables, with what the layout and the checks ask of them."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.names = list(tables.names)
        self._louis = louis()
        self._defined: dict[str, bool] = {}
        try:
            self._louis.checkTable(self.names)
        except RuntimeError:
            raise BrailleError(f"liblouis cannot load the tables {', '.join(self.names)}: reinstall liblouis-data") from None

    @property
    def syllabic(self) -> bool:
        """Whether the tables write Chinese, whose lines are divided between syllables."""
        return self.names[-1].startswith(_SYLLABIC_TABLES)

    @property
    def line_division(self) -> str:
        """The cell ending a line whose run of cells goes on to the next (none in Chinese)."""
        return "" if self.syllabic else LINE_CONTINUATION

    def braille(self, value: str) -> str:
        """Source text (inline markup allowed) as six-dot Unicode braille, blanks between words;
        in Chinese, BREAK marks where a line may be divided (between syllables)."""
        return self._six_dot(*self._typed(value), value, divisible=self.syllabic)

    def address(self, url: str) -> str:
        """A web address in uncontracted braille, as UEB asks (behind a grade 1 word indicator
        in contracted braille): no contraction can be read into it. BREAK marks where it may
        be divided: after a slash, a dot ... (where its pieces' braille is the whole's)."""
        written = "".join(self._readable(url))
        whole = self._uncontracted(written)
        pieces = [self._uncontracted(piece) for piece in _BREAK_AFTER.split(written)]
        cells = BREAK.join(pieces) if "".join(pieces) == whole else whole
        return GRADE_1_WORD + cells if self.tables.contracted and self.names[-1].startswith("en-ueb") else cells

    def _uncontracted(self, value: str) -> str:
        return self._six_dot(list(value), [self._louis.no_contract] * len(value), value).replace(BLANK, "")

    def _six_dot(self, characters: list[str], typeforms: list[int], value: str, divisible: bool = False) -> str:
        """The cells of `characters`; a character the tables write in eight dots (or not as
        braille) in this context only is named instead, and the text translated again. Where
        the name cannot be written either (Latin letters in the Urdu table), the character is
        left out: BRF holds six dots only."""
        for attempt in range(3):
            if not characters:
                return ""
            cells, sources, _targets, _cursor = self._louis.translate(self.names, "".join(characters), typeform=list(typeforms))
            cells = cells.replace(" ", BLANK)
            unwritable = sorted({sources[index] for index, cell in enumerate(cells) if cell not in SIX_DOT_CELLS}, reverse=True)
            if not unwritable:
                return _syllables_marked(characters, cells, sources) if divisible else cells
            for index in unwritable:
                named = list(_name(characters[index])) if attempt == 0 else []
                characters[index : index + 1] = named
                typeforms[index : index + 1] = [typeforms[index]] * len(named)
        raise BrailleError(f"table {self.names[-1]} writes {quoted(plain(value))} in cells that are not six-dot braille, which BRF cannot hold")

    def back(self, cells: str) -> str:
        """Braille read back to text with the same tables (emphasis indicators removed first:
        liblouis reads them back as escapes)."""
        return self._louis.backTranslateString(self.names, self.without_emphasis(unmarked(cells)))

    def without_emphasis(self, cells: str) -> str:
        for indicator in self.emphasis_indicators:
            cells = cells.replace(indicator, "")
        return cells

    @cached_property
    def emphasis_indicators(self) -> tuple[str, ...]:
        """The cells the tables add for bold and italic (word, passage, terminator), learnt by
        translating probes with and without emphasis; longest first, for removal."""
        found: set[str] = set()
        for typeform in self._emphasis.values():
            for probe, marked in self._probes(typeform):
                found.update(_insertions(self._louis.translateString(self.names, probe), marked))
        return tuple(sorted(found, key=len, reverse=True))

    @cached_property
    def _emphasis(self) -> dict[str, int]:
        """source style -> liblouis typeform, for the styles the tables write in six dots (a
        table without emphasis writes eight-dot escapes: its text then goes unmarked)."""
        usable = {}
        for style, name in _STYLES.items():
            typeform = getattr(self._louis, name)
            if all(set(marked) <= SIX_DOT_CELLS for _probe, marked in self._probes(typeform)):
                usable[style] = typeform
        return usable

    def _probes(self, typeform: int) -> Iterator[tuple[str, str]]:
        for probe in ("word", "many words in one long passage here", "x", "0"):
            yield probe, self._louis.translateString(self.names, probe, typeform=[typeform] * len(probe))

    def _typed(self, value: str) -> tuple[list[str], list[int]]:
        """The plain characters of `value` (spaces folded, unknown characters named) and each
        one's liblouis typeform."""
        characters: list[str] = []
        typeforms: list[int] = []
        for span in spans(value):
            typeform = self._emphasis.get(span.style, 0)
            for char in self._readable(unicodedata.normalize("NFC", span.text)):
                if char.isspace():
                    if not characters or characters[-1] == " ":
                        continue
                    char = " "
                characters.append(char)
                typeforms.append(typeform)
        while characters and characters[-1] == " ":
            characters.pop()
            typeforms.pop()
        return characters, typeforms

    def _readable(self, value: str) -> Iterator[str]:
        for char in value:
            if char.isspace() or self._is_defined(char):
                yield char
            elif unicodedata.category(char) != "Cf" and not 0xFE00 <= ord(char) <= 0xFE0F:
                yield from _name(char)

    def writes(self, char: str) -> bool:
        """Whether the tables write `char` in six-dot cells."""
        return self._is_defined(char)

    def _is_defined(self, char: str) -> bool:
        """Whether the tables write `char` in six-dot cells (some define a few signs in eight)."""
        known = self._defined.get(char)
        if known is None:
            cells = self._louis.translateString(self.names, char, mode=self._louis.noUndefined).strip(BLANK)
            known = self._defined[char] = bool(cells) and set(cells) <= SIX_DOT_CELLS
        return known


def unmarked(cells: str) -> str:
    """Cells as written: the marks of where a line may be divided removed."""
    return cells.replace(BREAK, "")


def _syllables_marked(characters: list[str], cells: str, sources: list[int]) -> str:
    """Chinese cells with BREAK before each syllable that follows a syllable (a Han character
    and a letter or digit, on either side) or a sentence's end: a line begins with no
    punctuation, and no syllable or sign is split. A word liblouis writes as one (its
    phrases: 水分) keeps its syllables together."""
    marked = []
    for index, cell in enumerate(cells):
        if index and sources[index] > sources[index - 1] and BLANK not in (cell, cells[index - 1]):
            before, after = characters[sources[index] - 1], characters[sources[index]]
            syllables = before.isalnum() and (_han(before) or _han(after))
            if after.isalnum() and (syllables or before in _SENTENCE_ENDS):
                marked.append(BREAK)
        marked.append(cell)
    return "".join(marked)


def _han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK ")


def _name(char: str) -> str:
    return f"({unicodedata.name(char, f'U+{ord(char):04X}').lower()})"


def _insertions(unmarked: str, marked: str) -> Iterator[str]:
    matcher = difflib.SequenceMatcher(a=unmarked, b=marked, autojunk=False)
    for tag, _a1, _a2, b1, b2 in matcher.get_opcodes():
        if tag == "insert":
            yield marked[b1:b2]
