"""Which search index (shard) each indexed page belongs to, and what the browser needs to merge them.

Pagefind holds every page of an index in memory while it builds it (about
570 KB a page of the bigram copies search_text.py writes, measured on the
roles of the benchmark corpus), so a large site is indexed in parts:
one shard per collection (programs, partners, cases, roles) and one for the
other pages (archetypes, about, …), each built by its own Pagefind run, one
after the other. Peak memory is then that of the largest shard, and an edit
re-indexes only the shards whose pages changed.

A shard with more pages than ``limit`` is split again into sub-shards by a
hash of the page path, modulo a count that is the smallest power of two
giving at most ``limit`` pages per sub-shard on average. The count changes only
when the collection crosses a power of two times the limit, so a page stays
in the same sub-shard as pages come and go; a sub-shard may exceed the limit
by the hash's statistical spread (about 2 % at 2,000 pages).

A site with fewer than ``split_from`` indexed pages is one shard, so that the
search page opens one index. The code path is the same; the plan just has one
shard.

Nothing here reads or writes files.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..model import COLLECTIONS

SHARD_LIMIT = 2_000
"""Most pages in one shard (on average, for sub-shards): Pagefind's peak about 1.2 GB. A Pagefind
run over the bigram copies starts in 0.01 s, so more shards cost the build next to nothing; the
search page opens one Pagefind instance per shard (7 at 10,000 entries)."""
SPLIT_FROM = 1_000
"""Sites with fewer indexed pages than this are indexed as one shard."""
WHOLE_SITE = "all"
"""The one shard of a site too small to split."""
OTHER_PAGES = "other"
"""The shard of indexed pages outside the collections (archetypes, about, …)."""
ROOT_SHARDS = frozenset({WHOLE_SITE, OTHER_PAGES})
"""Shards written to the index folder itself (``pagefind/``, where a site too small to split
has always had its index); the others get a subfolder (``pagefind/roles-2/``)."""


@dataclass(frozen=True)
class Shard:
    name: str
    """``all``, ``other``, a collection name, or a collection name and a number (``roles-2``)."""
    pages: tuple[str, ...]
    """Site-relative paths of the shard's pages, sorted."""

    @property
    def folder(self) -> str:
        """Its folder below the index folder: ``""`` for the root shard, else ``name + "/"``."""
        return "" if self.name in ROOT_SHARDS else f"{self.name}/"


def plan_shards(
    pages: tuple[str, ...],
    *,
    limit: int = SHARD_LIMIT,
    split_from: int = SPLIT_FROM,
) -> tuple[Shard, ...]:
    """The shards of ``pages`` (sorted site-relative paths): the root shard first, then by collection."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(pages) < min(split_from, limit + 1):
        return (Shard(WHOLE_SITE, tuple(sorted(pages))),)
    groups: dict[str, list[str]] = {}
    for page in sorted(pages):
        groups.setdefault(group_of(page), []).append(page)
    shards: list[Shard] = []
    for group in (OTHER_PAGES, *COLLECTIONS):
        members = groups.get(group, [])
        count = sub_shard_count(len(members), limit)
        if count == 1:
            if members:
                shards.append(Shard(group, tuple(members)))
            continue
        parts: list[list[str]] = [[] for _ in range(count)]
        for page in members:
            parts[sub_shard_of(page, count)].append(page)
        shards.extend(Shard(f"{group}-{number}", tuple(part)) for number, part in enumerate(parts, 1) if part)
    return tuple(shards)


def group_of(page: str) -> str:
    """The collection a page belongs to (its first path segment), or ``other``."""
    first = page.split("/", 1)[0]
    return first if first in COLLECTIONS and "/" in page else OTHER_PAGES


def sub_shard_count(size: int, limit: int) -> int:
    """The number of sub-shards for a shard of ``size`` pages: a power of two."""
    count = 1
    while size > count * limit:
        count *= 2
    return count


def sub_shard_of(page: str, count: int) -> int:
    """The sub-shard (0-based) of a page: a stable hash of its path, never Python's ``hash``."""
    digest = hashlib.sha256(page.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


_SORT_ELEMENT = re.compile(rb"<[a-zA-Z][^>]*?\sdata-pagefind-sort=\"([^\"]*)\"[^>]*>([^<]*)<")


def sort_values(page_html: bytes) -> dict[str, str]:
    """The page's Pagefind sort keys and values, as Pagefind reads them from the normalised copy.

    Both of Pagefind's forms: ``data-pagefind-sort="key:value"`` and
    ``data-pagefind-sort="key"`` with the element's text as the value.
    """
    found: dict[str, str] = {}
    if b"data-pagefind-sort" not in page_html:
        return found
    for match in _SORT_ELEMENT.finditer(page_html):
        attribute = html.unescape(match.group(1).decode("utf-8", errors="replace"))
        key, colon, value = attribute.partition(":")
        if not colon:
            value = html.unescape(match.group(2).decode("utf-8", errors="replace"))
        key, value = key.strip(), unicodedata.normalize("NFKC", value.strip())
        if key and value and key not in found:
            found[key] = value
    return found


def sort_runs(values: list[dict[str, str]]) -> dict[str, list[list[object]]]:
    """For each sort key, its values from the largest down, each with how many pages have it.

    Pagefind answers a sorted search over one index in this order (pages
    without the key are left out), so the browser can give the n-th result of
    a shard its value and merge the shards' answers into one order.
    """
    counts: dict[str, Counter[str]] = {}
    for page in values:
        for key, value in page.items():
            counts.setdefault(key, Counter())[value] += 1
    return {key: [[value, n] for value, n in sorted(c.items(), reverse=True)] for key, c in sorted(counts.items())}
