"""Renderers, found through the `pipeline.renderers` entry-point group and loaded when used.

The built-in formats arrive by the same road as a third party's, so the road is tested
every day. A renderer is a small class: `name`, `extension`, `media_type`, `version`,
declared `options`, and `render(article, job)` that writes `job.path` (and any sidecars).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, ClassVar

from pipeline.code_digest import code_digest
from pipeline.model import Article
from pipeline.remembered import file_digest

GROUP = "pipeline.renderers"
RENDERER_ATTRIBUTES = ("name", "extension", "media_type", "render")


@dataclass(frozen=True)
class Option:
    """One setting a renderer accepts, given as `--option NAME=VALUE` or `--NAME VALUE`."""

    default: Any
    help: str
    parse: Callable[[str], Any] = str
    choices: tuple[str, ...] = ()

    def read(self, raw: str) -> Any:
        if self.choices and raw not in self.choices:
            raise ValueError(f"'{raw}' is not one of {', '.join(self.choices)}")
        return self.parse(raw)


@dataclass(frozen=True)
class RenderJob:
    """Where a renderer writes, and what it may use; paths are temporary until committed."""

    path: Path
    options: Mapping[str, Any]
    sidecars: Mapping[str, Path] = field(default_factory=dict)
    cache_dir: Path | None = None
    source_date_epoch: int | None = None
    linked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The file names of the outputs the renderer `requires`, by renderer name (main file first,
    then its sidecars in declared order), beside this output in the article's folder."""
    formats: tuple[str, ...] = ()
    """The other formats this project builds, as the installed renderers name them for patients
    (`Renderer.offered_as`: "large print", "audio" ...), for the notice that they exist."""


class Renderer:
    """Base class for renderers; subclasses set the class attributes and `render`."""

    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Option]] = {}
    sidecars: ClassVar[Mapping[str, str]] = {}
    """Extra outputs written beside the main one: extension -> media type."""
    timeout: ClassVar[float] = 600.0
    """Seconds one render may take before the engine stops it; `pipeline build --timeout` overrides."""
    cost: ClassVar[float] = 1.0
    """Rough seconds one render of a typical article takes: the engine starts the costliest
    outputs first, so that short ones fill the end of a parallel build instead of one long
    one running alone."""
    shares: ClassVar[tuple[str, ...]] = ()
    """Costly work made once per article and shared with other renderers through the cache
    (e.g. "narration"). The engine renders one output per article and shared name at a time,
    so that the second one finds the work done instead of holding a worker while it waits."""

    offered_as: ClassVar[str] = ""
    """How the notice of other formats names this edition to a patient, one of
    `pipeline.text.issuing.FORMATS` ("large print", "braille", "audio", "e-book", "plain text"),
    or "" for none (the printed leaflet itself): the build passes every installed renderer's
    to each job (`RenderJob.formats`), so no renderer needs to know the others."""
    shows_logo: ClassVar[bool] = False
    """The output shows the publisher's logo: only then is the logo's digest part of its key,
    so a new logo rebuilds exactly the outputs that show it."""
    lists_formats: ClassVar[bool] = False
    """The output prints the notice naming the other formats (`RenderJob.formats`): only then
    are they part of its key."""

    requires: ClassVar[tuple[str, ...]] = ()
    """Renderers whose outputs this one links to: building it builds them too (or finds them up
    to date), and the job names their files (`RenderJob.linked`)."""

    def filename(self, article_id: str) -> str:
        return f"{article_id}{self.extension}"

    def output_files(self, article_id: str) -> tuple[str, ...]:
        """The main file, then one per sidecar, in the order the renderer declares them."""
        main = self.filename(article_id)
        return (main, *(main.removesuffix(self.extension) + suffix for suffix in self.sidecars))

    def assets(self) -> Iterable[Path]:
        """Files whose content shapes the output (stylesheets, fonts, lexicons)."""
        return ()

    def render(self, article: Article, job: RenderJob) -> None:
        raise NotImplementedError

    def fingerprint(self, options: Mapping[str, Any]) -> str:
        """What, besides the article, decides this renderer's output."""
        digest = hashlib.sha256(f"{self.name}\0{self.version}\0{sorted(options.items())!r}".encode())
        digest.update(code_digest(type(self).__module__).encode())
        for asset in sorted(self.assets()):
            digest.update(asset.name.encode() + b"\0" + file_digest(asset).encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Registry:
    """The plugins of one entry-point group (renderers, checks), imported only when used."""

    entry_points: Mapping[str, EntryPoint]
    kind: str = "renderer"
    required: tuple[str, ...] = RENDERER_ATTRIBUTES

    @classmethod
    def of_group(cls, group: str, kind: str, required: tuple[str, ...]) -> Registry:
        return cls({entry.name: entry for entry in entry_points(group=group)}, kind, required)

    @property
    def names(self) -> list[str]:
        return sorted(self.entry_points)

    def with_requirements(self, names: list[str]) -> list[str]:
        """`names` and every renderer they require, directly or through another, each once."""
        chosen: list[str] = []
        pending = list(names)
        while pending:
            name = pending.pop(0)
            if name in chosen:
                continue
            chosen.append(name)
            for required in getattr(self.load(name), "requires", ()):
                if required not in self.entry_points:
                    raise PluginError(f"{self.kind} '{name}' requires '{required}', which is not installed: install it or leave '{name}' out")
                pending.append(required)
        return chosen

    def load(self, name: str) -> Any:
        """Import and instantiate plugin `name`; raise PluginError naming it if that fails."""
        entry = self.entry_points[name]
        try:
            plugin = entry.load()()
        except Exception as error:  # a third party's bug must not take the others down
            raise PluginError(f"{self.kind} '{name}' ({entry.value}) could not be loaded: {type(error).__name__}: {error}") from error
        missing = [attr for attr in self.required if not hasattr(plugin, attr)]
        if missing:
            raise PluginError(f"{self.kind} '{name}' ({entry.value}) lacks {', '.join(missing)}: it is not a pipeline {self.kind}")
        return plugin


def offered_formats(registry: Registry) -> tuple[str, ...]:
    """What the installed renderers offer patients (`Renderer.offered_as`), each once, sorted;
    a renderer that cannot be loaded offers nothing (the build reports it where it is chosen)."""
    offered = set()
    for name in registry.names:
        try:
            offered.add(getattr(registry.load(name), "offered_as", ""))
        except PluginError:
            continue
    return tuple(sorted(offered - {""}))


class PluginError(Exception):
    pass


@cache
def installed() -> Registry:
    return Registry.of_group(GROUP, "renderer", RENDERER_ATTRIBUTES)
