"""Build for the dev server, and rebuild when the sources change.

A full build goes through ``generator.pipeline.build``, with the options of the
command as ``BuildOptions.preview`` makes them for the server's address, into
``.catalog-cache/serve/site`` (so the writer can reuse unchanged files and the
search index), and each successful build is then hard-linked into its own
numbered folder that the server serves and never changes. A failed build
publishes its problems and leaves the last good folder in service.

After a full build the content is loaded once more into memory (preview.py). An
edit of existing entry files is then answered from memory (update.py): the pages
it touches are published at once over the last folder, and a full build in the
background (``catch_up``) brings the search index, data files, feeds and sitemap
along, swapped in whole when it is done. Anything else (a file added or deleted,
site.yaml, archetypes.yaml, templates, static files) runs a full build at once.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

import watchfiles

from ..config import BuildOptions
from ..content.discover import Discovery, discover
from ..incremental.store import CACHE_DIR
from ..problems import Problem
from ..render.templates import make_environment
from .pages import output_paths, tree_changes
from .preview import Model, classify, prime
from .state import LiveState, Snapshot
from .update import update

Say = Callable[..., None]
"""say(message, always=False): tell the editor; ``always`` even with --quiet."""
CACHE = Path(CACHE_DIR) / "serve"
GENERATION = "gen-"
TRASH = "trash"
"""Folder of .catalog-cache/serve/ where old build folders wait to be removed."""
TRASH_THREAD = "catalog-trash"


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
        self._answered = 0
        """Changes answered with a good result (the number the terminal shows; background builds are silent)."""
        self._lock = threading.Lock()
        self.wanted = threading.Event()
        """Set when pages were updated in memory: a full build should catch up."""
        discard(_generations(self.work), self.work)

    def build(self) -> Snapshot:
        """A full build; then the content is loaded into memory for the edits to come."""
        from ..pipeline import build

        with self._lock:
            self.state.keep_model(None)  # until loaded again, a change runs a full build
            # Read before the build: the model never describes content newer than the pages
            # served (a file edited during the build is reported by the watcher and read again).
            found = discover(self.options.project)
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
            self._answered += 1
            self.say(f"ビルド {self._answered}: {result.pages} ページ、警告 {len(warnings)} 件、{seconds:.2f} 秒")
            self._prune(keep=2)
            self.wanted.clear()
            self._load(found, root)
        return snapshot

    def _load(self, found: Discovery, root: Path) -> None:
        env, problems = make_environment(self.options.project, keep_compiled=True)
        model = None if env is None or problems else prime(self.options, found, output_paths(root), env)
        self.state.keep_model(model if isinstance(model, Model) else None)

    def changed(self, paths: Sequence[Path]) -> Snapshot:
        """Answer a batch of changed files: from memory when only entry files were edited."""
        model = self.state.model
        changes = classify(model, self.options.project, paths)
        if changes.full or model is None:
            return self.build()
        if not changes.edited:
            return self.state.snapshot
        started = time.perf_counter()
        try:
            outcome = update(self.state, model, changes.edited, self._report)
        except Exception as exc:  # noqa: BLE001 - the server must outlive any failure; a full build decides
            self.say(
                f"メモリ上の更新に失敗しました（{type(exc).__name__}: {exc}）。全体をビルドし直します。", always=True
            )
            return self.build()
        if outcome.ok:
            self._answered += 1
            seconds = time.perf_counter() - started
            self.say(
                f"ビルド {self._answered}: {outcome.pages} ページを描き直し、{seconds:.2f} 秒（検索とデータファイルはこのあと更新します）"
            )
            self.wanted.set()
        else:
            self.say(
                f"問題があるため、最後に成功したビルドを表示し続けます（{time.perf_counter() - started:.2f} 秒）",
                always=True,
            )
        return outcome.snapshot

    def catch_up(self) -> None:
        """A full build after pages were updated in memory: search index, data files, feeds, sitemap."""
        from ..pipeline import build

        with self._lock:
            self.wanted.clear()
            started = time.perf_counter()
            since = self.state.snapshot.version
            try:
                result = build(self.options)
            except Exception as exc:  # noqa: BLE001 - the server must outlive any build failure
                self.state.keep_model(None)  # the next change runs a full build, which says it again
                self.state.failed((), f"ビルドに失敗しました（{type(exc).__name__}: {exc}）")
                return
            if not result.ok:  # something the edits in memory did not see: shown until a full build passes
                self.state.keep_model(None)
                self._report(result.problems)
                self.state.failed(
                    result.problems, "" if result.problems else "ビルドに失敗しました（原因は端末の表示を見てください）"
                )
                return
            snapshot = self.state.snapshot
            root = self._freeze() if result.written or snapshot.root is None else snapshot.root
            # Open pages reload only for a page: a data file, feed or search index file that
            # changed gives no new build number (its files are served from the new folder at once).
            changed = (
                tuple(p for p in tree_changes(snapshot, root, since) if p.endswith(".html"))
                if root != snapshot.root
                else ()
            )
            self.state.caught_up(root, since, changed, pending=self.wanted.is_set())
            self.say(f"検索とデータファイルを更新しました（{time.perf_counter() - started:.2f} 秒）")
        self._prune(keep=2)  # outside the lock: an edit that needs a full build does not wait for it

    def _freeze(self) -> Path:
        """A folder of this build that later builds never touch (hard links: cheap)."""
        self._serial += 1
        target = self.work / f"{GENERATION}{self._serial}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.output, target, copy_function=_link_or_copy)
        return target

    def _prune(self, *, keep: int) -> None:
        """Remove all but the newest ``keep`` folders (the previous one may still be answering a request)."""
        discard(_generations(self.work)[:-keep], self.work)

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
            discard(_generations(self.work), self.work, wait=False)


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
        paths = lasting(changes)
        if not paths:
            continue
        names = sorted({_relative(path, project) for path in paths})
        shown = "、".join(names[:3]) + (f" ほか {len(names) - 3} 件" if len(names) > 3 else "")
        say(f"変更: {shown}")
        rebuilder.changed(paths)


def lasting(changes: Iterable[tuple[watchfiles.Change, str]]) -> list[Path]:
    """The changed paths, less the files created and removed within one batch: the temporary
    file an editor (or ``sed -i``) writes before renaming it over the real one is no change."""
    changes = list(changes)
    added = {path for change, path in changes if change == watchfiles.Change.added}
    removed = {path for change, path in changes if change == watchfiles.Change.deleted}
    passing = added & removed
    return sorted({Path(path) for _, path in changes if path not in passing})


def catch_up(rebuilder: Rebuilder, stop: threading.Event, *, quiet: float = 0.3) -> None:
    """Run ``rebuilder.catch_up`` whenever pages were updated in memory, once edits pause for ``quiet`` s."""
    while not stop.is_set():
        if not rebuilder.wanted.wait(0.2):
            continue
        if stop.wait(quiet):
            return
        rebuilder.catch_up()


def discard(folders: Iterable[Path], work: Path, *, wait: bool = True) -> None:
    """Move ``folders`` into the trash (a rename: at once) and empty it in a background thread.

    A build folder holds a folder per page: removing ten thousand of them takes seconds to
    a minute on some file systems, which neither an edit nor Ctrl-C waits for. Whatever is
    left when the server stops is removed by the next one. ``wait=False``: only move them.
    """
    trash = work / TRASH
    for folder in folders:
        trash.mkdir(parents=True, exist_ok=True)
        try:
            folder.rename(trash / f"{folder.name}-{secrets.token_hex(4)}")
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
    if wait and trash.is_dir() and not any(t.name == TRASH_THREAD and t.is_alive() for t in threading.enumerate()):
        threading.Thread(
            target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True}, name=TRASH_THREAD, daemon=True
        ).start()


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
