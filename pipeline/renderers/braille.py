"""The braille edition: BRF (ASCII braille) and PEF (Unicode braille in XML) of the same pages.

Translation is liblouis's (`pipeline.braille`), with the tables of the article's language;
the pages follow BANA's "Braille Formats" (see `pipeline.braille.edition`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pipeline.braille import brf, edition, pef
from pipeline.braille.tables import GRADES, all_table_files, tables_for
from pipeline.braille.translation import Translator
from pipeline.locale import CATALOGUE_FILES
from pipeline.model import Article, markup
from pipeline.registry import Option, Renderer, RenderJob

CELLS, LINES = 40, 25


def _count(least: int, most: int, what: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.strip().isdigit() or not least <= int(raw) <= most:
            raise ValueError(f"'{raw}' is not a number of {what} from {least} to {most}")
        return int(raw)

    return parse


class BrailleRenderer(Renderer):
    name = "braille"
    extension = ".brf"
    media_type = "application/x-brf"
    version = "1"
    cost = 0.2
    offered_as = "braille"
    description = "Braille (liblouis): BRF for embossers and displays, and the same pages as PEF"
    sidecars = {".pef": pef.MEDIA_TYPE}
    options = {
        "braille_grade": Option(
            default=None, choices=GRADES, parse=int, help="1 uncontracted, 2 contracted (default: the language's usual grade, 2 for English)"
        ),
        "cells": Option(default=CELLS, help="braille cells per line", parse=_count(20, 100, "cells")),
        "lines": Option(default=LINES, help="lines per braille page", parse=_count(5, 100, "lines")),
    }

    def __init__(self) -> None:
        self._fingerprints: dict[str, str] = {}

    def assets(self) -> list[Path]:
        """Every file of the liblouis tables the edition may use, and the catalogues of the words
        it adds: a changed table or translation rebuilds."""
        return [*all_table_files(), *CATALOGUE_FILES]

    def fingerprint(self, options: Mapping[str, Any]) -> str:
        """As every renderer's, kept per options: the tables are read once per build, not per article."""
        key = repr(sorted(options.items()))
        if key not in self._fingerprints:
            self._fingerprints[key] = super().fingerprint(options)
        return self._fingerprints[key]

    def render(self, article: Article, job: RenderJob) -> None:
        cells, lines = job.options.get("cells", CELLS), job.options.get("lines", LINES)
        translator = Translator(tables_for(article.lang, job.options.get("braille_grade")))
        title_pages, text_pages = edition.pages(article, translator, cells, lines)
        job.path.write_bytes(brf.encode([*title_pages, *text_pages]))
        publisher = article.issuer.name if article.issuer else article.publisher
        job.sidecars[".pef"].write_bytes(
            pef.document(
                identifier=article.id,
                title=markup.plain(article.title),
                lang=article.lang,
                date=_date(article, job.source_date_epoch),
                publisher=markup.plain(publisher) if publisher else None,
                sections=(title_pages, text_pages),
                cells=cells,
                lines=lines,
            )
        )


def _date(article: Article, source_date_epoch: int | None) -> dt.date:
    """The PEF's date: SOURCE_DATE_EPOCH's day when it is set (a reproducible build), else the
    article's publication date."""
    if source_date_epoch is None:
        return article.published
    return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC).date()
