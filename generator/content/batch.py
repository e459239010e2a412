"""Validate every content file of a build: in parallel, and from the cache when unchanged.

A file's result depends only on its bytes, the site settings and the build date
(for the stale-review warning), so results are cached under those and reused
for identical bytes.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping, Sequence

from .. import cache
from ..config import Config
from ..problems import Problem
from .discover import SourceFile
from .entries import Located
from .validate import FileResult, validate_file

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
) -> Validated:
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
            for source, result in zip(todo, fresh):
                results[source.path] = FileResult(source, result.located, result.problems)
    else:
        for source in todo:
            results[source.path] = validate_file(source, config, as_of)
    ordered = tuple(results[source.path] for source in sources)
    if use_cache and write_cache and todo:
        cache.save(project, "validate", key, {r.source.path: (hashes[r.source.path], r.located, r.problems) for r in ordered})
    return Validated(ordered, hashes)


def _validate_one(source: SourceFile, config: Config | None, as_of: date) -> FileResult:
    # Workers send back only what the parent lacks: the bytes stay in the parent.
    result = validate_file(source, config, as_of)
    return FileResult(SourceFile(source.path, source.kind, source.slug, b""), result.located, result.problems)
