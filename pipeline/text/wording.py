"""The words the pipeline adds around the clinic's text: reading time, dates, table rows read
as sentences. Every edition takes them from here, so all of them say the same thing.
"""

from __future__ import annotations

import datetime as dt
import math

from pipeline.model import Article, Table
from pipeline.model.markup import plain
from pipeline.model.walk import article_texts
from pipeline.text.language import primary_language
from pipeline.text.sentences import end_sentence, words

WORDS_PER_MINUTE = 200


def reading_minutes(article: Article) -> int:
    """The reading time every edition shows: the words of every source text at 200 a minute."""
    return minutes_to_read(sum(len(words(item)) for item in article_texts(article)))


def reading_time(article: Article) -> str:
    """The sentence every edition shows in place of a stored 'N min read'."""
    minutes = reading_minutes(article)
    return f"Reading time: about {minutes} minute{'' if minutes == 1 else 's'}."


def minutes_to_read(word_count: int) -> int:
    """Whole minutes, rounded up, at least one: at WORDS_PER_MINUTE."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def table_columns_sentence(table: Table) -> str:
    """A table's header row read aloud: 'The table has 2 columns: Remedy, How often.'"""
    count = len(table.columns)
    names = ", ".join(plain(column) for column in table.columns)
    return f"The table has {count} column{'' if count == 1 else 's'}: {names}."


def table_row_sentence(table: Table, row: tuple[str, ...]) -> str:
    """A table row read aloud or linearised: 'Magnesium. Primary role: aids relaxation.'"""
    first, *rest = (plain(cell) for cell in row)
    parts = [end_sentence(first)]
    for column, cell in zip(table.columns[1:], rest):
        parts.append(end_sentence(f"{plain(column)}: {cell}"))
    return " ".join(parts)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def long_date(value: dt.date, lang: str) -> str:
    """'25 November 2026' in English; the unambiguous ISO form for other languages."""
    if primary_language(lang) == "en":
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()
