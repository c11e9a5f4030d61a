"""Renderers that exist only for tests: they prove the plugin road without heavy libraries."""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.model import Article, walk
from pipeline.registry import Option, Renderer, RenderJob


class FakeRenderer(Renderer):
    """Base of the test renderers: plain text, named `.NAME` unless a class says otherwise."""

    media_type = "text/plain"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "extension" not in cls.__dict__:
            cls.extension = f".{cls.name}"


class TitleRenderer(FakeRenderer):
    name = "title"
    description = "The title only"
    options = {"shout": Option(default="no", help="Upper-case the title", choices=("yes", "no"))}

    def render(self, article: Article, job: RenderJob) -> None:
        title = article.title.upper() if job.options["shout"] == "yes" else article.title
        job.path.write_text(title + "\n", encoding="utf-8")


class FailingRenderer(FakeRenderer):
    name = "failing"
    extension = ".txt"

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text("half", encoding="utf-8")
        raise RuntimeError("disk on fire")


class NotARenderer:
    pass


class SlowRenderer(FakeRenderer):
    """Writes a little, then waits for a child process: long enough to be interrupted or stopped.

    It leaves its own and its child's process ids in the cache folder, and a scratch file of its
    own in the temporary folder, so that tests can check that all of them are gone afterwards.
    """

    name = "slow"
    options = {"seconds": Option(default=120.0, help="How long to wait", parse=float)}

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text("started\n", encoding="utf-8")
        tempfile.NamedTemporaryFile(prefix="slow-", delete=False).close()
        child = subprocess.Popen(["sleep", str(job.options["seconds"])])
        job.cache_dir.mkdir(parents=True, exist_ok=True)
        (job.cache_dir / "slow.pids").write_text(f"{os.getpid()} {child.pid}", encoding="utf-8")
        child.wait()
        job.path.write_text(article.title + "\n", encoding="utf-8")


class HangingRenderer(SlowRenderer):
    """Never finishes on its own; declares a short time limit of its own."""

    name = "hanging"
    timeout = 2.0


class ExitingRenderer(FakeRenderer):
    """Ends its process at once, as a library calling exit() in C would."""

    name = "exiting"

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text("half", encoding="utf-8")
        print("about to leave", flush=True)
        os._exit(3)


class KilledRenderer(FakeRenderer):
    """Its process is killed (SIGKILL), as the kernel's out-of-memory killer would."""

    name = "killed"

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text("half", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)


class SegfaultRenderer(FakeRenderer):
    """Crashes in native code (reads address 0)."""

    name = "segfault"

    def render(self, article: Article, job: RenderJob) -> None:
        ctypes.string_at(0)


class PickyRenderer(FakeRenderer):
    """Fails for one article only (its id given by the option), like a renderer meeting a content it cannot lay out."""

    name = "picky"
    options = {"refuse": Option(default="", help="Article id to refuse")}

    def render(self, article: Article, job: RenderJob) -> None:
        if article.id == job.options["refuse"]:
            raise ValueError(f"cannot lay out {article.id}")
        job.path.write_text(article.id + "\n", encoding="utf-8")


class DiskFullRenderer(FakeRenderer):
    """Meets a full disk half way through writing its output."""

    name = "diskfull"

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(job.path))


class HeavyRenderer(FakeRenderer):
    """Imports its 'heavy library' inside render, as real renderers must."""

    name = "heavy"

    def render(self, article: Article, job: RenderJob) -> None:
        import fake_heavy

        job.path.write_text(fake_heavy.WEIGHT, encoding="utf-8")


class StyledRenderer(FakeRenderer):
    """Shapes its output with an asset file (named by $FAKE_STYLESHEET), like a stylesheet or a lexicon."""

    name = "styled"

    def assets(self) -> list[Path]:
        return [Path(os.environ["FAKE_STYLESHEET"])]

    def render(self, article: Article, job: RenderJob) -> None:
        style = self.assets()[0].read_text(encoding="utf-8").strip()
        job.path.write_text(f"[{style}] {article.title}\n", encoding="utf-8")


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


        raw = "\n".join(walk.article_texts(article))
        with zipfile.ZipFile(job.path, "w") as archive:
            archive.writestr("page.xhtml", f"<html><body>{raw}</body></html>")
            for index, url in enumerate(re.findall(r'src="([^"]+)"', raw)):
                with urllib.request.urlopen(url, timeout=5) as response:
                    archive.writestr(f"resource{index}", response.read())


class SharingRenderer(FakeRenderer):
    """Declares work shared with `SharingTwinRenderer`; notes in the cache when it renders."""

    name = "sharing"
    shares = ("stamp",)

    def render(self, article: Article, job: RenderJob) -> None:
        import time

        job.cache_dir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        time.sleep(0.3)
        with open(job.cache_dir / "intervals", "a", encoding="utf-8") as log:
            log.write(f"{self.name} {started} {time.monotonic()}\n")
        job.path.write_text(article.id + "\n", encoding="utf-8")


class SharingTwinRenderer(SharingRenderer):
    name = "sharing-twin"


class CostlyRenderer(TitleRenderer):
    """Says it takes long: the engine should start it before cheaper outputs."""

    name = "costly"
    cost = 50.0


class IndexRenderer(FakeRenderer):
    """Links to the title renderer's output, as the web page links to the audio edition."""

    name = "index"
    requires = ("title",)

    def render(self, article: Article, job: RenderJob) -> None:
        job.path.write_text(f"see {job.linked['title'][0]}\n", encoding="utf-8")


class ShoutingTitleRenderer(TitleRenderer):
    """Declares the same option as `title`, so that a build can set the two apart."""

    name = "shouting"
    extension = ".shouting"
