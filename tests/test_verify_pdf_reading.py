"""The PDF read three ways (the glyphs as drawn, what a screen reader reads, the rendered page)
and its structure tree's order: each damage below, made with pikepdf on a copy of the first
article's leaflet, keeps the file well-formed and fails the check that reads it, naming the
page and line; the untouched leaflet and large-print edition pass every one."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE
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
Instructions = Iterable[tuple[list, pikepdf.Operator]]


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


def damaged(leaflets: Path, tmp_path: Path, damage: Callable[[pikepdf.Pdf], None]) -> dict[str, CheckResult]:
    """The verdicts on a copy of the leaflet that `damage` changed."""
    folder = tmp_path / "copy"
    shutil.copytree(leaflets, folder)
    path = folder / "out" / ARTICLE / f"{ARTICLE}.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        damage(pdf)
        pdf.save(path)
    return verdicts(folder, path)


def rewrite(pdf: pikepdf.Pdf, change: Callable[[Instructions], Iterator[tuple[list, pikepdf.Operator]]], pages: slice = slice(None)) -> None:
    """Each page's content stream, instruction by instruction, through `change`."""
    for page in pdf.pages[pages]:
        instructions = [(list(operands), operator) for operands, operator in pikepdf.parse_content_stream(page)]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(list(change(instructions))))


def every_glyph_invisible(pdf: pikepdf.Pdf) -> None:
    """`3 Tr` after each BT: the text is there for software, and draws nothing."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            yield operands, operator
            if operator == pikepdf.Operator("BT"):
                yield [3], pikepdf.Operator("Tr")

    rewrite(pdf, change)


def glyphs_reversed(pdf: pikepdf.Pdf) -> None:
    """Each TJ's glyphs (and spacings) in reverse order; the /ActualText around them kept."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            if operator == pikepdf.Operator("TJ"):
                operands = [pikepdf.Array(list(operands[0])[::-1])]
            yield operands, operator

    rewrite(pdf, change)


def white_box_over_a_paragraph(pdf: pikepdf.Pdf) -> None:
    """A white rectangle drawn last, across the first page from 200pt to 300pt from the top."""
    page = pdf.pages[0]
    page.contents_coalesce()
    height = float(page.MediaBox[3])
    page.Contents = pdf.make_stream(b"q\n" + page.Contents.read_bytes() + f"\nQ\nq 1 1 1 rg 0 {height - 300} 600 100 re f Q\n".encode())


def text_off_the_page(pdf: pikepdf.Pdf) -> None:
    """Every text object of the second page moved 5000 units up, off the page."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            if operator == pikepdf.Operator("BT"):
                yield [], pikepdf.Operator("q")
                yield [1, 0, 0, 1, 0, 5000], pikepdf.Operator("cm")
            yield operands, operator
            if operator == pikepdf.Operator("ET"):
                yield [], pikepdf.Operator("Q")

    rewrite(pdf, change, slice(1, 2))


def text_clipped_away(pdf: pikepdf.Pdf) -> None:
    """Every text object of the first page drawn inside a clip of one unit square."""

    def change(instructions: Instructions):
        for operands, operator in instructions:
            if operator == pikepdf.Operator("BT"):
                yield [], pikepdf.Operator("q")
                yield [0, 0, 1, 1], pikepdf.Operator("re")
                yield [], pikepdf.Operator("W")
                yield [], pikepdf.Operator("n")
            yield operands, operator
            if operator == pikepdf.Operator("ET"):
                yield [], pikepdf.Operator("Q")

    rewrite(pdf, change, slice(0, 1))


def near_white_text(pdf: pikepdf.Pdf) -> None:
    """Every text object filled with #f5f5f5, the colours it set itself left out."""
    colours = {pikepdf.Operator(name) for name in ("rg", "g", "k", "sc", "scn", "cs")}

    def change(instructions: Instructions):
        inside = False
        for operands, operator in instructions:
            inside = operator == pikepdf.Operator("BT") or (inside and operator != pikepdf.Operator("ET"))
            if not (inside and operator in colours):
                yield operands, operator
            if operator == pikepdf.Operator("BT"):
                yield [0.96, 0.96, 0.96], pikepdf.Operator("rg")

    rewrite(pdf, change)


def untagged_copy_of_a_line(pdf: pikepdf.Pdf) -> None:
    """The introduction's first line drawn again 30pt lower, after the page's content and outside
    any marked content: text a reader of the page sees that the structure tree does not hold."""
    in_css_pixels = [0.75, 0, 0, 0.75, 0, 0]  # WeasyPrint draws in CSS pixels, 0.75pt each

    def change(instructions: Instructions):
        texts, copy = 0, []
        for operands, operator in instructions:
            yield operands, operator
            texts += operator == pikepdf.Operator("BT")
            if texts == 9 and operator not in (pikepdf.Operator("BDC"), pikepdf.Operator("EMC")):
                copy.append((operands, operator))
                texts += operator == pikepdf.Operator("ET")
        moved = [([], pikepdf.Operator("q")), (in_css_pixels, pikepdf.Operator("cm")), ([1, 0, 0, 1, 0, 40], pikepdf.Operator("cm"))]
        yield from [*moved, *copy, ([], pikepdf.Operator("Q"))]

    rewrite(pdf, change, slice(0, 1))


def actual_text_rewritten(pdf: pikepdf.Pdf) -> None:
    """The /ActualText of the introduction's first line says something else; its glyphs are kept."""

    def change(instructions: Instructions):
        declared = 0
        for operands, operator in instructions:
            if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]:
                declared += 1
                if declared == 9:
                    operands[1].ActualText = pikepdf.String("Take ten times the usual dose.")
            yield operands, operator

    rewrite(pdf, change, slice(0, 1))


def structure_reversed(pdf: pikepdf.Pdf) -> None:
    """The document element's children (title block, sections ... disclaimer) in reverse order."""
    document = pdf.Root.StructTreeRoot.K
    document = document[0] if isinstance(document, pikepdf.Array) else document
    document.K = pikepdf.Array(list(document.K)[::-1])


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
