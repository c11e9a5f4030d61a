"""Checks of built outputs, found through the `pipeline.checks` entry-point group.

A check is a small class, like a renderer: a `name`, the `media_types` of the files it needs
(an output qualifies when it holds a file of each: the MP3 and its WebVTT transcript, say),
optionally the `renderers` it is limited to, and `run(source, output)` returning one
`CheckResult`: pass, fail or skip, the figure behind the verdict, and messages a person can
act on. A check that runs another program says which one in `environment`, so that a verdict
recorded without it (or with another version) is not reused. A renderer plugin registers checks
for its own format the same way the built-in ones are registered in pyproject.toml. Heavy
libraries (pikepdf, mutagen ...) are imported inside `run`, so listing checks stays light.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal

from pipeline.model import Article
from pipeline.registry import Registry
from pipeline.source.positions import Document

GROUP = "pipeline.checks"
Status = Literal["pass", "fail", "skip"]


@dataclass(frozen=True)
class CheckResult:
    """One verdict: `figure` is the short measure behind it, `messages` the details.

    `lasting` is False for a verdict about the run rather than the files (the tool could not be
    started, wrote no report): it is never reused, so the next run tries again.
    """

    status: Status
    figure: str
    messages: tuple[str, ...] = ()
    lasting: bool = True

    @classmethod
    def judge(cls, ok: bool, figure: str, messages: Iterable[str] = ()) -> CheckResult:
        return cls("pass" if ok else "fail", figure, tuple(messages))

    @classmethod
    def skip(cls, reason: str) -> CheckResult:
        return cls("skip", reason)

    @classmethod
    def not_run(cls, reason: str) -> CheckResult:
        """A failure to check at all: it fails the run, and is tried again next time."""
        return cls("fail", "not run", (reason,), lasting=False)


@dataclass(frozen=True)
class Output:
    """The files one renderer wrote for one article (main file first), as the manifest records them."""

    article_id: str
    renderer: str
    files: Mapping[str, Path]
    """media type (without parameters) -> path"""
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return next(iter(self.files.values()))

    def file(self, media_type: str) -> Path:
        return self.files[media_type]


@dataclass(frozen=True)
class Source:
    """The article an output was built from, with its parsed file to point into."""

    document: Document
    article: Article

    def where(self, location: tuple[Any, ...], index: int = 0) -> str:
        """FILE:LINE:COL of character `index` of the text at `location`."""
        line, column = self.document.text_position(location, index)
        return f"{self.document.path}:{line}:{column}"


class Check:
    """Base class for checks; subclasses set the class attributes and `run`."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    media_types: ClassVar[tuple[str, ...]]
    renderers: ClassVar[tuple[str, ...]] = ()
    """Only outputs of these renderers (empty: any output holding the media types)."""
    needs_source: ClassVar[bool] = False
    """True when `run` compares with the article: it is then never given None."""
    runs_a_program: ClassVar[bool] = False
    """True when `run` mostly waits on another program: it then runs beside the other checks."""

    def applies(self, output: Output) -> bool:
        wanted = not self.renderers or output.renderer in self.renderers
        return wanted and all(media_type in output.files for media_type in self.media_types)

    def checked_file(self, output: Output) -> Path:
        """The file a verdict is reported against: the first media type's."""
        return output.file(self.media_types[0])

    def environment(self) -> str:
        """What besides the files, the source and the settings decides the verdict: the programs
        `run` starts (see `program`). Installing, removing or upgrading one re-runs the check."""
        return ""

    def run(self, source: Source | None, output: Output) -> CheckResult:
        raise NotImplementedError


def program(path: str | None) -> str:
    """A program as a verdict depends on it: where it really is and which build (size and
    modification time, which an install or upgrade changes); 'absent' when there is none."""
    if path is None:
        return "absent"
    try:
        real = os.path.realpath(path)
        status = os.stat(real)
    except OSError:
        return "absent"
    return f"{real} {status.st_size} {status.st_mtime_ns}"


def counted(number: int, noun: str) -> str:
    """'1 page', '3 pages': figures read as sentences."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def media_type_essence(media_type: str) -> str:
    """'text/plain' of 'text/plain; charset=utf-8'."""
    return media_type.split(";")[0].strip().lower()


@cache
def installed() -> Registry:
    return Registry.of_group(GROUP, "check", ("name", "media_types", "applies", "run"))
