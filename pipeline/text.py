"""Text shaping shared by every format: inline markup, sentences, reading time, wording.

Renderers lay text out; they never parse markup or invent wording themselves, so the
leaflet, the e-book, the text file and the narration all say the same thing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pipeline.model import Article, Section, Table

WORDS_PER_MINUTE = 200

# ---------------------------------------------------------------- characters

_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def forbidden_character(value: str) -> tuple[int, str] | None:
    """The first character that has no place in patient text, as (index, what it is and what to do).

    Control characters hide text or break layouts; bidi overrides can make text read
    differently from how it is stored (the "Trojan Source" trick).
    """
    for index, char in enumerate(value):
        if char == "\n":
            continue
        code = ord(char)
        if char == "\t":
            return index, "a tab character: replace it with a space"
        if char in _BIDI_CONTROLS:
            return index, f"invisible bidirectional control character U+{code:04X}: delete it"
        category = unicodedata.category(char)
        if category == "Cc" or char == "\ufeff":
            return index, f"control character U+{code:04X}: delete it"
        if category in ("Cs", "Co") or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
            return index, f"non-character U+{code:04X}: delete it"
    return None


def quoted(value: str, limit: int = 60) -> str:
    """A user's value for an error message: in quotes, and cut short if it is long."""
    return f"'{value}'" if len(value) <= limit else f"'{value[: limit - 1]}…'"


# ---------------------------------------------------------------- inline markup


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, strong, emphasis, or a link to `url`."""

    text: str
    style: str = "plain"  # plain | strong | emphasis | link
    url: str | None = None


_INLINE = re.compile(
    r"\*\*(?P<strong>[^*\n](?:.*?[^*\s])??)\*\*"  # ?? so that '**a** and **b**' is two spans, not one
    r"|(?<![*\w])\*(?P<emphasis>[^*\s](?:[^*]*?[^*\s])?)\*(?![*\w])"
    r"|(?P<image>!)?\[(?P<label>[^\[\]\n]+)\]\((?P<url>[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)"
)


def spans(value: str) -> tuple[Span, ...]:
    """Split text into spans; anything that is not our markup stays literal text."""
    result: list[Span] = []
    position = 0
    for match in _INLINE.finditer(value):
        if match.start() > position:
            result.append(Span(value[position : match.start()]))
        if match["strong"] is not None:
            result.append(Span(match["strong"], "strong"))
        elif match["emphasis"] is not None:
            result.append(Span(match["emphasis"], "emphasis"))
        else:
            result.append(Span(match["label"], "link", match["url"]))
        position = match.end()
    if position < len(value):
        result.append(Span(value[position:]))
    return tuple(result)


def markup_problems(value: str) -> Iterator[str]:
    for match in _INLINE.finditer(value):
        if match["image"]:
            yield "images are not supported in text: describe the picture in words"
        elif match["url"] is not None:
            problem = url_problem(match["url"])
            if problem:
                yield f"link [{match['label']}]: {problem}"


def plain(value: str) -> str:
    """The words a reader sees, without markup (link targets dropped)."""
    return "".join(span.text for span in spans(value))


def url_problem(url: str) -> str | None:
    """Why `url` is not a public web address a patient can open, or None if it is one."""
    shown = quoted(url)
    if not url.strip():
        return "is blank: write the web address, e.g. https://www.nhs.uk/..."
    if url != url.strip() or any(char.isspace() for char in url):
        return f"{shown} is not a web address: remove the spaces (write %20 if one is part of it)"
    if forbidden_character(url):
        return f"{shown} holds a control character: delete it"
    if len(url) > 2000:
        return f"{shown} is longer than 2000 characters: link to a shorter address"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return f"{shown} is not a well-formed web address: check the host name and the port"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{shown} is not a web address: links must start with https:// (or http://)"
    if not parts.hostname or "@" in parts.netloc:
        return f"{shown} has no host name (or holds a user name): write e.g. https://www.nih.gov/..."
    if _is_private_host(parts.hostname):
        return f"{shown} points at this computer or a private network, which patients cannot reach: link to a public web address"
    return None


def _is_private_host(host: str) -> bool:
    """Loopback, private and link-local addresses, localhost, and names without a domain."""
    host = host.rstrip(".")
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return "." not in host or host.endswith((".localhost", ".local", ".internal"))


_LANGUAGE_TAG = re.compile(
    r"^[a-z]{2,3}(?:-[a-z]{3}){0,3}"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?$",
    re.IGNORECASE | re.ASCII,
)


def is_language_tag(value: str) -> bool:
    """Well-formed per BCP 47 (RFC 5646) syntax, without irregular grandfathered tags.

    The primary language is 2 or 3 letters: RFC 5646 reserves 4 letters and registers no
    language of 5 to 8, so 'English' is a mistake, not a tag.
    """
    return bool(_LANGUAGE_TAG.fullmatch(value))


# ---------------------------------------------------------------- sentences and words

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9\u00C0-\uFFFF])")


def sentences(value: str) -> list[str]:
    """Sentences of the plain text, whitespace folded; good enough for parity checks."""
    folded = fold_space(plain(value))
    return [part for part in _SENTENCE_END.split(folded) if part]


def fold_space(value: str) -> str:
    return " ".join(value.split())


def words(value: str) -> list[str]:
    return re.findall(r"[\w'’-]+", plain(value))


def reading_minutes(article: Article) -> int:
    count = sum(len(words(item)) for item in article_texts(article))
    return max(1, math.ceil(count / WORDS_PER_MINUTE))


def slug(value: str) -> str:
    folded = unicodedata.normalize("NFKD", plain(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"


# ---------------------------------------------------------------- wording


def table_row_sentence(table: Table, row: tuple[str, ...]) -> str:
    """A table row read aloud or linearised: 'Magnesium. Primary role: aids relaxation.'"""
    first, *rest = (plain(cell) for cell in row)
    parts = [_end_sentence(first)]
    for column, cell in zip(table.columns[1:], rest):
        parts.append(_end_sentence(f"{plain(column)}: {cell}"))
    return " ".join(parts)


def _end_sentence(value: str) -> str:
    value = value.strip()
    return value if value.endswith((".", "!", "?", ":")) else value + "."


def section_numbers(article: Article) -> Iterator[tuple[str, Section, int]]:
    """Every section in reading order with its number ('2', '2.1') and depth (1 = top)."""

    def walk(sections: tuple[Section, ...], prefix: str, depth: int) -> Iterator[tuple[str, Section, int]]:
        for index, section in enumerate(sections, start=1):
            number = f"{prefix}{index}"
            yield number, section, depth
            yield from walk(section.sections, f"{number}.", depth + 1)

    return walk(article.sections, "", 1)


def article_texts(article: Article) -> Iterator[str]:
    """Every piece of source prose in reading order; what parity checks hold outputs to."""
    from pipeline.model import BulletList, TableBlock

    yield article.title
    if article.subtitle:
        yield article.subtitle
    if article.introduction:
        yield article.introduction
    yield article.summary
    for point in article.key_points:
        yield point.title
        yield point.text
    for _number, section, _depth in section_numbers(article):
        yield section.heading
        for block in section.body:
            if isinstance(block, BulletList):
                yield from block.items
            elif isinstance(block, TableBlock):
                yield block.table.caption
                yield from block.table.columns
                for row in block.table.rows:
                    yield from row
            else:
                yield block
    for entry in article.faq:
        yield entry.question
        yield entry.answer
    for reference in article.references:
        yield reference.title
        if reference.publisher:
            yield reference.publisher
    yield article.disclaimer


def article_sentences(article: Article) -> list[str]:
    return [sentence for item in article_texts(article) for sentence in sentences(item)]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def long_date(value: dt.date, lang: str) -> str:
    """'25 November 2026' in English; the unambiguous ISO form for other languages."""
    if lang.lower().split("-")[0] == "en":
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()


def links(value: str) -> list[Span]:
    return [span for span in spans(value) if span.style == "link"]
