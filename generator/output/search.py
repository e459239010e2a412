"""The search index: Pagefind run once over the assembled output folder.

The writer calls the indexer on its temporary folder before the swap, so a
failed index leaves the previous site in place. Pagefind's *extended* build is
required (the standard one does not segment Japanese), its version is pinned in
pyproject.toml, and it runs as one subprocess over the whole site.

What is indexed: every HTML page that marks its main content with
``data-pagefind-body`` (the 404 page never). Pagefind does not fold full-width
letters and digits, so it reads NFKC-normalised copies of those pages from a
scratch folder; the published pages keep the text their editors wrote, and the
search page normalises the query the same way (``s.normalize("NFKC")``).

When no indexed page changed since the previous build, the previous index is
reused (hard-linked); a fingerprint of every indexed page, stored in the index
folder, decides that.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

INDEX_FOLDER = "pagefind"
FINGERPRINT_FILE = "catalog-fingerprint.txt"
BODY_MARK = b"data-pagefind-body"
EXCLUDED_PAGES = frozenset({"404.html"})
INDEX_FORMAT = "catalog-search-1"
"""Part of the fingerprint: change it when the normalisation or the Pagefind options change."""

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

MARKUP_UNSAFE = {ch: f"&#x{ord(ch):X};" for ch in "\ufe60\ufe64\ufe65\uff02\uff06\uff07\uff1c\uff1e"}
"""Characters whose NFKC form contains ``< > & " '``: kept as character references,
so that normalising a page's text can never change its markup."""
_MARKUP_UNSAFE_RE = re.compile(f"[{''.join(MARKUP_UNSAFE)}]")

Indexer = Callable[[Path, "Path | None"], "SearchStats"]


@dataclass(frozen=True)
class SearchStats:
    pages: int
    """Pages in the index."""
    bytes: int
    """Size of the index folder."""
    seconds: float
    reused: bool
    """The previous build's index was kept because no indexed page changed."""


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
) -> SearchStats:
    """Write ``site_dir/pagefind/``, reusing ``previous_dir/pagefind/`` when nothing indexed changed."""
    started = time.perf_counter()
    pages = indexed_pages(site_dir)
    if not pages:
        raise SearchIndexError("検索の対象になるページ（data-pagefind-body のあるページ）が 1 つもありません")
    digest = fingerprint(site_dir, pages, language)
    target = site_dir / INDEX_FOLDER
    # The writer assembles the site in the folder of an earlier build: its index
    # may already be the right one; any other is replaced.
    reused = _current(target, digest)
    if not reused and target.exists():
        shutil.rmtree(target)
    reused = reused or (previous_dir is not None and _reuse(previous_dir / INDEX_FOLDER, target, digest))
    if not reused:
        _run_pagefind(site_dir, pages, target, language, executable or pagefind_executable())
        (target / FINGERPRINT_FILE).write_text(digest + "\n", encoding="ascii")
    count = indexed_page_count(target)
    if count == 0:
        raise SearchIndexError("検索インデックスが空です（Pagefind が 1 ページも索引にしませんでした）")
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return SearchStats(pages=count, bytes=size, seconds=time.perf_counter() - started, reused=reused)


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


def fingerprint(site_dir: Path, pages: tuple[str, ...], language: str) -> str:
    """A hash of everything the index depends on: the pages, the options, Pagefind's version."""
    total = hashlib.sha256()
    for part in (INDEX_FORMAT, pagefind_version(), language):
        total.update(part.encode("utf-8") + b"\0")
    for rel in pages:
        total.update(rel.encode("utf-8") + b"\0")
        total.update(hashlib.sha256((site_dir / rel).read_bytes()).digest())
    return total.hexdigest()


def normalize_for_index(html: str) -> str:
    """The page as Pagefind should read it: NFKC text (ＤＸ → DX, ｶﾀｶﾅ → カタカナ), same markup."""
    if unicodedata.is_normalized("NFKC", html):
        return html
    return unicodedata.normalize("NFKC", _MARKUP_UNSAFE_RE.sub(lambda m: MARKUP_UNSAFE[m.group()], html))


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


def _reuse(previous: Path, target: Path, digest: str) -> bool:
    """Hard-link the previous index into ``target`` when it was built from the same pages."""
    try:
        stored = (previous / FINGERPRINT_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    if stored != digest or not (previous / "pagefind.js").is_file() or indexed_page_count(previous) == 0:
        return False
    try:
        shutil.copytree(previous, target, copy_function=_link_or_copy)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _run_pagefind(site_dir: Path, pages: tuple[str, ...], target: Path, language: str, executable: Path) -> None:
    # The scratch copy holds a folder per page: on a memory file system its removal is instant.
    shm = Path("/dev/shm")
    scratch_parent = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="catalog-search-", dir=scratch_parent) as scratch:
        source = Path(scratch)
        for rel in pages:
            dest = source / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = (site_dir / rel).read_bytes().decode("utf-8", errors="replace")
            dest.write_bytes(normalize_for_index(text).encode("utf-8"))
        command = [
            str(executable),
            "--site", str(source),
            "--output-path", str(target.resolve()),
            "--force-language", language,
            "--glob", "**/*.html",
            "--quiet",
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
        except OSError as exc:
            raise SearchIndexError(f"Pagefind を起動できません（{executable}）: {exc}") from None
    if done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        detail = _last_lines(done.stderr or done.stdout)
        raise SearchIndexError(f"Pagefind が失敗しました（終了コード {done.returncode}）: {detail}")
    for name in UNUSED_BUNDLE_FILES:
        (target / name).unlink(missing_ok=True)


def _last_lines(output: str, count: int = 5) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "出力なし"
