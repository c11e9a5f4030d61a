"""One article -> its plain-language report: figures per part, and warnings with positions.

The parts are the article's opening (title to key points), each section on its own
(without its subsections, so the rows add up), the questions and answers, and the end
(references and disclaimer). Words and reading time count every text a reader meets, as
the editions' "reading time" does; readability figures count only running text (paragraphs,
list items, questions and answers), since titles, headings and table cells are not
sentences. Sentences are checked in running text and tables; headings (whose explanation
belongs in the text below them) and references (cited as published) are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.lint import jargon, passive, readability
from pipeline.lint.readability import Figures
from pipeline.lint.settings import LintSettings
from pipeline.model import Article, markup, walk
from pipeline.source.positions import Document
from pipeline.source.problems import Problem
from pipeline.text import sentences, wording

_CHECKED = (walk.PROSE, walk.TABLE)
PART_LABELS = {walk.FRONT: "Opening: title to key points", walk.FAQ: "Questions and answers", walk.END: "References and disclaimer"}


@dataclass(frozen=True)
class Finding:
    """A warning: `rule` names the check (long-sentence, passive-voice, jargon, readability)."""

    rule: str
    part: str
    problem: Problem

    def __str__(self) -> str:
        return f"{self.problem} [{self.rule}]"


@dataclass(frozen=True)
class Counts:
    """What a part holds: every word, the running text's figures, and the finds in it."""

    words: int = 0
    prose: Figures = Figures()
    long_sentences: int = 0
    passive_candidates: int = 0
    unexplained_jargon: int = 0
    characters: int = 0  # of the words, Han and kana characters (read at their own rate)

    @property
    def reading_minutes(self) -> int:
        return wording.minutes_to_read(self.words - self.characters, self.characters)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.words + other.words,
            self.prose + other.prose,
            self.long_sentences + other.long_sentences,
            self.passive_candidates + other.passive_candidates,
            self.unexplained_jargon + other.unexplained_jargon,
            self.characters + other.characters,
        )


@dataclass(frozen=True)
class PartReport:
    part: str
    label: str
    counts: Counts


@dataclass(frozen=True)
class ArticleReport:
    file: str
    article_id: str
    title: str
    parts: tuple[PartReport, ...]
    findings: tuple[Finding, ...]
    lang: str = "en"

    @property
    def total(self) -> Counts:
        return sum((part.counts for part in self.parts), Counts())


def check_article(document: Document, article: Article, settings: LintSettings) -> ArticleReport:
    terms = jargon.glossary(settings)
    headings = {number: f"{number} {markup.plain(section.heading)}" for number, section, _depth in walk.section_numbers(article)}
    groups: dict[str, list[walk.SourceText]] = {}
    for item in walk.source_texts(article):
        groups.setdefault(item.part, []).append(item)
    parts, findings = [], []
    for part, items in groups.items():
        checker = _PartChecker(document, part, settings, terms, article.lang)
        counts = checker.check(items)
        parts.append(PartReport(part, headings.get(part) or PART_LABELS[part], counts))
        findings += checker.findings
    findings.sort(key=_order)
    return ArticleReport(str(document.path), article.id, markup.plain(article.title), tuple(parts), tuple(findings), article.lang)


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.problem.line, finding.problem.column, finding.rule


class _PartChecker:
    """Walks the texts of one part, sentence by sentence, counting and collecting warnings."""

    def __init__(self, document: Document, part: str, settings: LintSettings, terms: tuple[jargon.Term, ...], lang: str):
        self.document, self.part, self.settings, self.terms, self.lang = document, part, settings, terms, lang
        self.findings: list[Finding] = []
        self.seen: set[str] = set()

    def check(self, items: list[walk.SourceText]) -> Counts:
        counts = Counts()
        for item in items:
            found = sentences.words(item.value)
            counts += Counts(words=len(found), characters=sum(map(sentences.is_han, found)))
            if item.kind in _CHECKED:
                for sentence in sentences.located_sentences(item.value):
                    counts += self._sentence(item, sentence)
        self._readability(next(item for item in items if item.kind != walk.REFERENCE), counts.prose)
        return counts

    def _sentence(self, item: walk.SourceText, sentence: sentences.Sentence) -> Counts:
        size = len(sentences.WORD.findall(sentence.text))
        long = size > self.settings.max_sentence_words
        if long:
            self._warn("long-sentence", item, sentence, 0, f"sentence of {size} words (limit {self.settings.max_sentence_words}): {_quote(sentence.text)}: split it")
        found = passive.candidates(sentence.text) if self.settings.passive_voice else []
        for candidate in found:
            self._warn("passive-voice", item, sentence, candidate.start, f"passive voice? '{candidate.phrase}': say who does what, if you can")
        unexplained = list(self._unexplained(sentence.text))
        for use in unexplained:
            term = use.term
            self._warn("jargon", item, sentence, use.start, f"'{term.name}' is medical jargon: explain it here, e.g. '{term.name} ({term.explanation})'")
        prose = readability.figures([sentence.text], self.lang) if item.kind == walk.PROSE else Figures()
        return Counts(0, prose, int(long), len(found), len(unexplained))

    def _unexplained(self, sentence: str) -> Iterator[jargon.Use]:
        for use in jargon.uses(sentence, self.terms):
            if use.term.name not in self.seen:
                self.seen.add(use.term.name)
                if not use.explained:
                    yield use

    def _readability(self, first: walk.SourceText, prose: Figures) -> None:
        grade, ease, formula = prose.grade, prose.reading_ease, readability.formula(self.lang)
        if ease is None or formula is None:
            return
        if (grade is not None and grade > self.settings.max_grade) or ease < self.settings.min_reading_ease:
            graded = f"grade {grade:.1f} (limit {self.settings.max_grade:g}), " if grade is not None else ""
            message = (
                f"this part reads at {graded}reading ease {ease:.0f} by {formula.name} "
                f"(at least {self.settings.min_reading_ease:g}): use shorter sentences and everyday words"
            )
            line, column = self.document.position(first.location)
            self._add("readability", first.location, line, column, message)

    def _warn(self, rule: str, item: walk.SourceText, sentence: sentences.Sentence, index: int, message: str) -> None:
        line, column = self.document.text_position(item.location, sentence.origins[index])
        self._add(rule, item.location, line, column, message)

    def _add(self, rule: str, location: tuple[Any, ...], line: int, column: int, message: str) -> None:
        problem = Problem(str(self.document.path), line, column, message, walk.dotted_path(location), "warning")
        self.findings.append(Finding(rule, self.part, problem))


def _quote(sentence: str, limit: int = 60) -> str:
    return f"'{sentence}'" if len(sentence) <= limit else f"'{sentence[:limit].rstrip()}…'"
