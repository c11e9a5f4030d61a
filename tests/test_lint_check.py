"""Checking whole articles: figures per part, and warnings that point at the sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIRST_ARTICLE, MINIMAL
from hypothesis import given
from hypothesis import strategies as st

from pipeline.lint.check import check_article
from pipeline.lint.settings import LintSettings, SettingsError
from pipeline.model import walk
from pipeline.source.limits import Limits
from pipeline.source.load import load
from pipeline.source.validate import load_document
from pipeline.text import sentences, wording

# The minimal article's opening, then every scalar style YAML offers, each holding
# something to warn about.
STYLES = MINIMAL[: MINIMAL.index("sections:\n")] + """\
sections:
  - heading: What helps
    body:
      - >-
        Gentle stretching helps many people. Night cramps are caused by tired
        muscles, and tetany is rare.
      - "Drink water. \\"Hypocalcemia\\" can hurt."
      - list:
          - Stretch your calf muscles.
          - 'It''s fine. Myopathy can hurt too.'
      - |
        Walk around.
        See a doctor if **atrophy** starts.
      - table:
          caption: Simple remedies
          columns: [Remedy, Helps with]
          rows:
            - [Stretching, Muscle loss from sarcopenia]
faq:
  - question: Are night cramps dangerous?
    answer: Usually not. Cramps from dehydration and fibromyalgia are not the same.
references:
  - title: Muscle Cramps and Electrolyte Balance
    url: https://medlineplus.gov/musclecramps.html
disclaimer: This leaflet does not replace advice from your doctor.
published: 2026-01-10
review_due: 2027-01-10
"""


def where(source: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the one place `needle` stands in the source text."""
    assert source.count(needle) == 1, needle
    before = source[: source.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def report_for(path: Path, settings: LintSettings | None = None):
    document, article = load_document(path)
    return check_article(document, article, settings or LintSettings())


def positions(report, rule: str) -> list[tuple[int, int]]:
    return [(finding.problem.line, finding.problem.column) for finding in report.findings if finding.rule == rule]


def test_jargon_warnings_point_at_the_term_in_every_scalar_style(write_source):
    report = report_for(write_source(STYLES))
    assert positions(report, "jargon") == [
        where(STYLES, "tetany"),  # folded block, second line
        where(STYLES, "Hypocalcemia"),  # double-quoted, after an escaped quote
        where(STYLES, "Myopathy"),  # single-quoted, after a doubled quote
        where(STYLES, "atrophy"),  # literal block, inside **strong** markup
        where(STYLES, "sarcopenia]"),  # table cell in a flow sequence
        where(STYLES, "fibromyalgia"),  # plain scalar
    ]
    assert where(STYLES, "tetany") == (12, 22)


def test_escapes_in_a_double_quoted_value_are_read_to_reach_the_term(write_source):
    source = MINIMAL.replace(
        "Gentle stretching helps many people. Drink enough water.",
        '"Caf\\u00e9 talk, then \\"rest\\"\\n. Myopathy\\x21 is rare."',
    )
    report = report_for(write_source(source))
    assert positions(report, "jargon") == [where(source, "Myopathy")]


def test_passive_warning_points_at_the_verb_and_names_the_phrase(write_source):
    report = report_for(write_source(STYLES))
    [finding] = [finding for finding in report.findings if finding.rule == "passive-voice"]
    assert (finding.problem.line, finding.problem.column) == where(STYLES, "are caused")
    assert "'are caused'" in finding.problem.message
    assert finding.problem.path == "sections[0].body[0]"
    assert str(finding).startswith(f"{finding.problem.file}:11:59: warning: sections[0].body[0]: passive voice?")


def test_long_sentence_warning_points_at_the_start_of_the_sentence(write_source):
    report = report_for(write_source(STYLES), LintSettings(max_sentence_words=8))
    found = positions(report, "long-sentence")
    assert found == [where(STYLES, "Night cramps are"), where(STYLES, "Cramps from dehydration"), where(STYLES, "This leaflet")]
    message = next(finding.problem.message for finding in report.findings if finding.rule == "long-sentence")
    assert message.startswith("sentence of 11 words (limit 8): 'Night cramps are caused by tired muscles, and tetany is")


def test_headings_and_references_are_not_checked_for_jargon(write_source):
    source = STYLES.replace("heading: What helps", "heading: Myopathy and what helps")
    report = report_for(write_source(source))
    assert all(not finding.problem.path.endswith(("heading", "title")) for finding in report.findings)


def test_only_the_first_use_in_a_part_needs_the_explanation(write_source):
    source = MINIMAL.replace(
        "Gentle stretching helps many people. Drink enough water.",
        "Low blood calcium (hypocalcemia) is rare. Hypocalcemia can cause cramps.",
    ).replace("Usually not. See a doctor if they are frequent.", "Hypocalcemia can cause cramps.")
    report = report_for(write_source(source))
    assert [(finding.part, finding.problem.path) for finding in report.findings if finding.rule == "jargon"] == [("faq", "faq[0].answer")]


def test_readability_warning_names_the_part_and_its_grade(write_source):
    hard = "Magnesium deficiency impairs physiological muscle relaxation considerably."
    source = MINIMAL.replace("Gentle stretching helps many people. Drink enough water.", hard)
    report = report_for(write_source(source))
    [finding] = [finding for finding in report.findings if finding.rule == "readability"]
    assert finding.part == "1"
    assert (finding.problem.line, finding.problem.column) == where(source, "What helps")
    assert "reads at grade" in finding.problem.message and "(limit 8)" in finding.problem.message


def test_plain_minimal_article_has_no_warnings(write_source):
    report = report_for(write_source(MINIMAL))
    assert report.findings == ()


def test_parts_cover_every_word_once_and_match_the_editions_reading_time():
    document, article = load_document(FIRST_ARTICLE)
    report = check_article(document, article, LintSettings())
    assert [part.part for part in report.parts] == ["front", *(number for number, _s, _d in walk.section_numbers(article)), "faq", "end"]
    every_word = sum(len(sentences.words(value)) for value in walk.article_texts(article))
    assert report.total.words == every_word
    assert report.total.reading_minutes == wording.reading_minutes(article)


def test_readability_counts_running_text_only(write_source):
    report = report_for(write_source(MINIMAL))
    front = report.parts[0]
    # Summary (2 sentences, 7 words) and the key point text (1 sentence, 5 words); not the titles.
    assert (front.counts.prose.sentences, front.counts.prose.words) == (3, 12)
    assert front.counts.words == 4 + 7 + 1 + 5


def test_settings_come_from_pyproject(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.pipeline.lint]\nmax_grade = 6\nmax_sentence_words = 20\npassive_voice = false\nnot_jargon = ["tetany"]\n'
        '[tool.pipeline.lint.jargon]\nsarcopenia = "loss of muscle with age"\n',
        encoding="utf-8",
    )
    settings = LintSettings.from_project(pyproject)
    assert settings == LintSettings(6.0, 60.0, 20, False, {"sarcopenia": "loss of muscle with age"}, ("tetany",))
    assert LintSettings.from_project(tmp_path / "missing.toml") == LintSettings()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("max_grade = 'eight'", "max_grade: expected a number, found 'eight'"),
        ("max_sentence_words = 0", "max_sentence_words: expected a whole number above 0"),
        ("max_grades = 8", "unknown key 'max_grades': did you mean 'max_grade'?"),
        ("passive_voice = 1", "passive_voice: expected true or false"),
    ],
)
def test_a_wrong_setting_is_refused_with_its_name(tmp_path, line, expected):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f"[tool.pipeline.lint]\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="tool.pipeline.lint") as error:
        LintSettings.from_project(pyproject)
    assert expected in str(error.value)


@given(st.text(alphabet="ab .!?\n*[]()\"'AZ1é", max_size=40))
def test_located_sentences_are_the_sentences_and_each_character_points_back_at_itself(value):
    located = sentences.located_sentences(value)
    assert [sentence.text for sentence in located] == sentences.sentences(value)
    for sentence in located:
        assert len(sentence.origins) == len(sentence.text)
        assert all(value[origin] == char for origin, char in zip(sentence.origins, sentence.text) if char != " ")


def test_every_sentence_of_the_first_article_is_located_at_its_first_word():
    document = load(FIRST_ARTICLE, Limits())
    _document, article = load_document(FIRST_ARTICLE)
    lines = FIRST_ARTICLE.read_text(encoding="utf-8").split("\n")
    for item in walk.source_texts(article):
        for sentence in sentences.located_sentences(item.value):
            line, column = document.text_position(item.location, sentence.start)
            assert lines[line - 1][column - 1 :].startswith(sentence.text.split()[0]), (item.location, sentence.text)
