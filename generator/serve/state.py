"""What the dev server is serving right now, shared by the rebuild thread and the request threads.

A ``Snapshot`` is one complete successful build (an immutable folder) and the
problems of the latest attempt. The rebuild thread publishes a new snapshot;
request threads read the current one; event-stream threads wait for the next.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import Problem, summary_line


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

    @property
    def snapshot(self) -> Snapshot:
        with self._condition:
            return self._snapshot

    @property
    def closed(self) -> bool:
        with self._condition:
            return self._closed

    def succeeded(self, root: Path) -> Snapshot:
        """A new good build is in ``root``: pages reload."""
        with self._condition:
            old = self._snapshot
            self._snapshot = Snapshot(old.build + 1, root, version=old.version + 1)
            self._condition.notify_all()
            return self._snapshot

    def failed(self, problems: Sequence[Problem], failure: str = "") -> Snapshot:
        """The latest attempt failed: keep the last good build, show why."""
        with self._condition:
            old = self._snapshot
            self._snapshot = Snapshot(old.build, old.root, tuple(problems), failure, old.version + 1)
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
