"""The fonts one document needs, declared for WeasyPrint, and the order it tries them in.

WeasyPrint reads, unpacks and registers every @font-face it is given, for each document, and
Noto Sans SC alone comes as about a hundred slices per weight. So a document declares only
the faces it can use: faces without a unicode-range (the text font, DejaVu Sans) always, and a
ranged face when the document holds a character of its range that neither the text font nor
DejaVu Sans draws, or, for the language's own script font, that the text font lacks. A
Chinese leaflet thus loads the few Han slices its characters fall in, and WeasyPrint embeds
each cut down to the glyphs used, so the PDF carries kilobytes, not the whole font.

WeasyPrint keys the fonts it embeds by family, weight and style, so two slices of one family
(Noto Sans SC's, Noto Emoji's) used in one document would be merged into one PDF font and print
the wrong glyphs. Each slice is therefore declared as a family of its own ("Noto Sans SC s3"),
its weights sharing it, and all of them are listed where the family would be.

The language decides which script font leads the family list: Urdu is set in Nastaliq, as
its readers expect, and Noto Nastaliq Urdu is declared for Urdu only; other Arabic-script
text is set in Noto Naskh Arabic. Which font a character of another script gets follows from
the unicode ranges, whatever the language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from pipeline.renderers._pdf_assets import font_files, font_stylesheets

TEXT_FAMILY = "Atkinson Hyperlegible"
TEXT_EXTENDED_FAMILY = "Atkinson Hyperlegible Latin Extended"
"""The text font's latin-ext subset (ł, ą, ș ...), declared as a family of its own (fonts.css says why)."""
FALLBACK_FAMILY = "DejaVu Sans"
LAST_FAMILIES = (FALLBACK_FAMILY, "Noto Emoji")
NASKH, NASTALIQ = "Noto Naskh Arabic", "Noto Nastaliq Urdu"
SCRIPT_FAMILIES = {
    "arab": NASKH,
    "deva": "Noto Sans Devanagari",
    "beng": "Noto Sans Bengali",
    "guru": "Noto Sans Gurmukhi",
    "hans": "Noto Sans SC",
}
LANGUAGE_SCRIPTS = {
    **dict.fromkeys(("ar", "fa", "ps", "ckb", "sd", "ug"), "arab"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "mai", "bho"), "deva"),
    **dict.fromkeys(("bn", "as"), "beng"),
    "pa": "guru",
    "zh": "hans",
}
NASTALIQ_LANGUAGES = frozenset({"ur", "ks", "skr"})
FORMATS = {".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}
MARGIN_BOXES = ("top-left", "top-center", "top-right", "bottom-left", "bottom-center", "bottom-right")
_RANGE = re.compile(r"U\+([0-9A-Fa-f?]+)(?:-([0-9A-Fa-f]+))?")
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Face:
    family: str
    style: str
    weight: str
    path: Path
    ranges: tuple[tuple[int, int], ...]  # empty: the face is meant for every character

    def meets(self, points: frozenset[int]) -> bool:
        return not points.isdisjoint(self.points)

    @cached_property
    def points(self) -> frozenset[int]:
        return frozenset(point for start, end in self.ranges for point in range(start, end + 1))

    def rule(self, family: str, used: frozenset[int]) -> str:
        """The @font-face rule; a ranged face's range narrowed to the characters `used`, which
        is all it will draw here, and spares WeasyPrint and fontconfig the thousands of ranges
        a Han slice declares (parsed again for every document)."""
        unicode_range = ",".join(f"U+{start:X}-{end:X}" for start, end in _spans(self.points & used)) if self.ranges else ""
        return (
            f"@font-face {{ font-family: '{family}'; font-style: {self.style}; font-weight: {self.weight}; "
            f"src: url({self.path.as_uri()}) format('{FORMATS[self.path.suffix]}');" + (f" unicode-range: {unicode_range};" if unicode_range else "") + " }"
        )


@dataclass(frozen=True)
class FontSetup:
    """The @font-face rules and family lists for one document, and the files they name."""

    css: str
    files: tuple[Path, ...]


def leading_family(lang: str) -> str | None:
    """The script font for `lang` (a BCP 47 tag): its script subtag decides, else the language."""
    subtags = lang.lower().replace("_", "-").split("-")
    language = subtags[0]
    script = next((tag for tag in subtags[1:] if len(tag) == 4 and tag.isalpha()), None) or LANGUAGE_SCRIPTS.get(language)
    if language in NASTALIQ_LANGUAGES or (language == "pa" and script == "arab"):
        return NASTALIQ
    return SCRIPT_FAMILIES.get(script or "")


def font_setup(lang: str, text: str) -> FontSetup:
    """What WeasyPrint needs to print `text` (the document and its stylesheets) in `lang`."""
    leading = leading_family(lang)
    needed = frozenset(ord(char) for char in text) - _points(TEXT_FAMILY) - _points(TEXT_EXTENDED_FAMILY)
    unmet = needed - _points(FALLBACK_FAMILY)
    faces = [
        face
        for face in all_faces()
        if not face.ranges
        or (face.family == leading and face.meets(needed))
        or (face.meets(unmet) and face.family != NASTALIQ)
    ]
    names = _slice_names(faces)
    order = [TEXT_FAMILY, TEXT_EXTENDED_FAMILY, leading, *(face.family for face in faces), *LAST_FAMILIES]
    families = ", ".join(f"'{name}'" for family in dict.fromkeys(order) for name in names.get(family, {}).values())
    margins = " ".join(f"@{box} {{ font-family: {families}; }}" for box in MARGIN_BOXES)
    rules = (face.rule(names[face.family][face.ranges], needed) for face in faces)
    css = "\n".join((*rules, f"html {{ font-family: {families}; }}", f"@page {{ {margins} }}"))
    return FontSetup(css, tuple(face.path for face in faces))


def _slice_names(faces: Iterable[Face]) -> dict[str, dict[tuple[tuple[int, int], ...], str]]:
    """family -> its slices (by unicode range) -> the family name each is declared under."""
    slices: dict[str, dict[tuple[tuple[int, int], ...], str]] = {}
    for face in faces:
        slices.setdefault(face.family, {}).setdefault(face.ranges, face.family)
    for family, ranges in slices.items():
        if len(ranges) > 1:
            slices[family] = {key: f"{family} s{number}" for number, key in enumerate(ranges, 1)}
    return slices


@cache
def all_faces() -> tuple[Face, ...]:
    """Every @font-face of our stylesheets and the installed font packages, in their order,
    each with its WOFF or TrueType file (WOFF2 would need Brotli); a package's faces only
    where we use its file (Noto Sans SC's Han slices, not its Latin ones)."""
    usable = {path.resolve() for path in font_files()}
    faces = []
    for sheet in font_stylesheets():
        for block in _FONT_FACE.findall(_COMMENT.sub("", sheet.read_text(encoding="utf-8"))):
            values = {name.strip().lower(): value.strip() for name, _, value in (item.partition(":") for item in block.split(";"))}
            urls = [url for url in _URL.findall(values.get("src", "")) if not url.endswith(".woff2")]
            path = (sheet.parent / urls[0]).resolve() if urls else None
            if path in usable:
                family = values["font-family"].strip("'\"")
                ranges = tuple(_ranges(values.get("unicode-range", "")))
                faces.append(Face(family, values.get("font-style", "normal"), values.get("font-weight", "400"), path, ranges))
    return tuple(faces)


def _spans(points: Iterable[int]) -> list[tuple[int, int]]:
    """Code points as the fewest (first, last) runs."""
    spans: list[tuple[int, int]] = []
    for point in sorted(points):
        if spans and spans[-1][1] == point - 1:
            spans[-1] = (spans[-1][0], point)
        else:
            spans.append((point, point))
    return spans


def _ranges(value: str) -> Iterable[tuple[int, int]]:
    for start, end in _RANGE.findall(value):
        if "?" in start:
            yield int(start.replace("?", "0"), 16), int(start.replace("?", "F"), 16)
        else:
            yield int(start, 16), int(end or start, 16)


@cache
def _points(family: str) -> frozenset[int]:
    """Characters `family` draws (and white space)."""
    from fontTools.ttLib import TTFont

    points = {ord(char) for char in " \t\n\r\f\u00a0"}
    for face in all_faces():
        if face.family == family and face.weight == "400" and face.style == "normal":
            with TTFont(face.path, lazy=True) as font:
                points.update(font.getBestCmap())
    return frozenset(points)
