"""The dev server's site in memory: the loaded, linked content of the last good build.

A ``Model`` holds every entry file's validation result (by path, with the digest
of its bytes), the linked Site, each page's fingerprint (see render/deps.py) and
the output paths being served. After an edit of existing entry files, ``apply``
validates only those files, links the site again (or, when only bodies changed
and their links did not, puts the new entries into the old Site), and says
which pages the edit touches; nothing is read from disk here except by
``prime`` and ``read_changes``. Every other change (site.yaml, archetypes.yaml,
themes, static files, a file added or deleted) is left to a full build:
``classify`` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import jinja2

from ..config import BuildOptions, Config
from ..content.batch import sort_results, validate_files
from ..content.discover import SLUG, Discovery, SourceFile, read_entry
from ..content.entries import Located
from ..content.link import link
from ..content.validate import FileResult, validate_archetypes, validate_site_config
from ..incremental.pages import Dependencies
from ..model import COLLECTIONS, Archetype, Entry, Site
from ..problems import Problem, has_errors, sort_problems
from ..render.cards import CardKey
from ..render.plan import data_page, plan
from ..render.routes import Route

PREVIEW_KEY = "preview"
"""The global part of the fingerprints the preview compares: the same for every model of one
server run (a change of templates, settings or build date goes through a full build and ``prime``)."""
ENTRY_FOLDERS = frozenset({*COLLECTIONS, "pages"})
E = TypeVar("E", bound=Entry)


@dataclass(frozen=True)
class Model:
    """The last good state of the content, as the dev server serves it."""

    options: BuildOptions
    config: Config
    archetypes: tuple[Archetype, ...]
    files: Mapping[str, FileResult]
    """Every entry and page file by path (``content/cases/x.md``), in discovery order."""
    other_problems: tuple[Problem, ...]
    """Problems of discovery, site.yaml and archetypes.yaml (none of them errors)."""
    link_problems: tuple[Problem, ...]
    site: Site
    hashes: Mapping[str, str]
    """Content hash of each entry and archetype by key: what fingerprints and cards are keyed on."""
    fingerprints: Mapping[str, str | None]
    """Output path of each page → its fingerprint (None: rendered after every change)."""
    paths: frozenset[str]
    """Every output path being served (pages, feeds, data files, static files, search index)."""
    env: jinja2.Environment = field(compare=False, repr=False)
    cards: Mapping[CardKey, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return sort_problems(
            (*self.other_problems, *(p for r in self.files.values() for p in r.problems), *self.link_problems)
        )


@dataclass(frozen=True)
class Applied:
    """A good new model after an edit, and the keys of the entries whose own pages changed."""

    model: Model
    edited: tuple[str, ...]


@dataclass(frozen=True)
class Refused:
    """The edit has errors: every problem of the content as it is now."""

    problems: tuple[Problem, ...]


def prime(options: BuildOptions, found: Discovery, paths: frozenset[str], env: jinja2.Environment) -> Model | Refused:
    """The model of the content ``found`` (read after a full build succeeded; the validation
    cache that build wrote makes this quick)."""
    config: Config | None = None
    archetypes: tuple[Archetype, ...] = ()
    problems: list[Problem] = list(found.problems)
    hashes: dict[str, str] = {}
    for source in found.files:
        if source.kind == "site":
            result = validate_site_config(source)
            problems.extend(result.problems)
            config = (
                None
                if result.config is None
                else result.config.with_overrides(base_url=options.base_url, base_path=options.base_path)
            )
        elif source.kind == "archetypes":
            archetypes, archetype_problems = validate_archetypes(source)
            problems.extend(archetype_problems)
            hashes.update((a.key, source.content_hash) for a in archetypes)
    if config is None or has_errors(problems) or found.unreadable:
        return Refused(sort_problems(problems))
    entries = [s for s in found.files if s.kind not in ("site", "archetypes")]
    validated = validate_files(options.project, entries, config, options.as_of, write_cache=False, parallel=False)
    files = {r.source.path: r for r in validated.results}
    linked = _link(options, config, archetypes, files)
    if isinstance(linked, Refused):
        return Refused(sort_problems((*problems, *linked.problems)))
    site, link_problems = linked
    hashes.update(sort_results(files.values()).hashes)
    model = Model(options, config, archetypes, files, tuple(problems), link_problems, site, hashes, {}, paths, env)
    return replace(model, fingerprints=fingerprints(site, hashes))


def fingerprints(site: Site, hashes: Mapping[str, str], routes: Sequence[Route] | None = None) -> dict[str, str | None]:
    """Output path → fingerprint of every page of ``site`` (``routes``: its plan, when made already)."""
    deps = Dependencies(site, PREVIEW_KEY, hashes)
    return {
        route.output_path: deps.fingerprint(route)
        for route in (routes if routes is not None else plan(site, {"data_files": ()}))
    }


@dataclass(frozen=True)
class Changes:
    """What a batch of file changes asks of the dev server."""

    edited: tuple[str, ...] = ()
    """Entry files (project-relative) that existed before and still do: the fast path."""
    full: bool = False
    """Something else changed: only a full build can say what it means."""


def classify(model: Model | None, project: Path, paths: Iterable[Path]) -> Changes:
    """Which of ``paths`` (as the watcher reports them) are edits of known entry files."""
    root = project.resolve()
    edited: list[str] = []
    for path in paths:
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except (OSError, ValueError):
            return Changes(full=True)
        if rel.startswith("content/") and any(part.startswith(".") for part in rel.split("/")):
            continue  # discovery never reads a hidden file (an editor's swap file, .DS_Store)
        known = model is not None and rel in model.files
        exists = (project / rel).is_file()
        if known and exists:
            edited.append(rel)
        elif known or exists or not _scratch(rel):
            return Changes(full=True)  # deleted, added, or not an entry file
    return Changes(tuple(sorted(set(edited))))


def _scratch(rel: str) -> bool:
    """A file that came and went (an editor's temporary file) inside an entry folder."""
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == "content" and parts[1] in ENTRY_FOLDERS and not parts[2].endswith(".md")


def read_changes(project: Path, rels: Sequence[str]) -> tuple[SourceFile, ...] | Refused:
    """The edited files as they are now (a file that cannot be read is a problem of its own)."""
    out: list[SourceFile] = []
    problems: list[Problem] = []
    for rel in rels:
        name = rel.rsplit("/", 1)[-1]
        if not SLUG.match(name[: -len(".md")]) or not name.endswith(".md"):
            continue  # discovery never read it either
        read = read_entry(project, rel)
        (problems.append if isinstance(read, Problem) else out.append)(read)  # type: ignore[arg-type]
    return Refused(tuple(problems)) if problems else tuple(out)


def apply(model: Model, sources: Sequence[SourceFile]) -> Applied | Refused:
    """The model after the edit of ``sources`` (files the model has), or every problem it has."""
    options = model.options
    changed = validate_files(options.project, sources, model.config, options.as_of, use_cache=False, parallel=False)
    files = {**model.files, **{r.source.path: r for r in changed.results}}
    if any(has_errors(r.problems) for r in changed.results) or not changed.results:
        linked = _link(options, model.config, model.archetypes, files)
        link_problems = linked.problems if isinstance(linked, Refused) else linked[1]
        every = (*model.other_problems, *(p for r in files.values() for p in r.problems), *link_problems)
        return Refused(sort_problems(every))
    hashes = {**model.hashes, **sort_results(changed.results).hashes}
    site = patch(model.site, [(model.files[r.source.path], r) for r in changed.results])
    link_problems = model.link_problems
    if site is None:
        linked = _link(options, model.config, model.archetypes, files)
        if isinstance(linked, Refused):
            return Refused(
                sort_problems(
                    (*model.other_problems, *(p for r in files.values() for p in r.problems), *linked.problems)
                )
            )
        site, link_problems = linked
    edited = tuple(r.located.entry.key for r in changed.results if r.located and isinstance(r.located.entry, Entry))
    new = replace(model, files=files, site=site, hashes=hashes, link_problems=link_problems)
    return Applied(new, edited)


def patch(site: Site, pairs: Sequence[tuple[FileResult, FileResult]]) -> Site | None:
    """``site`` with the new entries in place of the old, when linking could not tell them apart:
    only their bodies changed, and the entries their bodies link are the same. None otherwise."""
    swaps: dict[str, Entry] = {}
    for old, new in pairs:
        if old.located is None or new.located is None:
            return None
        before, after = old.located.entry, new.located.entry
        if not isinstance(before, Entry) or not isinstance(after, Entry):
            return None
        if replace(after, body=before.body, body_line=before.body_line) != before:
            return None
        if _targets(old.located) != _targets(new.located):
            return None
        swaps[before.key] = after
    index: Mapping[str, Any] = MappingProxyType({**site.index, **swaps})
    return replace(
        site,
        index=index,
        programs=_swapped(site.programs, swaps),
        partners=_swapped(site.partners, swaps),
        cases=_swapped(site.cases, swaps),
        roles=_swapped(site.roles, swaps),
    )


def _swapped(entries: tuple[E, ...], swaps: Mapping[str, Any]) -> tuple[E, ...]:
    if not any(e.key in swaps for e in entries):
        return entries
    return tuple(swaps.get(e.key, e) for e in entries)


def _targets(located: Located) -> tuple[tuple[str, str], ...]:
    return tuple((href, target) for href, _, _, target in located.md_links)


def _link(
    options: BuildOptions, config: Config, archetypes: Sequence[Archetype], files: Mapping[str, FileResult]
) -> tuple[Site, tuple[Problem, ...]] | Refused:
    found = sort_results(files.values())
    linked = link(
        config, options.as_of, archetypes, found.located, found.pages, drafts=options.drafts, unavailable=found.failed
    )
    if linked.site is None or has_errors(linked.problems, strict=options.strict):
        return Refused(linked.problems)
    return linked.site, linked.problems


def touched(old: Model, new: Model) -> tuple[Mapping[str, str | None], tuple[Route, ...]]:
    """The new model's fingerprints, and the routes whose pages may differ from the old model's:
    a fingerprint that changed or is None (pages that summarise the whole site), a new page.
    The data page is left out: it lists the data files, which only a full build makes."""
    routes = plan(new.site, {"data_files": ()})
    now = fingerprints(new.site, new.hashes, routes)
    data = data_page(new.site, ()).output_path
    todo = tuple(
        r
        for r in routes
        if r.output_path != data
        and (now[r.output_path] is None or old.fingerprints.get(r.output_path) != now[r.output_path])
    )
    return now, todo
