"""The article as braille pages, in the formats of BANA's "Braille Formats: Principles of
Print-to-Braille Transcription" (2016).

A title page (title and subtitle centred, then the publisher and the dates), numbered p1
as preliminary pages are; then the text from page 1 in source order. Headings: level 1
centred with a blank line before and after, level 2 from cell 5, level 3 from cell 7, each
after a blank line. Paragraphs in 3-1 (first line from cell 3, runovers from cell 1); list
items, key points, table rows, questions, answers and references in 1-3; a blank line before
and after each list and table. A table is linear: its caption, its columns, then each row as
its first cell followed by "column: value" pairs, as the text edition reads it. A link's
address follows its block, in uncontracted braille, from cell 3.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.braille.labels import label
from pipeline.braille.layout import Block, Formatter, Page, words
from pipeline.braille.translation import Translator
from pipeline.model import Article, BulletList, TableBlock, markup, walk
from pipeline.text import sentences, wording

HEADING_INDENTS = {2: 4, 3: 6}
"""Cells left blank before a cell-5 and a cell-7 heading."""
SPACE = Block((), blank_before=True)
"""A blank line (none at the top of a page, never two)."""


def pages(article: Article, translator: Translator, cells: int, lines: int) -> tuple[list[Page], list[Page]]:
    """(title pages, text pages), each page `lines` lines of at most `cells` cells."""
    title_formatter = Formatter(cells, lines)
    prefix = label("preliminary_page", article.lang)
    title_formatter.start(lambda number: translator.braille(f"{prefix}{number}"))
    for block in _title_page(article, translator):
        title_formatter.add(block)
    formatter = Formatter(cells, lines)
    formatter.start(lambda number: translator.braille(str(number)))
    for block in _text(article, _Blocks(translator, article.lang)):
        formatter.add(block)
    return title_formatter.finish(), formatter.finish()


def _title_page(article: Article, translator: Translator) -> Iterator[Block]:
    centred = [article.title, *filter(None, [article.subtitle])]
    for index, value in enumerate(centred):
        yield Block(words(translator.braille(value)), centred=True, blank_after=index == len(centred) - 1)
    if article.publisher:
        yield Block(words(translator.braille(article.publisher)), centred=True, blank_after=True)
    for key, date in (("published", article.published), ("review_due", article.review_due)):
        yield Block(words(translator.braille(f"{label(key, article.lang)}: {wording.long_date(date, article.lang)}")), centred=True)


class _Blocks:
    """The block kinds of the text, made from source text (inline markup and all)."""

    def __init__(self, translator: Translator, lang: str) -> None:
        self.translator, self.lang = translator, lang

    def words(self, value: str) -> tuple[str, ...]:
        return words(self.translator.braille(value))

    def heading(self, value: str, level: int) -> Block:
        if level == 1:
            return Block(self.words(value), centred=True, blank_before=True, blank_after=True, keep_with_next=True)
        indent = HEADING_INDENTS[min(level, 3)]
        return Block(self.words(value), indent, indent, blank_before=True, keep_with_next=True)

    def label_heading(self, key: str) -> Block:
        return self.heading(label(key, self.lang), 1)

    def paragraph(self, value: str) -> Iterator[Block]:
        yield Block(self.words(value), first=2)
        yield from self.links(value)

    def item(self, value: str, *linked: str) -> Iterator[Block]:
        """A 1-3 item (list item, table row, question ...), then the links of `linked` (the
        source texts it is made of; by default its own)."""
        yield Block(self.words(value), 0, 2)
        for source in linked or (value,):
            yield from self.links(source)

    def links(self, value: str) -> Iterator[Block]:
        for link in markup.links(value):
            shown = self.words(f"{label('link', self.lang)}: {link.text}") + (self.translator.address(link.url or ""),)
            yield Block(shown, 2, 2)

    def address(self, url: str) -> Block:
        return Block((self.translator.address(url),), 2, 2)


def _text(article: Article, blocks: _Blocks) -> Iterator[Block]:
    lang = article.lang
    if article.introduction:
        yield from blocks.paragraph(article.introduction)
    yield blocks.label_heading("summary")
    yield from blocks.paragraph(article.summary)
    yield blocks.label_heading("key_points")
    for point in article.key_points:
        yield from blocks.item(f"{point.title}: {point.text}", point.title, point.text)
    for _number, section, depth in walk.section_numbers(article):
        yield blocks.heading(section.heading, depth)
        for block in section.body:
            if isinstance(block, BulletList):
                yield SPACE
                for value in block.items:
                    yield from blocks.item(value)
                yield SPACE
            elif isinstance(block, TableBlock):
                yield from _table(block, blocks, lang)
            else:
                yield from blocks.paragraph(block)
    if article.faq:
        yield blocks.label_heading("faq")
        for entry in article.faq:
            yield from blocks.item(f"{label('question', lang)}: {entry.question}", entry.question)
            yield from blocks.item(f"{label('answer', lang)}: {entry.answer}", entry.answer)
    if article.references:
        yield blocks.label_heading("references")
        for index, reference in enumerate(article.references, start=1):
            cited = sentences.end_sentence(reference.title) + (f" {sentences.end_sentence(reference.publisher)}" if reference.publisher else "")
            yield from blocks.item(f"{index}. {cited}", reference.title, *filter(None, [reference.publisher]))
            yield blocks.address(reference.url)
    yield blocks.label_heading("disclaimer")
    yield from blocks.paragraph(article.disclaimer)


def _table(block: TableBlock, blocks: _Blocks, lang: str) -> Iterator[Block]:
    table = block.table
    yield SPACE
    yield from blocks.item(f"{label('table', lang)}: {table.caption}", table.caption)
    columns = "; ".join(map(markup.plain, table.columns))
    yield from blocks.item(sentences.end_sentence(f"{label('columns', lang)}: {columns}"), *table.columns)
    for row in table.rows:
        yield from blocks.item(wording.table_row_sentence(table, row), *row)
    yield SPACE
