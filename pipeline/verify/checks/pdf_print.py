"""Clear print, measured on the PDF's characters: no text under 12pt, lines well apart.

The RNIB's clear-print guidance (which the NHS follows) sets 12pt as the smallest size for
printed patient information; the leaflet and the large-print edition are held to it, footer,
table and references included, and to a line spacing of at least 1.35 times the text size.
"""

from __future__ import annotations

from pipeline.text.language import primary_language
from pipeline.verify.checks import Check, CheckResult, Output, Source
from pipeline.verify.checks.pdf import MEDIA_TYPE

SMALLEST_PT = 12.0
LINE_SPACING = 1.35
SLOPING_SCRIPTS = {"ur": "Nastaliq"}
"""Languages set in a script whose words slope down to the baseline: their characters share no
baseline a line's spacing could be measured from, so only the sizes are checked."""


class PdfClearPrint(Check):
    name = "pdf-clear-print"
    description = f"every character is {SMALLEST_PT:g}pt or more and lines are {LINE_SPACING:g} times their size apart or more (RNIB clear print)"
    media_types = (MEDIA_TYPE,)
    renderers = ("pdf", "pdf-large")

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.pdf_reading import font_sizes, line_spacings

        path = self.checked_file(output)
        sloping = SLOPING_SCRIPTS.get(primary_language(source.article.lang)) if source is not None else None
        sizes, spacings = font_sizes(path), ([] if sloping else line_spacings(path))
        if not sizes:
            return CheckResult("fail", "no text", ("the PDF has no text layer: nothing to measure",))
        smallest, tightest = min(sizes), round(min(spacings, default=LINE_SPACING), 2)
        problems = []
        if smallest < SMALLEST_PT:
            small = sum(size < SMALLEST_PT for size in sizes)
            problems.append(f"{small} characters are under {SMALLEST_PT:g}pt (the smallest {smallest:g}pt): raise the sizes in pipeline/assets/pdf/")
        if tightest < LINE_SPACING - 0.005:
            problems.append(f"lines are {tightest:g} times their text size apart, under {LINE_SPACING:g}: raise line-height in pipeline/assets/pdf/")
        spacing = f"line spacing not measured ({sloping} slopes: its characters share no baseline)" if sloping else f"line spacing {tightest:g} or more"
        return CheckResult.judge(not problems, f"smallest text {smallest:g}pt, {spacing}", problems)
