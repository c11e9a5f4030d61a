"""WeasyPrint, locked down for untrusted articles.

WeasyPrint fetches every URL it meets and only logs most of what goes wrong. Here it may
reach nothing but our packaged stylesheets and fonts (every other URL is refused, whatever
its scheme), it sees no system font (so the output is the same on every machine), anything
it logs at warning level or above fails the render, and the PDF/UA-1 file it writes is
finished by `_pdf_finish` (page footers as artifacts, reproducible bytes).

Import this module only when rendering: WeasyPrint takes a second to load.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import weasyprint
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pipeline.renderers import _pdf_finish, _pdf_language, _pdf_text
from pipeline.renderers._font_faces import font_setup
from pipeline.renderers._pdf_assets import asset_files, font_files

PDF_VARIANT = "pdf/ua-1"
_LANG = re.compile(r'<html\b[^>]*\slang="([^"]+)"')


class RenderError(Exception):
    """The document could not be typeset as asked; the message says why and what to do."""


@cache
def _drawable() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in font_files():
        with TTFont(path, lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


def missing_glyphs(value: str) -> list[str]:
    """Characters of `value` that none of our fonts can draw; with no system fonts to fall
    back on, they would print as empty boxes. Spaces and invisible format characters aside."""
    drawable = _drawable()
    return sorted(
        {char for char in value if ord(char) not in drawable and not char.isspace() and unicodedata.category(char) != "Cf"}
    )


class AssetFetcher(URLFetcher):
    """Serves exactly the `file:` URLs of our packaged assets, and the `data:` URIs the document
    is known to embed (the logo), and refuses every other URL.

    The comparison is on the whole URL string, so no path trick (`..`, `%2e`, a query) and no
    other scheme (http, https, another data: URI, ftp ...) reaches anything. Refusals are remembered so the
    render can fail with the list even where WeasyPrint would carry on without the resource.
    """

    def __init__(self, files: Sequence[Path], embedded: Sequence[str] = ()):
        super().__init__(allow_redirects=False)
        self._files = {path.as_uri(): path for path in files}
        self._embedded = {uri: _decoded(uri) for uri in embedded}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url in self._embedded:
            media_type, data = self._embedded[url]
            return URLFetcherResponse(url, data, {"Content-Type": media_type})
        path = self._files.get(url)
        if path is None:
            self.refused.append(url)
            raise PermissionError(f"refused {url!r}: only the pipeline's packaged stylesheets and fonts, and the logo the document embeds, may be loaded")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, _served(path), {"Content-Type": media_type})


def _decoded(uri: str) -> tuple[str, bytes]:
    """(media type, bytes) of a base64 `data:` URI the document embeds (the publisher's logo)."""
    head, _, payload = uri.partition(",")
    return head.removeprefix("data:").removesuffix(";base64"), base64.b64decode(payload, validate=True)


@cache
def _served(path: Path) -> bytes:
    """A WOFF font as plain TrueType (OpenType), keeping the font's own timestamp: left to
    WeasyPrint, the conversion stamps the current time into every embedded font, so no two
    builds would match."""
    if path.suffix not in (".woff", ".woff2"):
        return path.read_bytes()
    from fontTools.ttLib import TTFont

    with TTFont(path, recalcTimestamp=False) as font:
        font.flavor = None
        out = BytesIO()
        font.save(out)
    return out.getvalue()


def _declare_fc_config_create() -> None:
    try:
        fontconfig.FcConfigCreate  # noqa: B018 - present if a WeasyPrint release declares it
    except AttributeError:
        ffi.cdef("FcConfig * FcConfigCreate (void);")


_declare_fc_config_create()
_pdf_language.install()


class OwnFontsOnly(FontConfiguration):
    """A font configuration that starts empty: only @font-face fonts exist, no system font.

    WeasyPrint loads the system's fontconfig setup; swapping in an empty configuration means
    Pango can fall back only to the fonts our stylesheet declares, whatever is installed.
    """

    def __init__(self) -> None:
        super().__init__()
        config = fontconfig.FcConfigCreate()
        pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), config)
        fontconfig.FcConfigDestroy(config)  # the font map holds its own reference
        self._config = config


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


_DATA_URI = re.compile(r"data:([\w/+.-]*)[^\s'\"]*")


def without_payload(message: str) -> str:
    """A typesetter's message on one line, each `data:` URI in it named by its media type
    alone: an image's bytes (half a megabyte of base64 for a logo) are never an error's words."""
    return " ".join(_DATA_URI.sub(lambda found: f"data:{found[1]},…", message).split())


@contextmanager
def _strict_logging() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@dataclass(frozen=True)
class Typeset:
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself; `created` is a W3C date such as 2026-11-25."""

    created: str
    authors: tuple[str, ...] = ()


_pdf_text.install()


def typeset(html: str, stylesheets: Sequence[Path], extra_css: str, metadata: Metadata, embedded: Sequence[str] = ()) -> Typeset:
    """Lay out `html` with our fonts and `stylesheets` (then `extra_css`) as tagged PDF/UA-1;
    `embedded` are the data: URIs the HTML holds (any other is refused, like any other URL)."""
    fetcher = AssetFetcher(asset_files(stylesheets), embedded)
    fonts = OwnFontsOnly()
    lang = _LANG.search(html)
    used = font_setup(lang.group(1) if lang else "", "".join((html, extra_css, *(path.read_text() for path in stylesheets))))
    with _strict_logging() as log:
        sheets = [weasyprint.CSS(filename=path, url_fetcher=fetcher, font_config=fonts) for path in stylesheets]
        sheets.append(weasyprint.CSS(string=f"{used.css}\n{extra_css}", url_fetcher=fetcher, font_config=fonts))
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(
            font_config=fonts, stylesheets=sheets, pdf_variant=PDF_VARIANT
        )
        document.metadata.created = document.metadata.modified = metadata.created
        document.metadata.authors = list(metadata.authors)
        raw = document.write_pdf(pdf_variant=PDF_VARIANT)
    problems = [without_payload(message) for message in (*(f"refused to load {url}" for url in fetcher.refused), *log.messages)]
    if problems:
        raise RenderError("WeasyPrint could not typeset the document as written: " + "; ".join(dict.fromkeys(problems)))
    return Typeset(_pdf_finish.finish(raw), len(document.pages))
