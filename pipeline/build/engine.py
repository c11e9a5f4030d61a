"""The build engine: which outputs are stale, rendering them in parallel and safely, the manifest.

The parent plans (light: no renderer's heavy library is imported here), hands each stale
(article, renderer) output to a worker process, and owns every file in the output folder: it
makes the temporary files a renderer writes, renames them into place when the renderer
succeeds, removes them otherwise (error, crash, timeout, Ctrl-C; a killed build's: the next,
build/leftovers.py), and writes an article's manifest once all of its outputs are settled.
Outcomes come back in plan order, so output and exit status do not depend on `--jobs`.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, Protocol

from pipeline import atomic
from pipeline.build import files as outputs
from pipeline.build import leftovers, library
from pipeline.build.keys import output_key
from pipeline.build.pool import Done, Lost, Pool
from pipeline.build.signals import Interrupted, signals_caught
from pipeline.model import Article
from pipeline.registry import PluginError, Registry, Renderer, RenderJob, offered_formats
from pipeline.settings import source_date_epoch

_TICK = 0.1  # seconds between progress refreshes while waiting for workers


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


@dataclass(frozen=True)
class Outcome:
    article_id: str
    renderer: str
    files: tuple[str, ...]
    status: str  # built | up to date | failed
    seconds: float = 0.0
    error: str = ""
    record: Mapping[str, Any] | None = None
    """The output's manifest entry (built or up to date): key, hashes, sizes."""

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class Reporter(Protocol):
    """What the engine tells the progress display (see pipeline.progress)."""

    def started(self, article_id: str, renderer: str) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...
    def problem(self, message: str) -> None: ...
    def note(self, message: str) -> None: ...
    def tick(self) -> None: ...


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
    """Every file the record lists is there with the recorded size and hash (no hand edits)."""
    for name in task.files:
        entry = recorded.get("files", {}).get(name, {})
        path = task.article_dir / name
        if not path.is_file() or path.stat().st_size != entry.get("size") or outputs.file_record(path) != entry:
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
    force: bool = False,
    jobs: int = 1,
    timeout: float | None = None,
    article_options: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
) -> list[Outcome]:
    """Bring every (article, renderer) output up to date; one failure never stops the rest.

    `article_options` (by article id and renderer name) replace `options` (by renderer name) for
    an article that chose its own. `timeout` (seconds) replaces each renderer's own limit.
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
    settled = _Settlement(by_name, Counter(task.article.id for task in tasks), {article.id: article for article in articles}, reporter)
    if tasks:
        _run(tasks, min(jobs, len(tasks)), settled, reporter)
    if problem := library.update(out_dir):  # the library page follows the manifests
        reporter.problem(problem)
    return [settled.outcomes.get((item.article.id, item.renderer), item) if isinstance(item, Task) else item for item in planned]


@dataclass
class _Settlement:
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


def _run(tasks: list[Task], jobs: int, settled: _Settlement, reporter: Reporter) -> None:
    """Feed the tasks to a pool of `jobs` workers, settling each as it ends."""
    queue = deque(tasks)
    running: dict[tuple[str, str], tuple[Task, float]] = {}
    pool = Pool(jobs)
    with signals_caught() as caught:
        try:
            while queue or running:
                if caught:
                    raise Interrupted(caught[0])
                while pool.has_room() and (task := _next(queue, running, settled.renderers)):
                    _start(task, pool, running, settled, reporter)
                for name, result in pool.wait(_TICK):
                    task, started = running.pop(name)
                    status, detail = result.value if isinstance(result, Done) else ("failed", _lost(result))
                    settled.settle(task, status, detail, time.monotonic() - started)
                reporter.tick()
        finally:
            pool.close()  # workers die first: none may write into a file being removed
            for task, _ in running.values():
                atomic.remove(task.temporaries.values())


def _next(queue: deque[Task], running: dict[tuple[str, str], tuple[Task, float]], renderers: Mapping[str, Renderer]) -> Task | None:
    """The first queued task whose shared work no running task of its article is making."""
    busy = {(task.article.id, name) for task, _ in running.values() for name in renderers[task.renderer].shares}
    for task in queue:
        if not any((task.article.id, name) in busy for name in renderers[task.renderer].shares):
            queue.remove(task)
            return task
    return None


def _start(task: Task, pool: Pool, running: dict[tuple[str, str], tuple[Task, float]], settled: _Settlement, reporter: Reporter) -> None:
    try:
        task = replace(task, temporaries=atomic.make_temporaries(task.article_dir, task.files))
    except OSError as error:
        settled.settle(task, "failed", _write_problem(error, task.article_dir), 0.0)
        return
    name = (task.article.id, task.renderer)
    running[name] = (task, time.monotonic())
    pool.submit(name, render, task, task.timeout)
    reporter.started(*name)


def _lost(result: Lost) -> str:
    if result.timed_out:
        return f"the renderer {result.reason}: it was stopped; allow it longer with --timeout SECONDS"
    return f"the renderer crashed: {result.reason}"
