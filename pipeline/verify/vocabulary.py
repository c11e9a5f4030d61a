"""The words parity compares, and the words an edition may add to the source's sentences.

Words are compared case-folded, NFKC-normalised, without hyphens and apostrophes. The words
an edition may add are the catalogue's (with CLDR's month and day names), numbers, the
addresses the article links to, the article's and its publisher's own details, and the short
source texts editions repeat (the title in running heads, a table's column names).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from pipeline.locale import catalogue_for
from pipeline.model import Article, markup, walk
from pipeline.text import sentences

REPEATED_TEXT_WORDS = 6
"""A heading or table text shorter than this many words is one an edition may repeat."""
_NUMBER = re.compile(r"\d[\d.,:/]*")


def key(word: str) -> str:
    """The form words are compared in."""
    return unicodedata.normalize("NFKC", word).casefold().replace("-", "").replace("'", "").replace("\u2019", "").replace("\u00ad", "")


def words_of(text: str) -> list[str]:
    return [word for word in sentences.WORD.findall(unicodedata.normalize("NFKC", text)) if key(word)]


def explained(word: str, allowed: frozenset[str]) -> bool:
    """A word the pipeline adds, a number, or a number with the catalogue's word written onto
    it (Bengali's '2টি', two of a counted thing)."""
    return word in allowed or _NUMBER.fullmatch(word) is not None or word.lstrip("0123456789") in allowed


def vocabulary(article: Article) -> frozenset[str]:
    """Every word an edition may add to the source's sentences (see the module's docstring)."""
    return _catalogue_words(article.lang) | addresses(article) | frozenset(part for text in _added_texts(article) for word in words_of(text) for part in _pieces(word))


def addresses(article: Article) -> frozenset[str]:
    """The words of every address the article links to: print shows them after a link's text."""
    urls = [reference.url for reference in article.references] + [link.url or "" for text in walk.article_texts(article) for link in markup.links(text)]
    return frozenset(part for url in urls for word in words_of(url) for part in _pieces(word))


def _pieces(word: str) -> list[str]:
    """A word's key, and the keys of its hyphenated parts (a line may break at the hyphen)."""
    return [key(word), *(key(part) for part in word.split("-") if key(part))]


def _added_texts(article: Article) -> Iterator[str]:
    """The article's and its publisher's own details, and the short texts editions repeat."""
    yield from (value for value in (article.title, article.subtitle, article.publisher, article.reference, article.version, article.web_url) if value)
    words = catalogue_for(article.lang)
    yield from (words.date(date) for date in (article.published, article.review_due))
    yield from (link.text for text in walk.article_texts(article) for link in markup.links(text))
    for item in walk.source_texts(article):
        if item.kind in (walk.HEADING, walk.TABLE) and len(words_of(item.value)) < REPEATED_TEXT_WORDS:
            yield item.value
    if article.issuer:
        issuer = article.issuer
        yield from (value for value in (issuer.name, issuer.phone, issuer.email, issuer.website, issuer.address) if value)
        if issuer.logo:
            yield issuer.logo.alt


@cache
def _catalogue_words(lang: str) -> frozenset[str]:
    """The words of every message in `lang`'s catalogue (English's ids where it is English),
    with CLDR's month and day names, eras and day periods of its locale."""
    words = catalogue_for(lang)
    texts: list[str] = []
    for message in words.messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts += [value for value in strings if value]
        if words.lang == "en":
            texts += [value for value in ids if value]
    locale = words.locale
    for table in (locale.months, locale.days, locale.quarters):
        texts += [name for context in table.values() for width in context.values() for name in width.values()]
    texts += [name for width in locale.eras.values() for name in width.values()]
    return frozenset(part for text in texts for word in words_of(re.sub(r"\{\w+\}", " ", text)) for part in _pieces(word))
