"""Spoken audio: an MP3 that decodes to exactly the narration, chapters, a transcript in step."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from output_checks import article_sentences

from pipeline.cli import cli
from pipeline.model import markup, walk
from pipeline.renderers import _mp3
from pipeline.source.validate import load_article
from pipeline.speech.script import script_for
from pipeline.text import sentences
from pipeline.verify.checks.webvtt import parse

SOURCE = MINIMAL.replace(
    "Drink enough water.",
    'Drink 500 mL of water --> then <b>rest</b> & [[stop]]. See https://medlineplus.gov/ for more.',
)


def build(out: Path, source: Path, *options: str):
    return CliRunner().invoke(cli, ["build", "--out", str(out), "-f", "audio", *options, str(source)])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audio")
    source = folder / "cramps.yaml"
    source.write_text(SOURCE, encoding="utf-8")
    result = build(folder / "out", source)
    assert result.exit_code == 0, result.output
    return source, folder / "out" / "cramps"


def chapters(path: Path) -> list[tuple[str, int, int]]:
    tags = ID3(path)
    order = tags.getall("CTOC")[0].child_element_ids
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    return [(str(frames[id_].sub_frames["TIT2"]), frames[id_].start_time, frames[id_].end_time) for id_ in order]


def test_mp3_decodes_to_exactly_the_narrated_samples(built):
    _, folder = built
    info = MP3(folder / "cramps.mp3").info
    recording = next(folder.parent.glob(".cache/cramps/narration-*.speech-*.wav"))  # the narration, mastered
    samples = (recording.stat().st_size - 44) // 2
    assert (info.sample_rate, info.channels, info.bitrate, info.sketchy) == (22050, 1, 56000, False)
    assert info.encoder_settings == "-b 56"  # mutagen read our LAME tag
    assert info.length == pytest.approx(samples / 22050, abs=0.5 / 22050)  # encoder delay and padding trimmed


def test_info_frame_counts_every_audio_frame_and_checks_out():
    pcm = bytes(2 * 22050)  # one second of silence
    data = _mp3.encode([pcm], 22050)
    info, audio = data[:182], data[182:]
    frames = len(_mp3.frame_lengths(audio))
    assert info[13:17] == b"Info" and int.from_bytes(info[21:25], "big") == frames
    assert int.from_bytes(info[154:157], "big") >> 12 == _mp3.ENCODER_DELAY
    assert frames * 576 - 22050 - 576 == int.from_bytes(info[154:157], "big") & 0xFFF
    assert int.from_bytes(info[167:169], "big") == _mp3.crc16(info[:167])
    assert _mp3.crc16(b"123456789") == 0xBB3D  # the CRC-16/ARC check value


def test_tags_name_title_artist_album_language_year(built):
    _, folder = built
    tags = ID3(folder / "cramps.mp3")
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == "Leg cramps at night" and str(tags["TALB"]) == "Leg cramps at night"
    assert str(tags["TPE1"]) == "Patient information"  # no publisher in the source
    assert str(tags["TLAN"]) == "eng" and str(tags["TDRC"]) == "2026-01-10"
    assert b"TYER" in (folder / "cramps.mp3").read_bytes()[:2000]  # the year as ID3v2.3 writes it


def test_chapters_cover_every_top_level_section_in_order_and_end_at_the_audio_end(built):
    _, folder = built
    found = chapters(folder / "cramps.mp3")
    assert [title for title, _, _ in found] == [
        "Leg cramps at night", "Key points", "1. What helps", "Questions and answers", "References", "Medical disclaimer"
    ]
    assert found[0][1] == 0
    assert all(end == next_start for (_, _, end), (_, next_start, _) in zip(found, found[1:]))
    assert all(start < end for _, start, end in found)
    assert found[-1][2] == round(MP3(folder / "cramps.mp3").info.length * 1000)


def test_transcript_is_strict_webvtt_ending_with_the_audio(built):
    _, folder = built
    cues = parse((folder / "cramps.vtt").read_text("utf-8"))
    length_ms = MP3(folder / "cramps.mp3").info.length * 1000
    assert cues[0].start_ms == 750 and abs(cues[-1].end_ms - length_ms) < 1000  # after the mastered lead-in
    assert cues[-1].text == "This leaflet does not replace advice from your doctor."


def test_transcript_has_every_sentence_written_not_spoken(built):
    source, folder = built
    article = load_article(source)
    transcript = sentences.fold_space(" ".join(cue.text for cue in parse((folder / "cramps.vtt").read_text("utf-8"))))
    missing = [sentence for sentence in article_sentences(article) if sentence not in transcript]
    assert missing == []
    assert "Drink 500 mL of water --> then <b>rest</b> & [[stop]]." in transcript  # escaped in the file
    assert "millilitres" not in transcript and "the web address in the transcript" not in transcript


def test_two_builds_give_identical_bytes(built, tmp_path):
    source, folder = built
    assert build(tmp_path / "out", source).exit_code == 0  # fresh cache: synthesised again
    for name in ("cramps.mp3", "cramps.vtt"):
        assert (tmp_path / "out" / "cramps" / name).read_bytes() == (folder / name).read_bytes()


def test_failed_synthesis_keeps_the_previous_mp3_and_transcript(built):
    source, folder = built
    before = {name: (folder / name).read_bytes() for name in ("cramps.mp3", "cramps.vtt")}
    # The renderer runs in a build worker process, so the failure is provoked through its input.
    result = build(folder.parent, source, "--voice", "no-such-voice")
    assert result.exit_code == 1
    assert "SynthesisError: speech synthesis failed" in result.output and "espeak-ng has no voice 'no-such-voice'" in result.output
    assert {name: (folder / name).read_bytes() for name in before} == before


def test_a_recording_over_the_length_limit_fails_with_advice(built):
    source, folder = built
    result = build(folder.parent, source, "--max-minutes", "0.1")  # same narration: from the cache
    assert result.exit_code == 1
    assert "more than the limit of 0.1 (--max-minutes): raise the limit, or split the article" in result.output


def test_rate_outside_80_to_300_is_a_usage_error(built):
    source, folder = built
    result = build(folder.parent, source, "--rate", "500")
    assert result.exit_code == 2 and "500 words per minute is outside 80-300" in result.output


def test_first_article_is_read_at_130_to_180_words_a_minute_with_every_sentence(tmp_path):
    result = build(tmp_path, FIRST_ARTICLE)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "hard-muscles"
    article = load_article(FIRST_ARTICLE)
    minutes = MP3(folder / "hard-muscles.mp3").info.length / 60
    assert 130 <= sum(len(sentences.words(unit.spoken)) for unit in script_for(article).units) / minutes <= 180
    cues = parse((folder / "hard-muscles.vtt").read_text("utf-8"))
    transcript = sentences.fold_space(" ".join(cue.text for cue in cues))
    assert [s for s in article_sentences(article) if s not in transcript] == []
    found = chapters(folder / "hard-muscles.mp3")
    tops = [f"{number}. {markup.plain(section.heading)}" for number, section, depth in walk.section_numbers(article) if depth == 1]
    assert [title for title, _, _ in found if title in tops] == tops
    assert found[-1][2] == round(minutes * 60000)
