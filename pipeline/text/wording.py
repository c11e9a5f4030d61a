"""The words the pipeline adds around the clinic's text, in the article's language: section
labels, the dates line, reading time, table and question wording. They come from the catalogue
(`pipeline.locale`); the editions take the shared ones from here, so all of them say the same
thing, and ask the catalogue directly only for words a single format uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.locale import Words, catalogue_for
from pipeline.model import Article, Table
from pipeline.model.markup import plain
from pipeline.model.walk import article_texts
from pipeline.text.sentences import end_sentence, is_han, words

WORDS_PER_MINUTE = 200
CHARACTERS_PER_MINUTE = 255
"""Chinese read silently, in characters (Trauzettel-Klosinski et al., IReST, 2012: 255 ± 29)."""


@dataclass(frozen=True)
class Labels:
    """The headings of the parts every edition has (and the chapters of the recording)."""

    summary: str
    key_points: str
    faq: str
    references: str
    disclaimer: str


def labels(words: Words) -> Labels:
    return Labels(
        summary=words.gettext("Summary"),
        key_points=words.gettext("Key points"),
        faq=words.gettext("Questions and answers"),
        references=words.gettext("References"),
        disclaimer=words.gettext("Medical disclaimer"),
    )


def words_for(article: Article) -> Words:
    """The catalogue of the article's language (its closest; English when there is none)."""
    return catalogue_for(article.lang)


def reading_minutes(article: Article) -> int:
    """The reading time every edition shows: the words of every source text at 200 a minute,
    Han and kana characters (which Chinese and Japanese set without spaces) at 255."""
    tokens = [token for item in article_texts(article) for token in words(item)]
    characters = sum(1 for token in tokens if is_han(token))
    return minutes_to_read(len(tokens) - characters, characters)


def reading_time(article: Article) -> str:
    """The sentence every edition shows in place of a stored 'N min read'."""
    return words_for(article).reading_time(reading_minutes(article))


def minutes_to_read(word_count: int, character_count: int = 0) -> int:
    """Whole minutes, rounded up, at least one: words at WORDS_PER_MINUTE, Han and kana
    characters at CHARACTERS_PER_MINUTE."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE + character_count / CHARACTERS_PER_MINUTE))


def dates_line(article: Article) -> str:
    """'Published 10 May 2026. Review due 10 May 2028.', dates in the language's long form."""
    words = words_for(article)
    return words.gettext(
        "Published {published}. Review due {review}.", published=words.date(article.published), review=words.date(article.review_due)
    )


def table_caption(table: Table, words: Words) -> str:
    """'Table: Simple remedies' (markup of the caption kept), before a table in text and speech."""
    return words.gettext("Table: {caption}", caption=table.caption)


def table_columns_sentence(table: Table, words: Words) -> str:
    """A table's header row read aloud: 'The table has 2 columns: Remedy, How often.'"""
    count = len(table.columns)
    names = words.pgettext("between column names read aloud", ", ").join(plain(column) for column in table.columns)
    return words.ngettext(
        "The table has {count} column: {columns}.", "The table has {count} columns: {columns}.", count, count=words.number(count), columns=names
    )


def labelled(label: str, value: str, words: Words) -> str:
    """A label and what it says, with the language's punctuation: 'Primary role: aids relaxation'."""
    return words.gettext("{label}: {text}", label=label, text=value)


def table_row_sentence(table: Table, row: tuple[str, ...], words: Words) -> str:
    """A table row read aloud or linearised: 'Magnesium. Primary role: aids relaxation.'"""
    first, *rest = (plain(cell) for cell in row)
    parts = [end_sentence(first)]
    for column, cell in zip(table.columns[1:], rest):
        parts.append(end_sentence(labelled(plain(column), cell, words)))
    return " ".join(parts)
