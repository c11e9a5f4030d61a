"""The source a new article starts from (`pipeline new`): every key, what belongs in it, and a
placeholder where the author's words go.

Keys come in the model's order (the README's); comments and placeholders are words of the
catalogues, in the article's language (English where none has it). Optional parts with several
keys of their own (a list, a table, subsections) are shown commented out, ready to use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from pipeline import model
from pipeline.source import placeholders
from pipeline.source.validate import NOT_SOURCE_KEYS
from pipeline.text import labels

Row = tuple[str, str]
"""A line of YAML, and the comment written above it ('' for none)."""

_PLAIN = re.compile(r"[^\s:#'\"{}\[\],&*!|>%@`?-][^:#{}\[\],]*(?<!\s)")


def source(lang: str, schema: str) -> str:
    """The whole template for an article in `lang`; `schema` is the schema's path from the source."""
    words = _Words(lang)
    rows: list[Row] = []
    for key in (name for name in model.Article.model_fields if name not in NOT_SOURCE_KEYS):
        rows += _ROWS.get(key, _text_key)(key, words)
    lines = [f"# yaml-language-server: $schema={schema}", f"# {words(labels.TEMPLATE_HEADER)}"]
    for line, comment in rows:
        indent = " " * (len(line) - len(line.lstrip(" ")))
        lines += [f"{indent}# {comment}", line] if comment else [line]
    return "\n".join(lines) + "\n"


class _Words:
    """The labels in the article's language: comments by model class and key, placeholders."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, english: str) -> str:
        return labels.translated(self.lang, labels.TEMPLATE, english)

    def about(self, kind: str, key: str) -> str:
        return self(labels.KEYS[kind][key])

    def blank(self, name: str) -> str:
        return _scalar(placeholders.mark(self(labels.PLACEHOLDERS[name])))


def _scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    return value if _PLAIN.fullmatch(value) else json.dumps(value, ensure_ascii=False)


def _text_key(key: str, words: _Words) -> list[Row]:
    return [(f"{key}: {words.blank(key)}", words.about("Article", key))]


def _quoted_key(key: str, words: _Words) -> list[Row]:
    """A text that is often a number (a version: 2.1): in quotes, so that it stays text."""
    return [(f"{key}: {json.dumps(placeholders.mark(words(labels.PLACEHOLDERS[key])), ensure_ascii=False)}", words.about("Article", key))]


def _dates(key: str, words: _Words) -> list[Row]:
    return [(f"{key}: {words.blank('date')}", words.about("Article", key))]


def _lang(key: str, words: _Words) -> list[Row]:
    return [(f"{key}: {words.lang}", words.about("Article", key))]


def _options(key: str, words: _Words) -> list[Row]:
    return [(f"{key}: {{}}", words.about("Article", key))]


def _list_of(kind: str, blanks: dict[str, str]) -> Callable[[str, _Words], list[Row]]:
    """A list holding one item of `kind`, each of its keys (in order) with its placeholder."""

    def rows(key: str, words: _Words) -> list[Row]:
        items = [(f"    {name}: {words.blank(blank)}", words.about(kind, name)) for name, blank in blanks.items()]
        first, comment = items[0]
        return [(f"{key}:", words.about("Article", key)), ("  - " + first.lstrip(), comment), *items[1:]]

    return rows


def _sections(key: str, words: _Words) -> list[Row]:
    paragraph, item, cell = words.blank("paragraph"), words.blank("item"), words.blank("cell")
    return [
        (f"{key}:", words.about("Article", key)),
        (f"  - heading: {words.blank('heading')}", words.about("Section", "heading")),
        ("    body:", words.about("Section", "body")),
        (f"      - {paragraph}", ""),
        (f"      # - list: [{item}, {item}]", words.about("BulletList", "list")),
        ("      # - table:", words(labels.TABLE_EXAMPLE)),
        (f"      #     caption: {words.blank('caption')}", ""),
        (f"      #     columns: [{words.blank('column')}, {words.blank('column')}]", ""),
        (f"      #     rows: [[{cell}, {cell}]]", ""),
        ("    # sections:", words.about("Section", "sections")),
        (f"    #   - heading: {words.blank('heading')}", ""),
        (f"    #     body: [{paragraph}]", ""),
    ]


_ROWS: dict[str, Callable[[str, _Words], list[Row]]] = {
    "lang": _lang,
    "key_points": _list_of("KeyPoint", {"title": "key_point_title", "text": "key_point_text"}),
    "sections": _sections,
    "faq": _list_of("FaqEntry", {"question": "question", "answer": "answer"}),
    "references": _list_of("Reference", {"title": "reference_title", "publisher": "reference_publisher", "url": "url"}),
    "published": _dates,
    "review_due": _dates,
    "options": _options,
    "version": _quoted_key,
}
"""Keys whose value is more than one text; every other key is a text with its placeholder."""
