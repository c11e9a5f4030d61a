"""Plain text: UTF-8, 72 columns, readable as it stands and with a screen reader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.locale import CATALOGUE_FILES, Words
from pipeline.model import Article, BulletList, TableBlock, markup, walk
from pipeline.registry import Renderer, RenderJob
from pipeline.text import columns, issuing, sentences, wording

WIDTH = 72
UNDERLINES = {0: "=", 1: "=", 2: "-", 3: "~"}


class TextRenderer(Renderer):
    name = "txt"
    extension = ".txt"
    media_type = "text/plain; charset=utf-8"
    description = "Plain text, wrapped at 72 columns"
    cost = 0.05
    offered_as = "plain text"

    def assets(self) -> Iterable[Path]:
        return CATALOGUE_FILES

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text(to_text(article), encoding="utf-8", newline="\n")


def to_text(article: Article) -> str:
    return "\n".join(_lines(article)).rstrip() + "\n"


def _lines(article: Article) -> Iterator[str]:
    words = wording.words_for(article)
    label = wording.labels(words)
    if article.issuer:
        yield from _wrapped(issuing.name(article.issuer))
        yield ""
    yield from _heading(markup.plain(article.title), 0)
    if article.subtitle:
        yield from _paragraph(article.subtitle, words)
        yield ""
    yield from _paragraph(wording.dates_line(article), words)
    yield from _paragraph(wording.reading_time(article), words)
    yield ""
    if article.introduction:
        yield from _paragraph(article.introduction, words)
        yield ""
    yield from _heading(label.summary, 2)
    yield from _paragraph(article.summary, words)
    yield ""
    yield from _heading(label.key_points, 2)
    for point in article.key_points:
        yield from _wrapped(wording.labelled(markup.plain(point.title), markup.plain(point.text), words), indent="  ", first="- ")
        yield from _link_lines(words, "  ", point.title, point.text)
    yield ""
    for number, section, depth in walk.section_numbers(article):
        yield from _heading(f"{number}. {markup.plain(section.heading)}", min(depth + 1, 3))
        for block in section.body:
            if isinstance(block, BulletList):
                for item in block.items:
                    yield from _paragraph(item, words, indent="  ", first="- ")
            elif isinstance(block, TableBlock):
                table = block.table
                yield from _paragraph(wording.table_caption(table, words), words)
                separator = words.pgettext("between column names in the text edition", "; ")
                yield from _wrapped(words.gettext("Columns: {columns}.", columns=separator.join(map(markup.plain, table.columns))))
                yield from _link_lines(words, "", *table.columns)
                for row in table.rows:
                    yield from _wrapped(wording.table_row_sentence(table, row, words), indent="  ")
                    yield from _link_lines(words, "  ", *row)
            else:
                yield from _paragraph(block, words)
            yield ""
    if article.faq:
        yield from _heading(label.faq, 2)
        for entry in article.faq:
            yield from _paragraph(words.gettext("Q: {question}", question=entry.question), words, indent="   ", first="")
            yield from _paragraph(words.gettext("A: {answer}", answer=entry.answer), words, indent="   ", first="")
            yield ""
    if article.references:
        yield from _heading(label.references, 2)
        for index, reference in enumerate(article.references, start=1):
            number = f"{index}. "
            cited = " ".join(sentences.end_sentence(markup.plain(part), article.lang) for part in (reference.title, reference.publisher) if part)
            yield from _wrapped(cited, indent=" " * len(number), first=number)
            yield from _link_lines(words, " " * len(number), reference.title, *filter(None, [reference.publisher]))
            yield " " * len(number) + reference.url
        yield ""
    yield from _heading(label.disclaimer, 2)
    yield "*" * WIDTH
    yield from _paragraph(article.disclaimer, words)
    yield "*" * WIDTH
    yield from _issuer_lines(article, words)


def _issuer_lines(article: Article, words: Words) -> Iterator[str]:
    """The publisher's contact details, then the leaflet's reference and version."""
    if article.issuer:
        yield ""
        yield from _heading(issuing.contact_heading(words), 2)
        yield from _wrapped(issuing.name(article.issuer))
        for line in issuing.contact_lines(article.issuer, words):
            yield from _wrapped(wording.labelled(line.label, line.shown, words))
    control = issuing.document_control(article, words)
    if control:
        yield ""
        yield from _wrapped(" ".join(control))


def _heading(title: str, level: int) -> Iterator[str]:
    lines = columns.wrap(title, WIDTH) or [title]
    yield from lines
    yield UNDERLINES[level] * max(columns.width(line) for line in lines)
    yield ""


def _paragraph(value: str, words: Words, indent: str = "", first: str | None = None) -> Iterator[str]:
    """One source text, wrapped; each link's address follows on its own line, never split."""
    yield from _wrapped(markup.plain(value), indent, first)
    yield from _link_lines(words, indent, value)


def _wrapped(plain_text: str, indent: str = "", first: str | None = None) -> Iterator[str]:
    """Text already plain (markup is read once, per source text, never across joined texts)."""
    first = indent if first is None else first
    yield from columns.wrap(sentences.fold_space(plain_text), WIDTH, initial_indent=first, subsequent_indent=indent)


def _link_lines(words: Words, indent: str, *values: str) -> Iterator[str]:
    for value in values:
        for link in markup.links(value):
            yield f"{indent}  " + words.gettext("Link: {text} <{url}>", text=link.text, url=link.url)
