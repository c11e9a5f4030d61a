"""The rules `pdf-ua-rules` runs: the `pdfua` package's, one of them mended, and one of ours.

- pdfua 0.1.3's empty-heading rule (UA-14-001) raises on a heading whose /K is an array, as
  WeasyPrint writes them, under pikepdf 10 (`getattr` on an array raises ValueError, not
  AttributeError), so it would never run: it runs here with that walk written anew.
- Matterhorn checkpoint 01-005 as pdfua does not check it: marked content with an MCID must
  belong to an element of the structure tree. pdfua's UA-01-003 counts only content outside
  any marked sequence, so WeasyPrint's page margins (marked, but mapped to elements it never
  links into the tree: its issue #1836) pass it; `_pdf_finish` turns them into artifacts,
  and this rule holds it to that. It covers no rule of pdfua's count of 106.
Imported only when a PDF is checked (pdfua loads pikepdf).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf
from pdfua import Location, Severity
from pdfua.rules import ALL_RULES, Rule, RuleRegistry
from pdfua.rules.structure import EmptyHeadingRule


def rules() -> RuleRegistry:
    mended = [EmptyHeading() if isinstance(rule, EmptyHeadingRule) else rule for rule in ALL_RULES]
    return RuleRegistry([*mended, ContentInTree()])


def _marks_content(node: Any) -> bool:
    if isinstance(node, int):
        return True  # a marked-content id
    if isinstance(node, pikepdf.Array):
        return any(_marks_content(item) for item in node)
    if isinstance(node, pikepdf.Dictionary):
        return node.get("/Type") == pikepdf.Name.MCR or _marks_content(node.get("/K"))
    return False


class EmptyHeading(EmptyHeadingRule):
    @staticmethod
    def _has_text(element: Any) -> bool:
        return _marks_content(element.obj.get("/K"))


class ContentInTree(Rule):
    id = "MH-01-005"
    title = "Marked content belongs to an element of the structure tree"
    severity = Severity.ERROR
    pdfua_clause = "7.1"
    wcag = ("1.3.1",)
    remediation = "Link the element into the structure tree, or mark the content as an artifact (pipeline/renderers/_pdf_finish.py does so for page margins)."

    def check(self, doc: Any) -> Iterator[Any]:
        if doc.struct_root is None:
            return  # UA-01-005 reports that
        in_tree = {element.obj.objgen for element in doc.struct_elements}
        owners = _numbers(doc.struct_root.get("/ParentTree"))
        for page, content in zip(_pages(doc.root.Pages), doc.pages):
            entry = owners.get(int(page.get("/StructParents", -1)))
            lost = tuple(mcid for mcid in content.mcids if not _owned(entry, mcid, in_tree))
            if lost:
                message = f"{len(lost)} marked-content sequence(s) belong to no element of the structure tree: a screen reader never reaches them"
                yield self.finding(message, location=Location(page=content.page_number, mcids=lost))


def _owned(entry: Any, mcid: int, in_tree: set[tuple[int, int]]) -> bool:
    """Whether the page's parent-tree entry maps `mcid` to an element of the tree."""
    if not isinstance(entry, pikepdf.Array) or mcid >= len(entry):
        return False
    owner = entry[mcid]
    return isinstance(owner, pikepdf.Dictionary) and owner.objgen in in_tree


def _numbers(node: Any) -> dict[int, Any]:
    """A number tree (the ParentTree) as a dict: its /Nums pairs, its /Kids' too."""
    found: dict[int, Any] = {}
    if not isinstance(node, pikepdf.Dictionary):
        return found
    nums = node.get("/Nums", pikepdf.Array())
    found.update((int(nums[index]), nums[index + 1]) for index in range(0, len(nums) - 1, 2))
    for kid in node.get("/Kids", pikepdf.Array()):
        found.update(_numbers(kid))
    return found


def _pages(node: Any) -> Iterator[Any]:
    """The page dictionaries of a page tree, in order."""
    if node.get("/Type") == pikepdf.Name.Page:
        yield node
        return
    for kid in node.get("/Kids", pikepdf.Array()):
        yield from _pages(kid)
