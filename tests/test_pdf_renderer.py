"""The PDF leaflet and its large-print edition: tagged PDF/UA-1, complete, printable, stable."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from conftest import FIRST_ARTICLE, MINIMAL
from output_checks import article_sentences
from pdf_reading import font_sizes, fonts, line_spacings, page_texts, render, squeezed, structure, tagged_text

from pipeline.model import markup, walk
from pipeline.renderers._weasyprint import RenderError
from pipeline.renderers.pdf import STYLES, LargePrintRenderer, LeafletRenderer
from pipeline.source.validate import load_article

A4 = (595.28, 841.89)
LETTER = (612, 792)


@pytest.fixture(scope="module")
def article():
    return load_article(FIRST_ARTICLE)


@pytest.fixture(scope="module")
def leaflet(article, tmp_path_factory) -> Path:
    return render(LeafletRenderer(), article, tmp_path_factory.mktemp("pdf") / "leaflet.pdf")


@pytest.fixture(scope="module")
def large_print(article, tmp_path_factory) -> Path:
    return render(LargePrintRenderer(), article, tmp_path_factory.mktemp("pdf") / "large.pdf")


@pytest.mark.parametrize("edition", ["leaflet", "large_print"])
def test_pdf_is_tagged_pdf_ua_with_language_title_and_semantic_structure(edition, request, article):
    with pikepdf.open(request.getfixturevalue(edition)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.Lang == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == article.title
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
        roles = Counter(str(element.S) for element in structure(pdf))
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Caption", "/Link"} <= set(roles)
    assert roles["/H1"] == 1 and roles["/Table"] == 1 and roles["/TH"] == 7 and roles["/TD"] == 8


def test_table_header_cells_carry_column_and_row_scope(leaflet):
    with pikepdf.open(leaflet) as pdf:
        scopes = Counter(str(cell.A.Scope) for cell in structure(pdf) if cell.S == "/TH")
    assert scopes == {"/Column": 3, "/Row": 4}


def test_every_font_is_embedded_and_one_of_ours(leaflet, large_print):
    for path in (leaflet, large_print):
        with pikepdf.open(path) as pdf:
            descriptors = [font.FontDescriptor for font in fonts(pdf) if "/FontDescriptor" in font]
            assert descriptors
            for descriptor in descriptors:
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), descriptor.FontName
                assert re.fullmatch(r"/[A-Z]{6}\+(Atkinson-Hyperlegible|DejaVu-Sans)(-Bold)?(-Italic)?", str(descriptor.FontName))


def test_first_article_fits_four_a4_pages(leaflet):
    with pikepdf.open(leaflet) as pdf:
        assert len(pdf.pages) <= 4
        assert [round(float(value), 2) for value in pdf.pages[0].MediaBox[2:]] == list(A4)


def test_every_sentence_of_the_source_is_read_in_source_order_by_a_screen_reader(article, leaflet, large_print):
    printed_addresses = [f"({link.url})" for item in walk.article_texts(article) for link in markup.links(item)]
    for path in (leaflet, large_print):
        read, outside_the_tree = tagged_text(path)
        read = squeezed(read)
        for address in printed_addresses:
            read = read.replace(squeezed(address), "")
        cursor, missing = 0, []
        for sentence in map(squeezed, article_sentences(article)):
            found = read.find(sentence, cursor)
            if found < 0:
                missing.append(sentence)
            else:
                cursor = found + len(sentence)
        assert missing == [], f"{path.name}: not found, or not in source order"
        assert outside_the_tree == []


def test_links_in_the_text_print_their_address_and_references_are_numbered(leaflet):
    pages = page_texts(leaflet)
    printed = squeezed(" ".join(pages))
    assert squeezed("National Institutes of Health (NIH) (https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/).") in printed
    read = squeezed(tagged_text(leaflet)[0])
    assert squeezed("6. Fluid and Electrolyte Balance. MedlinePlus") in read
    assert squeezed("https://medlineplus.gov/fluidandelectrolytebalance.html") in printed


def test_every_page_has_a_footer_with_title_and_page_n_of_m_marked_as_artifact(article, leaflet):
    pages = page_texts(leaflet)
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page_text
        assert article.title in page_text
    with pikepdf.open(leaflet) as pdf:
        linked = {element.objgen for element in structure(pdf)}
        parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        for index, page in enumerate(pdf.pages):
            marked = [operands for operands, operator in pikepdf.parse_content_stream(page) if str(operator) == "BDC"]
            footers = [props for role, props in marked if role == "/Artifact" and props.get("/Subtype") == "/Footer"]
            assert len(footers) == 2
            mcids = [int(props.MCID) for role, props in marked if "/MCID" in props]
            owners = _page_owners(parent_tree, index)
            assert all(owners[mcid].objgen in linked for mcid in mcids), "marked content outside the structure tree"


def _page_owners(nums: pikepdf.Array, page_index: int) -> pikepdf.Array:
    return next(nums[position + 1] for position in range(0, len(nums), 2) if int(nums[position]) == page_index)


def test_leaflet_text_is_at_least_12pt_and_large_print_at_least_16pt_on_more_pages(leaflet, large_print):
    leaflet_sizes, large_sizes = font_sizes(leaflet), font_sizes(large_print)
    assert min(leaflet_sizes) >= 12  # footer, table, references and dates included
    assert Counter(leaflet_sizes).most_common(1)[0][0] == 12
    assert min(large_sizes) >= 16
    body = Counter(large_sizes).most_common(1)[0][0]
    assert body >= 16
    assert len(page_texts(large_print)) > len(page_texts(leaflet))


@pytest.mark.parametrize("edition", ["leaflet", "large_print"])
def test_lines_are_at_least_1_35_times_their_size_apart(edition, request):
    spacings = line_spacings(request.getfixturevalue(edition))
    assert len(spacings) > 100
    assert min(spacings) >= 1.35
    assert Counter(spacings).most_common(1)[0][0] >= 1.38  # the body's


def test_same_source_date_epoch_gives_byte_identical_pdfs(article, tmp_path):
    first = render(LeafletRenderer(), article, tmp_path / "one.pdf", epoch=1_700_000_000)
    second = render(LeafletRenderer(), article, tmp_path / "two.pdf", epoch=1_700_000_000)
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20231114221320Z"


def test_without_source_date_epoch_the_dates_are_the_publication_date(leaflet):
    with pikepdf.open(leaflet) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20261125" == str(pdf.docinfo.ModDate)


def test_letter_paper_option_sets_the_page_size(write_source, tmp_path):
    path = render(LeafletRenderer(), load_article(write_source(MINIMAL)), tmp_path / "letter.pdf", paper="letter")
    with pikepdf.open(path) as pdf:
        assert [round(float(value)) for value in pdf.pages[0].MediaBox[2:]] == list(LETTER)


def test_more_pages_than_the_limit_is_an_error_that_says_what_to_do(article, tmp_path):
    with pytest.raises(RenderError, match=r"takes \d pages on a4 paper, more than the limit of 2: .*--max-pages \d"):
        render(LeafletRenderer(), article, tmp_path / "long.pdf", max_pages=2)
    assert not (tmp_path / "long.pdf").exists()


def test_long_table_repeats_its_header_row_on_every_page(write_source, tmp_path):
    rows = "\n".join(f"            - [Remedy number {index}, Every evening]" for index in range(80))
    source = MINIMAL.replace("            - [Stretching, Every evening]", rows)
    pages = page_texts(render(LeafletRenderer(), load_article(write_source(source)), tmp_path / "table.pdf", max_pages=0))
    with_rows = [page for page in pages if "Remedy number" in page]
    assert len(with_rows) >= 2
    assert all("Remedy How often" in " ".join(page.split()) for page in with_rows)


def test_greek_falls_back_to_the_vendored_font_and_unknown_scripts_are_refused(write_source, tmp_path):
    greek = write_source(MINIMAL.replace("Drink enough water.", "Vitamin D3 (cholecalciferol) ≥ 50 nmol/L, Ω-3."))
    path = render(LeafletRenderer(), load_article(greek), tmp_path / "greek.pdf")
    with pikepdf.open(path) as pdf:
        assert {str(font.FontDescriptor.FontFamily) for font in fonts(pdf) if "/FontDescriptor" in font} == {
            "Atkinson Hyperlegible",
            "DejaVu Sans",
        }
    tamil = write_source(MINIMAL.replace("Drink enough water.", "Drink enough water (தண்ணீர்)."), name="tamil.yaml")
    with pytest.raises(RenderError, match=r"cannot print 'ண' \(U\+0BA3 TAMIL LETTER NNA\), .* first seen in .*Drink enough water"):
        render(LeafletRenderer(), load_article(tamil), tmp_path / "tamil.pdf")


def test_assets_are_the_stylesheets_and_fonts_so_a_style_change_rebuilds():
    leaflet_assets = {path.name for path in LeafletRenderer().assets()}
    large_assets = {path.name for path in LargePrintRenderer().assets()}
    assert {"leaflet.css", "fonts.css", "atkinson-hyperlegible-latin-400-normal.woff", "DejaVuSans.ttf"} <= leaflet_assets
    assert large_assets - leaflet_assets == {"large-print.css"}


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, two: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("sheet", ["leaflet.css", "large-print.css"])
def test_text_colours_meet_wcag_aaa_contrast_on_every_background(sheet):
    colours = dict(re.findall(r"--(ink|accent|panel):\s*(#[0-9a-fA-F]{3,6})", (STYLES / "leaflet.css").read_text()))
    colours |= dict(re.findall(r"--(ink|accent|panel):\s*(#[0-9a-fA-F]{3,6})", (STYLES / sheet).read_text()))
    for foreground in (colours["ink"], colours["accent"]):
        for background in ("#fff", colours["panel"]):
            assert _contrast(foreground, background) >= 7, (foreground, background)


def test_build_writes_both_editions_and_reports_the_page_limit_per_article(write_source, tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    out = tmp_path / "out"
    source = write_source(MINIMAL, name="cramps.yaml")
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "-f", "pdf", "-f", "pdf-large", "--paper", "letter", str(source)])
    assert result.exit_code == 0, result.output
    assert {path.name for path in (out / "cramps").glob("*.pdf")} == {"cramps.pdf", "cramps.large-print.pdf"}
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "-f", "pdf-large", "--max-pages", "1", str(source)])
    assert result.exit_code == 1
    assert re.search(r"error: cramps: pdf-large failed: RenderError: the large-print edition takes \d+ pages on a4 paper, more than the limit of 1", result.output)


@pytest.mark.parametrize("raw", ["-1", "four", "2.5", ""])
def test_page_limit_option_refuses_what_is_not_a_page_count(raw):
    with pytest.raises(ValueError, match="is not a page count: give a whole number, or 0 for no limit"):
        LeafletRenderer.options["max_pages"].read(raw)
