"""The sentence rules on their own: passive-voice candidates and jargon explanations."""

from __future__ import annotations

import pytest

from pipeline.lint import jargon, passive
from pipeline.lint.settings import LintSettings

TERMS = jargon.glossary(LintSettings())


def unexplained(sentence: str) -> list[str]:
    return [use.term.name for use in jargon.uses(sentence, TERMS) if not use.explained]


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("When this balance is disturbed, muscles tighten.", "is disturbed"),
        ("Symptoms are often reversed with vitamin D.", "are often reversed"),
        ("A doctor should always be consulted.", "be consulted"),
        ("Calcium is found in dairy.", "is found"),
        ("It was quickly given to him.", "was quickly given"),
    ],
)
def test_be_plus_participle_is_a_passive_candidate(sentence, phrase):
    found = passive.candidates(sentence)
    assert [candidate.phrase for candidate in found] == [phrase]
    assert sentence[found[0].start :].startswith(phrase)


@pytest.mark.parametrize(
    "sentence",
    ["Your doctor checks your calcium.", "Magnesium is a vital mineral.", "This is indeed rare.", "Muscles are red."],
)
def test_active_sentences_have_no_passive_candidate(sentence):
    assert passive.candidates(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "A low calcium level (hypocalcemia) can cause cramps.",
        "Hypocalcemia (low blood calcium) can cause cramps.",
        "This is myopathy, or muscle disease.",
        "It can lead to myopathy, a disease of the muscle.",
        "It can lead to a condition called myopathy.",
        "Tetany, which means strong cramps, is rare.",
        "Electrolytes (charged minerals) matter.",
        "Autoimmune diseases (when the body attacks itself) can too.",
    ],
)
def test_a_term_explained_beside_it_passes(sentence):
    assert unexplained(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "terms"),
    [
        ("Hypocalcemia can cause cramps.", ["hypocalcemia"]),
        ("It upsets your electrolyte balance.", ["electrolyte"]),
        ("Conditions such as fibromyalgia or autoimmune diseases hurt.", ["fibromyalgia", "autoimmune"]),
        ("Myopathy is common. It means muscle disease.", ["myopathy"]),
    ],
)
def test_a_term_without_explanation_beside_it_is_reported(sentence, terms):
    assert unexplained(sentence) == terms


def test_plural_and_capitalised_uses_are_found():
    assert [use.term.name for use in jargon.uses("Electrolytes and ELECTROLYTE levels", TERMS)] == ["electrolyte", "electrolyte"]


def test_a_term_inside_a_longer_word_is_not_a_use():
    assert jargon.uses("hypocalcemiac tetanyx", TERMS) == []


def test_projects_add_terms_and_drop_shipped_ones():
    settings = LintSettings(jargon={"Sarcopenia": "loss of muscle with age"}, not_jargon=("electrolyte",))
    names = {term.name for term in jargon.glossary(settings)}
    assert "sarcopenia" in names
    assert "electrolyte" not in names
    assert "myopathy" in names


def test_every_shipped_term_has_a_plain_explanation():
    assert len(TERMS) >= 30
    assert all(term.explanation and term.name == term.name.casefold() for term in TERMS)
