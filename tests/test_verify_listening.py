"""`narration-matches-transcript` listens to the MP3: the first article's narration, damaged in
its sound only (the transcript and the ID3 tag stay as built), fails, naming the cues and
chapters; the untouched narration, and the test articles' in other scripts, pass with margin."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL, ROOT
from sound_damage import RATE, duration, hum, reversed_sound, rewrite_sound, said_instead, shifted, silenced, swapped
from verify_helpers import check_file

from pipeline.cli import cli
from pipeline.source.publisher import issued, read_profile
from pipeline.source.validate import load_article
from pipeline.speech import respoken
from pipeline.speech.script import script_for
from pipeline.verify.checks.audio import read_chapters
from pipeline.verify.checks.listening import LIMIT_DB, NarrationMatchesTranscript
from pipeline.verify.checks.webvtt import Cue, parse

pytestmark = pytest.mark.heavy

ARTICLE = FIRST_ARTICLE.stem
LANGUAGES = ("es", "ar", "hi", "zh-hans")
FAILED_CUE = re.compile(r'^cue (\d+) at \d+:\d\d\.\d{3} \(".+"\) in chapter (\d+) \(.+\) (does not sound like its text|sounds like the text of cue \d+)')


def build(folder: Path, source: Path) -> Path:
    """`folder` holding source/<id>.yaml and out/<id>/ built as audio: the MP3's path."""
    (folder / "source").mkdir(parents=True)
    shutil.copy(source, folder / "source" / source.name)
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(folder / "out"), "-f", "audio", str(folder / "source" / source.name)])
    assert result.exit_code == 0, result.output
    return folder / "out" / source.stem / f"{source.stem}.mp3"


@pytest.fixture(scope="module")
def narrated(tmp_path_factory) -> Path:
    """The first article built as audio, once for this module: its folder."""
    folder = tmp_path_factory.mktemp("listening")
    build(folder, FIRST_ARTICLE)
    return folder


@pytest.fixture
def damaged(narrated, tmp_path) -> Callable[[Callable[[np.ndarray], np.ndarray]], Path]:
    """A copy of the built article whose MP3 sound is changed by a function of its samples."""

    def damage(change: Callable[[np.ndarray], np.ndarray]) -> Path:
        folder = tmp_path / "damaged"
        shutil.copytree(narrated, folder)
        rewrite_sound(mp3_of(folder), change)
        return folder

    return damage


def mp3_of(folder: Path) -> Path:
    return folder / "out" / ARTICLE / f"{ARTICLE}.mp3"


def cues_of(folder: Path) -> list[Cue]:
    return parse(mp3_of(folder).with_suffix(".vtt").read_text("utf-8"))


# ---------------------------------------------------------------- the verdicts


def listened(folder: Path):
    return check_file(folder, mp3_of(folder), NarrationMatchesTranscript()).result


def failed_cues(messages: tuple[str, ...]) -> dict[int, int]:
    """Cue number -> chapter number of every cue a message says fails."""
    return {int(match[1]): int(match[2]) for message in messages if (match := FAILED_CUE.match(message))}


def test_unchanged_narration_passes_with_margin(narrated):
    result = listened(narrated)
    cues = cues_of(narrated)
    assert result.status == "pass", result.messages
    worst = float(re.fullmatch(rf"{len(cues)}/{len(cues)} cues sound like their text spoken again \(worst (\d+\.\d) dB, limit 2 dB\)", result.figure)[1])
    assert worst <= LIMIT_DB / 2  # measured: 0.7 dB
    chapters, _ = read_chapters(mp3_of(narrated))
    assert [line.rpartition(": ")[0] for line in result.messages] == [f"chapter {number} ({chapter.title})" for number, chapter in enumerate(chapters, start=1)]


def test_reversed_narration_fails_every_cue_of_every_chapter(damaged):
    folder = damaged(reversed_sound)
    result = listened(folder)
    cues = cues_of(folder)
    assert result.status == "fail" and result.figure.startswith(f"0/{len(cues)} cues ")
    assert len(failed_cues(result.messages)) == len(cues)
    assert result.messages[0].startswith("chapter 1 (What Vitamin Deficiency Causes Hard Muscles?): 0/10 cues match, worst ")
    assert result.messages[10].startswith(
        'cue 1 at 0:00.750 ("What Vitamin Deficiency Causes Hard Musc...") in chapter 1 (What Vitamin Deficiency Causes Hard Muscles?) does not sound like its text ('
    )


def test_hum_as_long_as_the_narration_fails_every_cue(damaged):
    folder = damaged(hum)
    result = listened(folder)
    assert result.status == "fail" and result.figure.startswith(f"0/{len(cues_of(folder))} cues ")
    assert len(failed_cues(result.messages)) == len(cues_of(folder))


def test_a_silenced_chapter_fails_its_cues_and_no_other(narrated, damaged):
    chapters, _ = read_chapters(mp3_of(narrated))
    third = chapters[2]
    folder = damaged(silenced(third.start_ms, third.end_ms))
    result = listened(folder)
    in_third = [number for number, cue in enumerate(cues_of(folder), start=1) if third.start_ms <= cue.start_ms < third.end_ms]
    assert result.status == "fail"
    assert failed_cues(result.messages) == dict.fromkeys(in_third, 3)
    assert result.messages[2].startswith(f"chapter 3 ({third.title}): 0/{len(in_third)} cues match, worst ")
    assert result.messages[1].startswith("chapter 2 (Key points): 13/13 cues match, worst ")


def test_two_cues_swapped_fail_both_and_no_other(narrated, damaged):
    cues = cues_of(narrated)
    folder = damaged(swapped(cues[29], cues[30]))
    result = listened(folder)
    assert result.status == "fail"
    assert failed_cues(result.messages) == {30: 3, 31: 3}


def test_a_cue_saying_the_next_cues_sentence_is_named_with_it(narrated, damaged):
    cues = cues_of(narrated)
    closest = min(range(len(cues) - 1), key=lambda index: abs(duration(cues[index]) - duration(cues[index + 1])))  # the sentence fits
    folder = damaged(said_instead(cues[closest], cues[closest + 1]))
    result = listened(folder)
    assert result.status == "fail"
    [message] = [message for message in result.messages if message.startswith("cue ")]
    assert f"sounds like the text of cue {closest + 2} (" in message and message.endswith("): its sound is out of place")
    assert failed_cues(result.messages).keys() == {closest + 1}


def test_narration_a_second_and_a_half_late_fails_every_cue(damaged):
    folder = damaged(shifted(1.5))
    result = listened(folder)
    assert result.status == "fail"
    assert len(failed_cues(result.messages)) == len(cues_of(folder))


def test_a_cue_whose_text_was_changed_fails_and_no_other(narrated, tmp_path):
    folder = tmp_path / "edited"
    shutil.copytree(narrated, folder)
    transcript = mp3_of(folder).with_suffix(".vtt")
    fifth = cues_of(folder)[4].text
    transcript.write_text(transcript.read_text("utf-8").replace(f"\n{fifth}\n", "\nTake ten times the usual dose.\n"), encoding="utf-8")
    result = listened(folder)
    assert result.status == "fail"
    assert failed_cues(result.messages) == {5: 1}
    assert [message for message in result.messages if message.startswith("cue ")][0].startswith('cue 5 at 0:1') and '("Take ten times the usual dose.")' in result.messages[-1]


def test_a_voice_that_cannot_speak_the_cues_again_is_a_failure_to_check(narrated, tmp_path):
    folder = tmp_path / "voice"
    shutil.copytree(narrated, folder)
    manifest = folder / "out" / ARTICLE / "manifest.json"
    recorded = json.loads(manifest.read_text("utf-8"))
    recorded["outputs"]["audio"]["options"]["voice"] = "no-such-voice"
    manifest.write_text(json.dumps(recorded), encoding="utf-8")
    result = listened(folder)
    assert (result.status, result.figure, result.lasting) == ("fail", "not run", False)
    [message] = result.messages
    assert message.startswith("the cues could not be spoken again to compare: ") and "espeak-ng has no voice 'no-such-voice'" in message


def test_a_transcript_that_cannot_be_read_fails_without_listening(narrated, tmp_path):
    folder = tmp_path / "unreadable"
    shutil.copytree(narrated, folder)
    transcript = mp3_of(folder).with_suffix(".vtt")
    transcript.write_text(transcript.read_text("utf-8").replace("WEBVTT", "WEBVTT FILE", 1), encoding="utf-8")
    result = listened(folder)
    assert (result.status, result.figure) == ("fail", "not valid WebVTT")
    assert result.messages[0].endswith(": transcript-cues says more")


def test_each_cue_is_expected_to_sound_as_the_narration_says_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline.publisher]\nname = "Riverside Health Centre"\nphone = "020 7946 0321"\n', encoding="utf-8")
    (tmp_path / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    article = issued(load_article(tmp_path / "cramps.yaml"), read_profile(tmp_path / "pyproject.toml"))
    script = script_for(article)
    narrated = respoken.sentences_spoken(script, None, 170)
    texts = [unit.written for unit in script.units]
    texts[1:3] = [f"{texts[1]} {texts[2]}"]  # two sentences in one cue
    texts[5] = "Take ten times the usual dose."  # an edited cue
    _, expected = respoken.expected_sounds(article, texts, None, 170)
    assert np.array_equal(expected[1].sound, np.concatenate(narrated[1:3]))
    phone = texts.index("Phone: 020 7946 0321.")
    assert script.units[phone + 1].spoken == "Phone: 0 2 0, 7 9 4 6, 0 3 2 1."
    assert np.array_equal(expected[phone].sound, narrated[phone + 1]) and expected[phone].chapter == len(script.chapters) - 1
    assert expected[5].chapter == expected[4].chapter and len(expected[5].sound) > RATE
    # the edited cue is spoken apart: every other cue sounds exactly as in the narration
    assert all(np.array_equal(item.sound, narrated[index + 1]) for index, item in enumerate(expected[6:], start=6))
    assert [item.chapter for item in expected[6:]] == [unit.chapter for unit in script.units[7:]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_narration_in_another_script_passes_with_margin(lang, tmp_path):
    mp3 = build(tmp_path, ROOT / "tests" / "articles" / "lang" / f"{lang}.yaml")
    result = check_file(tmp_path, mp3, NarrationMatchesTranscript()).result
    assert result.status == "pass", result.messages
    assert float(re.search(r"worst (\d+\.\d) dB", result.figure)[1]) <= LIMIT_DB / 2  # measured: 0.5-0.7 dB
