"""Who issued the leaflet, in the words every edition shows: the contact details with their
labels, the notice that the leaflet exists in other formats and how to ask for them, and the
document-control line (reference, version, dates). Each edition only lays them out.

The formats are what the installed renderers offer (`Renderer.offered_as`, passed to each job
as `RenderJob.formats`), named in the catalogue's words in the order of `FORMATS`; a name the
catalogue does not know is left out rather than printed in English. "Other languages" always
ends the list: a clinic can arrange an interpreter or a translation on request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel.lists import format_list

from pipeline.locale import Words
from pipeline.model import Article, Issuer, markup
from pipeline.text import language, sentences

FORMATS = ("large print", "braille", "audio", "e-book", "plain text")
"""The formats a notice can name (`Renderer.offered_as`), in the order it names them."""


LEFT_TO_RIGHT = ("phone", "email", "website", "url")
"""Details always written left to right, whatever the language."""


@dataclass(frozen=True)
class ContactLine:
    kind: str
    """phone, email, website or address."""
    label: str
    value: str
    """As written in the profile (plain text): what the voice reads and a link points to."""
    shown: str
    """As an edition shows it: in a right-to-left article, isolated (see `isolated`)."""


def isolated(value: str, kind: str, lang: str) -> str:
    """`value` as a unit of its own direction in a right-to-left article: otherwise the bidi
    algorithm lays '020 7946 0321' out as '0321 7946 020' among Arabic words, and moves an
    address's leading number or a URL's slash to the wrong end. Unicode isolates (LRI, or FSI
    for a name or an address, then PDI) are read by browsers, Pango and text viewers alike;
    left-to-right articles are left as they are."""
    if language.direction(lang) != "rtl":
        return value
    return ("\u2066" if kind in LEFT_TO_RIGHT else "\u2068") + value + "\u2069"


def name(issuer: Issuer) -> str:
    return sentences.fold_space(markup.plain(issuer.name))


def contact_lines(issuer: Issuer, words: Words) -> list[ContactLine]:
    """The profile's contact details, each with its label in the article's language."""
    labels = {"phone": words.gettext("Phone"), "email": words.gettext("Email"), "website": words.gettext("Website"), "address": words.gettext("Address")}
    found = {"phone": issuer.phone, "email": issuer.email, "website": issuer.website, "address": issuer.address}
    lines = [(kind, sentences.fold_space(markup.plain(value))) for kind, value in found.items() if value]
    return [ContactLine(kind, labels[kind], value, isolated(value, kind, words.requested)) for kind, value in lines]


def contact_heading(words: Words) -> str:
    return words.gettext("Contact us")


def formats_offered(formats: Iterable[str], words: Words) -> list[str]:
    """The formats named, in the catalogue's words and in the order of FORMATS, then other languages."""
    offered = set(formats)
    names = {
        "large print": words.pgettext("other formats", "large print"),
        "braille": words.pgettext("other formats", "braille"),
        "audio": words.pgettext("other formats", "audio"),
        "e-book": words.pgettext("other formats", "e-book"),
        "plain text": words.pgettext("other formats", "plain text"),
    }
    return [names[item] for item in FORMATS if item in offered] + [words.pgettext("other formats", "other languages")]


def ways_to_ask(article: Article, words: Words) -> list[str]:
    """How to ask for another format: call, email, and the web edition (else the clinic's website)."""
    issuer = article.issuer
    assert issuer is not None
    lang = article.lang
    ways = []
    if issuer.phone:
        unbroken = markup.plain(issuer.phone).replace(" ", "\u00a0")  # a number is never split across two lines
        ways.append(words.gettext("call {phone}", phone=isolated(unbroken, "phone", lang)))
    if issuer.email:
        ways.append(words.gettext("email {email}", email=isolated(markup.plain(issuer.email), "email", lang)))
    if article.web_url or issuer.website:
        ways.append(words.gettext("visit {url}", url=isolated(article.web_url or issuer.website or "", "url", lang)))
    return ways or [words.gettext("ask {name}", name=isolated(name(issuer), "name", lang))]


def notice(article: Article, formats: Iterable[str], words: Words) -> str:
    """'This leaflet is available in large print, audio and other languages: call ... or email ...'"""
    return words.gettext(
        "This leaflet is available in {formats}: {ways}.",
        formats=format_list(formats_offered(formats, words), locale=words.locale),
        ways=format_list(ways_to_ask(article, words), style="or", locale=words.locale),
    )


def issued_by(issuer: Issuer, words: Words) -> str:
    """What the recording says near its start: 'This information is from Riverside Health Centre.'"""
    return words.gettext("This information is from {name}.", name=name(issuer))


def document_control(article: Article, words: Words) -> list[str]:
    """The leaflet's reference and version, each a sentence ('Leaflet reference: PIL-0423.'), as
    the clinic's document control writes them; none when the source gives neither."""
    found = ((words.gettext("Leaflet reference"), article.reference), (words.gettext("Version"), article.version))
    return [
        sentences.end_sentence(words.gettext("{label}: {text}", label=label, text=isolated(sentences.fold_space(markup.plain(value)), "reference", article.lang)))
        for label, value in found
        if value
    ]
