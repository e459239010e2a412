"""Keyboard only, in headless Chromium: Tab, Shift+Tab, typing and Enter, nothing else.

The first line of each test's docstring is what the accessibility policy page lists as checked
(tests/a11y_report.py copies it there).
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.browser

MAX_TABS = 200
"""More stops than any page has: a walk that needs more is trapped or loops inside the page."""

# What the focused element looks like and whether a reader can see it: a visible outline or
# a ring drawn with box-shadow, and its centre not covered by another element (WCAG 2.4.11),
# read once a smooth scroll to it has come to rest.
FOCUSED = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  // At rest: the same position over three frames in a row (a loaded machine can skip frames mid-scroll).
  for (let last = null, still = 0; still < 3; await frame()) {
    const now = `${scrollX},${scrollY}`;
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const id = el.id ? '#' + el.id : '';
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 30);
  return {
    name: `${el.tagName.toLowerCase()}${id} ${el.getAttribute('href') || ''} ${text}`.trim(),
    at: [...document.querySelectorAll('*')].indexOf(el),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    ring: style.boxShadow !== 'none' && !style.boxShadow.includes('inset'),
    inView: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
    covered: !(top && (el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some(l => l.contains(top))))),
    inMain: !!el.closest('main'),
    inFooter: !!el.closest('footer'),
    skip: el.classList.contains('skip-link'),
  };
}"""


@pytest.fixture
def page(a11y_browser):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    yield tab
    context.close()


def walk(page, key: str = "Tab") -> list[dict]:
    """Press ``key`` until focus comes back to where it started; every element focused on the way."""
    stops: list[dict] = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused is None:  # past the last element: the browser's own controls
            continue
        if stops and focused["at"] == stops[0]["at"]:
            return stops
        stops.append(focused)
    raise AssertionError(f"{key} を {MAX_TABS} 回押してもフォーカスが一周しません: {[s['name'] for s in stops[-5:]]}")


def assert_visible_focus(stops: list[dict]) -> None:
    hidden = [s["name"] for s in stops if not (s["outline"] or s["ring"])]
    assert hidden == [], f"フォーカスの表示がない要素: {hidden}"
    unseen = [s["name"] for s in stops if not s["inView"] or s["covered"]]
    assert unseen == [], f"フォーカスが画面外か、ほかの要素に隠れている: {unseen}"


def test_home_skip_link(a11y_origin, page):
    """ホームで、最初のTabでスキップリンクに移り、Enterで本文に移動する"""
    page.goto(a11y_origin + "/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["skip"], f"最初にフォーカスされたのは {first['name']}"
    assert first["inView"] and (first["outline"] or first["ring"])
    page.keyboard.press("Enter")
    # Following the link updates the URL after the key event: wait for it (a busy machine is slow).
    page.wait_for_url(lambda url: url.endswith("#main"), timeout=10_000)
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    assert after["inMain"], f"スキップリンクの次のTabが本文の外: {after['name']}"


@pytest.mark.parametrize(
    ("path", "width"),
    # The comparison on a phone: its first column stays in place while the table scrolls, and
    # must never cover the element that has focus (WCAG 2.4.11).
    [("/", 1280), ("/search/", 1280), ("/", 375), ("/programs/compare/", 375)],
)
def test_tab_walk_is_visible_and_not_trapped(a11y_origin, page, path, width):
    """ホーム・検索・比較表を Tab と Shift+Tab で一周でき、フォーカスがいつも見えて隠れず、閉じ込められない"""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(a11y_origin + path)
    if path == "/search/":
        page.locator("[data-search][data-ready]").wait_for()
    forward = walk(page, "Tab")
    assert forward[0]["skip"], f"最初のフォーカスがスキップリンクではない: {forward[0]['name']}"
    assert any(s["inMain"] for s in forward) and forward[-1]["inFooter"], [s["name"] for s in forward]
    assert_visible_focus(forward)
    backward = walk(page, "Shift+Tab")
    # From the skip link, Shift+Tab goes round to the footer's last link and back up the page.
    assert [s["at"] for s in backward] == [s["at"] for s in reversed(forward)]
    assert_visible_focus(backward)


def test_search_by_keyboard(a11y_origin, page):
    """検索ページで、キーワードを入力し、Tabで結果に移り、Enterで結果のページを開ける"""
    page.goto(a11y_origin + "/search/")
    page.locator("[data-search][data-ready]").wait_for()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "search-query":
            break
    else:
        raise AssertionError("Tab で検索語の入力欄に届きません")
    page.keyboard.type("地域情報化アドバイザー")
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] > li').length > 0")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is None or focused["outline"] or focused["ring"], focused
        if page.evaluate("() => !!document.activeElement.closest('[data-search-results]')"):
            break
    else:
        raise AssertionError("Tab で検索結果に届きません")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert href, "検索結果で最初にフォーカスされるのはリンクのはず"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert unquote(page.url) == unquote(a11y_origin + href)
    assert page.locator("h1").count() == 1
