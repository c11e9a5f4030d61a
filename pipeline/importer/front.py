"""The front of a leaflet: introduction, summary, key points; and its disclaimer.

Untitled paragraphs before the first heading are the introduction and the summary: one
paragraph is the summary; of several, the first introduces and the rest summarise, unless a
"Summary" (or "Introduction") heading says which is which.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.importer import blocks as body_blocks
from pipeline.importer import inline
from pipeline.importer.document import Block
from pipeline.importer.findings import Findings, shown
from pipeline.importer.parts import Part, Parts
from pipeline.importer.words import Words

MAX_KEY_POINT_TITLE_WORDS = 8


def paragraphs(part_blocks: list[Block], findings: Findings, what: str) -> list[str]:
    """The paragraphs of a part that holds only prose; anything else is reported."""
    found = []
    for block in part_blocks:
        if block.kind == "Para":
            found.append(body_blocks.prose(block.inlines, block.line, findings, what))
        elif block.kind == "Figure":
            body_blocks.figure(block, findings, what)
        else:
            findings.warn(block.line, f"a {block.name} in {what} cannot be placed there: move it into a section")
    return [paragraph for paragraph in found if paragraph]


def introduction_and_summary(parts: Parts, findings: Findings) -> dict[str, str]:
    front = paragraphs(parts.parts[0].blocks, findings, "the opening")
    introduction = [text for part in parts.named("introduction") for text in paragraphs(part.blocks, findings, "the introduction")]
    summary = [text for part in parts.named("summary") for text in paragraphs(part.blocks, findings, "the summary")]
    if summary:
        introduction = front + introduction
    elif introduction:
        summary = front
    elif front:
        introduction, summary = front[:-1][:1], front[1:] or front
    found = {"introduction": " ".join(introduction), "summary": " ".join(summary)}
    return {key: value for key, value in found.items() if value}


def key_points(parts: list[Part], findings: Findings) -> list[dict[str, str]]:
    items: list[tuple[int, list[inline.Node]]] = []
    for part in parts:
        for block in part.blocks:
            if block.kind in ("BulletList", "OrderedList"):
                entries = block.node["c"] if block.kind == "BulletList" else block.node["c"][1]
                items += [(block.line, [piece for node in entry if node["t"] in ("Para", "Plain") for piece in node["c"]]) for entry in entries]
                if any(node["t"] not in ("Para", "Plain") for entry in entries for node in entry):
                    findings.warn(block.line, "a key point holds a list or table of its own, which a key point cannot: write it as text")
            elif block.kind == "Para":
                items.append((block.line, block.inlines))
            else:
                findings.warn(block.line, f"a {block.name} under the key points cannot be placed there: move it into a section")
    found = []
    for line, nodes in items:
        point = _key_point(nodes, line, findings)
        if "title" not in point:
            findings.warn(
                line, f"key point {len(found) + 1} has no title: write a few words before its text ({shown(point['text'])})", ("key_points", len(found), "title")
            )
        found.append(point)
    return found


_SEPARATORS = ":：.。–—-"
"""What stands between a key point's title and its text (a full-width colon in Chinese)."""


def _key_point(nodes: list[inline.Node], line: int, findings: Findings) -> dict[str, str]:
    """title: text, split after a bold run or at the first colon."""
    bold = inline.leading_strong(nodes)
    if bold is not None and inline.plain(bold[1]).strip(" " + _SEPARATORS):
        title = inline.plain(bold[0]).strip().rstrip(_SEPARATORS).strip()
        text = body_blocks.prose(bold[1], line, findings, "a key point")
        return {"title": title, "text": re.sub(rf"^[{_SEPARATORS}]\s*", "", text)}
    text = body_blocks.prose(nodes, line, findings, "a key point")
    title, colon, rest = text.partition(": ")
    if colon and rest and len(title.split()) <= MAX_KEY_POINT_TITLE_WORDS and "[" not in title:
        return {"title": title.strip("*"), "text": rest}
    return {"text": text}


def disclaimer_block(parts: Parts, words: Words) -> tuple[Part, Block] | None:
    """The paragraph that says the text does not replace professional advice: under a
    disclaimer heading, else such a paragraph at the very end or in the opening."""
    for part in parts.named("disclaimer"):
        for block in part.blocks:
            if block.kind == "Para":
                return part, block
    says = re.compile("|".join(words.disclaimer_phrases), re.IGNORECASE)
    last = parts.parts[-1]
    candidates = [(last, last.blocks[-1])] if last.blocks else []
    candidates += [(parts.parts[0], block) for block in parts.parts[0].blocks]
    for part, block in candidates:
        if block.kind == "Para" and says.search(block.plain):
            return part, block
    return None


def disclaimer(parts: Parts, words: Words, findings: Findings) -> dict[str, Any]:
    found = disclaimer_block(parts, words)
    if found is None:
        findings.warn(1, "the document has no disclaimer (a line saying it does not replace professional advice): write disclaimer:", ("disclaimer",))
        return {}
    part, block = found
    part.blocks.remove(block)
    texts = [body_blocks.prose(block.inlines, block.line, findings, "the disclaimer")]
    if part.kind == "disclaimer":
        texts += paragraphs(part.blocks, findings, "the disclaimer")
        part.blocks.clear()
    return {"disclaimer": " ".join(texts)}
