"""The script written for the ear: what the narration says, in order, one sentence at a time.

Derived from the model here and nowhere else, so the MP3, its WebVTT transcript and a
read-along e-book say the same words. A listener cannot glance back, so the script announces
structure in the article's language ("Section 2.1. ...", "Question: ... Answer: ...", from the
catalogue, `pipeline.locale`), reads tables row by row with their
column names, never reads a web address aloud, and pauses between blocks.

Each `Unit` is one sentence: `written` is the transcript's text, `spoken` the same words after
the pronunciation lexicon (`assets/lexicon.toml`), with anything espeak-ng could take for
markup made inert. Units belong to chapters (the MP3's CHAP frames, in order), and name the
element of the HTML that shows their words (`target`, an id from `pipeline.text.anchors`), so a
read-along e-book can highlight them: announcements made for the ear ("Section 2.1. ...",
"Question: ...") belong to the heading or text they announce; the short spoken disclaimer at
the start is the one unit no text shows (the full disclaimer ends every edition).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pipeline import ASSETS
from pipeline.locale import Words
from pipeline.model import Article, BulletList, Issuer, Section, TableBlock, markup, walk
from pipeline.speech import spelling
from pipeline.text import anchors, issuing, language, sentences, wording

LEXICON = ASSETS / "lexicon.toml"
BLOCK_PAUSE = 0.4
"""Seconds of silence added after a block (heading, paragraph, list item, table row, answer)."""
CHAPTER_PAUSE = 1.0
"""Seconds of silence added at the end of a chapter."""
_URL = re.compile(r"\bhttps?://[^\s<>\"]+?(?=[.,;:!?)\]]*(?:\s|$))", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    chapter: int
    written: str
    spoken: str
    pause: float = 0.0
    """Seconds of silence after this unit, on top of the voice's own pause after a sentence."""
    target: str | None = None
    """The id of the element showing these words when the HTML marks them (`pipeline.text.anchors`)."""


@dataclass(frozen=True)
class Script:
    lang: str
    chapters: tuple[str, ...]
    units: tuple[Unit, ...]


class Lexicon:
    """Pronunciation fixes for one language, applied to spoken text in a single pass."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries
        keys = sorted(entries, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(_key_pattern, keys))) if keys else None

    def apply(self, value: str) -> str:
        return self.pattern.sub(self._replacement, value) if self.pattern else value

    def _replacement(self, match: re.Match[str]) -> str:
        key = match.group()
        return self.entries[key] if key[0].isalnum() else f" {self.entries[key]} "

    @classmethod
    def for_language(cls, lang: str, path: Path = LEXICON) -> Lexicon:
        return cls(dict(_lexicon_tables(path).get(language.primary_language(lang), {})))


def _key_pattern(key: str) -> str:
    """Words match whole (so 'mg' leaves 'mgmt' alone); symbols match anywhere."""
    escaped = re.escape(key)
    return rf"(?<!\w){escaped}(?!\w)" if key[0].isalnum() else escaped


@cache
def _lexicon_tables(path: Path) -> dict[str, dict[str, str]]:
    return tomllib.loads(path.read_text("utf-8"))


def inert(value: str) -> str:
    """Text espeak-ng can only read aloud: no angle brackets (SSML tags), no '[[' (phonemes).

    The driver synthesises without espeak's SSML and phoneme flags, so neither is live today;
    this keeps a source from ever steering the voice should those flags change.
    """
    value = re.sub(r"[<>]", " ", value)
    value = re.sub(r"\[(?=\s*\[)", "[ ", value)
    value = re.sub(r"\](?=\s*\])", "] ", value)
    return sentences.fold_space(value)


def brief_disclaimer(words: Words) -> str:
    """What every recording says first; the full disclaimer ends it."""
    return words.gettext(
        "This recording is for information only and does not replace advice from a health professional. The full disclaimer is at the end."
    )


def spoken(written: str, lexicon: Lexicon, words: Words) -> str:
    """The words the voice says: a web address becomes a pointer to the transcript."""
    return inert(lexicon.apply(_URL.sub(words.gettext("the web address in the transcript"), written)))


def script_for(article: Article, lexicon: Lexicon | None = None) -> Script:
    """The whole narration of an article, chapter by chapter."""
    words = wording.words_for(article)
    label = wording.labels(words)
    say = _Builder(lexicon or Lexicon.for_language(article.lang), words)
    say.chapter(markup.plain(article.title))
    say.line(article.title, anchors.TITLE)
    if article.subtitle:
        say.line(article.subtitle, anchors.SUBTITLE)
    if article.issuer:
        say.block([(issuing.issued_by(article.issuer, words), None)])
    say.block([(brief_disclaimer(words), None)])
    say.block([(wording.reading_time(article), anchors.READING_TIME)])
    if article.introduction:
        say.block([(article.introduction, anchors.INTRODUCTION)])
    say.line(label.summary, anchors.SUMMARY_LABEL)
    say.block([(article.summary, anchors.SUMMARY)])

    say.chapter(label.key_points)
    say.line(label.key_points, anchors.KEY_POINTS_LABEL)
    for index, point in enumerate(article.key_points):
        title, body = (anchors.entry(anchors.KEY_POINT, index, part) for part in ("title", "text"))
        say.block([(sentences.end_sentence(point.title), title), (point.text, body)])

    for number, section, depth in walk.section_numbers(article):
        if depth == 1:
            say.chapter(f"{number}. {markup.plain(section.heading)}")
        _section(say, number, section)

    if article.faq:
        say.chapter(label.faq)
        say.line(label.faq, anchors.FAQ_LABEL)
        for index, entry in enumerate(article.faq):
            question, answer = (anchors.entry(anchors.FAQ, index, part) for part in ("question", "answer"))
            say.block([(words.gettext("Question: {question}", question=entry.question), question), (words.gettext("Answer: {answer}", answer=entry.answer), answer)])

    if article.references:
        say.chapter(label.references)
        say.line(label.references, anchors.REFERENCES_LABEL)
        for index, reference in enumerate(article.references):
            title, publisher = (anchors.entry(anchors.REFERENCE, index, part) for part in ("title", "publisher"))
            published = [(words.gettext("Published by {publisher}", publisher=reference.publisher), publisher)] if reference.publisher else []
            say.block([(sentences.end_sentence(reference.title), title), *published])

    say.chapter(label.disclaimer)
    say.line(label.disclaimer, anchors.DISCLAIMER_LABEL)
    say.block([(article.disclaimer, anchors.DISCLAIMER)])
    if article.issuer:
        _contact(say, article.issuer)
    return say.finish(article.lang)


def _contact(say: _Builder, issuer: Issuer) -> None:
    """The last chapter: who to contact and how, the number and address said to be written down."""
    words = say.words
    heading = issuing.contact_heading(words)
    say.chapter(heading)
    say.line(heading, anchors.CONTACT_LABEL)
    say.block([(issuing.name(issuer), None)])
    for line in issuing.contact_lines(issuer, words):
        written = sentences.end_sentence(wording.labelled(line.label, line.shown, words))
        if line.kind == "phone":
            say.said(written, wording.labelled(line.label, spelling.phone_digits(line.value), words) + ".")
        elif line.kind == "email":
            say.said(written, wording.labelled(line.label, spelling.spelled_email(line.value, words), words) + ".")
        else:
            say.said(written, spoken(wording.labelled(line.label, line.value, words), say.lexicon, words))


def _section(say: _Builder, number: str, section: Section) -> None:
    words = say.words
    say.line(words.gettext("Section {number}. {heading}", number=number, heading=section.heading), anchors.heading(number))
    for index, block in enumerate(section.body):
        block_id = anchors.block(number, index)
        if isinstance(block, BulletList):
            for item, value in enumerate(block.items):
                say.block([(value, anchors.part(block_id, "item", item))])
        elif isinstance(block, TableBlock):
            table = block.table
            say.block([(sentences.end_sentence(wording.table_caption(table, words)), anchors.part(block_id, "caption"))])
            say.whole(wording.table_columns_sentence(table, words), anchors.part(block_id, "columns"))
            for row_index, row in enumerate(table.rows):
                say.whole(wording.table_row_sentence(table, row, words), anchors.part(block_id, "row", row_index))
        else:
            say.block([(block, block_id)])


class _Builder:
    def __init__(self, lexicon: Lexicon, words: Words) -> None:
        self.lexicon = lexicon
        self.words = words
        self.chapters: list[str] = []
        self.units: list[Unit] = []

    def chapter(self, title: str) -> None:
        self._pause(CHAPTER_PAUSE)
        self.chapters.append(title)

    def line(self, value: str, target: str) -> None:
        """A heading or title: one unit, however many full stops it holds ('Section 2.1. ...')."""
        self._add(sentences.fold_space(markup.plain(value)), target)
        self._pause(BLOCK_PAUSE)

    def block(self, pieces: Iterable[tuple[str, str | None]]) -> None:
        """The sentences of each piece of source text (markup allowed), then a pause; a piece
        shown by the HTML names its id, and its sentence n is `anchors.sentence(id, n)` there."""
        for piece, base in pieces:
            for index, sentence in enumerate(sentences.sentences(piece)):
                self._add(sentence, anchors.sentence(base, index) if base else None)
        self._pause(BLOCK_PAUSE)

    def whole(self, value: str, target: str) -> None:
        """The sentences of plain text the HTML shows as one element (a table row), then a pause."""
        for sentence in sentences.plain_sentences(value):
            self._add(sentence, target)
        self._pause(BLOCK_PAUSE)

    def said(self, written: str, voiced: str) -> None:
        """One unit no page marks, whose voice says it otherwise than written, then a pause."""
        self.units.append(Unit(len(self.chapters) - 1, written, inert(voiced)))
        self._pause(BLOCK_PAUSE)

    def _add(self, sentence: str, target: str | None) -> None:
        written = sentences.end_sentence(sentence)
        self.units.append(Unit(len(self.chapters) - 1, written, spoken(written, self.lexicon, self.words), target=target))

    def _pause(self, seconds: float) -> None:
        if self.units and self.units[-1].pause < seconds:
            self.units[-1] = replace(self.units[-1], pause=seconds)

    def finish(self, lang: str) -> Script:
        if self.units:
            self.units[-1] = replace(self.units[-1], pause=0.0)  # the recording ends on the last word
        return Script(lang, tuple(self.chapters), tuple(self.units))
