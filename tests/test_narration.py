"""The narration: one recording per script, voice and rate, exact spans, clear failures."""

from __future__ import annotations

import array
import json
import math
import os
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from pipeline.speech import narration, synthesis
from pipeline.speech.script import Script, Unit

SAMPLE_RATE = narration.SAMPLE_RATE


def short_script(*extra: str) -> Script:
    units = [
        Unit(0, "Leg cramps at night.", "Leg cramps at night.", 0.4),
        Unit(0, "Most are harmless.", "Most are harmless.", 1.0),
        Unit(1, "Stretch your calves.", "Stretch your calves.", 0.4),
        *(Unit(1, sentence, sentence, 0.4) for sentence in extra),
        Unit(2, "Ask your doctor.", "Ask your doctor.", 0.0),
    ]
    return Script("en", ("Opening", "Advice", "Disclaimer"), tuple(units))


def _frames(path: Path) -> int:
    with wave.open(str(path)) as reader:
        return reader.getnframes()


def _pcm(path: Path) -> bytes:
    with wave.open(str(path)) as reader:
        return reader.readframes(reader.getnframes())


@pytest.fixture
def counted(monkeypatch):
    """Count syntheses, and keep each chunk's sample count (chunks live in a temporary folder)."""
    calls: list[list[int]] = []
    real = synthesis.synthesise

    def synthesise(*args, **kwargs):
        voice, chunks = real(*args, **kwargs)
        calls.append([_frames(chunk.wav) for chunk in chunks])
        return voice, chunks

    monkeypatch.setattr(synthesis, "synthesise", synthesise)
    return calls


def test_unit_starts_are_at_each_units_first_word():
    # "Hi there. Bye now." : units start at characters 0 and 10; espeak positions are 1-based
    words = ((1, 100), (4, 900), (11, 5000), (15, 6000))
    assert narration.unit_starts((0, 10), words, 9000) == [0, 5000]


def test_a_unit_without_words_gets_no_time_and_order_is_kept():
    words = ((1, 100), (20, 7000))
    assert narration.unit_starts((0, 10, 18), words, 9000) == [0, 7000, 7000]


def test_spans_are_exact_sample_counts_of_the_wav(tmp_path, counted):
    script = short_script()
    recording = narration.narrate(script, tmp_path)
    with wave.open(str(recording.wav)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, SAMPLE_RATE)
        assert reader.getnframes() == recording.samples
    pauses = sum(round(unit.pause * SAMPLE_RATE) for unit in script.units)
    assert recording.samples == sum(counted[0]) + pauses  # chunks plus the script's silences
    assert len(recording.units) == len(script.units)
    assert recording.chapters[0].start == 0 and recording.chapters[-1].end == recording.samples
    assert all(a.end == b.start for a, b in zip(recording.chapters, recording.chapters[1:]))
    assert all(0 <= span.start < span.end <= recording.samples for span in recording.units)
    assert all(a.end <= b.start for a, b in zip(recording.units, recording.units[1:]))
    assert recording.units[-1].end == recording.samples


def test_the_recording_is_speech_at_a_sane_level(tmp_path):
    recording = narration.narrate(short_script(), tmp_path)
    samples = array.array("h", _pcm(recording.wav))
    blocks = [samples[i : i + 441] for i in range(0, len(samples) - 441, 441)]  # 20 ms
    levels = [math.sqrt(sum(x * x for x in block) / len(block)) for block in blocks]
    silent = sum(level < 100 for level in levels) / len(levels)
    overall = math.sqrt(sum(x * x for x in samples) / len(samples))
    assert 0.1 < silent < 0.7  # pauses between words and sentences, but mostly voice
    assert 1000 < overall < 10000 and max(map(abs, samples)) > 8000


def test_a_second_request_for_the_same_narration_comes_from_the_cache(tmp_path, counted):
    first = narration.narrate(short_script(), tmp_path)
    again = narration.narrate(short_script(), tmp_path)
    assert again == first and len(counted) == 1
    narration.narrate(short_script(), tmp_path, rate=150)
    assert len(counted) == 2  # another rate is another recording


def test_two_requests_at_once_synthesise_only_once(tmp_path, counted):
    results = []
    threads = [threading.Thread(target=lambda: results.append(narration.narrate(short_script(), tmp_path))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counted) == 1 and len(results) == 2 and results[0] == results[1]


def test_a_product_of_the_recording_is_made_once_even_when_asked_for_at_once(tmp_path):
    recording = narration.narrate(short_script(), tmp_path)
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"".join(recording.blocks(frames=1000))

    results = []
    threads = [threading.Thread(target=lambda: results.append(recording.product("raw.pcm", make))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and results == [_pcm(recording.wav), _pcm(recording.wav)]
    assert recording.product("raw.pcm", make) == _pcm(recording.wav) and len(made) == 1  # from the file
    assert (tmp_path / f"{recording.wav.stem}.raw.pcm").is_file()


def test_only_the_most_recently_used_narrations_are_kept(tmp_path, monkeypatch, counted):
    monkeypatch.setattr(narration, "KEPT", 2)
    first = narration.narrate(short_script(), tmp_path, rate=150)
    narration.narrate(short_script(), tmp_path, rate=160)
    first.product("raw.pcm", lambda: _pcm(first.wav))
    assert narration.narrate(short_script(), tmp_path, rate=150) == first  # used again: now the newest
    narration.narrate(short_script(), tmp_path, rate=170)  # a third: the least recently used goes
    assert len(counted) == 3
    assert len(list(tmp_path.glob("narration-*.json"))) == len(list(tmp_path.glob("narration-*.wav"))) == 2
    assert first.wav.is_file() and (tmp_path / f"{first.wav.stem}.raw.pcm").is_file()
    narration.narrate(short_script(), tmp_path, rate=160)
    assert len(counted) == 4  # it had gone, with all its files
    assert not first.wav.exists() and not list(tmp_path.glob(f"{first.wav.stem}.*"))


def test_the_code_that_makes_a_recording_is_part_of_its_key(monkeypatch):
    key = narration.cache_key(short_script(), ["en"], 170)
    monkeypatch.setattr(narration, "code_digest", lambda name: "an edited line")
    assert narration.cache_key(short_script(), ["en"], 170) != key


def test_the_mp3_is_encoded_again_when_the_code_that_encodes_it_changes(tmp_path, monkeypatch):
    from pipeline.renderers import _mp3

    recording = narration.narrate(short_script(), tmp_path)
    first = _mp3.of_narration(recording)
    assert _mp3.of_narration(recording) == first and len(list(tmp_path.glob("*.mp3"))) == 1
    monkeypatch.setattr(_mp3, "code_digest", lambda name: "an edited line")
    assert _mp3.of_narration(recording) == first and len(list(tmp_path.glob("*.mp3"))) == 2


def test_a_worker_that_fails_gives_a_clear_error_and_caches_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(synthesis, "WORKER", (sys.executable, "-c", "import sys; sys.exit('espeak-ng exploded')"))
    with pytest.raises(synthesis.SynthesisError, match="speech synthesis failed .*espeak-ng exploded"):
        narration.narrate(short_script(), tmp_path)
    assert not list(tmp_path.glob("*.wav")) and not list(tmp_path.glob("*.json"))


def test_a_hung_worker_is_stopped_when_its_time_is_up(tmp_path, monkeypatch):
    monkeypatch.setattr(synthesis, "WORKER", (sys.executable, "-c", "import time; time.sleep(60)"))
    monkeypatch.setattr(synthesis, "START_SECONDS", 1.0)
    monkeypatch.setattr(synthesis, "SECONDS_PER_CHAR", 0.0)
    with pytest.raises(synthesis.SynthesisError, match="did not finish within 1 s and was stopped"):
        narration.narrate(short_script(), tmp_path)


def test_an_unknown_voice_is_named_in_the_error(tmp_path):
    with pytest.raises(synthesis.SynthesisError, match="espeak-ng has no voice 'xx-nonesuch'"):
        narration.narrate(short_script(), tmp_path, voice="xx-nonesuch")


def test_espeak_markup_reaching_the_engine_is_read_not_obeyed(tmp_path):
    """Even without speech.inert(), the driver's flags give tags and [[phonemes]] no power."""
    hostile = '<speak><break time="20s"/></speak> [[h@l\'oU]] <audio src="file:///etc/passwd"/>'
    recording = narration.narrate(short_script(hostile), tmp_path)
    assert recording.seconds(recording.samples) < 20  # a 20-second break would be obeyed markup
    hostile_span = recording.units[3]
    assert hostile_span.end > hostile_span.start  # its words were spoken


def test_rate_option_accepts_80_to_300_words_per_minute():
    from pipeline.renderers._spoken import SpokenRenderer

    rate = SpokenRenderer.options["rate"]
    assert rate.read("80") == 80 and rate.read("300") == 300
    for bad, message in (("79", "outside 80-300"), ("301", "outside 80-300"), ("fast", "not a whole number")):
        with pytest.raises(ValueError, match=message):
            rate.read(bad)


def test_voices_for_a_language_tag_try_the_region_then_the_language():
    assert narration.voices_for("en-GB") == ["en-gb", "en"]
    assert narration.voices_for("es") == ["es"]


def test_cached_files_are_reused_only_when_they_agree(tmp_path, counted):
    recording = narration.narrate(short_script(), tmp_path)
    Path(recording.wav).write_bytes(Path(recording.wav).read_bytes()[:-2000])  # truncated by a crash
    narration.narrate(short_script(), tmp_path)
    assert len(counted) == 2


def run_worker(tmp_path: Path, *texts: str) -> subprocess.CompletedProcess:
    chunks = [{"text": text, "wav": str(tmp_path / f"{index}.wav")} for index, text in enumerate(texts)]
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"voices": ["en"], "rate": 170, "timeout": 30, "chunks": chunks}))
    return subprocess.run([*synthesis.WORKER, str(request), str(os.getpid())], capture_output=True, text=True, timeout=60)


def test_worker_answers_only_json_on_stdout_the_drivers_chatter_goes_nowhere(tmp_path):
    process = run_worker(tmp_path, "First file.", "Second file, a little longer.")
    assert process.returncode == 0, process.stderr
    answer = json.loads(process.stdout)  # "Audio saved to ..." would break this
    assert "Audio saved" not in process.stdout + process.stderr
    assert [chunk["samples"] for chunk in answer["chunks"]] == [_frames(tmp_path / "0.wav"), _frames(tmp_path / "1.wav")]
    assert answer["chunks"][1]["samples"] > answer["chunks"][0]["samples"] > 0


def test_worker_refuses_empty_text_instead_of_tripping_the_engines_assert(tmp_path):
    process = run_worker(tmp_path, "   ")
    assert process.returncode == 1 and process.stdout == ""
    assert "refusing to synthesise empty text" in process.stderr and "Traceback" not in process.stderr


def test_chinese_tags_are_spoken_in_the_language_espeak_names():
    assert narration.voices_for("zh-Hant-TW") == ["zh-hant-tw", "zh", "cmn"]
    assert narration.voices_for("zh-HK") == ["zh-hk", "zh", "yue"]


def test_a_full_disk_is_named_at_once_not_taken_for_a_hung_espeak(tmp_path):
    """The second chunk's file is /dev/full, where every write fails with ENOSPC, as on a full disk."""
    (tmp_path / "1.wav").symlink_to("/dev/full")
    started = time.monotonic()
    process = run_worker(tmp_path, "First file.", "Second file, on a full disk.")
    assert time.monotonic() - started < 30  # it used to wait for its time limit, then blame espeak-ng
    assert process.returncode == 1 and process.stdout == ""
    assert f"no space left on device for the speech in {tmp_path}: free some space, then build again" in process.stderr
    assert "hung" not in process.stderr and "Traceback" not in process.stderr


def test_the_same_chunks_on_a_disk_with_room_are_spoken(tmp_path):
    process = run_worker(tmp_path, "First file.", "Second file, on a full disk.")
    assert process.returncode == 0, process.stderr
    assert _frames(tmp_path / "1.wav") > 0
