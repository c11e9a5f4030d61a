"""Mastering: every article at the same loudness, no true peak over the ceiling, room before
the first word and after the last, and every cue, chapter and clip moved with the lead-in.

Loudness is measured twice, by pyloudnorm (BS.1770 in Python) and by ffmpeg's ebur128 filter,
on what a listener gets: the MP3."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy
import pyloudnorm
import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE
from test_audio import chapters

from pipeline.cli import cli
from pipeline.renderers import _spoken
from pipeline.speech import loudness, mastering
from pipeline.verify.checks.webvtt import parse

LANGUAGES = Path(__file__).parent / "articles" / "lang"
ARTICLES = [FIRST_ARTICLE, LANGUAGES / "es.yaml", LANGUAGES / "cy.yaml"]


def speech_like(seconds: float = 20.0, rate: int = 22050, seed: int = 5):
    """Noise shaped into syllables and pauses, with a few sharp clicks: a hard case for a limiter."""
    generator = numpy.random.default_rng(seed)
    time = numpy.arange(int(seconds * rate)) / rate
    envelope = numpy.clip(numpy.sin(2 * math.pi * 3 * time), 0, None) * (numpy.sin(2 * math.pi * 0.25 * time) > -0.3)
    signal = 0.1 * generator.standard_normal(len(time)) * envelope
    signal[:: rate * 2] = 0.9
    return signal.astype("float32")


def test_loudness_agrees_with_pyloudnorm():
    signal = speech_like()
    ours = loudness.loudness(loudness.k_weighted(signal, 22050), 22050)
    assert ours == pytest.approx(pyloudnorm.Meter(22050).integrated_loudness(signal.astype("float64")), abs=0.15)


def test_a_peak_between_samples_is_a_true_peak_the_sample_peak_misses():
    rate = 22050
    time = numpy.arange(rate) / rate
    between = numpy.sin(2 * math.pi * rate / 4 * time + math.pi / 4).astype("float32")  # samples at +-0.707, the wave at 1.0
    assert 20 * math.log10(numpy.abs(between).max()) == pytest.approx(-3.0, abs=0.05)
    assert loudness.true_peak(between) == pytest.approx(0.0, abs=0.3)
    on_samples = numpy.sin(2 * math.pi * rate / 4 * time).astype("float32")
    assert loudness.true_peak(on_samples) == pytest.approx(0.0, abs=0.3)


@pytest.mark.parametrize("target, ceiling", [(-19.0, -1.5), (-16.0, -1.0), (-23.0, -6.0)])
def test_levelled_lands_on_the_level_with_every_true_peak_under_the_ceiling(target, ceiling):
    signal = speech_like()
    assert loudness.true_peak(signal * 10 ** ((target - loudness.loudness(loudness.k_weighted(signal, 22050), 22050)) / 20)) > ceiling
    result = loudness.levelled(signal, 22050, target, ceiling)
    assert pyloudnorm.Meter(22050).integrated_loudness(result.astype("float64")) == pytest.approx(target, abs=0.2)
    assert loudness.true_peak(result) <= ceiling + 0.1


def test_without_a_limiter_the_same_gain_would_pass_the_ceiling():
    signal = speech_like()
    result = loudness.levelled(signal, 22050, -19.0, -1.5)
    gain_only = signal * float(numpy.median(result[signal != 0] / signal[signal != 0]))
    assert loudness.true_peak(gain_only) > -1.0  # what the limiter took away


def test_mastering_is_a_shared_option_of_every_spoken_renderer():
    option = _spoken.SpokenRenderer.options["mastering"]
    assert option.default == "speech" and option.choices == ("speech", "acx", "none")
    with pytest.raises(ValueError, match="'loud' is not one of speech, acx, none"):
        option.read("loud")


# ---------------------------------------------------------------- built editions


def ffmpeg_figures(mp3: Path, filters: str) -> str:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is missing: `make ffmpeg` installs it"
    return subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", str(mp3), "-af", filters, "-f", "null", "-"], capture_output=True, text=True, check=True).stderr


def ebur128(mp3: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of the file, as ffmpeg measures them."""
    summary = ffmpeg_figures(mp3, "ebur128=peak=true").rpartition("Summary:")[2]
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1]), float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)[1])


def silences(mp3: Path) -> tuple[float, float]:
    """Seconds of silence (under -50 dBFS) at the start and at the end of the file."""
    found = ffmpeg_figures(mp3, "silencedetect=noise=-50dB:d=0.2")
    starts = [float(value) for value in re.findall(r"silence_start: ([\d.]+)", found)]
    ends = [float(value) for value in re.findall(r"silence_end: ([\d.]+)", found)]
    durations = [float(value) for value in re.findall(r"silence_duration: ([\d.]+)", found)]
    return ends[0] if starts[0] == 0 else 0.0, durations[-1]


def decoded(mp3: Path) -> tuple[numpy.ndarray, int]:
    """The MP3's samples, mono, at its own rate."""
    import miniaudio

    rate = miniaudio.mp3_get_file_info(str(mp3)).sample_rate
    sound = miniaudio.decode_file(str(mp3), output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=rate)
    return numpy.asarray(sound.samples, dtype="float32"), rate


def build(out: Path, sources, *options: str) -> Path:
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(out), "-f", "audio", *options, *map(str, sources)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def mastered(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("mastered"), ARTICLES)


@pytest.fixture(scope="module")
def unmastered(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("unmastered"), ARTICLES[1:], "--mastering", "none")


@pytest.mark.heavy
@pytest.mark.parametrize("source", ARTICLES, ids=lambda path: path.stem)
def test_every_article_lands_on_minus_19_lufs_with_true_peak_under_minus_1(mastered, source):
    mp3 = mastered / source.stem / f"{source.stem}.mp3"
    integrated, peak = ebur128(mp3)
    assert integrated == pytest.approx(-19.0, abs=0.5) and peak <= -1.0
    samples, rate = decoded(mp3)
    assert pyloudnorm.Meter(rate).integrated_loudness(samples.astype("float64")) == pytest.approx(-19.0, abs=0.5)
    head, tail = silences(mp3)
    assert head == pytest.approx(0.75, abs=0.05) and tail == pytest.approx(2.0, abs=0.05)


@pytest.mark.heavy
def test_unmastered_articles_differ_in_loudness_and_start_at_once(unmastered):
    levels = [ebur128(unmastered / name / f"{name}.mp3")[0] for name in ("es", "cy")]
    assert all(level < -19.5 for level in levels)
    assert silences(unmastered / "es" / "es.mp3")[0] < 0.2  # no lead-in: the first word at once


@pytest.mark.heavy
def test_cues_and_chapters_move_by_the_lead_in(mastered, unmastered):
    lead_ms = round(mastering.PROFILES["speech"].lead_in * 1000)
    for name in ("es", "cy"):
        before = parse((unmastered / name / f"{name}.vtt").read_text("utf-8"))
        after = parse((mastered / name / f"{name}.vtt").read_text("utf-8"))
        assert [cue.text for cue in after] == [cue.text for cue in before]
        assert all(abs(late.start_ms - early.start_ms - lead_ms) <= 1 for early, late in zip(before, after))
        starts_before = [start for _, start, _ in chapters(unmastered / name / f"{name}.mp3")]
        starts_after = [start for _, start, _ in chapters(mastered / name / f"{name}.mp3")]
        assert starts_after[0] == 0 and all(abs(late - early - lead_ms) <= 1 for early, late in zip(starts_before[1:], starts_after[1:]))


@pytest.mark.heavy
def test_acx_profile_gives_what_audiobook_publishers_ask_for(mastered, tmp_path):
    out = build(tmp_path, [LANGUAGES / "cy.yaml"], "--option", "audio.mastering=acx")
    mp3 = out / "cy" / "cy.mp3"
    probe = subprocess.run(
        [shutil.which("ffprobe") or "ffprobe", "-v", "error", "-show_entries", "stream=sample_rate,bit_rate", "-of", "csv=p=0", str(mp3)],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert probe == "44100,192000"
    stats = ffmpeg_figures(mp3, "astats=measure_overall=RMS_level+Peak_level:measure_perchannel=none")
    rms = float(re.search(r"RMS level dB: (-?[\d.]+)", stats)[1])
    peak = float(re.search(r"Peak level dB: (-?[\d.]+)", stats)[1])
    assert -23.0 <= rms <= -18.0 and peak <= -3.0
    head, tail = silences(mp3)
    assert head == pytest.approx(1.0, abs=0.05) and tail == pytest.approx(3.0, abs=0.05)
    first = parse((out / "cy" / "cy.vtt").read_text("utf-8"))[0]
    assert first.start_ms == 1000
