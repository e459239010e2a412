"""The one rule for forking: where a forked process is safe and worth it.

A child made by ``fork`` inherits every lock of the parent in the state it was in:
a lock held by another thread at that moment stays held in the child for ever. So a
process that runs other threads (the dev server's HTTP and watcher threads, a
browser driver in the tests) never forks; it does the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def cores() -> int:
    return os.cpu_count() or 1


def can_fork() -> bool:
    """True where a forked worker is safe (no other thread, a fork start method) and useful (two cores)."""
    return cores() > 1 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
