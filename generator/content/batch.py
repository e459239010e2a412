"""Validate every content file of a build: in parallel, and reused when unchanged.

A file's result depends only on its bytes, the site settings and the build date
(see incremental/validation.py, which keeps the results between runs). Forked
workers (parallel/pool.py) inherit the files to validate; a task is a range of
file numbers. Validation creates tens of thousands of objects that live until
the build ends, so the cyclic garbage collector is paused meanwhile: it would
scan them again and again and find next to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping, Sequence

from ..config import Config
from ..incremental import validation
from ..parallel import collector, map_ranges
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
    parallel: bool = True,
) -> Validated:
    """Validate every file, reusing the results kept for identical bytes and settings."""
    hashes = {source.path: source.content_hash for source in sources}
    with collector.paused():
        previous = validation.load(project, config, as_of, sources) if use_cache else None
        results: dict[str, FileResult] = {}
        todo: list[SourceFile] = []
        for source in sources:
            hit = previous.reused(source) if previous is not None else None
            if hit is not None:
                results[source.path] = hit
            else:
                todo.append(source)
        results.update(_validate_all(todo, config, as_of, parallel))
    ordered = tuple(results[source.path] for source in sources)
    if previous is not None and write_cache:
        validation.save(project, previous, ordered, todo)
    return Validated(ordered, hashes)


Inputs = tuple[Sequence[SourceFile], Config | None, date]


def _validate_all(todo: list[SourceFile], config: Config | None, as_of: date, parallel: bool) -> dict[str, FileResult]:
    inputs: Inputs = (todo, config, as_of)
    ranges = map_ranges(_validate_range, inputs, len(todo), chunks_per_worker=8, max_workers=8, min_items=PARALLEL_MIN_FILES) if parallel else None
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
