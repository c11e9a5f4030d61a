"""Golden files: each format's words and structure for two small articles, compared whole.

A change of wording or markup shows up here as one readable unified diff per file, not as many
broken fragment asserts. After a change you meant, `make golden` writes the files anew
(`GOLDEN_UPDATE=1`); review the diff in git before committing it.
"""

from __future__ import annotations

import difflib
import io
import os
import zipfile
from pathlib import Path

import pytest

from pipeline.renderers import _epub_package, _html, read_along
from pipeline.renderers._webvtt import document as webvtt
from pipeline.renderers.audio import cues
from pipeline.renderers.text import to_text
from pipeline.source.validate import load_article
from pipeline.speech.narration import narrate
from pipeline.speech.script import Script, script_for

GOLDEN = Path(__file__).parent / "golden"
ARTICLES = sorted(path.stem for path in (GOLDEN / "sources").glob("*.yaml"))
EPOCH = 1767225600  # 2026-01-01, as SOURCE_DATE_EPOCH would give
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"


def assert_golden(article_id: str, name: str, actual: str) -> None:
    path = GOLDEN / article_id / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    expected = path.read_text("utf-8") if path.is_file() else ""
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), f"golden/{article_id}/{name}", "rendered now"))
        pytest.fail(f"{name} of {article_id} differs from its golden file (run `make golden` if the change is meant):\n{diff}", pytrace=False)


def script_lines(script: Script) -> str:
    """The script as the ear gets it: chapter, written words, spoken words, pause and target."""
    lines = [f"# chapters: {' | '.join(script.chapters)}"]
    lines += [f"{unit.chapter}\t{unit.written}\t{unit.spoken}\t{unit.pause:g}\t{unit.target or '-'}" for unit in script.units]
    return "\n".join(lines) + "\n"


def epub_members(data: bytes, suffixes: tuple[str, ...]) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {Path(name).name: archive.read(name).decode("utf-8") for name in sorted(archive.namelist()) if name.endswith(suffixes)}


@pytest.fixture(scope="module", params=ARTICLES)
def article(request):
    return load_article(GOLDEN / "sources" / f"{request.param}.yaml")


def test_text_edition(article):
    assert_golden(article.id, "text.txt", to_text(article))


def test_html_body(article):
    assert_golden(article.id, "body.html", _html.body(article) + "\n")


def test_speech_script(article):
    assert_golden(article.id, "script.tsv", script_lines(script_for(article)))


def test_epub_pages_navigation_and_package_document(article):
    members = epub_members(_epub_package.to_epub(article, EPOCH), (".xhtml", ".opf"))
    for name, content in members.items():
        assert_golden(article.id, f"epub/{name}", content)


@pytest.mark.heavy
def test_webvtt_and_smil(article, tmp_path):
    script = script_for(article)
    recording = narrate(script, tmp_path)
    assert_golden(article.id, "transcript.vtt", webvtt(cues(script, recording)))
    for name, content in epub_members(read_along.to_read_along_epub(article, script, recording, EPOCH), (".smil",)).items():
        assert_golden(article.id, f"read-along/{name}", content)
