"""Mastering the narration: every article at the same loudness, no peak that distorts on a
phone's speaker, and room before the first word and after the last.

A profile is a gain, a true-peak limiter and silence, nothing else: the voice is untouched,
so speech stays what espeak-ng said and every sentence keeps its place, moved by the lead-in
alone. Loudness is ITU-R BS.1770 (`loudness`), the unit broadcasters and podcast players
level by (EBU R128, AES TD1004); audiobook publishers ask instead for an RMS level and a
sample peak, at 44.1 kHz (ACX). The mastered recording is kept beside the narration it comes
from, made once for every spoken edition; its sentence and chapter spans are the narration's,
moved by the lead-in (and scaled to the new sample rate), so captions, chapters and the
read-along e-book stay in step with what is heard.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from pipeline.code_digest import code_digest
from pipeline.speech import loudness
from pipeline.speech.narration import Narration, Span

SILENT = 10 ** (-60 / 20)
"""Below -60 dBFS is silence: where the last word ends."""


@dataclass(frozen=True)
class Profile:
    name: str
    level: float
    """The level aimed at: integrated loudness in LUFS, or RMS in dBFS (`by_rms`)."""
    ceiling: float
    """The limiter's ceiling in dBTP: what the profile allows, less a margin for the MP3 encoder."""
    lead_in: float
    """Seconds of silence before the first word."""
    tail: float
    """Seconds of silence after the last word."""
    sample_rate: int | None = None
    """The rate the profile asks for; None keeps the narration's."""
    by_rms: bool = False


ENCODER_LOSS = 0.4
"""LU the spoken edition's MP3 (56 kbit/s at 22,050 Hz) takes from the loudness of what it
encodes: ffmpeg's ebur128 measures -19.1 LUFS on the mastered WAV and -19.5 on its MP3, for the
first article and the Spanish and Welsh test articles alike. The master makes up for it, so the
file a listener plays is at the level the profile promises."""

PROFILES = {
    "speech": Profile("speech", level=-19.0 + ENCODER_LOSS, ceiling=-1.5, lead_in=0.75, tail=2.0),
    "acx": Profile("acx", level=-20.0, ceiling=-3.5, lead_in=1.0, tail=3.0, sample_rate=44100, by_rms=True),
}
"""speech: -19 LUFS (mono), true peak at most -1 dBTP; acx: RMS -23..-18 dB, peak at most -3 dBFS."""
UNMASTERED = "none"
CHOICES = (*PROFILES, UNMASTERED)
DEFAULT = "speech"


def master(recording: Narration, choice: str) -> Narration:
    """The recording mastered with the profile named `choice` (made once, kept beside it);
    `none` gives the recording as synthesised."""
    if choice == UNMASTERED:
        return recording
    profile = PROFILES[choice]
    libraries = "-".join(version(name) for name in ("numpy", "scipy"))
    name = f"{profile.name}-{libraries}-{code_digest(__name__)[:16]}.wav"
    wav = recording.product_file(name, lambda: _mastered_wav(recording, profile))
    with wave.open(str(wav), "rb") as reader:
        samples = reader.getnframes()
    return moved(recording, profile, wav, samples)


def moved(recording: Narration, profile: Profile, wav: Path, samples: int) -> Narration:
    """The recording's spans in the mastered one of `samples` samples: after the lead-in,
    scaled to the profile's rate; what ended with the recording ends with the mastered one."""
    rate = profile.sample_rate or recording.sample_rate
    lead = round(profile.lead_in * rate)

    def place(sample: int) -> int:
        return samples if sample >= recording.samples else min(lead + sample * rate // recording.sample_rate, samples)

    units = tuple(Span(place(span.start), place(span.end)) for span in recording.units)
    chapters = tuple(Span(place(span.start) if index else 0, place(span.end)) for index, span in enumerate(recording.chapters))
    chapters = (*chapters[:-1], replace(chapters[-1], end=samples)) if chapters else ()
    return replace(recording, wav=wav, sample_rate=rate, samples=samples, units=units, chapters=chapters)


def _mastered_wav(recording: Narration, profile: Profile) -> bytes:
    import numpy

    pcm = numpy.frombuffer(b"".join(recording.blocks()), dtype="<i2").astype(numpy.float32) / 32768
    rate = profile.sample_rate or recording.sample_rate
    speech = loudness.resampled(pcm[: _last_sound(pcm)], recording.sample_rate, rate)
    levelled = loudness.levelled(speech, rate, profile.level, profile.ceiling, profile.by_rms)
    silence = lambda seconds: numpy.zeros(round(seconds * rate), dtype=numpy.float32)  # noqa: E731
    return loudness.wav_bytes(numpy.concatenate([silence(profile.lead_in), levelled, silence(profile.tail)]), rate)


def _last_sound(pcm, step: int = 1 << 14) -> int:
    """The sample after the last one louder than silence: the end of the last word (sought
    from the end, a block at a time: the silence after it is short)."""
    import numpy

    for end in range(len(pcm), 0, -step):
        loud = numpy.flatnonzero(numpy.abs(pcm[max(end - step, 0) : end]) > SILENT)
        if len(loud):
            return max(end - step, 0) + int(loud[-1]) + 1
    return len(pcm)
