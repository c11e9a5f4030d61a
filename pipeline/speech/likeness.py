"""How alike two recordings of speech sound: log-mel spectra aligned by dynamic time warping.

No speech model: the same words spoken by the same voice at the same rate give the same
spectra frame by frame, give or take MP3 coding; other words, the same words backwards, a
hum or silence do not, whatever their loudness or length. Each recording becomes a sequence
of log-mel frames (40 bands from 80 Hz to 7.6 kHz, 23 ms windows every 20 ms); DTW finds
the cheapest monotonic alignment of the two sequences, and the distance is the mean, over the
reference's frames, of the root-mean-square difference in decibels of the frames it is
aligned with. Each step of the alignment moves one reference frame on and zero, one or two
recorded frames on, so either recording may run up to twice as fast as the other in places;
a recording more than twice as long as the reference cannot be aligned (infinite distance).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

WINDOW = 512
HOP_SECONDS = 0.020
BANDS = 40
LOWEST_HZ, HIGHEST_HZ = 80.0, 7600.0
FLOOR_DBFS = -60.0
"""Quieter than this counts as silence: MP3 coding noise and digital silence look alike."""
SPEECH_DBFS = -45.0
"""A frame with no band louder than this holds no speech (for trimming the silence around it)."""


def log_mel(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Frames x BANDS decibels (full scale) of 16-bit mono PCM; a recording shorter than one
    window gives one frame of it padded with silence."""
    hop = round(HOP_SECONDS * sample_rate)
    signal = samples.astype(np.float32) / 32768.0
    if len(signal) < WINDOW:
        signal = np.pad(signal, (0, WINDOW - len(signal)))
    frames = np.lib.stride_tricks.sliding_window_view(signal, WINDOW)[::hop]
    power = np.abs(np.fft.rfft(frames * _window(), axis=1) / (_window().sum() / 2)) ** 2  # a full-scale sine: 0 dB
    mel = power @ _mel_filters(sample_rate)
    return 10 * np.log10(np.maximum(mel, 10 ** (FLOOR_DBFS / 10)))


def speech_level(samples: np.ndarray) -> float:
    """The mean power, in decibels, of the loud half of a recording's 20 ms frames: its level
    while speaking, whatever the pauses and the silence around it."""
    hop = round(HOP_SECONDS * 22050)
    usable = len(samples) // hop * hop
    if not usable:
        return FLOOR_DBFS
    power = (samples[:usable].astype(np.float64).reshape(-1, hop) / 32768.0) ** 2
    loud = np.sort(power.mean(axis=1))[len(power) // 2 :]
    return float(10 * np.log10(max(loud.mean(), 10 ** (FLOOR_DBFS / 10))))


def trimmed(frames: np.ndarray) -> np.ndarray:
    """The frames from the first to the last that hold speech (a band above SPEECH_DBFS): the
    silence a recording is framed in (a lead-in, a tail) is not part of what is said."""
    speaking = np.flatnonzero(frames.max(axis=1) > SPEECH_DBFS)
    return frames[speaking[0] : speaking[-1] + 1] if len(speaking) else frames[:1]


def distance(reference: np.ndarray, recorded: np.ndarray) -> float:
    """The mean RMS decibel difference along the best alignment of `recorded` to `reference`
    (both from `log_mel`); infinite when `recorded` is over twice as long."""
    costs = _frame_distances(reference, recorded)
    rows, columns = costs.shape
    if columns - 1 > 2 * (rows - 1):
        return math.inf
    total = np.full(columns, np.inf)
    total[0] = costs[0, 0]
    for row in costs[1:]:
        best = total.copy()
        np.minimum(best[1:], total[:-1], out=best[1:])
        np.minimum(best[2:], total[:-2], out=best[2:])
        total = row + best
    return float(total[-1] / rows)


def _frame_distances(reference: np.ndarray, recorded: np.ndarray) -> np.ndarray:
    """RMS decibel difference of every reference frame with every recorded frame."""
    squared = (reference**2).sum(1)[:, None] + (recorded**2).sum(1)[None, :] - 2 * reference @ recorded.T
    return np.sqrt(np.maximum(squared, 0.0) / reference.shape[1])


@cache
def _window() -> np.ndarray:
    return np.hanning(WINDOW).astype(np.float32)


@cache
def _mel_filters(sample_rate: int) -> np.ndarray:
    """(WINDOW // 2 + 1) x BANDS triangular filters, equally spaced on the mel scale."""
    to_mel = lambda hz: 2595.0 * np.log10(1.0 + hz / 700.0)  # noqa: E731
    to_hz = lambda mel: 700.0 * (10 ** (mel / 2595.0) - 1.0)  # noqa: E731
    edges = to_hz(np.linspace(to_mel(LOWEST_HZ), to_mel(HIGHEST_HZ), BANDS + 2))
    bins = np.fft.rfftfreq(WINDOW, 1.0 / sample_rate)
    rising = (bins[:, None] - edges[None, :-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[None, 2:] - bins[:, None]) / (edges[2:] - edges[1:-1])
    return np.maximum(0.0, np.minimum(rising, falling)).astype(np.float32)
