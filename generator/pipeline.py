"""The one place that knows the order of the stages (docs/architecture.md draws them).

load: discover → validate each file → link, giving a Site or every problem at once; ``check``
stops there and writes nothing. build: load, render pages, data exports (beside the pages),
feeds and static files, check every internal link, and hand the files to the writer, which
swaps them in whole. What a build reuses is in incremental/, how it uses both cores in
parallel/: both can be skipped to follow a build.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from .config import BuildOptions
from .content.batch import validate_content
from .content.discover import Discovery, discover
from .incremental import build as memo
from .incremental import state as incremental
from .incremental.pages import decode_targets, plan_render
from .model import Sink, Site
from .output.dataset import Exported, export_job, previous_exports
from .output.feeds import build_feeds
from .output.search import search_indexer
from .output.writer import UnsafeOutput, WorkFolder, keepable, unsafe_path_problem
from .parallel import Aside, collector
from .problems import Problem, has_errors, sort_problems
from .render.batch import Batch, render_routes
from .render.linkcheck import site_links
from .render.pages import Renderer, make_renderer, site_files
from .render.plan import data_page, plan
from .render.routes import Route
from .render.templates import make_environment, static_files, theme_fingerprint
from .results import BuildResult, Loaded, Progress, Rendered


def load(
    project: Path,
    *,
    as_of: date,
    drafts: bool = False,
    base_url: str | None = None,
    base_path: str | None = None,
    use_cache: bool = True,
    write_cache: bool = True,
    parallel: bool = True,
    found: Discovery | None = None,
    publish: bool = False,
) -> Loaded:
    """Read, validate and link the content of ``project``; every problem at once (a reference to a
    file with errors of its own is not reported again). ``publish``: built for the public address."""
    found = found if found is not None else discover(project)
    address = {"base_url": base_url, "base_path": base_path}
    cached = {"use_cache": use_cache, "write_cache": write_cache, "parallel": parallel}
    content = validate_content(project, found, as_of, address, publish=publish, **cached)
    problems = list(content.problems)
    linked = content.link(as_of, drafts=drafts, unavailable=found.unreadable)
    if linked is None:
        return Loaded(None, sort_problems(problems), len(found.files))
    problems.extend(linked.problems)
    if has_errors(problems):
        return Loaded(None, sort_problems(problems), len(found.files))
    return Loaded(linked.site, sort_problems(problems), len(found.files), content.hashes)


def check(options: BuildOptions) -> Loaded:
    """`catalog check`: load as a build with the same options would, writing nothing (not even the cache)."""
    return load(options.project, **_content_options(options), write_cache=False)


def _content_options(options: BuildOptions) -> dict[str, Any]:
    """What a run's options say to ``load``."""
    return {
        "as_of": options.as_of,
        "drafts": options.drafts,
        "base_url": options.base_url,
        "base_path": options.base_path,
    }


def render(
    site: Site,
    options: BuildOptions,
    hashes: Mapping[str, str],
    *,
    theme_key: str | None = None,
    sink: Sink | None = None,
) -> Rendered:
    """Every output file of the site (pages, data, feeds, static), links checked; unchanged pages are
    kept (see incremental/). With a ``sink`` (the work folder), files are placed as they are made."""
    env, problems = make_environment(options.project, keep_compiled=True)
    if env is None or has_errors(problems):
        return Rendered((), (), problems, 0)
    theme_key = theme_key if theme_key is not None else theme_fingerprint(options.project)
    keys = incremental.keys(site, options, theme_key, hashes)
    previous = incremental.load(options.project, keys, options.output)
    # The data exports need nothing the pages make: they run beside the rendering.
    output = options.output.resolve()
    exports = Aside(export_job, site, lambda: previous_exports(previous.exports, hashes, output), sink)
    routes = plan(site, {"data_files": ()})  # the data page is planned once the exports are made
    todo = plan_render(routes, site, keys.site, hashes, previous.pages, keepable(sink, options.output))
    renderer = make_renderer(site, env, options, hashes=hashes, cards=previous.cards)
    batch, exported = _pages_beside(exports, renderer, todo.render, sink)
    if exported is not None:
        data_route = data_page(site, exported.data_files)
        routes = tuple(data_route if r.path == data_route.path else r for r in routes)
        batch = batch.plus(render_routes(renderer, [data_route], sink=sink))
    if exported is None or has_errors(batch.problems):
        return Rendered((), (), (*problems, *batch.problems), 0)
    feeds = build_feeds(site, previous.feeds)
    others = (*site_files(site, routes, serve=options.serve), *feeds.files, *exported.files)
    others += static_files(options.project)
    kept = (*(path for path, _ in todo.kept), *exported.kept)
    made = {page.file.path for page in batch.pages} | {f.path for f in others} | set(exported.placed)
    existing = frozenset(made | set(kept))
    links = incremental.kept_links(previous, todo, existing)
    if links.unknown:  # kept pages whose links cannot be read: rendered again, and so checked
        batch = batch.plus(render_routes(renderer, [r for r in routes if r.output_path in links.unknown], sink=sink))
        kept = tuple(path for path in kept if path not in links.unknown)
    checked = [
        *((p.file.path, p.targets) for p in batch.pages),
        *((p, decode_targets(b)) for p, b in (links.known or {}).items()),
    ]
    problems = (*problems, *batch.problems, *site_links(checked, existing, site.config.base_path))
    state = incremental.next_state(previous, todo, links, existing, incremental.Made(hashes, batch, exported, feeds))
    pages = tuple(page.file for page in batch.pages)
    if sink is None:
        return Rendered((*pages, *others), kept, problems, len(routes), state)
    placed = (*(page.path for page in pages), *exported.placed)
    written = sum(p.written for p in batch.pages) + exported.written
    return Rendered(others, kept, problems, len(routes), state, placed, written)


def _pages_beside(
    exports: Aside[Exported], renderer: Renderer, routes: Sequence[Route], sink: Sink | None
) -> tuple[Batch, Exported | None]:
    """The pages but the data page (it lists the data files), then the exports made meanwhile (None after an error)."""
    try:
        data_path = data_page(renderer.site, ()).path
        batch = render_routes(renderer, [r for r in routes if r.path != data_path], sink=sink)
        return batch, None if has_errors(batch.problems) else exports.result()
    finally:
        exports.close()


def build(options: BuildOptions, *, progress: Progress | None = None) -> BuildResult:
    """Check, render and write the site; nothing is written when there is an error."""
    started = time.perf_counter()
    with collector.paused():  # see parallel/collector.py
        found = discover(options.project)
        theme_key = theme_fingerprint(options.project)
        build_key = memo.build_key(options, found, theme_key)
        unchanged = memo.unchanged(options, build_key)
        if unchanged is not None:
            return replace(unchanged, seconds=time.perf_counter() - started)
        loaded = load(options.project, **_content_options(options), found=found, publish=not options.serve)
        del found  # the bytes of every file, tens of megabytes: rendering does not need them
        if loaded.site is None or has_errors(loaded.problems, strict=options.strict):
            return BuildResult(loaded.problems, False, seconds=time.perf_counter() - started)
        result = _write(loaded.site, loaded, options, theme_key, progress)
        result = replace(result, seconds=time.perf_counter() - started)
        if result.ok:
            memo.remember(options, build_key, result)
        return result


def _write(site: Site, loaded: Loaded, options: BuildOptions, theme_key: str, progress: Progress | None) -> BuildResult:
    """Render into the writer's work folder and swap it in; the state is saved once the output is in place."""
    if progress:
        progress("render", 0, 1)
    index = search_indexer(site.config.language) if options.search else None
    work = WorkFolder.open(options, search=index is not None)
    if isinstance(work, Problem):
        return BuildResult(sort_problems((*loaded.problems, work)), False, site=site)
    try:
        rendered = render(site, options, loaded.hashes, theme_key=theme_key, sink=work)
    except UnsafeOutput as exc:
        work.abort()
        return BuildResult(sort_problems((*loaded.problems, unsafe_path_problem(str(exc)))), False, site=site)
    except BaseException:
        work.abort()
        raise
    problems = sort_problems((*loaded.problems, *rendered.problems))
    if not (rendered.files or rendered.placed) or has_errors(problems, strict=options.strict):
        work.abort()
        return BuildResult(problems, False, site=site)
    written = work.finish(rendered.files, rendered.kept, rendered.placed, rendered.placed_written, index, progress)
    if written.problems:
        return BuildResult(sort_problems((*problems, *written.problems)), False, site=site)
    if rendered.state is not None:
        incremental.save(options.project, rendered.state)
    counts = (rendered.pages, len(site.entries()), written.files, written.written)
    return BuildResult(problems, True, *counts, 0.0, written.search, site)
