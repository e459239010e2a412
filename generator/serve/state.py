"""What the dev server is serving right now, shared by the rebuild thread and the request threads.

A ``Snapshot`` is one complete successful build (an immutable folder), the pages
rendered in memory since then (``overlay``: they win over the folder's files),
and the problems of the latest attempt. The rebuild thread publishes a new
snapshot; request threads read the current one; event-stream threads wait for
the next. The preview's model of the content (preview.py) is kept here too, so
that all of the server's changing state is in one place.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..problems import Problem, summary_line

if TYPE_CHECKING:
    from .preview import Model

HISTORY = 8
"""Publications whose changed pages a snapshot remembers (see ``Snapshot.changes``)."""
Changed = tuple[str, ...] | None
"""Output paths whose bytes a publication changed; None: any page may have changed."""


@dataclass(frozen=True)
class Snapshot:
    build: int
    """Number of the last good build (0: none yet)."""
    root: Path | None
    """Folder of the last good build, never changed once published."""
    problems: tuple[Problem, ...] = ()
    """Problems of the latest attempt when it failed; () when it succeeded."""
    failure: str = ""
    """A build that failed for another reason than content (a message in Japanese)."""
    version: int = 0
    """Changes with every publication, so waiting threads notice."""
    overlay: Mapping[str, tuple[int, bytes]] = field(default_factory=dict)
    """Output path → (version that rendered it, bytes) of pages rendered in memory after ``root`` was built."""
    changes: tuple[tuple[int, Changed], ...] = ()
    """(build, changed output paths) of the latest publications, oldest first: an open page
    reloads only when a build since its own changed it (live.js)."""
    pending: bool = False
    """Pages were updated in memory; search index, data files, feeds and sitemap follow with a full build."""

    def page(self, path: str) -> bytes | None:
        """The bytes of output path ``path`` rendered in memory, if it was."""
        hit = self.overlay.get(path)
        return None if hit is None else hit[1]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failure

    def as_json(self) -> dict[str, Any]:
        """The payload of /_catalog/problems.json and of the event stream."""
        shown = [p for p in self.problems if p.is_error] or list(self.problems)
        return {
            "build": self.build,
            "ok": self.ok,
            "summary": summary_line(self.problems) if self.problems else "",
            "failure": self.failure,
            "pending": self.pending,
            "changes": [[build, None if paths is None else list(paths)] for build, paths in self.changes],
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "col": p.col,
                    "severity": p.severity.value,
                    "code": p.code,
                    "message": p.message,
                    "text": p.format(),
                }
                for p in shown
            ],
        }


class LiveState:
    """The current snapshot, and a way to wait for the next one."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._snapshot = Snapshot(0, None)
        self._closed = False
        self._model: Model | None = None
        self._dirty: frozenset[str] = frozenset()

    @property
    def snapshot(self) -> Snapshot:
        with self._condition:
            return self._snapshot

    @property
    def closed(self) -> bool:
        with self._condition:
            return self._closed

    @property
    def model(self) -> Model | None:
        """The preview's model of the last good content (a frozen value; None until one is made)."""
        with self._condition:
            return self._model

    @property
    def dirty(self) -> frozenset[str]:
        """Entry files edited since the model was last good (read again with the next edit)."""
        with self._condition:
            return self._dirty

    def keep_model(self, model: Model | None, dirty: frozenset[str] = frozenset()) -> None:
        with self._condition:
            self._model = model
            self._dirty = dirty

    def mark_dirty(self, paths: Iterable[str]) -> None:
        with self._condition:
            self._dirty = self._dirty | frozenset(paths)

    def succeeded(self, root: Path, changed: Changed = None) -> Snapshot:
        """A new good build is in ``root`` (every page of it): pages reload."""
        with self._condition:
            old = self._snapshot
            build = old.build + 1
            self._snapshot = Snapshot(build, root, version=old.version + 1, changes=_history(old, build, changed))
            self._condition.notify_all()
            return self._snapshot

    def updated(self, pages: Mapping[str, bytes], changed: tuple[str, ...]) -> Snapshot:
        """Pages rendered in memory over the last good build; the rest of the output follows (pending)."""
        with self._condition:
            old = self._snapshot
            version = old.version + 1
            build = old.build + 1 if changed else old.build
            overlay = {**old.overlay, **{path: (version, data) for path, data in pages.items()}}
            history = _history(old, build, changed) if changed else old.changes
            self._snapshot = Snapshot(
                build, old.root, (), "", version, MappingProxyType(overlay), history, pending=True
            )
            self._condition.notify_all()
            return self._snapshot

    def caught_up(self, root: Path, since: int, changed: tuple[str, ...], *, pending: bool) -> Snapshot:
        """A full build of the content as it was at ``since`` is in ``root``: pages rendered in
        memory after that stay over it; ``changed`` are the pages whose served bytes it changed."""
        with self._condition:
            old = self._snapshot
            build = old.build + 1 if changed else old.build
            overlay = {path: hit for path, hit in old.overlay.items() if hit[0] > since}
            history = _history(old, build, changed) if changed else old.changes
            self._snapshot = Snapshot(
                build, root, old.problems, old.failure, old.version + 1, MappingProxyType(overlay), history, pending
            )
            self._condition.notify_all()
            return self._snapshot

    def failed(self, problems: Sequence[Problem], failure: str = "") -> Snapshot:
        """The latest attempt failed: keep the last good build, show why."""
        with self._condition:
            old = self._snapshot
            self._snapshot = replace(old, problems=tuple(problems), failure=failure, version=old.version + 1)
            self._condition.notify_all()
            return self._snapshot

    def wait_for_change(self, version: int, timeout: float) -> Snapshot | None:
        """The snapshot after ``version``; None on timeout or when closed."""
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._snapshot.version != version, timeout)
            if self._closed or self._snapshot.version == version:
                return None
            return self._snapshot

    def close(self) -> None:
        """Wake every waiting thread for shutdown."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()


def _history(old: Snapshot, build: int, changed: Changed) -> tuple[tuple[int, Changed], ...]:
    return (*old.changes, (build, changed))[-HISTORY:]
