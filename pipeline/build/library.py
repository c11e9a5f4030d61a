"""outputs/index.html: every built article with its formats, one page for a clinic's website.

It is read from the manifests the build engine writes (`outputs/<id>/manifest.json`), so it
lists exactly the files that were built, and written (atomically) only when its bytes change:
a build that changed nothing rewrites nothing, and a leaflet passing its review date changes
the page on the next build. Self-contained like the web edition: its stylesheets are inlined,
there is no script, and a Content-Security-Policy lets the page load nothing at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.units import format_unit

from pipeline import ASSETS, atomic, settings
from pipeline.build import files as outputs
from pipeline.locale import catalogue_for
from pipeline.model import rules
from pipeline.model.markup import plain
from pipeline.registry import PluginError, installed
from pipeline.text import labels
from pipeline.text.language import direction
from pipeline.text.sentences import fold_space

PAGE = "index.html"
DEFAULT_LANG = "en"
"""The page's language when `[tool.pipeline.library] lang` does not set it."""
_STYLESHEETS = (ASSETS / "web" / "web.css", ASSETS / "library" / "library.css")
"""The web edition's stylesheet, whose look the page shares, then the page's own rules."""


@dataclass(frozen=True)
class Download:
    href: str
    label: str
    size: int
    media_type: str = ""


@dataclass(frozen=True)
class Leaflet:
    id: str
    title: str
    lang: str
    published: dt.date | None
    review_due: dt.date | None
    downloads: tuple[Download, ...]

    def overdue(self, today: dt.date) -> bool:
        return self.review_due is not None and self.review_due < today


def page_language(pyproject: Path = settings.PYPROJECT) -> str:
    """`[tool.pipeline.library] lang`: the clinic's language, that of the page's own words
    (each leaflet's title keeps its own); SettingsError naming the line of a bad value."""
    return settings.table("library", pyproject).read({"lang": _language_tag}).get("lang", DEFAULT_LANG)


def _language_tag(value: object) -> str:
    if isinstance(value, str) and rules.is_language_tag(value):
        return value
    raise ValueError('expected a BCP 47 language tag, e.g. "en", "cy" or "es-419"')


def update(out_dir: Path, lang: str = DEFAULT_LANG, today: dt.date | None = None) -> str | None:
    """Write OUT/index.html, in `lang`, if it would change; None, or why it could not be written."""
    found = leaflets(out_dir, lang)
    path = out_dir / PAGE
    written = page(found, today or dt.date.today(), lang).encode()
    if not found and not path.is_file() or path.is_file() and path.read_bytes() == written:
        return None
    try:
        atomic.write_atomically(path, written)
    except OSError as error:
        return f"the library page was not updated: {outputs.write_problem(error, path) or error}"
    return None


def leaflets(out_dir: Path, lang: str = DEFAULT_LANG) -> list[Leaflet]:
    """Every article folder's manifest, as the page (in `lang`) shows it."""
    found = []
    for manifest_path in sorted(out_dir.glob(f"*/{outputs.MANIFEST}")):
        manifest = outputs.read_json(manifest_path)
        records = manifest.get("outputs", {})
        if not records:
            continue
        folder = manifest_path.parent.name
        order = sorted(records, key=lambda name: (list(labels.FORMATS).index(name) if name in labels.FORMATS else len(labels.FORMATS), name))
        downloads = tuple(download for name in order for download in _downloads(folder, name, records[name], lang))
        found.append(
            Leaflet(
                folder,
                fold_space(plain(str(manifest.get("title", folder)))),
                str(manifest.get("lang", DEFAULT_LANG)),
                _date(manifest.get("published")),
                _date(manifest.get("review_due")),
                downloads,
            )
        )
    return found


def _downloads(folder: str, renderer: str, record: dict[str, Any], lang: str) -> Iterator[Download]:
    """The renderer's main file under its format's name, then each file it wrote beside it."""
    files = record.get("files", {})
    for name in sorted(files, key=lambda name: (PurePosixPath(name).suffix in labels.FILES, name)):
        suffix = PurePosixPath(name).suffix
        label = _words(lang, labels.FILES[suffix]) if suffix in labels.FILES else format_name(renderer, lang)
        media_type = "" if suffix in labels.FILES else str(record.get("media_type", ""))
        yield Download(f"{quote(folder)}/{quote(name)}", label, int(files[name].get("size", 0)), media_type)


def format_name(renderer: str, lang: str = DEFAULT_LANG) -> str:
    """A format's name for readers: ours from the catalogue, a plug-in's from its description."""
    if renderer in labels.FORMATS:
        return _words(lang, labels.FORMATS[renderer])
    try:
        return installed().load(renderer).description or renderer
    except (KeyError, PluginError):
        return renderer


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _words(lang: str, english: str) -> str:
    return labels.translated(lang, labels.LIBRARY_PAGE, english)


def page(found: list[Leaflet], today: dt.date, lang: str = DEFAULT_LANG) -> str:
    """The whole page in `lang`, grouped by language, leaflets in title order within each.
    Without a catalogue for `lang` its words are English, and so is its `lang` attribute."""
    if catalogue_for(lang).fallback:
        lang = DEFAULT_LANG
    words = {key: _words(lang, value) for key, value in labels.LIBRARY.items()}
    css = "\n".join(path.read_text("utf-8") for path in _STYLESHEETS)
    groups = _by_language(found, lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}" dir="{direction(lang)}">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '{_sha256(css)}'\"/>",
        f"<title>{escape(words['title'])}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        f'<a class="skip-link" href="#leaflets">{escape(words["skip"])}</a>',
        "<header>",
        f"<h1>{escape(words['title'])}</h1>",
        f"<p>{escape(words['intro'] if found else words['none'])}</p>",
    ]
    if len(groups) > 1:
        parts.append(f'<nav aria-label="{escape(words["languages"])}"><ul>')
        parts += [f'<li><a href="#lang-{escape(key)}">{_language_heading(key, lang)}</a></li>' for key in groups]
        parts.append("</ul></nav>")
    parts += ["</header>", '<main id="leaflets" tabindex="-1">']
    for key, members in groups.items():
        parts.append(f'<section aria-labelledby="lang-{escape(key)}">')
        parts.append(f'<h2 id="lang-{escape(key)}">{_language_heading(key, lang)}</h2>')
        parts.append('<ul class="leaflets">')
        parts += [_entry(leaflet, words, today, lang) for leaflet in members]
        parts += ["</ul>", "</section>"]
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _by_language(found: list[Leaflet], lang: str) -> dict[str, list[Leaflet]]:
    groups: dict[str, list[Leaflet]] = {}
    for leaflet in found:
        groups.setdefault(leaflet.lang.split("-")[0].lower(), []).append(leaflet)
    ordered = sorted(groups.items(), key=lambda item: _language_names(item[0], lang)[0].casefold())
    return {key: sorted(members, key=lambda leaflet: (leaflet.title.casefold(), leaflet.id)) for key, members in ordered}


def _language_names(language: str, lang: str) -> tuple[str, str | None]:
    """The language's name in the page's language `lang`, and in itself (None when Babel lacks it)."""
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return language, None
    return locale.get_display_name(_locale(lang)) or language, locale.get_display_name(locale)


def _language_heading(language: str, lang: str) -> str:
    name, own = _language_names(language, lang)
    if own is None or own.casefold() == name.casefold():
        return escape(name)
    return f'{escape(name)} (<span lang="{escape(language)}" dir="{direction(language)}">{escape(own)}</span>)'


def _entry(leaflet: Leaflet, words: dict[str, str], today: dt.date, lang: str) -> str:
    """One leaflet: its title in its own language, the rest in the page's (`lang`)."""
    overdue = leaflet.overdue(today)
    own = escape(leaflet.lang)
    heading_id = f"leaflet-{escape(leaflet.id)}"
    lines = [
        f'<li class="leaflet{" overdue" if overdue else ""}">',
        f'<h3 id="{heading_id}" lang="{own}" dir="{direction(leaflet.lang)}">{escape(leaflet.title)}</h3>',
    ]
    if overdue:
        lines.append(f'<p class="overdue-note">{escape(words["overdue"])}</p>')
    dates = [(words["published"], leaflet.published), (words["review_due"], leaflet.review_due)]
    shown = [f"<dt>{escape(label)}</dt><dd>{_time(date, lang)}</dd>" for label, date in dates if date is not None]
    if shown:
        lines.append(f'<dl class="dates">{"".join(shown)}</dl>')
    lines.append(f'<ul class="formats" aria-label="{escape(words["formats"])}">')
    for download in leaflet.downloads:
        kind = f' type="{escape(download.media_type)}"' if download.media_type else ""
        lines.append(
            f'<li><a href="{escape(download.href)}" hreflang="{own}"{kind}>{escape(download.label)}</a>'
            f' <span class="size">(<bdi>{escape(file_size(download.size, lang))}</bdi>)</span></li>'
        )
    lines += ["</ul>", "</li>"]
    return "\n".join(lines)


def _locale(lang: str) -> Locale:
    """The page's CLDR locale, for dates, sizes and language names (its catalogue's on fallback)."""
    return catalogue_for(lang).locale


def _time(date: dt.date, lang: str) -> str:
    return f'<time datetime="{date.isoformat()}">{escape(format_date(date, "long", locale=_locale(lang)))}</time>'


def file_size(size: int, lang: str = DEFAULT_LANG) -> str:
    """A size as readers write it, in the page's language: 812 B, 12.5 kB, 5.3 MB."""
    if size < 1000:
        return format_unit(size, "digital-byte", length="short", locale=_locale(lang))
    unit, value = ("digital-kilobyte", size / 1000) if size < 1_000_000 else ("digital-megabyte", size / 1_000_000)
    return format_unit(round(value, 1), unit, length="short", format="#,##0.0", locale=_locale(lang))


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
