"""Incremental data files: re-encode the records that changed, reuse the bytes of the others.

A data file is a frame (CSV header, JSON brackets) around one group of bytes per
record: the CSV lines or the JSON line of an entry. Each group is named by the
hash of exactly what it shows: the entry's source (and settings, via the build's
global key) and the titles of the entries it refers to. The build cache keeps
only a ``Layout`` per file: the hash of each group and where its bytes are, never
the bytes. The next build reads unchanged groups back from the previous output
file, after checking that the file is still byte for byte the one described.
A file none of whose groups changed is not read at all: the writer keeps it.

Nothing here touches the disk: the pipeline hands in ``Reuse``, which does.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from ..content.link import REFERENCES
from ..model import Site
from .export_tables import title_of

ID_SIZE = 16
"""Bytes of a group's hash kept in a layout (128 bits of SHA-256)."""


@dataclass(frozen=True)
class Frame:
    """The bytes around the groups of a file: ``prefix + sep.join(groups) + suffix``."""

    prefix: bytes = b""
    separator: bytes = b""
    suffix: bytes = b""
    empty: bytes | None = None
    """The whole file when it has no group (``[]`` for JSON); None: prefix + suffix."""

    def whole(self, groups: Sequence[bytes | memoryview]) -> bytes:
        """The file's bytes, joined once (no intermediate copy of the groups)."""
        if not groups and self.empty is not None:
            return self.empty
        parts: list[bytes | memoryview] = [self.prefix]
        for i, group in enumerate(groups):
            if i and self.separator:
                parts.append(self.separator)
            parts.append(group)
        parts.append(self.suffix)
        return b"".join(parts)


@dataclass(frozen=True)
class Layout:
    """Where the group of each record lies in one data file, for the next build.

    32 bytes per group: the cache of a 10,000-entry site is about 2 MB
    instead of every file's bytes.
    """

    ids: bytes
    """The hash of each group (``ID_SIZE`` bytes each), in file order."""
    starts: bytes
    """Offset of each group in the file (``array("Q")``)."""
    lengths: bytes
    """Length of each group in bytes (``array("Q")``)."""
    size: int
    digest: str
    """SHA-256 of the whole file: the previous output is used only while it matches."""
    records: int

    def spans(self) -> dict[bytes, tuple[int, int]]:
        """Group hash → (start, end) in the file."""
        starts, lengths = array("Q", self.starts), array("Q", self.lengths)
        ids = self.ids
        return {ids[i * ID_SIZE : (i + 1) * ID_SIZE]: (s, s + n) for i, (s, n) in enumerate(zip(starts, lengths))}


@dataclass(frozen=True)
class Reuse:
    """What an incremental build may take from the previous one (see ``pipeline``)."""

    hashes: Mapping[str, str]
    """Content hash of each entry's and archetype's source, by key (``programs/x``)."""
    layouts: Mapping[str, Layout] = field(default_factory=dict)
    """The previous build's layout of each data file, by path."""
    read: Callable[[str], bytes | None] = lambda path: None
    """The previous output file's bytes, or None when there is none."""
    file_digest: Callable[[str], str | None] = lambda path: None
    """SHA-256 of the previous output file, or None when there is none."""


@dataclass(frozen=True)
class Assembled:
    data: bytes | None
    """The file's bytes; None when the previous output file is kept as it is."""
    layout: Layout | None
    """None when some record has no hash (nothing can be reused next time)."""


def record_ids(site: Site, hashes: Mapping[str, str]) -> dict[str, bytes]:
    """The hash of what each record's rows show, by key; records without a content hash have none.

    An entry's rows show its own fields and, for each reference (in its fields
    or its body), the target's slug and title (or nothing, when the target is
    not published).
    """
    ids: dict[str, bytes] = {}
    body_links = site.body_links
    for archetype in site.archetypes:
        if archetype.key in hashes:
            ids[archetype.key] = _id((archetype.key, hashes[archetype.key]))
    for entry in site.entries():
        key = entry.key
        own = hashes.get(key)
        if own is None:
            continue
        parts: list[object] = [key, own]
        for name, target in REFERENCES.get(entry.collection, ()):
            values = getattr(entry, name)
            for slug in (values,) if isinstance(values, str) else values:
                parts.append((name, slug, title_of(site, f"{target}/{slug}")))
        for linked in body_links.get(key, ()):  # entry_links.csv shows the title of each
            parts.append(("body", linked, title_of(site, linked)))
        ids[key] = _id(parts)
    return ids


def part_id(record: bytes | None, part: str) -> bytes | None:
    """The hash of one of several groups a record has in a file (the start and end events of a program)."""
    return None if record is None else _id((record, part))


def _id(parts: object) -> bytes:
    # repr of tuples and lists of str, bytes and None is unambiguous: it quotes and escapes every string.
    return hashlib.sha256(repr(parts).encode("utf-8")).digest()[:ID_SIZE]


def assemble(
    path: str,
    ids: Sequence[bytes | None],
    encode: Callable[[Sequence[int]], list[bytes]],
    frame: Frame,
    reuse: Reuse | None,
    count: Callable[[bytes, int], int],
) -> tuple[Assembled, int]:
    """The bytes of one data file and its layout, and its number of records.

    ``ids`` names the group of each record (None: always encode it); ``encode``
    gives the bytes of the groups at the given positions. ``count(data, groups)``
    counts the file's records from its bytes.
    """
    known = None not in ids
    old = reuse.layouts.get(path) if reuse is not None else None
    if (
        old is not None
        and known
        and old.ids == _joined(ids)
        and reuse is not None
        and reuse.file_digest(path) == old.digest
    ):
        return Assembled(None, old), old.records
    spans, previous = _previous(path, ids, old, reuse)
    todo = [i for i, g in enumerate(ids) if g is None or g not in spans]
    fresh = dict(zip(todo, encode(todo)))
    groups: list[bytes | memoryview] = []
    for i, g in enumerate(ids):
        if i in fresh:
            groups.append(fresh[i])
        else:
            start, end = spans[g]  # type: ignore[index]  # g is not None: a group not encoded is in spans
            groups.append(previous[start:end])  # type: ignore[index]  # spans come from the previous file's bytes
    lengths = [len(g) for g in groups]
    data = frame.whole(groups)
    verified = previous is not None
    del previous, groups, fresh  # the previous file's bytes are no longer needed
    records = count(data, len(ids))
    layout = _layout(ids, lengths, data, frame, records) if known else None
    if verified and layout is not None and old is not None and layout.digest == old.digest:
        # Records changed, but not what this file shows of them (a case's body is
        # not in case_programs.csv): the previous file, just checked, is kept.
        return Assembled(None, layout), records
    return Assembled(data, layout), records


def _previous(
    path: str, ids: Sequence[bytes | None], old: Layout | None, reuse: Reuse | None
) -> tuple[dict[bytes, tuple[int, int]], memoryview | None]:
    """The spans of the previous file's groups and its bytes, when it is still the file described."""
    if old is None or reuse is None:
        return {}, None
    spans = old.spans()
    if not any(g in spans for g in ids):
        return {}, None  # nothing to take from it: do not read it
    data = reuse.read(path)
    if data is None or len(data) != old.size or hashlib.sha256(data).hexdigest() != old.digest:
        return {}, None
    return spans, memoryview(data)


def _joined(ids: Sequence[bytes | None]) -> bytes:
    """The ids of a file whose every record has one (``known``), as one string."""
    return b"".join(cast(Sequence[bytes], ids))


def _layout(ids: Sequence[bytes | None], lengths: Sequence[int], data: bytes, frame: Frame, records: int) -> Layout:
    starts = array("Q")
    offset = len(frame.prefix)
    for n in lengths:
        starts.append(offset)
        offset += n + len(frame.separator)
    return Layout(
        ids=_joined(ids),
        starts=starts.tobytes(),
        lengths=array("Q", lengths).tobytes(),
        size=len(data),
        digest=hashlib.sha256(data).hexdigest(),
        records=records,
    )
