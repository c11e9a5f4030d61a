"""The printed patient leaflet and its large-print edition: tagged PDF/UA-1 by WeasyPrint.

Both editions are the shared semantic HTML (`_html`) under a print stylesheet; the large-print
one adds `large-print.css`. WeasyPrint itself is driven by `_weasyprint`, which keeps it away
from the network, the file system and the system fonts. When the source names its web
edition (`web_url`), a QR code to it (vector SVG, inline: nothing to fetch) and its address
stand under the title, so a reader holding the paper can listen to the article.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import ClassVar

from pipeline import ASSETS
from pipeline.locale import CATALOGUE_FILES, Words
from pipeline.model import Article, markup, walk
from pipeline.registry import Option, Renderer, RenderJob
from pipeline.renderers import _html, _issuer
from pipeline.renderers._pdf_assets import asset_files, missing_fonts_hint
from pipeline.text import sentences, wording

STYLES = ASSETS / "pdf"
RIGHT_TO_LEFT_PAGE = "right-to-left"  # leaflet.css: a right-to-left leaflet's pages mirror their footer
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def page_limit(raw: str) -> int:
    value = int(raw) if raw.strip().isdigit() else -1
    if value < 0:
        raise ValueError(f"'{raw}' is not a page count: give a whole number, or 0 for no limit")
    return value


def max_pages_option(default: int) -> Option:
    return Option(default=default, help="fail if the PDF needs more pages than this (0: no limit)", parse=page_limit)


class LeafletRenderer(Renderer):
    name = "pdf"
    extension = ".pdf"
    media_type = "application/pdf"
    description = "Tagged PDF/UA-1 patient leaflet, A4 or letter, at most 4 pages by default"
    cost = 1.0
    shows_logo = True
    lists_formats = True
    edition: ClassVar[str] = "leaflet"
    stylesheets: ClassVar[tuple[Path, ...]] = (STYLES / "leaflet.css",)
    options = {
        "paper": Option(default="a4", help="paper size", choices=tuple(PAGE_SIZES)),
        "max_pages": max_pages_option(4),
    }

    def assets(self) -> Iterable[Path]:
        return (*asset_files(self.stylesheets), *CATALOGUE_FILES)

    def render(self, article: Article, job: RenderJob) -> None:
        from pipeline.renderers._weasyprint import Metadata, RenderError, missing_glyphs, typeset

        missing = missing_glyphs("".join(printed_texts(article)))
        if missing:
            raise RenderError(missing_glyphs_message(article, missing))
        paper = job.options["paper"]
        body = _html.body(
            article,
            after_title=web_version(article),
            before_title=_issuer.masthead(article),
            before_disclaimer=_issuer.contact(article, job.formats, control=False),
            after_all=_issuer.document_control(article),
        )
        html = _html.document(article, None, body)
        metadata = Metadata(created=creation_date(article, job.source_date_epoch), authors=_authors(article))
        page_css = f"@page {{ size: {PAGE_SIZES[paper]}; }}\n{footer_css(wording.words_for(article))}"
        result = typeset(html, self.stylesheets, page_css, metadata, embedded=_issuer.embedded(article))
        limit = job.options["max_pages"]
        if limit and result.pages > limit:
            raise RenderError(
                f"the {self.edition} takes {result.pages} pages on {paper} paper, more than the limit of {limit}: "
                f"shorten the article, or allow more with --max-pages {result.pages} (0 for no limit)"
            )
        job.path.write_bytes(result.pdf)


class LargePrintRenderer(LeafletRenderer):
    name = "pdf-large"
    extension = ".large-print.pdf"
    description = "Tagged PDF/UA-1 large-print edition, 18pt, for readers with low vision"
    edition = "large-print edition"
    offered_as = "large print"
    stylesheets = (STYLES / "leaflet.css", STYLES / "large-print.css")
    options = {**LeafletRenderer.options, "max_pages": max_pages_option(0)}


def web_version(article: Article) -> str:
    """A QR code to the article's web edition with its address beside it; "" without one."""
    if not article.web_url:
        return ""
    words = wording.words_for(article)
    url = escape(article.web_url)
    label = escape(words.gettext("Audio and web version"))
    invitation = words.markup("Listen to this leaflet, or read it on screen:")
    return (
        f'<aside class="web-version" aria-label="{label}"{_html.words_attributes(article)}>\n  {qr_code(article.web_url, qr_alt(article.web_url, words))}\n'
        f'  <p><strong>{invitation}</strong> <a href="{url}">{escape(article.web_url, quote=False)}</a></p>\n</aside>'
    )


def qr_alt(url: str, words: Words) -> str:
    return words.gettext("QR code linking to the audio and web version at {url}", url=url)


def footer_css(words: Words) -> str:
    """The page footer ("Page 2 of 4") in the catalogue's words, as the CSS that prints it:
    `content: "Page " counter(page) " of " counter(pages)`."""
    template = words.gettext("Page {page} of {pages}", page="{page}", pages="{pages}")
    parts = [f"counter({piece[1:-1]})" if piece in ("{page}", "{pages}") else css_string(piece) for piece in re.split(r"(\{pages?\})", template) if piece]
    number = " ".join(parts)
    return f"@page {{ @bottom-right {{ content: {number}; }} }}\n@page {RIGHT_TO_LEFT_PAGE} {{ @bottom-left {{ content: {number}; }} }}"


def css_string(value: str) -> str:
    """`value` as a CSS string literal: quotes and backslashes escaped, line breaks as \\A."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def qr_code(data: str, alt: str) -> str:
    """An inline SVG QR code (black on white, with its quiet zone); its title is the alt text
    a tagged PDF gives the figure."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, micro=False, error="m").save(
        buffer, kind="svg", xmldecl=False, nl=False, omitsize=True, title=alt, svgclass="qr-code", lineclass=None, dark="#000", light="#fff"
    )
    return buffer.getvalue().decode()


def creation_date(article: Article, source_date_epoch: int | None) -> str:
    """SOURCE_DATE_EPOCH when set, else the article's publication date: never the clock."""
    if source_date_epoch is None:
        return article.published.isoformat()
    return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def printed_texts(article: Article) -> list[str]:
    """Every text of the article the leaflet prints, the publisher's included."""
    issuer = article.issuer
    own = [value for value in (issuer.name, issuer.phone, issuer.email, issuer.address) if value] if issuer else []
    return [*walk.article_texts(article), *own, *filter(None, (article.reference, article.version))]


def missing_glyphs_message(article: Article, missing: list[str]) -> str:
    first = next(item for item in printed_texts(article) if missing[0] in item)
    start = max(0, first.index(missing[0]) - 30)
    named = ", ".join(f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})" for char in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return (
        f"the leaflet's fonts cannot print {named}{more}, first seen in \"{sentences.fold_space(first[start:start + 60])}\": "
        "write it another way, or add a font that has it to pipeline/assets/fonts/fonts.css" + missing_fonts_hint()
    )


def _authors(article: Article) -> tuple[str, ...]:
    publisher = article.issuer.name if article.issuer else article.publisher
    return (markup.plain(publisher),) if publisher else ()
