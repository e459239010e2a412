"""The page types of the real site that the accessibility checks visit, and how to run axe on them.

Shared by the browser tests (tests/test_a11y_*.py) and the report (``python -m tests.a11y_report``),
so that the published results come from exactly the pages and rules the tests check.
One example of each kind of page: the templates, not the entries, decide what a reader meets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import REAL_PROJECT, SiteServer, build_site, launch_chromium

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""The WCAG 2.0, 2.1 and 2.2 A/AA rules of axe-core; no rule turned off."""
BEST_PRACTICE = ("best-practice",)
"""axe-core's own rules outside WCAG (heading order, one main landmark, content in landmarks…),
run in the same pass and held to zero violations too."""
WIDTHS = (1280, 375)
"""Desktop and phone widths (CSS px) at which every page is checked."""
HEIGHT = {1280: 800, 375: 812}
REFLOW_WIDTH = 320
"""WCAG 1.4.10: 1280 px at 400 % zoom."""


@dataclass(frozen=True)
class PageType:
    name: str
    """What the page is, as the accessibility policy names it."""
    path: str
    """Root-relative URL on the real site built at the tests' fixed date."""
    search: bool = False
    """A search page: wait until the results are shown."""


_Q = quote("人材")
PAGES: tuple[PageType, ...] = (
    PageType("ホーム", "/"),
    PageType("支援制度の一覧", "/programs/"),
    PageType("支援制度", "/programs/chiiki-johoka-advisor/"),
    PageType("制度の比較", "/programs/compare/"),
    PageType("制度を探す", "/programs/find/"),
    PageType("制度を探す（答えたあと）", "/programs/find/project_manager/advice/"),
    PageType("連携企業の一覧", "/partners/"),
    PageType("連携企業", "/partners/hitachi/"),
    PageType("事例の一覧", "/cases/"),
    PageType("事例", "/cases/nagano-prefecture/"),
    PageType("人材の役割の一覧", "/roles/"),
    PageType("人材の役割", "/roles/municipal-cio-hosakan/"),
    PageType("人材像の一覧", "/archetypes/"),
    PageType("人材像", "/archetypes/engineer/"),
    PageType("所管の一覧", "/providers/"),
    PageType("所管", "/providers/" + quote("総務省") + "/"),
    PageType("制度の種類の一覧", "/kinds/"),
    PageType("制度の種類", "/kinds/fiscal_measure/"),
    PageType("都道府県の一覧", "/prefectures/"),
    PageType("都道府県", "/prefectures/nagano/"),
    PageType("連携の型の一覧", "/models/"),
    PageType("連携の型", "/models/talent_sharing/"),
    PageType("タグの一覧", "/tags/"),
    PageType("タグ", "/tags/" + quote("人材育成") + "/"),
    PageType("検索（結果あり）", f"/search/?q={_Q}", search=True),
    PageType("検索（絞り込みあり）", f"/search/?q={_Q}&{quote('人材像')}={quote('エンジニア')}", search=True),
    PageType("オープンデータ", "/data/"),
    PageType("このサイトについて", "/about/"),
    PageType("アクセシビリティ方針", "/accessibility/"),
    PageType("ページが見つかりません（404）", "/404.html"),
)


@pytest.fixture(scope="session")
def a11y_origin(tmp_path_factory) -> str:
    """The real site, built once per test session at the tests' fixed date and served over HTTP."""
    site = build_site(REAL_PROJECT, tmp_path_factory.mktemp("a11y") / "site")
    with SiteServer(site) as server:
        yield server.origin


@pytest.fixture(scope="session")
def a11y_browser():
    """One headless Chromium for every accessibility test of the session."""
    with launch_chromium() as browser:
        yield browser


def open_page(page, origin: str, page_type: PageType) -> None:
    """Load ``page_type`` in ``page`` and wait until a reader would see all of it."""
    response = page.goto(origin + page_type.path, wait_until="load")
    assert response is not None and response.ok, f"{page_type.path}: {response and response.status}"
    if page_type.search:
        page.wait_for_function(
            "() => document.querySelector('[data-search][data-ready]')"
            " && document.querySelectorAll('[data-search-results] > li').length > 0"
        )


def axe_version() -> str:
    """The axe-core version bundled with axe-playwright-python (from its licence header)."""
    import axe_playwright_python

    header = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")[:200]
    return header.split("axe v", 1)[1].split()[0]


@dataclass(frozen=True)
class AxeRow:
    """The result of one page at one width: what a fresh run must reproduce."""

    page: str
    path: str
    width: int
    violations: tuple[tuple[str, int], ...]
    """(rule id, number of elements) of every failed rule, sorted."""
    incomplete: tuple[str, ...]
    """Rules axe could not decide by itself (a person must look), sorted."""
    details: tuple[str, ...] = ()
    """For a failing test: the help text and the first elements of each violation (not compared)."""

    def key(self) -> tuple:
        return (self.page, self.path, self.width, self.violations, self.incomplete)

    def as_json(self) -> dict:
        return {
            "page": self.page,
            "path": self.path,
            "width": self.width,
            "violations": [{"rule": rule, "elements": count} for rule, count in self.violations],
            "incomplete": list(self.incomplete),
        }

    @classmethod
    def from_json(cls, data: dict) -> AxeRow:
        violations = tuple((v["rule"], v["elements"]) for v in data["violations"])
        return cls(data["page"], data["path"], data["width"], violations, tuple(data["incomplete"]))


def run_axe(page, page_type: PageType, width: int) -> AxeRow:
    """Run axe-core's WCAG 2.x A/AA rules and best practices on ``page`` (already open at ``width``)."""
    from axe_playwright_python.sync_playwright import Axe

    tags = [*AXE_TAGS, *BEST_PRACTICE]
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations", "incomplete"]}
    response = Axe().run(page, options=options).response
    violations = tuple(sorted((v["id"], len(v["nodes"])) for v in response["violations"]))
    incomplete = tuple(sorted({v["id"] for v in response["incomplete"]}))
    details = tuple(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + " | ".join(f"{n['target']} {n.get('failureSummary', '')}".replace("\n", " ") for n in v["nodes"][:3])
        for v in response["violations"]
    )
    return AxeRow(page_type.name, page_type.path, width, violations, incomplete, details)


def sweep(browser, origin: str) -> list[AxeRow]:
    """Every page type at every width, in a fixed order (one browser context per width)."""
    rows: dict[tuple[str, int], AxeRow] = {}
    for width in WIDTHS:
        context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": HEIGHT[width]})
        try:
            page = context.new_page()
            for page_type in PAGES:
                open_page(page, origin, page_type)
                rows[(page_type.path, width)] = run_axe(page, page_type, width)
        finally:
            context.close()
    return [rows[(p.path, w)] for p in PAGES for w in WIDTHS]


def dumps(rows: list[AxeRow], checks: list[dict], *, version: str, day: str) -> str:
    """The committed results file: stable order, one key per line, ends with a newline."""
    data = {
        "standard": "JIS X 8341-3:2016 AA",
        "tool": f"axe-core {version}",
        "tags": [*AXE_TAGS, *BEST_PRACTICE],
        "date": day,
        "rows": [row.as_json() for row in rows],
        "checks": checks,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
