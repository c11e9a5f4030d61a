"""Plain-language figures per language: Fernández Huerta for Spanish, read on
the INFLESZ scale, Kandel-Moles for French, Amstad for German, Flesch for English, and no
figure at all where no formula is known.

The reference figures are textstat 0.7.3's (the last release that runs offline; it counts
syllables with Pyphen, as we do for these languages). textstat rounds the average sentence
length and syllables per word to one decimal before applying a formula, so its scores are
compared on those rounded averages; the counts themselves must be equal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.lint import readability
from pipeline.lint.check import check_article
from pipeline.lint.output import as_json, table
from pipeline.lint.settings import LintSettings
from pipeline.source.validate import load_document
from pipeline.text import sentences

ARTICLES = Path(__file__).parent / "articles" / "lang"

# (lang, text, words, sentences, syllables, textstat's average sentence length and syllables
# per word, textstat's score: fernandez_huerta for es, flesch_reading_ease for the others)
TEXTSTAT = [
    (
        "es",
        "Beba agua a menudo, antes de tener sed. Quédese a la sombra en las horas centrales del día. "
        "Pida ayuda médica enseguida si alguien está confundido.",
        26, 3, 49, 8.7, 1.9, 83.97,
    ),
    (
        "fr",
        "Quand il fait chaud, on transpire plus et on perd de l'eau. Perdre trop d'eau peut causer de la fatigue, "
        "des vertiges ou de la confusion. Les personnes âgées et les jeunes enfants sont les plus exposés.",
        37, 3, 46, 12.3, 1.2, 106.2,
    ),
    (
        "de",
        "Bei Hitze schwitzen wir mehr und verlieren Wasser. Zu viel Wasserverlust kann müde, schwindelig oder "
        "verwirrt machen. Ältere Menschen und kleine Kinder sind besonders gefährdet.",
        25, 3, 47, 8.3, 1.9, 60.55,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "words", "count", "syllables", "asl", "asw", "score"), TEXTSTAT)
def test_figures_agree_with_textstat(lang, text, words, count, syllables, asl, asw, score):
    found = readability.figures(sentences.sentences(text), lang)
    assert (found.words, found.sentences, found.syllables) == (words, count, syllables)
    formula = readability.formula(lang)
    assert formula.base - formula.per_sentence_word * asl - formula.per_word_syllable * asw == pytest.approx(score, abs=0.01)
    assert found.reading_ease == pytest.approx(formula.ease(words, count, syllables))
    assert found.grade is None  # Flesch-Kincaid is for English only


def test_each_language_has_its_formula_and_others_none():
    assert {lang: readability.formula(lang).name for lang in ("en-GB", "es-MX", "fr-CA", "de-AT")} == {
        "en-GB": "Flesch Reading Ease", "es-MX": "Fernández Huerta", "fr-CA": "Kandel-Moles", "de-AT": "Amstad",
    }  # fmt: skip
    assert "INFLESZ" in readability.formula("es").scale
    for lang in ("zh-Hans", "ar", "cy", "hi"):
        assert readability.formula(lang) is None
        assert readability.figures(["Un. Deux trois."], lang).reading_ease is None


def test_reports_name_the_formula_and_say_when_none_is_known():
    settings = LintSettings()
    reports = []
    for lang in ("es", "zh-hans"):
        reports.append(check_article(*load_document(ARTICLES / f"{lang}.yaml"), settings))
    printed = " ".join(table(reports, settings).split())
    assert "Fernández Huerta for es (INFLESZ:" in printed
    assert "No readability formula is known for zh-Hans" in printed
    spanish, chinese = json.loads(as_json(reports, [], settings))["articles"]
    assert spanish["readability_formula"] == "Fernández Huerta" and spanish["totals"]["flesch_kincaid_grade"] is None
    assert spanish["totals"]["flesch_reading_ease"] > 60
    assert chinese["readability_formula"] is None and chinese["totals"]["flesch_reading_ease"] is None
