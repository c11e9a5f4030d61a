"""Web-page furniture that is not the leaflet: skip links, reading times, tables of contents,
share and navigation links. Each dropped block is noted, never silently lost."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pipeline.importer import inline
from pipeline.importer.document import Block
from pipeline.importer.findings import Findings, shown
from pipeline.importer.words import Words, normalised

_SHARE_HOSTS = re.compile(r"(?:^|\.)(?:facebook\.com|twitter\.com|x\.com|linkedin\.com|pinterest\.com|reddit\.com|whatsapp\.com|wa\.me|t\.me|bsky\.app)$")
MAX_CHROME_WORDS = 12
"""A line of page furniture is short: a longer paragraph is the article's, whatever it says."""
_SHARE_PATHS = re.compile(r"share|intent|sharer|submit|pin/create|send", re.IGNORECASE)


def without_chrome(blocks: list[Block], words: Words, findings: Findings) -> list[Block]:
    """`blocks` less the page's furniture; a chrome heading takes what follows it up to the
    next heading or the end of its division (a table of contents, a player's links)."""
    lines = words.chrome_line()
    kept: list[Block] = []
    dropping: tuple[int, ...] | None = None  # the division a chrome heading stands in
    for block in blocks:
        if block.kind == "Header":
            dropping = block.within if normalised(block.plain) in words.chrome_headings else None
        elif dropping is not None and block.within[: len(dropping)] != dropping:
            dropping = None
        if dropping is not None or _is_chrome(block, lines):
            findings.note(block.line, f"web-page chrome dropped: {shown(_words(block))}")
            continue
        kept.append(block)
    return kept


def _is_chrome(block: Block, lines: re.Pattern[str]) -> bool:
    if block.kind == "Para":
        plain = block.plain.strip(" .|·•")
        short = len(plain.split()) <= MAX_CHROME_WORDS
        return (short and bool(lines.fullmatch(normalised(plain)))) or _only_page_links(block.inlines)
    if block.kind in ("BulletList", "OrderedList"):
        items = block.node["c"] if block.kind == "BulletList" else block.node["c"][1]
        return all(node["t"] in ("Para", "Plain") and _only_page_links(node["c"]) for item in items for node in item)
    return False


def _only_page_links(nodes: list[inline.Node]) -> bool:
    """Only links within the site (a place in the page, a relative address: a source could
    not hold them anyway) or share buttons, and nothing else to read."""
    links = _links(nodes)
    if not links or inline.plain(_without_links(nodes)).strip(" .|·•,:;-–—"):
        return False
    return all(url.startswith("#") or not urlsplit(url).netloc or _is_share(url) for url in links)


def _is_share(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return "subject=" in parts.query or "body=" in parts.query
    return bool(_SHARE_HOSTS.search(parts.hostname or "")) and bool(_SHARE_PATHS.search(parts.path + "?" + parts.query))


def _links(nodes: list[inline.Node]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        if node["t"] == "Link":
            found.append(node["c"][2][0])
        else:
            found += _links(inline.children(node))
    return found


def _without_links(nodes: list[inline.Node]) -> list[inline.Node]:
    return [node for node in nodes if node["t"] != "Link" and not (node["t"] == "Span" and _links(node["c"][1]))]


def _words(block: Block) -> str:
    if block.kind in ("Header", "Para"):
        return block.plain
    return " | ".join(inline.plain_blocks([block.node]))
