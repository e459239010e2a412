"""The folders beside the output: the spare kept for the next build, the work folder a build
claims, and the swap that puts the new site in place in one step.

The writer (``writer.py``) decides what goes into the work folder; this module only names,
claims, exchanges and keeps folders, so that whatever moment a build is interrupted or
killed at, the output folder holds a whole site and the next build can reuse what is left.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import sys
from pathlib import Path

from ..incremental.store import CACHE_DIR
from .tree import linked_copy, process_alive

TMP_MARK = ".tmp-"
OLD_MARK = ".old-"
SPARE_MARK = ".spare"


def spare_folder(project: Path, out: Path) -> Path:
    """Where the previous site is kept for reuse: in the project's build cache, so that
    deleting ``.catalog-cache/`` and the output gives a cold build — unless the cache
    is on another file system than the output (a folder cannot be renamed across)."""
    cache_dir = project.resolve() / CACHE_DIR
    name = "spare-" + hashlib.sha256(str(out).encode()).hexdigest()[:16]
    try:
        if not cache_dir.is_symlink() and cache_dir.parent.stat().st_dev == out.parent.stat().st_dev:
            return cache_dir / name
    except OSError:
        pass
    return out.with_name(f".{out.name}{SPARE_MARK}")


def claim_work_folder(out: Path, spare: Path) -> Path:
    """A folder beside ``out`` to assemble the next site in, named for this process.

    The spare (the site before the previous build) or a folder left by a killed
    build is reused: whatever state it is in, the writer's ``WorkFolder`` makes it right.
    """
    work = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    candidates = [spare, *sorted(out.parent.glob(f".{out.name}.*-*"))]
    for candidate in candidates:
        # Only a work or old folder ends in a process id; the spare's name ends in a hash,
        # which may be all digits.
        pid = candidate.name.rsplit("-", 1)[-1] if candidate != spare else ""
        dead = pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid))
        if not candidate.exists() or not (candidate == spare or dead or candidate == work):
            continue
        if OLD_MARK in candidate.name and not out.exists():
            os.rename(candidate, out)  # a swap killed half-way: its old site is the site
        elif not work.exists():
            os.rename(candidate, work)
        else:
            shutil.rmtree(candidate, ignore_errors=True)  # more leftovers than one work folder needs
    if not work.exists():
        work.mkdir()
    return work


def release(work: Path, spare: Path) -> None:
    """Keep the work folder (now holding the previous site, or a failed attempt) as the spare."""
    if work.exists():
        if spare.exists():
            shutil.rmtree(work, ignore_errors=True)
            return
        try:
            spare.parent.mkdir(exist_ok=True)
            os.rename(work, spare)
        except OSError:
            shutil.rmtree(work, ignore_errors=True)


def swap(work: Path, out: Path) -> None:
    """Put ``work`` in place of ``out``; afterwards ``work`` holds the previous site.

    On Linux both folders are exchanged in one atomic step (renameat2 with
    RENAME_EXCHANGE), so a reader or a kill at any moment sees either the old
    site or the new one. Elsewhere two renames are used; a build killed between
    them leaves ``.<out>.old-<pid>``, which the next build puts back.
    """
    if not out.exists():
        os.rename(work, out)
        return
    if _exchange(work, out):
        return
    old = out.with_name(f".{out.name}{OLD_MARK}{os.getpid()}")
    os.rename(out, old)
    try:
        os.rename(work, out)
    except BaseException:
        os.rename(old, out)
        raise
    os.rename(old, work)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2(2); False where unsupported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    result: int = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def fill_spare(out: Path, spare: Path, wanted: set[str]) -> dict[str, int]:
    """After a build that left no previous site (a cold one): a spare of hard links to the
    new output, so that the next build only changes the files that change. (Built under
    a work folder's name: a build killed meanwhile leaves a folder the next one claims.)"""
    tmp = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    try:
        inodes = linked_copy(str(out), str(tmp), wanted)
        spare.parent.mkdir(exist_ok=True)
        os.rename(tmp, spare)
    except OSError:
        return {}
    return inodes
