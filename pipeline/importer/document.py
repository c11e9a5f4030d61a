"""Any leaflet file -> pandoc's document tree -> one flat run of blocks, each with its line.

pandoc (shipped in the `pypandoc-binary` wheel) reads every format into the same tree, so
the importer maps one structure, whatever the clinic wrote in. Containers that carry no
meaning for a leaflet (divisions, block quotes) are opened; an HTML page's `<main>`, when it
has one, is all pandoc reads, which leaves the site's header, navigation and footer behind.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pipeline.importer import inline, intake, pandoc
from pipeline.importer.errors import ReadError, name_of
from pipeline.importer.lines import Locator
from pipeline.source.limits import Limits

Node = dict[str, Any]

READERS = {".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html", ".md": "markdown-smart", ".markdown": "markdown-smart"}
"""File extension -> pandoc reader. Markdown without `smart`, so the author's quotes and
apostrophes come back as typed."""


_NAMES = {
    "Header": "heading",
    "Para": "paragraph",
    "BulletList": "list",
    "OrderedList": "list",
    "Table": "table",
    "DefinitionList": "definition list",
    "Figure": "figure",
}


@dataclass
class Block:
    """A heading, paragraph, list, table, definition list or figure, as pandoc gives it."""

    node: Node
    line: int
    within: tuple[int, ...] = ()
    """The divisions (an HTML page's sections) holding the block, outermost first."""

    @property
    def kind(self) -> str:
        return self.node["t"]

    @property
    def name(self) -> str:
        """What a reader calls it: heading, paragraph, list, table, definition list, figure."""
        return _NAMES.get(self.kind, "block")

    @property
    def level(self) -> int:
        return self.node["c"][0] if self.kind == "Header" else 0

    @property
    def inlines(self) -> list[Node]:
        """The words of a heading or paragraph (nothing for other blocks)."""
        if self.kind == "Header":
            return self.node["c"][2]
        return self.node["c"] if self.kind == "Para" else []

    @property
    def plain(self) -> str:
        return inline.plain(self.inlines)


@dataclass
class Document:
    path: Path
    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)
    """title, subtitle and lang, as plain text, when the file's metadata has them."""
    meta_markup: dict[str, str] = field(default_factory=dict)


def read(path: Path, limits: Limits) -> Document:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(f"{name_of(path)}: cannot import '{name_of(path.suffix)}' files: use .docx, .odt, .html or .md")
    intake.check(path, reader, limits)
    tree = pandoc.tree(path, reader, limits)
    intake.check_text(path, tree, limits)
    textual = reader.startswith(("html", "markdown"))
    # pandoc lifts a Word file's Title, Subtitle, Author, Date and Abstract paragraphs into
    # its metadata: they still count among the paragraphs before the body.
    lifted = sum(key in tree["meta"] for key in ("title", "subtitle", "author", "date", "abstract")) if reader == "docx" else 0
    locator = Locator(path.read_text("utf-8", errors="replace") if textual else None, lifted)
    blocks = [Block(node, locator.line(node), within) for node, within in _flattened(tree["blocks"], ())]
    meta = {key: value for key, value in _meta(tree["meta"]).items() if value}
    document = Document(path, blocks, {key: inline.plain(value) for key, value in meta.items()}, {key: inline.convert(value).markup for key, value in meta.items()})
    if reader == "odt":
        _odt_title_paragraphs(document)
    if reader in ("docx", "odt") and "lang" not in document.meta:
        lang = _office_language(path, reader, " ".join(block.plain for block in blocks))
        if lang:
            document.meta["lang"] = document.meta_markup["lang"] = lang
    return document


def _meta(meta: dict[str, Node]) -> dict[str, list[Node]]:
    """title, subtitle and lang of the metadata, as inlines."""
    found = {}
    for key in ("title", "subtitle", "lang"):
        value = meta.get(key)
        if value and value["t"] == "MetaInlines":
            found[key] = value["c"]
        elif value and value["t"] == "MetaString":
            found[key] = [{"t": "Str", "c": value["c"]}]
        elif value and value["t"] == "MetaBlocks" and value["c"] and value["c"][0]["t"] in ("Para", "Plain"):
            found[key] = value["c"][0]["c"]
    return found


def _flattened(nodes: list[Node], within: tuple[int, ...]) -> list[tuple[Node, tuple[int, ...]]]:
    found: list[tuple[Node, tuple[int, ...]]] = []
    for node in nodes:
        kind, content = node["t"], node.get("c")
        if kind == "Div":
            found += _flattened(content[1], (*within, id(node)))
        elif kind == "BlockQuote":
            found += _flattened(content, within)
        elif kind == "Plain":
            found.append(({"t": "Para", "c": content}, within))
        elif kind == "LineBlock":
            joined = [piece for line in content for piece in (*line, {"t": "Space"})]
            found.append(({"t": "Para", "c": joined[:-1]}, within))
        elif kind == "CodeBlock":
            found.append(({"t": "Para", "c": [{"t": "Str", "c": content[1]}]}, within))
        elif kind in ("Header", "Para", "BulletList", "OrderedList", "Table", "DefinitionList", "Figure"):
            found.append((node, within))
    return [(node, where) for node, where in found if _has_words(node)]


def _has_words(node: Node) -> bool:
    """Not an empty paragraph or heading (an image alone counts: it is reported)."""
    if node["t"] not in ("Para", "Header"):
        return True
    inlines = node["c"] if node["t"] == "Para" else node["c"][2]
    return bool(inline.plain(inlines)) or bool(inline.convert(inlines).dropped)


_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _odt_title_paragraphs(document: Document) -> None:
    """pandoc reads an OpenDocument file's Title and Subtitle paragraphs as plain paragraphs:
    find them by their style, as Writer shows them, and make them the metadata they are."""
    root = _part(document.path, "content.xml", "odt")
    if root is None:
        return
    parents = {style.get(f"{{{_ODF_STYLE}}}name"): style.get(f"{{{_ODF_STYLE}}}parent-style-name") for style in root.iter(f"{{{_ODF_STYLE}}}style")}
    for paragraph in root.iter(f"{{{_ODF_TEXT}}}p"):
        style = paragraph.get(f"{{{_ODF_TEXT}}}style-name")
        role = {"Title": "title", "Subtitle": "subtitle"}.get(style) or {"Title": "title", "Subtitle": "subtitle"}.get(parents.get(style))
        words = " ".join("".join(paragraph.itertext()).split())
        if role and words and role not in document.meta:
            match = next((block for block in document.blocks if block.kind == "Para" and block.plain == words), None)
            if match:
                document.blocks.remove(match)
                document.meta[role] = words
                document.meta_markup[role] = inline.convert(match.inlines).markup


_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ODF_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _office_language(path: Path, reader: str, words: str) -> str | None:
    """The language the document's default style is written in (what its editor checks the
    spelling in), which pandoc does not read. Word keeps one per kind of script: the one
    for the script most of the document's letters are in."""
    if reader == "docx":
        styles = _part(path, "word/styles.xml", reader)
        language = styles.find(f".//{{{_WORD}}}docDefaults//{{{_WORD}}}lang") if styles is not None else None
        return language.get(f"{{{_WORD}}}{_script_kind(words)}") if language is not None else None
    styles = _part(path, "styles.xml", reader)
    for properties in styles.iter(f"{{{_ODF_STYLE}}}text-properties") if styles is not None else ():
        language, country = properties.get(f"{{{_ODF_FO}}}language"), properties.get(f"{{{_ODF_FO}}}country")
        if language and language != "zxx":
            return f"{language}-{country}" if country and country != "none" else language
    return None


def _part(path: Path, name: str, reader: str) -> ElementTree.Element | None:
    """The XML part `name` of an office file (its size already held to the limits), None if it
    has none; ReadError if the part is not well-formed XML, as pandoc passes over some."""
    with zipfile.ZipFile(path) as archive:
        if name not in archive.namelist():
            return None
        data = archive.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ReadError(f"{name_of(path)}: not a readable {reader} file: its part {name} declares a DTD or entities, which no editor writes: save it again from its editor")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ReadError(f"{name_of(path)}: not a readable {reader} file: its part {name} is not well-formed XML ({error}): save it again from its editor") from None


_RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _script_kind(words: str) -> str:
    """Word's name for the language setting of the script most letters of `words` are in."""
    letters = sum(char.isalpha() for char in words) or 1
    if len(_RIGHT_TO_LEFT.findall(words)) * 2 > letters:
        return "bidi"
    if len(_EAST_ASIAN.findall(words)) * 2 > letters:
        return "eastAsia"
    return "val"
