"""A task run beside the build in a forked child (generator/parallel/aside.py)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator.parallel import forking
from generator.parallel.aside import Aside, AsideFailed

INHERITED = {"件数": 10_000}
"""Reached by the child through fork, not pickled."""


def where_and_sum(a: int, b: int) -> tuple[int, int, dict]:
    return os.getpid(), a + b, INHERITED


def refuses() -> None:
    raise ValueError("入力が正しくありません")


def dies() -> None:
    os._exit(3)


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Browser tests earlier in the run leave threads in this process, where Aside
    rightly does not fork; these tests' tasks hold no lock, so forking is safe here."""
    monkeypatch.setattr(forking, "can_fork", lambda: True)


def test_the_task_runs_in_another_process_and_its_value_comes_back() -> None:
    pid, total, inherited = Aside(where_and_sum, 1, 2).result()
    assert pid != os.getpid()
    assert (total, inherited) == (3, INHERITED)


def test_without_fork_the_task_runs_here() -> None:
    pid, total, _ = Aside(where_and_sum, 1, 2, fork=False).result()
    assert (pid, total) == (os.getpid(), 3)


def test_the_tasks_exception_is_raised_by_result() -> None:
    job = Aside(refuses)
    with pytest.raises(ValueError, match="入力が正しくありません"):
        job.result()


def test_a_child_that_dies_gives_a_clear_failure() -> None:
    with pytest.raises(AsideFailed, match="exit code 3"):
        Aside(dies).result()


def test_close_ends_a_running_child_at_once() -> None:
    job = Aside(time.sleep, 60)
    started = time.monotonic()
    job.close()
    job.close()
    assert time.monotonic() - started < 30, "the child was ended, not waited for"


def test_beside_other_threads_the_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pid, total, _ = Aside(where_and_sum, 1, 2).result()
    finally:
        stop.set()
        thread.join()
    assert (pid, total) == (os.getpid(), 3)
