"""The one place that knows the order of the stages.

load (discover → validate each file → link) gives a Site or problems;
``check`` and ``build`` both load with the fields of one BuildOptions value;
build renders pages, feeds and data exports from the Site, checks every
internal link, and hands the files to the writer, which swaps them in whole.
``check`` stops after linking and writes nothing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from .cms.admin import admin_files
from .config import PLACEHOLDER_ORIGIN, BuildOptions, Config
from .content.batch import validate_files
from .content.discover import Discovery, discover
from .content.entries import Located
from .content.link import link
from .content.validate import placeholder_origin, validate_archetypes, validate_site_config
from .incremental import build as memo
from .incremental import state as incremental
from .incremental.pages import decode_targets, encode_targets, plan_render
from .model import Archetype, OutputFile, Page, Sink, Site
from .output.dataset import export_job, previous_exports
from .output.feeds import build_feeds
from .output.search import SearchIndexError, SearchStats, search_indexer
from .output.writer import UnsafeOutput, WorkFolder, unsafe_path_problem
from .parallel import Aside, collector
from .problems import Problem, error, has_errors, sort_problems
from .render.batch import render_routes
from .render.cards import keep as keep_cards
from .render.linkcheck import broken_links
from .render.pages import make_renderer, site_files
from .render.routes import data_page, plan
from .render.templates import make_environment, static_files, theme_fingerprint

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) during long builds."""


@dataclass(frozen=True)
class Loaded:
    site: Site | None
    problems: tuple[Problem, ...]
    files: int = 0
    hashes: Mapping[str, str] = field(default_factory=dict)
    """Content hash of each entry and archetype, by key (``programs/x``)."""


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    ok: bool
    pages: int = 0
    entries: int = 0
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    search: SearchStats | None = None
    site: Site | None = field(default=None, compare=False)


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
    """Read, validate and link the content of ``project``; every problem at once.

    References are checked even when some files have errors (so that every
    problem is reported in one run); a reference to a file that has errors of its
    own is not reported again. ``publish``: the site is being built for its
    public address (not checked, not previewed), so an example address is a warning.
    """
    found = found if found is not None else discover(project)
    problems: list[Problem] = list(found.problems)
    config: Config | None = None
    archetypes: tuple[Archetype, ...] = ()
    for source in found.files:
        if source.kind == "site":
            result = validate_site_config(source)
            problems.extend(result.problems)
            config = result.config
            if config is not None:
                config = config.with_overrides(base_url=base_url, base_path=base_path)
                if publish and config.base_url == PLACEHOLDER_ORIGIN:
                    problems.append(placeholder_origin(source.path, result.base_url_at))
    hashes: dict[str, str] = {}
    archetypes_ok = False
    for source in found.files:
        if source.kind == "archetypes":
            archetypes, archetype_problems = validate_archetypes(source)
            problems.extend(archetype_problems)
            hashes.update((a.key, source.content_hash) for a in archetypes)
            archetypes_ok = not has_errors(archetype_problems)

    entry_files = [source for source in found.files if source.kind not in ("site", "archetypes")]
    validated = validate_files(
        project, entry_files, config, as_of, use_cache=use_cache, write_cache=write_cache, parallel=parallel
    )
    located: list[Located] = []
    pages: list[Page] = []
    failed: set[str] = set()
    for result in validated.results:  # one pass: 10,000 files and more
        if result.problems:
            problems.extend(result.problems)
        item = result.located
        if item is None:
            failed.add(f"{result.source.kind}/{result.source.slug}")
        elif result.source.kind == "pages":
            pages.append(item.entry)
        else:
            located.append(item)
            hashes[item.entry.key] = validated.hashes[result.source.path]

    if config is None or not archetypes_ok:
        return Loaded(None, sort_problems(problems), len(found.files))
    unavailable = found.unreadable | failed
    linked = link(config, as_of, archetypes, located, pages, drafts=drafts, unavailable=unavailable)
    problems.extend(linked.problems)
    if has_errors(problems):
        return Loaded(None, sort_problems(problems), len(found.files))
    return Loaded(linked.site, sort_problems(problems), len(found.files), hashes)


def check(options: BuildOptions) -> Loaded:
    """`catalog check`: load as a build with the same options would, writing nothing (not even the cache)."""
    return load(
        options.project,
        as_of=options.as_of,
        drafts=options.drafts,
        base_url=options.base_url,
        base_path=options.base_path,
        write_cache=False,
    )


@dataclass(frozen=True)
class Rendered:
    files: tuple[OutputFile, ...]
    """Files rendered in this build (without the pages a sink already placed)."""
    kept: tuple[str, ...]
    """Files unchanged since the previous build, kept from the output folder."""
    problems: tuple[Problem, ...]
    pages: int
    state: incremental.Next | None = None
    """What the next build may reuse; saved once this build's output is in place."""
    placed: tuple[str, ...] = ()
    """Files the sink placed in the work folder as they were made."""
    placed_written: int = 0
    """How many of those had new bytes."""


def render(site: Site, options: BuildOptions, hashes: Mapping[str, str], *, theme_key: str | None = None, sink: Sink | None = None) -> Rendered:
    """Every output file of the site (pages, data, feeds, static), links checked.

    Pages whose inputs did not change since the previous build into the same output
    folder are kept (see incremental/). With a ``sink`` (the writer's work folder),
    pages and data files are placed as they are made instead of being returned.
    """
    env, problems = make_environment(options.project, keep_compiled=True)
    if env is None or has_errors(problems):
        return Rendered((), (), problems, 0)
    keys = incremental.keys(site, options, theme_key if theme_key is not None else theme_fingerprint(options.project), hashes)
    previous = incremental.load(options.project, keys, options.output)
    # The data exports need nothing the pages make: they run beside the rendering.
    exports = Aside(export_job, site, previous_exports(previous.exports, hashes, options.output.resolve()), sink)
    try:
        routes = plan(site, {"data_files": ()})  # the data page is planned once the exports are made
        todo = plan_render(routes, site, keys.site, hashes, previous.pages, _keepable(sink, options.output))
        renderer = make_renderer(site, env, options, hashes=hashes, cards=previous.cards)
        data_path = data_page(site, ()).path
        batch = render_routes(renderer, [r for r in todo.render if r.path != data_path], sink=sink)
        if has_errors(batch.problems):
            return Rendered((), (), (*problems, *batch.problems), 0)
        exported = exports.result()
    finally:
        exports.close()
    data_route = data_page(site, exported.data_files)
    routes = tuple(data_route if r.path == data_path else r for r in routes)
    batch = batch.plus(render_routes(renderer, [data_route], sink=sink))
    if has_errors(batch.problems):
        return Rendered((), (), (*problems, *batch.problems), 0)
    feeds = build_feeds(site, previous.feeds)
    others = (*site_files(site, routes), *feeds.files, *exported.files, *static_files(options.project), *admin_files(site.config, local=options.serve))
    kept = (*(path for path, _ in todo.kept), *exported.kept)
    existing = frozenset({page.file.path for page in batch.pages} | {f.path for f in others} | set(kept) | set(exported.placed))
    links = incremental.kept_links(previous, todo, existing)
    if links.unknown:  # kept pages whose links cannot be read: rendered again, and so checked
        batch = batch.plus(render_routes(renderer, [r for r in routes if r.output_path in links.unknown], sink=sink))
        kept = tuple(path for path in kept if path not in links.unknown)
    base_path = site.config.base_path
    broken = [p for page in batch.pages for p in broken_links(page.file.path, page.targets, existing, base_path)]
    broken += [p for path, blob in (links.known or {}).items() for p in broken_links(path, decode_targets(blob), existing, base_path)]
    state = incremental.next_state(
        previous,
        todo,
        {page.file.path: encode_targets(page.targets) for page in batch.pages},
        links,
        existing,
        cards=keep_cards(previous.cards, hashes, batch.cards) if batch.cards else None,
        exports=exported.layouts,
        feeds=feeds.memo if feeds.reused < len(feeds.files) else None,
    )
    problems = (*problems, *batch.problems, *sorted(broken))
    pages = tuple(page.file for page in batch.pages)
    if sink is None:
        return Rendered((*pages, *others), kept, problems, len(routes), state)
    placed = (*(page.path for page in pages), *exported.placed)
    written = sum(page.written for page in batch.pages) + exported.written
    return Rendered(others, kept, problems, len(routes), state, placed, written)


def _keepable(sink: Sink | None, output: Path) -> Callable[[str], bool]:
    """Whether the previous build's file at a path is there to be kept."""
    if sink is not None:
        return sink.has_output
    base = f"{output.resolve()}/"
    return lambda path: os.path.isfile(base + path)


def build(options: BuildOptions, *, progress: Progress | None = None) -> BuildResult:
    """Check, render and write the site; nothing is written when there is an error."""
    with collector.paused():  # see parallel/collector.py
        return _build(options, progress=progress)


def _build(options: BuildOptions, *, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    found = discover(options.project)
    theme_key = theme_fingerprint(options.project)
    build_key = memo.build_key(options, found, theme_key)
    unchanged = memo.unchanged(options, build_key)
    if unchanged is not None:
        return replace(unchanged, seconds=time.perf_counter() - started)
    loaded = load(
        options.project,
        as_of=options.as_of,
        drafts=options.drafts,
        base_url=options.base_url,
        base_path=options.base_path,
        found=found,
        publish=not options.serve,
    )
    del found  # the bytes of every file, tens of megabytes: rendering does not need them
    if loaded.site is None or has_errors(loaded.problems, strict=options.strict):
        return BuildResult(loaded.problems, False, seconds=time.perf_counter() - started)
    if progress:
        progress("render", 0, 1)
    site = loaded.site

    def failed(*problems: Problem) -> BuildResult:
        return BuildResult(sort_problems(problems), False, seconds=time.perf_counter() - started, site=site)

    index = search_indexer(site.config.language) if options.search else None
    work = WorkFolder.open(options, search=index is not None)
    if isinstance(work, Problem):
        return failed(*loaded.problems, work)
    try:
        rendered = render(site, options, loaded.hashes, theme_key=theme_key, sink=work)
        problems = sort_problems((*loaded.problems, *rendered.problems))
        if not (rendered.files or rendered.placed) or has_errors(problems, strict=options.strict):
            work.abort()
            return failed(*problems)
        written = work.finish(rendered.files, kept=rendered.kept, placed=rendered.placed, placed_written=rendered.placed_written, index=index, progress=progress)
    except SearchIndexError as exc:
        return failed(*problems, error("pagefind", 0, 0, "search-index", f"検索インデックスを作れませんでした: {exc}"))
    except UnsafeOutput as exc:
        work.abort()
        return failed(*loaded.problems, unsafe_path_problem(str(exc)))
    except BaseException:
        work.abort()
        raise
    if written.problems:
        return failed(*problems, *written.problems)
    # Only now does the output folder hold what the state describes.
    if rendered.state is not None:
        incremental.save(options.project, rendered.state)
    entries = len(site.entries())
    result = BuildResult(problems, True, rendered.pages, entries, written.files, written.written, time.perf_counter() - started, written.search, site)
    memo.remember(options, build_key, result)
    return result
