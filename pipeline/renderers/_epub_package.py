"""The EPUB 3 package, made with ebooklib, shared by every e-book edition.

The XHTML comes from `_epub_pages` (built on the shared HTML builder); this module adds the
package: metadata (EPUB Accessibility 1.1 included), manifest, spine, the legacy NCX table of
contents for older readers, and a reproducible archive (`_epub_archive`). An edition (the
text-only one, the read-along one) passes its own pages, extra files and metadata to `to_epub`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline import ASSETS
from pipeline.locale import Words
from pipeline.model import Article, markup
from pipeline.renderers import _epub_archive, _epub_pages
from pipeline.text import language, sentences, wording

STYLESHEET_PATH = ASSETS / _epub_pages.STYLESHEET
XHTML = "application/xhtml+xml"
IDENTIFIER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:x-pipeline:article")
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
WORDED_PROPERTIES = ("schema:accessibilitySummary", "media:narrator")
"""Package metadata in the catalogue's words (the rest are codes)."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")

Meta = tuple[str, str] | tuple[str, str, str]
"""A package `meta` element: (property, value), or (property, value, id of the item it refines)."""


def accessibility(
    summary: str, modes: Sequence[str] = ("textual",), sufficient: Sequence[str] = ("textual",), features: Sequence[str] = FEATURES
) -> tuple[Meta, ...]:
    """The EPUB Accessibility 1.1 claims of an edition."""
    return (
        *(("schema:accessMode", mode) for mode in modes),
        *(("schema:accessModeSufficient", mode) for mode in sufficient),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        ("dcterms:conformsTo", CONFORMANCE),
    )


def navigation_summary(words: Words) -> str:
    """The part of every edition's accessibility summary that says how to find one's way."""
    return words.gettext(
        "It has a table of contents, landmarks and headings for navigation, and a reading order that follows the article. "
        "Tables have captions and header cells. The text reflows at any size and sets no fonts or colours, "
        "so the reader's own settings, themes and dark mode apply."
    )


def text_only(words: Words, logo: bool = False) -> tuple[Meta, ...]:
    """The accessibility claims of the text e-book, its summary in the article's language; with
    the publisher's `logo`, the one image it shows (described by its alt text)."""
    if not logo:
        summary = words.gettext(
            "This publication meets WCAG 2.2 Level AA. It is text only, with no images, audio or video. {navigation}", navigation=navigation_summary(words)
        )
        return accessibility(summary)
    summary = words.gettext(
        "This publication meets WCAG 2.2 Level AA. It is text, with one image, the publisher's logo, which has a text alternative; it has no audio or video. {navigation}",
        navigation=navigation_summary(words),
    )
    return accessibility(summary, modes=("textual", "visual"), features=(*FEATURES, "alternativeText"))


def shows_logo(article: Article) -> bool:
    return bool(article.issuer and article.issuer.logo)


def default_publisher(words: Words) -> str:
    """dc:publisher when the source names none (its `publisher:` key is optional)."""
    return words.gettext("Self-published")


@dataclass(frozen=True)
class Resource:
    """A file the book carries besides its pages (audio, media overlays, a stylesheet)."""

    uid: str
    file_name: str
    media_type: str
    content: bytes


def to_epub(
    article: Article,
    source_date_epoch: int | None = None,
    pages: Sequence[_epub_pages.Page] | None = None,
    resources: Sequence[Resource] = (),
    properties: Sequence[Meta] | None = None,
    formats: tuple[str, ...] = (),
) -> bytes:
    """The whole e-book as bytes; the same article and epoch always give the same bytes.

    By default the text-only edition; another edition gives its own `pages` (with their media
    overlays), the `resources` they use, and the package metadata `properties` it claims;
    `formats` are the other formats the default pages' notice names (`RenderJob.formats`)."""
    from ebooklib import epub

    moment = modified(article, source_date_epoch)
    pages = _epub_pages.content_pages(article, formats=formats) if pages is None else pages
    book = epub.EpubBook()
    describe(book, article, text_only(wording.words_for(article), shows_logo(article)) if properties is None else properties)
    book.set_direction(language.direction(article.lang))
    book.add_item(epub.EpubItem(uid="style", file_name=_epub_pages.STYLESHEET, media_type="text/css", content=STYLESHEET_PATH.read_bytes()))
    nav = epub.EpubItem(uid="nav", file_name=_epub_pages.NAV, media_type=XHTML, content=_epub_pages.nav_document(article, pages).encode())
    nav.properties = ["nav"]  # ebooklib copies an item's `properties` into its manifest entry
    documents = [_document(page) for page in pages]
    # ebooklib would deflate an already compressed file (the narration's 5 MB of MP3) for nothing:
    # it gets an empty stand-in, and the archive is given the content as it is, stored.
    extras = [epub.EpubItem(uid=item.uid, file_name=item.file_name, media_type=item.media_type, content=b"" if _stored(item) else item.content) for item in resources]
    for item in (nav, *documents, *extras, epub.EpubNcx()):
        book.add_item(item)
    book.spine = [documents[0], nav, *documents[1:]]
    book.toc = list(_legacy_toc((entry for page in pages for entry in page.outline), itertools.count(1)))
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"mtime": moment, "raise_exceptions": True})
    stored = {item.file_name: item.content for item in resources if _stored(item)}
    return _epub_archive.repack(buffer.getvalue(), article.lang, moment, stored)


def _stored(resource: Resource) -> bool:
    return resource.media_type.startswith(("audio/", "image/png", "image/jpeg", "font/woff"))


def _document(page: _epub_pages.Page) -> Any:
    from ebooklib import epub

    item = epub.EpubItem(uid=page.file_name.removesuffix(".xhtml"), file_name=page.file_name, media_type=XHTML, content=page.xhtml.encode())
    item.media_overlay = page.overlay  # ebooklib writes it as the manifest entry's media-overlay
    return item


def describe(book: Any, article: Article, properties: Sequence[Meta]) -> None:
    """Title, language, publisher, dates, a stable identifier, the accessibility claims and
    any other package metadata (`properties`); the pipeline's own words, when they are the
    English of a language without a catalogue, say so (xml:lang)."""
    words = wording.words_for(article)
    ours = {XML_LANG: words.lang} if words.fallback else {}
    book.set_identifier(identifier(article.id))
    book.set_title(sentences.fold_space(markup.plain(article.title)))
    book.set_language(article.lang)
    publisher = article.issuer.name if article.issuer else article.publisher
    if publisher:
        book.add_metadata("DC", "publisher", sentences.fold_space(markup.plain(publisher)))
    else:
        book.add_metadata("DC", "publisher", default_publisher(words), ours)
    book.add_metadata("DC", "date", article.published.isoformat())
    book.add_metadata("DC", "description", sentences.fold_space(markup.plain(article.summary)))
    for name, value, *refines in properties:
        worded = ours if name in WORDED_PROPERTIES else {}
        book.add_metadata(None, "meta", value, {"property": name, **({"refines": f"#{refines[0]}"} if refines else {}), **worded})


def identifier(article_id: str) -> str:
    """A UUID derived from the article id: every edition of one article keeps it."""
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, article_id)}"


def modified(article: Article, source_date_epoch: int | None) -> dt.datetime:
    """dcterms:modified: SOURCE_DATE_EPOCH when set, else the article's publication date."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    return dt.datetime.combine(article.published, dt.time(), dt.UTC)


def _legacy_toc(entries: Iterable[_epub_pages.Entry], ids: Iterator[int]) -> Iterator[Any]:
    """The outline as ebooklib's toc, from which it writes the EPUB 2 NCX."""
    from ebooklib import epub

    for entry in entries:
        link = epub.Link(entry.href, entry.label, f"toc-{next(ids)}")
        yield (link, list(_legacy_toc(entry.children, ids))) if entry.children else link
