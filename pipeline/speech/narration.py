"""The narration of a script: one WAV plus where each sentence and chapter starts and ends.

Synthesised once per script (its spoken words and pauses), voice, rate and engine version,
and kept in the article's cache folder, so the MP3 and a read-along e-book share one
recording and never pay for synthesis twice. A file lock makes a second process wait for
the first one's recording instead of making its own; files appear by atomic rename only
(the WAV first, then the index that vouches for it).

Synthesis (`pipeline.speech.synthesis`): one chunk of text per chapter, spoken by pyttsx3 in child
processes. espeak-ng reports the text position and sample of every word; a sentence starts at its first word (the silence before it belongs to the sentence
before), so cutting there is clean, and the script's extra pauses are inserted as digital
silence at those cuts. All offsets are exact sample counts of the final WAV.
"""

from __future__ import annotations

import bisect
import fcntl
import hashlib
import json
import os
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from pipeline.atomic import scratch_folder, write_atomically
from pipeline.code_digest import code_digest
from pipeline.speech import synthesis
from pipeline.speech.script import Script

FORMAT = "1"
"""Version of the cached files' layout (the code that makes them is part of the key anyway)."""
DEFAULT_RATE = 170
"""espeak-ng's rate setting; with the script's pauses a listener hears about 135-140 words a minute."""
RATES = range(80, 301)
SAMPLE_RATE = 22050
_WAV_HEADER = 44  # what the wave module writes for PCM


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    """Sample offsets in the narration's WAV, end exclusive."""


@dataclass(frozen=True)
class Narration:
    wav: Path
    """Mono 16-bit PCM WAV at `sample_rate`, in the cache: read it, never change it."""
    sample_rate: int
    samples: int
    voice: str
    units: tuple[Span, ...]
    """One per `Script.units`, in order; the script's pauses fall between them."""
    chapters: tuple[Span, ...]
    """One per `Script.chapters`; contiguous from 0 to `samples`."""

    def blocks(self, frames: int = 1 << 16) -> Iterator[bytes]:
        """The PCM a few seconds at a time: a long recording need not be in memory at once."""
        with wave.open(str(self.wav), "rb") as reader:
            while block := reader.readframes(frames):
                yield block

    def product(self, name: str, make: Callable[[], bytes]) -> bytes:
        """A file made from this recording (an encoding of it), made once and kept beside it;
        `name` must change whenever what `make` returns would. Like the recording, a second
        process asking at the same time waits for the first one's file."""
        return self.product_file(name, make).read_bytes()

    def product_file(self, name: str, make: Callable[[], bytes]) -> Path:
        """Where `product` keeps the file (made now if it is not there yet)."""
        path = self.wav.with_name(f"{self.wav.stem}.{name}")
        with _locked(path.with_name(f"{path.name}.lock")):
            if not path.is_file():
                write_atomically(path, make())
            return path

    def seconds(self, sample: int) -> float:
        return sample / self.sample_rate

    def ms(self, sample: int) -> int:
        """The sample's time in whole milliseconds (rounded): what every timed output says."""
        return (sample * 1000 + self.sample_rate // 2) // self.sample_rate


# BCP 47 macrolanguage tags whose spoken language espeak-ng names differently.
SPOKEN_LANGUAGE = {"zh": "cmn", "zh-hk": "yue", "zh-yue": "yue", "zh-mo": "yue"}


def voices_for(lang: str) -> list[str]:
    """espeak-ng voices to try for a BCP 47 tag: the whole tag, then its language alone."""
    tag = lang.lower()
    parts = tag.split("-")
    candidates = [tag, parts[0]]
    for length in range(len(parts), 0, -1):
        spoken = SPOKEN_LANGUAGE.get("-".join(parts[:length]))
        if spoken:
            candidates.append(spoken)
            break
    return list(dict.fromkeys(candidates))


def cache_key(script: Script, voices: list[str], rate: int) -> str:
    inputs = {
        "format": FORMAT,
        "code": code_digest(__name__),  # synthesis and assembly: a changed line makes a new recording
        "engine": {name: version(name) for name in ("pyttsx3", "espeakng-loader")},
        "voices": voices,
        "rate": rate,
        "processes": synthesis.PROCESSES,
        "units": [[unit.chapter, unit.spoken, unit.pause] for unit in script.units],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:32]


def narrate(script: Script, cache_dir: Path, voice: str | None = None, rate: int = DEFAULT_RATE) -> Narration:
    """The recording of `script`, from the cache or synthesised (once) into it.

    Raises synthesis.SynthesisError when speech cannot be made."""
    voices = [voice] if voice else voices_for(script.lang)
    key = cache_key(script, voices, rate)
    cache_dir.mkdir(parents=True, exist_ok=True)
    wav, index = cache_dir / f"narration-{key}.wav", cache_dir / f"narration-{key}.json"
    with _locked(cache_dir / f"narration-{key}.lock"):
        cached = _read(wav, index)
        if cached is not None:
            os.utime(index)  # recently used: kept by _prune
            return cached
        with scratch_folder(cache_dir, "narration") as work:
            voice_used, chunks = synthesis.synthesise(script, voices, rate, Path(work))
            recording = _assemble(script, voice_used, chunks, Path(work) / wav.name)
            os.replace(recording.wav, wav)
        write_atomically(index, json.dumps(_index(recording)).encode())
    _prune(cache_dir, KEPT)
    return replace(recording, wav=wav)


KEPT = 3
"""Narrations kept per article, the most recently used: the one in use, and room for an
option or two (another rate, another voice). An edited article's old recordings go: each
holds about 3 MB a minute."""


def _prune(cache_dir: Path, kept: int) -> None:
    """Remove all but the `kept` most recently used narrations (and their products) in the folder."""
    indexes = sorted(cache_dir.glob("narration-*.json"), key=_last_used, reverse=True)
    for index in indexes[kept:]:
        for path in cache_dir.glob(f"{index.stem}.*"):
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- assembly


def unit_starts(offsets: tuple[int, ...], words: tuple[tuple[int, int], ...], samples: int) -> list[int]:
    """The sample where each unit starts: at its first word; a unit without words gets no time.

    `words` holds espeak's 1-based text position and start sample of each word spoken.
    The first unit starts at 0 (it owns the chunk's leading silence).
    """
    starts: list[int | None] = [None] * len(offsets)
    for position, sample in words:
        unit = bisect.bisect_right(offsets, position - 1) - 1
        if unit >= 0 and starts[unit] is None:
            starts[unit] = sample
    following = samples
    for index in reversed(range(len(starts))):
        following = min(following, starts[index] if starts[index] is not None else following)
        starts[index] = following
    starts[0] = 0
    return starts


def _assemble(script: Script, voice: str, chunks: list[synthesis.Chunk], target: Path) -> Narration:
    """Join the chapters' audio into one WAV, with each unit's pause added as silence."""
    units: list[Span] = []
    chapters: list[Span] = []
    pauses = iter(unit.pause for unit in script.units)
    with wave.open(str(target), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        position = 0
        for chunk in chunks:
            with wave.open(str(chunk.wav), "rb") as reader:
                audio = reader.readframes(reader.getnframes())
            samples = len(audio) // 2
            starts = unit_starts(chunk.offsets, chunk.words, samples)
            chapter_start = position
            for start, end in zip(starts, starts[1:] + [samples]):
                writer.writeframesraw(audio[start * 2 : end * 2])
                units.append(Span(position, position + end - start))
                silence = round(next(pauses) * SAMPLE_RATE)
                writer.writeframesraw(bytes(2 * silence))
                position += end - start + silence
            chapters.append(Span(chapter_start, position))
    return Narration(target, SAMPLE_RATE, position, voice, tuple(units), tuple(chapters))


# ---------------------------------------------------------------- cache files


def _index(narration: Narration) -> dict:
    return {
        "format": FORMAT,
        "sample_rate": narration.sample_rate,
        "samples": narration.samples,
        "voice": narration.voice,
        "units": [[span.start, span.end] for span in narration.units],
        "chapters": [[span.start, span.end] for span in narration.chapters],
    }


def _last_used(index: Path) -> int:
    try:
        return index.stat().st_mtime_ns
    except OSError:  # just pruned by another process
        return 0


def _read(wav: Path, index: Path) -> Narration | None:
    """The cached narration, if both files are there and agree; otherwise None."""
    try:
        data = json.loads(index.read_text("utf-8"))
        with wave.open(str(wav), "rb") as reader:
            frames = reader.getnframes()
    except (OSError, ValueError, EOFError, wave.Error):
        return None
    if data.get("format") != FORMAT or data.get("samples") != frames or wav.stat().st_size != _WAV_HEADER + 2 * frames:
        return None
    spans = lambda key: tuple(Span(start, end) for start, end in data[key])  # noqa: E731
    return Narration(wav, data["sample_rate"], frames, data["voice"], spans("units"), spans("chapters"))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
