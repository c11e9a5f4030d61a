"""The article's details every edition that shows them must show as they are: its dates, who
publishes it, how to reach them, its reference and version.

They are outside the sentences parity aligns (the dates line is the catalogue's words around
the source's dates), so an edition could print a review date a year late and still hold every
sentence; here each detail is sought word for word in what the edition's reader perceives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.locale import catalogue_for
from pipeline.model import Article, markup
from pipeline.settings import PYPROJECT
from pipeline.text import issuing

DATES, PUBLISHER, CONTACT, CONTROL = "dates", "publisher", "contact", "control"
EVERY_DETAIL = (DATES, PUBLISHER, CONTACT, CONTROL)
PROFILE = f"{PYPROJECT} [tool.pipeline.publisher]"
Where = Callable[[tuple[str, ...]], str]
"""FILE:LINE:COL of a top-level key of the source."""


@dataclass(frozen=True)
class Detail:
    """One detail: what it is, where it is written, and the text an edition shows."""

    kind: str
    name: str
    origin: str
    text: str


def unshown(detail: Detail) -> str:
    """What a report says of a detail an edition does not show."""
    return f'missing detail: the {detail.name} "{detail.text}" ({detail.origin}) is not shown'


def details(article: Article, where: Where, kinds: tuple[str, ...] = EVERY_DETAIL) -> list[Detail]:
    """The details of `kinds` the article has; `where(location)` names a source key's place."""
    return [detail for detail in _all(article, where) if detail.kind in kinds]


def _all(article: Article, place: Where) -> Iterator[Detail]:
    words = catalogue_for(article.lang)
    yield Detail(DATES, "publication date", f"{place(('published',))} published", words.date(article.published))
    yield Detail(DATES, "review date", f"{place(('review_due',))} review_due", words.date(article.review_due))
    if article.issuer:
        origin = f"{place(('publisher',))} publisher" if article.publisher else f"{PROFILE} name"
        yield Detail(PUBLISHER, "publisher", origin, issuing.name(article.issuer))
        for line in issuing.contact_lines(article.issuer, words):
            yield Detail(CONTACT, line.kind, f"{PROFILE} {line.kind}", line.value)
    for key in ("reference", "version"):
        value = getattr(article, key)
        if value:
            yield Detail(CONTROL, key, f"{place((key,))} {key}", markup.plain(value))
