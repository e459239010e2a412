"""One task run beside the build, in a forked process, while the build goes on.

An edit build renders a few pages on one core. Work that does not depend on
those pages (the data exports: a few hundred milliseconds at 10,000 entries; the
listing of the writer's spare folder, mostly kernel time) runs meanwhile in a
forked child on the other core. The child inherits its inputs through fork (the
Site is never pickled), writes its result into an anonymous in-memory file and
exits at once: it never waits for the parent while holding copies of its files.
A cold build runs the exports there too, beside its render workers.

The task runs in this process, when it is started, where forking is not safe or
not useful (forking.py's rule: one core, other threads), without Linux's memfd,
or when the caller says so.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import collector, forking

T = TypeVar("T")


class AsideFailed(RuntimeError):
    """No result: the child was killed or failed to send it, or ``result()`` was asked
    for by another process (a worker forked meanwhile), which must compute it itself."""


class Aside(Generic[T]):
    """``task(*args)``, computed beside the caller; ``result()`` waits for it.

    Call ``close()`` on every path that does not reach ``result()`` (an error, an
    interruption): it ends the child.
    """

    def __init__(self, task: Callable[..., T], *args: Any, fork: bool = True) -> None:
        self.owner = os.getpid()
        self._child: tuple[int, int] | None = None
        if fork and forking.can_fork():
            self._child = _start(task, args)
        if self._child is None:
            self._value: T = task(*args)

    def result(self) -> T:
        """The task's value; the task's exception if it raised one."""
        if self._child is None:
            if not hasattr(self, "_value"):
                raise AsideFailed("the result is the parent process's to collect")
            return self._value
        if os.getpid() != self.owner:
            raise AsideFailed("the result is the parent process's to collect")
        pid, answer = self._child
        self._child = None
        with open(answer, "rb") as f:  # closed whatever happens
            try:
                _, status = os.waitpid(pid, 0)
            except BaseException:  # interrupted while waiting
                _stop(pid)
                raise
            f.seek(0)  # the child's writes moved the offset it shares with this descriptor
            data = f.read()
        if status != 0 or not data:
            raise AsideFailed(
                f"the child process ended without a result (exit code {os.waitstatus_to_exitcode(status)})"
            )
        ok, value = pickle.loads(data)  # written by our own child only
        if not ok:
            raise value
        self._value = value
        return self._value

    def close(self) -> None:
        """End the child if it still runs. Safe to call at any time, and twice; does
        nothing in another process (a worker forked meanwhile)."""
        if self._child is not None and os.getpid() == self.owner:
            pid, answer = self._child
            self._child = None
            _stop(pid)
            os.close(answer)


def _start(task: Callable[..., Any], args: tuple[Any, ...]) -> tuple[int, int] | None:
    try:
        answer = os.memfd_create("catalog-aside", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(answer)
        return None
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        status = 1
        try:
            # Ctrl-C and SIGTERM end the child at once: the parent cleans up after both.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            collector.start_worker()  # the inherited Site never becomes garbage here
            try:
                outcome: tuple[bool, Any] = (True, task(*args))
            except Exception as exc:  # raised again by the parent
                outcome = (False, exc)
            with open(answer, "wb", closefd=False) as f:
                try:
                    pickle.dump(outcome, f, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # e.g. an exception that cannot be pickled
                    f.seek(0)
                    f.truncate()
                    pickle.dump((False, AsideFailed(f"{type(exc).__name__}: {exc}")), f)
            status = 0
        finally:
            os._exit(status)  # at once: no clean-up of what the parent owns
    return pid, answer


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass  # already gone
