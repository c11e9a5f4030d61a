"""The headings a reader finds an article by: the title, each section's heading and the labels
the pipeline adds (summary, key points, questions and answers, references, disclaimer, contact),
in the source's order, each with its place in the source (or the catalogue)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.model import markup, walk
from pipeline.text import issuing, sentences, wording
from pipeline.verify.checks import Source

CATALOGUE = "the catalogue's label"


@dataclass(frozen=True)
class Part:
    """A heading as a reader meets it, and where it is (in an edition, or in the source)."""

    label: str
    where: str


def source_headings(source: Source, nested: bool) -> Iterator[Part]:
    """The top-level headings (`nested` False: one for each document of an e-book) or every one,
    as a table of contents lists them (`nested` True)."""
    article = source.article
    words = wording.words_for(article)
    labels = wording.labels(words)
    yield Part(plain(article.title), source.where(("title",)))
    if nested:
        yield from (Part(label, CATALOGUE) for label in (labels.summary, labels.key_points))
    for numbered in walk.all_sections(article) if nested else walk.top_sections(article):
        yield Part(plain(numbered.section.heading), source.where((*numbered.location, "heading")))
    ends = (
        (labels.faq, bool(article.faq)),
        (labels.references, bool(article.references)),
        (labels.disclaimer, True),
        (issuing.contact_heading(words), article.issuer is not None),
    )
    yield from (Part(label, CATALOGUE) for label, present in ends if present)


def plain(value: str) -> str:
    """Source text as a reader sees it: markup removed, spaces folded."""
    return sentences.fold_space(markup.plain(value))
