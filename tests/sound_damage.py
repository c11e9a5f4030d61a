"""Damage to a recording's sound alone: functions of its samples, and writing the MP3 again
behind its ID3 tag as it was, so that only what a listener hears differs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import miniaudio
import numpy as np
from mutagen.id3 import ID3

from pipeline.renderers import _mp3
from pipeline.verify.checks.webvtt import Cue

RATE = 22050
"""The narration's sample rate."""


def rewrite_sound(path: Path, change: Callable[[np.ndarray], np.ndarray]) -> None:
    """Decode, change the samples, encode again (lameenc, with the LAME tag that keeps every
    time exact) behind the ID3 tag exactly as it was: only the sound differs."""
    data = path.read_bytes()
    tag = data[: ID3(path).size]
    decoded = miniaudio.mp3_read_file_s16(str(path))
    samples = np.frombuffer(decoded.samples, dtype=np.int16)
    changed = change(samples).astype(np.int16)
    assert len(changed) == len(samples)
    path.write_bytes(tag + _mp3.encode([changed.tobytes()], decoded.sample_rate))


def at(ms: int) -> int:
    return ms * RATE // 1000


def duration(cue: Cue) -> int:
    return cue.end_ms - cue.start_ms


def reversed_sound(samples: np.ndarray) -> np.ndarray:
    return samples[::-1]


def hum(samples: np.ndarray) -> np.ndarray:
    """A 120 Hz hum with two harmonics, as loud as speech, as long as the recording."""
    time = np.arange(len(samples)) / RATE
    wave = sum(np.sin(2 * np.pi * 120 * harmonic * time) / harmonic for harmonic in (1, 2, 3))
    return (wave * 6000).astype(np.int16)


def silenced(start_ms: int, end_ms: int) -> Callable[[np.ndarray], np.ndarray]:
    def change(samples: np.ndarray) -> np.ndarray:
        quiet = samples.copy()
        quiet[at(start_ms) : at(end_ms)] = 0
        return quiet

    return change


def swapped(first: Cue, second: Cue) -> Callable[[np.ndarray], np.ndarray]:
    """The sounds of two cues, `first` before `second`, change places; the rest stays in place."""

    def change(samples: np.ndarray) -> np.ndarray:
        one, between, two = (samples[at(a) : at(b)] for a, b in ((first.start_ms, first.end_ms), (first.end_ms, second.start_ms), (second.start_ms, second.end_ms)))
        return np.concatenate([samples[: at(first.start_ms)], two, between, one, samples[at(second.end_ms) :]])

    return change


def shifted(seconds: float) -> Callable[[np.ndarray], np.ndarray]:
    """Everything said `seconds` later: silence before, the end cut off."""

    def change(samples: np.ndarray) -> np.ndarray:
        delay = round(seconds * RATE)
        return np.concatenate([np.zeros(delay, dtype=np.int16), samples[:-delay]])

    return change


def said_instead(cue: Cue, other: Cue) -> Callable[[np.ndarray], np.ndarray]:
    """`cue`'s span says `other`'s sentence (as much of it as fits, then silence)."""

    def change(samples: np.ndarray) -> np.ndarray:
        sound = samples[at(other.start_ms) : at(other.end_ms)][: at(cue.end_ms) - at(cue.start_ms)]
        changed = samples.copy()
        changed[at(cue.start_ms) : at(cue.end_ms)] = 0
        changed[at(cue.start_ms) : at(cue.start_ms) + len(sound)] = sound
        return changed

    return change


