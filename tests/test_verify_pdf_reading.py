"""The PDF read three ways (the glyphs as drawn, what a screen reader reads, the rendered page)
and its structure tree's order: each damage of `pdf_damage`, made with pikepdf on a copy of
the first article's leaflet, keeps the file well-formed and fails the check that reads it,
naming the page and line; the untouched leaflet and large-print edition pass every one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE
from pdf_damage import (
    actual_text_rewritten,
    every_glyph_invisible,
    figure_alt_rewritten,
    glyphs_reversed,
    near_white_text,
    structure_reversed,
    text_clipped_away,
    text_off_the_page,
    untagged_copy_of_a_line,
    white_box_over_a_paragraph,
)
from verify_helpers import check_file

from pipeline.cli import cli
from pipeline.verify.checks import CheckResult
from pipeline.verify.checks.pdf_ink import PdfInk, contrast_ratio
from pipeline.verify.checks.pdf_order import PdfReadingOrder
from pipeline.verify.checks.pdf_parity import PdfParity, PdfScreenReaderParity

pytestmark = pytest.mark.heavy

ARTICLE = FIRST_ARTICLE.stem
LANGUAGES = Path(__file__).parent / "articles" / "lang"
CHECKS = (PdfParity(), PdfScreenReaderParity(), PdfInk(), PdfReadingOrder())


def build(folder: Path, source: Path, *formats: str) -> Path:
    (folder / "source").mkdir(parents=True)
    shutil.copyfile(source, folder / "source" / source.name)
    chosen = [option for name in formats for option in ("-f", name)]
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(folder / "out"), *chosen, str(folder / "source" / source.name)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory) -> Path:
    """The first article built as leaflet and large print, with its source beside it."""
    return build(tmp_path_factory.mktemp("leaflets"), FIRST_ARTICLE, "pdf", "pdf-large")


def verdicts(folder: Path, path: Path) -> dict[str, CheckResult]:
    return {check.name: check_file(folder, path, check).result for check in CHECKS}


def damaged(leaflets: Path, tmp_path: Path, damage: Callable[[pikepdf.Pdf], None], article: str = ARTICLE) -> dict[str, CheckResult]:
    """The verdicts on a copy of the leaflet that `damage` changed."""
    folder = tmp_path / "copy"
    shutil.copytree(leaflets, folder)
    path = folder / "out" / article / f"{article}.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        damage(pdf)
        pdf.save(path)
    return verdicts(folder, path)


def failed(found: dict[str, CheckResult]) -> list[str]:
    return sorted(name for name, result in found.items() if result.status != "pass")


def test_the_untouched_leaflet_and_large_print_pass_every_reading(leaflets):
    for path in sorted((leaflets / "out" / ARTICLE).glob("*.pdf")):
        found = verdicts(leaflets, path)
        assert failed(found) == [], {name: result.messages for name, result in found.items()}
        assert found["pdf-parity"].figure == found["pdf-screen-reader-parity"].figure == "131/131 sentences of the source in order; 2/2 details"
        assert found["pdf-ink"].messages == ()


def test_invisible_glyphs_have_no_ink_and_no_glyph_reading(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, every_glyph_invisible)
    assert failed(found) == ["pdf-ink", "pdf-parity"]
    assert found["pdf-ink"].messages[0].startswith('page 1, line 1: "What Vitamin Deficiency Causes Hard" cannot be seen: drawn invisible (text render mode 3)')
    assert found["pdf-parity"].messages[0].startswith("missing: ")


def test_glyphs_in_reverse_order_fail_the_glyph_reading_only(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, glyphs_reversed)
    assert failed(found) == ["pdf-parity"]
    assert any("at page 1, line " in message for message in found["pdf-parity"].messages)


def test_a_white_box_over_a_paragraph_hides_its_lines(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, white_box_over_a_paragraph)
    assert failed(found) == ["pdf-ink"]
    first = found["pdf-ink"].messages[0]
    assert first.startswith("page 1, line ") and first.endswith("cannot be seen: not drawn where it stands: covered by something drawn over it, or clipped away")


def test_text_moved_off_the_page_is_named(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, text_off_the_page)
    assert "pdf-ink" in failed(found)
    assert found["pdf-ink"].messages[0].startswith("page 2, line 1: ")
    assert found["pdf-ink"].messages[0].endswith("cannot be seen: outside the page")


def test_clipped_text_leaves_no_ink(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, text_clipped_away)
    assert failed(found) == ["pdf-ink"]
    assert found["pdf-ink"].messages[0] == 'page 1, line 1: "What Vitamin Deficiency Causes Hard" cannot be seen: not drawn where it stands: covered by something drawn over it, or clipped away'
    assert found["pdf-ink"].figure.startswith("122/160 lines of text seen")  # the 38 lines of page 1 hidden
    assert found["pdf-ink"].messages[-1] == "... and 33 more lines like these"


def test_near_white_text_fails_on_contrast(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, near_white_text)
    assert failed(found) == ["pdf-ink"]
    assert found["pdf-ink"].messages[0].startswith('page 1, line 1: "What Vitamin Deficiency Causes Hard" cannot be seen: #f5f5f5 on #ffffff has a contrast of 1.09:1, under the 3:1')


def test_text_outside_the_structure_tree_is_read_and_unexplained(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, untagged_copy_of_a_line)
    assert failed(found) == ["pdf-parity", "pdf-screen-reader-parity"]
    [message] = found["pdf-parity"].messages
    assert message.startswith('unexplained: "According to recent studies a significant portion of the population')
    assert " at page 1, line 7 (outside the structure tree): " in message


def test_actual_text_that_says_something_else_fails_the_screen_reader_reading_only(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, actual_text_rewritten)
    assert failed(found) == ["pdf-reading-order", "pdf-screen-reader-parity"]
    messages = found["pdf-screen-reader-parity"].messages
    assert messages[0].endswith(':8:3 introduction: "According to recent studies, a significant portion of the population is deficie…" is not read (it belongs after page 1, line 3)')
    assert any(message.startswith('unexplained: "usual dose" at page 1, line 5') for message in messages)


def test_a_logo_whose_alt_text_says_something_else_fails_the_screen_reader_reading(tmp_path, monkeypatch):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b2e59"/></svg>', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline.publisher]\nname = "Riverside Health Centre"\nlogo = "brand/logo.svg"\nlogo_alt = "Riverside Health Centre: a blue square"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    folder = build(tmp_path / "clinic", LANGUAGES / "en.yaml", "pdf")
    assert failed(verdicts(folder, folder / "out" / "en" / "en.pdf")) == []
    found = damaged(folder, tmp_path / "damaged", figure_alt_rewritten, "en")
    assert failed(found) == ["pdf-screen-reader-parity"]
    [message] = found["pdf-screen-reader-parity"].messages
    assert message.startswith('unexplained: "Take ten times the usual dose Riverside Health Centre" at page 1, Figure element: ')


def test_a_reversed_structure_tree_reads_out_of_order(leaflets, tmp_path):
    found = damaged(leaflets, tmp_path, structure_reversed)
    assert "pdf-reading-order" in failed(found)
    first = found["pdf-reading-order"].messages[0]
    assert first.startswith("out of order: ") and ':8:3 introduction: "According to recent studies' in first
    assert first.endswith('" (P, page 1, line 5) is read before the text the source has before it (P, page 1, line 3)')
    assert any("out of order" in message for message in found["pdf-parity"].messages + found["pdf-screen-reader-parity"].messages)


def test_contrast_ratio_is_wcag_s():
    assert round(contrast_ratio((0, 0, 0), (1, 1, 1)), 1) == 21.0
    assert round(contrast_ratio((0.4627, 0.4627, 0.4627), (1, 1, 1)), 2) == 4.54  # #767676, the lightest gray that passes on white


@pytest.mark.parametrize(("lang", "shaped"), [("ar", True), ("ur", True), ("hi", True), ("pl", False)])
def test_other_scripts_pass_with_the_lines_read_from_actual_text_named(lang, shaped, tmp_path):
    """Arabic, Urdu and Hindi glyphs do not spell their lines, which are named; Polish letters
    from the text font's second file (ł ą ę) print and read as themselves."""
    folder = build(tmp_path, LANGUAGES / f"{lang}.yaml", "pdf")
    found = verdicts(folder, folder / "out" / lang / f"{lang}.pdf")
    assert failed(found) == [], {name: result.messages for name, result in found.items()}
    named = " lines read from /ActualText, their glyphs not mapped back to letters (page 1, line " in found["pdf-parity"].figure
    assert named == shaped


def test_an_invisible_arabic_line_is_seen_by_no_reading_but_its_actual_text_and_fails(tmp_path):
    folder = build(tmp_path, LANGUAGES / "ar.yaml", "pdf")
    path = folder / "out" / "ar" / "ar.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        every_glyph_invisible(pdf)
        pdf.save(path)
    found = verdicts(folder, path)
    assert failed(found) == ["pdf-ink", "pdf-parity"]
    assert found["pdf-ink"].messages[0].startswith("page 1, line 1: ")
