"""The one place that knows the order of the stages.

load (discover → validate each file → link) gives a Site or problems;
``check`` and ``build`` both load with the fields of one BuildOptions value;
build renders pages, feeds and data exports from the Site, checks every
internal link, and hands the files to the writer, which swaps them in whole.
``check`` stops after linking and writes nothing.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from . import cache, collector
from .aside import Aside
from .cms.admin import admin_files
from .config import PLACEHOLDER_ORIGIN, BuildOptions, Config
from .content.batch import validate_files
from .content.discover import Discovery, discover
from .content.entries import Located
from .content.link import link
from .content.validate import placeholder_origin, validate_archetypes, validate_site_config
from .model import Archetype, OutputFile, Page, Sink, Site
from .output.dataset import export_job
from .output.feeds import build_feeds
from .output.search import SearchIndexError, search_indexer
from .output.writer import UnsafeOutput, WorkFolder, unsafe_path_problem
from .problems import Problem, error, has_errors, sort_problems
from .render.batch import Batch, render_routes
from .render.cards import keep as keep_cards
from .render.deps import decode_targets, encode_targets, known_links, links_digest, plan_render
from .render.linkcheck import broken_links
from .render.pages import make_renderer, site_files
from .render.routes import data_page, plan
from .render.templates import make_environment, static_files, static_fingerprint, theme_fingerprint

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
    search: object | None = None
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
    """Pages unchanged since the previous build, kept from the output folder."""
    problems: tuple[Problem, ...]
    pages: int
    page_cache: Mapping[str, object]
    """What the next build needs to keep pages: fingerprint and links by path, and every output path."""
    cache_key: str
    exports_cache: tuple[str, Mapping[str, object]] = ("", {})
    """Layout of each data file by path (record hashes and offsets, no bytes), for the next build."""
    placed: tuple[str, ...] = ()
    """Pages the sink placed in the work folder as they were rendered."""
    placed_written: int = 0
    """How many of those had new bytes."""
    cards_cache: tuple[str, Mapping[object, object]] | None = None
    """The cards to keep for the next build (see render/cards.py); None when no card was rendered."""
    links_cache: tuple[str, Mapping[str, str]] | None = None
    """The internal links of every kept page, when some changed (saved before the page cache)."""


def render(
    site: Site,
    options: BuildOptions,
    hashes: Mapping[str, str],
    *,
    theme_key: str | None = None,
    sink: Sink | None = None,
) -> Rendered:
    """Every output file of the site (pages, feeds, data, static), links checked.

    Pages whose inputs did not change since the previous build into the same
    output folder are not rendered again (their files are kept). ``theme_key``
    is the templates' fingerprint when the caller has it already. With a
    ``sink`` (the writer's work folder), pages are placed as they are rendered
    instead of being returned.
    """
    env, problems = make_environment(options.project, keep_compiled=True)
    if env is None or has_errors(problems):
        return Rendered((), (), problems, 0, {}, "")
    global_key = cache.digest(
        cache.generator_fingerprint(),
        theme_key if theme_key is not None else theme_fingerprint(options.project),
        repr(site.config),
        site.as_of.isoformat(),
        repr((options.drafts, options.serve)),
    )
    output = options.output.resolve()
    cache_key = cache.digest(global_key, str(output))
    stored = (cache.load(options.project, "pages", cache_key) or {}) if output.is_dir() else {}
    previous, previous_paths = stored.get("pages", {}), stored.get("paths", frozenset())

    # The exports run beside the rendering (see aside.py): on the free core of an incremental
    # build, and shared with the render workers in a cold one (instead of 1.4 s before them
    # at 10,000 entries). The dev server runs HTTP threads: it must not fork.
    places = sink if isinstance(sink, WorkFolder) else None
    exports = Aside(export_job, site, options.project, cache_key, hashes, output, places, fork=not options.serve)
    try:
        routes = plan(site, {"data_files": ()})  # the data page is planned once the exports are made
        kept_ok = sink.has_output if isinstance(sink, WorkFolder) else (lambda path, base=f"{output}/": os.path.isfile(base + path))
        todo = plan_render(routes, site, global_key, hashes, previous, kept_ok)
        cards_key = cache.digest(cache_key, *(f"{a.key}={hashes.get(a.key, '?')}" for a in site.archetypes))
        stored_cards = cache.load(options.project, "cards", cards_key) or {}
        renderer = make_renderer(site, env, options, hashes=hashes, cards=stored_cards)
        data_path = data_page(site, ()).path
        # The dev server runs HTTP threads: forking then could copy a lock held by one of them.
        workers = 1 if options.serve else None
        batch = render_routes(renderer, [r for r in todo.render if r.path != data_path], workers=workers, sink=sink)
        if has_errors(batch.problems):
            return Rendered((), (), (*problems, *batch.problems), 0, {}, cache_key)
        exported = exports.result()
    finally:
        exports.close()
    data_route = data_page(site, exported.data_files)
    routes = tuple(data_route if r.path == data_path else r for r in routes)
    last = render_routes(renderer, [data_route], workers=1, sink=sink)
    batch = Batch((*batch.pages, *last.pages), (*batch.problems, *last.problems), {**batch.cards, **last.cards})
    problems = (*problems, *batch.problems)
    if has_errors(batch.problems):
        return Rendered((), (), problems, 0, {}, cache_key)

    feeds = build_feeds(site, cache.load(options.project, "feeds", global_key) or {})
    if feeds.reused < len(feeds.files):  # the memo holds bytes by input digest: valid whatever the output folder holds
        cache.save(options.project, "feeds", global_key, feeds.memo)
    others = (*site_files(site, routes), *feeds.files, *exported.files, *static_files(options.project), *admin_files(site.config, local=options.serve))
    pages = tuple(page.file for page in batch.pages)
    kept = (*(path for path, _ in todo.kept), *exported.kept)
    exports_cache = (cache_key, exported.layouts)
    cards_cache = (cards_key, keep_cards(stored_cards, hashes, batch.cards)) if batch.cards else None
    existing = frozenset({f.path for f in (*pages, *others)} | set(kept) | set(exported.placed))
    base_path = site.config.base_path
    broken = [p for page in batch.pages for p in broken_links(page.file.path, page.targets, existing, base_path)]
    fresh = {page.file.path: encode_targets(page.targets) for page in batch.pages}
    kept_links = dict(todo.kept)  # path → digest of its links; the lists are in the "links" cache file
    old_links: dict[str, str] | None = None
    unknown: set[str] = set()
    if previous_paths - existing:
        # A file went away: a kept page may link it. (Otherwise every link of a kept
        # page still resolves, as it did when the page was checked.)
        old_links = known_links(cache.load(options.project, "links", cache.digest(cache_key, stored.get("links", ""))), kept_links)
        unknown = kept_links.keys() - old_links.keys()
        if unknown:  # their stored links are gone: they are rendered again, and so checked
            again = render_routes(renderer, [r for r in routes if r.output_path in unknown], workers=workers, sink=sink)
            batch = Batch((*batch.pages, *again.pages), (*batch.problems, *again.problems), {**batch.cards, **again.cards})
            broken += [p for page in again.pages for p in broken_links(page.file.path, page.targets, existing, base_path)]
            fresh.update((page.file.path, encode_targets(page.targets)) for page in again.pages)
            kept = tuple(path for path in kept if path not in unknown)
            pages = tuple(page.file for page in batch.pages)
        broken += [p for path, blob in old_links.items() for p in broken_links(path, decode_targets(blob), existing, base_path)]
    problems = (*problems, *sorted(broken))
    # Only pages with a fingerprint can be kept; the others are rendered every time.
    fresh = {path: blob for path, blob in fresh.items() if todo.fingerprints.get(path) is not None}
    digests = {path: links_digest(blob) for path, blob in fresh.items()}
    links_cache = None
    token = stored.get("links", "")
    if not token or unknown or any(previous.get(path, ("", ""))[1] != digest for path, digest in digests.items()):
        # Some page's links changed: a new links file. A kept page whose stored links
        # cannot be read is left out of it, and so is not kept by the next build.
        if old_links is None:
            old_links = known_links(cache.load(options.project, "links", cache.digest(cache_key, token)), kept_links)
        token = secrets.token_hex(8)
        links_cache = (cache.digest(cache_key, token), {**old_links, **fresh})
    described = {**{p: d for p, d in kept_links.items() if links_cache is None or p in links_cache[1]}, **digests}
    page_cache = {
        "pages": {path: (fp, described[path]) for path, fp in todo.fingerprints.items() if fp is not None and path in described},
        "paths": existing,
        "links": token,
    }
    if sink is None:
        return Rendered((*pages, *others), kept, problems, len(routes), page_cache, cache_key, exports_cache, cards_cache=cards_cache, links_cache=links_cache)
    placed = (*(page.file.path for page in batch.pages), *exported.placed)
    written = sum(page.written for page in batch.pages) + exported.written
    return Rendered(others, kept, problems, len(routes), page_cache, cache_key, exports_cache, placed, written, cards_cache, links_cache)


def build(options: BuildOptions, *, progress: Progress | None = None) -> BuildResult:
    """Check, render and write the site; nothing is written when there is an error."""
    with collector.paused():  # see collector.py
        return _build(options, progress=progress)


def _build(options: BuildOptions, *, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    found = discover(options.project)
    theme_key = theme_fingerprint(options.project)
    build_key = _build_key(options, found, theme_key)
    unchanged = _unchanged_build(options, build_key)
    if unchanged is not None:
        return replace(unchanged, seconds=time.perf_counter() - started)
    loaded = load(
        options.project,
        as_of=options.as_of,
        drafts=options.drafts,
        base_url=options.base_url,
        base_path=options.base_path,
        parallel=not options.serve,
        found=found,
        publish=not options.serve,
    )
    del found  # the bytes of every file, tens of megabytes: rendering does not need them
    if loaded.site is None or has_errors(loaded.problems, strict=options.strict):
        return BuildResult(loaded.problems, False, seconds=time.perf_counter() - started)
    if progress:
        progress("render", 0, 1)
    index = search_indexer(loaded.site.config.language) if options.search else None
    work = WorkFolder.open(options, search=index is not None)
    if isinstance(work, Problem):
        return BuildResult(sort_problems((*loaded.problems, work)), False, seconds=time.perf_counter() - started, site=loaded.site)
    try:
        rendered = render(loaded.site, options, loaded.hashes, theme_key=theme_key, sink=work)
        problems = sort_problems((*loaded.problems, *rendered.problems))
        if not (rendered.files or rendered.placed) or has_errors(problems, strict=options.strict):
            work.abort()
            return BuildResult(problems, False, seconds=time.perf_counter() - started, site=loaded.site)
        written = work.finish(
            rendered.files,
            kept=rendered.kept,
            placed=rendered.placed,
            placed_written=rendered.placed_written,
            index=index,
            progress=progress,
        )
    except SearchIndexError as exc:
        failed = error("pagefind", 0, 0, "search-index", f"検索インデックスを作れませんでした: {exc}")
        return BuildResult(sort_problems((*problems, failed)), False, seconds=time.perf_counter() - started, site=loaded.site)
    except UnsafeOutput as exc:
        work.abort()
        return BuildResult(sort_problems((*loaded.problems, unsafe_path_problem(str(exc)))), False, seconds=time.perf_counter() - started, site=loaded.site)
    except BaseException:
        work.abort()
        raise
    if written.problems:
        problems = sort_problems((*problems, *written.problems))
        return BuildResult(problems, False, seconds=time.perf_counter() - started, site=loaded.site)
    # Only now does the output folder hold what the page cache describes.
    if rendered.links_cache is not None:
        cache.save(options.project, "links", *rendered.links_cache)  # first: the page cache names it
    cache.save(options.project, "pages", rendered.cache_key, rendered.page_cache)
    cache.save(options.project, "exports", *rendered.exports_cache)
    if rendered.cards_cache is not None:
        cache.save(options.project, "cards", *rendered.cards_cache)
    result = BuildResult(
        problems,
        True,
        pages=rendered.pages,
        entries=len(loaded.site.entries()),
        files=written.files,
        written=written.written,
        seconds=time.perf_counter() - started,
        search=written.search,
        site=loaded.site,
    )
    cache.save(options.project, "build", build_key, (_output_stamp(options.output), replace(result, site=None)))
    return result


def _build_key(options: BuildOptions, found: Discovery, theme_key: str) -> str:
    """Everything a build's output depends on: code, theme, content bytes, options."""
    parts: list[bytes | str] = [
        cache.generator_fingerprint(),
        theme_key,
        static_fingerprint(options.project),
        repr((options.as_of, options.drafts, options.serve, options.strict, options.search, options.base_url, options.base_path)),
        str(options.output.resolve()),
        repr(found.problems),
    ]
    for source in found.files:
        parts.append(source.path)
        parts.append(source.content_hash)  # the digest of its bytes, made once when it was read
    return cache.digest(*parts)


def _output_stamp(output: Path) -> tuple[int, int] | None:
    try:
        info = output.resolve().stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def _unchanged_build(options: BuildOptions, build_key: str) -> BuildResult | None:
    """The previous build's result when nothing it depends on changed and its output is in place.

    A no-op rebuild then writes nothing at all: the output is already what this
    build would produce, byte for byte.
    """
    stored = cache.load(options.project, "build", build_key)
    if stored is None:
        return None
    stamp, result = stored
    if stamp is None or stamp != _output_stamp(options.output):
        return None
    search = result.search
    if search is not None:
        search = replace(search, seconds=0.0, reused=True, reused_shards=search.shards)
    return replace(result, written=0, search=search)
