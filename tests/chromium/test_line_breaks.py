"""Where the lines of titles, headings and labels break, measured in Chromium at 375 and 1280 px.

A line may end only where the build marked a phrase boundary (<wbr>), at a space, or at
punctuation; never inside a word (プロジェクトマネー｜ジャー, 支援カタ｜ログ) or a count (3｜件).
Each line box is found from the position of every character (Range.getClientRects).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from a11y_pages import HEIGHT

pytestmark = pytest.mark.browser

# For each element: its characters, the indexes where a line starts (after the first), and the
# indexes where a line may start (after a <wbr> or a space, after or before punctuation, at the
# start of a block inside it).
LINES = """(selector) => [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null).map((el) => {
  const chars = [];
  const allowed = new Set();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      // a <wbr>, or the start of a block of its own (a note under a badge)
      if (node.localName === "wbr" || !getComputedStyle(node).display.startsWith("inline")) allowed.add(chars.length);
      continue;
    }
    for (let i = 0; i < node.data.length; i += 1) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      chars.push({ c: node.data[i], top: rect ? rect.top : null, height: rect ? rect.height : 0 });
    }
  }
  const starts = [];
  let top = null;
  chars.forEach((ch, i) => {
    if (ch.top === null || /\\s/.test(ch.c)) return;
    if (top !== null && ch.top > top + ch.height / 2) starts.push(i);
    top = ch.top;
  });
  const text = chars.map((ch) => ch.c).join("");
  for (let i = 1; i < text.length; i += 1) {
    if (/\\s/.test(text[i - 1]) || /[、。，．・：）」』】〕]/.test(text[i - 1]) || /[（「『【〔]/.test(text[i])) allowed.add(i);
  }
  return { text, starts, allowed: [...allowed] };
})"""

CASES = [
    ("/", ".site-name a", "the site's name"),
    ("/", "h1", "the home page's title"),
    ("/", ".card--archetype .card__title", "archetype cards (プロジェクトマネージャー)"),
    ("/", ".card__counts", "counts (3件)"),
    ("/", ".chips a", "pills"),
    ("/", ".global-nav a", "the main navigation"),
    ("/programs/prefectural-support-fiscal-measure/", "h1", "a long program title"),
    ("/programs/prefectural-support-fiscal-measure/", ".facts th", "table headers of the facts"),
    ("/programs/chiiki-kasseika-kigyoujin/", ".facts .chips a", "pills in the facts table"),
    ("/cases/nagano-prefecture/", ".facts .chips a", "pills of a case"),
    ("/programs/compare/", ".compare thead th", "the comparison's column headers (wide screens)"),
    ("/programs/compare/", ".compare-card__title", "the comparison's cards (phones)"),
    ("/programs/compare/", ".compare td.col-status", "状況 in the comparison (wide screens)"),
    ("/programs/compare/", ".compare td.col-period", "期間 in the comparison (wide screens)"),
    ("/programs/compare/", ".compare td.col-date", "最終確認日 in the comparison (wide screens)"),
    ("/programs/find/project_manager/any/", ".finder-option__label", "the answers of 制度を探す"),
    ("/partners/", ".card__title", "partner names (株式会社)"),
    ("/roles/", ".card__title", "role titles"),
]


def broken_inside_a_phrase(lines: list[dict]) -> list[str]:
    bad = []
    for line in lines:
        allowed = set(line["allowed"])
        for start in line["starts"]:
            if start not in allowed:
                text = line["text"]
                bad.append(f"{text[:start]}｜{text[start:]}")
    return bad


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path,selector,what", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_lines_break_only_between_phrases(a11y_origin, a11y_browser, width, path, selector, what):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": width, "height": HEIGHT[width]})
    try:
        page = context.new_page()
        page.goto(a11y_origin + path, wait_until="load")
        lines = page.evaluate(LINES, selector)
        if not lines and "(wide screens)" in what and width < 768 or "(phones)" in what and width >= 768:
            return  # the comparison shows its table on wide screens and cards on phones
        assert lines, f"{path}: no visible {selector}"
        assert broken_inside_a_phrase(lines) == [], what
    finally:
        context.close()


def test_the_measure_sees_line_boxes(a11y_origin, a11y_browser):
    """The test can fail: a long title at 375 px does take several lines, and they are found."""
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(a11y_origin + "/programs/prefectural-support-fiscal-measure/")
        [title] = page.evaluate(LINES, "h1")
        assert len(title["starts"]) >= 2, title
        assert broken_inside_a_phrase([{**title, "allowed": []}]) != []
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_search_facet_labels_break_between_phrases(a11y_origin, a11y_browser, width):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": width, "height": HEIGHT[width]})
    try:
        page = context.new_page()
        page.goto(a11y_origin + "/search/?q=" + quote("人材"))
        page.wait_for_function(
            "() => document.querySelector('[data-search][data-ready]') && document.querySelector('.search-facet label')"
        )
        page.evaluate("() => { const d = document.querySelector('[data-search-facets]'); d.open = true; }")
        lines = page.evaluate(LINES, ".search-facet label")
        assert any("プロジェクトマネージャー" in line["text"] for line in lines)
        assert broken_inside_a_phrase(lines) == []
        assert page.locator(".search-facet label wbr").count() > 0, "multi-phrase values carry their breaks"
    finally:
        context.close()
