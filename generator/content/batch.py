"""Validate every content file of a build: in parallel, and from the cache when unchanged.

A file's result depends only on its bytes, the site settings and the build date
(for the stale-review warning), so results are cached under those and reused
for identical bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import zlib
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

SHARDS = 64
"""The validation cache is split by path, so that an edit rewrites a 64th of it."""


def _shard(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % SHARDS


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
    """Validate every file, reusing the results cached for identical bytes and settings."""
    key = cache.digest(cache.generator_fingerprint(), repr(config), as_of.isoformat())
    stored: dict[str, tuple[str, Located | None, tuple[Problem, ...]]] = {}
    if use_cache:
        for shard in range(SHARDS):
            stored.update(cache.load(project, f"validate-{shard:02x}", key) or {})
    hashes = {source.path: cache.digest(source.data) for source in sources}
    results: dict[str, FileResult] = {}
    todo: list[SourceFile] = []
    for source in sources:
        hit = stored.get(source.path)
        if hit is not None and hit[0] == hashes[source.path]:
            results[source.path] = FileResult(source, hit[1], hit[2])
        else:
            todo.append(source)
    if parallel and len(todo) >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) > 1:
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
    # Only the shards holding a changed, new or removed file are written again.
    changed = {_shard(source.path) for source in todo} | {_shard(path) for path in stored.keys() - hashes.keys()}
    if use_cache and write_cache:
        for shard in sorted(changed):
            cache.save(
                project,
                f"validate-{shard:02x}",
                key,
                {r.source.path: (hashes[r.source.path], r.located, r.problems) for r in ordered if _shard(r.source.path) == shard},
            )
    return Validated(ordered, hashes)


def _validate_one(source: SourceFile, config: Config | None, as_of: date) -> FileResult:
    # Workers send back only what the parent lacks: the bytes stay in the parent.
    result = validate_file(source, config, as_of)
    return FileResult(SourceFile(source.path, source.kind, source.slug, b""), result.located, result.problems)
