"""The e-book's XHTML documents: one per part of the article, and the navigation document.

The content comes from the shared HTML builder (`_html`); this module only decides how the
article splits into documents and derives the table of contents from the headings those
documents really hold, so the contents and the text can never disagree. Parsing each
fragment as XML to find its headings also proves, at build time, that it is well-formed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Container
from dataclasses import dataclass, field
from html import escape

from pipeline.model import Article
from pipeline.renderers import _html, _issuer
from pipeline.text import sentences, wording

STYLESHEET = "epub.css"
NAV = "nav.xhtml"
EPUB_NAMESPACE = "http://www.idpf.org/2007/ops"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_HEADING_LEVELS = {f"{{{XHTML_NAMESPACE}}}h{level}": level for level in range(1, 7)}


@dataclass
class Entry:
    """A table-of-contents entry: a heading's text, where it is, and the headings under it."""

    label: str
    href: str
    children: list[Entry] = field(default_factory=list)
    lang: str | None = None
    """The heading's own language, when it differs from the book's (English fallback words)."""


@dataclass(frozen=True)
class Page:
    """One XHTML content document; `landmark` is its EPUB landmark type, if it is one;
    `overlay` the manifest id of the media overlay (SMIL) that reads it aloud, if any."""

    file_name: str
    xhtml: str
    outline: tuple[Entry, ...]
    landmark: str | None = None
    overlay: str | None = None

    @property
    def title(self) -> str:
        return self.outline[0].label


def content_pages(article: Article, marked: Container[str] = _html.NOTHING_MARKED, head: str = "", formats: tuple[str, ...] = ()) -> list[Page]:
    """The reading order: title page (the publisher's logo and name, summary, key points), each
    top-level section, FAQ, references, the disclaimer and the publisher's contact details,
    each a document of its own that opens with an h1.

    `marked` ids go on the text the narration reads (see `_html`); `head` is more markup for
    every page's head (another edition's stylesheet); `formats` are the other formats the
    contact page's notice names (`RenderJob.formats`)."""
    front = (
        _issuer.masthead(article),
        _html.title_block(article, 1, marked),
        _html.introduction(article, marked),
        _html.key_points(article, 2, marked),
    )
    parts = [
        ("title.xhtml", "titlepage", "\n".join(filter(None, front))),
        *(
            (f"section-{number}.xhtml", "bodymatter" if number == "1" else None, html)
            for number, _section, html in _html.sections(article, level=1, marked=marked)
        ),
        ("faq.xhtml", None, _html.faq(article, 1, marked)),
        ("references.xhtml", "bibliography", _html.references(article, 1, marked)),
        ("disclaimer.xhtml", None, _html.disclaimer(article, 1, marked)),
        ("contact.xhtml", None, _issuer.contact(article, formats, 1, marked=marked)),
    ]
    return [_page(article, file_name, landmark, html, head) for file_name, landmark, html in parts if html]


def _page(article: Article, file_name: str, landmark: str | None, html: str, head: str) -> Page:
    body = f"<main>\n{html}\n</main>"
    outline = tuple(headings(file_name, body))
    xhtml = _html.document(article, STYLESHEET, body, title=outline[0].label, title_lang=_lang(outline[0]), head=head)
    return Page(file_name, xhtml, outline, landmark)


def headings(file_name: str, fragment: str) -> list[Entry]:
    """The fragment's headings, nested by level; an h1 stands for the whole document."""
    root = ElementTree.fromstring(f'<div xmlns="{XHTML_NAMESPACE}">{fragment}</div>')
    top: list[Entry] = []
    open_entries: list[tuple[int, Entry]] = []
    for element in root.iter():
        level = _HEADING_LEVELS.get(element.tag)
        if level is None:
            continue
        anchor = element.get("id")
        href = f"{file_name}#{anchor}" if anchor and level > 1 else file_name
        entry = Entry(sentences.fold_space("".join(element.itertext())), href, lang=element.get("lang"))
        while open_entries and open_entries[-1][0] >= level:
            open_entries.pop()
        (open_entries[-1][1].children if open_entries else top).append(entry)
        open_entries.append((level, entry))
    return top


def nav_document(article: Article, pages: list[Page]) -> str:
    """The EPUB navigation document: the table of contents and the (hidden) landmarks."""
    words = wording.words_for(article)
    contents, landmarks_title, marked = words.gettext("Contents"), words.markup("Landmarks"), _html.words_attributes(article)
    landmarks = [(page.landmark, page.file_name, page.title, _lang(page.outline[0])) for page in pages if page.landmark]
    landmarks.insert(1, ("toc", f"{NAV}#toc", contents, marked))
    landmark_items = "\n".join(
        f'  <li><a epub:type="{kind}" href="{escape(href)}"{lang}>{escape(label, quote=False)}</a></li>' for kind, href, label, lang in landmarks
    )
    body = (
        f'<main>\n<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">\n'
        f'<h1 id="toc-title"{marked}>{escape(contents, quote=False)}</h1>\n{_toc_list([entry for page in pages for entry in page.outline])}\n</nav>\n'
        f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">\n'
        f'<h2 id="landmarks-title"{marked}>{landmarks_title}</h2>\n<ol>\n{landmark_items}\n</ol>\n</nav>\n</main>'
    )
    return _html.document(article, STYLESHEET, body, title=contents, title_lang=marked, namespaces={"epub": EPUB_NAMESPACE})


def _lang(entry: Entry) -> str:
    return f' lang="{escape(entry.lang)}" xml:lang="{escape(entry.lang)}"' if entry.lang else ""


def _toc_list(entries: list[Entry]) -> str:
    items = "".join(
        f'<li><a href="{escape(entry.href)}"{_lang(entry)}>{escape(entry.label, quote=False)}</a>{_toc_list(entry.children) if entry.children else ""}</li>\n'
        for entry in entries
    )
    return f"<ol>\n{items}</ol>"
