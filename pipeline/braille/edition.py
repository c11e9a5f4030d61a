"""The article as braille pages, in the formats of BANA's "Braille Formats: Principles of
Print-to-Braille Transcription" (2016).

A title page (title and subtitle centred, then the publisher and the dates), numbered p1
as preliminary pages are; then the text from page 1 in source order, and last the
publisher's contact details, reference and version. Headings: level 1
centred with a blank line before and after, level 2 from cell 5, level 3 from cell 7, each
after a blank line. Paragraphs in 3-1 (first line from cell 3, runovers from cell 1); list
items, key points, table rows, questions, answers and references in 1-3; a blank line before
and after each list and table. A table is linear: its caption, its columns, then each row as
its first cell followed by "column: value" pairs, as the text edition reads it. A link's
address follows its block, in uncontracted braille, from cell 3.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.braille.layout import Block, Division, Formatter, Page, words
from pipeline.braille.translation import Translator
from pipeline.locale import Words
from pipeline.model import Article, BulletList, TableBlock, markup, walk
from pipeline.text import issuing, sentences, wording

HEADING_INDENTS = {2: 4, 3: 6}
"""Cells left blank before a cell-5 and a cell-7 heading."""
SPACE = Block((), blank_before=True)
"""A blank line (none at the top of a page, never two)."""
PRELIMINARY_PAGE = "p"
LATIN_P = "\u280f"
"""Before the numbers of the preliminary pages (the title page is p1), as BANA numbers them."""
_ADDRESS = "\ue000"
"""Where a link's address stands in its catalogue line: the address is brailled apart."""


def pages(article: Article, translator: Translator, cells: int, lines: int) -> tuple[list[Page], list[Page]]:
    """(title pages, text pages), each page `lines` lines of at most `cells` cells."""
    division = Division(translator.line_division, fills_lines=translator.syllabic)
    title_formatter = Formatter(cells, lines, lambda number: _preliminary_number(translator, number), division)
    for block in _title_page(article, translator):
        title_formatter.add(block)
    formatter = Formatter(cells, lines, lambda number: translator.braille(str(number)), division)
    for block in _text(article, _Blocks(translator, wording.words_for(article))):
        formatter.add(block)
    return title_formatter.finish(), formatter.finish()


def _preliminary_number(translator: Translator, number: int) -> str:
    """'p1': the letter p in the article's table, or, where that table has no six-dot Latin p
    (Urdu's, Arabic's), in the cell every Latin-based braille code writes it with (dots 1234)."""
    if translator.writes(PRELIMINARY_PAGE):
        return translator.braille(f"{PRELIMINARY_PAGE}{number}")
    return LATIN_P + translator.braille(str(number))


def _title_page(article: Article, translator: Translator) -> Iterator[Block]:
    centred = [article.title, *filter(None, [article.subtitle])]
    for index, value in enumerate(centred):
        yield Block(words(translator.braille(value)), centred=True, blank_after=index == len(centred) - 1)
    publisher = article.issuer.name if article.issuer else article.publisher
    if publisher:
        yield Block(words(translator.braille(publisher)), centred=True, blank_after=True)
    yield Block(words(translator.braille(wording.dates_line(article))), centred=True)


class _Blocks:
    """The block kinds of the text, made from source text (inline markup and all), with the
    words the pipeline adds from the article language's catalogue."""

    def __init__(self, translator: Translator, words: Words) -> None:
        self.translator, self.catalogue = translator, words
        self.label = wording.labels(words)

    def words(self, value: str) -> tuple[str, ...]:
        return words(self.translator.braille(value))

    def heading(self, value: str, level: int) -> Block:
        if level == 1:
            return Block(self.words(value), centred=True, blank_before=True, blank_after=True, keep_with_next=True)
        indent = HEADING_INDENTS[min(level, 3)]
        return Block(self.words(value), indent, indent, blank_before=True, keep_with_next=True)

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
        """Each link as the text edition shows it ('Link: its text <its address>'), the address
        in uncontracted braille."""
        for link in markup.links(value):
            before, _, after = self.catalogue.gettext("Link: {text} <{url}>", text=link.text, url=_ADDRESS).partition(_ADDRESS)
            cells = f"{self.translator.braille(before.rstrip())}\u2800{self.translator.address(link.url or '')}{self.translator.braille(after)}"
            yield Block(words(cells), 2, 2)

    def address(self, url: str) -> Block:
        return Block((self.translator.address(url),), 2, 2)


def _text(article: Article, blocks: _Blocks) -> Iterator[Block]:
    label, catalogue = blocks.label, blocks.catalogue
    if article.introduction:
        yield from blocks.paragraph(article.introduction)
    yield blocks.heading(label.summary, 1)
    yield from blocks.paragraph(article.summary)
    yield blocks.heading(label.key_points, 1)
    for point in article.key_points:
        yield from blocks.item(wording.labelled(point.title, point.text, catalogue), point.title, point.text)
    for _number, section, depth in walk.section_numbers(article):
        yield blocks.heading(section.heading, depth)
        for block in section.body:
            if isinstance(block, BulletList):
                yield SPACE
                for value in block.items:
                    yield from blocks.item(value)
                yield SPACE
            elif isinstance(block, TableBlock):
                yield from _table(block, blocks)
            else:
                yield from blocks.paragraph(block)
    if article.faq:
        yield blocks.heading(label.faq, 1)
        for entry in article.faq:
            yield from blocks.item(catalogue.gettext("Q: {question}", question=entry.question), entry.question)
            yield from blocks.item(catalogue.gettext("A: {answer}", answer=entry.answer), entry.answer)
    if article.references:
        yield blocks.heading(label.references, 1)
        for index, reference in enumerate(article.references, start=1):
            cited = sentences.end_sentence(reference.title) + (f" {sentences.end_sentence(reference.publisher)}" if reference.publisher else "")
            yield from blocks.item(f"{index}. {cited}", reference.title, *filter(None, [reference.publisher]))
            yield blocks.address(reference.url)
    yield blocks.heading(label.disclaimer, 1)
    yield from blocks.paragraph(article.disclaimer)
    yield from _issuer(article, blocks)


def _issuer(article: Article, blocks: _Blocks) -> Iterator[Block]:
    """The publisher's contact details (an email or web address in uncontracted braille, as a
    link's), then the leaflet's reference and version."""
    catalogue, translator = blocks.catalogue, blocks.translator
    if article.issuer:
        yield blocks.heading(issuing.contact_heading(catalogue), 1)
        yield from blocks.item(issuing.name(article.issuer))
        for line in issuing.contact_lines(article.issuer, catalogue):
            if line.kind in ("email", "website"):
                before, _, after = catalogue.gettext("{label}: {text}", label=line.label, text=_ADDRESS).partition(_ADDRESS)
                yield Block(words(f"{translator.braille(before.rstrip())}\u2800{translator.address(line.value)}{translator.braille(after)}"), 0, 2)
            else:
                yield from blocks.item(wording.labelled(line.label, line.value, catalogue))
    control = issuing.document_control(article, catalogue)
    if control:
        yield SPACE
        yield from blocks.item(" ".join(control))


def _table(block: TableBlock, blocks: _Blocks) -> Iterator[Block]:
    """Linear, as the text edition reads it: caption, columns, each row as its first cell then
    'column: value' pairs."""
    table, catalogue = block.table, blocks.catalogue
    yield SPACE
    yield from blocks.item(wording.table_caption(table, catalogue), table.caption)
    separator = catalogue.pgettext("between column names in the text edition", "; ")
    yield from blocks.item(catalogue.gettext("Columns: {columns}.", columns=separator.join(map(markup.plain, table.columns))), *table.columns)
    for row in table.rows:
        yield from blocks.item(wording.table_row_sentence(table, row, catalogue), *row)
    yield SPACE
