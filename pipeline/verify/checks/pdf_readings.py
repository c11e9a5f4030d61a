"""A tagged PDF read two ways, in the structure tree's order: the glyphs as drawn, and what
assistive technology reads.

The structure tree orders the page's marked content (each line of text is one sequence, tied
to its element by an MCID); a screen reader follows it, and so does a sighted reader's eye in a
well-made file. Both readings follow it, one passage per marked-content sequence (a line):

- `drawn`: the glyphs a reader of the page sees (not invisible, not off the page) through their
  fonts' ToUnicode maps (`pdf_glyphs`), /ActualText ignored. Where a line in a script whose
  glyphs cannot be mapped back to its letters (Arabic ligatures and dotless skeletons, Indic
  vowel signs drawn before their consonant) reads otherwise than it declares, its declared
  text stands in, and the line is named in `Readings.unmapped`: the ink check (`pdf_ink`) is
  then the one that sees it drawn.
- `spoken`: an element's /ActualText or /Alt in place of its content, a marked-content
  sequence's /ActualText in place of its glyphs, the glyphs elsewhere.

Text the tree does not reach that is not an artifact (page furniture) follows in both, in
content order, as a screen reader reads an untagged file: nothing shown goes unread.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf

from pipeline.verify.checks.pdf_glyphs import Glyph, Page, pages, runs, version
from pipeline.verify.sequence import Passage

SHAPED_SCRIPTS = frozenset({
    "ARABIC", "SYRIAC", "THAANA", "NKO", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA",
    "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "TIBETAN", "MYANMAR", "KHMER",
})
"""Scripts whose fonts draw letters as ligatures, reordered signs or shared skeletons: their
glyphs need not spell the line, so /ActualText (which the renderer writes) spells it."""
_IGNORED = re.compile(r"[\s\u00ad\u200b-\u200f\u2060-]")
_BROKEN_WORD = re.compile(r"\w-$")


@dataclass(frozen=True)
class Declared:
    """An element's /ActualText or /Alt, which a screen reader reads in place of all it holds."""

    owner: tuple[int, int]
    text: str
    element: str
    """Its structure type ('Figure'), to name its place."""


@dataclass(frozen=True)
class Marked:
    """One step of the structure tree's reading: a marked-content sequence on a page (or, with
    no MCID, an element that holds none but declares its text)."""

    page: int
    mcid: int | None
    by: Declared | None = None


@dataclass(frozen=True)
class Readings:
    drawn: tuple[Passage, ...]
    spoken: tuple[Passage, ...]
    unmapped: tuple[str, ...]
    """The places of the lines whose glyphs could not be read back (see the module's docstring)."""


def read(path: Path) -> Readings:
    """Both readings of the PDF at `path` (made once while the file stays the same)."""
    return _read(*version(path))


@lru_cache(maxsize=4)
def _read(path: Path, _modified: int, _size: int) -> Readings:
    with pikepdf.open(path) as pdf:
        order = tree_order(pdf)
    book = Book(list(pages(path)))
    outside = book.unreached(order)
    outside_tree = set(outside)
    drawn, spoken, unmapped = [], [], []
    spoken_owners: set[tuple[int, int]] = set()
    for step in order + outside:
        where = book.where(step) + (" (outside the structure tree)" if step in outside_tree else "")
        heard = book.declared_text(step, spoken_owners)
        seen = book.glyph_text(step, visible_only=True)
        if heard is not None and seen.strip() and _plain(seen) != _plain(heard) and _shaped(heard):
            unmapped += [] if where in unmapped else [where]
            seen = heard
        drawn.append(Passage(seen, where))
        spoken.append(Passage(heard if heard is not None else book.glyph_text(step), where))
    return Readings(tuple(_joined(drawn)), tuple(_joined(spoken)), tuple(unmapped))


def tree_order(pdf: pikepdf.Pdf, node: pikepdf.Object | None = None) -> list[Marked]:
    """Every step of the structure tree (or of the element `node`), depth first, in its order."""
    numbers = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[Marked] = []

    def visit(node: pikepdf.Object, page: int, by: Declared | None) -> None:
        for kid in _kids(node):
            if isinstance(kid, int):
                found.append(Marked(page, kid, by))
            elif isinstance(kid, pikepdf.Dictionary):
                kid_page = numbers.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                if "/MCID" in kid:
                    found.append(Marked(kid_page, int(kid.MCID), by))
                elif "/S" in kid:
                    visit_element(kid, kid_page, by)

    def visit_element(element: pikepdf.Dictionary, page: int, by: Declared | None) -> None:
        own = element.get("/ActualText", element.get("/Alt"))
        if by is None and own is not None:
            by = Declared(element.objgen, str(own), str(element.S).lstrip("/"))
            before = len(found)
            visit(element, page, by)
            if len(found) == before:
                found.append(Marked(page, None, by))
        else:
            visit(element, page, by)

    start = pdf.Root.get("/StructTreeRoot") if node is None else node
    if start is not None:
        page = numbers.get(start.Pg.objgen, 0) if "/Pg" in start else 0
        (visit if node is None else visit_element)(start, page, None)
    return found


def _kids(node: pikepdf.Object) -> list:
    kids = node.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


class Book:
    """The pages' glyphs, looked up by marked-content sequence."""

    def __init__(self, book: list[Page]) -> None:
        """Artifacts (page furniture) are left out; each run of glyphs in no marked-content
        sequence is given a number of its own below 0, as if it had an MCID."""
        self.pages = book
        self.sequences: dict[tuple[int, int], list[int]] = {}
        for index, page in enumerate(book):
            for number, (mcid, glyphs) in enumerate(runs(page), start=1):
                content = [glyph for glyph in glyphs if not page.glyphs[glyph].artifact]
                if content:
                    self.sequences.setdefault((index, -number if mcid is None else mcid), []).extend(content)

    def glyphs(self, step: Marked) -> list[int]:
        return self.sequences.get((step.page, step.mcid), []) if step.mcid is not None else []

    def unreached(self, order: list[Marked]) -> list[Marked]:
        """The text on the pages that the structure tree does not reach, in content order."""
        reached = {(step.page, step.mcid) for step in order}
        return [Marked(page, mcid) for page, mcid in self.sequences if (page, mcid) not in reached]

    def where(self, step: Marked) -> str:
        page = self.pages[step.page]
        drawn = [index for index in self.glyphs(step) if page.glyphs[index].drawn]
        if not drawn:
            return f"page {step.page + 1}" + (f", {step.by.element} element" if step.by else "")
        return page.where(drawn[0])

    def glyph_text(self, step: Marked, visible_only: bool = False) -> str:
        """The step's glyphs through ToUnicode; `visible_only` leaves out those drawn in an
        invisible render mode or off the page, which a reader of the page does not see."""
        page = self.pages[step.page]
        return "".join(glyph.text for glyph in self._glyphs_of(step) if not visible_only or page.shows(glyph))

    def spoken_text(self, step: Marked, read_owners: set) -> str:
        heard = self.declared_text(step, read_owners)
        return heard if heard is not None else self.glyph_text(step)

    def declared_text(self, step: Marked, read_owners: set) -> str | None:
        """What a screen reader reads of the step: the element's declared text (once), or the
        marked content with each /ActualText in place of its glyphs; None if nothing is declared."""
        if step.by is not None:
            first = step.by.owner not in read_owners
            read_owners.add(step.by.owner)
            return step.by.text if first else ""
        glyphs, pieces, spans = self._glyphs_of(step), [], set()
        for glyph in glyphs:
            if glyph.declared is None:
                pieces.append(glyph.text)
            elif glyph.declared[0] not in spans:
                spans.add(glyph.declared[0])
                pieces.append(glyph.declared[1])
        return "".join(pieces) if spans else None

    def _glyphs_of(self, step: Marked) -> list[Glyph]:
        page = self.pages[step.page]
        return [page.glyphs[index] for index in self.glyphs(step)]


def _plain(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def _shaped(text: str) -> bool:
    return any(unicodedata.name(char, "").split(" ")[0] in SHAPED_SCRIPTS for char in text if char.isalpha() or unicodedata.category(char).startswith("M"))


def _joined(passages: list[Passage]) -> list[Passage]:
    """The passages with a word broken at a line's end made whole ('VitaminD-' + 'Health...'):
    the next line's first word is read with the line it starts on; empty passages left out."""
    texts = [passage.text.strip() for passage in passages]
    for index in range(len(texts) - 1):
        if _BROKEN_WORD.search(texts[index]):
            head, _space, texts[index + 1] = texts[index + 1].partition(" ")
            texts[index] += head
    return [Passage(text, passage.where) for text, passage in zip(texts, passages, strict=True) if text]
