"""Run one command and print, as JSON, its wall time, status and memory (used by bench/run.py).

A process of its own per measurement, so that `getrusage(RUSAGE_CHILDREN)` sees only this
command's process tree: `maxrss_kb` is the largest single process in it (workers included,
as they are waited for). With --sample, the summed resident memory of the whole tree is also
read from /proc every 20 ms, or every SECONDS with --sample=SECONDS (`tree_peak_kb`): what the
build needs at once, workers together.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path


def tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, in kB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree)


def main() -> None:
    sample = sys.argv[1].startswith("--sample")
    every = float(sys.argv[1].partition("=")[2] or 0.02) if sample else 0.0
    command = sys.argv[2:] if sample else sys.argv[1:]
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    if sample:

        def watch() -> None:
            nonlocal peak
            while process.poll() is None:
                peak = max(peak, tree_rss_kb(process.pid))
                time.sleep(every)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    status = process.wait()
    seconds = time.perf_counter() - started
    if sample:
        watcher.join()
    result = {"seconds": seconds, "status": status, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
    if sample:
        result["tree_peak_kb"] = peak
    print(json.dumps(result))


if __name__ == "__main__":
    main()
