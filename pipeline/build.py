"""The build engine: which outputs are stale, rendering them safely, and the manifest.

Renderers only write temporary files; the engine decides what to rebuild, renames finished
files into place (so a failure never empties or half-writes a good output) and records
each output's key, hash and size in `<out>/<id>/manifest.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.model import Article
from pipeline.registry import PluginError, Registry, Renderer, RenderJob

MANIFEST = "manifest.json"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@dataclass(frozen=True)
class Task:
    article: Article
    renderer: str
    options: Mapping[str, Any]
    out_dir: Path
    key: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    article_id: str
    renderer: str
    files: tuple[str, ...]
    status: str  # built | up to date | failed
    seconds: float = 0.0
    error: str = ""
    record: Mapping[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def article_key(article: Article) -> str:
    return hashlib.sha256(article.model_dump_json(by_alias=True).encode()).hexdigest()


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def plan(
    article: Article, renderer: Renderer, options: Mapping[str, Any], out_dir: Path, force: bool
) -> Task | None:
    """The task that rebuilds this output, or None when the recorded one is still good."""
    epoch = source_date_epoch()
    key = hashlib.sha256(f"{article_key(article)}\0{renderer.fingerprint(options)}\0{epoch}".encode()).hexdigest()
    main = renderer.filename(article.id)
    files = (main, *(main.removesuffix(renderer.extension) + suffix for suffix in renderer.sidecars))
    task = Task(article, renderer.name, dict(options), out_dir, key, files)
    if force:
        return task
    recorded = read_manifest(out_dir / article.id).get("outputs", {}).get(renderer.name)
    if not recorded or recorded.get("key") != key:
        return task
    for name in files:
        entry = recorded["files"].get(name, {})
        path = out_dir / article.id / name
        if not path.is_file() or path.stat().st_size != entry.get("size") or _sha256(path) != entry.get("sha256"):
            return task
    return None


def run(task: Task, registry: Registry) -> Outcome:
    """Render one task into temporary files, then move them into place together."""
    started = time.monotonic()
    article_dir = task.out_dir / task.article.id
    try:
        renderer = registry.load(task.renderer)
        article_dir.mkdir(parents=True, exist_ok=True)
        with _temporary_paths(article_dir, task.files) as temporary:
            main, *rest = task.files
            job = RenderJob(
                path=temporary[main],
                options=task.options,
                sidecars={suffix: temporary[name] for suffix, name in zip(renderer.sidecars, rest)},
                cache_dir=task.out_dir / ".cache" / task.article.id,
                source_date_epoch=source_date_epoch(),
            )
            renderer.render(task.article, job)
            record = _record(renderer, task, temporary)
            for name, path in temporary.items():
                os.replace(path, article_dir / name)
    except Exception as error:  # noqa: BLE001 - one format's failure must not stop the others
        message = str(error) if isinstance(error, PluginError) else f"{type(error).__name__}: {error}"
        return Outcome(task.article.id, task.renderer, task.files, "failed", time.monotonic() - started, message)
    return Outcome(task.article.id, task.renderer, task.files, "built", time.monotonic() - started, record=record)


def _record(renderer: Renderer, task: Task, temporary: Mapping[str, Path]) -> dict[str, Any]:
    files = {}
    for name, path in temporary.items():
        if not path.is_file() or path.stat().st_size == 0:
            raise RuntimeError(f"renderer '{renderer.name}' did not write {name}")
        files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
    return {
        "renderer": renderer.name,
        "version": renderer.version,
        "media_type": renderer.media_type,
        "options": {key: task.options[key] for key in sorted(task.options)},
        "key": task.key,
        "files": files,
    }


@contextmanager
def _temporary_paths(directory: Path, names: tuple[str, ...]) -> Iterator[dict[str, Path]]:
    """Empty temporary files beside their targets, removed whatever happens (Ctrl-C too)."""
    paths: dict[str, Path] = {}
    try:
        for name in names:
            handle, raw = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            os.close(handle)
            os.chmod(raw, 0o666 & ~_UMASK)  # mkstemp's 0600 would hide outputs from other users
            paths[name] = Path(raw)
        yield paths
    finally:
        for path in paths.values():
            with suppress(FileNotFoundError):
                path.unlink()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- manifest


def read_manifest(article_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((article_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_manifest(article_dir: Path, article: Article, outcomes: list[Outcome]) -> None:
    """Record what was built; leave the file untouched when nothing changed."""
    manifest = read_manifest(article_dir)
    recorded = dict(manifest.get("outputs", {}))
    for outcome in outcomes:
        if outcome.record is not None:
            recorded[outcome.renderer] = outcome.record
    updated = {"article": article.id, "title": article.title, "lang": article.lang, "outputs": dict(sorted(recorded.items()))}
    if updated != manifest:
        write_atomically(article_dir / MANIFEST, (json.dumps(updated, indent=2, ensure_ascii=False) + "\n").encode())


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_paths(path.parent, (path.name,)) as temporary:
        temporary[path.name].write_bytes(data)
        os.replace(temporary[path.name], path)


def build(
    articles: list[Article],
    renderers: list[Renderer],
    registry: Registry,
    options: Mapping[str, Mapping[str, Any]],
    out_dir: Path,
    force: bool = False,
) -> list[Outcome]:
    """Bring every (article, renderer) output up to date; one failure never stops the rest."""
    outcomes: list[Outcome] = []
    for article in articles:
        article_outcomes = []
        for renderer in renderers:
            task = plan(article, renderer, options[renderer.name], out_dir, force)
            if task is None:
                main = renderer.filename(article.id)
                article_outcomes.append(Outcome(article.id, renderer.name, (main,), "up to date"))
            else:
                article_outcomes.append(run(task, registry))
        if any(outcome.record for outcome in article_outcomes):
            update_manifest(out_dir / article.id, article, article_outcomes)
        outcomes += article_outcomes
    return outcomes
