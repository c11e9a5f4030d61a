"""EPUB 3 e-book: reflowable, navigable, described for accessibility (EPUB Accessibility 1.1).

The package is `_epub_package`'s, shared with the read-along edition; this edition is its
text-only default.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.locale import CATALOGUE_FILES
from pipeline.model import Article
from pipeline.registry import Renderer, RenderJob
from pipeline.renderers._epub_package import STYLESHEET_PATH, to_epub


class EpubRenderer(Renderer):
    name = "epub"
    extension = ".epub"
    media_type = "application/epub+zip"
    description = "EPUB 3 e-book: reflowable, with EPUB Accessibility 1.1 metadata"
    cost = 0.2
    offered_as = "e-book"
    shows_logo = True
    lists_formats = True

    def assets(self) -> Iterable[Path]:
        return (STYLESHEET_PATH, *CATALOGUE_FILES)

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_bytes(to_epub(article, job.source_date_epoch, formats=job.formats))
