"""Text to braille cells and back, through liblouis, with the source's inline markup kept.

Strong and emphasised text become the table's bold and italic indicators; a link shows its
text (the edition lists its address after the block). A character the table has no braille
for is written as its Unicode name in brackets, "(grinning face)", rather than as liblouis's
escape (backslash, hex code), which needs eight-dot cells that BRF cannot hold and that no
reader expects; invisible format characters (zero-width joiners, variation selectors) are dropped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property

from pipeline import text
from pipeline.braille.tables import BrailleError, Tables, louis

BLANK = "\u2800"
SIX_DOT_CELLS = frozenset(chr(0x2800 + dots) for dots in range(64))
LINE_CONTINUATION = "\u2810"
"""UEB's line continuation indicator (dot 5), ending a line where a sequence longer than a
whole line (a web address, in practice) goes on to the next."""
BREAK = "\u200b"
"""Where an address may be divided between lines (after a slash, a dot ...): a mark the layout
removes, never written."""
_BREAK_AFTER = re.compile(r"(?<=[/.?&=#_-])(?=.)")
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

    def braille(self, value: str) -> str:
        """Source text (inline markup allowed) as six-dot Unicode braille, blanks between words."""
        characters, typeforms = self._typed(value)
        if not characters:
            return ""
        cells = self._louis.translateString(self.names, "".join(characters), typeform=typeforms)
        return self._six_dot(cells, value)

    def address(self, url: str) -> str:
        """A web address in uncontracted braille, as UEB asks (behind a grade 1 word indicator
        in contracted braille): no contraction can be read into it. BREAK marks where it may
        be divided: after a slash, a dot ... (where its pieces' braille is the whole's)."""
        plain = "".join(self._readable(url))
        whole = self._uncontracted(plain)
        pieces = [self._uncontracted(piece) for piece in _BREAK_AFTER.split(plain)]
        cells = BREAK.join(pieces) if "".join(pieces) == whole else whole
        return GRADE_1_WORD + cells if self.tables.contracted and self.names[-1].startswith("en-ueb") else cells

    def _uncontracted(self, value: str) -> str:
        cells = self._louis.translateString(self.names, value, typeform=[self._louis.no_contract] * len(value))
        return self._six_dot(cells, value).replace(BLANK, "")

    def back(self, cells: str) -> str:
        """Braille read back to text with the same tables (emphasis indicators removed first:
        liblouis reads them back as escapes)."""
        return self._louis.backTranslateString(self.names, self.without_emphasis(cells))

    def without_emphasis(self, cells: str) -> str:
        for indicator in self.emphasis_indicators:
            cells = cells.replace(indicator, "")
        return cells

    @cached_property
    def emphasis_indicators(self) -> tuple[str, ...]:
        """The cells the tables add for bold and italic (word, passage, terminator), learnt by
        translating probes with and without emphasis; longest first, for removal."""
        found: set[str] = set()
        for probe in ("word", "many words in one long passage here", "x"):
            plain = self._louis.translateString(self.names, probe)
            for style in _STYLES.values():
                marked = self._louis.translateString(self.names, probe, typeform=[getattr(self._louis, style)] * len(probe))
                found.update(_insertions(plain, marked))
        return tuple(sorted(found, key=len, reverse=True))

    def _typed(self, value: str) -> tuple[list[str], list[int]]:
        """The plain characters of `value` (spaces folded, unknown characters named) and each
        one's liblouis typeform."""
        characters: list[str] = []
        typeforms: list[int] = []
        for span in text.spans(value):
            typeform = getattr(self._louis, _STYLES[span.style]) if span.style in _STYLES else 0
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
                yield f"({unicodedata.name(char, f'U+{ord(char):04X}').lower()})"

    def _is_defined(self, char: str) -> bool:
        known = self._defined.get(char)
        if known is None:
            known = self._defined[char] = bool(self._louis.translateString(self.names, char, mode=self._louis.noUndefined).strip(BLANK))
        return known

    def _six_dot(self, cells: str, value: str) -> str:
        cells = cells.replace(" ", BLANK)
        extra = sorted(set(cells) - SIX_DOT_CELLS)
        if extra:
            shown = " ".join(f"U+{ord(char):04X}" for char in extra[:5])
            raise BrailleError(f"table {self.names[-1]} wrote {shown} (not six-dot braille) for {text.quoted(text.plain(value))}: BRF holds only six-dot cells")
        return cells


def _insertions(plain: str, marked: str) -> Iterator[str]:
    matcher = difflib.SequenceMatcher(a=plain, b=marked, autojunk=False)
    for tag, _a1, _a2, b1, b2 in matcher.get_opcodes():
        if tag == "insert":
            yield marked[b1:b2]
