"""Readability figures against values worked out by hand, and against textstat's."""

from __future__ import annotations

import pytest

from pipeline.lint.readability import Figures, figures, syllables
from pipeline.text import sentences

# Syllables counted by hand (and matching the CMU Pronouncing Dictionary).
HAND_COUNTED = {
    "cat": 1,
    "the": 1,
    "make": 1,
    "causes": 2,
    "caused": 1,
    "needed": 2,
    "muscle": 2,
    "muscles": 2,
    "files": 1,
    "water": 2,
    "calcium": 3,
    "magnesium": 4,
    "hypocalcemia": 6,
    "relaxation": 4,
    "deficiency": 4,
    "radio": 3,
    "science": 2,
    "being": 2,
    "actual": 3,
    "rarely": 2,
    "typically": 3,
    "fatigue": 2,
    "spasm": 2,
    "special": 2,
    "differentiate": 5,
    "people": 2,
    "doesn't": 2,
    "delayed-onset": 4,
    "12": 1,
}


@pytest.mark.parametrize(("word", "count"), sorted(HAND_COUNTED.items()))
def test_syllables_match_hand_counts(word, count):
    assert syllables(word) == count


def test_curly_apostrophe_counts_like_a_straight_one():
    assert syllables("doesn’t") == syllables("doesn't") == 2


def test_short_plain_text_figures_match_hand_computation():
    # 9 words, 2 sentences, 10 syllables (the cat sat on the mat / it was hap-py).
    found = figures(sentences.sentences("The cat sat on the mat. It was happy."))
    assert (found.words, found.sentences, found.syllables, found.longest_sentence) == (9, 2, 10, 6)
    assert found.average_sentence == 4.5
    # 206.835 - 1.015 * 9/2 - 84.6 * 10/9 = 108.2675; 0.39 * 9/2 + 11.8 * 10/9 - 15.59 = -0.7239
    assert found.reading_ease == pytest.approx(108.2675)
    assert found.grade == pytest.approx(-0.72389, abs=1e-4)


def test_long_words_give_a_high_grade_as_computed_by_hand():
    # mag-ne-si-um de-fi-cien-cy im-pairs mus-cle re-lax-a-tion: 5 words, 16 syllables.
    found = figures(["Magnesium deficiency impairs muscle relaxation."])
    assert (found.words, found.syllables) == (5, 16)
    assert found.reading_ease == pytest.approx(206.835 - 1.015 * 5 - 84.6 * 16 / 5)  # -68.96
    assert found.grade == pytest.approx(0.39 * 5 + 11.8 * 16 / 5 - 15.59)  # 24.12


def test_no_sentences_give_no_scores_rather_than_a_division_error():
    empty = figures([])
    assert (empty.reading_ease, empty.grade, empty.average_sentence) == (None, None, None)


def test_figures_add_up_and_keep_the_longest_sentence():
    total = Figures(10, 2, 14, 6) + Figures(5, 1, 9, 5)
    assert total == Figures(15, 3, 23, 6)


# Figures from textstat 0.7.13 (syllables from the CMU Pronouncing Dictionary 1.1.3):
# (text, Flesch Reading Ease, Flesch-Kincaid grade).
TEXTSTAT = [
    (
        "Magnesium is essential for muscle relaxation. Its deficiency can lead to excessive calcium entering "
        "muscle cells, causing prolonged muscle contraction, tightness, and painful cramps or spasms.",
        21.19,
        13.53,
    ),
    (
        "Magnesium sources include leafy greens, nuts, seeds, legumes, and whole grains. Calcium is found in dairy, "
        "fortified cereals, and dark leafy greens. Vitamin D is primarily from sun exposure, but also fatty fish, "
        "egg yolks, and fortified foods.",
        51.49,
        9.22,
    ),
    ("Stretch your calves before bed. Drink a glass of water. If the cramps wake you every night, see your doctor.", 94.32, 1.76),
]


@pytest.mark.parametrize(("value", "ease", "grade"), TEXTSTAT)
def test_scores_agree_with_textstat_within_a_few_points(value, ease, grade):
    found = figures(sentences.sentences(value))
    assert found.reading_ease == pytest.approx(ease, abs=3)
    assert found.grade == pytest.approx(grade, abs=0.5)
