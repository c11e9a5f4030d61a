"""The braille edition: every sentence read back through liblouis, pages a braille reader
expects (40 x 25, numbered, words whole, headings set apart), a valid PEF of the same cells."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from braille_helpers import BRAILLE_ARTICLES, needs_liblouis, pages, render
from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL
from lxml import etree

from pipeline.braille import brf, pef
from pipeline.braille.tables import BrailleError, tables_for
from pipeline.braille.translation import BLANK, BREAK, LINE_CONTINUATION, SIX_DOT_CELLS, Translator
from pipeline.cli import cli
from pipeline.model import Article, markup, walk
from pipeline.registry import RenderJob
from pipeline.renderers.braille import BrailleRenderer
from pipeline.source.validate import load_article
from pipeline.text import wording
from pipeline.text.sentences import sentences
from pipeline.verify.checks.braille import letters, reading

pytestmark = needs_liblouis
SPANISH = BRAILLE_ARTICLES / "calambres.yaml"


@pytest.fixture(scope="module")
def first_article(tmp_path_factory) -> tuple[Article, list[list[str]]]:
    article = load_article(FIRST_ARTICLE)
    path, _pef = render(article, tmp_path_factory.mktemp("braille"))
    return article, pages(path)


def unread_sentences(article: Article, brf_pages: list[list[str]], translator: Translator) -> list[str]:
    read_back = letters(translator.back(reading(brf_pages)))
    return [sentence for sentence in article_sentences(article) if letters(sentence) not in read_back]


def article_sentences(article: Article) -> list[str]:
    return [sentence for value in walk.article_texts(article) for sentence in sentences(value)]


# ---------------------------------------------------------------- every sentence, read back


def test_back_translation_holds_every_sentence_of_the_first_article(first_article):
    article, brf_pages = first_article
    assert unread_sentences(article, brf_pages, Translator(tables_for("en"))) == []


def test_back_translation_holds_every_sentence_in_uncontracted_english(tmp_path):
    article = load_article(FIRST_ARTICLE)
    contracted, _ = render(article, tmp_path / "grade2")
    uncontracted, _ = render(article, tmp_path / "grade1", braille_grade=1)
    assert unread_sentences(article, pages(uncontracted), Translator(tables_for("en", 1))) == []
    assert uncontracted.stat().st_size > contracted.stat().st_size  # no contractions: more cells


def test_back_translation_holds_every_sentence_of_a_spanish_article(tmp_path):
    """Spanish braille writes ¿ and ? alike (dots 26) and liblouis reads that cell back as '5':
    sentences are compared on their letters and digits, which that cannot hide."""
    article = load_article(SPANISH)
    translator = Translator(tables_for("es"))
    assert translator.tables.names == ("unicode.dis", "es-g1.ctb")
    brf_pages = pages(render(article, tmp_path)[0])
    assert "¿Por qué ocurre?" in article_sentences(article)
    assert unread_sentences(article, brf_pages, translator) == []


# ---------------------------------------------------------------- pages


def test_every_page_is_40_cells_by_25_lines_with_its_braille_page_number_on_the_last_line(first_article):
    _article, brf_pages = first_article
    translator = Translator(tables_for("en"))
    assert len(brf_pages) > 10
    assert all(len(page) == 25 and all(len(line) <= 40 for line in page) for page in brf_pages)
    numbers = [translator.braille("p1")] + [translator.braille(str(number)) for number in range(1, len(brf_pages))]
    assert numbers[:3] == ["⠏⠼⠁", "⠼⠁", "⠼⠃"]
    for page, number in zip(brf_pages, numbers):
        assert len(page[-1]) == 40 and page[-1].endswith(BLANK * 3 + number)


@pytest.mark.parametrize(("cells", "lines"), [(32, 20), (20, 5)])
def test_cells_and_lines_options_set_the_page_size(tmp_path, cells, lines):
    article = load_article(SPANISH)
    brf_pages = pages(render(article, tmp_path, cells=cells, lines=lines)[0])
    assert all(len(page) == lines and all(len(line) <= cells for line in page) for page in brf_pages)
    assert unread_sentences(article, brf_pages, Translator(tables_for("es"))) == []


def test_words_are_never_divided_between_lines_only_addresses_longer_than_a_line(first_article):
    _article, brf_pages = first_article
    divided = [line for page in brf_pages for line in page if line.rstrip(BLANK).endswith(LINE_CONTINUATION)]
    assert divided and all(line.strip(BLANK).startswith("⠰⠰⠓⠞⠞⠏") or "⠸⠌" in line for line in divided)
    assert all(line.rstrip(BLANK).endswith(("⠸⠌⠐", "⠤⠐", "⠲⠐")) for line in divided)  # after a slash, hyphen or dot


def line_of(brf_pages: list[list[str]], cells: str) -> tuple[int, int]:
    """(page, line) indexes of the line holding the first words of `cells`."""
    start = BLANK.join(cells.split(BLANK)[:3])
    return next((p, n) for p, page in enumerate(brf_pages) for n, line in enumerate(page) if start in line)


def test_headings_are_set_apart_centred_cell_5_and_cell_7_each_kept_with_its_text(first_article):
    article, brf_pages = first_article
    translator = Translator(tables_for("en"))
    for _number, section, depth in walk.section_numbers(article):
        page_index, index = line_of(brf_pages, translator.braille(section.heading))
        page = brf_pages[page_index]
        assert index == 0 or page[index - 1] == "", section.heading
        line = page[index]
        indent = len(line) - len(line.lstrip(BLANK))
        if depth == 1:
            assert indent >= 3 and abs(indent - (40 - len(line))) <= 1, line  # centred
        else:
            assert indent == {2: 4, 3: 6}[depth], line
        text_lines = [*page[index + 1 : -1], re.sub("⠀{3,}[^⠀]+$", "", page[-1])]
        following = [later for later in text_lines if later and not later.startswith(BLANK * indent)]
        assert following, f"{section.heading}: no text after it on its page"


def test_title_page_holds_title_subtitle_and_dates_centred_then_the_text_starts_on_page_1(first_article):
    article, brf_pages = first_article
    translator = Translator(tables_for("en"))
    title_page = BLANK.join(line.strip(BLANK) for line in brf_pages[0][:-1] if line)
    for value in (article.title, article.subtitle, "Published November 25, 2026. Review due November 25, 2027."):
        assert translator.braille(value) in title_page
    assert wording.dates_line(article) == "Published November 25, 2026. Review due November 25, 2027."  # from the catalogue
    assert all(line.startswith(BLANK * 3) for line in brf_pages[0][:-1] if line)
    assert translator.back(brf_pages[1][0]).strip().startswith("According to recent studies")


# ---------------------------------------------------------------- files


def test_brf_is_north_american_ascii_braille_as_liblouis_writes_it():
    import louis

    cells = "".join(chr(0x2800 + dots) for dots in range(64))
    assert louis.dotsToChar(["en-us-brf.dis"], cells) == brf.ASCII_BRAILLE
    assert brf.decode(brf.encode([["⠠⠓⠑⠇⠇⠕", ""], ["⠼⠃"]])) == [["⠠⠓⠑⠇⠇⠕", ""], ["⠼⠃"]]
    assert brf.encode([["⠠⠓⠑⠇⠇⠕⠀⠀"]]) == b",HELLO\r\n\f"


def test_pef_is_valid_pef_2008_1_with_the_brf_cells_and_dublin_core_metadata(tmp_path):
    article = load_article(FIRST_ARTICLE)
    path, pef_path = render(article, tmp_path)
    data = pef_path.read_bytes()
    assert pef.problems(data) == []
    assert pef.pages(data) == [[line.rstrip(BLANK) for line in page] for page in pages(path)]
    meta = {element.tag.split("}")[1]: element.text for element in etree.fromstring(data).find(f".//{{{pef.NAMESPACE}}}meta")}
    assert meta == {
        "format": "application/x-pef+xml",
        "identifier": "hard-muscles",
        "title": "What Vitamin Deficiency Causes Hard Muscles?",
        "language": "en",
        "date": "2026-11-25",
    }
    assert pef.page_size(data) == (40, 25)


def test_pef_date_is_source_date_epochs_day_when_it_is_set(tmp_path):
    article = load_article(FIRST_ARTICLE)
    job = RenderJob(tmp_path / "a.brf", {"cells": 40, "lines": 25}, {".pef": tmp_path / "a.pef"}, source_date_epoch=1767225600)
    BrailleRenderer().render(article, job)
    date = etree.fromstring((tmp_path / "a.pef").read_bytes()).findtext(".//{http://purl.org/dc/elements/1.1/}date")
    assert date == dt.date(2026, 1, 1).isoformat()


def test_a_broken_pef_is_refused_by_the_schema():
    data = b'<pef version="2008-1" xmlns="http://www.daisy.org/ns/2008/pef"><head/><body/></pef>'
    assert pef.problems(data)
    [problem] = pef.problems(b"<pef")
    assert problem.startswith("not well-formed XML")


def test_characters_the_table_lacks_are_named_never_escaped_in_eight_dots(write_source, tmp_path):
    source = write_source(MINIMAL.replace("Drink enough water.", "Drink enough water 😀 今."), name="cramps.yaml")
    brf_pages = pages(render(load_article(source), tmp_path)[0])
    read_back = Translator(tables_for("en")).back(reading(brf_pages))
    assert "(grinning face)" in read_back and "(cjk unified ideograph-4eca)" in read_back


@pytest.mark.parametrize(
    ("lang", "value"),
    [
        ("he", "]."),  # Hebrew braille defines ']' in eight dots
        ("cy", "** 0 [0](https://www.nhs.uk/). 0 **0**."),  # Welsh writes '[' after a number in eight dots
        ("de", "See [x](https://www.nhs.uk/.0)."),  # German: an address ending '.0'
    ],
)
def test_a_sign_a_table_writes_in_eight_dots_is_named_and_all_is_six_dot_braille(lang, value):
    translator = Translator(tables_for(lang))
    cells = translator.braille(value) + "".join(translator.address(link.url or "") for link in markup.links(value))
    assert set(cells.replace(BREAK, "")) <= SIX_DOT_CELLS


def test_assets_are_the_liblouis_tables_with_what_they_include():
    names = {path.name for path in BrailleRenderer().assets()}
    assert {"unicode.dis", "en-ueb-g2.ctb", "en-ueb-g1.ctb", "en-ueb-chardefs.uti", "es-g1.ctb", "es-chardefs.cti"} <= names


# ---------------------------------------------------------------- languages


def test_a_language_without_a_table_is_a_clear_error_and_the_other_formats_still_build(write_source, tmp_path):
    source = write_source(MINIMAL.replace("lang: en", "lang: tlh"), name="cramps.yaml")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "txt", "-f", "braille", str(source)])
    assert result.exit_code == 1
    assert "no braille table for language 'tlh'" in result.output
    assert (tmp_path / "out" / "cramps" / "cramps.txt").is_file()
    assert not (tmp_path / "out" / "cramps" / "cramps.brf").exists()


def test_a_grade_the_language_lacks_names_the_grade_it_has():
    with pytest.raises(BrailleError, match="no grade 2 braille for 'it': use --braille-grade 1"):
        tables_for("it", 2)


@pytest.mark.parametrize(("lang", "table"), [("en-GB", "en-ueb-g2.ctb"), ("es-419", "es-g1.ctb"), ("cy", "cy-cy-g2.ctb"), ("zh-Hant-TW", "zhcn-g1.ctb")])
def test_each_language_gets_its_table_after_the_display_table(lang, table):
    assert tables_for(lang).names == ("unicode.dis", table)
