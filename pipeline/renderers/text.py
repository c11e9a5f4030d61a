"""Plain text: UTF-8, 72 columns, readable as it stands and with a screen reader."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from pipeline.model import Article, BulletList, TableBlock, markup, walk
from pipeline.registry import Renderer, RenderJob
from pipeline.text import sentences, wording

WIDTH = 72
UNDERLINES = {0: "=", 1: "=", 2: "-", 3: "~"}


class TextRenderer(Renderer):
    name = "txt"
    extension = ".txt"
    media_type = "text/plain; charset=utf-8"
    description = "Plain text, wrapped at 72 columns"
    cost = 0.05

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text(to_text(article), encoding="utf-8", newline="\n")


def to_text(article: Article) -> str:
    return "\n".join(_lines(article)).rstrip() + "\n"


def _lines(article: Article) -> Iterator[str]:
    yield from _heading(markup.plain(article.title), 0)
    if article.subtitle:
        yield from _paragraph(article.subtitle)
        yield ""
    dates = f"Published {wording.long_date(article.published, article.lang)}. Review due {wording.long_date(article.review_due, article.lang)}."
    yield from _paragraph(dates)
    yield from _paragraph(wording.reading_time(article))
    yield ""
    if article.introduction:
        yield from _paragraph(article.introduction)
        yield ""
    yield from _heading("Summary", 2)
    yield from _paragraph(article.summary)
    yield ""
    yield from _heading("Key points", 2)
    for point in article.key_points:
        yield from _wrapped(f"{markup.plain(point.title)}: {markup.plain(point.text)}", indent="  ", first="- ")
        yield from _link_lines("  ", point.title, point.text)
    yield ""
    for number, section, depth in walk.section_numbers(article):
        yield from _heading(f"{number}. {markup.plain(section.heading)}", min(depth + 1, 3))
        for block in section.body:
            if isinstance(block, BulletList):
                for item in block.items:
                    yield from _bullet(item)
            elif isinstance(block, TableBlock):
                yield from _paragraph(f"Table: {block.table.caption}")
                yield from _wrapped(f"Columns: {'; '.join(map(markup.plain, block.table.columns))}.")
                yield from _link_lines("", *block.table.columns)
                for row in block.table.rows:
                    yield from _wrapped(wording.table_row_sentence(block.table, row), indent="  ")
                    yield from _link_lines("  ", *row)
            else:
                yield from _paragraph(block)
            yield ""
    if article.faq:
        yield from _heading("Questions and answers", 2)
        for entry in article.faq:
            yield from _paragraph(f"Q: {entry.question}", indent="   ", first="")
            yield from _paragraph(f"A: {entry.answer}", indent="   ", first="")
            yield ""
    if article.references:
        yield from _heading("References", 2)
        for index, reference in enumerate(article.references, start=1):
            label = f"{index}. "
            cited = markup.plain(reference.title) + (f". {markup.plain(reference.publisher)}." if reference.publisher else ".")
            yield from _wrapped(cited, indent=" " * len(label), first=label)
            yield from _link_lines(" " * len(label), reference.title, *filter(None, [reference.publisher]))
            yield " " * len(label) + reference.url
        yield ""
    yield from _heading("Medical disclaimer", 2)
    yield "*" * WIDTH
    yield from _paragraph(article.disclaimer)
    yield "*" * WIDTH


def _heading(title: str, level: int) -> Iterator[str]:
    lines = textwrap.wrap(title, WIDTH, break_long_words=False, break_on_hyphens=False) or [title]
    yield from lines
    yield UNDERLINES[level] * max(len(line) for line in lines)
    yield ""


def _paragraph(value: str, indent: str = "", first: str | None = None) -> Iterator[str]:
    """One source text, wrapped; each link's address follows on its own line, never split."""
    yield from _wrapped(markup.plain(value), indent, first)
    yield from _link_lines(indent, value)


def _wrapped(plain_text: str, indent: str = "", first: str | None = None) -> Iterator[str]:
    """Text already plain (markup is read once, per source text, never across joined texts)."""
    first = indent if first is None else first
    yield from textwrap.wrap(
        sentences.fold_space(plain_text), WIDTH, initial_indent=first, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _link_lines(indent: str, *values: str) -> Iterator[str]:
    for value in values:
        for link in markup.links(value):
            yield f"{indent}  Link: {link.text} <{link.url}>"


def _bullet(value: str) -> Iterator[str]:
    yield from _paragraph(value, indent="  ", first="- ")
