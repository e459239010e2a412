"""The relevance set (search_relevance.yaml) run through the search page, and its measures.

``run_set(page, origin)`` types every query into the search box of the page served at
``origin``, waits for the live region's answer and reads the result links in order, as a
visitor sees them. ``measure`` turns that into precision at 1 (the share of ``first`` queries
whose page comes first), mean reciprocal rank (1/rank of that page, 0 when it is not found)
and how many ``nothing`` queries found nothing.

``python tests/search_relevance.py SITE_DIR`` prints the table for a built site (it serves the
folder on 127.0.0.1 and drives Debian's chromium, like the browser tests).
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

RELEVANCE_SET = Path(__file__).with_name("search_relevance.yaml")


@dataclass(frozen=True)
class Judged:
    query: str
    expected: str | None
    """The page that must come first, or None when nothing may be found."""
    found: tuple[str, ...]
    """Result URLs in the order shown."""

    @property
    def rank(self) -> int | None:
        return self.found.index(self.expected) + 1 if self.expected in self.found else None


@dataclass(frozen=True)
class Measures:
    precision_at_1: float
    mrr: float
    first_queries: int
    nothing_queries: int
    nothing_found_nothing: int

    def summary(self) -> str:
        return (
            f"P@1 {self.precision_at_1:.3f}, MRR {self.mrr:.3f} over {self.first_queries} queries; "
            f"{self.nothing_found_nothing}/{self.nothing_queries} queries without a match found nothing"
        )


def load_set(path: Path = RELEVANCE_SET) -> tuple[list[tuple[str, str]], list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(item["query"]), str(item["page"])) for item in data["first"]], [str(q) for q in data["nothing"]]


def status_for(query: str) -> str:
    """The start of the live region's answer for ``query`` (the page shows the NFKC form)."""
    return f"「{' '.join(unicodedata.normalize('NFKC', query).split())}」で"


def search(page, query: str) -> tuple[str, ...]:
    """Type ``query`` into the search box and return every result URL, in order."""
    box = page.locator("#search-query")
    box.fill(query)
    page.wait_for_function(
        "text => { const s = document.querySelector('[data-search-status]').textContent;"
        " return s.startsWith(text) && /件/.test(s); }",
        arg=status_for(query),
    )
    more = page.locator("[data-search-more]")
    while more.is_visible():
        before = page.locator("[data-search-results] > li").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('[data-search-results] > li').length > n", arg=before)
    return tuple(
        page.eval_on_selector_all("[data-search-results] > li h2 a", "as => as.map(a => a.getAttribute('href'))")
    )


def run_set(page, origin: str, base_path: str = "/") -> list[Judged]:
    first, nothing = load_set()
    page.goto(f"{origin}{base_path}search/")
    page.locator("[data-search][data-ready]").wait_for()
    judged = [Judged(query, base_path + expected.lstrip("/"), search(page, query)) for query, expected in first]
    judged += [Judged(query, None, search(page, query)) for query in nothing]
    return judged


def measure(judged: list[Judged]) -> Measures:
    firsts = [j for j in judged if j.expected is not None]
    nothings = [j for j in judged if j.expected is None]
    return Measures(
        precision_at_1=sum(j.rank == 1 for j in firsts) / len(firsts),
        mrr=sum(1 / j.rank for j in firsts if j.rank) / len(firsts),
        first_queries=len(firsts),
        nothing_queries=len(nothings),
        nothing_found_nothing=sum(not j.found for j in nothings),
    )


def table(judged: list[Judged]) -> str:
    lines = []
    for j in judged:
        if j.expected is None:
            verdict = "ok" if not j.found else f"found {len(j.found)}"
        else:
            verdict = f"rank {j.rank}" if j.rank else "missing"
        top = ", ".join(j.found[:3])
        lines.append(f"{verdict:>9}  {j.query}  → {j.expected or '(nothing)'}  [{len(j.found)}: {top}]")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from browser import SiteServer, launch_chromium

    site = Path(argv[0]) if argv else Path("site")
    with SiteServer(site) as server, launch_chromium() as chromium:
        context = chromium.new_context(locale="ja-JP")
        judged = run_set(context.new_page(), server.origin)
        context.close()
    print(table(judged))
    print(measure(judged).summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
