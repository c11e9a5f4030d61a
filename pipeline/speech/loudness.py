"""Level and peak of a mono signal (float32, full scale 1.0), and a gain that brings it to a
level with no true peak above a ceiling.

Loudness is ITU-R BS.1770-4: K-weighting (the filters libebur128 and ffmpeg's `ebur128` use,
for any sample rate), 400 ms blocks overlapping by 75 % (four 100 ms sub-blocks each), the
absolute gate at -70 LUFS and the relative one 10 LU under. Peaks are true peaks (annex 2):
the signal interpolated four times, so a peak between two samples, which a decoder or a
phone's converter reconstructs, is caught too.

Both are measured once. A gain changes them in proportion, and the limiter's gain, which
moves slowly beside the K-weighting and the interpolation filters, changes the filtered
signals as it changes the signal: so the gain that lands on the level, once limited, is
found by weighing the filtered signal again, never by filtering again.
"""

from __future__ import annotations

import io
import math
import wave
from dataclasses import dataclass

OVERSAMPLING = 4
TAPS_PER_PHASE = 12
RAMP_SECONDS = 0.004
"""Half the time the limiter takes to lower the gain before a peak and to raise it after."""
TOLERANCE = 0.05
"""dB: close enough to the level aimed at (the profiles allow 0.5)."""
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0


def resampled(signal, rate: int, to_rate: int):
    """The signal at `to_rate` (a polyphase filter)."""
    if rate == to_rate:
        return signal
    from scipy.signal import resample_poly

    common = math.gcd(rate, to_rate)
    return resample_poly(signal, to_rate // common, rate // common).astype("float32")


def k_weighted(signal, rate: int):
    """The signal through BS.1770's two K-weighting stages (a high shelf, then a high pass)."""
    import numpy
    from scipy.signal import sosfilt

    k = math.tan(math.pi * 1681.974450955533 / rate)
    high, mid = 10 ** (3.999843853973347 / 20), 10 ** (3.999843853973347 / 20 * 0.4996667741545416)
    q = 0.7071752369554196
    norm = 1 + k / q + k * k
    shelf = [(high + mid * k / q + k * k) / norm, 2 * (k * k - high) / norm, (high - mid * k / q + k * k) / norm, 1, 2 * (k * k - 1) / norm, (1 - k / q + k * k) / norm]
    k, q = math.tan(math.pi * 38.13547087602444 / rate), 0.5003270373238773
    norm = 1 + k / q + k * k
    high_pass = [1, -2, 1, 1, 2 * (k * k - 1) / norm, (1 - k / q + k * k) / norm]
    return sosfilt(numpy.array([shelf, high_pass]), signal).astype("float32")


def loudness(weighted, rate: int, gain=1.0) -> float:
    """Integrated loudness in LUFS of a K-weighted signal times `gain` (a number, or one per sample)."""
    import numpy

    step = rate // 10
    whole = len(weighted) // step * step
    gain = gain[:whole] if numpy.ndim(gain) else gain
    energy = numpy.square(weighted[:whole] * gain, dtype="float64").reshape(-1, step).mean(axis=1)
    blocks = numpy.convolve(energy, numpy.full(4, 0.25), "valid")
    gated = blocks[blocks > 10 ** ((ABSOLUTE_GATE + 0.691) / 10)]
    if not len(gated):
        return -math.inf
    gated = gated[gated > gated.mean() * 10 ** (RELATIVE_GATE / 10)]
    return -0.691 + 10 * math.log10(gated.mean())


def rms(signal, gain=1.0) -> float:
    """The RMS level in dBFS."""
    import numpy

    return 10 * math.log10(max(float(numpy.mean(numpy.square(signal * gain, dtype="float64"))), 1e-20))


def true_peaks(signal):
    """Each sample's true peak: the largest magnitude of it and the three points interpolated after it."""
    import numpy
    from scipy.signal import firwin

    taps = OVERSAMPLING * TAPS_PER_PHASE
    interpolator = OVERSAMPLING * firwin(taps + 1, 1 / OVERSAMPLING).astype("float32")
    delay = TAPS_PER_PHASE // 2
    peaks = numpy.abs(signal)
    for phase in range(1, OVERSAMPLING):
        between = numpy.convolve(signal, interpolator[phase::OVERSAMPLING], "full")[delay : delay + len(signal)]
        numpy.maximum(peaks, numpy.abs(between), out=peaks)
    return peaks


def true_peak(signal) -> float:
    """The signal's true peak in dBTP."""
    return 20 * math.log10(max(float(true_peaks(signal).max(initial=0.0)), 1e-10))


@dataclass(frozen=True)
class Measured:
    """What levelling needs of a signal, measured once."""

    signal: object
    rate: int
    weighted: object
    peaks: object

    @classmethod
    def of(cls, signal, rate: int) -> Measured:
        return cls(signal, rate, k_weighted(signal, rate), true_peaks(signal))

    def level(self, gain, by_rms: bool) -> float:
        return rms(self.signal, gain) if by_rms else loudness(self.weighted, self.rate, gain)

    def limiting(self, gain: float, ceiling: float):
        """The gain, one per sample, that keeps every true peak at most `ceiling` dBTP: lowered
        smoothly around each peak (a minimum over a short window, then a moving average of the
        same width, which never rises above what any sample in reach needs), never clipped."""
        import numpy
        from scipy.ndimage import minimum_filter1d, uniform_filter1d

        needed = numpy.minimum(gain, 10 ** (ceiling / 20) / numpy.maximum(self.peaks, 1e-10)).astype("float32")
        width = 2 * round(RAMP_SECONDS * self.rate) + 1
        return uniform_filter1d(minimum_filter1d(needed, width, mode="nearest"), width, mode="nearest")


def levelled(signal, rate: int, target: float, ceiling: float, by_rms: bool = False):
    """The signal at `target` (LUFS, or dBFS RMS) with no true peak above `ceiling` dBTP.
    The limiter takes a little level away, so the gain is found again (at most four times)."""
    measured = Measured.of(signal, rate)
    gain = 10 ** ((target - measured.level(1.0, by_rms)) / 20)
    for _ in range(4):
        limiting = measured.limiting(gain, ceiling)
        missing = target - measured.level(limiting, by_rms)
        if abs(missing) <= TOLERANCE:
            break
        gain *= 10 ** (missing / 20)
    return signal * limiting


def wav_bytes(signal, rate: int) -> bytes:
    """The signal as a mono 16-bit PCM WAV file, rounded to the nearest step."""
    import numpy

    pcm = numpy.clip(numpy.round(signal * 32768), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue()
