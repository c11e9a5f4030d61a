"""A child process that dies with its parent, however the parent ends (SIGKILL included).

A build killed outright (the out-of-memory killer, a CI timeout) cannot stop what it started;
on Linux the kernel can, when each child asks for it (`prctl(PR_SET_PDEATHSIG)`). Each level
asks for itself, so a whole tree goes: the pool's workers die with the build, the speech
workers with the pool's worker. Elsewhere the child ends when it next hears from its parent.
"""

from __future__ import annotations

import ctypes
import os
import signal
from contextlib import suppress

_PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent, process `parent`, dies; exit at
    once if it already has (then this process was handed to another parent before asking)."""
    with suppress(OSError, AttributeError):  # not Linux
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
