"""What a reader sees when they zoom, space the text, force colours, reduce motion or print.

Every page type of tests/a11y_pages.py, in headless Chromium. The first line of each test's
docstring is what the accessibility policy page lists as checked (tests/a11y_report.py).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from a11y_pages import PAGES, REFLOW_WIDTH, open_page

pytestmark = pytest.mark.browser

# WCAG 1.4.12's text-spacing overrides, as a reader's style sheet would add them.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p, li, dd, dt, td, th, blockquote, figcaption, caption { margin-bottom: 2em !important; }
"""

# Elements that hide what overflows them, yet hold text that no longer fits. The 1-pixel
# .visually-hidden labels are meant for screen readers only and are left out.
CLIPPED = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  const hides = [style.overflowX, style.overflowY].some(v => v === 'hidden' || v === 'clip');
  if (!hides || el.clientWidth <= 1 || el.clientHeight <= 1 || !el.textContent.trim()) return false;
  return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
}).map(el => el.outerHTML.slice(0, 120))"""

# Elements wider than the window that are not inside a container that scrolls on its own.
TOO_WIDE = """() => [...document.querySelectorAll('body *')].filter(el => {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || (rect.right <= document.documentElement.clientWidth + 1 && rect.left >= -1)) return false;
  for (let up = el.parentElement; up; up = up.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return false;
  }
  return true;
}).map(el => el.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def narrow(a11y_browser):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": REFLOW_WIDTH, "height": 640})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def spaced(a11y_browser):
    """At 320 px too; CSP off only so that the test can add the reader's style sheet, as an extension would."""
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": REFLOW_WIDTH, "height": 640}, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def context(a11y_browser):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.mark.parametrize("page_type", PAGES, ids=lambda p: p.path)
def test_reflow_at_320px(a11y_origin, narrow, page_type):
    """幅320px（400%拡大に相当）で、比較表などの表の中を除き、ページが横にスクロールしない"""
    open_page(narrow, a11y_origin, page_type)
    widths = narrow.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], (
        f"{page_type.path}: 横幅 {widths[0]}px > 画面 {widths[1]}px: {narrow.evaluate(TOO_WIDE)}"
    )
    assert narrow.evaluate(TOO_WIDE) == []


@pytest.mark.parametrize("page_type", PAGES, ids=lambda p: p.path)
def test_text_spacing(a11y_origin, spaced, page_type):
    """文字の間隔・行間・段落の間隔を広げても（WCAG 1.4.12）、文字が切れたり隠れたりしない"""
    open_page(spaced, a11y_origin, page_type)
    spaced.add_style_tag(content=TEXT_SPACING)
    assert spaced.evaluate("() => getComputedStyle(document.body).wordSpacing") != "0px"  # the sheet applies
    assert spaced.evaluate(CLIPPED) == [], page_type.path
    widths = spaced.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page_type.path}: {spaced.evaluate(TOO_WIDE)}"


def test_comparison_table_scrolls_in_its_own_container(a11y_origin, a11y_browser):
    """比較表は、表が画面より広いときは表の枠の中だけが横にスクロールし、制度名の列と表の題は見えたままになる"""
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": 900, "height": 800})
    try:
        page = context.new_page()
        page.goto(a11y_origin + "/programs/compare/")
        box = page.locator(".table-scroll").first
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")
        first = page.locator(".compare tbody th[scope=row]").first
        caption = page.locator(".compare__caption")
        before, caption_before = first.bounding_box(), caption.bounding_box()
        box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        assert first.bounding_box()["x"] == pytest.approx(before["x"], abs=1)
        assert caption.bounding_box()["x"] == pytest.approx(caption_before["x"], abs=1), (
            "the caption's text stays in view"
        )
    finally:
        context.close()


def test_comparison_is_one_card_per_program_on_a_phone(a11y_origin, narrow):
    """比較表は、スマートフォンの幅では制度ごとに1枚のカードになり、表と同じ項目を示す"""
    narrow.goto(a11y_origin + "/programs/compare/")
    assert not narrow.locator(".compare-wrap").is_visible()
    cards = narrow.locator(".compare-card")
    rows = narrow.locator(".compare tbody tr")
    assert cards.count() == rows.count() >= 2
    headers = narrow.eval_on_selector_all(".compare thead th", "els => els.slice(1).map(el => el.textContent.trim())")
    facts = cards.first.locator("dt").all_text_contents()
    assert [f.strip() for f in facts] == headers


def test_forced_colors(a11y_origin, context):
    """強制カラー（Windows のハイコントラスト）でも、状況のバッジに枠と文字があり、フォーカスの枠が見える"""
    page = context.new_page()
    page.emulate_media(forced_colors="active")
    badges = []
    for path in ("/programs/", "/roles/"):  # program statuses, and the kinds and statuses of roles
        page.goto(a11y_origin + path)
        assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
        badges += page.eval_on_selector_all(
            ".badge",
            """els => els.map(el => {
              const s = getComputedStyle(el);
              return {text: el.textContent.trim(), border: s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0};
            })""",
        )
    assert badges and all(b["text"] and b["border"] for b in badges), badges
    labels = {b["text"] for b in badges}
    assert len(labels) >= 2, f"実施中・終了などが文字で区別できるはず: {labels}"
    for _ in range(6):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
        )
        assert ring[1] != "none" and ring[2] >= 2, ring


@pytest.mark.parametrize("path", ["/", "/search/?q=%E4%BA%BA%E6%9D%90", "/programs/compare/"])
def test_reduced_motion(a11y_origin, context, path):
    """「視差効果を減らす」設定では、アニメーションや動きのある効果を使わない"""
    page = context.new_page()
    page.emulate_media(reduced_motion="reduce")
    page.goto(a11y_origin + path)
    moving = page.evaluate(
        """() => {
          const seconds = v => Math.max(...v.split(',').map(t => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1)));
          const found = [];
          for (const el of document.querySelectorAll('*')) {
            for (const pseudo of [null, '::before', '::after']) {
              const s = getComputedStyle(el, pseudo);
              const longest = Math.max(seconds(s.transitionDuration), seconds(s.animationDuration));
              if (longest > 0.01 && (s.animationName !== 'none' || s.transitionProperty !== 'none')) found.push(el.tagName + (pseudo || ''));
            }
          }
          if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') found.push('html: scroll-behavior smooth');
          return found;
        }"""
    )
    assert moving == []


@pytest.mark.print
def test_print_comparison_to_pdf(a11y_origin, context, tmp_path):
    """比較表をA4横で印刷（PDF）すると、すべての制度の行と列見出しが入っている"""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext（Debian の poppler-utils）が必要です: apt-get install poppler-utils")
    page = context.new_page()
    page.goto(a11y_origin + "/programs/compare/")
    titles = page.eval_on_selector_all(".compare tbody th[scope=row]", "els => els.map(el => el.textContent.trim())")
    assert len(titles) >= 2
    pdf = tmp_path / "compare.pdf"
    page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    flat = "".join(text.split())
    missing = [t for t in titles if "".join(t.split()) not in flat]
    assert missing == [], f"PDF にない制度: {missing}"
    headers = page.eval_on_selector_all(".compare thead th", "els => els.map(el => el.textContent.trim())")
    assert [h for h in headers if "".join(h.split()) not in flat] == [], "PDF にない列見出し"
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split("x"))
    assert width > height, f"A4 横ではない: {size}"
