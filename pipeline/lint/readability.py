"""Readability figures: syllables, Flesch Reading Ease and Flesch-Kincaid grade.

Our own small implementation rather than textstat: textstat 0.7.13 needs nltk and downloads
the CMU dictionary from the internet the first time it counts a syllable, which neither a
clinic's offline machine nor a reproducible build can allow. The formulas are the published
ones (Flesch 1948; Kincaid et al. 1975); syllables come from a rule-based counter that agrees
with the CMU Pronouncing Dictionary on most words of patient text (see README).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.text.sentences import WORD

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

    @property
    def average_sentence(self) -> float | None:
        return self.words / self.sentences if self.sentences else None

    @property
    def reading_ease(self) -> float | None:
        """Flesch Reading Ease: 100 is very easy, 60-70 plain English, below 30 very hard."""
        if not self.words or not self.sentences:
            return None
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words

    @property
    def grade(self) -> float | None:
        """Flesch-Kincaid grade level: the US school year a reader needs."""
        if not self.words or not self.sentences:
            return None
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.words + other.words,
            self.sentences + other.sentences,
            self.syllables + other.syllables,
            max(self.longest_sentence, other.longest_sentence),
        )


def figures(sentences: Iterable[str]) -> Figures:
    """Figures for sentences of plain text (as `pipeline.text.sentences` gives them)."""
    total = Figures()
    for sentence in sentences:
        found = WORD.findall(sentence)
        if found:
            total += Figures(len(found), 1, sum(syllables(word) for word in found), len(found))
    return total
