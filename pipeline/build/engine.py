"""The build engine: which outputs are stale, rendering them in parallel and safely, the manifest.

The parent plans (light: no renderer's heavy library is imported here), hands each stale
(article, renderer) output to a worker process, and owns every file in the output folder: it
makes the temporary files a renderer writes, renames them into place when the renderer
succeeds, removes them otherwise (error, crash, timeout, Ctrl-C; a killed build's: the next,
build/leftovers.py), and writes an article's manifest once all of its outputs are settled.
Outcomes come back in plan order, so output and exit status do not depend on `--jobs`. Where
the outputs are rendered is the Executor's business: LocalPool (pipeline.build.local, worker
processes here) or a cluster (pipeline.build.dask_executor).
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, Protocol

from pipeline import atomic
from pipeline.build import files as outputs
from pipeline.build import leftovers, library
from pipeline.build.keys import output_key
from pipeline.build.outcome import Outcome
from pipeline.model import Article
from pipeline.registry import PluginError, Registry, Renderer, RenderJob, offered_formats
from pipeline.remembered import file_digest
from pipeline.settings import source_date_epoch


@dataclass(frozen=True)
class Task:
    """One stale output to render: everything a worker needs, and nothing it must look up."""

    article: Article
    renderer: str
    entry: EntryPoint
    options: Mapping[str, Any]
    out_dir: Path
    key: str
    files: tuple[str, ...]
    timeout: float
    source_date_epoch: int | None
    linked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    formats: tuple[str, ...] = ()
    temporaries: Mapping[str, Path] = field(default_factory=dict)

    @property
    def article_dir(self) -> Path:
        return self.out_dir / self.article.id


class Reporter(Protocol):
    """What the engine tells the progress display (see pipeline.progress)."""

    def started(self, article_id: str, renderer: str) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...
    def problem(self, message: str) -> None: ...
    def note(self, message: str) -> None: ...
    def tick(self) -> None: ...


class Executor(Protocol):
    """Renders stale outputs somewhere and hands each to `settled` as it ends, in any order.

    `run` raises Interrupted, with nothing left half done, once `caught` holds a signal, and
    ExecutorError when it cannot render at all."""

    def run(self, tasks: list[Task], settled: Settlement, reporter: Reporter, caught: list[int]) -> None: ...


class ExecutorError(Exception):
    """The build could not be run where it was sent (a cluster unreachable, or running other code)."""


class Interrupted(Exception):
    """The build was stopped by a signal (Ctrl-C, or SIGTERM from CI); nothing was left half done."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def plan(
    article: Article,
    renderer: Renderer,
    entry: EntryPoint,
    options: Mapping[str, Any],
    out_dir: Path,
    force: bool = False,
    timeout: float | None = None,
    linked: Mapping[str, tuple[str, ...]] | None = None,
    formats: tuple[str, ...] = (),
) -> Task | Outcome:
    """The task that rebuilds this output, or its up-to-date Outcome when the recorded one still holds;
    `formats` are what the installed renderers offer patients (`RenderJob.formats`)."""
    epoch = source_date_epoch()
    linked = dict(linked or {})
    key = output_key(article, renderer, options, epoch, linked, formats)
    files = renderer.output_files(article.id)
    task = Task(article, renderer.name, entry, dict(options), out_dir, key, files, timeout or renderer.timeout, epoch, linked, formats)
    recorded = outputs.read_manifest(task.article_dir).get("outputs", {}).get(renderer.name)
    if force or not recorded or recorded.get("key") != key or not _intact(task, recorded):
        return task
    return Outcome(article.id, renderer.name, files, "up to date", record=recorded)


def _intact(task: Task, recorded: Mapping[str, Any]) -> bool:
    """Every file the record lists is there with the recorded size and hash (no hand edits;
    the hash is made again only when the file's size or modification time changed)."""
    for name in task.files:
        entry = recorded.get("files", {}).get(name, {})
        path = task.article_dir / name
        if not path.is_file() or path.stat().st_size != entry.get("size") or file_digest(path) != entry.get("sha256"):
            return False
    return True


def render(task: Task) -> tuple[str, Any]:
    """Worker side: render into the task's temporary files; ("built", file records) or ("failed", why)."""
    try:
        renderer = Registry({task.renderer: task.entry}).load(task.renderer)
        main, *rest = task.files
        job = RenderJob(
            path=task.temporaries[main],
            options=task.options,
            sidecars={suffix: task.temporaries[name] for suffix, name in zip(renderer.sidecars, rest)},
            cache_dir=task.out_dir / ".cache" / task.article.id,
            source_date_epoch=task.source_date_epoch,
            linked=task.linked,
            formats=task.formats,
        )
        renderer.render(task.article, job)
        return "built", _file_records(task)
    except PluginError as error:
        return "failed", str(error)
    except OSError as error:
        return "failed", (outputs.disk_full(error) and outputs.write_problem(error, task.article_dir)) or f"{type(error).__name__}: {error}"
    except Exception as error:
        return "failed", f"{type(error).__name__}: {error}"


def _file_records(task: Task) -> dict[str, Any]:
    records = {}
    for name, path in task.temporaries.items():
        if not path.is_file() or path.stat().st_size == 0:
            raise RuntimeError(f"renderer '{task.renderer}' did not write {name}")
        records[name] = outputs.file_record(path)
    return records


def _record(task: Task, renderer: Renderer, files: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "renderer": renderer.name,
        "version": renderer.version,
        "media_type": renderer.media_type,
        "options": dict(task.options),
        "key": task.key,
        "files": dict(files),
    }


def build(
    articles: list[Article],
    renderers: list[Renderer],
    registry: Registry,
    options: Mapping[str, Mapping[str, Any]],
    out_dir: Path,
    reporter: Reporter,
    executor: Executor,
    force: bool = False,
    timeout: float | None = None,
    article_options: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
    library_lang: str = library.DEFAULT_LANG,
) -> list[Outcome]:
    """Bring every (article, renderer) output up to date, rendering the stale ones with
    `executor`; one failure never stops the rest.

    `article_options` (by article id and renderer name) replace `options` (by renderer name) for
    an article that chose its own. `timeout` (seconds) replaces each renderer's own limit.
    The library page, OUT/index.html, is then written in `library_lang`.
    Raises Interrupted, after cleaning up, when a SIGINT or SIGTERM arrives.
    """
    leftovers.sweep(out_dir, reporter.note)
    by_name = {renderer.name: renderer for renderer in renderers}
    chosen = {**{(article.id, renderer.name): options[renderer.name] for article in articles for renderer in renderers}, **(article_options or {})}

    def linked(article: Article, renderer: Renderer) -> dict[str, tuple[str, ...]]:
        return {name: (by_name.get(name) or registry.load(name)).output_files(article.id) for name in renderer.requires}

    formats = offered_formats(registry)
    planned: list[Task | Outcome] = [
        plan(article, renderer, registry.entry_points[renderer.name], chosen[article.id, renderer.name], out_dir, force, timeout, linked(article, renderer), formats)
        for article in articles
        for renderer in renderers
    ]
    for item in planned:
        if isinstance(item, Outcome):
            reporter.finished(item)
    tasks = sorted((item for item in planned if isinstance(item, Task)), key=lambda task: -by_name[task.renderer].cost)
    settled = Settlement(by_name, Counter(task.article.id for task in tasks), {article.id: article for article in articles}, reporter)
    if tasks:
        with _signals_caught() as caught:
            executor.run(tasks, settled, reporter, caught)
    if problem := library.update(out_dir, library_lang):  # the library page follows the manifests
        reporter.problem(problem)
    return [settled.outcomes.get((item.article.id, item.renderer), item) if isinstance(item, Task) else item for item in planned]


@dataclass
class Settlement:
    """Turns ended tasks into reported outcomes; writes each article's manifest when its last one ends."""

    renderers: Mapping[str, Renderer]
    pending: Counter[str]
    articles: Mapping[str, Article]
    reporter: Reporter
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)

    def settle(self, task: Task, status: str, detail: Any, seconds: float) -> None:
        outcome = Outcome(task.article.id, task.renderer, task.files, "failed", seconds, error=str(detail))
        if status == "built":
            try:
                atomic.commit(task.temporaries)
                record = _record(task, self.renderers[task.renderer], detail)
                outcome = replace(outcome, status="built", error="", record=record)
            except OSError as error:
                outcome = replace(outcome, error=_write_problem(error, task.article_dir))
        atomic.remove(task.temporaries.values())
        self.outcomes[task.article.id, task.renderer] = outcome
        self.reporter.finished(outcome)
        self.pending[task.article.id] -= 1
        if not self.pending[task.article.id]:
            self._write_manifest(task.article.id, task.article_dir)

    def prepare(self, task: Task, seconds: float = 0.0, files: Mapping[str, bytes] | None = None) -> Task | None:
        """The task with its temporary files made beside their targets (holding `files`, for an
        output rendered on another machine), or None once it is settled as failed because the
        output folder cannot take them."""
        temporaries: dict[str, Path] = {}
        try:
            temporaries = atomic.make_temporaries(task.article_dir, task.files)
            for name, data in (files or {}).items():
                temporaries[name].write_bytes(data)
            return replace(task, temporaries=temporaries)
        except OSError as error:
            atomic.remove(temporaries.values())
            self.settle(task, "failed", _write_problem(error, task.article_dir), seconds)
            return None

    def _write_manifest(self, article_id: str, article_dir: Path) -> None:
        built = {renderer: outcome for (article, renderer), outcome in self.outcomes.items() if article == article_id and outcome.record}
        if not built:
            return
        article = self.articles[article_id]
        header = {"article": article.id, "title": article.title, "lang": article.lang, **article.model_dump(mode="json", include={"published", "review_due"})}
        try:
            outputs.update_manifest(article_dir, header, {renderer: outcome.record for renderer, outcome in built.items()})
        except OSError as error:
            message = f"outputs were written but not recorded in {outputs.MANIFEST}: {_write_problem(error, article_dir)}"
            self.reporter.problem(f"{article_id}: {message}")
            for renderer, outcome in built.items():  # unrecorded: they are rebuilt next time
                self.outcomes[article_id, renderer] = replace(outcome, status="failed", error=message, record=None)


def _write_problem(error: OSError, where: Path) -> str:
    return outputs.write_problem(error, where) or f"cannot write in {where}: {type(error).__name__}: {error}"


@contextmanager
def _signals_caught() -> Iterator[list[int]]:
    """SIGINT and SIGTERM are noted, not raised, so that the build stops between two steps."""
    caught: list[int] = []
    try:
        previous = {signum: signal.signal(signum, lambda number, frame: caught.append(number)) for signum in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: leave signals alone
        previous = {}
    try:
        yield caught
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
