"""A section's body: pandoc paragraphs, lists, tables and figures -> the source's blocks.

A paragraph is a string, a list `{"list": [...]}`, a table `{"table": {caption, columns,
rows}}`. What a block holds that the source format cannot (an image, a footnote, a list
inside a list item, a cell spanning columns) is reported where it is, never silently lost.
"""

from __future__ import annotations

from typing import Any

from pipeline.importer import inline
from pipeline.importer.document import Block, Node
from pipeline.importer.findings import Findings, Location, shown

MAX_CAPTION_WORDS = 15


def prose(nodes: list[Node], line: int, findings: Findings, what: str) -> str:
    """The markup of a run of inlines; what it had to leave out is reported against `what`."""
    converted = inline.convert(nodes)
    for dropped in converted.dropped:
        if dropped.kind == "image":
            alt = f"its alt text: {shown(dropped.words, 80)}" if dropped.words else "it has no alt text"
            findings.warn(line, f"image in {what} dropped ({alt}): describe it in the text if readers need it")
        elif dropped.kind == "footnote":
            findings.warn(line, f"footnote in {what} dropped ({shown(dropped.words, 80)}): put it in the text or the references")
        else:
            findings.warn(line, f"link {shown(dropped.words)} in {what} points to '{dropped.target}', not a public web address: kept as plain text")
    return converted.markup


def body(blocks: list[Block], findings: Findings, at: Location, heading: str) -> list[Any]:
    """The body of the section `heading`, written at `at` (its location in the source)."""
    found: list[Any] = []
    what = f"section {shown(heading)}"
    for index, block in enumerate(blocks):
        before = blocks[index - 1] if index else None
        if block.kind == "Para" and not _is_caption_of(block, blocks[index + 1 : index + 2]):
            found += filter(None, [prose(block.inlines, block.line, findings, what)])
        elif block.kind in ("BulletList", "OrderedList"):
            found += [{"list": items} for items in [list_items(block, findings, what)] if items]
        elif block.kind == "Table":
            caption_block = before if before is not None and _is_caption_of(before, [block]) else None
            found.append({"table": table(block, caption_block, findings, (*at, "body", len(found), "table"), f"the table in {what}")})
        elif block.kind == "DefinitionList":
            for term, definitions in block.node["c"]:
                found += filter(None, [prose(term, block.line, findings, what)])
                found += filter(None, (" ".join(paragraphs(definition, block.line, findings, what)) for definition in definitions))
        elif block.kind == "Figure":
            figure(block, findings, what)
    return found


def _is_caption_of(block: Block, following: list[Block]) -> bool:
    """A short line just before a table, with no full stop, is that table's caption."""
    if not following or following[0].kind != "Table" or block.kind != "Para" or _caption(following[0].node):
        return False
    words = block.plain.split()
    return 0 < len(words) <= MAX_CAPTION_WORDS and not block.plain.endswith((".", ":", ";", "!", "?"))


def paragraphs(blocks: list[Node], line: int, findings: Findings, what: str) -> list[str]:
    """The text of each paragraph in a list item, a definition or a table cell."""
    texts = []
    for node in blocks:
        if node["t"] in ("Para", "Plain"):
            texts.append(prose(node["c"], line, findings, what))
        elif node["t"] in ("BulletList", "OrderedList"):
            texts += list_items(Block(node, line), findings, what)
    return [text for text in texts if text]


def list_items(block: Block, findings: Findings, what: str) -> list[str]:
    items = block.node["c"] if block.kind == "BulletList" else block.node["c"][1]
    found: list[str] = []
    for number, item in enumerate(items, start=1):
        texts = [prose(node["c"], block.line, findings, what) for node in item if node["t"] in ("Para", "Plain")]
        if texts:
            found.append(" ".join(text for text in texts if text))
        nested = [node for node in item if node["t"] in ("BulletList", "OrderedList")]
        for node in nested:
            inner = list_items(Block(node, block.line), findings, what)
            findings.warn(block.line, f"item {number} of a list in {what} holds a list of its own: its {len(inner)} items follow it in the same list")
            found += inner
    return [item for item in found if item]


def figure(block: Block, findings: Findings, what: str) -> None:
    caption = " ".join(inline.plain_blocks(block.node["c"][1][1]))
    alts = [dropped.words for node in block.node["c"][2] if node["t"] in ("Para", "Plain") for dropped in inline.convert(node["c"]).dropped]
    described = "; ".join(f"alt text {shown(alt, 80)}" for alt in alts if alt) or "no alt text"
    captioned = f", caption {shown(caption, 80)}" if caption else ""
    findings.warn(block.line, f"image in {what} dropped ({described}{captioned}): describe it in the text if readers need it")


def _caption(node: Node) -> list[Node]:
    return node["c"][1][1]


def table(block: Block, caption_block: Block | None, findings: Findings, at: Location, where: str) -> dict[str, Any]:
    """A table's caption, columns and rows; `where` names it in messages."""
    content = block.node["c"]
    head_rows = content[3][1]
    body_rows = [row for body in content[4] for row in body[2] + body[3]] + content[5][1]
    caption_nodes = [node for node in _caption(block.node) if node["t"] in ("Para", "Plain")]
    result: dict[str, Any] = {}
    if caption_nodes:
        result["caption"] = " ".join(prose(node["c"], block.line, findings, where) for node in caption_nodes)
    elif caption_block is not None:
        result["caption"] = prose(caption_block.inlines, caption_block.line, findings, where)
    else:
        findings.warn(block.line, f"{where} has no caption: write one saying what it shows", (*at, "caption"))
    if not head_rows and body_rows:
        head_rows, body_rows = body_rows[:1], body_rows[1:]
        findings.warn(block.line, f"{where} has no header row: its first row is taken as the column names; check them", (*at, "columns"))
    result["columns"] = _cells(head_rows[-1], block.line, findings, (*at, "columns"), f"the header row of {where}") if head_rows else []
    result["rows"] = [_cells(row, block.line, findings, (*at, "rows", index), f"row {index + 1} of {where}") for index, row in enumerate(body_rows)]
    for index, row in enumerate(result["rows"]):
        if len(row) != len(result["columns"]):
            findings.warn(
                block.line,
                f"row {index + 1} of {where} has {len(row)} {'cell' if len(row) == 1 else 'cells'} for {len(result['columns'])} columns: give one cell per column",
                (*at, "rows", index),
            )
    return result


def _cells(row: Node, line: int, findings: Findings, at: Location, row_name: str) -> list[str]:
    cells: list[str] = []
    for cell in row[1]:
        words = " ".join(paragraphs(cell[4], line, findings, row_name))
        if not words:
            findings.warn(line, f"cell {len(cells) + 1} of {row_name} is empty: write its text", at)
        if cell[3] > 1:
            findings.warn(line, f"cell {len(cells) + 1} of {row_name} spans {cell[3]} columns: it is written once; give each column its own cell", at)
        cells.append(words)
    return cells
