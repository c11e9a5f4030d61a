"""Reports of the plain-language checks: a table for people, JSON for CI (schema in README)."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from typing import Any

from pipeline.lint import readability
from pipeline.lint.check import ArticleReport, Counts
from pipeline.lint.settings import LintSettings
from pipeline.source.problems import Problem
from pipeline.text import columns, wording
from pipeline.text.language import primary_language

SCHEMA = "pipeline-check/1"
_LABEL_WIDTH = 40


def table(reports: list[ArticleReport], settings: LintSettings) -> str:
    """One block per article: a row per part, then the article's totals."""
    blocks = []
    for report in reports:
        columns = ("words", "min", "sent", "avg", "max", "ease", "grade", f">{settings.max_sentence_words}", "passv", "jargon")
        lines = [f"{report.file}: {report.title}", _row("part", columns)]
        lines += [_row(part.label, _cells(part.counts)) for part in report.parts]
        lines.append(_row("whole article", _cells(report.total)))
        blocks.append("\n".join(lines))
    legend = (
        f"min: reading minutes at {wording.WORDS_PER_MINUTE} words a minute. sent, avg, max: sentences of running text, "
        f"their average and longest length in words. {_ease_legend(reports, settings)} >{settings.max_sentence_words}: "
        f"sentences over {settings.max_sentence_words} words. passv: passive-voice candidates. jargon: terms not "
        "explained where first used."
    )
    return "\n\n".join([*blocks, textwrap.fill(legend, width=100)]) + "\n"


def _ease_legend(reports: list[ArticleReport], settings: LintSettings) -> str:
    """What `ease` and `grade` measure for the languages of these reports; English alone keeps
    the short form."""
    languages = list(dict.fromkeys(report.lang for report in reports)) or ["en"]
    grade = f"grade: Flesch-Kincaid grade (aim {settings.max_grade:g} or less)"
    if all(primary_language(lang) == "en" for lang in languages):
        return f"ease: Flesch Reading Ease (aim {settings.min_reading_ease:g} or more). {grade}."
    known = [(lang, readability.formula(lang)) for lang in languages]
    named = [f"{formula.name} for {lang} ({formula.scale})" for lang, formula in known if formula]
    unknown = [lang for lang, formula in known if formula is None]
    parts = [f"ease: {'; '.join(named)}; aim {settings.min_reading_ease:g} or more." if named else ""]
    if unknown:
        parts.append(f"No readability formula is known for {', '.join(unknown)}: ease and grade are not shown.")
    return " ".join([*filter(None, parts), f"{grade}, for English only."])


def _row(label: str, cells: tuple[str, ...]) -> str:
    shown = label if columns.width(label) <= _LABEL_WIDTH else columns.wrap(label, _LABEL_WIDTH - 3)[0] + "…"
    return shown + " " * (_LABEL_WIDTH - columns.width(shown)) + "".join(f"{cell:>7}" for cell in cells)


def _cells(counts: Counts) -> tuple[str, ...]:
    prose = counts.prose
    return (
        str(counts.words),
        str(counts.reading_minutes),
        str(prose.sentences),
        _number(prose.average_sentence),
        str(prose.longest_sentence),
        _number(prose.reading_ease),
        _number(prose.grade),
        str(counts.long_sentences),
        str(counts.passive_candidates),
        str(counts.unexplained_jargon),
    )


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def as_json(reports: list[ArticleReport], errors: list[Problem], settings: LintSettings) -> str:
    """Stable JSON: sorted keys, figures rounded to one decimal, no times or machine paths."""
    document = {
        "schema": SCHEMA,
        "settings": dataclasses.asdict(settings),
        "articles": [_article(report) for report in reports],
        "errors": [_problem(problem) for problem in errors],
        "warning_count": sum(len(report.findings) for report in reports),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _article(report: ArticleReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "id": report.article_id,
        "title": report.title,
        "readability_formula": formula.name if (formula := readability.formula(report.lang)) else None,
        "totals": _figures(report.total),
        "parts": [{"part": part.part, "label": part.label, **_figures(part.counts)} for part in report.parts],
        "warnings": [{"rule": finding.rule, "part": finding.part, **_problem(finding.problem)} for finding in report.findings],
    }


def _figures(counts: Counts) -> dict[str, Any]:
    prose = counts.prose
    return {
        "words": counts.words,
        "reading_minutes": counts.reading_minutes,
        "sentences": prose.sentences,
        "syllables": prose.syllables,
        "average_sentence_words": _rounded(prose.average_sentence),
        "longest_sentence_words": prose.longest_sentence,
        "flesch_reading_ease": _rounded(prose.reading_ease),
        "flesch_kincaid_grade": _rounded(prose.grade),
        "long_sentences": counts.long_sentences,
        "passive_candidates": counts.passive_candidates,
        "unexplained_jargon": counts.unexplained_jargon,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _problem(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "column": problem.column, "path": problem.path, "message": problem.message}
