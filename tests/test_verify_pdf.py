"""`pipeline verify` on the leaflet and the large-print edition: tags, structure, metadata,
fonts, page limit, print size and text, each caught on a copy of a good build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jsonschema
import pikepdf
from verify_helpers import SENTENCES, broken_copy, check_file, results, run_json, schema

from pipeline.verify.checks.pdf import PdfFontsEmbedded, PdfLanguage, PdfPageLimit, PdfTitle, PdfUaIdentifier


@contextmanager
def edited(path: Path) -> Iterator[pikepdf.Pdf]:
    """The PDF at `path`, saved over itself when the block ends."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        yield pdf
        pdf.save(path)


def test_pdf_without_tags_fails_the_tag_and_structure_checks_and_keeps_its_text(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.pdf"
    with edited(path) as pdf:
        del pdf.Root.MarkInfo
        del pdf.Root.StructTreeRoot
    code, report = run_json(folder, path)
    jsonschema.validate(report, schema())
    assert code == 1 and report["passed"] is False
    [tagged] = results(report, "pdf-tagged")
    assert (tagged["status"], tagged["figure"]) == ("fail", "not marked, 0 structure elements")
    assert tagged["messages"] == [
        "the catalog has no /MarkInfo << /Marked true >>: the PDF is not tagged",
        "there is no structure tree (/StructTreeRoot with elements): a screen reader gets the text without headings, lists or tables",
        "rebuild it with `pipeline build --force --format pdf`",
    ]
    [structure] = results(report, "pdf-structure")
    assert structure["status"] == "fail" and structure["messages"] == [
        "title heading (H1): the PDF tags 0, not exactly 1",
        "section headings (H2-H6): the source needs at least 2, the PDF tags 0",
        "lists (L): the source needs at least 1, the PDF tags 0",
        "tables (Table): the source needs at least 1, the PDF tags 0",
        "table header cells (TH): the source needs at least 2, the PDF tags 0",
    ]
    assert results(report, "pdf-parity")[0]["figure"] == f"{SENTENCES}/{SENTENCES} sentences of the source in order"


def test_pdf_without_language_title_ua_claim_or_embedded_font_names_each(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.pdf"
    with edited(path) as pdf:
        del pdf.Root.Lang
        del pdf.Root.ViewerPreferences
        with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
            del metadata["pdfuaid:part"]
        font = next(font for page in pdf.pages for font in page.Resources.Font.values() if "/DescendantFonts" in font)
        del font.DescendantFonts[0].FontDescriptor.FontFile2
        name = str(font.DescendantFonts[0].BaseFont)
    source = folder / "source" / "cramps.yaml"
    found = {check.name: check_file(folder, path, check).result for check in (PdfLanguage(), PdfTitle(), PdfUaIdentifier(), PdfFontsEmbedded())}
    assert {name: result.status for name, result in found.items()} == dict.fromkeys(found, "fail")
    assert found["pdf-language"].messages == (f"/Lang is missing, not 'en' as in {source}: screen readers would read it in the wrong voice",)
    assert found["pdf-title"].messages == ("/ViewerPreferences has no /DisplayDocTitle true: viewers show the file name instead of the title",)
    assert found["pdf-ua-identifier"].messages == ("pdfuaid:part is missing in the XMP metadata, not 1: the file does not claim PDF/UA-1",)
    assert found["pdf-fonts-embedded"].figure == "3/4 fonts embedded"
    assert found["pdf-fonts-embedded"].messages == (f"font {name} is not embedded: viewers substitute another, and PDF/UA forbids it",)


def test_large_print_edition_set_in_leaflet_type_fails_the_size_check(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    large = folder / "out" / "cramps" / "cramps.large-print.pdf"
    shutil.copyfile(folder / "out" / "cramps" / "cramps.pdf", large)
    code, report = run_json(folder, large)
    [size] = results(report, "pdf-large-print-size")
    assert code == 1 and size["status"] == "fail"
    assert size["figure"].startswith("body 12pt (the size of most characters), smallest ")
    assert size["messages"] == ["the body text is 12pt, under the 16pt large print needs"]
    assert [result["check"] for result in report["results"] if result["status"] == "fail"] == ["pdf-large-print-size"]


def test_pdf_longer_than_its_page_limit_fails_with_the_flag_that_allows_it(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    manifest_path = folder / "out" / "cramps" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["outputs"]["pdf-large"]["options"]["max_pages"] = 1  # as if built with --max-pages 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = check_file(folder, folder / "out" / "cramps" / "cramps.large-print.pdf", PdfPageLimit()).result
    assert (result.status, result.figure) == ("fail", "2 pages (limit 1)")
    assert result.messages == ("2 pages, more than the limit of 1: shorten the article, or build with --max-pages 2",)
    good = check_file(built, built / "out" / "cramps" / "cramps.large-print.pdf", PdfPageLimit()).result
    assert (good.status, good.figure) == ("pass", "2 pages (no limit)")
