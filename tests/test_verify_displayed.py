"""What the e-book and the web page display, read in Chromium: `epub-parity` and `web-parity`
hold it to the source, `epub-reading-order` the spine and the table of contents. Each passes a
good build (and the Arabic, Chinese and Hindi articles) and fails a copy damaged as a reader
would notice (hidden, undisplayed, same-coloured, off-screen or removed text, a reordered
spine or contents), naming what is missing and where."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from browser import needs_browser
from click.testing import CliRunner
from verify_helpers import SENTENCES, broken_copy, check_file, rewrite_zip

from pipeline.cli import cli
from pipeline.verify.checks import Output
from pipeline.verify.checks.epub import EpubParity
from pipeline.verify.checks.epub_order import EpubReadingOrder
from pipeline.verify.checks.web import WebParity
from pipeline.verify.displayed import displayed_passages

ARTICLES = Path(__file__).resolve().parent / "articles" / "lang"
LANGUAGES = ("ar", "zh-hans", "hi")
HIDDEN = 'hidden="hidden"'
GENTLE = "Gentle stretching helps many people."


def epub_of(folder: Path, article: str = "cramps") -> Path:
    return folder / "out" / article / f"{article}.epub"


def page_of(folder: Path, article: str = "cramps") -> Path:
    return folder / "out" / article / "index.html"


# ---------------------------------------------------------------- damage, one small function each


def once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def paragraph(opening: str, attribute: str) -> Callable[[str], str]:
    """The paragraph that begins with `opening` given `attribute` (hidden, a style)."""
    return lambda html: once(html, f"<p>{opening}", f"<p {attribute}>{opening}")


def swapped(first: str, second: str) -> Callable[[str], str]:
    """The lines `first` and `second` (in that order) change places."""
    return lambda text: once(text, f"{first}\n{second}", f"{second}\n{first}")


def without_paragraphs_and_list_items(html: str) -> str:
    return re.sub(r"<(p|li)\b[^>]*>.*?</\1>", "", html, flags=re.DOTALL)


def restyled(rule: str) -> Callable[[str], str]:
    """The page's own stylesheet with `rule` added, its hash in the page's policy updated (as the
    renderer would write it), so that the browser applies it."""

    def restyle(html: str) -> str:
        css = re.search(r"<style>(.*?)</style>", html, flags=re.DOTALL)[1]
        return once(once(html, f"<style>{css}</style>", f"<style>{css}{rule}</style>"), style_hash(css), style_hash(css + rule))

    return restyle


def style_hash(css: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


def damage_epub(folder: Path, document: str, *changes: Callable[[str], str]) -> None:
    """Apply `changes` to one file of the e-book (its name in the archive's EPUB/ folder)."""

    def rewrite(name: str, data: bytes) -> bytes:
        if name != f"EPUB/{document}":
            return data
        text = data.decode("utf-8")
        for change in changes:
            text = change(text)
        return text.encode("utf-8")

    rewrite_zip(epub_of(folder), rewrite)


def damage_page(folder: Path, change: Callable[[str], str]) -> None:
    page = page_of(folder)
    page.write_text(change(page.read_text("utf-8")), encoding="utf-8")


def shown(epub: Path, tmp_path: Path, document: str) -> list[tuple[str, str]]:
    """(where, text) of every passage one document of the e-book displays."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(tmp_path / "unzipped")
    return [(passage.where, passage.text) for passage in displayed_passages(tmp_path / "unzipped", [f"EPUB/{document}"])]


def sentences_of(result) -> tuple[str, str]:
    """The verdict and its figure for the source's sentences (the details have tests of their own)."""
    return result.status, result.figure.split("; ")[0]


def missing(messages: tuple[str, ...]) -> list[str]:
    """The sentences the `missing:` messages quote."""
    return [re.search(r': "(.*)" is not read', message)[1] for message in messages if message.startswith("missing: ")]


# ---------------------------------------------------------------- what counts as displayed

READING = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>Reading</title>
<style>.for-the-ear { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.dark { background: #222; } .box p { margin: 0; }</style></head>
<body><main>
<h1>Shown heading</h1>
<p>Shown paragraph</p>
<p hidden="hidden">Hidden attribute</p>
<p style="display: none">Display none</p>
<p style="visibility: hidden">Visibility hidden</p>
<p aria-hidden="true">Aria hidden</p>
<p style="width: 0; height: 0; overflow: hidden">Zero size</p>
<p style="font-size: 0">Font size zero</p>
<p style="position: absolute; left: -9999px">Off the page</p>
<p style="position: absolute; clip: rect(0 0 0 0)">Clipped</p>
<p style="clip-path: inset(50%)">Clip path</p>
<p style="opacity: 0">Opacity zero</p>
<p style="color: rgba(0, 0, 0, 0)">Transparent colour</p>
<p style="color: #fdfdfd">White on white</p>
<div class="dark"><p style="color: #262626">Dark on dark</p><p style="color: #eee">Light on dark</p></div>
<p>Words <span class="for-the-ear">for the ear</span> in a shown paragraph</p>
<p><span class="for-the-ear">Only for the ear</span></p>
<p style="pointer-events: none">No pointer events</p>
<div class="box" style="height: 1.5em; overflow: auto"><p>Top of a scrolling box</p><p>Scrolled to in its box</p></div>
<div class="box" style="height: 1.5em; overflow: hidden"><p>Top of a clipping box</p><p>Clipped by its box</p></div>
<div style="position: relative"><p>Covered by a box</p><div style="position: absolute; inset: 0; background: white"></div></div>
<ul><li>Outer item <ul><li>Inner item</li></ul> continued</li></ul>
</main></body></html>
"""


@needs_browser
def test_the_reading_keeps_shown_text_block_by_block_and_leaves_out_every_way_of_hiding_it(tmp_path):
    (tmp_path / "reading.xhtml").write_text(READING, encoding="utf-8")
    assert [(passage.where, passage.text) for passage in displayed_passages(tmp_path, ["reading.xhtml"])] == [
        ("reading.xhtml, <h1> 1 of <main>", "Shown heading"),
        ("reading.xhtml, <p> 1 of <main>", "Shown paragraph"),
        ("reading.xhtml, <p> 15 of <main>", "Light on dark"),
        ("reading.xhtml, <p> 16 of <main>", "Words for the ear in a shown paragraph"),
        ("reading.xhtml, <p> 18 of <main>", "No pointer events"),
        ("reading.xhtml, <p> 19 of <main>", "Top of a scrolling box"),
        ("reading.xhtml, <p> 20 of <main>", "Scrolled to in its box"),
        ("reading.xhtml, <p> 21 of <main>", "Top of a clipping box"),
        ("reading.xhtml, <li> 1 of <main>", "Outer item continued"),
        ("reading.xhtml, <li> 2 of <main>", "Inner item"),
    ]


@needs_browser
def test_the_same_page_without_its_hiding_shows_every_block(tmp_path):
    plain = re.sub(r' (style|hidden|aria-hidden|class)="[^"]*"', "", READING)
    (tmp_path / "reading.xhtml").write_text(plain, encoding="utf-8")
    texts = [passage.text for passage in displayed_passages(tmp_path, ["reading.xhtml"])]
    assert len(texts) == 26 and "Hidden attribute" in texts and "Dark on dark" in texts and "Only for the ear" in texts


# ---------------------------------------------------------------- the e-book


@needs_browser
def test_good_ebook_passes_parity_and_reading_order_and_is_read_where_it_is(built, tmp_path):
    parity = check_file(built, epub_of(built), EpubParity()).result
    assert sentences_of(parity) == ("pass", f"{SENTENCES}/{SENTENCES} sentences of the source in order")
    order = check_file(built, epub_of(built), EpubReadingOrder()).result
    assert sentences_of(order) == ("pass", "5 spine documents and 8 table of contents entries in the source's order")
    assert shown(epub_of(built), tmp_path, "section-1.xhtml")[:2] == [
        ("section-1.xhtml, <h1> 1 of <main>", "What helps"),
        ("section-1.xhtml, <p> 1 of <main>", f"{GENTLE} Drink enough water."),
    ]


@needs_browser
def test_three_hidden_paragraphs_fail_epub_parity_with_their_sentences(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_epub(folder, "title.xhtml", paragraph("Most night cramps", HIDDEN))
    damage_epub(folder, "section-1.xhtml", paragraph("Gentle", HIDDEN), paragraph("See a doctor", HIDDEN))
    result = check_file(folder, epub_of(folder), EpubParity()).result
    assert sentences_of(result) == ("fail", f"{SENTENCES - 5}/{SENTENCES} sentences of the source in order, 5 missing")
    assert missing(result.messages) == ["Most night cramps are harmless.", "Stretching helps.", GENTLE]  # the first three, and how many more
    assert result.messages[3] == "... and 2 more like these"
    assert f"{folder / 'source' / 'cramps.yaml'}:10:9 sections[0].body[0]" in result.messages[2]
    assert ("section-1.xhtml, <p> 1 of <main>", f"{GENTLE} Drink enough water.") not in shown(epub_of(folder), tmp_path, "section-1.xhtml")


@needs_browser
@pytest.mark.parametrize(
    "style",
    ["display: none", "color: #fdfdfd", "position: absolute; left: -9999px"],
    ids=["display-none", "same-colour-as-the-background", "off-screen"],
)
def test_a_paragraph_not_displayed_fails_epub_parity(built, tmp_path, style):
    folder = broken_copy(built, tmp_path)
    damage_epub(folder, "section-1.xhtml", paragraph("Gentle", f'style="{style}"'))
    result = check_file(folder, epub_of(folder), EpubParity()).result
    assert result.status == "fail" and missing(result.messages) == [GENTLE, "Drink enough water."]


REORDERED = {
    "spine": (
        "content.opf",
        swapped('    <itemref idref="faq"/>', '    <itemref idref="references"/>'),
        'spine: out of order: "References" (the catalogue\'s label), spine item 4 (references.xhtml), comes after "Questions and answers" in the source',
    ),
    "table-of-contents": (
        "nav.xhtml",
        swapped('<li><a href="faq.xhtml">Questions and answers</a></li>', '<li><a href="references.xhtml">References</a></li>'),
        'table of contents: out of order: "References" (the catalogue\'s label), nav.xhtml, entry 6, comes after "Questions and answers" in the source',
    ),
}


@pytest.mark.parametrize("damaged", REORDERED)
def test_a_reordered_spine_or_table_of_contents_fails_reading_order_naming_the_place(built, tmp_path, damaged):
    document, reorder, message = REORDERED[damaged]
    folder = broken_copy(built, tmp_path)
    damage_epub(folder, document, reorder)
    result = check_file(folder, epub_of(folder), EpubReadingOrder()).result
    assert (result.status, result.messages) == ("fail", (message,))


def test_a_section_missing_from_the_spine_fails_reading_order(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_epub(folder, "content.opf", lambda opf: once(opf, '    <itemref idref="section-1"/>\n', ""))
    result = check_file(folder, epub_of(folder), EpubReadingOrder()).result
    assert result.status == "fail" and result.messages[0].startswith('spine: missing: "What helps" (')
    assert result.messages[0].endswith('cramps.yaml:8:14), which comes after "Leg cramps at night" in the source')


# ---------------------------------------------------------------- the web page


@needs_browser
def test_good_page_passes_web_parity(built):
    result = check_file(built, page_of(built), WebParity()).result
    assert sentences_of(result) == ("pass", f"{SENTENCES}/{SENTENCES} sentences of the source in order")


@needs_browser
def test_a_page_without_paragraphs_and_list_items_fails_web_parity(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_page(folder, without_paragraphs_and_list_items)
    result = check_file(folder, page_of(folder), WebParity()).result
    assert sentences_of(result) == ("fail", f"{SENTENCES - 12}/{SENTENCES} sentences of the source in order, 12 missing")  # all but headings, table, FAQ
    assert missing(result.messages) == ["Most night cramps are harmless.", "Stretching helps.", "Stretch"]


@needs_browser
def test_a_hidden_paragraph_fails_web_parity(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_page(folder, paragraph("Gentle", HIDDEN))
    result = check_file(folder, page_of(folder), WebParity()).result
    assert result.status == "fail" and missing(result.messages) == [GENTLE, "Drink enough water."]


@needs_browser
def test_text_added_to_the_chapter_links_is_read_and_unexplained(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_page(folder, lambda html: once(html, '<ol class="chapters">', '<ol class="chapters">\n<li>Take ten times the usual dose.</li>'))
    result = check_file(folder, page_of(folder), WebParity()).result
    [message] = result.messages
    assert result.status == "fail" and re.match(r'unexplained: ".*" at index\.html, <li> 1 of <main>: ', message) and "Take" in message


@needs_browser
def test_a_paragraph_the_colour_of_the_background_in_the_dark_scheme_only_fails_web_parity(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_page(folder, restyled("@media (prefers-color-scheme: dark) { section > p { color: var(--paper); } }"))
    result = check_file(folder, page_of(folder), WebParity()).result
    assert sentences_of(result) == ("fail", f"{SENTENCES - 5}/{SENTENCES} sentences of the source in order, 5 missing")
    assert missing(result.messages) == ["Most night cramps are harmless.", "Stretching helps.", GENTLE]  # the summary is a section too


@needs_browser
def test_a_style_the_pages_policy_refuses_hides_nothing(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    damage_page(folder, lambda html: once(html, "</head>", "<style>p { display: none; }</style></head>"))
    assert check_file(folder, page_of(folder), WebParity()).result.status == "pass"


@pytest.mark.parametrize("check", [EpubParity, WebParity])
def test_without_chromium_the_displayed_parity_checks_skip_and_say_how_to_get_it(built, monkeypatch, check):
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("PUPPETEER_EXECUTABLE_PATH", raising=False)
    output = Output("cramps", "html", {"text/html": page_of(built), "application/epub+zip": epub_of(built)})
    result = check().run(None, output)
    assert sentences_of(result) == ("skip", "Chromium is not installed: `make all` or `make test` installs Debian's (apt-get, as root)")


# ---------------------------------------------------------------- other scripts


@pytest.fixture(scope="module")
def languages(tmp_path_factory) -> Path:
    """The Arabic, Chinese and Hindi test articles built as e-book and web page."""
    folder = tmp_path_factory.mktemp("languages")
    (folder / "source").mkdir()
    for lang in LANGUAGES:
        shutil.copy(ARTICLES / f"{lang}.yaml", folder / "source")
    sources = [str(folder / "source" / f"{lang}.yaml") for lang in LANGUAGES]
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(folder / "out"), "-f", "epub", "-f", "html", *sources])
    assert result.exit_code == 0, result.output
    return folder


@needs_browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_articles_in_other_scripts_pass_what_is_displayed(languages, lang):
    for path, check in ((epub_of(languages, lang), EpubParity()), (epub_of(languages, lang), EpubReadingOrder()), (page_of(languages, lang), WebParity())):
        result = check_file(languages, path, check).result
        assert result.status == "pass", (check.name, result.figure, result.messages[:3])


def test_an_edited_reading_script_runs_the_displayed_checks_again(monkeypatch, tmp_path):
    from pipeline.verify.checks import displayed_parity

    before = EpubParity().environment()
    edited = tmp_path / "displayed.js"
    edited.write_text(displayed_parity.READING_SCRIPT.read_text("utf-8").replace("SAME_COLOUR = 1.5", "SAME_COLOUR = 1.2"), encoding="utf-8")
    monkeypatch.setattr(displayed_parity, "READING_SCRIPT", edited)
    assert EpubParity().environment() != before and WebParity().environment() != before
