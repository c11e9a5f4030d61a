"""Reading order: the structure tree reads the article's parts in the source's order.

A screen reader, and reflow, follow the structure tree, not the page: a tree whose sections,
key points or table come in another order than the source reads the leaflet out of order
though every page looks right. The tree's block elements (headings, paragraphs, list items,
table cells) are read with their text as a screen reader hears it, and each of the source's
texts (title, key points, each section's heading and body, table, FAQ, references,
disclaimer) must be found in an element at or after the one the text before it was found in.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import markup, walk
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.pdf import MEDIA_TYPE
from pipeline.verify.vocabulary import key, words_of

BLOCKS = frozenset({"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/P", "/LBody", "/TH", "/TD", "/Caption", "/Figure"})
SHOWN = 3


@dataclass(frozen=True)
class Block:
    tag: str
    text: str
    """The element's words as compared: case-folded, run together."""
    where: str

    @property
    def named(self) -> str:
        return f"{self.tag}, {self.where}"


def blocks(path: Path, addresses: list[str]) -> list[Block]:
    """The tree's block elements in its order, without the `addresses` print adds after links."""
    import pikepdf

    from pipeline.verify.checks.pdf_glyphs import pages
    from pipeline.verify.checks.pdf_reading import structure
    from pipeline.verify.checks.pdf_readings import Book, tree_order

    book = Book(list(pages(path)))
    found = []
    with pikepdf.open(path) as pdf:
        for element in structure(pdf):
            if str(element.S) not in BLOCKS:
                continue
            steps, owners = tree_order(pdf, element), set()
            text = "".join(book.spoken_text(step, owners) for step in steps)
            for address in addresses:
                text = text.replace(f"({address})", "")
            where = next((book.where(step) for step in steps if step.mcid is not None), "the structure tree")
            found.append(Block(str(element.S).lstrip("/"), compared(text), where))
    return found


def compared(text: str) -> str:
    """Text as compared: its words case-folded and run together, so line ends cannot split it."""
    return "".join(key(word) for word in words_of(text))


class PdfReadingOrder(Check):
    name = "pdf-reading-order"
    description = "the structure tree reads the title, key points, sections, table, FAQ, references and disclaimer in the source's order"
    media_types = (MEDIA_TYPE,)
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None  # needs_source: the engine never passes None
        addresses = [link.url for item in walk.article_texts(source.article) for link in markup.links(item) if link.url]
        tree = Tree(blocks(self.checked_file(output), addresses))
        placed, problems = _follow(source, tree)
        messages = problems[:SHOWN] + ([f"... and {len(problems) - SHOWN} more like these"] if len(problems) > SHOWN else [])
        figure = f"{placed}/{counted(placed + len(problems), 'text')} of the source in its order in the structure tree ({counted(len(tree.blocks), 'block element')})"
        return CheckResult.judge(not problems and placed > 0, figure, messages)


def _follow(source: Source, tree: Tree) -> tuple[int, list[str]]:
    """Each source text looked for after the one before it: how many were found so, and why
    the others were not."""
    position, placed, problems = 0, 0, []
    previous = "the start of the tree"
    for item in walk.source_texts(source.article):
        wanted = compared(markup.plain(item.value))
        found = tree.text.find(wanted, position) if wanted else -1
        if found >= 0:
            placed, position, previous = placed + 1, found + len(wanted), tree.block_at(found).named
        elif wanted:
            problems.append(_misplaced(source, item, tree.block_at(tree.text.find(wanted)), previous))
    return placed, problems


class Tree:
    """The block elements' texts run together, so a paragraph a page break cuts in two (two
    elements, one per page) is found whole."""

    def __init__(self, found: list[Block]) -> None:
        self.blocks = found
        self.starts = list(itertools.accumulate((len(block.text) for block in found), initial=0))[:-1]
        self.text = "".join(block.text for block in found)

    def block_at(self, offset: int) -> Block | None:
        return self.blocks[bisect.bisect_right(self.starts, offset) - 1] if offset >= 0 and self.blocks else None


def _misplaced(source: Source, item: walk.SourceText, earlier: Block | None, previous: str) -> str:
    """Why the text is not where it belongs: read earlier in the tree, or not at all."""
    place = f"{source.where(item.location)} {walk.dotted_path(item.location)}"
    shown = " ".join(markup.plain(item.value).split())[:60]
    if earlier is None:
        return f'not in the structure tree: {place}: "{shown}" is in no heading, paragraph, list item or table cell'
    return f'out of order: {place}: "{shown}" ({earlier.named}) is read before the text the source has before it ({previous})'
