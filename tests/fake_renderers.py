"""Renderers that exist only for tests: they prove the plugin road without heavy libraries."""

from __future__ import annotations

from pipeline.model import Article
from pipeline.registry import Option, Renderer, RenderJob


class TitleRenderer(Renderer):
    name = "title"
    extension = ".title"
    media_type = "text/plain"
    description = "The title only"
    options = {"shout": Option(default="no", help="Upper-case the title", choices=("yes", "no"))}

    def render(self, article: Article, job: RenderJob) -> None:
        title = article.title.upper() if job.options["shout"] == "yes" else article.title
        job.path.write_text(title + "\n", encoding="utf-8")


class FailingRenderer(Renderer):
    name = "failing"
    extension = ".txt"
    media_type = "text/plain"

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text("half", encoding="utf-8")
        raise RuntimeError("disk on fire")


class NotARenderer:
    pass
