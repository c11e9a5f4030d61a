"""The e-book's reading order: its spine and its table of contents follow the source.

A reading system turns pages in spine order and lists the navigation document's contents; both
must follow the article: the title page, each section (its subsections under it), then the
questions and answers, references, disclaimer and contact page. What each document and entry is
comes from its own heading, compared with the source's headings and the catalogue's labels.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from difflib import SequenceMatcher

from pipeline.text import sentences
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.epub import MEDIA_TYPE, Package, read_package
from pipeline.verify.checks.headings import Part, source_headings

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
HEADINGS = {f"{XHTML}h{level}" for level in range(1, 7)}


class EpubReadingOrder(Check):
    name = "epub-reading-order"
    description = "the spine's documents and the table of contents follow the source's order"
    media_types = (MEDIA_TYPE,)
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None
        package = read_package(self.checked_file(output))
        spine, contents = list(spine_parts(package)), list(contents_parts(package))
        problems = [
            *(f"spine: {problem}" for problem in order_problems(spine, list(source_headings(source, nested=False)))),
            *(f"table of contents: {problem}" for problem in order_problems(contents, list(source_headings(source, nested=True)))),
        ]
        figure = f"{counted(len(spine), 'spine document')} and {counted(len(contents), 'table of contents entry').replace('entrys', 'entries')}"
        return CheckResult.judge(not problems, f"{figure} in the source's order" if not problems else figure, problems)


def spine_parts(package: Package) -> Iterator[Part]:
    """Each content document's first heading, placed by its position in the spine."""
    for name, root in package.documents:
        heading = next((element for element in root.iter() if element.tag in HEADINGS), None)
        label = _text(heading) if heading is not None else "(no heading)"
        yield Part(label, f"spine item {package.spine.index(name) + 1} ({posixpath.basename(name)})")


def contents_parts(package: Package) -> Iterator[Part]:
    """Every entry of the navigation document's table of contents, in its order."""
    if package.navigation is None:
        return
    name, root = package.navigation
    toc = next((nav for nav in root.iter(f"{XHTML}nav") if nav.get(EPUB_TYPE) == "toc"), None)
    links = toc.iter(f"{XHTML}a") if toc is not None else ()
    for index, link in enumerate(links, start=1):
        yield Part(_text(link), f"{posixpath.basename(name)}, entry {index}")


def order_problems(found: list[Part], wanted: list[Part]) -> list[str]:
    """What is missing, out of order or unexplained in `found`, aligned with `wanted`."""
    matcher = SequenceMatcher(a=[part.label for part in wanted], b=[part.label for part in found], autojunk=False)
    placed = {part.label: part.where for part in found}
    expected = {part.label for part in wanted}
    problems = []
    for tag, start, end, found_start, found_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        for index in range(start, end):
            part = wanted[index]
            after = f'after "{wanted[index - 1].label}"' if index else "first"
            if part.label in placed:
                problems.append(f'out of order: "{part.label}" ({part.where}), {placed[part.label]}, comes {after} in the source')
            else:
                problems.append(f'missing: "{part.label}" ({part.where}), which comes {after} in the source')
        problems += [f'unexplained: {part.where}: "{part.label}" is not a heading of the source' for part in found[found_start:found_end] if part.label not in expected]
    return problems



def _text(element: ElementTree.Element) -> str:
    return sentences.fold_space("".join(element.itertext()))
