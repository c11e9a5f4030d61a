"""The leaflet's QR code to the web edition: it scans to `web_url`, is vector, tagged and described."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import FIRST_ARTICLE, MINIMAL
from pdf_reading import page_texts, render, squeezed, structure, tagged_text

from pipeline.renderers.pdf import LargePrintRenderer, LeafletRenderer
from pipeline.source.validate import load_article

WEB_URL = "https://clinic.example.org/leaflets/cramps/?from=leaflet&lang=en"
ALT = f"QR code linking to the audio and web version at {WEB_URL}"
EDITIONS = {"leaflet": LeafletRenderer, "large print": LargePrintRenderer}


def with_web_url(source: str, url: str = WEB_URL) -> str:
    return source.replace("\npublished:", f"\nweb_url: '{url}'\npublished:", 1)


def scanned(path: Path) -> list[str]:
    """What a phone camera reads on the first page: the page drawn at 150 dpi, then decoded."""
    import zxingcpp

    document = pdfium.PdfDocument(path)
    try:
        image = document[0].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def figures(path: Path) -> list[tuple[str, bool]]:
    """Each tagged figure: its alternative text, and whether it holds marked content."""
    with pikepdf.open(path) as pdf:
        return [(str(element.get("/Alt")), "/K" in element) for element in structure(pdf) if element.S == "/Figure"]


@pytest.fixture(scope="module", params=EDITIONS)
def printed(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("qr")
    source = folder / "cramps.yaml"
    source.write_text(with_web_url(MINIMAL), encoding="utf-8")
    return render(EDITIONS[request.param](), load_article(source), folder / "cramps.pdf")


def test_qr_code_scans_to_the_web_url(printed):
    assert scanned(printed) == [WEB_URL]


def test_the_address_is_printed_beside_the_code(printed):
    first_page = squeezed(page_texts(printed)[0])
    assert squeezed(f"Listen to this leaflet, or read it on screen: {WEB_URL}") in first_page


def test_qr_code_is_a_tagged_figure_with_alt_text_and_drawn_as_vectors(printed):
    assert figures(printed) == [(ALT, True)]
    with pikepdf.open(printed) as pdf:
        assert all(not page.get_images() for page in pdf.pages)  # paths, not a bitmap: sharp at any size
    read, outside = tagged_text(printed)
    assert outside == [] and read.index("Leg cramps at night") < read.index("Listen to this leaflet")


def test_without_a_web_url_there_is_no_qr_code(write_source, tmp_path):
    path = render(LeafletRenderer(), load_article(write_source(MINIMAL, name="cramps.yaml")), tmp_path / "plain.pdf")
    assert figures(path) == [] and scanned(path) == []
    assert "Listen to this leaflet" not in page_texts(path)[0]


def test_first_article_with_a_web_url_still_fits_four_a4_pages(tmp_path):
    source = tmp_path / "hard-muscles.yaml"
    source.write_text(with_web_url(FIRST_ARTICLE.read_text("utf-8"), "https://clinic.example.org/leaflets/hard-muscles/"), encoding="utf-8")
    path = render(LeafletRenderer(), load_article(source), tmp_path / "leaflet.pdf")  # fails past --max-pages 4
    assert len(page_texts(path)) <= 4 and scanned(path) == ["https://clinic.example.org/leaflets/hard-muscles/"]
