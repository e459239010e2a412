"""A person's terminal for the tests that run commands as the README gives them.

A scratch copy of the project that uses the test run's own environment, the environment a
terminal has (no CI or build variables), a preview started and stopped as a person does, and
plain HTTP reads of what it serves. Shared by tests/project/test_readme.py and the preview's
end-to-end tests (tests/editor/test_preview_serve.py).
"""

from __future__ import annotations

import os
import queue
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def scratch_project(dest: Path) -> Path:
    """A copy of the project as a person has it after `make site`: its .venv is this test run's.

    `make test` has just brought that environment up to date with pyproject.toml; the copy's
    pyproject.toml is dated before the install, so that `make` in the copy never reinstalls
    (pip would point the shared environment at the copy).
    """
    venv = Path(sys.prefix)
    if not (venv / "bin" / "catalog").is_file() or not (venv / ".installed").is_file():
        pytest.skip(f"the README's commands run in the project's environment (make test): none at {venv}")
    dest.mkdir()
    for name in ("content", "themes", "docs"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    installed = (venv / ".installed").stat().st_mtime
    os.utime(dest / "pyproject.toml", (installed - 60, installed - 60))
    (dest / ".venv").symlink_to(venv, target_is_directory=True)
    return dest


def terminal_env() -> dict[str, str]:
    drop = {"SOURCE_DATE_EPOCH", "CI", "GITHUB_ACTIONS", "MAKELEVEL", "MAKEFLAGS", "MFLAGS", "PYTEST_CURRENT_TEST"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def ctrl_c_default() -> None:
    """A child's Ctrl-C (SIGINT) as on a terminal, for a command that a test stops with it: a shell
    that starts a job in the background (`make test &`, nohup, some CI runners) makes its children
    ignore SIGINT, they would inherit that, and the preview would never stop. For ``preexec_fn``."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Served:
    """A preview started as a person starts it, its terminal read line by line."""

    def __init__(self, command: str, project: Path) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            shlex.split(command),
            cwd=project,
            env=terminal_env(),
            start_new_session=True,
            preexec_fn=ctrl_c_default,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool], timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.seen)
                continue
            self.seen.append(line)
            if wanted(line):
                return line
        raise AssertionError("not printed in time:\n" + "\n".join(self.seen))

    def ctrl_c(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)  # what the terminal sends to the whole job
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code


def port_8000_in_use() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", 8000)) == 0
