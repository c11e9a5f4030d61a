"""A process pool that outlives its workers: per-job deadlines, crashes and Ctrl-C.

`concurrent.futures` breaks as a whole when one worker dies and cannot stop a job that hangs;
a renderer may do either (a native library's crash, a speech engine that never returns). Here
each worker is a long-lived process (a renderer's heavy imports are paid once per worker, not
once per job) in its own process group, so that the pool can kill a worker that overran its
deadline together with anything it started, report that job as lost, and start another.
Workers are fresh interpreters running `serve` (not multiprocessing children, which would
re-run the caller's main script), and ignore Ctrl-C: the parent decides what an interruption
stops and cleans up. Temporary files a renderer makes through `tempfile` land in a scratch
folder of the pool, removed when the pool closes whatever happened to the workers. A worker's
own output (a library's chatter, a crash report) goes to a log in that folder: it cannot
scramble the progress display, and its last lines explain a death or a timeout.
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from pipeline.parent_death import die_with_parent

_STARTER = "import json, sys; sys.path[:] = json.loads(sys.argv[2]); from pipeline.build.pool import serve; serve()"
_STARTED = "started"  # a worker's word that the job's own time now runs
_GRACE = 2.0  # seconds an idle worker gets to exit on its own when the pool closes


@dataclass(frozen=True)
class Done:
    """The job's function returned `value`."""

    value: Any


@dataclass(frozen=True)
class Lost:
    """The job never returned: its worker overran the deadline, died, or the function raised."""

    reason: str
    timed_out: bool = False


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection
    log: Path
    guardian: _Guardian
    job: Any = None
    timeout: float = 0.0
    deadline: float = 0.0


@dataclass
class Pool:
    """Up to `size` workers; `submit` a job while `has_room()`, then collect with `wait`."""

    size: int
    _scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pipeline-")))
    _workers: list[_Worker] = field(default_factory=list)

    def has_room(self) -> bool:
        return any(worker.job is None for worker in self._workers) or len(self._workers) < self.size

    def submit(self, job: Any, function: Callable[[Any], Any], argument: Any, timeout: float) -> None:
        """Run `function(argument)` in an idle worker; `job` names it in `wait`'s results."""
        for idle in [worker for worker in self._workers if worker.job is None and worker.process.poll() is not None]:
            self._stop(idle)  # died between two jobs
        worker = next((worker for worker in self._workers if worker.job is None), None) or self._start()
        worker.connection.send((function, argument))
        worker.job, worker.timeout = job, timeout
        worker.deadline = time.monotonic() + timeout  # to start (a new worker boots); then to finish

    def wait(self, seconds: float) -> list[tuple[Any, Done | Lost]]:
        """Jobs that ended within `seconds`, returning sooner when one finishes, dies or overruns."""
        busy = [worker for worker in self._workers if worker.job is not None]
        if not busy:
            return []
        seconds = max(0.0, min(seconds, min(worker.deadline for worker in busy) - time.monotonic()))
        ready = wait([worker.connection for worker in busy], seconds)
        finished = []
        for worker in busy:
            job = worker.job
            result = self._receive(worker) if worker.connection in ready or worker.process.poll() is not None else None
            if result is not None:
                finished.append((job, result))
            elif time.monotonic() >= worker.deadline:
                reason = f"timed out after {worker.timeout:g} s" + _last_words(worker.log)
                finished.append((job, Lost(reason, timed_out=True)))
                self._stop(worker)
        return finished

    def close(self) -> None:
        """Stop every worker (running jobs are abandoned) and remove the scratch folder."""
        idle = [worker for worker in self._workers if worker.job is None]
        for worker in idle:  # all told first: they end side by side
            with suppress(OSError):
                worker.connection.send(None)
        for worker in idle:
            with suppress(subprocess.TimeoutExpired):
                worker.process.wait(_GRACE)
        for worker in list(self._workers):
            self._stop(worker)
        shutil.rmtree(self._scratch, ignore_errors=True)

    def _start(self) -> _Worker:
        ours, theirs = socket.socketpair()
        log = self._scratch / f"worker-{len(self._workers)}-{time.monotonic_ns()}.log"
        with ours, theirs, log.open("ab") as output:
            process = subprocess.Popen(
                [sys.executable, "-c", _STARTER, str(theirs.fileno()), json.dumps(sys.path), str(os.getpid())],  # the parent's import path
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                pass_fds=(theirs.fileno(),),
                process_group=0,  # its own group: the pool can kill it with everything it started
                env={**os.environ, "TMPDIR": str(self._scratch)},
            )
            connection = Connection(ours.detach())
        worker = _Worker(process, connection, log, _Guardian.of(process.pid))
        self._workers.append(worker)
        return worker

    def _receive(self, worker: _Worker) -> Done | Lost | None:
        """The job's result, Lost if the worker died, or None if it only said it has started."""
        try:
            while worker.connection.poll():
                message = worker.connection.recv()
                if message == _STARTED:
                    worker.deadline = time.monotonic() + worker.timeout
                    continue
                worker.job = None
                return message
            if worker.process.poll() is None:
                return None
        except (EOFError, OSError):
            pass
        with suppress(subprocess.TimeoutExpired):
            worker.process.wait(_GRACE)
        reason = _death(worker.process.returncode) + _last_words(worker.log)
        self._stop(worker)
        return Lost(reason)

    def _stop(self, worker: _Worker) -> None:
        """Kill the worker's process group (renderer subprocesses too), then forget the worker."""
        with suppress(OSError):
            os.killpg(worker.process.pid, signal.SIGKILL)
        worker.guardian.dismiss()  # while the worker is unreaped, its group's number is no one else's
        worker.process.wait()
        worker.connection.close()
        self._workers.remove(worker)


@dataclass
class _Guardian:
    """A shell that kills a worker's process group, with whatever the renderer started in it,
    once the pool's process is gone: it waits for the end of a pipe only the pool holds open,
    which the system closes however the pool's process ends, SIGKILL included. (The worker
    itself also dies with its parent, `die_with_parent`; its children would not.)"""

    process: subprocess.Popen[bytes]
    pipe: int

    @classmethod
    def of(cls, group: int) -> _Guardian:
        reading, writing = os.pipe()  # neither end inherited by any other child
        try:
            process = subprocess.Popen(
                ["sh", "-c", 'read line; kill -KILL "-$1"', "pipeline-guardian", str(group)],
                stdin=reading,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                process_group=0,  # Ctrl-C at the terminal is the pool's to handle, not its
            )
        finally:
            os.close(reading)
        return cls(process, writing)

    def dismiss(self) -> None:
        """The worker is being stopped: the guardian kills what is left of its group, and ends."""
        os.close(self.pipe)
        self.process.wait()


def _death(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        number = -returncode
        try:
            return f"its process was killed by signal {number} ({signal.Signals(number).name})"
        except ValueError:
            return f"its process was killed by signal {number}"
    return f"its process exited with status {returncode} before finishing"


def _last_words(log: Path) -> str:
    """What a worker printed during its job, to explain how the job ended: the last lines, or,
    after a native crash, the fatal error and the innermost frames of its report."""
    try:
        lines = [line.strip() for line in log.read_text("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return ""
    fatal = next((index for index, line in enumerate(lines) if line.startswith("Fatal Python error")), None)
    said = " | ".join(lines[fatal : fatal + 4]) if fatal is not None else " | ".join(lines[-3:])
    return f"; its last output: {said[:400]}" if said else ""


def serve() -> None:
    """Worker main loop: run each (function, argument) received; None or a closed socket ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(int(sys.argv[3]))  # a build killed with SIGKILL leaves no worker writing into its folder
    faulthandler.enable()  # a native crash leaves its report in the log
    connection = Connection(int(sys.argv[1]))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, argument = message
        os.ftruncate(1, 0)  # the log holds one job's output
        connection.send(_STARTED)
        try:
            result: Done | Lost = Done(function(argument))
        except BaseException as error:
            result = Lost(f"{type(error).__name__}: {error}")
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            connection.send(result)
        except Exception as error:
            connection.send(Lost(f"its result could not be returned: {type(error).__name__}: {error}"))
