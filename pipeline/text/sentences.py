"""Sentences and words of plain text, with where each character stands in the source.

Parity checks, the read-along markup and the speech script cut text the same way here.
A sentence ends at . ! ? (and ؟ in Arabic script, ۔ in Urdu, । ॥ in Devanagari, Bengali and
Gurmukhi) before white space and the start of the next one, and at Chinese and Japanese 。！？,
which no space follows. Words are runs of letters and their combining marks (so a Hindi vowel
sign does not cut its word in two); Han and kana characters count one by one, as those
languages set no spaces between words.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pipeline.model.markup import Span, located_spans, plain

FULL_STOPS = ".!?\u061f\u06d4\u0964\u0965"  # . ! ? ؟ ۔ । ॥
CJK_FULL_STOPS = "\u3002\uff01\uff1f"  # 。！？
CLOSING = "\"')\\]\u201d\u2019\u00bb\u300d\u300f\uff09"  # " ' ) ] ” ’ » 」 』 ）
OPENING = "\"'(\\[\u201c\u2018\u00ab\u00bf\u00a1"  # " ' ( [ “ ‘ « ¿ ¡
_SENTENCE_END = re.compile(
    rf"(?<=[{re.escape(FULL_STOPS)}])[{CLOSING}]*\s+(?=[{OPENING}]*[A-Z0-9\u00C0-\uFFFF])"
    rf"|(?<=[{CJK_FULL_STOPS}])[{CLOSING}]*\s*(?=\S)"
)
HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana and Han ideographs
_MARKS = "".join(
    re.escape(chr(code)) for code in range(0x300, 0x3000) if unicodedata.category(chr(code)).startswith("M")
)
_HAN_CHARACTER = re.compile(f"[{HAN}]")
WORD = re.compile(rf"[{HAN}]|(?:(?![{HAN}])[\w{_MARKS}])(?:(?![{HAN}])[\w{_MARKS}'’-])*")


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
    return [Sentence(folded[start:end], tuple(origins[start:end])) for start, end in _bounds(folded)]


def plain_sentences(value: str) -> list[str]:
    """The sentences of text that holds no markup (words the pipeline made from plain text, such
    as a table row read aloud): its `*` and `[` are the reader's, never parsed again."""
    folded = fold_space(value)
    return [folded[start:end] for start, end in _bounds(folded)]


def _bounds(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of folded plain text."""
    result, position = [], 0
    for boundary in [*_SENTENCE_END.finditer(folded), None]:
        end = boundary.start() if boundary else len(folded)
        if end > position:
            result.append((position, end))
        position = boundary.end() if boundary else end
    return result


def _folded_plain(value: str) -> tuple[str, list[int]]:
    """`fold_space(plain(value))`, with the index in `value` of each character kept."""
    chars: list[str] = []
    origins: list[int] = []
    space: int | None = None
    for start, span in located_spans(value):
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

    for start, span in located_spans(value):
        cut = 0
        for index, run in itertools.groupby(range(len(span.text)), key=lambda offset: owner(start + offset)):
            length = len(list(run))
            yield index, replace(span, text=span.text[cut : cut + length])
            cut += length


def sentences(value: str) -> list[str]:
    """Sentences of the plain text, whitespace folded; good enough for parity checks."""
    return [sentence.text for sentence in located_sentences(value)]


def is_han(word: str) -> bool:
    """Whether `word` (from `words`) is a Han or kana character, counted apart when reading."""
    return _HAN_CHARACTER.fullmatch(word) is not None


def fold_space(value: str) -> str:
    return " ".join(value.split())


def words(value: str) -> list[str]:
    return WORD.findall(plain(value))


def end_sentence(value: str, lang: str = "") -> str:
    """The text with a full stop (the language's own: 。 in Chinese, ۔ in Urdu, । in Hindi,
    Bengali and Punjabi), unless it already ends a sentence (before any closing quote)."""
    value = value.strip()
    ended = value.rstrip(CLOSING.replace("\\", "")).endswith((*FULL_STOPS, *CJK_FULL_STOPS, ":", "\uff1a"))
    return value if ended else value + full_stop(lang, value)


def full_stop(lang: str, value: str = "") -> str:
    """The full stop of `lang`; without a language, of the script `value` ends in."""
    language = lang.lower().split("-")[0]
    if language in _STOPS:
        return _STOPS[language]
    last = next((char for char in reversed(value) if char.isalpha()), "")
    if re.match(f"[{HAN}]", last):
        return "\u3002"
    if "\u0900" <= last <= "\u0a7f":  # Devanagari, Bengali, Gurmukhi
        return "\u0964"
    return "\u06d4" if _URDU_LETTERS.search(value) else "."


_URDU_LETTERS = re.compile("[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")  # ٹ ڈ ڑ ں ھ ہ ے
_STOPS = {
    **dict.fromkeys(("zh", "ja", "yue"), "\u3002"),
    **dict.fromkeys(("ur", "ks", "skr"), "\u06d4"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "bn", "as", "pa"), "\u0964"),
}
