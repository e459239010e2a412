"""No broken internal links: every href/src under base_path must be an output file.

Runs over all output files of a build together (pages, static files, data
exports and feeds), so that a page may link a file another stage writes.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from typing import Iterable, Sequence
from urllib.parse import unquote, urlsplit

from ..config import Config
from ..model import OutputFile
from ..problems import Problem, error

LINK_ATTRIBUTES = frozenset({"href", "src"})


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.links.append(value)

    handle_startendtag = handle_starttag


def links_of(html: str) -> tuple[str, ...]:
    """Every href and src value of a page, in document order."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return tuple(collector.links)


def resolve(href: str, page_path: str, base_path: str) -> str | None:
    """The output path a link points to, or None when it is not ours to check.

    ``page_path`` is the page's output path (``programs/x/index.html``).
    Returns ``""``-prefixed-free paths relative to the output root; a link
    outside base_path resolves to ``"../…"`` so that it is reported.
    """
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        return None  # external, mailto:, tel:, …
    if not parts.path:
        return None  # "#fragment" or "?query" on the same page
    path = unquote(parts.path)
    if path.startswith("/"):
        if not (path + ("/" if not path.endswith("/") else "")).startswith(base_path):
            return "../" + path.lstrip("/")
        target = path[len(base_path):] if len(path) >= len(base_path) else ""
    else:
        page_url = base_path + page_path
        target_url = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path))
        if path.endswith("/") and not target_url.endswith("/"):
            target_url += "/"
        if not (target_url + "/").startswith(base_path):
            return "../" + target_url.lstrip("/")
        target = target_url[len(base_path):]
    if target == "" or target.endswith("/"):
        target += "index.html"
    return target


def check_links(files: Sequence[OutputFile], config: Config) -> tuple[Problem, ...]:
    """A ``broken-link`` error for each internal link with no output file behind it."""
    existing = {f.path for f in files}
    problems: list[Problem] = []
    for page in files:
        if not page.path.endswith(".html"):
            continue
        problems.extend(_broken(page, existing, config.base_path))
    return tuple(problems)


def _broken(page: OutputFile, existing: set[str], base_path: str) -> Iterable[Problem]:
    seen: set[str] = set()
    for href in links_of(page.data.decode("utf-8", errors="replace")):
        target = resolve(href, page.path, base_path)
        if target is None or target in existing or href in seen:
            continue
        seen.add(href)
        if target.startswith("../"):
            message = f"リンク「{href}」はサイトの外（{base_path} の外）を指しています。base_path を含むURLにしてください"
        else:
            message = f"リンク「{href}」の行き先（{target}）が出力にありません"
        yield error(page.path, 0, 0, "broken-link", message)
