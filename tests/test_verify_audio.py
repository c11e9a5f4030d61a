"""`pipeline verify` on the narration: decoding, chapters, the transcript's cues and text, and
the pace, each caught on a copy of a good build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT
from mutagen.id3 import ID3
from verify_helpers import SENTENCES, broken_copy, check_file, results, run_json, schema

from pipeline.verify.checks.audio import Mp3Chapters, Mp3Decodes, SpeakingRate, TranscriptCues


def test_mp3_without_chapters_fails_the_chapter_check_and_nothing_else(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.mp3"
    tags = ID3(path)
    tags.delall("CTOC")
    tags.delall("CHAP")
    tags.save(path, v2_version=3)
    code, report = run_json(folder, path)
    jsonschema.validate(report, schema())
    assert code == 1 and report["passed"] is False
    assert [(result["check"], result["status"]) for result in report["results"] if result["status"] != "pass"] == [("mp3-chapters", "fail")]
    [chapters] = results(report, "mp3-chapters")
    assert chapters["figure"] == "no chapters"
    assert chapters["messages"] == [f"{path} has no top-level ID3 table of contents (CTOC): players cannot jump between chapters"]


def test_good_chapters_start_at_zero_follow_each_other_and_end_with_the_recording(built):
    result = check_file(built, built / "out" / "cramps" / "cramps.mp3", Mp3Chapters()).result
    assert result.status == "pass" and result.messages == ()
    assert result.figure.startswith("6 chapters from 0:00.000 to ")
    start, end = result.figure.removeprefix("6 chapters from 0:00.000 to ").split(" of ")
    assert start == end  # the last chapter ends where the recording does


def test_chapters_with_a_gap_are_named(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.mp3"
    tags = ID3(path)
    third = next(frame for frame in tags.getall("CHAP") if frame.element_id == "chp2")
    third.start_time += 500
    tags.save(path, v2_version=3)
    result = check_file(folder, path, Mp3Chapters()).result
    assert result.status == "fail"
    stored, gap = result.messages  # saving with mutagen also lost the frames' order
    assert stored.startswith("the CHAP frames are stored out of time order: ")
    assert gap.startswith("chapter 3 (1. What helps) starts at ")
    assert gap.endswith(": a gap, an overlap or chapters out of order")


def test_chapter_frames_are_stored_in_time_order(built):
    starts = [frame.start_time for frame in ID3(built / "out" / "cramps" / "cramps.mp3").getall("CHAP")]
    assert len(starts) == 6 and starts == sorted(starts)


def test_chapter_frames_stored_out_of_time_order_fail(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.mp3"
    tags = ID3(path)
    tags.save(path, v2_version=3)  # mutagen stores frames by size: the chapters' order is lost
    stored = ID3(path).getall("CHAP")
    assert [frame.start_time for frame in stored] != sorted(frame.start_time for frame in stored)
    result = check_file(folder, path, Mp3Chapters()).result
    assert result.status == "fail"
    [message] = result.messages
    assert message.startswith("the CHAP frames are stored out of time order: ")
    assert message.endswith(", so players that list chapters in file order show them scrambled: rebuild with `pipeline build --force --format audio`")


def test_mp3_cut_short_fails_to_decode_to_its_declared_length(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.mp3"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = check_file(folder, path, Mp3Decodes()).result
    assert result.status == "fail"
    assert len(result.messages) == 1 and result.messages[0].startswith("it decodes to 0:3")
    assert result.messages[0].endswith(": the file is cut short or damaged")
    assert check_file(built, built / "out" / "cramps" / "cramps.mp3", Mp3Decodes()).result.status == "pass"


def test_transcript_that_stops_early_fails_its_span_and_its_parity(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.vtt"
    header, *cues = path.read_text("utf-8").rstrip("\n").split("\n\n")
    path.write_text("\n\n".join([header, *cues[:-1]]) + "\n", encoding="utf-8")
    code, report = run_json(folder, path)
    assert code == 1
    [span] = results(report, "transcript-cues")
    assert span["status"] == "fail" and span["messages"][0].startswith("the last cue ends at ")
    [parity] = results(report, "transcript-parity")
    assert parity["figure"] == f"{SENTENCES - 1}/{SENTENCES} sentences of the source in order, 1 missing"
    assert parity["messages"] == [f'missing: {folder / "source" / "cramps.yaml"}:30:13 disclaimer: "This leaflet does not replace advice from your doctor." is not read (it belongs after cue 28 at 1:02.514)']


def test_malformed_transcript_fails_with_the_cue_that_is_wrong(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.vtt"
    path.write_text(path.read_text("utf-8").replace(" --> ", " -> ", 1), encoding="utf-8")
    result = check_file(folder, path, TranscriptCues()).result
    assert (result.status, result.figure) == ("fail", "not valid WebVTT")
    assert result.messages[0].startswith(f"{path}: cue 1: bad timing line '00:00:00.750 -> ")


def test_speaking_rate_outside_the_configured_range_says_which_way_and_the_rate_built_with(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.pipeline.verify]\nwords_per_minute = [150, 200]\n", encoding="utf-8")
    result = check_file(built, built / "out" / "cramps" / "cramps.mp3", SpeakingRate()).result
    rate = int(result.figure.split()[0])
    assert result.status == "fail" and rate < 150
    assert result.figure.endswith("; range 150-200)")
    assert result.messages == (f"{rate} words a minute is too slow for patient information: build with another --rate (it was built with --rate 170)",)


@pytest.mark.parametrize(("setting", "shown"), [("[200, 150]", "[200, 150]"), ('"fast"', "'fast'"), ("[100]", "[100]")])
def test_a_wrong_speaking_rate_setting_is_named_with_an_example(built, tmp_path, monkeypatch, setting, shown):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(f"[tool.pipeline.verify]\nwords_per_minute = {setting}\n", encoding="utf-8")
    result = check_file(built, built / "out" / "cramps" / "cramps.mp3", SpeakingRate()).result
    assert result.status == "fail"
    assert result.messages[0].endswith("[tool.pipeline.verify] words_per_minute: expected [lowest, highest], e.g. [100, 170], found " + shown)


def test_syllables_heard_are_the_loudness_peaks_of_speech(tmp_path):
    """Twelve 150 ms bursts, each a syllable's loud core, between 100 ms pauses: twelve heard."""
    import numpy as np

    from pipeline.renderers import _mp3
    from pipeline.verify.syllables import syllables_heard

    rate = 22050
    burst = (np.sin(2 * np.pi * 220 * np.arange(int(0.15 * rate)) / rate) * np.hanning(int(0.15 * rate)) * 12000).astype(np.int16)
    pause = np.zeros(int(0.10 * rate), dtype=np.int16)
    path = tmp_path / "bursts.mp3"
    path.write_bytes(_mp3.encode([np.concatenate([pause, *([burst, pause] * 12)]).tobytes()], rate))
    count, seconds = syllables_heard(path)
    assert count == 12 and 3.0 < seconds < 3.3


@pytest.fixture(scope="module")
def arabic_narration(tmp_path_factory) -> Path:
    """The Arabic test article built as audio: its folder (source/ and out/)."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    folder = tmp_path_factory.mktemp("arabic")
    (folder / "source").mkdir()
    shutil.copy(ROOT / "tests" / "articles" / "lang" / "ar.yaml", folder / "source" / "ar.yaml")
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(folder / "out"), "-f", "audio", str(folder / "source" / "ar.yaml")])
    assert result.exit_code == 0, result.output
    return folder


def test_arabic_narration_is_paced_by_the_syllables_heard(arabic_narration):
    result = check_file(arabic_narration, arabic_narration / "out" / "ar" / "ar.mp3", SpeakingRate()).result
    assert result.status == "pass", result
    assert re.fullmatch(r"\d+ syllables a minute \(\d+ syllables heard in \d+:\d\d\.\d{3}; range 150-300\)", result.figure)


def test_arabic_narration_spoken_at_half_speed_is_too_slow(arabic_narration, tmp_path):
    """Every 20 ms of the first half said twice: the same length, half the syllables."""
    import numpy as np
    from sound_damage import rewrite_sound

    def half_speed(samples: np.ndarray) -> np.ndarray:
        chunks = np.array_split(samples[: len(samples) // 2], len(samples) // 2 // 441)
        return np.concatenate([part for chunk in chunks for part in (chunk, chunk)])[: len(samples)]

    folder = broken_copy(arabic_narration, tmp_path)
    path = folder / "out" / "ar" / "ar.mp3"
    rewrite_sound(path, half_speed)
    result = check_file(folder, path, SpeakingRate()).result
    assert result.status == "fail"
    assert re.fullmatch(r"\d+ syllables a minute is too slow for patient information: build with another --rate \(it was built with --rate 170\)", result.messages[0])
