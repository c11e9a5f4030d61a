"""The default executor: a pool of worker processes on this machine (pipeline.build.pool).

Tasks start costliest first; an article's outputs that share work (`Renderer.shares`) never
run side by side, so the second finds the work done instead of holding a worker while it
waits. A task's temporary files are made here, beside their targets, before a worker writes
them; on a signal the workers are killed before those files are removed.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline import atomic
from pipeline.build.engine import Interrupted, Reporter, Settlement, Task, render
from pipeline.build.pool import Done, Lost, Pool
from pipeline.registry import Renderer

_TICK = 0.1  # seconds between progress refreshes while waiting for workers


@dataclass(frozen=True)
class LocalPool:
    """The default executor: `jobs` worker processes on this machine."""

    jobs: int

    def run(self, tasks: list[Task], settled: Settlement, reporter: Reporter, caught: list[int]) -> None:
        _run(tasks, min(self.jobs, len(tasks)), settled, reporter, caught)


def _run(tasks: list[Task], jobs: int, settled: Settlement, reporter: Reporter, caught: list[int]) -> None:
    """Feed the tasks to a pool of `jobs` workers, settling each as it ends."""
    queue = deque(tasks)
    running: dict[tuple[str, str], tuple[Task, float]] = {}
    pool = Pool(jobs)
    try:
        while queue or running:
            if caught:
                raise Interrupted(caught[0])
            while pool.has_room() and (task := _next(queue, running, settled.renderers)):
                _start(task, pool, running, settled, reporter)
            for name, result in pool.wait(_TICK):
                task, started = running.pop(name)
                settled.settle(task, *ended(result), time.monotonic() - started)
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


def _start(task: Task, pool: Pool, running: dict[tuple[str, str], tuple[Task, float]], settled: Settlement, reporter: Reporter) -> None:
    prepared = settled.prepare(task)
    if prepared is None:
        return
    name = (prepared.article.id, prepared.renderer)
    running[name] = (prepared, time.monotonic())
    pool.submit(name, render, prepared, prepared.timeout)
    reporter.started(*name)


def ended(result: Done | Lost) -> tuple[str, Any]:
    """A pool job's end as (status, detail): ("built", file records) or ("failed", why)."""
    return result.value if isinstance(result, Done) else ("failed", _lost(result))


def _lost(result: Lost) -> str:
    if result.timed_out:
        return f"the renderer {result.reason}: it was stopped; allow it longer with --timeout SECONDS"
    return f"the renderer crashed: {result.reason}"
