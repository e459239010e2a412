"""What the search reads of a built page, and how a person searches in Chromium: shared by the search tests."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

INLINE = frozenset(
    "a abbr b bdi bdo cite code data del dfn em i ins kbd mark q rp rt ruby s samp small span strong sub sup time u var wbr".split()
)


VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


NOT_TEXT = frozenset(
    "script style template noscript svg form select textarea button iframe object canvas th caption".split()
)


class _Indexed(HTMLParser):
    """A page's own text as the search reads it: inside data-pagefind-body, outside
    data-pagefind-ignore, without table headers, captions, forms and scripts; blocks
    separated by newlines. Also its filters and sort key."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, in body, text hidden)
        self.capture: tuple[str, str] | None = None
        self.text: list[str] = []
        self.filters: dict[str, set[str]] = {}
        self.sort = ""

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag not in INLINE:
            self.text.append("\n")
        if "data-pagefind-filter" in names:
            self.capture = ("filter", names["data-pagefind-filter"])
        elif "data-pagefind-sort" in names:
            self.capture = ("sort", names["data-pagefind-sort"])
        if tag in VOID:
            return
        body, hidden = self.stack[-1][1:] if self.stack else (False, False)
        body = body or "data-pagefind-body" in names
        hidden = hidden or "data-pagefind-ignore" in names or tag in NOT_TEXT
        self.stack.append((tag, body, hidden))

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.text.append("\n")
        while self.stack and self.stack[-1][0] != tag and any(t == tag for t, *_ in self.stack):
            self.stack.pop()
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        self.capture = None

    def handle_data(self, data):
        if self.capture and self.capture[0] == "filter":
            self.filters.setdefault(self.capture[1], set()).add(data.strip())
        elif self.capture and self.capture[0] == "sort":
            self.sort = data.strip()
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.text.append(data)

    def blocks(self) -> list[str]:
        return [" ".join(b.split()) for b in "".join(self.text).split("\n") if b.strip()]


def indexed_pages(site: Path, base_path: str = "/") -> dict[str, _Indexed]:
    """URL → what the search reads of that page."""
    pages = {}
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html or "pagefind" in path.relative_to(site).parts[:1]:
            continue
        parsed = _Indexed()
        parsed.feed(html)
        folder = path.parent.relative_to(site).as_posix()
        pages[base_path + ("" if folder == "." else folder + "/")] = parsed
    return pages


def wait_for_answer(page, query: str | None = None, after: str | None = None) -> str:
    """Wait until the live region reports a result for ``query`` (NFKC, as the page shows it).
    ``after``: the report before a change of filters; wait for a new one, not that one again."""
    status = page.locator("[data-search-status]")
    expected = f"「{unicodedata.normalize('NFKC', query)}」で" if query else "選んだ条件で"
    page.wait_for_function(
        "([el, text, before]) => el.textContent.includes(text) && /件/.test(el.textContent)"
        " && el.textContent !== before",
        arg=[status.element_handle(), expected, after],
    )
    return status.text_content()


def search_for(page, query: str) -> str:
    page.locator("[data-search][data-ready]").wait_for()
    box = page.locator("#search-query")
    box.fill("")
    box.type(query)
    return wait_for_answer(page, query)


def result_urls(page) -> list[str]:
    """Every result, pressing 「さらに表示」 until all are shown."""
    more = page.locator("[data-search-more]")
    while more.is_visible():
        before = page.locator("[data-search-results] > li").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('[data-search-results] > li').length > n", arg=before)
    return page.eval_on_selector_all("[data-search-results] h2 a", "links => links.map(a => a.getAttribute('href'))")


def found_count(status: str) -> int:
    match = re.search(r"(\d+)件見つかりました", status)
    return int(match.group(1)) if match else 0
