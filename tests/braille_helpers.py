"""Building and reading the braille edition in tests, without the build engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.braille import brf, tables
from pipeline.model import Article
from pipeline.registry import RenderJob
from pipeline.renderers.braille import BrailleRenderer

needs_liblouis = pytest.mark.skipif(
    not tables.available(), reason="LIBLOUIS NOT INSTALLED: `make test` installs Debian's liblouis-bin and python3-louis"
)
BRAILLE_ARTICLES = Path(__file__).resolve().parent / "braille"


def render(article: Article, folder: Path, **options: object) -> tuple[Path, Path]:
    """The article's BRF and PEF, written into `folder` as the renderer writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    path, pef_path = folder / f"{article.id}.brf", folder / f"{article.id}.pef"
    chosen = {key: option.default for key, option in BrailleRenderer.options.items()} | options
    BrailleRenderer().render(article, RenderJob(path, chosen, {".pef": pef_path}))
    return path, pef_path


def pages(path: Path) -> list[list[str]]:
    return brf.decode(path.read_bytes())
