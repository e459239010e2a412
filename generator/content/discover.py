"""Find the content files of a project and read their bytes (the only I/O of this stage).

Layout::

    content/site.yaml            site settings
    content/archetypes.yaml      the four talent archetypes
    content/<collection>/*.md    one entry per file (programs, partners, cases, roles)
    content/pages/*.md           free-standing pages (about, accessibility)

Nothing is read through a symbolic link that leaves ``content/``, and nothing
larger than ``MAX_FILE_BYTES`` is read whole.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..incremental import store
from ..model import COLLECTIONS
from ..problems import Problem, error, warning

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_FILE_BYTES = 1_000_000
"""A content file larger than this is refused (an entry is a few kilobytes)."""

ENTRY_FOLDERS: tuple[str, ...] = (*COLLECTIONS, "pages")

RESERVED_SLUGS: dict[str, frozenset[str]] = {
    # Pages the generator makes itself at these paths: an entry there would replace them.
    "programs": frozenset({"compare", "find"}),
    "pages": frozenset(
        {
            *COLLECTIONS,
            "archetypes",
            "providers",
            "kinds",
            "prefectures",
            "models",
            "tags",
            "search",
            "data",
            "static",
            "pagefind",
            "index",
            "404",
            "atom",
            "sitemap",
            "robots",
            "_catalog",
            "admin",
            "api",
        }
    ),
}
SINGLE_FILES: tuple[str, ...] = ("site.yaml", "archetypes.yaml")


@dataclass(frozen=True)
class SourceFile:
    """One content file as read from disk."""

    path: str
    """Relative to the project folder, POSIX form (``content/programs/x.md``)."""
    kind: str
    """``site``, ``archetypes``, ``pages`` or a collection name."""
    slug: str
    data: bytes
    digest: str = field(default="", compare=False, repr=False)
    """``store.digest(data)`` when discovery computed it (it does for every file it reads), else empty."""

    @property
    def content_hash(self) -> str:
        """``store.digest(data)``: what caches key this file on."""
        return self.digest or store.digest(self.data)


@dataclass(frozen=True)
class Discovery:
    files: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]
    unreadable: frozenset[str] = frozenset()
    """Keys (``programs/x``) of entry files that exist but could not be read."""


def discover(project: Path) -> Discovery:
    """Read every content file of ``project``; collect problems with names and links."""
    content = project / "content"
    files: list[SourceFile] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    if not content.is_dir():
        return Discovery((), (error("content", 0, 0, "no-content", f"content/ フォルダがありません（{project}）"),))
    root = content.resolve()

    for name in SINGLE_FILES:
        path = content / name
        rel = f"content/{name}"
        if not path.exists() and not path.is_symlink():
            if name == "site.yaml":
                problems.append(error(rel, 0, 0, "missing-file", "サイト設定 content/site.yaml がありません"))
            else:
                problems.append(error(rel, 0, 0, "missing-file", "人材像の定義 content/archetypes.yaml がありません"))
            continue
        read = _read(path, rel, root)
        if isinstance(read, Problem):
            problems.append(read)
        else:
            files.append(
                SourceFile(rel, name.removesuffix(".yaml"), name.removesuffix(".yaml"), read, store.digest(read))
            )

    for entry in sorted(os.scandir(content), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name in SINGLE_FILES:
            continue
        rel = f"content/{entry.name}"
        if entry.is_dir(follow_symlinks=False) and entry.name in ENTRY_FOLDERS:
            _discover_folder(Path(entry.path), entry.name, root, files, problems, unreadable)
        elif entry.is_dir() or entry.is_symlink():
            hint = difflib.get_close_matches(entry.name, ENTRY_FOLDERS, n=1)
            suggestion = (
                f"「{hint[0]}」の間違いではありませんか？"
                if hint
                else f"使えるフォルダは {', '.join(ENTRY_FOLDERS)} です"
            )
            problems.append(
                warning(rel, 0, 0, "unknown-folder", f"フォルダ「{entry.name}」は読み込みません。{suggestion}")
            )
        else:
            problems.append(
                warning(
                    rel,
                    0,
                    0,
                    "unknown-file",
                    f"「{entry.name}」は読み込みません（content/ 直下に置けるのは site.yaml と archetypes.yaml です）",
                )
            )

    return Discovery(tuple(files), tuple(problems), frozenset(unreadable))


def _discover_folder(
    folder: Path, kind: str, root: Path, files: list[SourceFile], problems: list[Problem], unreadable: set[str]
) -> None:
    seen: dict[str, str] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        rel = f"content/{kind}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            problems.append(
                warning(
                    rel,
                    0,
                    0,
                    "unknown-folder",
                    f"フォルダ「{entry.name}」の中は読み込みません。項目は content/{kind}/ の直下に置いてください",
                )
            )
            continue
        if not entry.name.endswith(".md"):
            problems.append(warning(rel, 0, 0, "unknown-file", f"「{entry.name}」は .md ではないので読み込みません"))
            continue
        slug = entry.name[: -len(".md")]
        if not SLUG.match(slug):
            problems.append(error(rel, 0, 0, "invalid-slug", _slug_message(slug)))
        elif slug in RESERVED_SLUGS.get(kind, ()):
            problems.append(error(rel, 0, 0, "reserved-slug", _reserved_message(kind, entry.name)))
            continue
        folded = slug.lower()
        if folded in seen:
            problems.append(
                error(
                    rel,
                    0,
                    0,
                    "duplicate-slug",
                    f"「{entry.name}」と「{seen[folded]}」はファイル名が大文字・小文字の違いしかありません。URLが重なるため、どちらかの名前を変えてください",
                )
            )
        else:
            seen[folded] = entry.name
        read = _read_entry(entry, rel, root)
        if isinstance(read, Problem):
            problems.append(read)
            unreadable.add(f"{kind}/{slug}")
        elif SLUG.match(slug):
            files.append(SourceFile(rel, kind, slug, read, store.digest(read)))


def name_problem(kind: str, name: str) -> Problem | None:
    """What discovery says of the name of a new entry file ``name`` (``x.md``) in content/<kind>/,
    or None for a good name (a good name is lower case: it has no twin in another case)."""
    rel, slug = f"content/{kind}/{name}", name[: -len(".md")]
    if not SLUG.match(slug):
        return error(rel, 0, 0, "invalid-slug", _slug_message(slug))
    if slug in RESERVED_SLUGS.get(kind, ()):
        return error(rel, 0, 0, "reserved-slug", _reserved_message(kind, name))
    return None


def _reserved_message(kind: str, name: str) -> str:
    slug = name[: -len(".md")]
    return f"ファイル名「{name}」はサイトが自動で作るページ（/{kind + '/' if kind != 'pages' else ''}{slug}/）と重なるため使えません。別の名前にしてください"


def _slug_message(slug: str) -> str:
    suggestion = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")
    hint = f"（例: {suggestion}.md）" if suggestion and SLUG.match(suggestion) else ""
    return (
        f"ファイル名「{slug}.md」は使えません。ファイル名はURLになるため、半角英小文字・数字・ハイフンだけで、"
        f"英小文字か数字で始めてください{hint}"
    )


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
"""A plain file is opened without following a link: one put in its place meanwhile is not read."""


def _read_entry(entry: os.DirEntry[str], rel: str, root: Path) -> bytes | Problem:
    """Fast path for the common case, a plain file (the directory entry already says so).

    One open, one fstat and one read: no path objects, no buffered file object."""
    if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
        return _read(Path(entry.path), rel, root)
    try:
        fd = os.open(entry.path, _READ_FLAGS)
    except OSError as exc:
        return error(rel, 0, 0, "unreadable", f"ファイルを読めません（{exc.strerror or exc}）")
    try:
        size = os.fstat(fd).st_size
        if size > MAX_FILE_BYTES:
            return error(
                rel,
                0,
                0,
                "file-too-large",
                f"ファイルが大きすぎます（{size:,} バイト。上限は {MAX_FILE_BYTES:,} バイト）",
            )
        data = os.read(fd, size + 1)
    except OSError as exc:
        return error(rel, 0, 0, "unreadable", f"ファイルを読めません（{exc.strerror or exc}）")
    finally:
        os.close(fd)
    if len(data) != size:  # changed while being read, or a short read: the careful way
        return _read(Path(entry.path), rel, root)
    return data


def _read(path: Path, rel: str, root: Path) -> bytes | Problem:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a link loop: RuntimeError before Python 3.13, OSError since
        return error(rel, 0, 0, "unreadable", "ファイルを読めません（シンボリックリンクが循環しています）")
    if path.is_symlink() and not resolved.is_relative_to(root):
        return error(rel, 0, 0, "symlink-outside", "content/ の外を指すシンボリックリンクは読み込みません")
    try:
        size = resolved.stat().st_size
        if not resolved.is_file():
            return error(rel, 0, 0, "unreadable", "通常のファイルではないので読み込みません")
        if size > MAX_FILE_BYTES:
            return error(
                rel,
                0,
                0,
                "file-too-large",
                f"ファイルが大きすぎます（{size:,} バイト。上限は {MAX_FILE_BYTES:,} バイト）",
            )
        return resolved.read_bytes()
    except OSError as exc:
        return error(rel, 0, 0, "unreadable", f"ファイルを読めません（{exc.strerror or exc}）")


def read_entry(project: Path, rel: str) -> SourceFile | Problem:
    """The entry file ``rel`` (``content/<kind>/<slug>.md``, a name ``discover`` accepts) read
    again as ``discover`` reads it: for the dev server, which re-reads only the files that changed."""
    _, kind, name = rel.split("/")
    content = project / "content"
    read = _read(content / kind / name, rel, content.resolve())
    if isinstance(read, Problem):
        return read
    return SourceFile(rel, kind, name[: -len(".md")], read, store.digest(read))
