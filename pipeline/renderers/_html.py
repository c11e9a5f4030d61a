"""One semantic HTML builder for every HTML-based format (PDF leaflet, EPUB pages, web page).

Every piece of source text passes through `inline()`, which escapes it before adding the
only markup we allow, so raw HTML in a source is always shown as text and never becomes
live. Output is XHTML-compatible (closed tags, quoted attributes, escaped text), so the EPUB
can use the same fragments. Each format adds its own document shell and stylesheet.

Asked to mark ids (`marked`, see `pipeline.text.anchors`), the builder also puts the narration's
ids on the text each spoken sentence reads, for a read-along e-book; otherwise (the default)
it adds nothing.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from html import escape

from pipeline.locale import Words
from pipeline.model import Article, BulletList, Section, TableBlock, markup, walk
from pipeline.text import anchors, language, sentences, wording

NOTHING_MARKED: frozenset[str] = frozenset()


def inline(value: str) -> str:
    """Source text as escaped HTML with **strong**, *emphasis* and validated links."""
    return "".join(map(_span, markup.spans(value)))


def _span(span: markup.Span) -> str:
    content = escape(span.text, quote=False)
    if span.style == "strong":
        return f"<strong>{content}</strong>"
    if span.style == "emphasis":
        return f"<em>{content}</em>"
    if span.style == "link" and span.url:
        return f'<a href="{escape(span.url)}">{content}</a>'
    return content


def said(value: str, anchor: str, marked: Container[str]) -> str:
    """`inline(value)`, in a span with the id `anchor` when that id is marked (read as one)."""
    html = inline(value)
    return f'<span id="{anchor}">{html}</span>' if anchor in marked else html


def said_sentences(value: str, base: str, marked: Container[str]) -> str:
    """`inline(value)`, each sentence whose id (`anchors.sentence(base, n)`) is marked in a span
    with that id; a bold run or a link that crosses two sentences is split between them, and
    the space between two sentences is left plain (never an empty link)."""
    pieces = []
    for index, piece in sentences.sentence_pieces(value):
        anchor = anchors.sentence(base, index) if index is not None else None
        pieces.append((anchor if anchor in marked else None, piece if index is not None else markup.Span(piece.text)))
    if not any(anchor for anchor, _piece in pieces):
        return inline(value)
    parts: list[str] = []
    current = None
    for anchor, piece in pieces:
        if anchor != current:
            parts.append("</span>" if current else "")
            parts.append(f'<span id="{anchor}">' if anchor else "")
            current = anchor
        parts.append(_span(piece))
    parts.append("</span>" if current else "")
    return "".join(parts)


def _id(anchor: str, marked: Container[str]) -> str:
    return f' id="{anchor}"' if anchor in marked else ""


def attribute(value: str) -> str:
    """Plain text (markup removed) for an attribute value, escaped."""
    return escape(sentences.fold_space(markup.plain(value)))


def section_id(number: str, section: Section) -> str:
    return f"s{number.replace('.', '-')}-{anchors.slug(section.heading)}"


def words_attributes(article: Article) -> str:
    """The attributes of an element holding the pipeline's words when they are not in the
    article's language (the English of a language without a catalogue): their `lang`, and
    their direction where it differs from the page's (English words on a Persian page)."""
    words = wording.words_for(article)
    if not words.fallback:
        return ""
    direction = language.direction(words.lang)
    turned = f' dir="{direction}"' if direction != language.direction(article.lang) else ""
    return f' lang="{words.lang}" xml:lang="{words.lang}"{turned}'


def dates_line(article: Article) -> str:
    words = wording.words_for(article)
    published, review = (f'<time datetime="{day.isoformat()}">{escape(words.date(day), quote=False)}</time>' for day in (article.published, article.review_due))
    return words.markup("Published {published}. Review due {review}.", published=published, review=review)


def _labels(article: Article) -> wording.Labels:
    return wording.labels(wording.words_for(article))


def title_block(article: Article, heading_level: int = 1, marked: Container[str] = NOTHING_MARKED) -> str:
    level = heading_level
    title = said(article.title, anchors.TITLE, marked)
    subtitle = f'\n  <p class="subtitle">{said(article.subtitle, anchors.SUBTITLE, marked)}</p>' if article.subtitle else ""
    reading_time = said_sentences(wording.reading_time(article), anchors.READING_TIME, marked)
    return (
        f'<header class="title-block">\n  <h{level}>{title}</h{level}>{subtitle}\n'
        f'  <p class="dates"{words_attributes(article)}>{dates_line(article)} {reading_time}</p>\n</header>'
    )


def introduction(article: Article, marked: Container[str] = NOTHING_MARKED) -> str:
    intro = f'<p class="introduction">{said_sentences(article.introduction, anchors.INTRODUCTION, marked)}</p>\n' if article.introduction else ""
    return (
        f'{intro}<section class="summary" aria-labelledby="summary-title">\n'
        f'  <h2 id="summary-title"{words_attributes(article)}>{said(_labels(article).summary, anchors.SUMMARY_LABEL, marked)}</h2>\n'
        f"  <p>{said_sentences(article.summary, anchors.SUMMARY, marked)}</p>\n</section>"
    )


def key_points(article: Article, heading_level: int = 2, marked: Container[str] = NOTHING_MARKED) -> str:
    words = wording.words_for(article)
    items = "\n".join(
        "    <li>"
        + labelled(
            said_sentences(point.title, anchors.entry(anchors.KEY_POINT, index, "title"), marked),
            said_sentences(point.text, anchors.entry(anchors.KEY_POINT, index, "text"), marked),
            words,
        )
        + "</li>"
        for index, point in enumerate(article.key_points)
    )
    level = heading_level
    return (
        f'<section class="key-points" id="key-points" aria-labelledby="key-points-title">\n'
        f'  <h{level} id="key-points-title"{words_attributes(article)}>{said(_labels(article).key_points, anchors.KEY_POINTS_LABEL, marked)}</h{level}>\n'
        f"  <ul>\n{items}\n  </ul>\n</section>"
    )


def labelled(label: str, value: str, words: Words) -> str:
    """A label in bold with its punctuation, then what it says (both HTML already):
    '<strong>Stretch:</strong> Stretch your calves.', '<strong>Étirez-vous :</strong> ...'."""
    pattern = words.markup("{label}: {text}", label="{label}", text="{text}")
    head, _, tail = pattern.partition("{text}")
    lead = head.rstrip()
    if "{label}" not in lead:  # a language that puts the text first: the label alone in bold
        return pattern.replace("{label}", f"<strong>{label}</strong>").replace("{text}", value)
    return f"<strong>{lead.replace('{label}', label)}</strong>{head[len(lead):]}{value}{tail}"


def section(numbered: walk.NumberedSection, level: int, marked: Container[str] = NOTHING_MARKED) -> str:
    """A section and its subsections; `level` is the heading level of this section (2..6)."""
    number, article_section = numbered.number, numbered.section
    anchor = section_id(number, article_section)
    heading_level = min(level, 6)
    parts = [
        f'<section id="{anchor}" aria-labelledby="{anchor}-h">',
        f'<h{heading_level} id="{anchor}-h">{said(article_section.heading, anchors.heading(number), marked)}</h{heading_level}>',
        *(block(item, anchors.block(number, index), marked) for index, item in enumerate(article_section.body)),
        *(section(child, level + 1, marked) for child in numbered.children()),
        "</section>",
    ]
    return "\n".join(parts)


def sections(article: Article, level: int = 2, marked: Container[str] = NOTHING_MARKED) -> Iterator[tuple[str, Section, str]]:
    """Each top-level section as (number, section, html)."""
    for numbered in walk.top_sections(article):
        yield numbered.number, numbered.section, section(numbered, level, marked)


def block(item: object, block_id: str = "", marked: Container[str] = NOTHING_MARKED) -> str:
    """A paragraph, list or table; `block_id` (`anchors.block`) names its parts for `marked`."""
    if isinstance(item, BulletList):
        entries = (f"  <li>{said_sentences(entry, anchors.part(block_id, 'item', index), marked)}</li>" for index, entry in enumerate(item.items))
        return "<ul>\n" + "\n".join(entries) + "\n</ul>"
    if isinstance(item, TableBlock):
        return table(item, block_id, marked)
    assert isinstance(item, str)
    return f"<p>{said_sentences(item, block_id, marked)}</p>"


def table(item: TableBlock, block_id: str = "", marked: Container[str] = NOTHING_MARKED) -> str:
    data = item.table
    head = "".join(f'<th scope="col">{inline(column)}</th>' for column in data.columns)
    rows = "\n".join(
        f"    <tr{_id(anchors.part(block_id, 'row', index), marked)}>"
        + f'<th scope="row">{inline(row[0])}</th>'
        + "".join(f"<td>{inline(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for index, row in enumerate(data.rows)
    )
    caption = said_sentences(data.caption, anchors.part(block_id, "caption"), marked)
    return (
        f"<table>\n  <caption>{caption}</caption>\n  <thead>\n    <tr{_id(anchors.part(block_id, 'columns'), marked)}>{head}</tr>\n  </thead>\n"
        f"  <tbody>\n{rows}\n  </tbody>\n</table>"
    )


def faq(article: Article, heading_level: int = 2, marked: Container[str] = NOTHING_MARKED) -> str:
    if not article.faq:
        return ""
    entries = "\n".join(
        f'  <div class="qa">\n    <dt>{said_sentences(entry.question, anchors.entry(anchors.FAQ, index, "question"), marked)}</dt>\n'
        f"    <dd>{said_sentences(entry.answer, anchors.entry(anchors.FAQ, index, 'answer'), marked)}</dd>\n  </div>"
        for index, entry in enumerate(article.faq)
    )
    level = heading_level
    return (
        f'<section class="faq" id="faq" aria-labelledby="faq-title">\n'
        f'  <h{level} id="faq-title"{words_attributes(article)}>{said(_labels(article).faq, anchors.FAQ_LABEL, marked)}</h{level}>\n'
        f"<dl>\n{entries}\n</dl>\n</section>"
    )


def references(article: Article, heading_level: int = 2, marked: Container[str] = NOTHING_MARKED) -> str:
    if not article.references:
        return ""
    items = []
    for index, reference in enumerate(article.references):
        title = said_sentences(reference.title, anchors.entry(anchors.REFERENCE, index, "title"), marked)
        publisher = f" {said_sentences(reference.publisher, anchors.entry(anchors.REFERENCE, index, 'publisher'), marked)}." if reference.publisher else ""
        url = escape(reference.url)
        items.append(f'    <li><cite>{title}</cite>.{publisher} <a href="{url}">{escape(reference.url, quote=False)}</a></li>')
    level = heading_level
    return (
        f'<section class="references" id="references" aria-labelledby="references-title">\n'
        f'  <h{level} id="references-title"{words_attributes(article)}>{said(_labels(article).references, anchors.REFERENCES_LABEL, marked)}</h{level}>\n'
        "  <ol>\n" + "\n".join(items) + "\n  </ol>\n</section>"
    )


def disclaimer(article: Article, heading_level: int = 2, marked: Container[str] = NOTHING_MARKED) -> str:
    level = heading_level
    return (
        f'<aside class="disclaimer" id="disclaimer" aria-labelledby="disclaimer-title">\n'
        f'  <h{level} id="disclaimer-title"{words_attributes(article)}>{said(_labels(article).disclaimer, anchors.DISCLAIMER_LABEL, marked)}</h{level}>\n'
        f"  <p>{said_sentences(article.disclaimer, anchors.DISCLAIMER, marked)}</p>\n</aside>"
    )


def body(
    article: Article, after_title: str = "", before_title: str = "", before_disclaimer: str = "", after_all: str = "", marked: Container[str] = NOTHING_MARKED
) -> str:
    """The whole article as one sequence of semantic blocks, in source order, with a format's
    own blocks around it: `after_title` (a QR code, an audio player), `before_title` (the
    publisher's masthead), `before_disclaimer` (the contact block), `after_all`; `marked` ids
    on the text the narration reads."""
    return "\n".join(
        part
        for part in (
            before_title,
            title_block(article, marked=marked),
            after_title,
            introduction(article, marked),
            key_points(article, marked=marked),
            *(html for _number, _section, html in sections(article, marked=marked)),
            faq(article, marked=marked),
            references(article, marked=marked),
            before_disclaimer,
            disclaimer(article, marked=marked),
            after_all,
        )
        if part
    )


def document(
    article: Article,
    stylesheet_href: str | None,
    body_html: str,
    title: str | None = None,
    title_lang: str = "",
    namespaces: Mapping[str, str] | None = None,
    head: str = "",
) -> str:
    """A complete, XHTML-compatible HTML5 document.

    `title_lang` holds the title's own language attributes when they differ from the page's
    (as `words_attributes` gives them); `namespaces` declares extra XML prefixes (e.g. the EPUB navigation's `epub:`); `head` is
    more markup for the head (another stylesheet, a viewport); right-to-left languages get
    `dir="rtl"` so the whole page mirrors.
    """
    lang = escape(article.lang)
    link = f'\n<link rel="stylesheet" href="{escape(stylesheet_href)}"/>' if stylesheet_href else ""
    extra = "".join(f' xmlns:{prefix}="{escape(uri)}"' for prefix, uri in sorted((namespaces or {}).items()))
    direction = ' dir="rtl"' if language.direction(article.lang) == "rtl" else ""
    return (
        f'<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"{extra} lang="{lang}" xml:lang="{lang}"{direction}>\n<head>\n'
        f'<meta charset="utf-8"/>\n<title{title_lang}>{attribute(title or article.title)}</title>{link}{head}\n</head>\n'
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )
