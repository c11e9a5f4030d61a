"""The files the PDF typesetter may read, named without importing WeasyPrint.

The build engine asks every renderer for its assets while planning, in the parent process;
keeping this list apart from `_weasyprint` keeps that planning light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline import ASSETS

FONTS_CSS = ASSETS / "fonts" / "fonts.css"
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")


def font_files() -> list[Path]:
    return sorted(path for path in (ASSETS / "fonts").rglob("*") if path.suffix in FONT_SUFFIXES)


def asset_files(stylesheets: Sequence[Path]) -> tuple[Path, ...]:
    """Every file the typesetter may read: the fonts, their rules and the given stylesheets."""
    return (FONTS_CSS, *stylesheets, *font_files())
