"""One semantic HTML builder for every HTML-based format (PDF leaflet, EPUB pages, web page).

Every piece of source text passes through `inline()`, which escapes it before adding the
only markup we allow, so raw HTML in a source is always shown as text and never becomes
live. Output is XHTML-compatible (closed tags, quoted attributes, escaped text), so the EPUB
can use the same fragments. Each format adds its own document shell and stylesheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html import escape

from pipeline import text
from pipeline.model import Article, BulletList, Section, TableBlock


def inline(value: str) -> str:
    """Source text as escaped HTML with **strong**, *emphasis* and validated links."""
    parts = []
    for span in text.spans(value):
        content = escape(span.text, quote=False)
        if span.style == "strong":
            parts.append(f"<strong>{content}</strong>")
        elif span.style == "emphasis":
            parts.append(f"<em>{content}</em>")
        elif span.style == "link" and span.url:
            parts.append(f'<a href="{escape(span.url)}">{content}</a>')
        else:
            parts.append(content)
    return "".join(parts)


def attribute(value: str) -> str:
    """Plain text (markup removed) for an attribute value, escaped."""
    return escape(text.fold_space(text.plain(value)))


def section_id(number: str, section: Section) -> str:
    return f"s{number.replace('.', '-')}-{text.slug(section.heading)}"


def dates_line(article: Article) -> str:
    published = text.long_date(article.published, article.lang)
    review = text.long_date(article.review_due, article.lang)
    return (
        f'Published <time datetime="{article.published.isoformat()}">{published}</time>. '
        f'Review due <time datetime="{article.review_due.isoformat()}">{review}</time>.'
    )


def title_block(article: Article, heading_level: int = 1) -> str:
    level = heading_level
    subtitle = f'\n  <p class="subtitle">{inline(article.subtitle)}</p>' if article.subtitle else ""
    return (
        f'<header class="title-block">\n  <h{level}>{inline(article.title)}</h{level}>{subtitle}\n'
        f'  <p class="dates">{dates_line(article)} {text.reading_time(article)}</p>\n</header>'
    )


def introduction(article: Article) -> str:
    intro = f'<p class="introduction">{inline(article.introduction)}</p>\n' if article.introduction else ""
    return f'{intro}<section class="summary" aria-labelledby="summary-title">\n  <h2 id="summary-title">Summary</h2>\n  <p>{inline(article.summary)}</p>\n</section>'


def key_points(article: Article, heading_level: int = 2) -> str:
    items = "\n".join(
        f"    <li><strong>{inline(point.title)}:</strong> {inline(point.text)}</li>" for point in article.key_points
    )
    level = heading_level
    return (
        f'<section class="key-points" id="key-points" aria-labelledby="key-points-title">\n'
        f'  <h{level} id="key-points-title">Key points</h{level}>\n  <ul>\n{items}\n  </ul>\n</section>'
    )


def section(article_section: Section, number: str, level: int) -> str:
    """A section and its subsections; `level` is the heading level of this section (2..6)."""
    anchor = section_id(number, article_section)
    heading_level = min(level, 6)
    parts = [
        f'<section id="{anchor}" aria-labelledby="{anchor}-h">',
        f'<h{heading_level} id="{anchor}-h">{inline(article_section.heading)}</h{heading_level}>',
        *(block(item) for item in article_section.body),
        *(section(child, f"{number}.{index}", level + 1) for index, child in enumerate(article_section.sections, start=1)),
        "</section>",
    ]
    return "\n".join(parts)


def sections(article: Article, level: int = 2) -> Iterator[tuple[str, Section, str]]:
    """Each top-level section as (number, section, html)."""
    for index, item in enumerate(article.sections, start=1):
        yield str(index), item, section(item, str(index), level)


def block(item: object) -> str:
    if isinstance(item, BulletList):
        return "<ul>\n" + "\n".join(f"  <li>{inline(entry)}</li>" for entry in item.items) + "\n</ul>"
    if isinstance(item, TableBlock):
        return table(item)
    assert isinstance(item, str)
    return f"<p>{inline(item)}</p>"


def table(item: TableBlock) -> str:
    data = item.table
    head = "".join(f'<th scope="col">{inline(column)}</th>' for column in data.columns)
    rows = "\n".join(
        "    <tr>" + f'<th scope="row">{inline(row[0])}</th>' + "".join(f"<td>{inline(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in data.rows
    )
    return (
        f"<table>\n  <caption>{inline(data.caption)}</caption>\n  <thead>\n    <tr>{head}</tr>\n  </thead>\n"
        f"  <tbody>\n{rows}\n  </tbody>\n</table>"
    )


def faq(article: Article, heading_level: int = 2) -> str:
    if not article.faq:
        return ""
    entries = "\n".join(
        f'  <div class="qa">\n    <dt>{inline(entry.question)}</dt>\n    <dd>{inline(entry.answer)}</dd>\n  </div>' for entry in article.faq
    )
    level = heading_level
    return (
        f'<section class="faq" id="faq" aria-labelledby="faq-title">\n  <h{level} id="faq-title">Questions and answers</h{level}>\n'
        f"<dl>\n{entries}\n</dl>\n</section>"
    )


def references(article: Article, heading_level: int = 2) -> str:
    if not article.references:
        return ""
    items = []
    for reference in article.references:
        publisher = f" {inline(reference.publisher)}." if reference.publisher else ""
        url = escape(reference.url)
        items.append(f'    <li><cite>{inline(reference.title)}</cite>.{publisher} <a href="{url}">{escape(reference.url, quote=False)}</a></li>')
    level = heading_level
    return (
        f'<section class="references" id="references" aria-labelledby="references-title">\n'
        f'  <h{level} id="references-title">References</h{level}>\n  <ol>\n' + "\n".join(items) + "\n  </ol>\n</section>"
    )


def disclaimer(article: Article, heading_level: int = 2) -> str:
    level = heading_level
    return (
        f'<aside class="disclaimer" id="disclaimer" aria-labelledby="disclaimer-title">\n'
        f'  <h{level} id="disclaimer-title">Medical disclaimer</h{level}>\n  <p>{inline(article.disclaimer)}</p>\n</aside>'
    )


def body(article: Article) -> str:
    """The whole article as one sequence of semantic blocks, in source order."""
    return "\n".join(
        part
        for part in (
            title_block(article),
            introduction(article),
            key_points(article),
            *(html for _number, _section, html in sections(article)),
            faq(article),
            references(article),
            disclaimer(article),
        )
        if part
    )


def document(
    article: Article,
    stylesheet_href: str | None,
    body_html: str,
    title: str | None = None,
    namespaces: Mapping[str, str] | None = None,
) -> str:
    """A complete, XHTML-compatible HTML5 document.

    `namespaces` declares extra XML prefixes (e.g. the EPUB navigation's `epub:`);
    right-to-left languages get `dir="rtl"` so the whole page mirrors.
    """
    lang = escape(article.lang)
    link = f'\n<link rel="stylesheet" href="{escape(stylesheet_href)}"/>' if stylesheet_href else ""
    extra = "".join(f' xmlns:{prefix}="{escape(uri)}"' for prefix, uri in sorted((namespaces or {}).items()))
    direction = ' dir="rtl"' if text.direction(article.lang) == "rtl" else ""
    return (
        f'<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"{extra} lang="{lang}" xml:lang="{lang}"{direction}>\n<head>\n'
        f'<meta charset="utf-8"/>\n<title>{attribute(title or article.title)}</title>{link}\n</head>\n'
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )
