"""No broken internal links: every href/src under base_path must be an output file.

Runs over all output files of a build together (pages, static files, data
exports and feeds), so that a page may link a file another stage writes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urlsplit

from ..config import Config
from ..model import OutputFile
from ..problems import Problem, error

# The pages are our own output (Jinja templates and nh3-serialised Markdown), whose
# attributes are always quoted; a regular expression finds them ten times faster
# than an HTML parser, which matters at tens of thousands of pages.
_ATTR = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def links_of(html: str) -> tuple[str, ...]:
    """Every href and src value of a page, in document order (entities decoded)."""
    links: list[str] = []
    for text in _TAG.findall(html):  # a list of strings made in C: most tags have no link
        if "href" in text or "src" in text:
            for double, single in _ATTR.findall(text):
                value = single if single and not double else double  # one of them is always ""
                links.append(unescape(value) if "&" in value else value)
    return tuple(links)


def resolve(href: str, page_path: str, base_path: str) -> str | None:
    """The output path a link points to, or None when it is not ours to check.

    ``page_path`` is the page's output path (``programs/x/index.html``).
    Returns ``""``-prefixed-free paths relative to the output root; a link
    outside base_path resolves to ``"../…"`` so that it is reported.
    """
    if href.startswith("/") and not href.startswith("//"):
        return _resolve_rooted(href, base_path)  # the same on every page
    return _resolve(href, page_path, base_path)


@lru_cache(maxsize=8192)
def _resolve_rooted(href: str, base_path: str) -> str | None:
    return _resolve(href, "", base_path)


def _resolve(href: str, page_path: str, base_path: str) -> str | None:
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        return None  # external, mailto:, tel:, …
    if not parts.path:
        return None  # "#fragment" or "?query" on the same page
    path = unquote(parts.path)
    # As a browser reads it: relative to the page, "." and ".." segments resolved (in rooted links too).
    url = posixpath.normpath(posixpath.join(posixpath.dirname(base_path + page_path), path))
    if path.endswith("/") and not url.endswith("/"):
        url += "/"
    if not (url + "/").startswith(base_path):
        return "../" + url.lstrip("/")
    target = url[len(base_path) :]
    if target == "" or target.endswith("/"):
        target += "index.html"
    return target


def check_links(files: Sequence[OutputFile], config: Config) -> tuple[Problem, ...]:
    """A ``broken-link`` error for each internal link with no output file behind it."""
    existing = {f.path for f in files}
    problems: list[Problem] = []
    for page in files:
        if page.path.endswith(".html"):
            problems.extend(
                broken_links(page.path, internal_targets(page, config.base_path), existing, config.base_path)
            )
    return tuple(problems)


def site_links(
    pages: Iterable[tuple[str, Sequence[tuple[str, str]]]], existing: frozenset[str], base_path: str
) -> list[Problem]:
    """Every broken link of the pages given as (path, their internal links), sorted."""
    return sorted(p for path, targets in pages for p in broken_links(path, targets, existing, base_path))


def internal_targets(page: OutputFile, base_path: str) -> tuple[tuple[str, str], ...]:
    """(href, output path) of each distinct internal link of a page.

    Kept with a page between incremental builds, so that a page that is not
    rendered again is still checked against the new set of files.
    """
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for href in links_of(page.data.decode("utf-8", errors="replace")):
        if href in seen:
            continue
        seen.add(href)
        target = resolve(href, page.path, base_path)
        if target is not None:
            out.append((href, target))
    return tuple(out)


def broken_links(
    page_path: str, targets: Iterable[tuple[str, str]], existing: set[str] | frozenset[str], base_path: str
) -> Iterable[Problem]:
    for href, target in targets:
        if target in existing:
            continue
        if target.startswith("../"):
            message = (
                f"リンク「{href}」はサイトの外（{base_path} の外）を指しています。base_path を含むURLにしてください"
            )
        else:
            message = f"リンク「{href}」の行き先（{target}）が出力にありません"
        yield error(page_path, 0, 0, "broken-link", message)
