"""Every edition of an article in each of the 15 languages says the pipeline's words in that
language: no English word added by the pipeline in the text edition, the HTML (web page and
the leaflet's), the EPUB, the transcript or the speech script; dates in CLDR's long form. A
language without a catalogue gets English words, marked lang="en", and a build warning."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.locale import catalogue_for
from pipeline.locale.catalogue import _catalogue
from pipeline.model import Article, walk
from pipeline.renderers import _epub_package, _epub_pages, _html, pdf, read_along, web
from pipeline.renderers.text import to_text
from pipeline.source.validate import load_article
from pipeline.speech.script import script_for
from pipeline.text import sentences

ARTICLES = Path(__file__).resolve().parent / "articles" / "lang"
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "pl", "ro", "cy", "ar", "ur", "hi", "bn", "pa", "zh-Hans")
PUBLISHED = {
    "en": "May 10, 2026", "es": "10 de mayo de 2026", "fr": "10 mai 2026", "de": "10. Mai 2026", "pt": "10 de maio de 2026",
    "it": "10 maggio 2026", "pl": "10 maja 2026", "ro": "10 mai 2026", "cy": "10 Mai 2026", "ar": "10 مايو 2026",
    "ur": "10 مئی، 2026", "hi": "10 मई 2026", "bn": "10 মে, 2026", "pa": "10 ਮਈ 2026", "zh-Hans": "2026年5月10日",
}  # fmt: skip
WEB_URL = "https://clinic.example.org/water"
_URL = re.compile(r"(?:https?://|urn:)\S+")
_WORD = re.compile(r"[^\W\d_]+")


@cache
def article(lang: str) -> Article:
    found = load_article(ARTICLES / f"{lang.lower()}.yaml")
    assert found.lang == lang
    return found.model_copy(update={"web_url": WEB_URL})  # so the leaflet's QR code and its words appear


def text_words(value: str) -> set[str]:
    return set(_WORD.findall(_URL.sub(" ", value).lower()))


def catalogue_words(lang: str) -> set[str]:
    found: set[str] = set()
    for message in _catalogue(lang.replace("-", "_")):
        if message.id:
            for string in message.string if isinstance(message.string, tuple) else (message.string,):
                found |= text_words(re.sub(r"\{\w+\}", " ", string))
    return found


class _Readable(HTMLParser):
    """What a reader meets in HTML: text outside style and script, and the words of
    aria-label, label, title and alt attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")
        self.parts += [value for name, value in attrs if name in ("aria-label", "label", "title", "alt") and value]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = _Readable()
    parser.feed(html)
    return " ".join(parser.parts)


def epub_text(data: bytes) -> str:
    """The words of the pages and of the package's readable metadata: not its codes (language,
    identifier, date, access modes and features, and dcterms:conformsTo, the identifier EPUB
    Accessibility 1.1 defines, "... WCAG 2.2 Level AA", the same in any language)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        texts = [book.read(name).decode() for name in book.namelist() if name.endswith((".xhtml", ".opf", ".ncx"))]
    codes = re.compile(r'<meta property="(?!schema:accessibilitySummary")[^"]*"[^>]*>[^<]*</meta>|<dc:(language|identifier|date)[^>]*>[^<]*</dc:\1>')
    return " ".join(readable(codes.sub("", value)) for value in texts)


def outputs(lang: str) -> dict[str, str]:
    """Each text output of the article, as a reader meets it."""
    source = article(lang)
    script = script_for(source)
    words = catalogue_for(lang)
    leaflet = _html.document(source, None, _html.body(source, after_title=pdf.web_version(source)))
    return {
        "text edition": to_text(source),
        "web page": readable(web.page(source, [(title, 0) for title in script.chapters], "water.mp3", "water.vtt")),
        "leaflet HTML": readable(leaflet) + " " + " ".join(re.findall(r'"([^"]*)"', pdf.footer_css(words))),
        "EPUB": epub_text(_epub_package.to_epub(source, 0)),
        "read-along summary": " ".join(value for name, value, *_ in read_along.read_along(words) if name == "schema:accessibilitySummary"),
        "transcript": " ".join(unit.written for unit in script.units) + " " + " ".join(script.chapters),
        "speech script": " ".join(unit.spoken for unit in script.units),
    }


def source_words(source: Article) -> set[str]:
    return set().union(*(text_words(item) for item in walk.article_texts(source)))


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_no_english_word_added_by_the_pipeline_in_any_output(lang):
    """An English word of the English catalogue that the language's own catalogue and the
    article do not use has come from the pipeline, untranslated."""
    english_only = catalogue_words("en") - catalogue_words(lang) - source_words(article(lang))
    leaked = {name: sorted(text_words(value) & english_only) for name, value in outputs(lang).items()}
    assert not any(leaked.values()), f"{lang}: English words added by the pipeline: {leaked}"


@pytest.mark.parametrize("lang", ["ar", "ur", "hi", "bn", "pa", "zh-Hans"])
def test_no_latin_word_but_the_articles_and_the_catalogues_in_a_non_latin_script(lang):
    """In these scripts any Latin word the pipeline adds stands out, even one no catalogue
    holds: only the article's own and the catalogue's (WCAG, EPUB, MP3, QR) may appear."""
    allowed = catalogue_words(lang) | source_words(article(lang))
    latin = {name: sorted(word for word in text_words(value) - allowed if word.isascii()) for name, value in outputs(lang).items()}
    assert not any(latin.values()), f"{lang}: Latin words the pipeline added: {latin}"


def test_the_english_detector_finds_the_words_of_a_language_without_catalogue():
    """The test above can fail: for Swahili (no catalogue) it finds the English labels."""
    source = article("en").model_copy(update={"lang": "sw"})
    english_only = catalogue_words("en") - source_words(source)
    assert {"summary", "published", "reading", "section", "question"} <= text_words(to_text(source)) | text_words(
        " ".join(unit.written for unit in script_for(source).units)
    )
    assert english_only & text_words(to_text(source))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dates_in_the_languages_long_form(lang):
    source, words = article(lang), catalogue_for(lang)
    published, review = PUBLISHED[lang], words.date(source.review_due)
    assert "2028" in review and review != source.review_due.isoformat()
    found = outputs(lang)
    for name in ("text edition", "web page", "EPUB"):
        folded = sentences.fold_space(found[name])
        assert published in folded and review in folded, f"{lang}: {name} lacks the dates {published!r}, {review!r}"
    assert f'<time datetime="2026-05-10">{published}</time>' in _html.title_block(source)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_section_labels_come_from_the_catalogue(lang):
    words = catalogue_for(lang)
    text = to_text(article(lang))
    chapters = script_for(article(lang)).chapters
    for label in ("Summary", "Key points", "Questions and answers", "References", "Medical disclaimer"):
        assert words.gettext(label) in text
    assert words.gettext("Questions and answers") in chapters and words.gettext("Medical disclaimer") in chapters


# ---------------------------------------------------------------- a language without a catalogue


@pytest.fixture(scope="module")
def swahili(tmp_path_factory) -> tuple[Path, str]:
    """The English test article marked `lang: sw`, built as leaflet and text: the output
    folder and what the build printed on stderr."""
    folder = tmp_path_factory.mktemp("sw")
    source = folder / "maji.yaml"
    source.write_text((ARTICLES / "en.yaml").read_text("utf-8").replace("\nlang: en\n", "\nlang: sw\n"), "utf-8")
    result = CliRunner().invoke(cli, ["build", str(source), "--out", str(folder / "out"), "-f", "pdf", "-f", "txt", "--quiet"])
    assert result.exit_code == 0, result.output
    return folder / "out" / "maji", result.stderr


def test_build_warns_of_a_language_without_catalogue_naming_it(swahili):
    _out, stderr = swahili
    assert re.search(r"maji\.yaml:\d+:\d+: warning: lang 'sw' \(Swahili\) has no catalogue", stderr)


def test_fallback_words_are_marked_english_in_html_and_epub():
    source = article("en").model_copy(update={"lang": "sw"})
    page = web.page(source, [(title, 0) for title in script_for(source).chapters], "maji.mp3", "maji.vtt")
    for words in ("Summary", "Key points", "Questions and answers", "References", "Medical disclaimer", "Skip to the article", "Listen to this article"):
        assert re.search(rf'lang="en" xml:lang="en"[^>]*>{words}<', page), words
    assert '<p class="dates" lang="en" xml:lang="en">' in page
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="sw"' in page
    pages = _epub_pages.content_pages(source)
    nav = _epub_pages.nav_document(source, pages)
    assert '<h1 id="toc-title" lang="en" xml:lang="en">Contents</h1>' in nav
    assert re.search(r'<a href="faq.xhtml" lang="en" xml:lang="en">Questions and answers</a>', nav)
    assert "lang=" not in re.sub(r"<html[^>]*>", "", _epub_pages.nav_document(article("es"), _epub_pages.content_pages(article("es"))))
    with zipfile.ZipFile(io.BytesIO(_epub_package.to_epub(source, 0))) as book:
        package = book.read("EPUB/content.opf").decode()
    assert '<dc:publisher xml:lang="en">Self-published</dc:publisher>' in package
    assert '<meta property="schema:accessibilitySummary" xml:lang="en">This publication' in package


def test_fallback_words_carry_lang_en_in_the_pdf_structure(swahili):
    out, _stderr = swahili
    with pikepdf.open(out / "maji.pdf") as document:
        assert str(document.Root.Lang) == "sw"
        tagged = [str(element.S) for element in _structure(document.Root.StructTreeRoot) if str(element.get("/Lang", "")) == "en"]
    assert tagged.count("/H2") >= 4 and "/P" in tagged  # the labelled headings, and the dates line


def _structure(node):
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _structure(kid)


def test_leaflet_footer_in_the_languages_words(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(ARTICLES / "es.yaml"), "--out", str(tmp_path), "-f", "pdf", "--quiet"])
    assert result.exit_code == 0, result.output
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "es" / "es.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Página 1 de 1" in shown and "Page 1" not in shown
    assert "Resumen" in shown and "10 de mayo de 2026" in shown
