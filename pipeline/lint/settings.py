"""Thresholds of the plain-language checks, from `[tool.pipeline.lint]` of pyproject.toml.

The defaults follow health-literacy guidance for patient materials: a US grade 8 reading
level at most (6 to 8 is the usual aim), Flesch Reading Ease 60 or more ("plain English"),
and sentences of 25 words at most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline import settings
from pipeline.settings import PYPROJECT, SettingsError

__all__ = ["LintSettings", "SettingsError"]

READERS = {
    "max_grade": settings.number,
    "min_reading_ease": settings.number,
    "max_sentence_words": settings.whole_number,
    "passive_voice": settings.boolean,
    "jargon": settings.explanations,
    "not_jargon": settings.texts,
}


@dataclass(frozen=True)
class LintSettings:
    max_grade: float = 8.0
    min_reading_ease: float = 60.0
    max_sentence_words: int = 25
    passive_voice: bool = True
    # Project jargon: {term: plain explanation}; and shipped terms the readers know.
    jargon: dict[str, str] = field(default_factory=dict)
    not_jargon: tuple[str, ...] = ()

    @classmethod
    def from_project(cls, pyproject: Path = PYPROJECT) -> LintSettings:
        """Defaults, overridden by `[tool.pipeline.lint]`; SettingsError for a wrong value."""
        return cls(**settings.table("lint", pyproject).read(READERS))
