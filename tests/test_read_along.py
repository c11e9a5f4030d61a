"""The read-along e-book: EPUB 3 Media Overlays in step with the narration and its transcript."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass

import pytest
from browser import chromium, needs_browser, serve
from click.testing import CliRunner
from conftest import MINIMAL
from mutagen.mp3 import MP3
from test_epub import NS, entries, epubcheck, metadata, package, spine_documents

from pipeline.cli import cli
from pipeline.locale import catalogue_for
from pipeline.registry import installed
from pipeline.renderers import read_along
from pipeline.source.validate import load_article
from pipeline.speech import synthesis
from pipeline.speech.script import brief_disclaimer, script_for
from pipeline.text import anchors, sentences
from pipeline.verify.checks.webvtt import parse

SMIL = "{http://www.w3.org/ns/SMIL}"
BOOK = "hard-muscles.read-along.epub"
COUNTER = """\
import os, sys
if "pipeline.speech.espeak_worker" in sys.orig_argv:
    with open(os.environ["ESPEAK_WORKER_LOG"], "a") as log:
        log.write(f"{os.getpid()}\\n")
"""
"""A sitecustomize that notes each espeak-ng worker process started: every process of the build
(build workers, speech workers) starts Python with it on PYTHONPATH."""


@dataclass(frozen=True)
class Par:
    document: str
    target: str
    begin_ms: int
    end_ms: int


def clock_ms(value: str) -> int:
    hours, minutes, seconds, millis = re.fullmatch(r"(\d+):(\d\d):(\d\d)\.(\d{3})", value).groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def manifest(data: bytes) -> dict[str, ElementTree.Element]:
    return {item.get("id"): item for item in package(data).iterfind("opf:manifest/opf:item", NS)}


def overlays(data: bytes) -> dict[str, list[Par]]:
    """Each content document's pars, from the SMIL its manifest entry names, in SMIL order."""
    items, files = manifest(data), entries(data)
    result = {}
    for item in items.values():
        if item.get("media-overlay"):
            smil = ElementTree.fromstring(files[f"EPUB/{items[item.get('media-overlay')].get('href')}"])
            result[item.get("href")] = [
                Par(*par.find(f"{SMIL}text").get("src").split("#"), *(clock_ms(par.find(f"{SMIL}audio").get(key)) for key in ("clipBegin", "clipEnd")))
                for par in smil.iter(f"{SMIL}par")
            ]
    return result


def durations(data: bytes) -> dict[str | None, int]:
    """media:duration in milliseconds, by the manifest id it refines (None: the whole book)."""
    found = package(data).iterfind("opf:metadata/opf:meta[@property='media:duration']", NS)
    return {(meta.get("refines") or "#")[1:] or None: clock_ms(meta.text) for meta in found}


@pytest.fixture(scope="module")
def first(spoken_first_article) -> bytes:
    return (spoken_first_article / BOOK).read_bytes()


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    """The short article built as MP3 and read-along e-book in one build, both at once (two
    jobs), with every espeak-ng worker started written down."""
    folder = tmp_path_factory.mktemp("together")
    (folder / "site").mkdir()
    (folder / "site" / "sitecustomize.py").write_text(COUNTER, encoding="utf-8")
    source = folder / "cramps.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    log = folder / "espeak-workers.log"
    path = os.pathsep.join(filter(None, [str(folder / "site"), os.environ.get("PYTHONPATH")]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", path)
        patch.setenv("ESPEAK_WORKER_LOG", str(log))
        command = ["build", "--jobs", "2", "--out", str(folder / "out"), "-f", "audio", "-f", "epub-read-along", str(source)]
        result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    return source, folder / "out", log


def test_audio_and_read_along_built_together_synthesise_the_narration_once(together):
    source, out, log = together
    chapters = script_for(load_article(source)).chapters
    started = log.read_text("utf-8").split()
    assert len(started) == min(synthesis.PROCESSES, len(chapters))  # the speech workers of one synthesis
    assert len(list((out / ".cache" / "cramps").glob("narration-*.json"))) == 1
    assert len(list((out / ".cache" / "cramps").glob("narration-*.speech-*.wav"))) == 1  # mastered once, for both
    assert len(list((out / ".cache" / "cramps").glob("narration-*.mp3"))) == 1  # and encoded once, for both


def test_the_book_carries_the_narration_exactly_as_the_mp3_edition_encodes_it(together):
    _, out, _ = together
    inside = entries((out / "cramps" / "cramps.read-along.epub").read_bytes())["EPUB/audio/narration.mp3"]
    assert len(inside) > 100_000 and (out / "cramps" / "cramps.mp3").read_bytes().endswith(inside)  # after the ID3 tags


def test_the_narration_is_stored_not_deflated_again(together):
    """MP3 does not compress: deflating 5 MB of it cost the read-along book a second."""
    _, out, _ = together
    with zipfile.ZipFile(out / "cramps" / "cramps.read-along.epub") as book:
        assert book.getinfo("EPUB/audio/narration.mp3").compress_type == zipfile.ZIP_STORED
        assert book.getinfo("EPUB/nav.xhtml").compress_type == zipfile.ZIP_DEFLATED


def test_epubcheck_reports_no_fatal_error_or_warning(first, tmp_path, monkeypatch):
    path = tmp_path / BOOK
    path.write_bytes(first)
    counts, messages = epubcheck(path, monkeypatch)
    assert counts == (0, 0, 0), messages


def test_every_marked_element_has_exactly_one_par_in_reading_order(first):
    pars = overlays(first)
    for name, root in spine_documents(first):
        marked = [element.get("id") for element in root.iter() if (element.get("id") or "").startswith(anchors.PREFIX)]
        assert [par.target for par in pars.get(name, [])] == marked, name
        assert {par.document for par in pars.get(name, [])} <= {name}
    assert sum(map(len, pars.values())) > 100 and "nav.xhtml" not in pars


def test_clip_times_are_the_transcripts_cue_times_and_read_the_words_shown(first, spoken_first_article):
    cues = parse((spoken_first_article / "hard-muscles.vtt").read_text("utf-8"))
    starts = {cue.start_ms: index for index, cue in enumerate(cues)}
    ends = {cue.end_ms: index for index, cue in enumerate(cues)}
    documents = dict(spine_documents(first))
    previous = -1
    for name, pars in overlays(first).items():
        elements = {element.get("id"): element for element in documents[name].iter()}
        for par in pars:
            first_cue, last_cue = starts[par.begin_ms], ends[par.end_ms]  # KeyError: not a cue's time
            assert previous < first_cue <= last_cue, par
            previous = last_cue
            spoken = " ".join(cue.text for cue in cues[first_cue : last_cue + 1])
            shown = [sentences.fold_space(piece) for piece in elements[par.target].itertext() if piece.strip()]
            assert shown and all(piece in spoken for piece in shown), (par, shown, spoken)


def test_announcements_belong_to_what_they_announce_and_the_spoken_disclaimer_to_nothing(first, spoken_first_article):
    cues = parse((spoken_first_article / "hard-muscles.vtt").read_text("utf-8"))
    pars = [par for document in overlays(first).values() for par in document]
    heading = next(par for par in pars if par.target == anchors.heading("1.1"))
    assert [cue.text for cue in cues if cue.start_ms == heading.begin_ms] == ["Section 1.1. How magnesium controls muscle relaxation."]
    unread = [cue.text for cue in cues if not any(par.begin_ms <= cue.start_ms < par.end_ms for par in pars)]
    assert unread == sentences.sentences(brief_disclaimer(catalogue_for("en")))  # said for listeners; the book ends with the full one


def test_package_declares_overlay_durations_active_class_and_accessibility(first):
    items, pars, found = manifest(first), overlays(first), metadata(first)
    times = durations(first)
    for document, document_pars in pars.items():
        overlay = next(item for item in items.values() if item.get("href") == document).get("media-overlay")
        assert items[overlay].get("media-type") == "application/smil+xml"
        assert times[overlay] == sum(par.end_ms - par.begin_ms for par in document_pars)
    assert times[None] == sum(time for key, time in times.items() if key) and len(times) == len(pars) + 1
    assert found["media:active-class"] == [read_along.ACTIVE_CLASS]
    css = entries(first)[f"EPUB/{read_along.STYLESHEET}"].decode()
    assert re.search(rf"\.{re.escape(read_along.ACTIVE_CLASS)}\s*{{[^}}]*background-color", css)
    assert sorted(found["schema:accessMode"]) == ["auditory", "textual"]
    assert sorted(found["schema:accessModeSufficient"]) == ["auditory,textual", "textual"]
    assert "synchronizedAudioText" in found["schema:accessibilityFeature"]
    assert "read aloud" in found["schema:accessibilitySummary"][0] and found["dcterms:conformsTo"]


def test_every_page_read_aloud_links_the_highlight_stylesheet(first):
    pars = overlays(first)
    for name, root in spine_documents(first):
        if name in pars:
            assert [link.get("href") for link in root.iterfind("x:head/x:link", NS)] == ["epub.css", read_along.STYLESHEET]


def test_read_along_is_a_registered_renderer_sharing_the_narrations_options():
    renderer = installed().load("epub-read-along")
    assert renderer.filename("cramps") == "cramps.read-along.epub"
    assert renderer.options.keys() == {"voice", "rate", "mastering"} and renderer.options == {
        key: option for key, option in installed().load("audio").options.items() if key in ("voice", "rate", "mastering")
    }


@needs_browser
def test_chromium_decodes_the_books_audio_seeks_to_a_clip_and_shows_the_highlight(first, spoken_first_article, tmp_path):
    """What a reading system (Thorium runs on Chromium) needs: the MP3 decodes to the
    recording's exact length, seeks to a clip's start, and the active class shows."""
    zipfile.ZipFile(io.BytesIO(first)).extractall(tmp_path)
    heading = overlays(first)["section-1.xhtml"][0]
    length = MP3(spoken_first_article / "hard-muscles.mp3").info.length
    with serve(tmp_path / "EPUB") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}section-1.xhtml")
        element = page.locator(f"#{heading.target}")
        before = element.evaluate("element => getComputedStyle(element).backgroundColor")
        element.evaluate(f"element => element.classList.add('{read_along.ACTIVE_CLASS}')")
        after = element.evaluate("element => getComputedStyle(element).backgroundColor")
        played = page.evaluate(
            """([src, at]) => new Promise((resolve, reject) => {
                const audio = new Audio(src);
                audio.addEventListener("error", () => reject(new Error("cannot decode " + src)));
                audio.addEventListener("loadedmetadata", () => { audio.currentTime = at; });
                audio.addEventListener("seeked", () => resolve([audio.duration, audio.currentTime]));
            })""",
            [f"{base}{read_along.AUDIO}", heading.begin_ms / 1000],
        )
    assert before == "rgba(0, 0, 0, 0)" and after not in (before, "rgba(0, 0, 0, 0)")
    assert played[0] == pytest.approx(length, abs=0.001) and played[1] == pytest.approx(heading.begin_ms / 1000, abs=0.001)


def test_the_last_clip_ends_where_the_recording_ends(spoken_first_article, first):
    last = max(par.end_ms for pars in overlays(first).values() for par in pars)
    assert last == round(MP3(spoken_first_article / "hard-muscles.mp3").info.length * 1000)
