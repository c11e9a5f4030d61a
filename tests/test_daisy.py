"""The DAISY 2.02 talking book, and the `daisy-*` checks that hold it to the specification:
each proven on the good book and on a copy damaged as a library's player would suffer it."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL
from mutagen.mp3 import MP3
from verify_helpers import SENTENCES, check_file, rewrite_zip

from pipeline.cli import cli
from pipeline.verify.checks.daisy import REQUIRED, DaisyHeadings, DaisyParity, DaisyStructure, DaisyTimes

pytestmark = pytest.mark.heavy
BOOK = "cramps.daisy.zip"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("daisy")
    (folder / "source").mkdir()
    (folder / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(folder / "out"), "-f", "daisy", str(folder / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    return folder


def book(folder: Path) -> Path:
    return folder / "out" / "cramps" / BOOK


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def damaged(built: Path, tmp_path: Path, name: str, change) -> Path:
    """A copy of the build whose book has `name` (in the book's folder) rewritten by `change(text)`."""
    copy = tmp_path / "damaged"
    shutil.copytree(built, copy)
    rewrite_zip(book(copy), lambda entry, data: change(data.decode()).encode() if entry == f"cramps/{name}" else data)
    return copy


def verdict(folder: Path, check):
    return check_file(folder, book(folder), check).result


def test_the_book_is_one_folder_with_its_ncc_a_smil_per_heading_the_text_and_the_narration(built):
    names = list(entries(book(built)))
    smils = [name for name in names if name.endswith(".smil")]
    assert names[:2] == ["cramps/ncc.html", "cramps/content.html"] and names[-1] == "cramps/narration.mp3"
    ncc = ElementTree.fromstring(entries(book(built))["cramps/ncc.html"])
    headings = [element for element in ncc.iter() if re.fullmatch(rf"{re.escape(XHTML)}h[1-6]", element.tag)]
    assert len(smils) == len(headings) == 8 and all(name.startswith("cramps/s0") for name in smils)
    assert headings[0].get("class") == "title" and headings[0].tag == f"{XHTML}h1"


def test_the_ncc_declares_what_daisy_2_02_requires(built):
    files = entries(book(built))
    meta = {element.get("name"): element.get("content") for element in ElementTree.fromstring(files["cramps/ncc.html"]).iter(f"{XHTML}meta") if element.get("name")}
    assert set(REQUIRED) <= meta.keys()
    assert (meta["dc:format"], meta["ncc:multimediaType"], meta["dc:language"], meta["ncc:tocItems"], meta["ncc:files"]) == ("Daisy 2.02", "audioFullText", "en", "8", str(len(files)))
    assert meta["ncc:narrator"].startswith("a synthetic voice (espeak-ng ")
    assert re.fullmatch(r"\d\d:\d\d:\d\d", meta["ncc:totalTime"])


def test_each_sentence_read_is_a_par_whose_clips_follow_each_other_through_the_narration(built):
    files = entries(book(built))
    pars = [par for name, data in files.items() if name.endswith(".smil") for par in ElementTree.fromstring(data).iter("par")]
    assert len(pars) >= SENTENCES - 1  # one per sentence (the title, a heading, a table row: one each)
    clips = [(float(par.find("audio").get("clip-begin")[4:-1]), float(par.find("audio").get("clip-end")[4:-1])) for par in pars]
    assert clips == sorted(clips) and all(begin < end for begin, end in clips)
    assert all(end == following for (_, end), (following, _) in zip(clips, clips[1:]))  # no pause left out between sentences
    assert clips[0][0] == pytest.approx(0.75)  # the first word after the mastered lead-in
    with zipfile.ZipFile(book(built)) as archive, archive.open("cramps/narration.mp3") as audio:
        assert clips[-1][1] <= MP3(audio).info.length + 0.001  # times in whole milliseconds


def test_the_good_book_passes_every_daisy_check(built):
    for check in (DaisyStructure(), DaisyTimes(), DaisyHeadings(), DaisyParity()):
        result = verdict(built, check)
        assert (check.name, result.status, result.messages) == (check.name, "pass", ())
    assert verdict(built, DaisyParity()).figure == f"{SENTENCES}/{SENTENCES} sentences of the source in order; 2/2 details"


def test_a_clip_past_the_end_of_its_audio_fails_the_times_naming_its_par(built, tmp_path):
    folder = damaged(built, tmp_path, "s0008.smil", lambda text: re.sub(r'clip-end="npt=[\d.]+s"', 'clip-end="npt=999.000s"', text))
    result = verdict(folder, DaisyTimes())
    assert result.status == "fail"
    assert any(re.fullmatch(r"s0008\.smil par p1: its clip \d+\.\d{3} s-999\.000 s is not inside narration\.mp3 of \d+\.\d{3} s", message) for message in result.messages)


def test_a_total_time_that_is_not_the_sum_of_the_smil_files_fails(built, tmp_path):
    folder = damaged(built, tmp_path, "ncc.html", lambda text: re.sub(r'"ncc:totalTime" content="[^"]+"', '"ncc:totalTime" content="02:00:00"', text))
    result = verdict(folder, DaisyTimes())
    assert result.status == "fail" and result.messages[0].startswith("ncc.html's ncc:totalTime is '02:00:00', but the SMIL files last ")


def test_a_heading_missing_from_the_ncc_fails_naming_the_heading(built, tmp_path):
    folder = damaged(built, tmp_path, "ncc.html", lambda text: re.sub(r'<h2 id="h6">.*?</h2>\n', "", text))
    result = verdict(folder, DaisyHeadings())
    assert result.status == "fail"
    assert result.messages == ("the heading 'Questions and answers' (h2) is not in ncc.html at its level: a player cannot go to it",)
    assert verdict(folder, DaisyStructure()).status == "fail"  # ncc:tocItems counts it still


def test_a_heading_at_another_level_fails(built, tmp_path):
    folder = damaged(built, tmp_path, "ncc.html", lambda text: text.replace('<h2 id="h6">', '<h3 id="h6">', 1).replace('</a></h2>\n<h2 id="h7">', '</a></h3>\n<h2 id="h7">', 1))
    result = verdict(folder, DaisyHeadings())
    assert result.status == "fail" and result.messages[0] == "the heading 'Questions and answers' (h2) is not in ncc.html at its level: a player cannot go to it"


def test_an_ncc_without_its_format_or_a_link_that_arrives_nowhere_fails_the_structure(built, tmp_path):
    folder = damaged(built, tmp_path, "ncc.html", lambda text: text.replace('<meta name="dc:format" content="Daisy 2.02"/>', "").replace("s0003.smil#p1", "s0003.smil#p99"))
    result = verdict(folder, DaisyStructure())
    assert result.status == "fail"
    assert "ncc.html has no dc:format metadata" in result.messages
    assert any(message.endswith("links to 's0003.smil#p99', which is no par of a SMIL file of the book") for message in result.messages)


def test_a_sentence_missing_from_the_text_fails_the_parity(built, tmp_path):
    folder = damaged(built, tmp_path, "content.html", lambda text: text.replace("Drink enough water.", "", 1))
    result = verdict(folder, DaisyParity())
    assert result.status == "fail" and result.figure.startswith(f"{SENTENCES - 1}/{SENTENCES} sentences")


def test_an_archive_that_is_not_a_zip_fails_with_what_to_do(built, tmp_path):
    copy = tmp_path / "damaged"
    shutil.copytree(built, copy)
    book(copy).write_bytes(b"not a zip")
    result = verdict(copy, DaisyStructure())
    assert (result.status, result.figure) == ("fail", "unreadable") and result.messages[0].endswith(": build it again")


def test_two_builds_give_the_same_bytes(built, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--quiet", "--force", "--out", str(tmp_path), "-f", "daisy", str(built / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cramps" / BOOK).read_bytes() == book(built).read_bytes()
