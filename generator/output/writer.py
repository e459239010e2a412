"""The writer: the only code that writes the built site to disk.

The new site is assembled in a temporary folder beside the output folder and
swapped in only when everything (pages, data, search index) succeeded; a failed
or interrupted build leaves the previous output as it was. Files whose bytes did
not change are hard-linked from the previous output instead of written again,
so an incremental build writes only what changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..config import BuildOptions
from ..incremental import store
from ..model import OutputFile, Sink
from ..problems import Problem, error
from .folders import claim_work_folder, fill_spare, release, spare_folder, swap
from .search import Indexer, SearchIndexError, SearchStats
from .tree import Listing, Tree, file_inode, same_bytes

INDEX_FOLDER = "pagefind"
"""Written by the search indexer, not by the writer."""


@dataclass(frozen=True)
class Written:
    files: int
    written: int
    """Files whose bytes changed (the rest were linked from the previous build)."""
    search: SearchStats | None
    problems: tuple[Problem, ...] = ()


def keepable(sink: Sink | None, output: Path) -> Callable[[str], bool]:
    """Whether the previous build's file at a path is there to be kept: in the sink
    (the work folder) or, without one, in the output folder."""
    if sink is not None:
        return sink.has_output
    base = f"{output.resolve()}/"
    return lambda path: os.path.isfile(base + path)


class UnsafeOutput(ValueError):
    """An output path that would leave the output folder."""


def safe_relative(path: str) -> PurePosixPath:
    """The output path as a relative path that stays inside the output folder."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\x00" in path:
        raise UnsafeOutput(path)
    return pure


def check_output_folder(options: BuildOptions) -> Problem | None:
    """The output folder must not be, contain or sit inside the project's sources."""
    out = options.output.resolve()
    project = options.project.resolve()
    inside_sources = any(out.is_relative_to(project / name) for name in ("content", "themes", ".git"))
    if project.is_relative_to(out) or inside_sources:
        return error(
            str(options.output),
            0,
            0,
            "unsafe-output",
            f"出力先「{options.output}」にはプロジェクトのファイルがあるため書き込めません。別のフォルダ（例: site）を指定してください",
        )
    return None


def write_site(
    files: Sequence[OutputFile],
    options: BuildOptions,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    index: Indexer | None = None,
    kept: Sequence[str] = (),
) -> Written:
    """Write ``files`` as the new output folder, atomically (see ``WorkFolder``).

    ``kept`` are paths whose file is the same as in the previous output (an
    incremental build did not render them again): they are linked from it.

    ``index`` (the search indexer) runs on the assembled work folder before the
    swap, with the previous output folder for reuse; when it fails, nothing is
    swapped in.
    """
    work = WorkFolder.open(options, search=index is not None)
    if isinstance(work, Problem):
        return Written(0, 0, None, (work,))
    return work.finish(files, kept=kept, index=index, progress=progress)


class WorkFolder:
    """The next output folder while it is being assembled.

    It is the site before the previous one, kept in the build cache (the
    spare), brought up to date file by file: deleting and recreating tens of
    thousands of folders costs far more than the few files an edit changes
    (deletion is slow on many file systems). ``put`` may be called from forked
    render workers, each writing its own pages; ``finish`` writes the rest,
    removes what is stale, runs the indexer and swaps the folder in;
    ``abort`` keeps it as the spare and publishes nothing.

    The spare is listed once (in the background, from ``open`` on): every
    decision is taken against what it really holds. The cache only remembers
    which file (inode) the previous build published at each path: a spare file
    that is that very file needs no look at the output (see ``has_output``).
    """

    def __init__(self, options: BuildOptions, out: Path, work: Path, spare: Path, search: bool) -> None:
        self.out = out
        self.work = work
        self.spare = spare
        self.search = search
        self.project = options.project
        self.previous = out if out.is_dir() else None
        self._out = str(out)
        self._listing = Listing(str(work))  # overlaps the caller's work until first needed
        self._published = _take_published(options.project, out) if self.previous is not None else {}
        self._tree, self._listed = Tree(str(work), set()), False
        self.present: dict[str, int] = {}
        """Relative path → inode of every file the work folder held when claimed."""
        self._same: set[str] = set()
        """The paths where the work folder holds the very file the previous build published."""
        self._out_inodes: dict[str, int | None] = {}
        self._inodes: dict[str, int] = {}
        """Path → inode of what this process placed in the work folder."""

    @classmethod
    def open(cls, options: BuildOptions, *, search: bool) -> WorkFolder | Problem:
        unsafe = check_output_folder(options)
        if unsafe:
            return unsafe
        out = options.output.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        spare = spare_folder(options.project, out)
        return cls(options, out, claim_work_folder(out, spare), spare, search)

    def _ready(self) -> None:
        if not self._listed:
            self.present, self._tree.folders = self._listing.result()
            self._same = {path for path, inode in self.present.items() if self._published.get(path) == inode}
            self._listed = True

    def has_output(self, path: str) -> bool:
        """Whether the previous build's file at ``path`` can be kept (passed in ``kept``).

        True when the work folder already holds the very file (same inode) the
        previous build published there (no system call), or else when the output
        folder has a regular file there now (one stat, remembered for ``finish``).
        """
        self._ready()
        return path in self._same or self._out_inode(path) is not None

    def put(self, file: OutputFile) -> bool:
        """Place one file; True when its bytes had to be written (not found or linked).

        A render worker forked before the listing was collected goes without it."""
        rel = _clean(file.path)
        if self.search and rel.split("/", 1)[0] == INDEX_FOLDER:
            raise UnsafeOutput(file.path)
        if self._listed or self._listing.owner == os.getpid():
            self._ready()
            exists = look = rel in self.present
        else:  # look at the path itself; the file operations replace whatever stands there
            exists, look = False, True
        inode = same_bytes(f"{self._tree.root}/{rel}", file.data) if look else None
        if inode is None and self.previous is not None:
            inode = same_bytes(f"{self._out}/{rel}", file.data)
            if inode is not None:
                self._tree.link(f"{self._out}/{rel}", rel, exists=exists)
        written = inode is None
        if written:
            inode = self._tree.write(rel, file.data, exists=exists)
        self._inodes[rel] = inode  # type: ignore[assignment]  # written or linked: it has an inode now
        return written

    def finish(
        self,
        files: Sequence[OutputFile],
        kept: Sequence[str] = (),
        placed: Sequence[str] = (),
        placed_written: int = 0,
        index: Indexer | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Written:
        """Write ``files``, link ``kept``, drop stale files, index, swap in.

        ``placed`` are the paths already put by render workers (``placed_written``
        of them written).
        """
        try:
            self._ready()
            written, wanted = self._sync(files, kept, placed, progress)
            written += placed_written
            search = index(self.work, self.previous) if index else None
            swap(self.work, self.out)
        except UnsafeOutput as exc:
            self.abort()
            return Written(0, 0, None, (unsafe_path_problem(str(exc)),))
        except SearchIndexError as exc:  # not the content's fault: the command exits 3
            self.abort()
            return Written(
                0, 0, None, (error("pagefind", 0, 0, "search-index", f"検索インデックスを作れませんでした: {exc}"),)
            )
        except BaseException:
            self.abort()
            raise
        # Published. What follows prepares the next build; an interruption only costs it time.
        published = {path: inode for path in wanted if (inode := self._inodes.get(path)) is not None}
        release(self.work, self.spare)  # it now holds the previous site: the next build's spare
        if not self.spare.exists():
            published = fill_spare(self.out, self.spare, wanted)
        store.save(self.project, _published_name(self.out), str(self.out), published)
        return Written(len(files) + len(kept) + len(placed), written, search)

    def abort(self) -> None:
        """Publish nothing; keep the work folder as the spare for the next build."""
        self._listing.cancel()
        release(self.work, self.spare)

    def _out_inode(self, rel: str) -> int | None:
        if rel not in self._out_inodes:
            self._out_inodes[rel] = file_inode(f"{self._out}/{rel}") if self.previous is not None else None
        return self._out_inodes[rel]

    def _sync(
        self,
        files: Sequence[OutputFile],
        kept: Sequence[str],
        placed: Sequence[str],
        progress: Callable[[str, int, int], None] | None,
    ) -> tuple[int, set[str]]:
        written = 0
        total = len(files) + len(kept)
        for done, file in enumerate(files, 1):
            written += self.put(file)
            if progress and done % 1000 == 0:
                progress("write", done, total)
        if kept and self.previous is None:
            raise FileNotFoundError("kept files need a previous output folder")
        kept_set = set(kept)
        same = kept_set & self._same  # already in place: nothing to look at
        wanted = {*same, *placed}
        for path in kept_set - same:
            rel = _clean(path)
            wanted.add(rel)
            inode = self._out_inode(rel)
            if inode is None or self.present.get(rel) != inode:
                self._tree.link(f"{self._out}/{rel}", rel, exists=rel in self.present)
                inode = inode if inode is not None else file_inode(f"{self._out}/{rel}")
            if inode is not None:
                self._inodes[rel] = inode
        self._inodes.update((path, self.present[path]) for path in same)
        wanted.update(_clean(f.path) for f in files)
        stale = self.present.keys() - wanted
        if self.search:
            stale = {p for p in stale if p.split("/", 1)[0] != INDEX_FOLDER}
        self._tree.remove(stale)
        return written, wanted


def _clean(path: str) -> str:
    """``path`` as the relative ``/``-separated path it names inside the output folder."""
    parts = path.split("/")
    if "" in parts or "." in parts:
        path = safe_relative(path).as_posix()
        parts = path.split("/")
    if path in ("", ".") or path[0] == "/" or ".." in parts or "\\" in path or "\x00" in path:
        raise UnsafeOutput(path)
    return path


def _take_published(project: Path, out: Path) -> dict[str, int]:
    """The inode of each file the previous build published, forgotten as it is read: a
    build that fails or is killed may have changed the spare, and leaves nothing to trust."""
    name = _published_name(out)
    published: dict[str, int] | None = store.load(project, name, str(out))
    if published is None:
        return {}
    store.save(project, name, "", None)
    return published


def unsafe_path_problem(path: str) -> Problem:
    """The problem of an output path that would leave the output folder or collide with the index."""
    if path.split("/", 1)[0] == INDEX_FOLDER:
        return error(
            f"{INDEX_FOLDER}/",
            0,
            0,
            "unsafe-path",
            f"出力に「{INDEX_FOLDER}/」があります。検索インデックスの置き場所と重なるため、ページの名前を変えてください",
        )
    return error(path, 0, 0, "unsafe-path", f"出力先の外を指すパス「{path}」は書き込めません")


def _published_name(out: Path) -> str:
    return "published-" + hashlib.sha256(str(out).encode()).hexdigest()[:16]
