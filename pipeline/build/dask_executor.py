"""Rendering on a Dask cluster (`pipeline build --executor dask`), for more outputs than one machine makes.

The client keeps what it owns on one machine: planning, atomic writes, manifests, progress and
the exit status (pipeline.build.engine). Workers render and send back bytes:
- One Dask task per output, except that an article's outputs sharing work (renderers declaring
  the same `shares`, e.g. the narration of audio, read-along and web) form one task: they are
  rendered one after another on one worker, in a scratch folder of that task's own, so the
  shared work is made once and found by the others in that folder's cache.
- On the worker (pipeline.build.dask_worker) each output is rendered by a local pool per worker
  thread, kept for the build by a worker plugin, exactly as on one machine.
- The client submits no more tasks than the cluster has threads, costliest first, and writes
  each result as it arrives, then releases it: its memory does not grow with the build.
- A worker that dies has its tasks rerun on another; after ALLOWED_FAILURES deaths while
  running the same task (`distributed.scheduler.allowed-failures`) Dask gives it up and its
  outputs fail. A cluster started here gets that setting; a scheduler started by hand reads
  it from its own configuration (see README).
- Same code everywhere: the plugin admits a worker only if it makes this machine's outputs. A
  worker that differs when the build starts stops it before anything is sent, with an error
  naming the worker; one that joins later fails the outputs sent to it, saying so.
"""

from __future__ import annotations

import logging
import queue
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import dask
from distributed import Client, Future, LocalCluster, Security
from distributed.scheduler import KilledWorker

from pipeline.build import dask_worker, files
from pipeline.build.dask_security import LOOPBACK
from pipeline.build.dask_worker import Pools, Rendered, identity, render_group
from pipeline.build.engine import ExecutorError, Interrupted, Reporter, Settlement, Task
from pipeline.registry import Renderer

ALLOWED_FAILURES = 3
"""Worker deaths a task survives (rerun each time on another worker) before it is given up."""
_TICK = 0.1  # seconds between progress refreshes while waiting for results
_CONNECT = "5s"
"""How long a call to the scheduler may wait for a connection: a scheduler gone in the middle
of a build is reported after this long at most."""
LOST_AFTER = 2.0
"""Seconds without the scheduler after which a build gives up on it."""
_LOCAL_CLUSTER = {
    "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
    # Diagnostics a build does not use, which cost an idle 2-worker cluster a tenth of a core:
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@dataclass(frozen=True)
class DaskExecutor:
    """Render on the cluster whose scheduler is at `scheduler`, or on `workers` local processes."""

    scheduler: str | None = None
    workers: int = 1
    security: Security | None = None
    """The certificates shown to a tls:// scheduler (pipeline.build.dask_security)."""

    def run(self, tasks: list[Task], settled: Settlement, reporter: Reporter, caught: list[int]) -> None:
        used = {task.renderer: (task.entry, task.options) for task in tasks}
        plugin = f"pipeline-{uuid.uuid4().hex}"  # one per build: builds may share a cluster
        with self._client() as client:
            try:
                client.register_plugin(Pools(used, identity(used)), name=plugin)  # raises a refusal
                _feed(client, _groups(tasks, settled.renderers), plugin, settled, reporter, caught)
            except OSError as error:  # the scheduler is gone (writing problems are settled, not raised)
                raise ExecutorError(_lost(client.scheduler.address, error)) from None
            finally:
                with suppress(Exception):  # the workers' pools close with the plugin
                    if client.status == "running":
                        client.unregister_worker_plugin(plugin)

    @contextmanager
    def _client(self) -> Iterator[Client]:
        if self.scheduler:
            for name in ("distributed", "distributed.client"):  # a lost scheduler is said once, by the build
                logging.getLogger(name).setLevel(logging.CRITICAL)
            try:
                client = Client(self.scheduler, timeout=_CONNECT, security=self.security)
            except (OSError, ValueError) as error:
                raise ExecutorError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}; start it with `dask scheduler` and check the address") from None
            with client:
                yield client
            return
        logging.getLogger("distributed").setLevel(logging.ERROR)  # a restarted worker is no news to a user
        with dask.config.set(_LOCAL_CLUSTER):
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host=LOOPBACK,  # every port of the scheduler and the workers on this machine alone
                dashboard_address=None,  # and no dashboard
                silence_logs=logging.ERROR,
                preload=[dask_worker.__name__],  # its dask_setup: signals to the terminal's group are the client's
            )
            with cluster, Client(cluster) as client:
                yield client


def _groups(tasks: list[Task], renderers: Mapping[str, Renderer]) -> list[list[Task]]:
    """One group per output, except that an article's outputs sharing work go together;
    the costliest groups first (tasks come in the engine's order, costliest first)."""
    groups: list[list[Task]] = []
    sharing: dict[tuple[str, str], list[Task]] = {}
    for task in tasks:
        names = [(task.article.id, name) for name in renderers[task.renderer].shares]
        group = next((sharing[name] for name in names if name in sharing), None)
        if group is None:
            group = []
            groups.append(group)
        group.append(task)
        sharing.update(dict.fromkeys(names, group))
    return sorted(groups, key=lambda group: -sum(renderers[task.renderer].cost for task in group))


def _feed(client: Client, groups: list[list[Task]], plugin: str, settled: Settlement, reporter: Reporter, caught: list[int]) -> None:
    """Keep every worker thread busy with one group, settling each group's outputs as it returns."""
    waiting = list(reversed(groups))
    running: dict[Future, list[Task]] = {}
    done: queue.SimpleQueue[Future] = queue.SimpleQueue()

    def fill() -> None:
        room = max(1, sum(client.nthreads().values())) - len(running) if waiting else 0
        for _ in range(min(room, len(waiting))):
            group = waiting.pop()
            future = client.submit(render_group, group, plugin, pure=False)
            future.add_done_callback(done.put)
            running[future] = group
            for task in group:
                reporter.started(task.article.id, task.renderer)

    unreachable_since = None
    try:
        while waiting or running:
            if caught:
                raise Interrupted(caught[0])
            unreachable_since = _still_connected(client, unreachable_since)
            fill()
            with suppress(queue.Empty):
                future = done.get(timeout=_TICK)
                group = running.pop(future)
                fill()  # the freed thread's next group goes out before this one's files are written
                _settle(future, group, settled)
                future.release()  # the bytes are written: the cluster may forget them
            reporter.tick()
    finally:
        if running and client.status == "running":
            client.cancel(list(running))


def _still_connected(client: Client, unreachable_since: float | None) -> float | None:
    """When the client lost the scheduler (None while connected); ExecutorError once it has
    been gone LOST_AFTER seconds: the client would otherwise try to reconnect for its whole
    timeout, then say so in its log."""
    if client.status == "running":
        return None
    if unreachable_since is None:
        return time.monotonic()
    if time.monotonic() - unreachable_since < LOST_AFTER:
        return unreachable_since
    raise ExecutorError(_lost(client.scheduler.address, f"no answer for {LOST_AFTER:g} s"))


def _lost(address: str, why: object) -> str:
    return f"lost the Dask scheduler at {address} ({why}): check that it runs (restart it and its workers if need be), then build again; the outputs written so far are kept"


def _settle(future: Future, group: list[Task], settled: Settlement) -> None:
    try:
        results = future.result()
    except KilledWorker as error:
        why = (
            f"the workers rendering it died {error.allowed_failures + 1} times (the last: {error.last_worker.address}); "
            "Dask gives a task up after distributed.scheduler.allowed-failures deaths: see the workers' logs"
        )
        results = [Rendered(task.renderer, None, why, 0.0) for task in group]
    except Exception as error:
        results = [Rendered(task.renderer, None, f"the cluster could not render it: {type(error).__name__}: {error}", 0.0) for task in group]
    for task, result in zip(group, results):
        if result.files is None:
            settled.settle(task, "failed", result.error, result.seconds)
        elif prepared := settled.prepare(task, result.seconds, result.files):
            settled.settle(prepared, "built", {name: files.file_record(path) for name, path in prepared.temporaries.items()}, result.seconds)
