"""The words of the source schema, the new-article template and the library page.

The English strings are the message ids of the gettext catalogues (`pipeline/locale/`), under
the contexts below: the template and the library page take their words in the article's (the
page's) language through `translated`. The schema stays in English, the language of the keys
it describes; it has no comments to translate for an editor to show.
"""

from __future__ import annotations

from pipeline.locale import catalogue_for

TEMPLATE = "new article"
"""The catalogues' context of the template's comments and placeholders."""
LIBRARY_PAGE = "library page"
"""The catalogues' context of the library page's words and format names."""

KEYS: dict[str, dict[str, str]] = {
    "Article": {
        "title": "The leaflet's title: what it is about, in plain words",
        "subtitle": "Optional: a line under the title",
        "lang": "The language of the text, as a BCP 47 tag: en, en-GB, es-419, cy ...",
        "publisher": "Optional: the organisation issuing the leaflet",
        "reference": "Optional: the clinic's code for the leaflet in its document control, e.g. PIL-0423",
        "version": "Optional: the leaflet's version, e.g. 2.1",
        "introduction": "Optional: an opening paragraph",
        "summary": "The main message in two or three sentences",
        "key_points": "The few things a reader must remember: each a short title and a sentence",
        "sections": "The body: each section a heading and blocks, with up to three levels of subsections",
        "faq": "Optional: questions patients ask, each with its answer",
        "references": "Optional: where the information comes from",
        "disclaimer": "What the leaflet cannot do, e.g. that it does not replace a doctor's advice",
        "published": "The date of publication, written as YYYY-MM-DD",
        "review_due": "When the leaflet must be checked again (YYYY-MM-DD), after the publication date",
        "web_url": "Optional: the https:// address where the web and audio edition will live",
        "options": "Optional: renderer options for this leaflet alone, e.g. voice: cy, or pdf: {max_pages: 6}",
    },
    "KeyPoint": {"title": "A few words the reader sees first", "text": "One or two sentences saying it in full"},
    "Section": {
        "heading": "The section's heading",
        "body": "Blocks: a paragraph is text; a list is {list: [...]}; a table is {table: {caption, columns, rows}}",
        "sections": "Optional: subsections, each with a heading and a body",
    },
    "BulletList": {"list": "The list's items, each one text"},
    "TableBlock": {"table": "A table with a caption, column names and rows"},
    "Table": {
        "caption": "What the table shows",
        "columns": "The column names",
        "rows": "The rows: each a list with one cell per column",
    },
    "FaqEntry": {"question": "A question, as a patient would ask it", "answer": "The answer"},
    "Reference": {
        "title": "The title of the source",
        "publisher": "Optional: who published it",
        "url": "Its https:// address",
    },
}
"""What belongs in each key of the source format, per model class: the schema's descriptions
and the template's comments."""

SCHEMA_TITLE = "Patient health article (pipeline source)"
SCHEMA_DESCRIPTION = (
    "One article in source/<id>.yaml. `pipeline validate` also checks what a schema cannot: table shape, duplicate headings and questions, date order, size limits."
)
TEXT = "Text with the inline markup **strong**, *emphasis* and [text](https://...), nothing else"
URL = "A public web address starting with https:// (or http://)"
LANGUAGE_TAG = "A BCP 47 language tag, e.g. en, en-GB, es-419"
DATE = "A date written as YYYY-MM-DD"
RENDERER_OPTIONS = "Options for the {renderer} renderer alone"
OPTION_VALUE = "An option's value for every renderer that declares it, or a mapping of one renderer's options"

TEMPLATE_HEADER = "A patient leaflet for `pipeline`. Replace every <<...>> with your text; `pipeline validate` lists those left."
TABLE_EXAMPLE = "A table: a caption saying what it shows, the column names, and rows of one cell per column"
PLACEHOLDERS: dict[str, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "publisher": "Organisation",
    "reference": "Leaflet code",
    "version": "Version",
    "introduction": "Opening paragraph",
    "summary": "Main message",
    "key_point_title": "Key point",
    "key_point_text": "What the reader should know or do",
    "heading": "Section heading",
    "paragraph": "Paragraph",
    "item": "List item",
    "caption": "Caption",
    "column": "Column name",
    "cell": "Cell",
    "question": "Question",
    "answer": "Answer",
    "reference_title": "Title of the source",
    "reference_publisher": "Who published it",
    "url": "https://...",
    "disclaimer": "Disclaimer",
    "date": "YYYY-MM-DD",
    "web_url": "https://...",
}

LIBRARY: dict[str, str] = {
    "title": "Patient information leaflets",
    "skip": "Skip to the leaflets",
    "intro": "Every leaflet, in every format it is published in.",
    "languages": "Languages",
    "published": "Published",
    "review_due": "Review due",
    "overdue": "Past its review date",
    "formats": "Formats",
    "none": "No leaflets have been built yet.",
}

FORMATS: dict[str, str] = {
    "html": "Web page with audio",
    "pdf": "PDF leaflet",
    "pdf-large": "Large-print PDF",
    "epub": "E-book (EPUB)",
    "epub-read-along": "Read-along e-book (EPUB with narration)",
    "audio": "Spoken audio (MP3)",
    "txt": "Plain text",
    "braille": "Braille, ready to emboss (BRF)",
    "daisy": "DAISY talking book (ZIP)",
}
"""Format names by renderer name, in the order the library page lists them; a renderer not
named here is shown by its description, after these."""

FILES: dict[str, str] = {".vtt": "Transcript (WebVTT)", ".pef": "Braille pages (PEF)"}
"""Names of the extra files a renderer writes beside its main one, by extension."""


UNTRANSLATED = frozenset({"https://...", "YYYY-MM-DD"})
"""Placeholders that are the same in every language: the shape of what goes there."""


def translated(lang: str, context: str, text: str) -> str:
    """`text` in the language `lang` (English where no catalogue has it), from `context`."""
    return text if text in UNTRANSLATED else catalogue_for(lang).pgettext(context, text)

