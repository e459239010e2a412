"""Validate every content file of a build: in parallel, and from the cache when unchanged.

A file's result depends only on its bytes, the site settings and the build date
(for the stale-review warning), so results are cached under those and reused
for identical bytes.

Forked workers inherit the files to validate instead of receiving them pickled;
a task is a range of file numbers. Validation creates tens of thousands of
objects that live until the build ends (results, read from the cache, from
workers or made here), so the cyclic garbage collector is paused meanwhile: it
would scan them again and again and find next to nothing (validation makes a
few small cycles per file, collected when it resumes).
"""

from __future__ import annotations

import multiprocessing
import os
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .. import cache, collector
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
    hashes = {source.path: source.content_hash for source in sources}
    with collector.paused():
        stored: dict[str, tuple[str, Located | None, tuple[Problem, ...]]] = {}
        if use_cache:
            bodies = _bodies_from({source.path: source for source in sources}, hashes)
            for shard in range(SHARDS):
                stored.update(cache.load(project, f"validate-{shard:02x}", key, persistent_load=bodies) or {})
        results: dict[str, FileResult] = {}
        todo: list[SourceFile] = []
        for source in sources:
            hit = stored.get(source.path)
            if hit is not None and hit[0] == hashes[source.path]:
                results[source.path] = FileResult(source, hit[1], hit[2])
            else:
                todo.append(source)
        results.update(_validate_all(todo, config, as_of, parallel))
    ordered = tuple(results[source.path] for source in sources)
    # Only the shards holding a changed, new or removed file are written again.
    changed = {_shard(source.path) for source in todo} | {_shard(path) for path in stored.keys() - hashes.keys()}
    if use_cache and write_cache:
        by_shard: dict[int, list[FileResult]] = {shard: [] for shard in changed}
        for result in ordered:
            shard = _shard(result.source.path)
            if shard in by_shard:
                by_shard[shard].append(result)
        for shard, shard_results in sorted(by_shard.items()):
            value = {r.source.path: (hashes[r.source.path], r.located, r.problems) for r in shard_results}
            bodies = _body_references(shard_results, hashes)
            cache.save(project, f"validate-{shard:02x}", key, value, persistent_id=_by_identity(bodies))
    return Validated(ordered, hashes)


# Bodies are most of an entry's bytes: the cache does not keep a second copy of
# them. A body that is the end of its file's bytes as they are is stored as
# (path, content hash, offset) and decoded from the file again when the cache is
# read; a file whose bytes differ gives an empty body to a result that is not
# used anyway (its hash differs too). Other bodies (CRLF line ends) are stored whole.
#
# Pickle refers to a body by the identity of its object: that object must be
# the body of that one entry and appear nowhere else. Short strings may be one
# object for several uses (Python keeps a single "" and one-character strings),
# so only longer bodies, each its own object, are referred to.

BODY_REFERENCE_MIN_CHARS = 64


def _body_references(results: Sequence[FileResult], hashes: Mapping[str, str]) -> dict[int, tuple[str, str, int]]:
    ids: dict[int, tuple[str, str, int]] = {}
    seen: set[int] = set()
    twice: set[int] = set()
    for result in results:
        body = result.located.entry.body if result.located is not None else ""
        if len(body) < BODY_REFERENCE_MIN_CHARS:
            continue
        if id(body) in seen:
            twice.add(id(body))
        seen.add(id(body))
        encoded = body.encode("utf-8")
        if result.source.data.endswith(encoded):
            ids[id(body)] = (result.source.path, hashes[result.source.path], len(result.source.data) - len(encoded))
    # The bodies are alive while they are pickled: no other object has their id meanwhile.
    return {i: reference for i, reference in ids.items() if i not in twice}


def _by_identity(references: Mapping[int, object]) -> Callable[[object], object]:
    return lambda value: references.get(id(value))


def _bodies_from(sources: Mapping[str, SourceFile], hashes: Mapping[str, str]) -> Callable[[object], str]:
    def body(stored: object) -> str:
        path, digest, offset = stored  # type: ignore[misc]
        source = sources.get(path)
        if source is None or hashes.get(path) != digest:
            return ""
        return str(memoryview(source.data)[offset:], "utf-8")

    return body


def _validate_all(todo: list[SourceFile], config: Config | None, as_of: date, parallel: bool) -> dict[str, FileResult]:
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or len(todo) < PARALLEL_MIN_FILES or workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return {source.path: validate_file(source, config, as_of) for source in todo}
    results: dict[str, FileResult] = {}
    size = max(1, len(todo) // (workers * 8))
    bounds = [(i, min(i + size, len(todo))) for i in range(0, len(todo), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(todo, config, as_of)) as pool:
        for (start, stop), done in zip(bounds, pool.map(_validate_range, *zip(*bounds))):
            for source, (located, problems) in zip(todo[start:stop], done):
                results[source.path] = FileResult(source, located, problems)
    return results


# Set once in each worker process by the pool's initializer (inherited through
# fork, never pickled); read-only afterwards. The parent process never sets it.
_WORKER: tuple[Sequence[SourceFile], Config | None, date] | None = None


def _start_worker(sources: Sequence[SourceFile], config: Config | None, as_of: date) -> None:
    global _WORKER
    _WORKER = (sources, config, as_of)
    collector.start_worker()


def _validate_range(start: int, stop: int) -> tuple[tuple[Located | None, tuple[Problem, ...]], ...]:
    # Workers send back only what the parent lacks: the parent has the files.
    assert _WORKER is not None
    sources, config, as_of = _WORKER
    results = (validate_file(source, config, as_of) for source in sources[start:stop])
    return tuple((result.located, result.problems) for result in results)
