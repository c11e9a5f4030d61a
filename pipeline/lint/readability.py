"""Readability figures: syllables, reading ease by the language's formula, and the
Flesch-Kincaid grade for English.

Our own small implementation rather than textstat: textstat 0.7.13 needs nltk and downloads
the CMU dictionary from the internet the first time it counts a syllable, which neither a
clinic's offline machine nor a reproducible build can allow. The formulas are the published
ones, each on Flesch's 0-100 scale: Flesch (1948) for English, Fernández Huerta (1959, in the
corrected form textstat uses) for Spanish, read on the INFLESZ scale (Barrio-Cantalejo et al.,
2008), Kandel and Moles (1958) for French, Amstad (1978) for German. English syllables come
from a rule-based counter that agrees with the CMU Pronouncing Dictionary on most words of
patient text (see README); Spanish, French and German ones from Pyphen's hyphenation
dictionaries (installed with WeasyPrint), as textstat counts them. For other languages no
formula is known here, and the report says so instead of printing English figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from pipeline.text.language import primary_language
from pipeline.text.sentences import WORD


@dataclass(frozen=True)
class Formula:
    """Reading ease on Flesch's scale: base - a * words per sentence - b * syllables per word."""

    name: str
    base: float
    per_sentence_word: float
    per_word_syllable: float
    scale: str = "100 very easy, 60-70 plain language, under 30 very hard"

    def ease(self, words: int, sentences: int, syllables: int) -> float:
        return self.base - self.per_sentence_word * words / sentences - self.per_word_syllable * syllables / words


INFLESZ = "INFLESZ: over 80 very easy, 65-80 fairly easy, 55-65 normal, 40-55 somewhat hard, under 40 very hard"
FORMULAS = {
    "en": Formula("Flesch Reading Ease", 206.835, 1.015, 84.6),
    "es": Formula("Fernández Huerta", 206.84, 1.02, 60.0, INFLESZ),
    "fr": Formula("Kandel-Moles", 207.0, 1.015, 73.6),
    "de": Formula("Amstad", 180.0, 1.0, 58.5),
}


def formula(lang: str) -> Formula | None:
    """The reading-ease formula for `lang`, or None where none is known."""
    return FORMULAS.get(primary_language(lang or "en"))

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Two vowels that are said as two syllables inside one vowel group: calc-i-um, hypocalcem-i-a,
# radi-o, actu-al, sci-ence, be-ing. The look-behinds keep -cial, -tion, -gion, -cient in one.
_HIATUS = re.compile(
    r"(?<![ct])i(?=a)|(?<=[ct])i(?=a[^ln])"
    r"|i(?=u)"
    r"|(?<![cgstx])i(?=o)"
    r"|e(?=o)"
    r"|(?<![qg])u(?=[ao])"
    r"|(?<![ct])i(?=e(?:r|t|nc|nt|st))|(?<=sc)i(?=en)"
    r"|[aeiouy](?=ing$)"
)
# Letters not said as a syllable: mak(e), tim(es), caus(ed), rar(e)ly, fatig(ue), typic(a)lly;
# but muscle, places, causes, needed keep theirs.
_SILENT = re.compile(
    r"(?<=[^aeiouy])(?<![^aeiouy]l)e$"
    r"|(?<=[^aeiouylsxzcgh])es$|(?<=[aeiouy]l)es$"
    r"|(?<=[^aeiouytd])ed$"
    r"|(?<=[^aeiouy])e(?=(?:ly|ful|ness)$)"
    r"|(?<=[gq])ue$"
    r"|(?<=ic)a(?=lly$)"
)
_EXCEPTIONS = {"people": 2, "business": 2, "area": 3, "idea": 3, "ideas": 3, "create": 2, "creates": 2, "created": 3}


def syllables(word: str) -> int:
    """Syllables in one word (digits count as one; each part of a hyphenated word counts)."""
    parts = re.findall(r"[a-z']+", word.lower().replace("’", "'"))
    if not parts:
        return 1 if any(char.isalnum() for char in word) else 0
    return sum(_part_syllables(part) for part in parts)


def _part_syllables(part: str) -> int:
    extra = 1 if re.search(r"[^aeiouy]n't$", part) else 0
    letters = part.replace("'", "")
    if letters in _EXCEPTIONS:
        return _EXCEPTIONS[letters]
    if len(letters) <= 3:
        return 1 + extra
    stem = _SILENT.sub("", letters)
    count = len(_VOWEL_GROUPS.findall(stem)) + len(_HIATUS.findall(stem)) + (1 if re.search(r"(?<=[aeiouy])sms?$", stem) else 0)
    return max(1, count) + extra


@dataclass(frozen=True)
class Figures:
    """Counts over a run of sentences and the readability scores they give."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    longest_sentence: int = 0
    lang: str = ""  # "" counts as English

    @property
    def average_sentence(self) -> float | None:
        return self.words / self.sentences if self.sentences else None

    @property
    def reading_ease(self) -> float | None:
        """Reading ease by the language's formula (`formula`); None without one or without text."""
        chosen = formula(self.lang)
        if chosen is None or not self.words or not self.sentences:
            return None
        return chosen.ease(self.words, self.sentences, self.syllables)

    @property
    def grade(self) -> float | None:
        """Flesch-Kincaid grade level, for English only: the US school year a reader needs."""
        if primary_language(self.lang or "en") != "en" or not self.words or not self.sentences:
            return None
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.words + other.words,
            self.sentences + other.sentences,
            self.syllables + other.syllables,
            max(self.longest_sentence, other.longest_sentence),
            self.lang or other.lang,
        )


def figures(sentences: Iterable[str], lang: str = "") -> Figures:
    """Figures for sentences of plain text (as `pipeline.text.sentences` gives them)."""
    count = syllable_counter(lang)
    total = Figures(lang=lang)
    for sentence in sentences:
        found = WORD.findall(sentence)
        if found:
            total += Figures(len(found), 1, sum(count(word) for word in found), len(found), lang)
    return total


@cache
def syllable_counter(lang: str) -> Callable[[str], int]:
    """Syllables of a word in `lang`: our English rules, else Pyphen's hyphenation points + 1
    (as textstat counts them), else nothing to count."""
    language = primary_language(lang or "en")
    if language == "en":
        return syllables
    import pyphen

    dictionary = pyphen.language_fallback(language) if language in FORMULAS else None
    if dictionary is None:
        return lambda word: 0
    hyphenator = pyphen.Pyphen(lang=dictionary)
    return lambda word: len(hyphenator.positions(word.lower())) + 1
