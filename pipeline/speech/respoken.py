"""What a faithful recording of an article says, text by text of its transcript: each text
spoken again in the narration's voice and rate, for a check to compare with the recording.

The article's script is spoken exactly as the narration is (`pipeline.speech.synthesis`: one
chunk per chapter, the same workers) and cut at each sentence's first word as the narration
is cut (`narration.unit_starts`): espeak-ng gives the same samples for the same chunks in the
same order, so each sentence sounds as in the recording, less the pauses added between
sentences. A transcript text is one sentence of the script or several joined (a sentence
without words joins its neighbour); a text the script does not hold (an edited transcript)
is spoken apart, afterwards, so that it cannot change how the others sound (espeak-ng's pitch
flutter runs on from one text to the next). Nothing is cached: a check must hear the voice.
"""

from __future__ import annotations

import tempfile
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.model import Article
from pipeline.speech import narration, synthesis
from pipeline.speech.script import Lexicon, Script, Unit, script_for, spoken
from pipeline.text import wording


@dataclass(frozen=True)
class Expected:
    """What one transcript text should sound like, and the script's chapter it belongs to
    (for a text the script does not hold, the chapter of the text before)."""

    chapter: int
    sound: np.ndarray
    """16-bit mono PCM at `narration.SAMPLE_RATE`."""


def expected_sounds(article: Article, texts: list[str], voice: str | None, rate: int) -> tuple[Script, list[Expected]]:
    """The article's script, and the sound each of `texts` should have, in order.

    Raises synthesis.SynthesisError when speech cannot be made."""
    script = script_for(article)
    places = [*_places(script.units, texts)]
    sounds = sentences_spoken(script, voice, rate)
    lexicon, words = Lexicon.for_language(article.lang), wording.words_for(article)
    strays = [Unit(0, text, spoken(text, lexicon, words)) for text, place in zip(texts, places) if place is None]
    apart = iter(sentences_spoken(Script(script.lang, ("",), tuple(strays)), voice, rate) if strays else [])
    expected: list[Expected] = []
    for place in places:
        if place is None:
            expected.append(Expected(expected[-1].chapter if expected else 0, next(apart)))
        else:
            expected.append(Expected(script.units[place.start].chapter, np.concatenate([sounds[index] for index in place])))
    return script, expected


def _places(units: tuple[Unit, ...], texts: list[str]) -> Iterator[range | None]:
    """For each text, the script's sentences it holds, each found after the text before's."""
    position = 0
    for text in texts:
        place = _sentences_of(text, units, position)
        position = place.stop if place else position
        yield place


def _sentences_of(text: str, units: tuple[Unit, ...], position: int) -> range | None:
    """The first run of units from `position` on whose written sentences, joined, are `text`."""
    for start in range(position, len(units)):
        end, joined = start, ""
        while end < len(units) and len(joined) < len(text):
            joined = f"{joined} {units[end].written}".strip()
            end += 1
        if joined == text:
            return range(start, end)
    return None


def sentences_spoken(script: Script, voice: str | None, rate: int) -> list[np.ndarray]:
    """16-bit mono PCM at `narration.SAMPLE_RATE` for each of `script.units`, in order, spoken
    and cut as the narration is; a sentence without words gets no samples."""
    voices = [voice] if voice else narration.voices_for(script.lang)
    with tempfile.TemporaryDirectory(prefix="pipeline-respoken-") as work:
        _voice, chunks = synthesis.synthesise(script, voices, rate, Path(work))
        return [sound for chunk in chunks for sound in _cut(chunk)]


def _cut(chunk: synthesis.Chunk) -> list[np.ndarray]:
    with wave.open(str(chunk.wav), "rb") as reader:
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    starts = narration.unit_starts(chunk.offsets, chunk.words, len(samples))
    return [samples[start:end] for start, end in zip(starts, [*starts[1:], len(samples)])]
