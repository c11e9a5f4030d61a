"""The files the PDF typesetter may read, named without importing WeasyPrint.

The build engine asks every renderer for its assets while planning, in the parent process;
keeping this list apart from `_weasyprint` keeps that planning light.

Most fonts are vendored in `assets/fonts/`. Noto Sans SC (Simplified Chinese) is too large for
the repository: `make fonts` (part of `make all` and `make test`) installs the pinned npm package
below under the git-ignored `.tools/fonts/`, and only its Han slices are used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline import ASSETS
from pipeline.remembered import remembered

FONTS_CSS = ASSETS / "fonts" / "fonts.css"
SCRIPTS_CSS = ASSETS / "fonts" / "scripts.css"
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")
NODE_MODULES = Path(__file__).resolve().parents[2] / ".tools" / "fonts" / "node_modules"


@dataclass(frozen=True)
class FontPackage:
    """An npm font package: its @font-face rules and the files of theirs we use."""

    name: str
    version: str
    stylesheets: tuple[str, ...]
    files: str  # a regular expression for the file names we use

    @property
    def folder(self) -> Path:
        return NODE_MODULES / self.name

    def installed(self) -> bool:
        """Whether `make fonts` installed it; remembered with its package.json, so that what
        depends on the answer (a build's stamp) notices the package arrive or go."""
        manifest = self.folder / "package.json"
        return remembered(f"installed:{manifest}", lambda: ([manifest], manifest.is_file()))

    def font_files(self) -> list[Path]:
        pattern = re.compile(self.files)
        return sorted(path for path in (self.folder / "files").glob("*.woff") if pattern.fullmatch(path.name))


NOTO_SANS_SC = FontPackage(
    "@fontsource/noto-sans-sc", "5.3.0", ("400.css", "700.css"), r"noto-sans-sc-\d+-(400|700)-normal\.woff"
)
FONT_PACKAGES = (NOTO_SANS_SC,)


def font_stylesheets() -> tuple[Path, ...]:
    """Every stylesheet of @font-face rules, ours first."""
    packaged = (package.folder / sheet for package in FONT_PACKAGES if package.installed() for sheet in package.stylesheets)
    return (FONTS_CSS, SCRIPTS_CSS, *packaged)


@cache
def font_files() -> tuple[Path, ...]:
    """Every font file, looked for once per process: each PDF renderer's assets and its font
    faces ask, and Noto Sans SC's slices alone are hundreds of files."""
    vendored = sorted(path for path in (ASSETS / "fonts").rglob("*") if path.suffix in FONT_SUFFIXES)
    return (*vendored, *(path for package in FONT_PACKAGES if package.installed() for path in package.font_files()))


def asset_files(stylesheets: Sequence[Path]) -> tuple[Path, ...]:
    """Every file the typesetter may read: the fonts, their rules and the given stylesheets."""
    return (*font_stylesheets(), *stylesheets, *font_files())


def missing_fonts_hint() -> str:
    """What to run when a font package the renderer looks for is not installed, or ""."""
    absent = [f"{package.name} {package.version}" for package in FONT_PACKAGES if not package.installed()]
    return f" ({', '.join(absent)} not installed: run `make fonts`)" if absent else ""
