"""Build for the dev server, and rebuild when the sources change.

Each build goes through ``generator.pipeline.build``, with the options of the
command as ``BuildOptions.preview`` makes them for the server's address, into
``.catalog-cache/serve/site`` (so the writer can reuse unchanged files and the
search index), and each successful build is then hard-linked into its own
numbered folder that the server serves and never changes. A failed build
publishes its problems and leaves the last good folder in service.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import watchfiles

from ..config import BuildOptions
from ..incremental.store import CACHE_DIR
from ..problems import Problem
from .state import LiveState, Snapshot

Say = Callable[..., None]
"""say(message, always=False): tell the editor; ``always`` even with --quiet."""
CACHE = Path(CACHE_DIR) / "serve"
GENERATION = "gen-"


class Rebuilder:
    """Runs builds one at a time and publishes each result to the live state."""

    def __init__(self, options: BuildOptions, url: str, state: LiveState, *, say: Say) -> None:
        self.work = options.project / CACHE
        self.output = self.work / "site"
        self.options = options.preview(url, self.output)
        self.state = state
        self.say = say
        self._shown: frozenset[Problem] = frozenset()
        """The problems printed for the previous build (only changes are printed again)."""
        self._serial = 0
        self._lock = threading.Lock()
        remove_generations(self.work)

    def build(self) -> Snapshot:
        from ..pipeline import build

        with self._lock:
            started = time.perf_counter()
            try:
                result = build(self.options)
            except Exception as exc:  # noqa: BLE001 - the server must outlive any build failure
                self.say(
                    f"ビルドに失敗しました（{type(exc).__name__}: {exc}）。最後に成功したビルドを表示し続けます。",
                    always=True,
                )
                return self.state.failed((), f"ビルドに失敗しました（{type(exc).__name__}: {exc}）")
            seconds = time.perf_counter() - started
            if not result.ok:
                self._report(result.problems)
                failure = "" if result.problems else "ビルドに失敗しました（原因は端末の表示を見てください）"
                self.say(f"問題があるため、最後に成功したビルドを表示し続けます（{seconds:.2f} 秒）", always=True)
                return self.state.failed(result.problems, failure)
            warnings = [p for p in result.problems if not p.is_error]
            self._report(warnings)
            root = self._freeze()
            snapshot = self.state.succeeded(root)
            self.say(f"ビルド {snapshot.build}: {result.pages} ページ、警告 {len(warnings)} 件、{seconds:.2f} 秒")
            self._prune(keep=2)
            return snapshot

    def _freeze(self) -> Path:
        """A folder of this build that later builds never touch (hard links: cheap)."""
        self._serial += 1
        target = self.work / f"{GENERATION}{self._serial}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.output, target, copy_function=_link_or_copy)
        return target

    def _prune(self, *, keep: int) -> None:
        """Remove all but the newest ``keep`` folders (the previous one may still be answering a request)."""
        for old in _generations(self.work)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)

    def _report(self, problems: Iterable[Problem]) -> None:
        """Print the problems that are new since the previous build, and how many were fixed or stay.

        A file with an error is not checked further: its earlier warnings are not
        fixed, only unseen, and are kept as they were.
        """
        problems = tuple(problems)
        failed = {p.path for p in problems if p.is_error}
        current = {*problems, *(p for p in self._shown if not p.is_error and p.path in failed)}
        for problem in problems:
            if problem not in self._shown:
                self.say(problem.format(), always=True)
        fixed, same = len(self._shown - current), len(current & self._shown)
        if fixed or same:
            said = [f"直った問題 {fixed} 件"] if fixed else []
            said += [f"前回と同じ問題 {same} 件（表示は省きます）"] if same else []
            self.say("、".join(said), always=True)
        self._shown = frozenset(current)

    def close(self) -> None:
        with self._lock:
            remove_generations(self.work)


def watch(paths: Iterable[Path], rebuilder: Rebuilder, stop: threading.Event, *, say: Say) -> None:
    """Rebuild after every batch of changes until ``stop`` is set.

    Changes made while a build runs are collected by the watcher and give one
    more build afterwards, so the last state of the files is always built.
    """
    roots = [p for p in paths if p.exists()]
    project = rebuilder.options.project.resolve()
    for changes in watchfiles.watch(*roots, stop_event=stop, raise_interrupt=False, debounce=400):
        if stop.is_set():
            return
        names = sorted({_relative(Path(path), project) for _, path in changes})
        shown = "、".join(names[:3]) + (f" ほか {len(names) - 3} 件" if len(names) > 3 else "")
        say(f"変更: {shown}")
        rebuilder.build()


def remove_generations(work: Path) -> None:
    for old in _generations(work):
        shutil.rmtree(old, ignore_errors=True)


def _generations(work: Path) -> list[Path]:
    if not work.is_dir():
        return []
    found = [p for p in work.iterdir() if p.name.startswith(GENERATION) and p.name[len(GENERATION) :].isdigit()]
    return sorted(found, key=lambda p: int(p.name[len(GENERATION) :]))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _relative(path: Path, project: Path) -> str:
    try:
        return path.resolve().relative_to(project).as_posix()
    except ValueError:
        return str(path)


def printer(stream: TextIO | None = None, *, quiet: bool = False) -> Say:
    """Where the server tells the editor what happened (stderr by default)."""

    def say(message: str, *, always: bool = False) -> None:
        if always or not quiet:
            print(message, file=stream or sys.stderr, flush=True)

    return say
