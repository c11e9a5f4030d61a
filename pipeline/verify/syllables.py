"""Syllables heard in a recording, counted from its loudness: how fast a narration speaks
whatever the language writes as a word.

Each syllable has a loud vowel at its core, so the loudness of speech (in 30 ms frames every
10 ms, smoothed over 50 ms) rises and falls once per syllable: a peak within 25 dB of the
recording's loudest speech, with a dip of at least 2 dB between it and the peak before, counts
as one (the method of syllable nuclei detection, after de Jong and Wempe, 2009, without its
voicing test). espeak-ng at its default rate gives 210-270 a minute in all fifteen languages
the pipeline has catalogues for (Chinese, one syllable a character, about 170).
"""

from __future__ import annotations

from pathlib import Path

HOP_SECONDS, WINDOW_SECONDS = 0.010, 0.030
SMOOTHING_FRAMES = 5
SPEECH_RANGE_DB = 25.0
DIP_DB = 2.0


def syllables_heard(path: Path) -> tuple[int, float]:
    """The syllable nuclei of an MP3, and its length in seconds."""
    import miniaudio
    import numpy as np

    decoded = miniaudio.mp3_read_file_f32(str(path))
    samples = np.frombuffer(decoded.samples, dtype=np.float32)[:: decoded.nchannels]
    rate = decoded.sample_rate
    hop, window = int(HOP_SECONDS * rate), int(WINDOW_SECONDS * rate)
    if len(samples) < window:
        return 0, len(samples) / rate
    frames = np.lib.stride_tricks.sliding_window_view(samples, window)[::hop]
    loudness = np.convolve(10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-10), np.ones(SMOOTHING_FRAMES) / SMOOTHING_FRAMES, mode="same")
    return len(_nuclei(loudness, np.percentile(loudness, 99) - SPEECH_RANGE_DB)), len(samples) / rate


def _nuclei(loudness, floor: float) -> list[int]:  # type: ignore[no-untyped-def]
    """Frames of the loudness peaks above `floor` with a dip of DIP_DB before each (of two
    peaks without one between, the louder stands)."""
    import numpy as np

    middle = loudness[1:-1]
    candidates = np.flatnonzero((middle > loudness[:-2]) & (middle >= loudness[2:]) & (middle > floor)) + 1
    peaks: list[int] = []
    for frame in candidates:
        if peaks and min(loudness[peaks[-1]], loudness[frame]) - loudness[peaks[-1] : frame].min() < DIP_DB:
            peaks[-1] = frame if loudness[frame] > loudness[peaks[-1]] else peaks[-1]
            continue
        peaks.append(int(frame))
    return peaks
