"""`pipeline verify`'s clear-print and PDF/UA rule checks on the leaflets: each passes on a good
build and names what it catches on a broken copy."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pdf_reading import render, structure
from verify_helpers import broken_copy, check_file

from pipeline.renderers.pdf import LeafletRenderer
from pipeline.source.validate import load_article
from pipeline.verify.checks.pdf_print import PdfClearPrint
from pipeline.verify.checks.pdf_ua import PdfUaRules

RULES = "13/13 rules run (pdfua's on 16 of 106 PDF/UA-1 checkpoints, and MH-01-005)"


def test_good_leaflets_pass_the_clear_print_check(built):
    for name in ("cramps.pdf", "cramps.large-print.pdf"):
        verdict = check_file(built, built / "out" / "cramps" / name, PdfClearPrint())
        assert verdict.result.status == "pass", verdict.result
    leaflet = check_file(built, built / "out" / "cramps" / "cramps.pdf", PdfClearPrint()).result
    assert leaflet.figure == "smallest text 12pt, line spacing 1.38 or more"


def test_leaflet_in_small_tight_type_fails_the_clear_print_check(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    cramped = tmp_path / "cramped.css"
    cramped.write_text(":root { --small-size: 11pt; --leading: 1.2; } p, ul, ol, dl, li { margin: 0; }", encoding="utf-8")

    class Cramped(LeafletRenderer):
        stylesheets = (*LeafletRenderer.stylesheets, cramped)

    path = folder / "out" / "cramps" / "cramps.pdf"
    render(Cramped(), load_article(folder / "source" / "cramps.yaml"), path)
    result = check_file(folder, path, PdfClearPrint()).result
    assert result.status == "fail"
    assert result.figure == "smallest text 11pt, line spacing 1.2 or more"
    small, tight = result.messages
    assert small.endswith("characters are under 12pt (the smallest 11pt): raise the sizes in pipeline/assets/pdf/")
    assert tight == "lines are 1.2 times their text size apart, under 1.35: raise line-height in pipeline/assets/pdf/"


def test_first_article_fits_four_pages_in_clear_print(tmp_path: Path):
    """The acceptance point as one test: 12pt everywhere and four A4 pages (see also test_pdf_qr)."""
    from conftest import FIRST_ARTICLE
    from pdf_reading import font_sizes, page_texts

    path = render(LeafletRenderer(), load_article(FIRST_ARTICLE), tmp_path / "leaflet.pdf", max_pages=0)
    assert min(font_sizes(path)) >= 12
    assert len(page_texts(path)) <= 4


def test_good_leaflets_pass_every_pdf_ua_rule_and_say_how_many_ran(built):
    for name in ("cramps.pdf", "cramps.large-print.pdf"):
        result = check_file(built, built / "out" / "cramps" / name, PdfUaRules()).result
        assert (result.status, result.figure) == ("pass", f"{RULES}, 0 failed"), result


def test_pdf_ua_rules_name_what_fails(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root.Lang
        heading = next(element for element in structure(pdf) if element.S == "/H1")
        heading.K = pikepdf.Array()  # a heading with no text
        pdf.save(path)
    result = check_file(folder, path, PdfUaRules()).result
    assert result.status == "fail"
    assert result.figure == f"{RULES}, 3 failed: MH-01-005, UA-06-001, UA-14-001"  # the title's text is now in no element
    assert any(message.startswith("UA-14-001 (PDF/UA-1 7.4) ") and "Empty heading element /H1" in message for message in result.messages)


def test_page_margins_left_as_weasyprint_writes_them_fail_the_marked_content_rule(built, tmp_path, monkeypatch):
    """What renderers/_pdf_finish.py is for: without it, the running title and page numbers are
    marked content of no element in the tree (WeasyPrint issue #1836), which pdfua's own rules miss."""
    from pipeline.renderers import _pdf_finish

    folder = broken_copy(built, tmp_path)
    monkeypatch.setattr(_pdf_finish, "finish", lambda data: data)
    path = render(LeafletRenderer(), load_article(folder / "source" / "cramps.yaml"), folder / "out" / "cramps" / "cramps.pdf")
    result = check_file(folder, path, PdfUaRules()).result
    assert (result.status, result.figure) == ("fail", f"{RULES}, 1 failed: MH-01-005")
    lost = [message for message in result.messages if message.startswith("MH-01-005 (PDF/UA-1 7.1) page 1 MCID ")]
    assert len(lost) == 1 and "belong to no element of the structure tree" in lost[0]
