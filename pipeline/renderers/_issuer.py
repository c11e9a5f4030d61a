"""The publisher in HTML, for every HTML-based edition (PDF leaflets, e-books, web page): the
masthead (logo and name), the contact block with the notice of other formats, and the
document-control line (reference, version, dates). Words come from `pipeline.text.issuing`.

The logo is embedded as a `data:` URI of the bytes read (and, for SVG, made inert) from the
project: no edition refers to a file or an address, and the PDF typesetter serves exactly that
URI through its refusing URL fetcher (`_weasyprint.AssetFetcher`), nothing else.
"""

from __future__ import annotations

import base64
from collections.abc import Container
from html import escape
from urllib.parse import quote

from pipeline.model import Article, Logo
from pipeline.renderers import _html
from pipeline.text import anchors, issuing, wording


def logo_uri(logo: Logo) -> str:
    return f"data:{logo.media_type};base64,{base64.b64encode(logo.data).decode('ascii')}"


def embedded(article: Article) -> tuple[str, ...]:
    """The data: URIs the article's HTML holds (the logo's), for a typesetter to allow."""
    logo = article.issuer.logo if article.issuer else None
    return (logo_uri(logo),) if logo else ()


def masthead(article: Article) -> str:
    """The logo (with its alt text) and the publisher's name, for the top of an edition; "" without one."""
    issuer = article.issuer
    if issuer is None:
        return ""
    logo = f'<img class="logo" src="{logo_uri(issuer.logo)}" alt="{_html.attribute(issuer.logo.alt)}"/>\n  ' if issuer.logo else ""
    return f'<div class="publisher">\n  {logo}<p class="publisher-name">{_html.inline(issuer.name)}</p>\n</div>'


def contact(
    article: Article, formats: tuple[str, ...], heading_level: int = 2, control: bool = True, marked: Container[str] = _html.NOTHING_MARKED
) -> str:
    """The contact block: heading, name, contact details, the notice of other formats, and
    (with `control`) the document-control line; "" for an article without a publisher.
    `marked`: as `_html`'s, for the heading the narration reads."""
    issuer = article.issuer
    if issuer is None:
        return ""
    words = wording.words_for(article)
    lines = "".join(f"\n    <p>{_html.labelled(escape(line.label, quote=False), _value(line), words)}</p>" for line in issuing.contact_lines(issuer, words))
    level = heading_level
    ours = _html.words_attributes(article)
    return (
        f'<section class="contact" id="contact" aria-labelledby="contact-title">\n'
        f'  <h{level} id="contact-title"{ours}>{_html.said(issuing.contact_heading(words), anchors.CONTACT_LABEL, marked)}</h{level}>\n'
        f'  <address>\n    <p class="publisher-name">{_html.inline(issuer.name)}</p>{lines}\n  </address>\n'
        f'  <p class="notice"{ours}>{escape(issuing.notice(article, formats, words), quote=False)}</p>\n'
        f"{document_control(article) if control else ''}</section>"
    )


def document_control(article: Article) -> str:
    """'Leaflet reference: PIL-0423. Version: 3. Published ... Review due ...', or "" without a
    reference and a version."""
    words = wording.words_for(article)
    control = issuing.document_control(article, words)
    if not control:
        return ""
    text = " ".join(escape(sentence, quote=False) for sentence in control)
    return f'<p class="document-control"{_html.words_attributes(article)}>{text} {_html.dates_line(article)}</p>\n'


def _value(line: issuing.ContactLine) -> str:
    """The detail as written; an email address or a website is also a link."""
    value = escape(line.shown, quote=False)
    href = {"email": mailto(line.value), "website": line.value}.get(line.kind)
    return f'<a href="{escape(href)}">{value}</a>' if href else value


def mailto(address: str) -> str:
    """The `mailto:` link of an address, every character but the @ percent-encoded: the link
    is the address and nothing else, whatever it holds (no ?bcc=, no &body=)."""
    return "mailto:" + quote(address, safe="@")
