"""Jargon: medical terms used without a plain explanation nearby.

"Nearby" is kept simple so a writer can predict it: the explanation must be in the same
sentence as the term, right beside it. A use is explained when the term
- stands in parentheses after plain words: "a low calcium level (hypocalcemia)";
- is followed by parentheses or a dash, straight away or after one more word:
  "hypocalcemia (low blood calcium)", "autoimmune diseases (when the body attacks itself)";
- is followed, after an optional comma, by "or", "meaning", "means", "which is", "which
  are", "which means", "is a", "is an", "is when" or "also called", or by a comma and
  "a", "an" or "the": "myopathy, or muscle disease"; "myopathy, a disease of the muscle"
  (but not by another term: "fibromyalgia or myopathy" explains neither);
- comes straight after "called" or "known as": "a condition called myopathy".
Only the first use of a term in each part of the article (the opening, one section, the
questions, the end) needs it: a reader who skips to a section meets the explanation there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

from pipeline.lint.settings import LintSettings

_EXPLAINED_BEFORE = re.compile(r"(?:\(\s*|\b(?:called|known as)\s+)$", re.IGNORECASE)
_EXPLAINED_AFTER = re.compile(
    r"^(?:(?:\s+[\w'’-]+)?\s*[(—–]"
    r"|,?\s+(?:or|meaning|means|which (?:is|are|means)|is (?:a|an|when)|also called)\b"
    r"|,\s+(?:a|an|the)\s)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Term:
    name: str
    explanation: str

    @property
    def pattern(self) -> re.Pattern[str]:
        words = r"\s+".join(re.escape(word) for word in self.name.split())
        return re.compile(rf"(?<!\w){words}(?:s|es)?(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Use:
    """One use of a term in a sentence: where it starts and whether it is explained there."""

    term: Term
    start: int
    explained: bool


def glossary(settings: LintSettings) -> tuple[Term, ...]:
    """The shipped terms plus the project's, less those the project's readers know."""
    terms = {**_shipped(), **{name.casefold(): explanation for name, explanation in settings.jargon.items()}}
    known = {name.casefold() for name in settings.not_jargon}
    return tuple(Term(name, explanation) for name, explanation in sorted(terms.items()) if name not in known)


def _shipped() -> dict[str, str]:
    terms = {}
    for line in files("pipeline").joinpath("assets/jargon.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, explanation = line.partition(":")
            terms[name.strip().casefold()] = explanation.strip()
    return terms


def uses(sentence: str, terms: tuple[Term, ...]) -> list[Use]:
    """Every use of a glossary term in one sentence of plain text, in reading order."""
    found = []
    for term in terms:
        for match in term.pattern.finditer(sentence):
            explained = bool(_EXPLAINED_BEFORE.search(sentence[: match.start()])) or _explained_after(sentence[match.end() :], terms)
            found.append(Use(term, match.start(), explained))
    return sorted(found, key=lambda use: use.start)


def _explained_after(rest: str, terms: tuple[Term, ...]) -> bool:
    """An explaining word follows, and not just another term ("fibromyalgia or lupus")."""
    marker = _EXPLAINED_AFTER.match(rest)
    if not marker:
        return False
    explanation = rest[marker.end() :].lstrip()
    return not any(term.pattern.match(explanation) for term in terms)
