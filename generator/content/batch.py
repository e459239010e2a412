"""Validate every content file of a build: in parallel, and reused when unchanged.

A file's result depends only on its bytes, the site settings and the build date
(see incremental/validation.py, which keeps the results between runs). Forked
workers (parallel/pool.py) inherit the files to validate; a task is a range of
file numbers. Validation creates tens of thousands of objects that live until
the build ends, so the cyclic garbage collector is paused meanwhile: it would
scan them again and again and find next to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import PLACEHOLDER_ORIGIN, Config
from ..incremental import validation
from ..model import Archetype, Page
from ..parallel import collector, map_ranges
from ..problems import Problem, has_errors
from .discover import Discovery, SourceFile
from .entries import Located
from .link import Linked, link
from .validate import FileResult, placeholder_origin, validate_archetypes, validate_file, validate_site_config

PARALLEL_MIN_FILES = 400
"""Below this many files to validate, worker processes cost more than they save."""


@dataclass(frozen=True)
class Validated:
    results: tuple[FileResult, ...]
    hashes: Mapping[str, str]
    """Content hash of each file, by path: what incremental rendering keys pages on."""


def validate_files(
    project: Path,
    sources: Sequence[SourceFile],
    config: Config | None,
    as_of: date,
    *,
    use_cache: bool = True,
    write_cache: bool = True,
    parallel: bool = True,
) -> Validated:
    """Validate every file, reusing the results kept for identical bytes and settings."""
    hashes = {source.path: source.content_hash for source in sources}
    with collector.paused():
        previous = validation.load(project, config, as_of, hashes, sources) if use_cache else None
        results: dict[str, FileResult] = {}
        todo: list[SourceFile] = []
        for source in sources:
            hit = previous.reused(source, hashes[source.path]) if previous is not None else None
            if hit is not None:
                results[source.path] = hit
            else:
                todo.append(source)
        results.update(_validate_all(todo, config, as_of, parallel))
    ordered = tuple(results[source.path] for source in sources)
    if previous is not None and write_cache:
        validation.save(project, previous, hashes, ordered, todo)
    return Validated(ordered, hashes)


@dataclass(frozen=True)
class Content:
    """Every content file validated, ready to be linked."""

    config: Config | None
    archetypes: tuple[Archetype, ...] | None
    """None when archetypes.yaml has errors (nothing can be linked)."""
    located: tuple[Located, ...]
    pages: tuple[Page, ...]
    failed: frozenset[str]
    """Keys (``programs/x``) of the files that have errors of their own."""
    hashes: Mapping[str, str]
    """Content hash of each entry and archetype, by key (``programs/x``)."""
    problems: tuple[Problem, ...]

    def link(self, as_of: date, *, drafts: bool, unavailable: frozenset[str]) -> Linked | None:
        """The content linked into a Site (content/link.py); None when site.yaml or archetypes.yaml has errors.
        ``unavailable``: files that could not be read (their references are not reported again)."""
        if self.config is None or self.archetypes is None:
            return None
        unavailable = unavailable | self.failed
        return link(
            self.config, as_of, self.archetypes, self.located, self.pages, drafts=drafts, unavailable=unavailable
        )


def validate_content(
    project: Path,
    found: Discovery,
    as_of: date,
    overrides: Mapping[str, str | None],
    *,
    publish: bool = False,
    use_cache: bool = True,
    write_cache: bool = True,
    parallel: bool = True,
) -> Content:
    """site.yaml (with the command line's ``base_url``/``base_path`` overrides), archetypes.yaml,
    then every entry and page. ``publish``: an example address is a warning."""
    problems: list[Problem] = list(found.problems)
    config: Config | None = None
    for source in found.files:
        if source.kind == "site":
            settings = validate_site_config(source)
            problems.extend(settings.problems)
            config = settings.config.with_overrides(**overrides) if settings.config is not None else None
            if publish and config is not None and config.base_url == PLACEHOLDER_ORIGIN:
                problems.append(placeholder_origin(source.path, settings.base_url_at))
    hashes: dict[str, str] = {}
    archetypes: tuple[Archetype, ...] | None = None
    for source in found.files:
        if source.kind == "archetypes":
            found_archetypes, archetype_problems = validate_archetypes(source)
            problems.extend(archetype_problems)
            hashes.update((a.key, source.content_hash) for a in found_archetypes)
            archetypes = None if has_errors(archetype_problems) else found_archetypes
    entry_files = [source for source in found.files if source.kind not in ("site", "archetypes")]
    validated = validate_files(
        project, entry_files, config, as_of, use_cache=use_cache, write_cache=write_cache, parallel=parallel
    )
    for result in validated.results:
        problems.extend(result.problems)
    files = sort_results(validated.results)
    hashes.update(files.hashes)
    return Content(config, archetypes, files.located, files.pages, files.failed, hashes, tuple(problems))


@dataclass(frozen=True)
class Sorted:
    """Validated files sorted for the link stage."""

    located: tuple[Located, ...]
    pages: tuple[Page, ...]
    failed: frozenset[str]
    """Keys (``programs/x``) of the files that have errors of their own."""
    hashes: Mapping[str, str]
    """Content hash of each entry, by key: what incremental rendering keys pages on."""


def sort_results(results: Iterable[FileResult]) -> Sorted:
    """Entries, pages and the files that failed, for a build and for the preview alike."""
    located: list[Located] = []
    pages: list[Page] = []
    failed: set[str] = set()
    hashes: dict[str, str] = {}
    for result in results:  # one pass: 10,000 files and more
        item = result.located
        if item is None:
            failed.add(f"{result.source.kind}/{result.source.slug}")
        elif isinstance(item.entry, Page):
            pages.append(item.entry)
        else:
            located.append(item)
            hashes[item.entry.key] = result.source.content_hash
    return Sorted(tuple(located), tuple(pages), frozenset(failed), hashes)


Inputs = tuple[Sequence[SourceFile], Config | None, date]


def _validate_all(todo: list[SourceFile], config: Config | None, as_of: date, parallel: bool) -> dict[str, FileResult]:
    inputs: Inputs = (todo, config, as_of)
    ranges = (
        map_ranges(_validate_range, inputs, len(todo), chunks_per_worker=8, max_workers=8, min_items=PARALLEL_MIN_FILES)
        if parallel
        else None
    )
    if ranges is None:
        return {source.path: validate_file(source, config, as_of) for source in todo}
    results: dict[str, FileResult] = {}
    for start, stop, done in ranges:
        for source, (located, problems) in zip(todo[start:stop], done):
            results[source.path] = FileResult(source, located, problems)
    return results


def _validate_range(inputs: Inputs, start: int, stop: int) -> tuple[tuple[Located | None, tuple[Problem, ...]], ...]:
    # Workers send back only what the parent lacks: the parent has the files.
    sources, config, as_of = inputs
    results = (validate_file(source, config, as_of) for source in sources[start:stop])
    return tuple((result.located, result.problems) for result in results)
