"""Where each block of a document stands, for `FILE:LINE: warning: ...`.

pandoc's tree carries no positions, so for a text file (HTML, Markdown) the block's first
words are looked for in the file, each search starting where the last block was found, tags
and entities allowed between the words. A Word or OpenDocument file has no lines: there LINE
is the number of the paragraph (headings, paragraphs, list items and table rows counted from
the top, as a word processor's navigation shows them).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.importer import inline

Node = dict[str, Any]

_WORD = re.compile(r"\w+")
_BETWEEN = r"(?:[^\w<&]|<[^>]*>|&#?\w+;)*?"
_FIRST_WORDS = 4


class Locator:
    def __init__(self, source: str | None, paragraphs_before: int = 0):
        self.source = source
        self.cursor = 0
        self.last_line = 1
        self.paragraphs = paragraphs_before
        if source is not None:
            body = re.search(r"<body\b", source, re.IGNORECASE)
            self.cursor = body.end() if body else 0

    def line(self, node: Node) -> int:
        """The line (or paragraph number) where `node` starts; moves past it."""
        if self.source is None:
            self.paragraphs += 1
            here = self.paragraphs
            self.paragraphs += _paragraphs(node) - 1
            return here
        words = _WORD.findall(_first_text(node))[:_FIRST_WORDS]
        while words:
            match = re.search(_BETWEEN.join(map(re.escape, words)), self.source[self.cursor :])
            if match:
                start = self.cursor + match.start()
                self.cursor += match.end()
                self.last_line = self.source.count("\n", 0, start) + 1
                break
            words = words[:-1]
        return self.last_line


def _first_text(node: Node) -> str:
    kind, content = node["t"], node.get("c")
    if kind == "Header":
        return inline.plain(content[2])
    if kind == "Para":
        return inline.plain(content)
    texts = inline.plain_blocks([node]) if kind in ("BulletList", "OrderedList") else []
    if kind == "Table":
        texts = [" ".join(_table_texts(content))]
    if kind == "DefinitionList":
        texts = [inline.plain(content[0][0])] if content else []
    if kind == "Figure":
        texts = inline.plain_blocks(content[1][1])
    return texts[0] if texts else ""


def _table_texts(content: list[Any]) -> list[str]:
    head, bodies = content[3], content[4]
    rows = head[1] + [row for body in bodies for row in body[2] + body[3]]
    return [" ".join(inline.plain_blocks(cell[4])) for row in rows for cell in row[1]]


def _paragraphs(node: Node) -> int:
    """How many paragraphs a word processor shows for `node`."""
    kind, content = node["t"], node.get("c")
    if kind in ("BulletList", "OrderedList"):
        items = content if kind == "BulletList" else content[1]
        return max(1, sum(max(1, len(item)) for item in items))
    if kind == "Table":
        head, bodies = content[3], content[4]
        caption = 1 if content[1][1] else 0
        return caption + len(head[1]) + sum(len(body[2]) + len(body[3]) for body in bodies)
    if kind == "DefinitionList":
        return sum(1 + sum(len(definition) for definition in definitions) for _term, definitions in content)
    return 1
