"""Finishing touches WeasyPrint 70 leaves out of a PDF/UA-1 file, applied with pikepdf.

- Page margins (our running title and "Page N of M") are marked content that WeasyPrint maps
  to structure elements it never links into the tree (WeasyPrint issue #1836), so they are
  neither content nor artifacts, which PDF/UA forbids. They become pagination artifacts.
- Table header cells get the /Scope (Column or Row) their HTML `scope` says, besides the
  Headers/ID links WeasyPrint writes.
- A right-to-left line leaves its text in logical order in a marked-content point
  (`LOGICAL_TEXT`, see _pdf_text.py); it becomes the /ActualText of the line's structure
  element, which screen readers read, and the point is removed.
- The file is saved with an /ID derived from its content, so equal input gives equal bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

FOOTER = Dictionary(Type=Name.Pagination, Subtype=Name.Footer)
LOGICAL_TEXT = "PipelineLogicalText"


def finish(data: bytes) -> bytes:
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        linked = {element.objgen for element in _elements(root)}
        _mark_artifacts(pdf, root.ParentTree, linked)
        _move_logical_texts(pdf, root.ParentTree.Nums)
        _scope_header_cells(root)
        out = BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()


def _elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from `node`, depth first, in reading order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _mark_artifacts(pdf: pikepdf.Pdf, parent_tree: pikepdf.Dictionary, linked: set[tuple[int, int]]) -> None:
    """Turn marked content whose structure element is not in the tree into artifacts."""
    nums = parent_tree.Nums
    for index, page in enumerate(pdf.pages):
        entries = _page_entry(nums, index)
        orphans = {mcid for mcid, element in enumerate(entries) if element.objgen not in linked}
        if not orphans:
            continue
        for mcid in orphans:
            entries[mcid] = pikepdf.Object.parse(b"null")
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if operator == Operator("BDC") and _mcid(operands) in orphans:
                operands = [Name.Artifact, FOOTER]
            instructions.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _move_logical_texts(pdf: pikepdf.Pdf, nums: pikepdf.Array) -> None:
    point = Name("/" + LOGICAL_TEXT)
    for index, page in enumerate(pdf.pages):
        instructions = pikepdf.parse_content_stream(page)
        if not any(operator == Operator("DP") and operands[0] == point for operands, operator in instructions):
            continue
        entries, kept, open_mcids = _page_entry(nums, index), [], []
        for operands, operator in instructions:
            if operator == Operator("DP") and operands[0] == point:
                owner = next((mcid for mcid in reversed(open_mcids) if mcid is not None), None)
                if owner is not None and owner < len(entries) and isinstance(entries[owner], Dictionary):
                    entries[owner].ActualText = operands[1].ActualText
                continue
            if operator in (Operator("BDC"), Operator("BMC")):
                open_mcids.append(_mcid(operands))
            elif operator == Operator("EMC") and open_mcids:
                open_mcids.pop()
            kept.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))


def _page_entry(nums: pikepdf.Array, page_index: int) -> pikepdf.Array:
    for position in range(0, len(nums), 2):
        if int(nums[position]) == page_index:
            return nums[position + 1]
    return Array()


def _mcid(operands: list) -> int | None:
    properties = operands[1] if len(operands) == 2 else None
    if isinstance(properties, Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


def _scope_header_cells(root: pikepdf.Dictionary) -> None:
    """Header cells in a table head label columns; those in a body label their row."""
    for section in _elements(root):
        if section.S not in (Name.THead, Name.TBody):
            continue
        scope = Name.Column if Name.THead == section.S else Name.Row
        for cell in _elements(section):
            if cell.S == Name.TH:
                attributes = cell.get("/A", Dictionary(O=Name.Table))
                attributes.Scope = scope
                cell.A = attributes
