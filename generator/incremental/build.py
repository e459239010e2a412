"""Reuse rule: the whole build.

Keys on: the generator's code, the theme (templates and static files), every
content file's path and bytes, what discovery reported, the options and the output
folder — and the output folder being the very one the previous build swapped in
(its inode and modification time). A build with the same key writes nothing at all:
the output is already what it would produce, byte for byte.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import cast

from ..config import BuildOptions
from ..content.discover import Discovery
from ..render.templates import static_fingerprint
from ..results import BuildResult
from . import store


def build_key(options: BuildOptions, found: Discovery, theme_key: str) -> str:
    """Everything a build's output depends on: code, theme, content bytes, options."""
    parts: list[bytes | str] = [
        store.generator_fingerprint(),
        theme_key,
        static_fingerprint(options.project),
        repr(
            (
                options.as_of,
                options.drafts,
                options.serve,
                options.strict,
                options.search,
                options.base_url,
                options.base_path,
            )
        ),
        str(options.output.resolve()),
        repr(found.problems),
    ]
    for source in found.files:
        parts.append(source.path)
        parts.append(source.content_hash)  # the digest of its bytes, made once when it was read
    return store.digest(*parts)


def _output_stamp(output: Path) -> tuple[int, int] | None:
    try:
        info = output.resolve().stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def unchanged(options: BuildOptions, key: str) -> BuildResult | None:
    """The previous build's result (a BuildResult) when nothing it depends on changed and its output is in place."""
    stored = store.load(options.project, "build", key)
    if stored is None:
        return None
    stamp, result = cast(tuple[tuple[int, int] | None, BuildResult], stored)
    if stamp is None or stamp != _output_stamp(options.output):
        return None
    search = result.search
    if search is not None:
        search = replace(search, seconds=0.0, reused=True, reused_shards=search.shards)
    return replace(result, written=0, search=search)


def remember(options: BuildOptions, key: str, result: BuildResult) -> None:
    """Saved last, once the output folder holds what the result describes."""
    store.save(options.project, "build", key, (_output_stamp(options.output), replace(result, site=None)))
