"""The rendered page: every glyph of text leaves ink a reader can see, in enough contrast.

A PDF's text can be there for software and absent for the eye: drawn in an invisible render
mode (3 or 7), placed off the page or clipped away, painted over by a shape drawn after it, or
in a colour too close to what is under it. PDFium renders each page twice, as it is and with
every text object made invisible (an in-memory copy, the file untouched); where a glyph stands,
the two pictures must differ, and the glyph's fill colour must contrast with the picture
without text under it by WCAG 2's ratio: 4.5:1, or 3:1 for large text (18pt, or 14pt bold).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.pdf import MEDIA_TYPE

if TYPE_CHECKING:
    from pipeline.verify.checks.pdf_glyphs import Glyph, Page

SCALE = 1.5
"""Pixels per point: a 12pt full stop still covers a few pixels."""
CONTRAST, LARGE_CONTRAST = 4.5, 3.0
LARGE_PT, LARGE_BOLD_PT = 18.0, 14.0
SHOWN = 5


@dataclass(frozen=True)
class Finding:
    where: str
    text: str
    problem: str


def findings(path: Path) -> tuple[int, float, list[Finding]]:
    """(lines looked at, the lowest contrast met, one finding per line that fails)."""
    import pypdfium2 as pdfium

    from pipeline.verify.checks.pdf_glyphs import pages

    printed, bare = pdfium.PdfDocument(path), pdfium.PdfDocument(path)
    try:
        lines, lowest, found = 0, 21.0, []
        for page, shown, hidden in zip(pages(path), printed, bare, strict=True):
            pictures = Pictures(page, shown, hidden)
            for line, glyphs in _lines(page):
                lines += 1
                verdicts = [pictures.verdict(glyph) for glyph in glyphs if glyph.drawn]
                lowest = min([lowest, *(ratio for _problem, ratio in verdicts if ratio is not None)])
                problem = next((problem for problem, _ratio in verdicts if problem), None)
                if problem:
                    found.append(Finding(f"page {page.number}, line {line}", "".join(glyph.text for glyph in glyphs), problem))
    finally:
        printed.close()
        bare.close()
    return lines, lowest, found


def _lines(page: Page) -> Iterator[tuple[int, list[Glyph]]]:
    """Each printed line's glyphs, top line first (a line of spaces alone is none)."""
    lines: dict[int, list[Glyph]] = {}
    for index, glyph in enumerate(page.glyphs):
        lines.setdefault(page.lines[index], []).append(glyph)
    yield from sorted((number, glyphs) for number, glyphs in lines.items() if any(glyph.drawn for glyph in glyphs))


class Pictures:
    """A page rendered as printed and with its text made invisible, and their difference."""

    def __init__(self, page: Page, shown, hidden) -> None:
        import pypdfium2.raw as pdfium_c
        from PIL import ImageChops

        for item in hidden.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=16):
            pdfium_c.FPDFTextObj_SetTextRenderMode(item.raw, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
        self.page = page
        self.printed = shown.render(scale=SCALE).to_pil().convert("RGB")
        self.background = hidden.render(scale=SCALE, may_draw_forms=False).to_pil().convert("RGB")
        self.ink = ImageChops.difference(self.printed, self.background).convert("L").point(lambda value: 255 if value else 0)

    def verdict(self, glyph: Glyph) -> tuple[str | None, float | None]:
        """What keeps the glyph from being seen (None if nothing), and its contrast ratio."""
        if glyph.invisible:
            return f"drawn invisible (text render mode {glyph.render_mode})", None
        box = self._pixels(glyph.box)
        if box is None:
            return "outside the page", None
        if self.ink.crop(box).getbbox() is None:
            return "not drawn where it stands: covered by something drawn over it, or clipped away", None
        return self._contrast(glyph, box)

    def _contrast(self, glyph: Glyph, box: tuple[int, int, int, int]) -> tuple[str | None, float | None]:
        fill = rgb(glyph.fill)
        if fill is None:
            return None, None
        crop = self.background.crop(box)
        _count, under = max(crop.getcolors(crop.width * crop.height) or [(0, (255, 255, 255))])
        ratio = contrast_ratio(fill, tuple(value / 255 for value in under))
        needed = LARGE_CONTRAST if glyph.size >= LARGE_PT or (glyph.bold and glyph.size >= LARGE_BOLD_PT) else CONTRAST
        if ratio < needed:
            return f"{_hex(fill)} on {_hex(tuple(value / 255 for value in under))} has a contrast of {ratio:.2f}:1, under the {needed:g}:1 WCAG asks for {glyph.size:g}pt text", ratio
        return None, ratio

    def _pixels(self, box: tuple[float, float, float, float]) -> tuple[int, int, int, int] | None:
        """The glyph's box in the picture's pixels, cut to the page; None if it is off the page."""
        left, bottom, right, top = self.page.box
        x0, x1 = max(box[0], left), min(box[2], right)
        y0, y1 = max(box[1], bottom), min(box[3], top)
        if x1 - x0 <= 0 or y1 - y0 <= 0:
            return None
        pixels = (int((x0 - left) * SCALE), int((top - y1) * SCALE), int((x1 - left) * SCALE + 0.999), int((top - y0) * SCALE + 0.999))
        return pixels if pixels[2] > pixels[0] and pixels[3] > pixels[1] else None


def rgb(components: tuple[float, ...]) -> tuple[float, float, float] | None:
    """A fill colour as sRGB components from 0 to 1 (gray, RGB or CMYK); None for a pattern."""
    if len(components) == 1:
        return (components[0],) * 3
    if len(components) == 3:
        return components[0], components[1], components[2]
    if len(components) == 4:
        cyan, magenta, yellow, black = components
        return (1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black)
    return None


def contrast_ratio(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    """WCAG 2's contrast ratio of two sRGB colours, from 1 (none) to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: tuple[float, ...]) -> float:
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in color]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _hex(color: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(min(max(value, 0.0), 1.0) * 255):02x}" for value in color)


class PdfInk(Check):
    name = "pdf-ink"
    description = "every line of text shows on the rendered page: drawn visibly, on the page, not covered or clipped, and in WCAG contrast with what is under it"
    media_types = (MEDIA_TYPE,)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        lines, lowest, found = findings(self.checked_file(output))
        messages = [f'{finding.where}: "{_short(finding.text)}" cannot be seen: {finding.problem}' for finding in found[:SHOWN]]
        if len(found) > SHOWN:
            messages.append(f"... and {counted(len(found) - SHOWN, 'more line')} like these")
        figure = f"{lines - len(found)}/{counted(lines, 'line')} of text seen on the rendered pages, lowest contrast {lowest:.1f}:1"
        return CheckResult.judge(not found and lines > 0, figure, messages)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
