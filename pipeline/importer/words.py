"""The words that name a leaflet's parts, per language: the one place an importer looks them up.

Headings are compared after `normalised()` (case, punctuation and spacing folded), whole
heading against whole phrase, so "Questions to ask your doctor" is a section, not the FAQ.
A language missing here is read with every language's words at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields

from babel import Locale

from pipeline.locale import catalogue_for


@dataclass(frozen=True)
class Words:
    """What a language calls each part, and the lines of web-page chrome it drops."""

    introduction: frozenset[str] = frozenset()
    summary: frozenset[str] = frozenset()
    key_points: frozenset[str] = frozenset()
    faq: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    disclaimer: frozenset[str] = frozenset()
    chrome_headings: frozenset[str] = frozenset()
    """Headings of page furniture: the heading and what follows it up to the next heading go."""
    chrome_lines: tuple[str, ...] = ()
    """Regular expressions a whole paragraph matches when it is page furniture."""
    disclaimer_phrases: tuple[str, ...] = ()
    """Regular expressions of a sentence saying the text does not replace professional advice."""
    published: tuple[str, ...] = ()
    review_due: tuple[str, ...] = ()
    months: dict[str, int] = field(default_factory=dict)
    question_labels: tuple[str, ...] = ()
    answer_labels: tuple[str, ...] = ()
    table_label: str = ""
    dates_lines: tuple[str, ...] = ()
    """Regular expressions of a whole dates line as the pipeline's own editions write it, with
    the groups `published` and `review_due` (and the reading time after them, `rest`)."""
    long_dates: tuple[str, ...] = ()
    """Regular expressions of a date in a language's CLDR long form, groups day, month, year."""

    def chrome_line(self) -> re.Pattern[str]:
        """Matches the whole of a `normalised()` line of page furniture."""
        return re.compile("|".join(f"(?:{pattern})" for pattern in self.chrome_lines), re.IGNORECASE)

    def __or__(self, other: Words) -> Words:
        def merged(name: str) -> object:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, dict):
                return {**theirs, **mine}
            if isinstance(mine, str):
                return mine or theirs
            return mine | theirs if isinstance(mine, frozenset) else mine + tuple(item for item in theirs if item not in mine)

        return Words(**{item.name: merged(item.name) for item in fields(self)})


def _set(*phrases: str) -> frozenset[str]:
    return frozenset(normalised(phrase) for phrase in phrases)


def spaced(value: str) -> str:
    """No-break and thin spaces (French puts one before a colon) as plain ones, as a document's often are."""
    return value.replace("\xa0", " ").replace("\u202f", " ")


def normalised(value: str) -> str:
    """Lower case, accents kept, punctuation and spacing folded: 'Key Points:' -> 'key points'."""
    folded = unicodedata.normalize("NFC", value).casefold().replace("’", "'")
    return " ".join(re.sub(r"[^\w']+", " ", folded).split())


_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre")


def _months(names: tuple[str, ...], short: int) -> dict[str, int]:
    found = {name: number for number, name in enumerate(names, start=1)}
    return found | {name[:short]: number for name, number in found.items()} | {"sept": 9, "setiembre": 9} if short else found


ENGLISH = Words(
    introduction=_set("Introduction", "Overview", "About this leaflet", "About this information"),
    summary=_set("Summary", "Quick summary", "In brief", "In short", "Abstract"),
    key_points=_set("Key points", "At a glance", "Key facts", "Main points", "Key messages", "Key takeaways", "Takeaways"),
    faq=_set(
        "Frequently asked questions",
        "FAQ",
        "FAQs",
        "Questions",
        "Questions and answers",
        "Common questions",
        "Your questions answered",
        "Q&A",
        "Q & A",
    ),
    references=_set(
        "References",
        "Sources",
        "Further reading",
        "Bibliography",
        "Sources and further reading",
        "References and further reading",
        "Useful links",
        "Further information",
        "More information",
        "Find out more",
    ),
    disclaimer=_set("Disclaimer", "Medical disclaimer", "Important", "Important information"),
    chrome_headings=_set(
        "In this article",
        "In this page",
        "On this page",
        "Contents",
        "Table of contents",
        "Jump to",
        "Related articles",
        "Related content",
        "Related topics",
        "You may also like",
        "Read more",
        "Share",
        "Share this article",
        "Share this page",
        "Listen to this article",
        "Chapters",
        "Newsletter",
        "Sign up",
        "Subscribe",
    ),
    chrome_lines=(
        r"skip to (?:the )?(?:main )?(?:content|article|navigation|main)",
        r"(?:.* )?\d+ ?min(?:ute)?s? read(?: .*)?",
        r"reading time:? (?:about )?\d+ minutes?",
        r"(?:share|print|email|tweet|pin)(?: (?:this|on \w+|article|page))*",
        r"back to (?:the )?top",
        r"advertisement|sponsored|cookie settings|accept (?:all )?cookies",
        r"(?:copyright )?(?:\d{4} )?.*all rights reserved.*",
        r"in this article",
        r"table of contents|contents",
    ),
    disclaimer_phrases=(
        r"\b(?:does|do|should|must|will|is|are) not (?:\w+ )?(?:replace|substitute)",
        r"\bnot (?:a|intended as a|intended to be a|meant as a) substitute for\b",
        r"\bnot intended to (?:replace|substitute)",
        r"\bfor (?:general )?information(?:al)? purposes only\b",
        r"\bis not medical advice\b",
    ),
    published=(
        r"published(?: on)?",
        r"publication date",
        r"date published",
        r"first published",
        r"last updated",
        r"updated",
        r"last reviewed",
        r"page last reviewed",
        r"date of publication",
    ),
    review_due=(r"review date", r"review due", r"next review(?: due| date)?", r"due for review", r"review by", r"to be reviewed(?: by| in)?"),
    months=_months(_ENGLISH_MONTHS, 3),
    question_labels=(r"q", r"question"),
    answer_labels=(r"a", r"answer"),
    table_label="table",
)

SPANISH = Words(
    introduction=_set("Introducción", "Presentación", "Acerca de este folleto"),
    summary=_set("Resumen", "En resumen", "En breve", "Resumen rápido"),
    key_points=_set("Puntos clave", "Ideas clave", "De un vistazo", "Datos clave", "Lo más importante", "Puntos principales"),
    faq=_set("Preguntas frecuentes", "Preguntas", "Preguntas y respuestas", "Dudas frecuentes", "FAQ"),
    references=_set("Referencias", "Fuentes", "Bibliografía", "Lecturas adicionales", "Más información", "Para saber más", "Enlaces útiles"),
    disclaimer=_set("Aviso", "Aviso médico", "Aviso legal", "Descargo de responsabilidad", "Importante"),
    chrome_headings=_set(
        "En este artículo",
        "En esta página",
        "Contenido",
        "Índice",
        "Artículos relacionados",
        "Te puede interesar",
        "Compartir",
        "Comparte este artículo",
        "Escucha este artículo",
        "Capítulos",
    ),
    chrome_lines=(
        r"(?:saltar|ir) al contenido(?: principal)?",
        r"(?:.* )?\d+ ?min(?:utos?)? de lectura(?: .*)?",
        r"tiempo de lectura:? (?:unos |aproximadamente )?\d+ minutos?",
        r"(?:compartir|imprimir)(?: en \w+)?",
        r"volver arriba|publicidad",
        r"en este artículo|índice|contenido",
    ),
    disclaimer_phrases=(
        r"\bno (?:\w+ )?(?:sustituye|reemplaza|pretende sustituir|debe sustituir|debe reemplazar)",
        r"\bcon fines (?:exclusivamente )?informativos\b",
        r"\bno (?:es|constituye) (?:un )?consejo médico\b",
    ),
    published=(r"publicado(?: el)?", r"fecha de publicación", r"última actualización", r"actualizado(?: el)?", r"última revisión"),
    review_due=(r"fecha de revisión", r"próxima revisión", r"revisión prevista", r"revisar en", r"revisar antes de"),
    months=_months(_SPANISH_MONTHS, 3),
    question_labels=(r"p", r"pregunta"),
    answer_labels=(r"r", r"respuesta"),
    table_label="tabla",
)

LANGUAGES: dict[str, Words] = {"en": ENGLISH, "es": SPANISH}
"""Keyed by the primary language subtag of the document's `lang`."""


def for_language(lang: str | None) -> Words:
    """The words of `lang` (its primary subtag, and the labels its catalogue gives the
    pipeline's own editions) and English's (a page made by a tool often labels its parts in
    English), or every language's words when it has none here."""
    primary = (lang or "").lower().split("-")[0]
    if lang and not catalogue_for(lang).fallback:
        return LANGUAGES.get(primary, Words()) | catalogue_words(lang) | ENGLISH
    if primary in LANGUAGES:
        return LANGUAGES[primary] | ENGLISH
    every = Words()
    for words in LANGUAGES.values():
        every = every | words
    return every


def heading_languages(headings: list[str]) -> list[str]:
    """The languages whose part names appear among `headings`, most matches first."""
    counts = {}
    for lang, words in LANGUAGES.items():
        names = words.summary | words.key_points | words.faq | words.references | words.disclaimer | words.introduction
        found = sum(normalised(heading) in names for heading in headings)
        if found:
            counts[lang] = found
    return sorted(counts, key=lambda lang: -counts[lang])


_SLOT, _SLOT2 = "\ue000", "\ue001"
"""Stand-ins for a message's placeholders while its words are cut apart (private-use characters)."""


def catalogue_words(lang: str) -> Words:
    """What the pipeline's own editions call each part in `lang` (from its catalogue), so that
    a leaflet the pipeline made in any of its languages imports back to its source."""
    words = catalogue_for(lang)
    dates = spaced(words.gettext("Published {published}. Review due {review}.", published=_SLOT, review=_SLOT2))
    published, _, rest = dates.partition(_SLOT)
    review = rest.partition(_SLOT2)[0].lstrip(" .。").strip(" :：")
    long_date = _long_date(words.locale)
    any_date = re.sub(r"\(\?P<\w+>", "(?:", long_date)
    minutes = tuple(words.ngettext("Reading time: about {minutes} minute.", "Reading time: about {minutes} minutes.", count, minutes=_SLOT) for count in (1, 2, 5, 11, 100))
    return Words(
        summary=_set(words.gettext("Summary")),
        key_points=_set(words.gettext("Key points")),
        faq=_set(words.gettext("Questions and answers")),
        references=_set(words.gettext("References")),
        disclaimer=_set(words.gettext("Medical disclaimer")),
        chrome_headings=_set(words.gettext("Listen to this article"), words.gettext("Chapters"), words.gettext("Contents")),
        chrome_lines=(re.escape(normalised(words.gettext("Skip to the article"))), *{_pattern(form) for form in minutes}),
        published=tuple(filter(None, [re.escape(published.strip(" :："))])),
        review_due=tuple(filter(None, [re.escape(review)])),
        months=_cldr_months(words.locale),
        dates_lines=(
            re.escape(published) + f"(?P<published>{any_date})" + re.escape(rest.partition(_SLOT2)[0]) + f"(?P<review_due>{any_date})" + re.escape(rest.partition(_SLOT2)[2]) + r"(?:\s*(?P<rest>.*))?",
        ),
        long_dates=(long_date,),
    )


def _pattern(message: str) -> str:
    """A `normalised()` line of `message`, its one placeholder standing for a number."""
    return r" ?\d+ ?".join(re.escape(normalised(part)) for part in message.split(_SLOT))


def _cldr_months(locale: Locale) -> dict[str, int]:
    """Month names -> numbers, as dates are written (genitive 'maja') and alone ('maj'), short and long."""
    tables = [locale.months[context][width] for width in ("abbreviated", "wide") for context in ("stand-alone", "format")]
    return {normalised(name): number for table in tables for number, name in table.items()}


def _long_date(locale: Locale) -> str:
    """The locale's CLDR long date pattern ('d. MMMM y', 'y年M月d日') as a regular expression."""
    months = sorted({name for table in (locale.months["format"]["wide"], locale.months["stand-alone"]["wide"]) for name in table.values()}, key=len, reverse=True)
    fields = {"d": r"(?P<day>\d{1,2})", "M": r"(?P<month>\d{1,2})", "MMMM": f"(?P<month>{'|'.join(map(re.escape, months))})", "y": r"(?P<year>\d{4})"}
    pattern = ""
    for token in re.finditer(r"'[^']*'|([a-zA-Z])\1*|.", locale.date_formats["long"].pattern):
        text = token.group(0)
        if text.startswith("'"):
            pattern += re.escape(text.strip("'"))
        elif token.group(1):
            pattern += fields.get(text if text in fields else text[0] if text[0] in "dy" else text, re.escape(text))
        else:
            pattern += r"\s*" if text.isspace() else re.escape(text)
    return pattern
