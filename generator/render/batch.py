"""Render many routes at once, on every core.

Large sites are rendered by forked workers (parallel/pool.py) that inherit the
already built Site, routes and compiled templates instead of receiving them
pickled; a task is only a range of route numbers, and a worker sends back the
page bytes with the internal links it found in them (so link checking is spread
over the cores too).
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import jinja2

from ..config import BuildOptions
from ..model import OutputFile, Sink, Site
from ..parallel import map_ranges
from ..problems import Problem
from .cards import CardKey
from .linkcheck import internal_targets
from .pages import Renderer, make_renderer, site_files
from .plan import plan
from .routes import Route

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

    def plus(self, other: Batch) -> Batch:
        return Batch((*self.pages, *other.pages), (*self.problems, *other.problems), {**self.cards, **other.cards})


Inputs = tuple[Renderer, Sequence[Route], Sink | None]


def _render_range(inputs: Inputs, start: int, stop: int) -> Batch:
    renderer, routes, sink = inputs
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
    renderer: Renderer, routes: Sequence[Route], *, sink: Sink | None = None, parallel: bool = True
) -> Batch:
    """Render ``routes`` in order, in parallel when there are many; with a sink, place each page."""
    # Small chunks balance the load (index pages are much larger than entries).
    inputs: Inputs = (renderer, routes, sink)
    ranges = (
        map_ranges(
            _render_range, inputs, len(routes), chunks_per_worker=16, min_chunk=20, min_items=PARALLEL_MIN_ROUTES
        )
        if parallel
        else None
    )
    if ranges is None:
        if len(routes) < PARALLEL_MIN_ROUTES or gc.isenabled():
            return _render(renderer, routes, sink)
        # Thousands of pages in this process (the dev server): collect their garbage.
        gc.enable()
        try:
            return _render(renderer, routes, sink)
        finally:
            gc.disable()
    pages: list[RenderedPage] = []
    problems: list[Problem] = []
    cards: dict[CardKey, tuple[str, str]] = {}
    for _, _, batch in ranges:
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
    batch = render_routes(make_renderer(site, env, options), routes, parallel=False)
    return (*(page.file for page in batch.pages), *site_files(site, routes, serve=options.serve)), batch.problems
