"""Text rules per language: sentence ends, words, full stops, reading time,
text direction, and the text edition's columns."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from pipeline.model.walk import article_texts
from pipeline.renderers.text import to_text
from pipeline.source.validate import load_article
from pipeline.speech.script import script_for
from pipeline.text import columns, language, sentences, wording

ARTICLES = Path(__file__).parent / "articles" / "lang"
DOUBLED_END = re.compile("[。！？؟۔।.!?][.。]")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("天气炎热时，我们出汗更多。失水过多会让人疲倦！老年人呢？好", ["天气炎热时，我们出汗更多。", "失水过多会让人疲倦！", "老年人呢？", "好"]),
        ("शरीर पानी खोता है। पानी पिएँ।", ["शरीर पानी खोता है।", "पानी पिएँ।"]),
        ("শরীর পানি হারায়। পানি পান করুন।", ["শরীর পানি হারায়।", "পানি পান করুন।"]),
        ("جسم پانی کھو دیتا ہے۔ پانی پییں۔", ["جسم پانی کھو دیتا ہے۔", "پانی پییں۔"]),
        ("هل يحتسب الشاي؟ نعم، لكن الماء أفضل.", ["هل يحتسب الشاي؟", "نعم، لكن الماء أفضل."]),
        ("Sí, cuentan. ¿Y el café? ¡Claro! Bebe agua.", ["Sí, cuentan.", "¿Y el café?", "¡Claro!", "Bebe agua."]),
        ("Take 2.5 mg, e.g. at night. Then rest.", ["Take 2.5 mg, e.g. at night.", "Then rest."]),
    ],
)
def test_sentences_end_at_each_scripts_full_stop(value, expected):
    assert sentences.sentences(value) == expected


def test_words_keep_their_vowel_signs_and_han_characters_count_one_by_one():
    assert sentences.words("पानी क्यों ज़रूरी है") == ["पानी", "क्यों", "ज़रूरी", "है"]
    assert sentences.words("মাথা ঘোরা") == ["মাথা", "ঘোরা"]
    assert sentences.words("مزيداً من الماء") == ["مزيداً", "من", "الماء"]
    assert sentences.words("多喝水 (water)") == ["多", "喝", "水", "water"]


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("请多喝水", "zh-Hans", "请多喝水。"),
        ("请多喝水。", "zh", "请多喝水。"),
        ("喝茶也算吗？", "", "喝茶也算吗？"),
        ("颜色", "", "颜色。"),
        ("پانی پییں", "ur", "پانی پییں۔"),
        ("مدد کب لیں", "", "مدد کب لیں۔"),  # ں is Urdu's own letter; Persian ends with "."
        ("पानी पिएँ", "hi", "पानी पिएँ।"),
        ("রং", "", "রং।"),
        ("شرب الماء", "ar", "شرب الماء."),
        ("هل يحتسب؟", "ar", "هل يحتسب؟"),
        ("“Drink water.”", "en", "“Drink water.”"),
        ("Magnesium", "", "Magnesium."),
    ],
)
def test_end_sentence_adds_the_languages_full_stop_and_never_a_second(value, lang, expected):
    assert sentences.end_sentence(value, lang) == expected


@pytest.mark.parametrize("lang", ["zh-hans", "ur", "hi", "bn", "pa", "ar", "es"])
def test_text_edition_and_transcript_never_double_a_sentence_end(lang):
    article = load_article(ARTICLES / f"{lang}.yaml")
    transcript = [unit.written for unit in script_for(article).units]
    assert [line for line in [*to_text(article).splitlines(), *transcript] if DOUBLED_END.search(line)] == []


def test_chinese_reading_time_counts_characters():
    article = load_article(ARTICLES / "zh-hans.yaml")
    han = sum(len(re.findall(f"[{sentences.HAN}]", item)) for item in article_texts(article))
    assert han > 200
    assert wording.reading_minutes(article) == max(1, math.ceil(han / wording.CHARACTERS_PER_MINUTE))
    assert wording.minutes_to_read(0, 600) == 3  # a sentence is no longer one "word"
    assert wording.minutes_to_read(400, 255) == 3


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"), ("ur", "rtl"), ("ur-PK", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("yi", "rtl"),
        ("ku-Arab", "rtl"), ("pa-Arab", "rtl"), ("az-Arab-IR", "rtl"), ("uz-Arab", "rtl"),
        ("ar-Latn", "ltr"), ("en", "ltr"), ("pa", "ltr"), ("zh-Hans", "ltr"), ("hi", "ltr"), ("he-x-test", "rtl"),
    ],
)
def test_direction_follows_the_script_subtag_else_the_language(tag, direction):
    assert language.direction(tag) == direction


def test_text_edition_wraps_chinese_by_columns():
    paragraph = "天气炎热时，我们出汗更多，身体会失去水分。失水过多会让人感到疲倦、头晕或意识混乱。" * 3
    lines = columns.wrap(paragraph, 72, "- ", "  ")
    assert len(lines) > 1 and all(columns.width(line) <= 72 for line in lines)
    assert not any(line.strip()[0] in "，。、" for line in lines)  # punctuation never starts a line
    assert "".join(line[2:] for line in lines) == paragraph
    text = to_text(load_article(ARTICLES / "zh-hans.yaml")).splitlines()
    heading = text.index("1. 为什么水很重要")
    assert text[heading + 1] == "-" * columns.width("1. 为什么水很重要")
