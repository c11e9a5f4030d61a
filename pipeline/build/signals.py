"""Stopping a build cleanly: SIGINT (Ctrl-C) and SIGTERM (CI) are noted while the build runs,
and the engine stops between two steps, raising Interrupted once nothing is half done."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Interrupted(Exception):
    """The build was stopped by a signal (Ctrl-C, or SIGTERM from CI); nothing was left half done."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_caught() -> Iterator[list[int]]:
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
