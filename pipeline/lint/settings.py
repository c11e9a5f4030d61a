"""Thresholds of the plain-language checks, from `[tool.pipeline.lint]` of pyproject.toml.

The defaults follow health-literacy guidance for patient materials: a US grade 8 reading
level at most (6 to 8 is the usual aim), Flesch Reading Ease 60 or more ("plain English"),
and sentences of 25 words at most.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.settings import PYPROJECT, tool_settings

TABLE = "[tool.pipeline.lint]"


class SettingsError(ValueError):
    """A setting in pyproject.toml the checks cannot use; the message says which and why."""


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
        chosen = tool_settings("lint", pyproject)
        fields = {item.name: item for item in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in chosen.items():
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys are {', '.join(fields)}"
                raise SettingsError(f"{pyproject} {TABLE}: unknown key '{key}': {hint}")
            values[key] = _read(pyproject, key, value, cls.__dataclass_fields__[key].type)
        return cls(**values)


def _read(pyproject: Path, key: str, value: Any, kind: str) -> Any:
    where = f"{pyproject} {TABLE} {key}"
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind.startswith("dict") and isinstance(value, dict) and all(isinstance(item, str) and item.strip() for item in value.values()):
        return {str(term).strip(): explanation.strip() for term, explanation in value.items()}
    if kind.startswith("tuple") and isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    expected = {
        "float": "a number",
        "int": "a whole number above 0",
        "bool": "true or false",
        "dict[str, str]": 'a table of term = "plain explanation"',
        "tuple[str, ...]": 'a list of terms, e.g. ["electrolyte"]',
    }[kind]
    raise SettingsError(f"{where}: expected {expected}, found {value!r}")
