"""What runs on a Dask worker for `pipeline build --executor dask` (pipeline.build.dask_executor).

A worker plugin, registered for one build, admits the worker only if it makes this machine's
outputs (`identity`: the pipeline version and, per renderer, its code digest and fingerprint,
what an output's key holds) and keeps one local pool (pipeline.build.pool) per worker thread
for the build: a renderer's imports are paid once, and a renderer that hangs or crashes is
stopped or fails alone, as on one machine. A group of outputs is rendered one after another in
a scratch folder of its own (their shared cache), and comes back as bytes.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from importlib.metadata import EntryPoint, version
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

from pipeline import atomic
from pipeline.build.engine import ExecutorError, Task, render
from pipeline.build.local import ended
from pipeline.build.pool import Lost, Pool
from pipeline.code_digest import code_digest
from pipeline.registry import PluginError, Registry

_TICK = 0.1  # seconds between two looks at the pool


@dataclass(frozen=True)
class Rendered:
    """What a worker sends back for one output: its files' bytes when built, else why not."""

    renderer: str
    files: dict[str, bytes] | None
    error: str
    seconds: float


def identity(renderers: Mapping[str, tuple[EntryPoint, Mapping[str, Any]]]) -> dict[str, Any]:
    """What decides the outputs this process makes: the pipeline's version and, per renderer,
    its code digest (read from disk now) and fingerprint, or why it cannot be loaded."""
    code_digest.cache_clear()
    found: dict[str, Any] = {"pipeline": version("pipeline")}
    for name, (entry, options) in sorted(renderers.items()):
        try:
            renderer = Registry({name: entry}).load(name)
        except PluginError as error:
            found[name] = str(error)
            continue
        found[name] = {"code": code_digest(type(renderer).__module__), "fingerprint": renderer.fingerprint(options)}
    return found


def difference(worker: str, here: Mapping[str, Any], there: Mapping[str, Any]) -> str | None:
    """Why `worker`, whose identity is `there`, would not make this machine's outputs, or None."""
    if there["pipeline"] != here["pipeline"]:
        return f"worker {worker} runs pipeline {there['pipeline']}, this machine {here['pipeline']}: install the same version on every worker"
    for name in sorted(here.keys() - {"pipeline"}):
        if isinstance(there[name], str):
            return f"worker {worker} cannot load renderer '{name}': {there[name]}"
        if there[name]["code"] != here[name]["code"]:
            return (
                f"worker {worker} runs other code for renderer '{name}' (code digest {there[name]['code'][:12]}, "
                f"here {here[name]['code'][:12]}): install the same pipeline and renderers on every worker, then restart it"
            )
        if there[name]["fingerprint"] != here[name]["fingerprint"]:
            return (
                f"worker {worker} would render '{name}' differently (its version or its assets: stylesheets, fonts, lexicons): "
                "install the same pipeline and renderers on every worker, then restart it"
            )
    return None


def render_group(group: list[Task], plugin: str) -> list[Rendered]:
    """Worker side: render the outputs in turn in one scratch folder (their shared cache)."""
    pools: Pools = get_worker().plugins[plugin]
    if pools.refusal:
        raise ExecutorError(pools.refusal)
    with tempfile.TemporaryDirectory(prefix="pipeline-dask-") as scratch:
        return [_render(pools, replace(task, out_dir=Path(scratch))) for task in group]


def _render(pools: Pools, task: Task) -> Rendered:
    task = replace(task, temporaries=atomic.make_temporaries(task.article_dir, task.files))
    started = time.monotonic()
    pool = pools.mine()
    pool.submit(task.renderer, render, task, task.timeout)
    while not (ended_jobs := pool.wait(_TICK)):
        if pools.closed:  # the build ended (Ctrl-C): the pool's processes are gone
            raise ExecutorError("the build was stopped")
    [(_, result)] = ended_jobs
    status, detail = ended(result)
    seconds = time.monotonic() - started
    if status != "built":
        where = f" (on worker {get_worker().address})" if isinstance(result, Lost) else ""
        return Rendered(task.renderer, None, f"{detail}{where}", seconds)
    return Rendered(task.renderer, {name: path.read_bytes() for name, path in task.temporaries.items()}, "", seconds)


class Pools(WorkerPlugin):
    """Admits a worker to a build if it runs this machine's code (`expected`: its identity for
    `renderers`); then one local pool of one process per worker thread, for the build."""

    def __init__(self, renderers: Mapping[str, tuple[EntryPoint, Mapping[str, Any]]], expected: Mapping[str, Any]) -> None:
        self.renderers, self.expected = renderers, expected

    def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()
        self._pools: dict[int, Pool] = {}
        self.closed = False
        self.refusal = difference(worker.address, self.expected, identity(self.renderers))
        if self.refusal:
            raise ExecutorError(self.refusal)

    def mine(self) -> Pool:
        """This thread's pool, started at its first use."""
        with self._lock:
            if self.closed:
                raise ExecutorError("the build was stopped")
            if threading.get_ident() not in self._pools:
                self._pools[threading.get_ident()] = Pool(1)
            return self._pools[threading.get_ident()]

    def teardown(self, worker: Any) -> None:
        with self._lock:
            self.closed = True
            for pool in self._pools.values():
                pool.close()


def dask_setup(worker: Any) -> None:
    """Preload of the workers of a cluster started here: a session of their own, so that a
    Ctrl-C or SIGTERM sent to the terminal's process group reaches the build alone, which then
    stops them with their renderers (a worker killed outright would leave its renderer running)."""
    with suppress(OSError):  # already a session leader
        os.setsid()
