"""Python's cycle collector during a build.

A build makes millions of long-lived objects (files, entries, the Site, routes,
caches) and almost no reference cycles; every full collection walks all of them
again and finds next to nothing. So a build pauses the collector, and each forked
worker freezes what it inherited (never scanned again, its memory pages never
touched by the collector) and collects only the garbage it makes itself.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside, and as it was afterwards (nesting is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def start_worker() -> None:
    """In a forked worker: what it inherited lives until it exits; collect the rest."""
    gc.freeze()
    gc.enable()
