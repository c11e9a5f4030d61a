"""A hostile source cannot make the PDF renderer read a file or reach a server.

Source text is escaped before WeasyPrint sees it, and WeasyPrint's URL fetcher serves only the
packaged stylesheets and fonts. A local HTTP server counts any request that gets through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL
from pdf_reading import render, squeezed, tagged_text

from pipeline.renderers._pdf_assets import ASSETS, asset_files
from pipeline.renderers._weasyprint import AssetFetcher, Metadata, RenderError, typeset
from pipeline.renderers.pdf import STYLES, LeafletRenderer
from pipeline.source.validate import load_article


class CountingServer(ThreadingHTTPServer):
    requests: list[str]


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A server on the loopback address that records every path requested of it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.server.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    httpd = CountingServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def hostile_markup(base: str) -> str:
    return (
        f'<img src="file:///etc/passwd"> <link rel="stylesheet" href="{base}/evil.css"> '
        f'<img src="{base}/pixel.png" alt="x"> <style>@import url({base}/import.css);</style> '
        f'<object data="{base}/object"></object> <a rel="attachment" href="{base}/attachment">file</a>'
    )


def test_hostile_source_fetches_nothing_and_shows_its_markup_as_text(server, write_source, tmp_path):
    base, requests = server
    markup = hostile_markup(base)
    source = MINIMAL.replace(
        "Drink enough water.", f"Drink enough water. '{markup}' See [our page](https://www.nhs.uk/page)."
    )  # a markdown link to this computer is refused by validation (tests/corpus), so the live one is public
    path = render(LeafletRenderer(), load_article(write_source(source)), tmp_path / "hostile.pdf")
    assert requests == []
    read, _ = tagged_text(path)
    assert squeezed(markup) in squeezed(read)
    with pikepdf.open(path) as pdf:
        assert not [item for item in pdf.objects if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image"]
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        uris = [str(link.A.URI) for page in pdf.pages for link in page.get("/Annots", []) if "/A" in link]
    assert "https://www.nhs.uk/page" in uris  # a link stays a link for the reader to follow, never fetched


def test_fetcher_serves_our_fonts_and_stylesheets_and_nothing_else(server):
    base, requests = server
    fetcher = AssetFetcher(asset_files([STYLES / "leaflet.css"]))
    font = ASSETS / "fonts" / "dejavu" / "DejaVuSans.ttf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    assert b"@page" in fetcher.fetch((STYLES / "leaflet.css").as_uri()).read()
    refused = [
        "file:///etc/passwd",
        f"{(ASSETS / 'fonts').as_uri()}/../../../../../../etc/passwd",
        f"{font.as_uri()}?x=1",
        "data:text/css,body{color:red}",
        f"{base}/evil.css",
        "https://example.org/font.woff",
        "ftp://127.0.0.1/font.woff",
    ]
    for url in refused:
        with pytest.raises(PermissionError, match="only the pipeline's packaged stylesheets and fonts"):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert requests == []


def test_markup_that_reached_weasyprint_would_fail_the_render_not_fetch(server):
    base, requests = server
    html = f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>x</p>{hostile_markup(base)}</body></html>'
    with pytest.raises(RenderError, match=r"refused to load file:///etc/passwd.*refused to load http://127\.0\.0\.1"):
        typeset(html, [STYLES / "leaflet.css"], "", Metadata(created="2026-01-01"))
    assert requests == []


def test_problems_weasyprint_only_logs_fail_the_render():
    html = "<!DOCTYPE html><html><head><title>t</title></head><body><p>No language given.</p></body></html>"
    with pytest.raises(RenderError, match='error: Missing required "lang" attribute'):
        typeset(html, [STYLES / "leaflet.css"], "", Metadata(created="2026-01-01"))


def test_a_typo_in_our_own_stylesheet_fails_the_render(tmp_path: Path):
    sheet = tmp_path / "broken.css"
    sheet.write_text("p { colour: red; }")
    html = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>x</p></body></html>'
    with pytest.raises(RenderError, match="colour"):
        typeset(html, [sheet], "", Metadata(created="2026-01-01"))
