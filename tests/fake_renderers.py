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


class WebPageRenderer(Renderer):
    """A web page from the shared HTML builder: what a careful HTML-based format writes."""

    name = "webpage"
    extension = ".html"
    media_type = "text/html"

    def render(self, article: Article, job: RenderJob) -> None:
        from pipeline.renderers import _html

        job.path.write_text(_html.document(article, "style.css", _html.body(article)), encoding="utf-8")


class CarelessArchiveRenderer(Renderer):
    """What the hostile-content checks exist to catch: source text pasted into XHTML unescaped,
    and every src= fetched and packed, as an engine that follows URLs would."""

    name = "careless"
    extension = ".zip"
    media_type = "application/zip"

    def render(self, article: Article, job: RenderJob) -> None:
        import re
        import urllib.request
        import zipfile

        from pipeline import text

        raw = "\n".join(text.article_texts(article))
        with zipfile.ZipFile(job.path, "w") as archive:
            archive.writestr("page.xhtml", f"<html><body>{raw}</body></html>")
            for index, url in enumerate(re.findall(r'src="([^"]+)"', raw)):
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the point of this fake
                    archive.writestr(f"resource{index}", response.read())
