"""The words the pipeline adds around a clinic's text, in the reader's language.

Labels ("Summary"), the dates line, reading time, the page footer, table and question
wording, spoken announcements, accessibility summaries: every such word lives in a gettext
catalogue, `<lang>/LC_MESSAGES/pipeline.po` beside this file, the format translators and
their tools use (Poedit, Weblate, Lokalize). Catalogues are read by Babel at run time, so
there is nothing to compile; dates, numbers and plural forms follow CLDR (Babel's data).

Renderers and the speech script ask one object for their words:

    words = catalogue_for(article.lang)
    words.gettext("Summary"); words.date(article.published); words.reading_time(3)

A language with no catalogue gets the English one; `words.fallback` then says so, so a
renderer can mark those words `lang="en"`, and `language_warning` gives the build's warning.
This package imports nothing of the pipeline: anything may use it.
"""

from pipeline.locale.catalogue import CATALOGUE_FILES, LOCALE_DIR, Words, available, catalogue_for, language_warning

__all__ = ["CATALOGUE_FILES", "LOCALE_DIR", "Words", "available", "catalogue_for", "language_warning"]
