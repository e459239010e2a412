"""The writer: the only code that writes the built site to disk.

The new site is assembled in a temporary folder beside the output folder and
swapped in only when everything (pages, data, search index) succeeded; a failed
or interrupted build leaves the previous output as it was. Files whose bytes did
not change are hard-linked from the previous output instead of written again,
so an incremental build writes only what changed.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

from ..config import BuildOptions
from ..model import OutputFile
from ..problems import Problem, error

TMP_MARK = ".tmp-"
OLD_MARK = ".old-"


@dataclass(frozen=True)
class Written:
    files: int
    written: int
    """Files whose bytes changed (the rest were linked from the previous build)."""
    search: object | None
    problems: tuple[Problem, ...] = ()


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
        return error(str(options.output), 0, 0, "unsafe-output", f"出力先「{options.output}」にはプロジェクトのファイルがあるため書き込めません。別のフォルダ（例: site）を指定してください")
    return None


def write_site(
    files: Sequence[OutputFile],
    options: BuildOptions,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    index: Callable[[Path, Path | None], object] | None = None,
) -> Written:
    """Write ``files`` as the new output folder, atomically.

    ``index`` (the search indexer) runs on the assembled temporary folder before
    the swap, with the previous output folder for reuse; when it fails, nothing
    is swapped in.
    """
    unsafe = check_output_folder(options)
    if unsafe:
        return Written(0, 0, None, (unsafe,))
    out = options.output.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    tmp = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    previous = out if out.is_dir() else None
    try:
        written = _assemble(files, tmp, previous, progress)
        search = index(tmp, previous) if index else None
        _swap(tmp, out)
    except UnsafeOutput as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return Written(0, 0, None, (error(str(exc), 0, 0, "unsafe-path", f"出力先の外を指すパス「{exc}」は書き込めません"),))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(len(files), written, search)


def _assemble(files: Sequence[OutputFile], tmp: Path, previous: Path | None, progress) -> int:
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    made: set[Path] = {tmp}
    written = 0
    total = len(files)
    for done, file in enumerate(files, 1):
        rel = safe_relative(file.path)
        dest = tmp / rel
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        if previous is not None and _same_bytes(previous / rel, file.data):
            try:
                os.link(previous / rel, dest)
                continue
            except OSError:
                pass
        dest.write_bytes(file.data)
        written += 1
        if progress and done % 500 == 0:
            progress("write", done, total)
    return written


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _swap(tmp: Path, out: Path) -> None:
    """Put ``tmp`` in place of ``out``.

    On Linux both folders are exchanged in one atomic step (renameat2 with
    RENAME_EXCHANGE), so a reader or a kill at any moment sees either the old
    site or the new one. Elsewhere two renames are used; a build killed between
    them leaves ``.<out>.old-<pid>``, which the next build puts back.
    """
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous site
        return
    old = out.with_name(f".{out.name}{OLD_MARK}{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


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
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _remove_leftovers(out: Path) -> None:
    """Folders left by a build that was killed: restore a lost output, drop temporaries."""
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        if OLD_MARK in leftover.name and not out.exists():
            os.rename(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
