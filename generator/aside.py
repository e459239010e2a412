"""One task run beside the build, in a forked process, while the build goes on.

An edit build renders a few pages on one core. Work that does not depend on
those pages (the data exports: a few hundred milliseconds at 10,000 entries) runs
meanwhile in a forked child on the other core. The child inherits its inputs
through fork (the Site is never pickled) and sends back only its result.

Where fork is not available, on a single core, or when the caller says so (the dev
server runs HTTP threads, and forking then could copy a lock one of them holds),
the task simply runs in this process when it is started.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from typing import Any, Callable, Generic, TypeVar

from . import collector

T = TypeVar("T")


class AsideFailed(RuntimeError):
    """The child ended without a result (killed, or its result could not be sent)."""


def _child(send: Connection, task: Callable[..., Any], args: tuple[Any, ...]) -> None:
    # Ctrl-C and SIGTERM end the child at once: the parent cleans up after both.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    collector.start_worker()  # the inherited Site never becomes garbage here
    try:
        outcome: tuple[bool, Any] = (True, task(*args))
    except Exception as exc:  # sent to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # e.g. an exception that cannot be pickled
        send.send((False, AsideFailed(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()


class Aside(Generic[T]):
    """``task(*args)``, computed beside the caller; ``result()`` waits for it.

    Call ``close()`` on every path that does not reach ``result()`` (an error, an
    interruption): it ends the child.
    """

    def __init__(self, task: Callable[..., T], *args: Any, fork: bool = True) -> None:
        self._process: Any = None
        if fork and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(send, task, args), daemon=True)
            self._process.start()
            send.close()
        else:
            self._value = task(*args)

    def result(self) -> T:
        """The task's value; the task's exception if it raised one."""
        process = self._process
        if process is None:
            return self._value
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self.close()
            raise AsideFailed(f"the child process ended without a result (exit code {process.exitcode})") from None
        except BaseException:  # interrupted while waiting
            self.close()
            raise
        self._process = None
        self._receive.close()
        process.join()  # it has sent everything and is leaving
        if not ok:
            raise value
        self._value = value
        return value

    def close(self) -> None:
        """End the child if it still runs, and wait for it. Safe to call at any time, and twice."""
        process, self._process = self._process, None
        if process is None:
            return
        self._receive.close()
        if process.is_alive():
            process.kill()  # not SIGTERM: the child may not have reset an inherited handler yet
        process.join()
