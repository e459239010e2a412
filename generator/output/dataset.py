"""The data exports of one build, as one job that can run beside the page rendering.

``export_job`` encodes the data files, reusing what ``reuse`` allows from the
previous build, and either returns them or, with a sink (the writer's work
folder), places them at once. It needs nothing the pages make, so a build runs it
in a forked child (see parallel/aside.py) while the pages are rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import OutputFile, Sink, Site
from ..render.datafiles import DataFileView
from .export_rows import Layout, Reuse
from .exports import export_data


@dataclass(frozen=True)
class Exported:
    data_files: tuple[DataFileView, ...]
    """What the data page says of every file."""
    files: tuple[OutputFile, ...]
    """Files to write (none when a sink placed them)."""
    placed: tuple[str, ...]
    """Files the sink placed."""
    written: int
    """How many of those had new bytes."""
    kept: tuple[str, ...]
    """Files kept as the previous build wrote them."""
    layouts: Mapping[str, Layout]
    """Where each record is in each file, for the next build (the exports cache)."""


def export_job(site: Site, reuse: Callable[[], Reuse], sink: Sink | None) -> Exported:
    """``reuse`` is called here, so that a forked job reads what it may reuse itself."""
    data_files = export_data(site, reuse())
    layouts = {d.path: d.layout for d in data_files if d.layout is not None}
    kept = tuple(d.path for d in data_files if d.file is None)
    fresh = tuple(d.file for d in data_files if d.file is not None)
    views = tuple(d.view() for d in data_files)
    if sink is None:
        return Exported(views, fresh, (), 0, kept, layouts)
    written = sum(sink.put(file) for file in fresh)
    return Exported(views, (), tuple(f.path for f in fresh), written, kept, layouts)


def previous_exports(layouts: Mapping[str, Layout], hashes: Mapping[str, str], output: Path) -> Reuse:
    """What export_data may reuse from the previous build into ``output``.

    ``layouts`` (the render state) say only where each record's bytes are in each
    data file; the bytes are read back from the output folder (export_data checks their hash).
    """

    def read(path: str) -> bytes | None:
        try:
            return (output / path).read_bytes()
        except OSError:
            return None

    def file_digest(path: str) -> str | None:
        try:
            with open(output / path, "rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            return None

    return Reuse(hashes, layouts, read, file_digest)
