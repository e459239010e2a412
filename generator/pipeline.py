"""The one place that knows the order of the stages.

load (discover → validate each file → link) gives a Site or problems;
build renders pages, feeds and data exports from the Site, checks every
internal link, and hands the files to the writer, which swaps them in whole.
``check`` stops after linking and writes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from . import cache
from .config import BuildOptions, Config
from .content.discover import SourceFile, discover
from .content.entries import Located
from .content.link import link
from .content.validate import FileResult, located_pages, validate_archetypes, validate_file, validate_site_config
from .model import Archetype, OutputFile, Site
from .problems import Problem, error, has_errors, sort_problems

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) during long builds."""


@dataclass(frozen=True)
class Loaded:
    site: Site | None
    problems: tuple[Problem, ...]
    files: int = 0


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
) -> Loaded:
    """Read, validate and link the content of ``project``; every problem at once."""
    found = discover(project)
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
    for source in found.files:
        if source.kind == "archetypes":
            archetypes, archetype_problems = validate_archetypes(source)
            problems.extend(archetype_problems)

    entry_files = [source for source in found.files if source.kind not in ("site", "archetypes")]
    results = validate_files(project, entry_files, config, as_of, use_cache=use_cache)
    for result in results:
        problems.extend(result.problems)

    if config is None or has_errors(problems):
        return Loaded(None, sort_problems(problems), len(found.files))

    located = [r.located for r in results if r.located is not None and r.source.kind != "pages"]
    linked = link(config, as_of, archetypes, located, located_pages(tuple(results)), drafts=drafts)
    problems.extend(linked.problems)
    return Loaded(linked.site, sort_problems(problems), len(found.files))


PARALLEL_MIN_FILES = 400
"""Below this many files to validate, worker processes cost more than they save."""


def validate_files(
    project: Path, sources: Sequence[SourceFile], config: Config | None, as_of: date, *, use_cache: bool = True
) -> tuple[FileResult, ...]:
    """Validate every file, reusing the results cached for identical bytes and settings."""
    key = cache.digest(cache.generator_fingerprint(), repr(config), as_of.isoformat())
    stored: dict[str, tuple[str, Located | None, tuple[Problem, ...]]] = (cache.load(project, "validate", key) if use_cache else None) or {}
    hashes = {source.path: cache.digest(source.data) for source in sources}
    results: dict[str, FileResult] = {}
    todo: list[SourceFile] = []
    for source in sources:
        hit = stored.get(source.path)
        if hit is not None and hit[0] == hashes[source.path]:
            results[source.path] = FileResult(source, hit[1], hit[2])
        else:
            todo.append(source)
    if len(todo) >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) > 1:
        workers = min(os.cpu_count() or 1, 8)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunk = max(1, len(todo) // (workers * 8))
            fresh = pool.map(_validate_one, todo, [config] * len(todo), [as_of] * len(todo), chunksize=chunk)
            for result in fresh:
                results[result.source.path] = result
    else:
        for source in todo:
            results[source.path] = validate_file(source, config, as_of)
    ordered = tuple(results[source.path] for source in sources)
    if use_cache and todo:
        cache.save(project, "validate", key, {r.source.path: (hashes[r.source.path], r.located, r.problems) for r in ordered})
    return ordered


def _validate_one(source: SourceFile, config: Config | None, as_of: date) -> FileResult:
    # Workers send back only what the parent lacks: the bytes stay in the parent.
    result = validate_file(source, config, as_of)
    return FileResult(SourceFile(source.path, source.kind, source.slug, b""), result.located, result.problems)


def render(site: Site, options: BuildOptions) -> tuple[tuple[OutputFile, ...], tuple[Problem, ...], int]:
    """Every output file of the site (pages, feeds, data, static), links checked.

    Returns the files, the problems, and how many HTML pages there are.
    """
    from .output.exports import export_data
    from .output.feeds import build_feeds
    from .render.linkcheck import check_links
    from .render.pages import render_site
    from .render.templates import make_environment, static_files

    env, problems = make_environment(options.project)
    if env is None or has_errors(problems):
        return (), problems, 0
    data_files = export_data(site)
    pages, page_problems = render_site(site, env, options, {"data_files": data_files})
    problems = (*problems, *page_problems)
    if has_errors(page_problems):
        return (), problems, 0
    files = (*pages, *build_feeds(site), *(d.file for d in data_files), *static_files(options.project))
    problems = (*problems, *check_links(files, site.config))
    html_pages = sum(1 for f in pages if f.path.endswith(".html"))
    return files, problems, html_pages


def build(
    options: BuildOptions,
    *,
    base_url: str | None = None,
    base_path: str | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Check, render and write the site; nothing is written when there is an error."""
    from .output.writer import write_site

    started = time.perf_counter()
    loaded = load(options.project, as_of=options.as_of, drafts=options.drafts or options.serve, base_url=base_url, base_path=base_path)
    if loaded.site is None or has_errors(loaded.problems, strict=options.strict):
        return BuildResult(loaded.problems, False, seconds=time.perf_counter() - started)
    if progress:
        progress("render", 0, 1)
    files, render_problems, pages = render(loaded.site, options)
    problems = sort_problems((*loaded.problems, *render_problems))
    if not files or has_errors(problems, strict=options.strict):
        return BuildResult(problems, False, seconds=time.perf_counter() - started, site=loaded.site)
    from .output.search import SearchIndexError, search_indexer

    index = search_indexer(loaded.site.config.language) if options.search else None
    try:
        written = write_site(files, options, progress=progress, index=index)
    except SearchIndexError as exc:
        failed = error("pagefind", 0, 0, "search-index", f"検索インデックスを作れませんでした: {exc}")
        return BuildResult(sort_problems((*problems, failed)), False, seconds=time.perf_counter() - started, site=loaded.site)
    if written.problems:
        problems = sort_problems((*problems, *written.problems))
        return BuildResult(problems, False, seconds=time.perf_counter() - started, site=loaded.site)
    return BuildResult(
        problems,
        True,
        pages=pages,
        entries=len(loaded.site.entries()),
        files=written.files,
        written=written.written,
        seconds=time.perf_counter() - started,
        search=written.search,
        site=loaded.site,
    )
