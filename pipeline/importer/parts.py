"""The document's blocks cut into the leaflet's parts by its headings.

The title is the file's title (a Word or OpenDocument Title paragraph, Markdown's `title:`)
or, in a web page, its first level-1 heading. Below it, a heading whose words name a part
("Key points", "Frequently asked questions", "References" ...) opens that part when it
stands at the top heading level of the document; any other heading opens a section. What
comes before the first heading is the front matter (introduction, summary, dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.importer import inline
from pipeline.importer.blocks import prose
from pipeline.importer.document import Block, Document
from pipeline.importer.findings import Findings
from pipeline.importer.words import Words, normalised

NAMED_PARTS = ("introduction", "summary", "key_points", "faq", "references", "disclaimer")
MAX_SUBTITLE_WORDS = 15
"""A subtitle, or a bold line standing for a heading, is short."""


@dataclass
class Part:
    kind: str  # front | section | one of NAMED_PARTS
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.heading.level if self.heading else 0


@dataclass
class Title:
    markup: str
    line: int


@dataclass
class Parts:
    title: Title | None
    subtitle: Title | None
    parts: list[Part]

    def named(self, kind: str) -> list[Part]:
        return [part for part in self.parts if part.kind == kind]


def split(document: Document, blocks: list[Block], words: Words, findings: Findings) -> Parts:
    blocks = list(blocks)
    title = _title(document, blocks, findings)
    subtitle = _subtitle(document, blocks, title, findings)
    if title is None:
        findings.warn(1, "the document has no title (no Title paragraph or level-1 heading): write title:", ("title",))
    headings = [block.level for block in blocks if block.kind == "Header"]
    top = min(headings, default=0)
    parts = [Part("front", None)]
    for block in blocks:
        if block.kind == "Header" and not (parts[-1].kind == "faq" and block.level > parts[-1].level):
            named = _named(block, words) if block.level == top else None
            if parts[-1].kind in NAMED_PARTS and block.level > parts[-1].level:
                parts[-1].blocks.append(block)
                continue
            parts.append(Part(named or "section", block))
        else:
            parts[-1].blocks.append(block)
    return Parts(title, subtitle, parts)


def bold_lines_as_headings(document: Document, blocks: list[Block], findings: Findings) -> list[Block]:
    """A file with no headings at all (a Word file styled by hand) marks them as short bold
    lines: those become headings, the first one the title when it opens a file without one.
    A bold line that asks a question stays a paragraph: it is a question of the FAQ."""
    if any(block.kind == "Header" for block in blocks):
        return blocks
    found: list[Block] = []
    for index, block in enumerate(blocks):
        words = inline.leading_strong(block.inlines) if block.kind == "Para" else None
        if words is None or inline.plain(words[1]).strip() or not _is_heading_like(block.plain):
            found.append(block)
            continue
        level = 1 if index == 0 and "title" not in document.meta else 2
        found.append(Block({"t": "Header", "c": [level, ["", [], []], words[0]]}, block.line, block.within))
    promoted = sum(block.kind == "Header" for block in found)
    if promoted:
        findings.note(found[0].line, f"the document has no headings: {promoted} short bold lines are taken as its headings")
    return found


def _is_heading_like(words: str) -> bool:
    return 0 < len(words.split()) <= MAX_SUBTITLE_WORDS and not words.rstrip().endswith((".", "?", "!", ";", ","))


def _named(block: Block, words: Words) -> str | None:
    heading = normalised(block.plain)
    return next((kind for kind in NAMED_PARTS if heading in getattr(words, kind)), None)


def _title(document: Document, blocks: list[Block], findings: Findings) -> Title | None:
    first_h1 = next((block for block in blocks if block.kind == "Header" and block.level == 1), None)
    from_heading = document.path.suffix.lower() in (".html", ".htm") or "title" not in document.meta
    if first_h1 is not None and (from_heading or _same_title(first_h1.plain, document.meta["title"])):
        blocks.remove(first_h1)
        return Title(prose(first_h1.inlines, first_h1.line, findings, "the title"), first_h1.line)
    if "title" in document.meta:
        return Title(document.meta_markup["title"], 1)
    return None


def _same_title(heading: str, file_title: str) -> bool:
    """The heading is the file's title, or the title a web page gave its tab ("Cramps? |
    Clinic", saved as a Word file's title) is the start of the heading."""
    page_title = re.split(r" [|–—-] | :: ", file_title)[0]
    return normalised(heading) == normalised(file_title) or normalised(heading).startswith(normalised(page_title))


def _subtitle(document: Document, blocks: list[Block], title: Title | None, findings: Findings) -> Title | None:
    """The file's subtitle, or a short line right under the title, without a full stop."""
    if "subtitle" in document.meta:
        return Title(document.meta_markup["subtitle"], 1)
    if title is None or not blocks or blocks[0].kind != "Para":
        return None
    first = blocks[0]
    if _is_heading_like(first.plain) and not first.plain.endswith(":") and first.line - title.line <= 3:
        blocks.remove(first)
        return Title(prose(first.inlines, first.line, findings, "the subtitle"), first.line)
    return None
