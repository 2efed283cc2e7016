"""Peak memory of one benchmark case, its own and that of any worker processes it starts.

``resource.getrusage`` gives the peak resident set of this process (``RUSAGE_SELF``) and of the
largest finished child (``RUSAGE_CHILDREN``), but not of several processes alive at once, so a
thread also samples the proportional set size (PSS: shared pages split between the processes
sharing them) of this process and all its descendants, and keeps the largest total.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

INTERVAL = 0.1


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


class PeakMemory:
    """Samples the memory of this process tree until stopped; figures in MiB."""

    def __init__(self) -> None:
        self.tree_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(INTERVAL):
                return

    def sample(self) -> None:
        total = sum(_pss_kib(pid) for pid in _descendants(os.getpid()))
        self.tree_kib = max(self.tree_kib, total)

    def report(self) -> dict[str, float]:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return {
            "peak_mb": round(max(own, self.tree_kib) / 1024, 1),
            "own_peak_mb": round(own / 1024, 1),
            "worker_peak_mb": round(children / 1024, 1),
            "tree_pss_peak_mb": round(self.tree_kib / 1024, 1),
        }


def current_mb() -> float:
    """This process's resident set now, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0
