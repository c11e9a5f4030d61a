"""One walk over the article: its sections numbered, its texts in reading order.

Validation, the HTML builder, the text edition, the speech script, the plain-language check
and the output checks all walk the article through here, so they agree on numbers and order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.model.article import Article, BulletList, Section, TableBlock

Location = tuple[str | int, ...]
"""Where a value stands in the source: keys and list indexes, e.g. ("sections", 1, "heading")."""


def dotted_path(location: Location) -> str:
    """The location as a message names it: 'sections[1].heading'."""
    dotted = ""
    for part in location:
        name = str(part) if len(str(part)) <= 40 else str(part)[:39] + "…"
        dotted += f"[{part}]" if isinstance(part, int) else (f".{name}" if dotted else name)
    return dotted


@dataclass(frozen=True)
class NumberedSection:
    """A section with its number ('2', '2.1'), depth (1 = top) and place in the source."""

    number: str
    section: Section
    depth: int
    location: Location

    def children(self) -> Iterator[NumberedSection]:
        """Its subsections, numbered under it."""
        for index, child in enumerate(self.section.sections):
            yield NumberedSection(f"{self.number}.{index + 1}", child, self.depth + 1, (*self.location, "sections", index))


def top_sections(article: Article) -> Iterator[NumberedSection]:
    """The article's top-level sections, numbered from 1."""
    for index, section in enumerate(article.sections):
        yield NumberedSection(str(index + 1), section, 1, ("sections", index))


def all_sections(article: Article) -> Iterator[NumberedSection]:
    """Every section in reading order, each before its subsections."""

    def below(numbered: NumberedSection) -> Iterator[NumberedSection]:
        yield numbered
        for child in numbered.children():
            yield from below(child)

    for top in top_sections(article):
        yield from below(top)


def section_numbers(article: Article) -> Iterator[tuple[str, Section, int]]:
    """Every section in reading order as (number, section, depth)."""
    for numbered in all_sections(article):
        yield numbered.number, numbered.section, numbered.depth


FRONT, FAQ, END = "front", "faq", "end"
HEADING, PROSE, TABLE, REFERENCE = "heading", "prose", "table", "reference"


@dataclass(frozen=True)
class SourceText:
    """One piece of source text, where it stands in the source file, and what it is.

    `part` is FRONT (title to key points), a section number ('2.1'), FAQ or END (references
    and disclaimer). `kind` is PROSE for running text (paragraphs, list items, questions and
    answers), HEADING for titles and headings, TABLE for a table's caption, columns and
    cells, REFERENCE for a reference's title and publisher.
    """

    location: Location
    value: str
    part: str
    kind: str


def source_texts(article: Article) -> Iterator[SourceText]:
    """Every piece of source text in reading order; what parity checks hold outputs to."""
    yield SourceText(("title",), article.title, FRONT, HEADING)
    if article.subtitle:
        yield SourceText(("subtitle",), article.subtitle, FRONT, HEADING)
    if article.introduction:
        yield SourceText(("introduction",), article.introduction, FRONT, PROSE)
    yield SourceText(("summary",), article.summary, FRONT, PROSE)
    for index, point in enumerate(article.key_points):
        yield SourceText(("key_points", index, "title"), point.title, FRONT, HEADING)
        yield SourceText(("key_points", index, "text"), point.text, FRONT, PROSE)
    for numbered in all_sections(article):
        number, section, location = numbered.number, numbered.section, numbered.location
        yield SourceText((*location, "heading"), section.heading, number, HEADING)
        for index, block in enumerate(section.body):
            here = (*location, "body", index)
            if isinstance(block, BulletList):
                for item, value in enumerate(block.items):
                    yield SourceText((*here, "list", item), value, number, PROSE)
            elif isinstance(block, TableBlock):
                table = block.table
                yield SourceText((*here, "table", "caption"), table.caption, number, TABLE)
                for column, value in enumerate(table.columns):
                    yield SourceText((*here, "table", "columns", column), value, number, TABLE)
                for row_index, row in enumerate(table.rows):
                    for column, value in enumerate(row):
                        yield SourceText((*here, "table", "rows", row_index, column), value, number, TABLE)
            else:
                yield SourceText(here, block, number, PROSE)
    for index, entry in enumerate(article.faq):
        yield SourceText(("faq", index, "question"), entry.question, FAQ, PROSE)
        yield SourceText(("faq", index, "answer"), entry.answer, FAQ, PROSE)
    for index, reference in enumerate(article.references):
        yield SourceText(("references", index, "title"), reference.title, END, REFERENCE)
        if reference.publisher:
            yield SourceText(("references", index, "publisher"), reference.publisher, END, REFERENCE)
    yield SourceText(("disclaimer",), article.disclaimer, END, PROSE)


def article_texts(article: Article) -> Iterator[str]:
    """Every piece of source prose in reading order; what parity checks hold outputs to."""
    return (item.value for item in source_texts(article))

