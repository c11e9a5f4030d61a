"""The script for the ear: structure announced, every sentence kept, nothing unspeakable spoken."""

from __future__ import annotations

from conftest import FIRST_ARTICLE, MINIMAL
from output_checks import article_sentences

from pipeline.locale import catalogue_for
from pipeline.source.validate import load_article
from pipeline.speech.script import BLOCK_PAUSE, CHAPTER_PAUSE, Lexicon, Script, script_for, spoken
from pipeline.text import sentences


def minimal_script(write_source, source: str = MINIMAL) -> Script:
    return script_for(load_article(write_source(source)))


def test_script_announces_structure_in_reading_order(write_source):
    written = [unit.written for unit in minimal_script(write_source).units]
    expected_in_order = [
        "Leg cramps at night.",
        "This recording is for information only and does not replace advice from a health professional.",
        "Reading time: about 1 minute.",
        "Summary.",
        "Key points.",
        "Stretch.",
        "Section 1. What helps.",
        "Stretch your calf muscles.",
        "Table: Simple remedies.",
        "The table has 2 columns: Remedy, How often.",
        "Stretching.",
        "How often: Every evening.",
        "Section 1.1. When to see a doctor.",
        "Question: Are night cramps dangerous?",
        "Answer: Usually not.",
        "Muscle Cramps.",
        "Published by MedlinePlus.",
        "Medical disclaimer.",
        "This leaflet does not replace advice from your doctor.",
    ]
    positions = [written.index(line) for line in expected_in_order]
    assert positions == sorted(positions)
    assert written[-1] == "This leaflet does not replace advice from your doctor."


def test_chapters_are_opening_key_points_each_top_level_section_faq_references_disclaimer(write_source):
    script = minimal_script(write_source)
    assert script.chapters == (
        "Leg cramps at night",
        "Key points",
        "1. What helps",
        "Questions and answers",
        "References",
        "Medical disclaimer",
    )
    chapters = [unit.chapter for unit in script.units]
    assert chapters == sorted(chapters) and set(chapters) == set(range(len(script.chapters)))


def test_pauses_follow_blocks_and_chapters_but_not_the_last_word(write_source):
    units = minimal_script(write_source).units
    ends_of_chapters = [unit for unit, following in zip(units, units[1:]) if following.chapter != unit.chapter]
    assert all(unit.pause == CHAPTER_PAUSE for unit in ends_of_chapters)
    heading = next(unit for unit in units if unit.written == "Section 1. What helps.")
    assert heading.pause == BLOCK_PAUSE
    first_of_two = next(unit for unit in units if unit.written == "Gentle stretching helps many people.")
    assert first_of_two.pause == 0
    assert units[-1].pause == 0


def test_every_sentence_of_the_source_is_in_the_written_script():
    article = load_article(FIRST_ARTICLE)
    written = sentences.fold_space(" ".join(unit.written for unit in script_for(article).units))
    missing = [sentence for sentence in article_sentences(article) if sentence not in written]
    assert missing == []


def test_web_addresses_are_never_spoken(write_source):
    source = MINIMAL.replace("Drink enough water.", "Read https://medlineplus.gov/musclecramps.html today.")
    units = minimal_script(write_source, source).units
    spoken = " ".join(unit.spoken for unit in units)
    assert "http" not in spoken and "medlineplus.gov" not in spoken
    assert "Read the web address in the transcript today." in spoken
    assert "Read https://medlineplus.gov/musclecramps.html today." in [unit.written for unit in units]


def test_lexicon_fixes_pronunciation_in_spoken_text_only(write_source):
    sentence = "Take 400 IU or 10 mg, e.g. with food, as NIH advises; mgmt stays."
    units = minimal_script(write_source, MINIMAL.replace("Drink enough water.", sentence)).units
    unit = next(unit for unit in units if unit.written == sentence)
    assert unit.spoken == "Take 400 international units or 10 milligrams, for example with food, as N I H advises; mgmt stays."


def test_lexicon_is_chosen_by_language_and_reads_symbols():
    assert spoken("under <5 mg", Lexicon.for_language("en-GB"), catalogue_for("en-GB")) == "under less than 5 milligrams"
    assert spoken("weniger als 5 mg", Lexicon.for_language("de"), catalogue_for("de")) == "weniger als 5 mg"  # no German table yet


def test_espeak_markup_in_the_source_is_made_inert(write_source):
    hostile = "Say <break time=\"30s\"/> [[h@l'oU]] <prosody rate=\"x-slow\">slowly</prosody> now."
    units = minimal_script(write_source, MINIMAL.replace("Drink enough water.", hostile)).units
    unit = next(unit for unit in units if unit.written == hostile)
    assert "<" not in unit.spoken and ">" not in unit.spoken and "[[" not in unit.spoken and "]]" not in unit.spoken
    assert "break time" in unit.spoken and "slowly" in unit.spoken


def test_a_one_column_table_is_announced_as_having_one_column(write_source):
    source = MINIMAL.replace("columns: [Remedy, How often]", "columns: [Remedy]").replace("[Stretching, Every evening]", "[Stretching]")
    written = [unit.written for unit in minimal_script(write_source, source).units]
    assert "The table has 1 column: Remedy." in written


def test_column_names_are_read_as_written_never_parsed_again_as_one_run_of_markup(write_source):
    source = MINIMAL.replace("columns: [Remedy, How often]", 'columns: ["Remedy *a", "b* often"]')
    written = [unit.written for unit in minimal_script(write_source, source).units]
    assert "The table has 2 columns: Remedy *a, b* often." in written
