"""The file operations of the writer's work folder, on plain string paths.

An incremental build at 10,000 entries looks at tens of thousands of paths here;
``pathlib`` objects cost more than the system calls themselves, so paths are
``/``-separated strings relative to the folder, joined to its absolute path.
Nothing here decides what the site holds: ``writer.py`` does.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable

from ..parallel.aside import Aside, AsideFailed

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


def scan(root: str) -> tuple[dict[str, int], set[str]]:
    """Every file below ``root`` (relative path → inode number) and every folder.

    Symbolic links and other entries that are not folders count as files. The
    inode numbers come from the folder listings themselves: no file is opened or
    stat-ed. A folder that cannot be listed is skipped.
    """
    files: dict[str, int] = {}
    folders: set[str] = set()
    stack = [(root, "")]
    while stack:
        current, prefix = stack.pop()
        try:
            listing = os.scandir(current)
        except OSError:
            continue
        with listing:
            for entry in listing:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(rel)
                    stack.append((entry.path, rel + "/"))
                else:
                    files[rel] = entry.inode()
    return files, folders


class Listing:
    """``scan(root)``, run beside the caller (see ``aside.py``), so that listing the
    folder (mostly time spent in the kernel) overlaps the caller's own work.

    ``result()`` waits for it. A failed child, or a call from another process (a
    render worker forked meanwhile), lists the folder itself instead: the result
    is always a listing made by this build, never a remembered one.
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self.owner = os.getpid()
        self._job = Aside(scan, root)
        self._value: tuple[dict[str, int], set[str]] | None = None

    def result(self) -> tuple[dict[str, int], set[str]]:
        if self._value is None:
            try:
                self._value = self._job.result()
            except AsideFailed:
                self._value = scan(self.root)
        return self._value

    def cancel(self) -> None:
        """Stop the child, if it still runs (the listing is no longer wanted)."""
        self._job.close()


def file_inode(path: str) -> int | None:
    """The inode of the regular file at ``path`` (links followed), None when there is none."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_ino if stat.S_ISREG(info.st_mode) else None


def same_bytes(path: str, data: bytes) -> int | None:
    """The inode of the regular file at ``path`` when it holds exactly ``data``, else None.

    A symbolic link is never the same, even to a file with these bytes.
    """
    try:
        fd = os.open(path, _READ)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return None  # (a folder, too: it can be opened, not read)
        with open(fd, "rb", closefd=False) as f:
            return info.st_ino if f.read() == data else None
    finally:
        os.close(fd)


class Tree:
    """A folder being brought to a wanted state: files written, linked, removed.

    ``folders`` are the subfolders known to exist (relative paths); creating
    a file in one of them needs no other system call. Whatever is found in the
    way (a file where a folder must be, a folder where a file must be) is
    removed first.
    """

    def __init__(self, root: str, folders: set[str]) -> None:
        self.root = root
        self.folders = folders

    def write(self, rel: str, data: bytes, *, exists: bool) -> int:
        """Write ``data`` at ``rel``; the new file's inode. ``exists``: something stands there
        now (without it the quick way is tried first; it fails if something does)."""
        if not exists:
            try:
                self._make_parent(rel)
                fd = os.open(f"{self.root}/{rel}", _CREATE, 0o666)
            except OSError:
                pass  # in the way, or appeared after the scan: the careful path below
            else:
                with open(fd, "wb") as f:
                    f.write(data)
                    return os.fstat(fd).st_ino
        tmp = self._clear_way(rel)
        with open(tmp, "wb") as f:
            f.write(data)
            inode = os.fstat(f.fileno()).st_ino
        os.replace(tmp, f"{self.root}/{rel}")
        return inode

    def link(self, source: str, rel: str, *, exists: bool) -> None:
        """Make ``rel`` a hard link of ``source`` (a copy where links are impossible)."""
        if not exists:
            try:
                self._make_parent(rel)
                os.link(source, f"{self.root}/{rel}")
                return
            except OSError:
                pass
        tmp = self._clear_way(rel)
        try:
            os.link(source, tmp)
        except FileNotFoundError:
            raise
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, f"{self.root}/{rel}")

    def remove(self, rels: Iterable[str]) -> None:
        """Delete the files ``rels``, then every folder this leaves empty."""
        parents: set[str] = set()
        for rel in rels:
            try:
                os.unlink(f"{self.root}/{rel}")
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                pass  # already gone, or a folder now stands there (it holds wanted files)
            parents.add(rel.rpartition("/")[0])
        for folder in sorted(parents, key=lambda f: f.count("/"), reverse=True):
            while folder:
                try:
                    os.rmdir(f"{self.root}/{folder}")
                except OSError:
                    break
                self.folders.discard(folder)
                folder = folder.rpartition("/")[0]

    def _make_parent(self, rel: str) -> None:
        parent = rel.rpartition("/")[0]
        if not parent or parent in self.folders:
            return
        self._make_parent(parent)
        path = f"{self.root}/{parent}"
        try:
            os.mkdir(path)
        except FileExistsError:
            if os.path.islink(path) or not os.path.isdir(path):
                raise  # a file where a folder must be: the careful path removes it
        self.folders.add(parent)

    def _clear_way(self, rel: str) -> str:
        """Make room for a file at ``rel``: its folders exist, nothing but a file stands at
        ``rel``. The temporary name to write it under, then rename over ``rel``."""
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            path = f"{self.root}/{folder}"
            if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
                os.unlink(path)  # a file where a folder must now be
                self.folders.difference_update([f for f in self.folders if f == folder or f.startswith(folder + "/")])
            if not os.path.isdir(path):
                os.mkdir(path)
            self.folders.add(folder)
        dest = f"{self.root}/{rel}"
        if os.path.isdir(dest) and not os.path.islink(dest):
            shutil.rmtree(dest)  # a folder where a file must now be
            self.folders.difference_update([f for f in self.folders if f == rel or f.startswith(rel + "/")])
        head, _, name = dest.rpartition("/")
        tmp = f"{head}/.{name}.{os.getpid()}.new"
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        return tmp


def linked_copy(source: str, dest: str, rels: Iterable[str]) -> dict[str, int]:
    """Fill the new folder ``dest`` with hard links to the files ``rels`` of ``source``.

    Returns each linked file's inode. Stops at the first error (the folder then
    holds part of the files): it is only ever a starting point to be scanned.
    """
    os.mkdir(dest)
    tree = Tree(dest, set())
    inodes: dict[str, int] = {}
    try:
        for rel in sorted(rels):
            tree._make_parent(rel)
            os.link(f"{source}/{rel}", f"{dest}/{rel}")
            inodes[rel] = os.stat(f"{dest}/{rel}").st_ino
    except OSError:
        pass
    return inodes


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False  # no such process (a number too large cannot be one)
    except PermissionError:
        return True
    return True
