"""References: each list item (or paragraph) -> title, publisher and web address.

The title is the item's italic, bold or quoted run, else its link's words, else its first
sentence; the publisher is what else it says; the address is its link (or a bare address
in its text). Numbers left where a scraped page lost its references are no reference at all.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.importer import inline
from pipeline.importer.document import Block, Node
from pipeline.importer.findings import Findings, shown
from pipeline.text.sentences import sentences

_NUMBERING = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+[.)])\s*")
_NO_WORDS = re.compile(r"[\W\d_]*")
_TITLE_RUNS = ("Emph", "Strong", "Quoted", "Cite")


def references(part_blocks: list[Block], findings: Findings, heading_line: int) -> list[dict[str, Any]]:
    for block in part_blocks:
        if block.kind == "Header":
            findings.note(block.line, f"heading {shown(block.plain)} among the references dropped: a source lists its references as one list")
        elif block.kind not in ("Para", "BulletList", "OrderedList"):
            findings.warn(block.line, f"a {block.name} among the references cannot be placed there: give each reference as a list item")
    items = [(block.line, nodes) for block in part_blocks for nodes in _items(block)]
    found: list[dict[str, Any]] = []
    empty = [(line, inline.plain(nodes)) for line, nodes in items if _NO_WORDS.fullmatch(inline.plain(nodes))]
    if empty and len(empty) == len(items):
        listed = ", ".join(shown(words) for _line, words in empty[:6])
        findings.warn(
            heading_line,
            f"the reference list has {len(empty)} entries with neither title nor address ({listed}): write each one's title and web address, or remove the list",
            ("references",),
        )
        return []
    for line, nodes in items:
        if _NO_WORDS.fullmatch(inline.plain(nodes)):
            findings.warn(line, f"a reference holds no title or address ({shown(inline.plain(nodes))}): write them, or remove it")
            continue
        reference = _reference(nodes)
        if "url" not in reference:
            findings.warn(line, f"reference {len(found) + 1} ({shown(reference['title'])}) has no web address: add its url", ("references", len(found), "url"))
        found.append(reference)
    return found


def _items(block: Block) -> list[list[Node]]:
    """The inlines of each reference a block holds: one per list item or paragraph."""
    if block.kind == "Para":
        return [block.inlines]
    if block.kind in ("BulletList", "OrderedList"):
        items = block.node["c"] if block.kind == "BulletList" else block.node["c"][1]
        return [_joined([node for node in item if node["t"] in ("Para", "Plain")]) for item in items]
    return []


def _joined(paragraphs: list[Node]) -> list[Node]:
    nodes: list[Node] = []
    for paragraph in paragraphs:
        nodes += ([{"t": "Space"}] if nodes else []) + paragraph["c"]
    return nodes


def _reference(nodes: list[Node]) -> dict[str, Any]:
    links = inline.web_links(nodes)
    words = inline.plain(nodes)
    bare = inline.BARE_URL.search(words)
    url = links[0][1] if links else (bare[0] if bare else None)
    without_links = inline.plain([node for node in nodes if node["t"] != "Link"])
    if bare and not links:
        without_links = without_links.replace(bare[0], " ")
    without_links = _NUMBERING.sub("", without_links)
    title_run = _title_run(nodes)
    if title_run:
        title = title_run
    elif links and not inline.BARE_URL.fullmatch(links[0][0]) and links[0][0]:
        title = links[0][0]
    else:
        found = sentences(without_links)
        title = found[0] if found else without_links
    publisher = _rest(without_links, title)
    reference = {"title": _trimmed(title) or (url or "")}
    if publisher:
        reference["publisher"] = publisher
    if url:
        reference["url"] = url
    return reference


def _title_run(nodes: list[Node]) -> str | None:
    for node in nodes:
        if node["t"] in ("Space", "SoftBreak") or (node["t"] == "Str" and _NUMBERING.fullmatch(node["c"] + " ")):
            continue
        return inline.plain(inline.children(node)) if node["t"] in _TITLE_RUNS else None
    return None


def _rest(words: str, title: str) -> str:
    """What an item says besides its title and address: its publisher."""
    rest = words.replace(title, " ", 1) if title in words else words
    rest = re.sub(r"\b(?:available at|retrieved from|accessed|consultado en|disponible en)\b.*$", " ", rest, flags=re.IGNORECASE)
    return _trimmed(rest)


def _trimmed(value: str) -> str:
    return " ".join(value.split()).strip(" .,;:-–—")
