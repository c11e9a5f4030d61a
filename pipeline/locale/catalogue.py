"""One article language -> the closest catalogue, its words, its dates and its plural forms.

Negotiation is by language and script, as CLDR's likely subtags resolve them: `en-GB` and
`es-MX` take `en` and `es`, `zh-CN` and `zh-Hans` take `zh-Hans` (while `zh-TW`, written in
traditional characters, does not), `pa` and `pa-Guru` take `pa` (Gurmukhi), `pa-Arab` does
not. The region still shapes dates: `en-GB` writes "25 November 2026", `en` "November 25, 2026".

Plural forms follow CLDR: a plural message holds one form per CLDR category the language
uses, in the order zero, one, two, few, many, other (as Babel's `to_gettext` numbers them,
and as each catalogue's Plural-Forms header says).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).resolve().parent
DOMAIN = "pipeline"
FALLBACK = "en"
CATALOGUE_FILES = tuple(sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))
"""Every catalogue: the words of an output depend on them (renderers list them as assets)."""
PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue_path(folder: str) -> Path:
    return LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def available() -> dict[str, str]:
    """The languages with a catalogue: BCP 47 tag ('zh-Hans') -> folder name ('zh_Hans')."""
    return {path.parents[1].name.replace("_", "-"): path.parents[1].name for path in CATALOGUE_FILES}


@dataclass(frozen=True)
class Words:
    """The words of one catalogue, and CLDR's dates, numbers and plurals for the article."""

    lang: str
    """The language of the words given (a catalogue's tag, 'zh-Hans'); 'en' on fallback."""
    requested: str
    """The article's `lang`, as written."""
    fallback: bool
    """True when no catalogue matched `requested`: the words are English."""
    locale: Locale
    messages: Catalog

    def gettext(self, message: str, /, **values: str) -> str:
        """The translation of `message`, its `{name}` placeholders filled from `values`."""
        return fill(self._string(message), values)

    def pgettext(self, context: str, message: str, /, **values: str) -> str:
        """As `gettext`, for a message the catalogue holds under `context` (msgctxt)."""
        return fill(self._string(message, context), values)

    def ngettext(self, singular: str, plural: str, count: int, /, **values: str) -> str:
        """The form of the message that `count` takes in this language (CLDR plural rules)."""
        found = self._message(singular)
        forms = found.string if found is not None and isinstance(found.string, tuple) and all(found.string) else (singular, plural)
        categories = plural_categories(self.lang) if forms != (singular, plural) else plural_categories(FALLBACK)
        category = self.locale.plural_form(count)
        index = categories.index(category) if category in categories else len(categories) - 1
        return fill(forms[min(index, len(forms) - 1)], values)

    def markup(self, message: str, /, **html: str) -> str:
        """`gettext` for HTML: the translation escaped, then placeholders filled with `html`
        (markup the caller has already escaped, such as a <time> element)."""
        return fill(escape(self._string(message), quote=False), html)

    def date(self, value: dt.date) -> str:
        """The date in the language's CLDR long form: '10 de mayo de 2026', '2026年5月10日'."""
        return format_date(value, format="long", locale=self.locale)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def reading_time(self, minutes: int) -> str:
        """The sentence every edition shows for the reading time, in the language's plural form."""
        return self.ngettext(
            "Reading time: about {minutes} minute.", "Reading time: about {minutes} minutes.", minutes, minutes=self.number(minutes)
        )

    def _message(self, message: str, context: str | None = None) -> Message | None:
        found = self.messages.get(message, context)
        return None if found is None or found.fuzzy else found

    def _string(self, message: str, context: str | None = None) -> str:
        found = self._message(message, context)
        return found.string if found is not None and isinstance(found.string, str) and found.string else message


def plural_categories(lang: str) -> list[str]:
    """The CLDR plural categories `lang` uses, in the order its catalogue gives their forms."""
    tags = Locale.parse(lang.replace("-", "_")).plural_form.tags | {"other"}
    return [tag for tag in PLURAL_ORDER if tag in tags]


def fill(template: str, values: dict[str, str]) -> str:
    """`{name}` placeholders replaced by their values; any other brace is left as it is."""

    def value(match: re.Match[str]) -> str:
        if match[1] not in values:
            raise KeyError(f"no value given for placeholder {match[0]} in {template!r}")
        return values[match[1]]

    return _PLACEHOLDER.sub(value, template)


@cache
def catalogue_for(lang: str) -> Words:
    """The words for an article in `lang` (a BCP 47 tag): its closest catalogue, else English."""
    folder = _closest(lang)
    fallback = folder is None
    folder = folder or FALLBACK
    return Words(folder.replace("_", "-"), lang, fallback, _locale(lang, folder), _catalogue(folder))


def language_warning(lang: str) -> str | None:
    """What a build says when `lang` has no catalogue, or one that lacks messages (they stay
    English): None when every word the pipeline adds is in the language."""
    folder = _closest(lang)
    if folder is not None:
        missing = untranslated(folder)
        if not missing:
            return None
        return (
            f"lang '{lang}': pipeline/locale/{folder}/LC_MESSAGES/{DOMAIN}.po lacks {len(missing)} translation(s), "
            f"which will be in English, first {missing[0]!r}: translate them (a PO editor lists them)"
        )
    try:
        name = f" ({Locale.parse(_subtags(lang)[0]).english_name})"
    except (ValueError, UnknownLocaleError):
        name = ""
    folder = lang.replace("-", "_")
    return (
        f"lang '{lang}'{name} has no catalogue of the words the pipeline adds (headings, dates, announcements): "
        f"they will be in English, marked lang=\"en\"; catalogues exist for {', '.join(sorted(available()))}. "
        f"To add one, translate pipeline/locale/en/LC_MESSAGES/{DOMAIN}.po into pipeline/locale/{folder}/LC_MESSAGES/{DOMAIN}.po"
    )


def untranslated(folder: str) -> list[str]:
    """The English messages the catalogue in `folder` does not translate (absent, empty or fuzzy);
    none for English itself, whose message ids are its words."""
    if folder == FALLBACK:
        return []
    catalogue = _catalogue(folder)
    missing = []
    for message in _catalogue(FALLBACK):
        if not message.id:
            continue
        found = catalogue.get(message.id, message.context)
        strings = found.string if found is not None and isinstance(found.string, tuple) else (found.string if found is not None else "",)
        if found is None or found.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


@cache
def _catalogue(folder: str) -> Catalog:
    with catalogue_path(folder).open("rb") as file:
        return read_po(file, locale=folder, domain=DOMAIN, abort_invalid=True)


def _closest(lang: str) -> str | None:
    """The folder of the catalogue in `lang`'s language and script, or None."""
    language, script, region = _subtags(lang)
    wanted = (language, _script(language, script, region))
    for folder in available().values():
        have_language, have_script, have_region = _subtags(folder)
        if (have_language, _script(have_language, have_script, have_region)) == wanted:
            return folder
    return None


def _subtags(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) of a BCP 47 tag; extended languages, variants, extensions
    and private use are left out."""
    language, *rest = tag.replace("_", "-").split("-")
    script = region = None
    for part in rest:
        if len(part) == 1:  # an extension or private use ('-x-...') starts: nothing after it counts
            break
        if len(part) == 4 and part.isalpha() and script is None and region is None:
            script = part.title()
        elif region is None and ((len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit())):
            region = part.upper()
    return language.lower(), script, region


def _script(language: str, script: str | None, region: str | None) -> str | None:
    """The script `language` (in `region`) is written in: as given, else CLDR's likely one."""
    if script:
        return script
    likely = get_global("likely_subtags")
    for key in (f"{language}_{region}" if region else "", language):
        if key in likely:
            found = [part for part in likely[key].split("_")[1:] if len(part) == 4]
            return found[0] if found else None
    return None


def _locale(lang: str, folder: str) -> Locale:
    """The CLDR locale for dates and plurals: the article's own (with its region) when Babel
    knows it and it is the catalogue's language, else the catalogue's."""
    language, script, region = _subtags(lang)
    own = Locale.parse(folder)
    for candidate in ((language, script, region), (language, script, None), (language, None, region)):
        try:
            locale = Locale.parse("_".join(filter(None, candidate)))
        except (ValueError, UnknownLocaleError):
            continue
        if locale.language == own.language:
            return locale
    return own
