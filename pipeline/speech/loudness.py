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
from dataclasses import dataclass, replace

OVERSAMPLING = 4
TAPS_PER_PHASE = 12
RAMP_SECONDS = 0.004
"""Half the time the limiter takes to lower the gain before a peak and to raise it after."""
PEAK_BLOCK = 64
"""Samples whose interpolated points are computed together, or not at all."""
HEADROOM = 3.0
"""dB the gain may rise over its first estimate (the limiter takes a few tenths back): true
peaks are measured wherever such a gain could take them past the ceiling."""
LIMIT_BLOCK = 1024
"""Samples the limiter looks at together: more than its two ramps, so a stretch of blocks ends
where the gain is back."""
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
    return sosfilt(numpy.array([shelf, high_pass]), signal)


def loudness(weighted, rate: int) -> float:
    """Integrated loudness in LUFS of a K-weighted signal."""
    import numpy

    step = rate // 10
    whole = len(weighted) // step * step
    return gated_loudness(numpy.square(weighted[:whole], dtype="float64").reshape(-1, step).mean(axis=1))


def gated_loudness(energies) -> float:
    """Integrated loudness in LUFS from the mean square of each 100 ms of the K-weighted signal:
    400 ms blocks (four of them, overlapping by three), gated absolutely and relatively."""
    import numpy

    blocks = numpy.convolve(energies, numpy.full(4, 0.25), "valid")
    gated = blocks[blocks > 10 ** ((ABSOLUTE_GATE + 0.691) / 10)]
    if not len(gated):
        return -math.inf
    gated = gated[gated > gated.mean() * 10 ** (RELATIVE_GATE / 10)]
    return -0.691 + 10 * math.log10(gated.mean())


def true_peaks(signal, floor: float = 0.0):
    """Each sample's true peak: the largest magnitude of it and the three points interpolated
    after it. The points are interpolated only in the blocks where one could pass `floor` (the
    filter's largest gain, the sum of a phase's taps' magnitudes, times the block's loudest
    sample or its neighbours'); elsewhere a sample stands for its peak, below `floor` anyway."""
    import numpy
    from scipy.signal import firwin

    taps = OVERSAMPLING * TAPS_PER_PHASE
    interpolator = OVERSAMPLING * firwin(taps + 1, 1 / OVERSAMPLING).astype("float32")
    phases = [interpolator[phase::OVERSAMPLING] for phase in range(1, OVERSAMPLING)]
    reach = max(float(numpy.abs(phase).sum()) for phase in phases)
    peaks = numpy.abs(signal)
    loud = _blocks(peaks, PEAK_BLOCK).max(axis=1) * reach > floor
    chosen = numpy.flatnonzero(numpy.repeat(_widened(loud), PEAK_BLOCK)[: len(signal)])
    if not len(chosen):
        return peaks
    delay = TAPS_PER_PHASE // 2
    for phase in phases:
        between = numpy.convolve(signal[chosen], phase, "full")[delay : delay + len(chosen)]
        peaks[chosen] = numpy.maximum(peaks[chosen], numpy.abs(between))
    return peaks


def _blocks(values, size: int):
    import numpy

    return numpy.pad(values, (0, -len(values) % size)).reshape(-1, size)


def _widened(flags):
    """The flags with each true one's neighbours made true too."""
    widened = flags.copy()
    widened[:-1] |= flags[1:]
    widened[1:] |= flags[:-1]
    return widened


def true_peak(signal) -> float:
    """The signal's true peak in dBTP."""
    return 20 * math.log10(max(float(true_peaks(signal).max(initial=0.0)), 1e-10))


@dataclass(frozen=True)
class Limiting:
    """A gain, lowered in a few stretches around the peaks: (start, the gain sample by sample)."""

    gain: float
    stretches: tuple[tuple[int, object], ...]

    def applied(self, signal):
        result = signal * self.gain
        for start, curve in self.stretches:
            result[start : start + len(curve)] = signal[start : start + len(curve)] * curve
        return result

    def energy_change(self, signal):
        """(sample index, the change to its squared value) where the gain is lowered."""
        import numpy

        if not self.stretches:
            return numpy.zeros(0, dtype="int64"), numpy.zeros(0)
        where = numpy.concatenate([numpy.arange(start, start + len(curve)) for start, curve in self.stretches])
        curves = numpy.concatenate([curve for _start, curve in self.stretches]).astype("float64")
        return where, numpy.square(signal[where], dtype="float64") * (curves**2 - self.gain**2)


@dataclass(frozen=True)
class Measured:
    """What levelling needs of a signal, measured once: its K-weighted 100 ms energies, its
    energy and its true peaks. A gain, limited, changes them only where the limiter acts."""

    signal: object
    rate: int
    weighted: object
    energies: object
    """Sum of the K-weighted signal's squares in each 100 ms."""
    energy: float
    peaks: object

    @classmethod
    def of(cls, signal, rate: int) -> Measured:
        """The energies; the true peaks come with `peaks_under`."""
        import numpy

        weighted = k_weighted(signal, rate)
        step = rate // 10
        whole = len(weighted) // step * step
        energies = numpy.square(weighted[:whole], dtype="float64").reshape(-1, step).sum(axis=1)
        return cls(signal, rate, weighted, energies, float(numpy.square(signal, dtype="float64").sum()), None)

    def peaks_under(self, most: float, ceiling: float) -> Measured:
        """With the true peaks wherever a gain up to `most` could take them past `ceiling` dBTP."""
        return replace(self, peaks=true_peaks(self.signal, 10 ** (ceiling / 20) / most))

    def level(self, limiting: Limiting, by_rms: bool) -> float:
        """The level of the signal with `limiting` applied (LUFS, or dBFS RMS)."""
        import numpy

        signal = self.signal if by_rms else self.weighted
        where, change = limiting.energy_change(signal)
        if by_rms:
            return 10 * math.log10(max((self.energy * limiting.gain**2 + change.sum()) / len(self.signal), 1e-20))
        step = self.rate // 10
        inside = where < len(self.energies) * step
        energies = self.energies * limiting.gain**2 + numpy.bincount(where[inside] // step, change[inside], len(self.energies))
        return gated_loudness(energies / step)

    def limiting(self, gain: float, ceiling: float) -> Limiting:
        """The gain that keeps every true peak at most `ceiling` dBTP: lowered smoothly around
        each peak (a minimum over a short window, then a moving average of the same width, which
        never rises above what any sample in reach needs), never clipped; computed only in the
        stretches of blocks around a peak, the gain unchanged everywhere else."""
        import numpy
        from scipy.ndimage import minimum_filter1d, uniform_filter1d

        allowed = 10 ** (ceiling / 20)
        width = 2 * round(RAMP_SECONDS * self.rate) + 1
        over = self.peaks * gain > allowed
        blocks = numpy.pad(over, (0, -len(over) % LIMIT_BLOCK)).reshape(-1, LIMIT_BLOCK).any(axis=1)
        blocks[:-1] |= blocks[1:].copy()
        blocks[1:] |= blocks[:-1].copy()  # a block either side: the gain is back to `gain` at each stretch's ends
        stretches = []
        for first, last in _runs(blocks):
            start, stop = first * LIMIT_BLOCK, min(last * LIMIT_BLOCK, len(self.peaks))
            needed = numpy.minimum(gain, allowed / numpy.maximum(self.peaks[start:stop], 1e-10)).astype("float32")
            stretches.append((start, uniform_filter1d(minimum_filter1d(needed, width, mode="nearest"), width, mode="nearest")))
        return Limiting(gain, tuple(stretches))


def _runs(flags):
    """(first, end) of each run of true values."""
    import numpy

    edges = numpy.diff(numpy.concatenate([[0], flags.astype("int8"), [0]]))
    return zip(numpy.flatnonzero(edges == 1), numpy.flatnonzero(edges == -1))


def levelled(signal, rate: int, target: float, ceiling: float, by_rms: bool = False):
    """The signal at `target` (LUFS, or dBFS RMS) with no true peak above `ceiling` dBTP.
    The limiter takes a little level away, so the gain is found again (at most four times)."""
    measured = Measured.of(signal, rate)
    gain = 10 ** ((target - measured.level(Limiting(1.0, ()), by_rms)) / 20)
    most = gain * 10 ** (HEADROOM / 20)
    measured = measured.peaks_under(most, ceiling)
    for _ in range(4):
        limiting = measured.limiting(min(gain, most), ceiling)
        missing = target - measured.level(limiting, by_rms)
        if abs(missing) <= TOLERANCE:
            break
        gain *= 10 ** (missing / 20)
    return limiting.applied(signal)


def wav_bytes(signal, rate: int) -> bytes:
    """The signal as a mono 16-bit PCM WAV file, rounded to the nearest step."""
    import numpy

    scaled = signal * numpy.float32(32768)
    numpy.rint(scaled, out=scaled)
    pcm = numpy.clip(scaled, -32768, 32767, out=scaled).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue()
