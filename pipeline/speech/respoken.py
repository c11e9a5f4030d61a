"""Each sentence of a script spoken again, alone: the sound a recording should hold for it.

Spoken exactly as the narration is (`pipeline.speech.synthesis`: one chunk per chapter, the same
workers, voice and rate) and cut at each sentence's first word as the narration is cut
(`narration.unit_starts`), so a sentence sounds as it does in a faithful recording, without
the pauses the narration adds between sentences. Nothing is cached: a check must hear the
voice itself.
"""

from __future__ import annotations

import tempfile
import wave
from pathlib import Path

import numpy as np

from pipeline.speech import narration, synthesis
from pipeline.speech.script import Script


def sentences_spoken(script: Script, voice: str | None, rate: int) -> list[np.ndarray]:
    """16-bit mono PCM at `narration.SAMPLE_RATE` for each of `script.units`, in order.

    Raises synthesis.SynthesisError when speech cannot be made."""
    voices = [voice] if voice else narration.voices_for(script.lang)
    with tempfile.TemporaryDirectory(prefix="pipeline-respoken-") as work:
        _voice, chunks = synthesis.synthesise(script, voices, rate, Path(work))
        return [sound for chunk in chunks for sound in _cut(chunk)]


def _cut(chunk: synthesis.Chunk) -> list[np.ndarray]:
    with wave.open(str(chunk.wav), "rb") as reader:
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    starts = narration.unit_starts(chunk.offsets, chunk.words, len(samples))
    return [samples[start:end] for start, end in zip(starts, [*starts[1:], len(samples)])]
