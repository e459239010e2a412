"""Reuse rule: a content file's validation result.

Keys on: the file's bytes (its content hash), the site settings (``repr(Config)``),
the build date (the stale-review warning) and the generator's fingerprint. Nothing
else goes into a file's result, so a result is reused for identical bytes.

The results are kept in 64 files split by path (``validate-NN``), so that an edit
rewrites a 64th of them. ``catalog check`` reads them and never writes them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Config
from ..content.discover import SourceFile
from ..content.entries import Located
from ..content.validate import FileResult
from ..model import Entry, Page
from ..problems import Problem
from . import store

SHARDS = 64
"""The validation cache is split by path, so that an edit rewrites a 64th of it."""

Stored = dict[str, tuple[str, Located | None, tuple[Problem, ...]]]
"""Path → (content hash, result, problems): what one shard holds."""


def _shard(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % SHARDS


def key(config: Config | None, as_of: date) -> str:
    return store.digest(store.generator_fingerprint(), repr(config), as_of.isoformat())


@dataclass(frozen=True)
class Previous:
    """The results of earlier checks under one key, by path."""

    key: str
    stored: Stored

    def reused(self, source: SourceFile, content_hash: str) -> FileResult | None:
        """The stored result for a file of this path whose bytes have ``content_hash``, or None."""
        hit = self.stored.get(source.path)
        if hit is None or hit[0] != content_hash:
            return None
        return FileResult(source, hit[1], hit[2])


def load(
    project: Path, config: Config | None, as_of: date, hashes: Mapping[str, str], sources: Sequence[SourceFile]
) -> Previous:
    """``hashes``: the content hash of each file by path (the sources' bytes)."""
    key_ = key(config, as_of)
    bodies = _bodies_from({source.path: source for source in sources}, hashes)
    stored: Stored = {}
    for shard in range(SHARDS):
        stored.update(store.load(project, f"validate-{shard:02x}", key_, persistent_load=bodies) or {})
    return Previous(key_, stored)


def save(
    project: Path,
    previous: Previous,
    hashes: Mapping[str, str],
    results: Sequence[FileResult],
    validated: Sequence[SourceFile],
) -> None:
    """Write again only the shards holding a changed (``validated``), new or removed file."""
    paths = {result.source.path for result in results}
    changed = {_shard(source.path) for source in validated} | {_shard(path) for path in previous.stored.keys() - paths}
    by_shard: dict[int, list[FileResult]] = {shard: [] for shard in changed}
    for result in results:
        shard = _shard(result.source.path)
        if shard in by_shard:
            by_shard[shard].append(result)
    for shard, shard_results in sorted(by_shard.items()):
        value = {r.source.path: (hashes[r.source.path], r.located, r.problems) for r in shard_results}
        bodies = _body_references(shard_results, hashes)
        store.save(project, f"validate-{shard:02x}", previous.key, value, persistent_id=_by_identity(bodies))


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
        entry = result.located.entry if result.located is not None else None
        body = entry.body if isinstance(entry, (Entry, Page)) else ""
        if len(body) < BODY_REFERENCE_MIN_CHARS:
            continue
        if id(body) in seen:
            twice.add(id(body))
        seen.add(id(body))
        encoded = body.encode("utf-8")
        source = result.source
        if source.data.endswith(encoded):
            ids[id(body)] = (source.path, hashes[source.path], len(source.data) - len(encoded))
    # The bodies are alive while they are pickled: no other object has their id meanwhile.
    return {i: reference for i, reference in ids.items() if i not in twice}


def _by_identity(references: Mapping[int, object]) -> Callable[[object], object]:
    return lambda value: references.get(id(value))


def _bodies_from(sources: Mapping[str, SourceFile], hashes: Mapping[str, str]) -> Callable[[tuple[str, str, int]], str]:
    def body(stored: tuple[str, str, int]) -> str:
        path, digest, offset = stored
        source = sources.get(path)
        if source is None or hashes.get(path) != digest:
            return ""
        return str(memoryview(source.data)[offset:], "utf-8")

    return body
