"""A right-to-left line read back as written: /ActualText around the clusters that need it.

Text extraction (pdftotext, PDFium, copy and paste) rebuilds a right-to-left line from its
glyphs, which WeasyPrint writes in visual order, and reorders them with its own bidi rules. That
works glyph by glyph, and fails where the fonts draw a letter as several glyphs:

- Noto Naskh and Noto Nastaliq draw dotted letters as a dotless skeleton plus a dot mark, and
  one skeleton or dot glyph serves many letters (ر and ز, ت ق and ة...). A ToUnicode map gives
  each glyph one meaning, so no map can be right: the cluster needs /ActualText.
- The marks are raised or lowered by text rise (`Ts`), each in its own text run. A run off the
  baseline ends the word (pdftotext) or the line (PDFium) unless it sits inside a span that
  starts on the baseline: so each span draws its baseline glyphs first, then its marks, and
  starts and ends with an invisible space glyph at the cluster's edges, which tell pdftotext
  where the cluster stands.
- pdftotext 22.12 counts ASCII `.` `,` `:` as numbers, and so moves them with the space that
  follows to the wrong side. A neutral sign in a right-to-left run therefore gets the ActualText
  "RLM + sign" (U+200F, an invisible right-to-left mark, as W3C advises beside such signs).

Each span's ActualText is its cluster's text in logical order, as the PDF standard says. A line
set right to left carries no line-wide /ActualText: readers reorder it themselves, and both
tools reverse a line-wide text (tests/test_pdf_scripts.py records what PDFium still does wrong).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from io import BytesIO

import pydyf
from fontTools.ttLib import TTFont
from weasyprint.text.ffi import ffi, pango

RIGHT_TO_LEFT_MARK = "\u200f"
NEUTRAL_SIGNS = frozenset({"CS", "ES", "ET"})  # bidi classes pdftotext 22.12 reads as numbers


@dataclass(frozen=True)
class Glyph:
    id: int
    x_offset: float  # in text space thousandths, as WeasyPrint writes it
    span: int | None  # index into LinePlan.texts, None when the glyph reads right alone


@dataclass(frozen=True)
class LinePlan:
    glyphs: tuple[Glyph, ...]
    texts: tuple[str, ...]


def line_plan(stream, box) -> LinePlan:
    """Every glyph WeasyPrint will draw for the box's line, in drawing order, with its span."""
    layout = box.pango_layout
    first_line, _ = layout.get_first_line()
    data = layout.text.encode()
    glyphs: list[Glyph] = []
    texts: list[str] = []
    predicted: dict[tuple[str, int], str] = {}
    run = first_line.runs[0]
    while run != ffi.NULL:
        item, run = run.data, run.next
        font, font_size = stream.add_font(item.item.analysis.font)
        if pango.pango_version() < 14802 or font.png:  # as WeasyPrint's draw_first_line does
            font_size = box.style["font_size"]
        rtl = bool(item.item.analysis.level % 2)
        for text, members in _clusters(item, data, rtl):
            mapped = [_mapping(font, predicted, glyph_id, own) for glyph_id, own, _ in members]
            raised = any(info.geometry.y_offset for *_, info in members)
            span = None
            if rtl and len(text) == 1 and unicodedata.bidirectional(text) in NEUTRAL_SIGNS:
                texts.append(RIGHT_TO_LEFT_MARK + text)
                span = len(texts) - 1
            elif text.strip() and (raised or mapped != [text]):
                texts.append(text)
                span = len(texts) - 1
            for glyph_id, _, info in members:
                glyphs.append(Glyph(glyph_id, info.geometry.x_offset / font_size, span))
    return LinePlan(tuple(glyphs), tuple(texts))


def _clusters(item, data: bytes, rtl: bool):
    """(text, [(glyph id, text WeasyPrint maps the glyph to, glyph info)]) per cluster."""
    glyph_string = item.glyphs
    count, starts = glyph_string.num_glyphs, glyph_string.log_clusters
    offset, length = item.item.offset, item.item.length

    def end_of(first: int, last: int) -> int:
        if rtl:
            return length if first == 0 else starts[first - 1]
        return length if last == count - 1 else starts[last + 1]

    first = 0
    while first < count:
        last = first
        while last + 1 < count and starts[last + 1] == starts[first]:
            last += 1
        members = []
        for index in range(first, last + 1):
            if (info := glyph_string.glyphs[index]).glyph != pango.PANGO_GLYPH_EMPTY:
                members.append((info.glyph, data[offset + starts[index] : offset + end_of(index, index)].decode(), info))
        yield data[offset + starts[first] : offset + end_of(first, last)].decode(), members
        first = last + 1


def _mapping(font, predicted: dict, glyph_id: int, own: str) -> str:
    """The text the file's ToUnicode map will give the glyph: its first use wins."""
    if glyph_id in font.to_unicode:
        return font.to_unicode[glyph_id]
    return predicted.setdefault((font.hash, glyph_id), own)


@cache
def _space(file_content: bytes, index: int) -> tuple[int, int] | None:
    """The font's space glyph and its advance in thousandths of an em, if it has one."""
    with TTFont(BytesIO(file_content), fontNumber=index, lazy=True) as font:
        if (name := font.getBestCmap().get(0x20)) is None:
            return None
        return font.getGlyphID(name), round(font["hmtx"][name][0] * 1000 / font["head"].unitsPerEm)


def space_glyph(font) -> int | None:
    """The space glyph, registered with the font's widths so the file gives its advance."""
    found = _space(font.file_content, font.index)
    if found is None:
        return None
    glyph_id, width = found
    font.widths.setdefault(glyph_id, width)
    font.to_unicode.setdefault(glyph_id, " ")
    return glyph_id


class LineWriter:
    """Collects what WeasyPrint draws of one line (fonts, rises, glyph runs), then writes it
    again with each span's glyphs inside `/Span <</ActualText>> BDC ... EMC`."""

    def __init__(self, plan: LinePlan) -> None:
        self._glyphs = iter(plan.glyphs)
        self._texts = plan.texts
        self._items: list[tuple] = []
        self._rise = 0.0
        self._font = None

    def set_font_size(self, key: str, size: float, font) -> None:
        self._items.append(("font", key, size))
        self._font = font

    def set_text_rise(self, rise: float) -> None:
        self._rise = rise

    def show_text(self, text: str) -> None:
        digits = 2 if self._font.bitmap else 4
        for hexadecimal, number in _TOKEN.findall(text):
            if number:
                self._items.append(("num", float(number)))
            for start in range(0, len(hexadecimal), digits):
                glyph_id = int(hexadecimal[start : start + digits], 16)
                glyph = next(self._glyphs, None)
                if glyph is None or glyph.id != glyph_id:  # never seen; keep the glyph, drop its span
                    glyph = Glyph(glyph_id, 0.0, None)
                self._items.append(("glyph", glyph, self._rise, self._font))

    def write(self, out) -> None:
        """Write the line through `out`, a pydyf stream."""
        items, start = self._items, 0
        while start < len(items):
            span = _span(items[start])
            end = start + 1
            while end < len(items) and (_span(items[end]) == span or (span is not None and items[end][0] != "glyph")):
                end += 1
            if span is None:
                _emit(out, items[start:end])
            else:
                while items[end - 1][0] != "glyph":  # kerning after the span's last glyph stays inside
                    end -= 1
                end += _kerning_after(items, end)
                out.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(self._texts[span])}))
                _emit(out, _baseline_first(items[start:end]))
                out.end_marked_content()
            start = end


_TOKEN = re.compile(r"<([0-9a-fA-F]*)>|(-?[0-9.]+(?:e-?[0-9]+)?)")


def _span(item: tuple) -> int | None:
    return item[1].span if item[0] == "glyph" else None


def _kerning_after(items: list[tuple], end: int) -> int:
    """1 if the number after the span's last glyph is that glyph's kerning, not the next
    glyph's horizontal offset (WeasyPrint writes each only when it is not zero)."""
    numbers = 0
    while end + numbers < len(items) and items[end + numbers][0] == "num":
        numbers += 1
    following = items[end + numbers] if end + numbers < len(items) else None
    if numbers == 2 or (numbers == 1 and (following is None or following[0] != "glyph" or not following[1].x_offset)):
        return 1
    return 0


def _baseline_first(items: list[tuple]) -> list[tuple]:
    """The span's glyphs at the same places, baseline glyphs drawn before raised ones, between
    two space glyphs (which draw nothing) at the span's edges."""
    if any(item[0] == "font" for item in items):
        return items
    placed, position = [], 0.0
    for item in items:
        if item[0] == "num":
            position -= item[1]
        else:
            placed.append((position, item))
            position += item[3].widths[item[1].id]
    order = [entry for entry in placed if not entry[1][2]] + [entry for entry in placed if entry[1][2]]
    font = placed[0][1][3]
    space = space_glyph(font)
    if space is not None:
        edge = Glyph(space, 0.0, None)
        order = [(-placed[0][1][1].x_offset, ("glyph", edge, 0.0, font))] + order
        order.append((position - font.widths[space], ("glyph", edge, 0.0, font)))
    written, pen = [], 0.0
    for start, item in order:
        if start != pen:
            written.append(("num", pen - start))
        written.append(item)
        pen = start + item[3].widths[item[1].id]
    if position != pen:
        written.append(("num", pen - position))
    return written


def _emit(out, items: list[tuple]) -> None:
    rise, run = 0.0, []

    def flush() -> None:
        if run:
            out.show_text(" ".join(run))
            run.clear()

    for item in items:
        if item[0] == "font":
            flush()
            out.set_font_size(item[1], item[2])
        elif item[0] == "num":
            run.append(f"{item[1]:g}")
        else:
            if item[2] != rise:
                flush()
                out.set_text_rise(item[2])
                rise = item[2]
            run.append(f"<{item[1].id:02x}>" if item[3].bitmap else f"<{item[1].id:04x}>")
    flush()
    if rise:
        out.set_text_rise(0)
