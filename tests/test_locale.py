"""The catalogues of the words the pipeline adds: complete, placeholders intact, CLDR plurals,
closest-match negotiation, English fallback with a warning, CLDR long dates."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

import pipeline
from pipeline.locale import CATALOGUE_FILES, available, catalogue_for, language_warning
from pipeline.locale.catalogue import _catalogue, plural_categories
from pipeline.text import labels

LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "pl", "ro", "cy", "ar", "ur", "hi", "bn", "pa", "zh-Hans")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PUBLISHED = dt.date(2026, 5, 10)


def catalogue(lang: str) -> Catalog:
    return _catalogue(available()[lang])


def placeholders(value: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(value))


def entries(lang: str) -> dict[tuple[str, str | None], object]:
    return {(message.id if isinstance(message.id, str) else message.id[0], message.context): message for message in catalogue(lang) if message.id}


def test_the_fifteen_languages_have_a_catalogue():
    assert sorted(available()) == sorted(LANGUAGES)
    assert len(CATALOGUE_FILES) == len(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_translates_every_message_with_its_placeholders(lang):
    english, translated = entries("en"), entries(lang)
    assert sorted(translated, key=str) == sorted(english, key=str), "the catalogue's messages differ from the English catalogue's"
    forms = len(plural_categories(lang))
    for key, message in translated.items():
        assert not message.fuzzy, f"{lang}: {key} is marked fuzzy"
        if isinstance(message.id, tuple):
            assert isinstance(message.string, tuple) and len(message.string) == forms, f"{lang}: {key} needs {forms} plural forms"
            wanted = placeholders(message.id[1])
            strings = message.string
        else:
            wanted = placeholders(message.id)
            strings = (message.string,)
        for string in strings:
            assert string, f"{lang}: {key} is not translated"
            assert placeholders(string) == wanted, f"{lang}: {string!r} changes the placeholders of {key}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_catalogue_is_a_translation_not_a_copy_of_english(lang):
    """A message the same as the English needs a translator's note saying so (German 'Link')."""
    for key, message in entries(lang).items():
        words_outside_placeholders = re.search(r"[^\W\d_]", PLACEHOLDER.sub("", key[0]))
        if message.string == message.id and words_outside_placeholders:
            assert any("Same in" in comment for comment in message.user_comments), f"{lang}: {key[0]!r} is left in English"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_header_follows_cldr(lang):
    """Translators' tools read the Plural-Forms header: it must pick the form CLDR picks."""
    header = catalogue(lang).plural_forms
    count, expression = re.fullmatch(r"nplurals=(\d+); plural=(.*);", header).groups()
    categories = plural_categories(lang)
    assert int(count) == len(categories)
    choose = gettext.c2py(expression)
    rule = catalogue_for(lang).locale.plural_form
    for n in [*range(0, 1001), 1_000_000]:
        assert categories[choose(n)] == rule(n), f"{lang}: Plural-Forms picks {categories[choose(n)]} for {n}, CLDR says {rule(n)}"


@pytest.mark.parametrize(
    ("lang", "catalogue_lang", "date"),
    [
        ("en", "en", "May 10, 2026"),
        ("en-GB", "en", "10 May 2026"),
        ("es", "es", "10 de mayo de 2026"),
        ("es-MX", "es", "10 de mayo de 2026"),
        ("fr", "fr", "10 mai 2026"),
        ("de", "de", "10. Mai 2026"),
        ("pl", "pl", "10 maja 2026"),
        ("cy", "cy", "10 Mai 2026"),
        ("zh-Hans", "zh-Hans", "2026年5月10日"),
        ("zh-CN", "zh-Hans", "2026年5月10日"),
        ("zh-hans-cn", "zh-Hans", "2026年5月10日"),
        ("pa", "pa", "10 ਮਈ 2026"),
        ("pa-Guru", "pa", "10 ਮਈ 2026"),
        ("pt-PT", "pt", "10 de maio de 2026"),
    ],
)
def test_closest_catalogue_and_the_long_date_of_the_articles_own_locale(lang, catalogue_lang, date):
    words = catalogue_for(lang)
    assert (words.lang, words.fallback, words.date(PUBLISHED)) == (catalogue_lang, False, date)
    assert language_warning(lang) is None


@pytest.mark.parametrize("lang", ["sw", "zh-TW", "zh-Hant", "pa-Arab", "tlh", "ja"])
def test_language_without_a_catalogue_falls_back_to_english_with_a_warning(lang):
    words = catalogue_for(lang)
    assert (words.lang, words.fallback, words.requested) == ("en", True, lang)
    assert words.gettext("Summary") == "Summary"
    assert words.date(PUBLISHED) == "May 10, 2026"
    warning = language_warning(lang)
    assert f"lang '{lang}'" in warning and "English" in warning and "pipeline/locale/" in warning


def test_warning_names_the_language_in_english():
    assert "(Swahili)" in language_warning("sw")


@pytest.mark.parametrize(
    ("lang", "minutes", "expected"),
    [
        ("en", 1, "Reading time: about 1 minute."),
        ("en", 2, "Reading time: about 2 minutes."),
        ("es", 1, "Tiempo de lectura: 1 minuto aproximadamente."),
        ("es", 4, "Tiempo de lectura: 4 minutos aproximadamente."),
        ("pl", 1, "Czas czytania: około 1 minuty."),
        ("pl", 3, "Czas czytania: około 3 minut."),
        ("ro", 2, "Timp de citire: aproximativ 2 minute."),
        ("ro", 20, "Timp de citire: aproximativ 20 de minute."),
        ("ar", 2, "مدة القراءة: 2 دقيقتان تقريبًا."),
        ("ar", 5, "مدة القراءة: 5 دقائق تقريبًا."),
        ("ar", 11, "مدة القراءة: 11 دقيقة تقريبًا."),
        ("zh-Hans", 3, "阅读时间：约3分钟。"),
    ],
)
def test_reading_time_takes_the_languages_plural_form(lang, minutes, expected):
    assert catalogue_for(lang).reading_time(minutes) == expected


def test_markup_escapes_the_translation_and_keeps_the_given_html():
    words = catalogue_for("fr")
    html = words.markup("Published {published}. Review due {review}.", published="<time>a</time>", review="<time>b</time>")
    assert html == "Publié le <time>a</time>. Prochaine révision\u00a0: <time>b</time>."


def test_a_missing_value_for_a_placeholder_is_a_clear_error():
    with pytest.raises(KeyError, match=r"\{minutes\}"):
        catalogue_for("es").ngettext("Reading time: about {minutes} minute.", "Reading time: about {minutes} minutes.", 2)


def _messages_in_code() -> set[tuple[str, str | None]]:
    """Every message the pipeline's code asks the catalogue for: the calls `pybabel extract`
    finds, and the words of the template and the library page, which `labels.translated` looks
    up by context from the tables of `pipeline/text/labels.py`."""
    from babel.messages.extract import extract_from_dir

    keywords = {"gettext": None, "markup": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    found = extract_from_dir(str(Path(pipeline.__file__).parent), method_map=[("**.py", "python")], keywords=keywords)
    template = [text for kind in ("Article", "KeyPoint", "Section", "BulletList", "FaqEntry", "Reference") for text in labels.KEYS[kind].values()]
    template += [labels.TEMPLATE_HEADER, labels.TABLE_EXAMPLE, *(text for text in labels.PLACEHOLDERS.values() if text not in labels.UNTRANSLATED)]
    library = [*labels.LIBRARY.values(), *labels.FORMATS.values(), *labels.FILES.values()]
    return {
        *((message if isinstance(message, str) else message[0], context) for _file, _line, message, _comments, context in found),
        *((text, labels.TEMPLATE) for text in template),
        *((text, labels.LIBRARY_PAGE) for text in library),
    }


def test_code_and_catalogue_hold_the_same_messages():
    """Every word the code asks for is in the catalogues, and the catalogues hold no word the
    code no longer uses; also proves `pybabel extract` sees every call (none hides in an f-string)."""
    in_code, in_catalogue = _messages_in_code(), set(entries("en"))
    assert in_code - in_catalogue == set(), "asked for but not in the catalogues"
    assert in_catalogue - in_code == set(), "in the catalogues but never asked for"


def test_a_catalogue_lacking_messages_is_warned_of_and_its_words_stay_english(tmp_path, monkeypatch):
    from pipeline.locale import catalogue as module

    partial = tmp_path / "sw" / "LC_MESSAGES" / "pipeline.po"
    partial.parent.mkdir(parents=True)
    partial.write_text('msgid ""\nmsgstr ""\n"Language: sw\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "Summary"\nmsgstr "Muhtasari"\n', "utf-8")
    shipped = module.catalogue_path
    monkeypatch.setattr(module, "CATALOGUE_FILES", (*CATALOGUE_FILES, partial))
    monkeypatch.setattr(module, "catalogue_path", lambda folder: partial if folder == "sw" else shipped(folder))
    for cached in (module.available, module.catalogue_for, module._catalogue):
        cached.cache_clear()
    try:
        words = module.catalogue_for("sw")
        assert (words.lang, words.fallback, words.gettext("Summary"), words.gettext("Key points")) == ("sw", False, "Muhtasari", "Key points")
        assert "lacks" in module.language_warning("sw") and "'Key points'" in module.language_warning("sw")
    finally:
        for cached in (module.available, module.catalogue_for, module._catalogue):
            cached.cache_clear()



_VERBATIM = re.compile(r"`[^`]+`|<<\.\.\.>>|\{\w+: (?:\{[^}]*\}|[^{}])*\}|https://|YYYY-MM-DD|BCP 47")
"""What a template comment names that the author types as it is: commands, YAML examples, formats."""


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_template_comments_keep_what_the_author_types_as_it_is(lang):
    for (message_id, context), message in entries(lang).items():
        if context == labels.TEMPLATE:
            for verbatim in _VERBATIM.findall(message_id):
                assert verbatim in message.string, f"{lang}: {message.string!r} lost {verbatim!r}"
