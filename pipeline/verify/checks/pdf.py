"""PDF checks: what PDF/UA-1 asks of a tagged leaflet, and what the editions promise.

Tags, a structure tree holding the article's headings, lists and table header cells, the
document language, the title shown in the window, the PDF/UA identifier, embedded fonts, the
page limit the leaflet was built with, the large-print body size, and content parity of the
text layer. Structure and metadata are read with pikepdf, text and sizes with PDFium.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.model import BulletList, TableBlock, markup, walk
from pipeline.text import sentences
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.parity import Parity
from pipeline.verify.sequence import Passage

MEDIA_TYPE = "application/pdf"
LARGE_PRINT_BODY_PT = 16.0
"""RNIB clear print: large print is 16 to 18 point."""
REBUILD = "rebuild it with `pipeline build --force --format {renderer}`"


@contextmanager
def opened(path: Path) -> Iterator[Any]:
    """The PDF opened read-only with pikepdf (imported only when a PDF is checked)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        yield pdf


class PdfCheck(Check):
    media_types = (MEDIA_TYPE,)


class PdfTagged(PdfCheck):
    name = "pdf-tagged"
    description = "the PDF is tagged: /MarkInfo /Marked true and a structure tree"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_reading import structure

        with opened(self.checked_file(output)) as pdf:
            marked = bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False))
            elements = sum(1 for _element in structure(pdf))
        problems = [] if marked else ["the catalog has no /MarkInfo << /Marked true >>: the PDF is not tagged"]
        if not elements:
            problems.append("there is no structure tree (/StructTreeRoot with elements): a screen reader gets the text without headings, lists or tables")
        if problems:
            problems.append(REBUILD.format(renderer=output.renderer))
        figure = f"{'marked' if marked else 'not marked'}, {counted(elements, 'structure element')}"
        return CheckResult.judge(marked and elements > 0, figure, problems)


class PdfStructure(PdfCheck):
    name = "pdf-structure"
    description = "the structure tree holds a title heading, a heading per section, the lists, and tables with header cells"
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_reading import structure

        assert source is not None
        with opened(self.checked_file(output)) as pdf:
            tags = Counter(str(element.S).lstrip("/") for element in structure(pdf))
        found = {"H2-H6": sum(tags[f"H{level}"] for level in range(2, 7)), **{tag: tags[tag] for tag in ("L", "Table", "TH")}}
        needed = _needed_structure(source)
        problems = [] if tags["H1"] == 1 else [f"title heading (H1): the PDF tags {tags['H1']}, not exactly 1"]
        problems += [f"{STRUCTURE[key]} ({key}): the source needs at least {needed[key]}, the PDF tags {found[key]}" for key in STRUCTURE if found[key] < needed[key]]
        figure = f"{tags['H1']} H1, {found['H2-H6']} H2-H6, {counted(tags['L'], 'list')}, {counted(tags['Table'], 'table')} with {tags['TH']} TH"
        return CheckResult.judge(not problems, figure, problems)


STRUCTURE = {"H2-H6": "section headings", "L": "lists", "Table": "tables", "TH": "table header cells"}


def _needed_structure(source: Source) -> dict[str, int]:
    """How many of each STRUCTURE element the article needs at least."""
    sections = [section for _number, section, _depth in walk.section_numbers(source.article)]
    blocks = [block for section in sections for block in section.body]
    tables = [block.table for block in blocks if isinstance(block, TableBlock)]
    return {
        "H2-H6": len(sections),
        "L": sum(isinstance(block, BulletList) for block in blocks),
        "Table": len(tables),
        "TH": sum(len(table.columns) for table in tables),
    }


class PdfLanguage(PdfCheck):
    name = "pdf-language"
    description = "the catalog's /Lang is the source's language"
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None
        with opened(self.checked_file(output)) as pdf:
            lang = str(pdf.Root.get("/Lang", "")) or None
        wanted = source.article.lang
        problems = [] if lang == wanted else [f"/Lang is {lang or 'missing'}, not {wanted!r} as in {source.document.path}: screen readers would read it in the wrong voice"]
        return CheckResult.judge(not problems, f"/Lang {lang or 'missing'}", problems)


class PdfTitle(PdfCheck):
    name = "pdf-title"
    description = "the window shows the document title (DisplayDocTitle), which is the article's"
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None
        with opened(self.checked_file(output)) as pdf:
            shown = bool(pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
            title = str(pdf.open_metadata().get("dc:title", ""))
        wanted = sentences.fold_space(markup.plain(source.article.title))
        problems = [] if shown else ["/ViewerPreferences has no /DisplayDocTitle true: viewers show the file name instead of the title"]
        if title != wanted:
            problems.append(f"the XMP dc:title is {title!r}, not the article's title {wanted!r}")
        return CheckResult.judge(not problems, f"DisplayDocTitle {'true' if shown else 'missing'}, dc:title {title!r}", problems)


class PdfUaIdentifier(PdfCheck):
    name = "pdf-ua-identifier"
    description = "the XMP metadata claims PDF/UA-1 (pdfuaid:part 1)"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        with opened(self.checked_file(output)) as pdf:
            part = str(pdf.open_metadata().get("pdfuaid:part", "")) or None
        problems = [] if part == "1" else [f"pdfuaid:part is {part or 'missing'} in the XMP metadata, not 1: the file does not claim PDF/UA-1"]
        return CheckResult.judge(not problems, f"pdfuaid:part {part or 'missing'}", problems)


class PdfFontsEmbedded(PdfCheck):
    name = "pdf-fonts-embedded"
    description = "every font is embedded, so the leaflet prints and reads the same everywhere"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_reading import fonts

        with opened(self.checked_file(output)) as pdf:
            found = {font.objgen: font for font in fonts(pdf)}
            missing = sorted({str(font.get("/BaseFont", "(unnamed)")) for font in found.values() if not _embedded(font)})
        problems = [f"font {name} is not embedded: viewers substitute another, and PDF/UA forbids it" for name in missing]
        return CheckResult.judge(not missing, f"{len(found) - len(missing)}/{len(found)} fonts embedded", problems)


def _embedded(font: Any) -> bool:
    """Type0 fonts are embedded through their descendants (checked themselves), Type3 fonts
    are drawn by the file itself; any other font needs a font file in its descriptor."""
    subtype = str(font.get("/Subtype", ""))
    if subtype in ("/Type0", "/Type3"):
        return True
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


class PdfPageLimit(PdfCheck):
    name = "pdf-page-limit"
    description = "the PDF has no more pages than the limit it was built with (--max-pages)"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        with opened(self.checked_file(output)) as pdf:
            pages = len(pdf.pages)
        limit = int(output.options.get("max_pages") or 0)
        if not limit:
            return CheckResult("pass", f"{counted(pages, 'page')} (no limit)")
        problems = [] if pages <= limit else [f"{counted(pages, 'page')}, more than the limit of {limit}: shorten the article, or build with --max-pages {pages}"]
        return CheckResult.judge(not problems, f"{counted(pages, 'page')} (limit {limit})", problems)


class PdfLargePrintSize(PdfCheck):
    name = "pdf-large-print-size"
    description = f"the large-print edition's body text is {LARGE_PRINT_BODY_PT:g}pt or more (RNIB clear print)"
    renderers = ("pdf-large",)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_reading import font_sizes

        sizes = font_sizes(self.checked_file(output))
        if not sizes:
            return CheckResult("fail", "no text", ("the PDF has no text layer: nothing to measure",))
        body = Counter(sizes).most_common(1)[0][0]
        figure = f"body {body:g}pt (the size of most characters), smallest {min(sizes):g}pt"
        problems = [] if body >= LARGE_PRINT_BODY_PT else [f"the body text is {body:g}pt, under the {LARGE_PRINT_BODY_PT:g}pt large print needs"]
        return CheckResult.judge(not problems, figure, problems)


class PdfParity(Parity):
    name = "pdf-parity"
    description = "the PDF's text layer holds every sentence of the source, once and in order, and nothing the source or catalogue does not say (page furniture aside)"
    media_types = (MEDIA_TYPE,)

    def passages(self, source: Source, output: Output) -> list[Passage]:
        from pipeline.verify.checks.pdf_reading import content_text

        return [Passage(content_text(self.checked_file(output)), "the text layer")]
