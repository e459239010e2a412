"""The search index: Pagefind run over the assembled output folder, one shard at a time.

The writer calls the indexer on its temporary folder before the swap, so a
failed index leaves the previous site in place. Pagefind's extended build is the
one installed (its version pinned in pyproject.toml; the index no longer uses its
Japanese segmenter, see below), and it runs as a subprocess per shard (see
search_shards.py for which pages go into which shard: a small site is one shard).

What is indexed: every HTML page that marks its main content with
``data-pagefind-body`` (the 404 page never). Pagefind reads a copy of each of
those pages from a scratch folder (search_text.py): the page's own text as
NFKC-normalised character bigrams, indexed as a language Pagefind does not
segment; the published pages keep the text their editors wrote, and the search
page splits the query the same way (static/js/search-query.js).

Layout: the root shard (the whole site, or the pages outside the collections)
is written to ``pagefind/`` itself; every other shard to ``pagefind/<shard>/``.
``pagefind/catalog-shards.json`` lists them for the search page, with the
values of each shard's sort keys (the browser merges the shards' sorted
answers; Pagefind itself orders merged results by score only).

Each shard keeps a fingerprint of its pages in its folder: a shard whose pages
did not change since the previous build is reused (hard-linked), so an edit
re-indexes only the shards that hold a changed page.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .search_shards import SHARD_LIMIT, SPLIT_FROM, Shard, plan_shards, sort_runs, sort_values
from .search_text import INDEX_LANGUAGE, index_copy

INDEX_FOLDER = "pagefind"
FINGERPRINT_FILE = "catalog-fingerprint.txt"
BODY_MARK = b"data-pagefind-body"
EXCLUDED_PAGES = frozenset({"404.html"})
INDEX_FORMAT = "catalog-search-2"
"""Part of the fingerprint: change it when the normalisation or the Pagefind options change."""
MANIFEST_FILE = "catalog-shards.json"
"""The list of shards the search page loads (in the index folder)."""
MANIFEST_FORMAT = 1

UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces; the theme has its own (static/js/search.js)."""

Indexer = Callable[[Path, "Path | None"], "SearchStats"]


@dataclass(frozen=True)
class SearchStats:
    pages: int
    """Pages in the index (all shards)."""
    bytes: int
    """Size of the index folder."""
    seconds: float
    reused: bool
    """Every shard was kept from the previous build because none of its pages changed."""
    shards: tuple[str, ...] = ()
    """The shards' names, in the order the search page loads them."""
    reused_shards: tuple[str, ...] = ()
    """The shards kept from the previous build (the others were indexed by Pagefind)."""


class SearchIndexError(RuntimeError):
    """Pagefind failed or produced an empty index; the message is for the person building."""


def search_indexer(language: str = "ja", executable: Path | None = None) -> Indexer:
    """The ``index`` callable the writer runs on its temporary folder."""

    def index(site_dir: Path, previous_dir: Path | None) -> SearchStats:
        return build_index(site_dir, previous_dir, language=language, executable=executable)

    return index


def build_index(
    site_dir: Path,
    previous_dir: Path | None,
    *,
    language: str = "ja",
    executable: Path | None = None,
    shard_limit: int = SHARD_LIMIT,
    split_from: int = SPLIT_FROM,
) -> SearchStats:
    """Write ``site_dir/pagefind/``: each shard reused from ``previous_dir/pagefind/`` or indexed anew."""
    started = time.perf_counter()
    pages = indexed_pages(site_dir)
    if not pages:
        raise SearchIndexError("検索の対象になるページ（data-pagefind-body のあるページ）が 1 つもありません")
    shards = plan_shards(pages, limit=shard_limit, split_from=split_from)
    root = site_dir / INDEX_FOLDER
    if root.exists() and not root.is_dir():
        root.unlink()
    root.mkdir(exist_ok=True)
    _remove_stale_shards(root, shards)
    previous_root = previous_dir / INDEX_FOLDER if previous_dir is not None else None
    listed: list[dict[str, object]] = []
    reused_shards: list[str] = []
    total = 0
    for shard in shards:
        digest, sorts = read_shard(site_dir, shard, language)
        target = root / shard.folder
        # The writer assembles the site in the folder of an earlier build: its
        # shard may already be the right one; any other is replaced.
        reused = _current(target, digest)
        if not reused:
            _clear_shard(target, is_root=not shard.folder)
            reused = previous_root is not None and _reuse(previous_root / shard.folder, target, digest)
        if reused:
            reused_shards.append(shard.name)
        else:
            executable = executable or pagefind_executable()
            _run_pagefind(site_dir, shard.pages, target, executable, is_root=not shard.folder)
            (target / FINGERPRINT_FILE).write_text(digest + "\n", encoding="ascii")
        count = indexed_page_count(target)
        if count == 0:
            raise SearchIndexError(
                f"検索インデックスが空です（Pagefind が索引「{shard.name}」に 1 ページも入れませんでした）"
            )
        total += count
        listed.append({"name": shard.name, "folder": shard.folder, "pages": count, "sort": sorts})
    manifest = {"format": MANIFEST_FORMAT, "shards": listed}
    (root / MANIFEST_FILE).write_text(
        json.dumps(manifest, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    return SearchStats(
        pages=total,
        bytes=size,
        seconds=time.perf_counter() - started,
        reused=len(reused_shards) == len(shards),
        shards=tuple(shard.name for shard in shards),
        reused_shards=tuple(reused_shards),
    )


def indexed_pages(site_dir: Path) -> tuple[str, ...]:
    """Site-relative POSIX paths of the HTML pages to index, sorted."""
    found = []
    for path in site_dir.rglob("*.html"):
        rel = path.relative_to(site_dir).as_posix()
        if rel in EXCLUDED_PAGES or rel.startswith(f"{INDEX_FOLDER}/") or not path.is_file():
            continue
        if BODY_MARK in path.read_bytes():
            found.append(rel)
    return tuple(sorted(found))


def read_shard(site_dir: Path, shard: Shard, language: str) -> tuple[str, dict[str, list[list[object]]]]:
    """The shard's fingerprint and its sort values (``sort_runs``), from one read of each page.

    The fingerprint is a hash of everything the shard's index depends on: its
    pages, the options, Pagefind's version.
    """
    total = hashlib.sha256()
    for part in (INDEX_FORMAT, pagefind_version(), language):
        total.update(part.encode("utf-8") + b"\0")
    values = []
    for rel in shard.pages:
        data = (site_dir / rel).read_bytes()
        total.update(rel.encode("utf-8") + b"\0")
        total.update(hashlib.sha256(data).digest())
        values.append(sort_values(data))
    return total.hexdigest(), sort_runs(values)


def indexed_page_count(index_dir: Path) -> int:
    """Pages in a Pagefind index, read from its entry file (0 when it has none)."""
    try:
        entry = json.loads((index_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    except (OSError, ValueError, AttributeError, TypeError):
        return 0


def pagefind_executable() -> Path:
    """The extended Pagefind binary installed with the ``pagefind[extended]`` package."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "Pagefind の拡張版が入っていません。`pip install -e .` で依存パッケージ（pagefind[extended]）を入れてください"
        ) from None
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise SearchIndexError(f"Pagefind の実行ファイルが見つかりません: {exc}") from None


def pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin_extended")
    except metadata.PackageNotFoundError:
        return "unknown"


def _current(index_dir: Path, digest: str) -> bool:
    """The index in ``index_dir`` was built from the same pages with the same options."""
    try:
        stored = (index_dir / FINGERPRINT_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return stored == digest and (index_dir / "pagefind.js").is_file() and indexed_page_count(index_dir) > 0


def _is_shard_folder(path: Path) -> bool:
    """A shard's own subfolder of the index folder (Pagefind's folders have no fingerprint)."""
    return path.is_dir() and not path.is_symlink() and (path / FINGERPRINT_FILE).is_file()


def _own_entries(folder: Path, *, is_root: bool) -> list[Path]:
    """The files and folders of the shard in ``folder``; the root shard shares it with the others."""
    if not folder.is_dir():
        return []
    entries = sorted(folder.iterdir())
    if not is_root:
        return entries
    return [p for p in entries if p.name != MANIFEST_FILE and not _is_shard_folder(p)]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _remove_stale_shards(root: Path, shards: tuple[Shard, ...]) -> None:
    """Drop the folders of shards the plan no longer has, and the root shard's files when it has none."""
    wanted = {shard.folder.rstrip("/") for shard in shards if shard.folder}
    for path in sorted(root.iterdir()):
        if _is_shard_folder(path) and path.name not in wanted:
            shutil.rmtree(path)
    if not any(not shard.folder for shard in shards):
        _clear_shard(root, is_root=True)


def _clear_shard(folder: Path, *, is_root: bool) -> None:
    for path in _own_entries(folder, is_root=is_root):
        _remove(path)


def _reuse(previous: Path, target: Path, digest: str) -> bool:
    """Hard-link the previous shard into ``target`` when it was built from the same pages."""
    if not _current(previous, digest):
        return False
    is_root = previous.name == INDEX_FOLDER
    try:
        target.mkdir(parents=True, exist_ok=True)
        for path in _own_entries(previous, is_root=is_root):
            if path.is_dir():
                shutil.copytree(path, target / path.name, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(path), str(target / path.name))
    except OSError:
        _clear_shard(target, is_root=is_root)
        return False
    return True


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _run_pagefind(site_dir: Path, pages: tuple[str, ...], target: Path, executable: Path, *, is_root: bool) -> None:
    # The scratch copy holds a folder per page: on a memory file system its removal is instant.
    shm = Path("/dev/shm")
    scratch_parent = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="catalog-search-", dir=scratch_parent) as scratch:
        source = Path(scratch)
        for rel in pages:
            dest = source / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = (site_dir / rel).read_bytes().decode("utf-8", errors="replace")
            dest.write_bytes(index_copy(text).encode("utf-8"))
        command = [
            str(executable),
            "--site", str(source),
            "--output-path", str(target.resolve()),
            "--force-language", INDEX_LANGUAGE,
            "--glob", "**/*.html",
            "--quiet",
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
        except OSError as exc:
            raise SearchIndexError(f"Pagefind を起動できません（{executable}）: {exc}") from None
    if done.returncode != 0:
        _clear_shard(target, is_root=is_root)
        detail = _last_lines(done.stderr or done.stdout)
        raise SearchIndexError(f"Pagefind が失敗しました（終了コード {done.returncode}）: {detail}")
    for name in UNUSED_BUNDLE_FILES:
        (target / name).unlink(missing_ok=True)


def _last_lines(output: str, count: int = 5) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "出力なし"
