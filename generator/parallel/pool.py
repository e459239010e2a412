"""Forked workers over ranges of item numbers.

The caller's items (files to validate, routes to render) and whatever the work
needs are inherited by each worker through fork, set once by the pool's
initializer; a task is ``(start, stop)`` and the worker sends back only its
result for those items. Small chunks balance the load (pages differ a lot in size).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from . import collector, forking

R = TypeVar("R")

Work = Callable[[Any, int, int], R]
"""work(inputs, start, stop): the result for items start…stop-1 of ``inputs``."""


def map_ranges(
    work: Work[R],
    inputs: Any,
    count: int,
    *,
    chunks_per_worker: int,
    min_chunk: int = 1,
    max_workers: int | None = None,
    min_items: int = 1,
) -> Iterator[tuple[int, int, R]] | None:
    """``(start, stop, work(inputs, start, stop))`` over ``range(count)``, in order, from forked workers.

    None when workers are not worth it or not safe (fewer than ``min_items``
    items, one core, other threads: see forking.py): the caller then does the
    work in this process. ``max_workers`` caps the pool (None: one per core).
    """
    cores = forking.cores()
    workers = min(cores, max_workers or cores)
    if count < min_items or workers <= 1 or not forking.can_fork():
        return None
    size = max(min_chunk, count // (workers * chunks_per_worker))
    bounds = [(i, min(i + size, count)) for i in range(0, count, size)]
    return _run(work, inputs, workers, bounds)


def _run(work: Work[R], inputs: Any, workers: int, bounds: list[tuple[int, int]]) -> Iterator[tuple[int, int, R]]:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(work, inputs)) as pool:
        starts, stops = zip(*bounds)
        yield from zip(starts, stops, pool.map(_range, starts, stops))


# Set once in each worker process by the pool's initializer (inherited through
# fork, never pickled); read-only afterwards. The parent process never sets it.
_WORKER: tuple[Work[Any], Any] | None = None


def _start_worker(work: Work[Any], inputs: Any) -> None:
    global _WORKER
    _WORKER = (work, inputs)
    collector.start_worker()  # what it inherited never becomes garbage here


def _range(start: int, stop: int) -> Any:
    assert _WORKER is not None
    work, inputs = _WORKER
    return work(inputs, start, stop)
