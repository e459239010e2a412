"""Render many routes at once, on every core.

Large sites are rendered by a pool of forked worker processes. Forking lets each
worker inherit the already built Site, routes and compiled templates instead of
receiving them pickled; a task is only a range of route numbers, and a worker
sends back the page bytes with the internal links it found in them (so link
checking is spread over the cores too).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import jinja2

from .. import collector
from ..cms.admin import admin_files
from ..config import BuildOptions
from ..model import OutputFile, Sink, Site
from ..problems import Problem
from .cards import CardKey
from .linkcheck import internal_targets
from .pages import Renderer, make_renderer, site_files
from .routes import Route, plan

PARALLEL_MIN_ROUTES = 300
"""Below this many pages, starting workers costs more than it saves."""


@dataclass(frozen=True)
class RenderedPage:
    file: OutputFile
    """The page; its bytes are empty when a sink already placed it in the output."""
    targets: tuple[tuple[str, str], ...]
    """(href, output path) of its internal links, for the link check."""
    written: bool = False
    """A sink had to write its bytes (they differed from every earlier build's)."""


@dataclass(frozen=True)
class Batch:
    pages: tuple[RenderedPage, ...]
    problems: tuple[Problem, ...]
    cards: Mapping[CardKey, tuple[str, str]] = field(default_factory=dict)
    """Cards rendered for these pages (see cards.py), sent back so that the next build can keep them."""


# Set once in each worker process by the pool's initializer (inherited through
# fork, never pickled); read-only afterwards. The parent process never sets it.
_WORKER: tuple[Renderer, Sequence[Route], Sink | None] | None = None


def _start_worker(renderer: Renderer, routes: Sequence[Route], sink: Sink | None) -> None:
    global _WORKER
    _WORKER = (renderer, routes, sink)
    collector.start_worker()  # the inherited Site never becomes garbage here


def _render_range(start: int, stop: int) -> Batch:
    assert _WORKER is not None
    renderer, routes, sink = _WORKER
    return _render(renderer, routes[start:stop], sink)


def _render(renderer: Renderer, routes: Sequence[Route], sink: Sink | None) -> Batch:
    base_path = renderer.site.config.base_path
    pages: list[RenderedPage] = []
    problems: list[Problem] = []
    for route in routes:
        file, problem = renderer.render(route)
        if problem is not None:
            problems.append(problem)
        elif file is not None:
            targets = internal_targets(file, base_path)
            if sink is None:
                pages.append(RenderedPage(file, targets))
            else:
                # Placed now, so that tens of thousands of pages are never all in memory.
                written = sink.put(file)
                pages.append(RenderedPage(OutputFile(file.path, b"", file.media_type), targets, written))
    return Batch(tuple(pages), tuple(problems), renderer.cards.drain())


def render_routes(
    renderer: Renderer, routes: Sequence[Route], *, workers: int | None = None, sink: Sink | None = None
) -> Batch:
    """Render ``routes`` in order, in parallel when there are many; with a sink, place each page."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(routes) < PARALLEL_MIN_ROUTES or "fork" not in multiprocessing.get_all_start_methods():
        if len(routes) < PARALLEL_MIN_ROUTES or gc.isenabled():
            return _render(renderer, routes, sink)
        # Thousands of pages in this process (the dev server): collect their garbage.
        gc.enable()
        try:
            return _render(renderer, routes, sink)
        finally:
            gc.disable()
    # Small chunks balance the load (index pages are much larger than entries).
    size = max(20, len(routes) // (workers * 16))
    bounds = [(i, min(i + size, len(routes))) for i in range(0, len(routes), size)]
    pages: list[RenderedPage] = []
    problems: list[Problem] = []
    cards: dict[CardKey, tuple[str, str]] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(renderer, routes, sink)) as pool:
        for batch in pool.map(_render_range, *zip(*bounds)):
            pages.extend(batch.pages)
            problems.extend(batch.problems)
            cards.update(batch.cards)
    return Batch(tuple(pages), tuple(problems), cards)


def render_site(
    site: Site, env: jinja2.Environment, options: BuildOptions, extra: Mapping[str, object]
) -> tuple[tuple[OutputFile, ...], tuple[Problem, ...]]:
    """Every page of the site with sitemap.xml and robots.txt, rendered in this process
    (no cache, no workers): the whole render stage as one pure function."""
    routes = plan(site, extra)
    batch = render_routes(make_renderer(site, env, options), routes, workers=1)
    admin = admin_files(site.config, local=options.serve)
    return (*(page.file for page in batch.pages), *site_files(site, routes), *admin), batch.problems
