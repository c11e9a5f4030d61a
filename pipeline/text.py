"""Text shaping shared by every format: inline markup, sentences, reading time, wording.

Renderers lay text out; they never parse markup or invent wording themselves, so the
leaflet, the e-book, the text file and the narration all say the same thing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import ipaddress
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
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
    return tuple(span for _start, span in _located_spans(value))


def _located_spans(value: str) -> Iterator[tuple[int, Span]]:
    """Each span with the index in `value` where its text starts (after any `**` or `[`)."""
    position = 0
    for match in _INLINE.finditer(value):
        if match.start() > position:
            yield position, Span(value[position : match.start()])
        if match["strong"] is not None:
            yield match.start("strong"), Span(match["strong"], "strong")
        elif match["emphasis"] is not None:
            yield match.start("emphasis"), Span(match["emphasis"], "emphasis")
        else:
            yield match.start("label"), Span(match["label"], "link", match["url"])
        position = match.end()
    if position < len(value):
        yield position, Span(value[position:])


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


_RTL_SCRIPTS = {"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"}
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}


def direction(lang: str) -> str:
    """'rtl' or 'ltr': the script subtag decides when present ('ku-Arab'), else the language."""
    language, *subtags = lang.lower().split("-")
    for subtag in subtags:
        if subtag == "x":
            break
        if len(subtag) == 4 and subtag.isalpha():
            return "rtl" if subtag in _RTL_SCRIPTS else "ltr"
    return "rtl" if language in _RTL_LANGUAGES else "ltr"


# ---------------------------------------------------------------- sentences and words

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9\u00C0-\uFFFF])")
WORD = re.compile(r"\w[\w'’-]*")


@dataclass(frozen=True)
class Sentence:
    """A sentence of plain, folded text, and where each of its characters stands in the value.

    `origins[i]` is the index in the source value (markup included) of `text[i]`, so a
    checker can point at a sentence, or a word in it, in the source file.
    """

    text: str
    origins: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.origins[0]


def located_sentences(value: str) -> list[Sentence]:
    """The sentences of `value` (as `sentences` gives them) with their source offsets."""
    folded, origins = _folded_plain(value)
    result, position = [], 0
    for boundary in [*_SENTENCE_END.finditer(folded), None]:
        end = boundary.start() if boundary else len(folded)
        if end > position:
            result.append(Sentence(folded[position:end], tuple(origins[position:end])))
        position = boundary.end() if boundary else end
    return result


def _folded_plain(value: str) -> tuple[str, list[int]]:
    """`fold_space(plain(value))`, with the index in `value` of each character kept."""
    chars: list[str] = []
    origins: list[int] = []
    space: int | None = None
    for start, span in _located_spans(value):
        for offset, char in enumerate(span.text, start=start):
            if char.isspace():
                space = offset if space is None else space
                continue
            if space is not None and chars:
                chars.append(" ")
                origins.append(space)
            space = None
            chars.append(char)
            origins.append(offset)
    return "".join(chars), origins


def sentence_pieces(value: str) -> Iterator[tuple[int | None, Span]]:
    """The inline spans of `value`, cut where its sentences (as `sentences` gives them) start
    and end: (index of the sentence, piece), or (None, piece) for the space between two.

    A piece keeps its span's style, so a sentence that ends inside **bold** text can be marked
    up on its own without breaking the bold run's markup."""
    bounds = [(sentence.start, sentence.origins[-1] + 1) for sentence in located_sentences(value)]
    starts = [start for start, _end in bounds]

    def owner(position: int) -> int | None:
        index = bisect.bisect_right(starts, position) - 1
        return index if index >= 0 and position < bounds[index][1] else None

    for start, span in _located_spans(value):
        cut = 0
        for index, run in itertools.groupby(range(len(span.text)), key=lambda offset: owner(start + offset)):
            length = len(list(run))
            yield index, replace(span, text=span.text[cut : cut + length])
            cut += length


def sentences(value: str) -> list[str]:
    """Sentences of the plain text, whitespace folded; good enough for parity checks."""
    return [sentence.text for sentence in located_sentences(value)]


def fold_space(value: str) -> str:
    return " ".join(value.split())


def words(value: str) -> list[str]:
    return WORD.findall(plain(value))


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


def slug(value: str) -> str:
    folded = unicodedata.normalize("NFKD", plain(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"


# ---------------------------------------------------------------- wording


def table_row_sentence(table: Table, row: tuple[str, ...]) -> str:
    """A table row read aloud or linearised: 'Magnesium. Primary role: aids relaxation.'"""
    first, *rest = (plain(cell) for cell in row)
    parts = [end_sentence(first)]
    for column, cell in zip(table.columns[1:], rest):
        parts.append(end_sentence(f"{plain(column)}: {cell}"))
    return " ".join(parts)


def end_sentence(value: str) -> str:
    """The text with a full stop, unless it already ends a sentence (before any closing quote)."""
    value = value.strip()
    return value if value.rstrip("\"')]”’").endswith((".", "!", "?", ":")) else value + "."


def section_numbers(article: Article) -> Iterator[tuple[str, Section, int]]:
    """Every section in reading order with its number ('2', '2.1') and depth (1 = top)."""
    for number, section, depth, _location in _numbered_sections(article.sections, "", ("sections",), 1):
        yield number, section, depth


Location = tuple[str | int, ...]


def _numbered_sections(sections: tuple[Section, ...], prefix: str, location: Location, depth: int) -> Iterator[tuple[str, Section, int, Location]]:
    for index, section in enumerate(sections):
        number = f"{prefix}{index + 1}"
        here = (*location, index)
        yield number, section, depth, here
        yield from _numbered_sections(section.sections, f"{number}.", (*here, "sections"), depth + 1)


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
    from pipeline.model import BulletList, TableBlock

    yield SourceText(("title",), article.title, FRONT, HEADING)
    if article.subtitle:
        yield SourceText(("subtitle",), article.subtitle, FRONT, HEADING)
    if article.introduction:
        yield SourceText(("introduction",), article.introduction, FRONT, PROSE)
    yield SourceText(("summary",), article.summary, FRONT, PROSE)
    for index, point in enumerate(article.key_points):
        yield SourceText(("key_points", index, "title"), point.title, FRONT, HEADING)
        yield SourceText(("key_points", index, "text"), point.text, FRONT, PROSE)
    for number, section, _depth, location in _numbered_sections(article.sections, "", ("sections",), 1):
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
