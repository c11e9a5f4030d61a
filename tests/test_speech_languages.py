"""Speech per language: a voice for every test article's language, and
pronunciation tables beside English's."""

from __future__ import annotations

from pathlib import Path

import espeakng_loader
import pytest

from pipeline.source.validate import load_article
from pipeline.speech.narration import voices_for
from pipeline.speech.script import Lexicon

ARTICLES = Path(__file__).parent / "articles" / "lang"
ESPEAK_LANGUAGES = {path.name for path in (Path(espeakng_loader.get_data_path()) / "lang").rglob("*") if path.is_file()}


@pytest.mark.parametrize("source", sorted(ARTICLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_test_language_has_an_espeak_voice(source):
    lang = load_article(source).lang
    assert [voice for voice in voices_for(lang) if voice in ESPEAK_LANGUAGES], f"no espeak-ng voice for {lang}"


@pytest.mark.parametrize(
    ("lang", "written", "spoken"),
    [
        ("es-MX", "Tome 5 mg, p. ej. con 200 mL de agua.", "Tome 5 miligramos, por ejemplo con 200 mililitros de agua."),
        ("es", "Si es < 2 mmol, llame.", "Si es menos de 2 milimoles, llame."),
        ("fr", "Prenez 5 mg, p. ex. avec 200 mL d'eau.", "Prenez 5 milligrammes, par exemple avec 200 millilitres d'eau."),
        ("fr-CA", "Environ 400 UI, c.-à-d. peu.", "Environ 400 unités internationales, c'est-à-dire peu."),
    ],
)
def test_spanish_and_french_have_their_own_pronunciations(lang, written, spoken):
    assert " ".join(Lexicon.for_language(lang).apply(written).split()) == spoken

