"""The comparison of programs (/programs/compare/) as a reader uses it in Chromium: the deciding
columns in view at 1280 px, sorting from the column headers, filters, the state in the URL, what a
screen reader is told, and the page without JavaScript."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(a11y_browser):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".compare tbody tr:not([hidden]) th", "els => els.map(el => el.textContent.trim())"
    )


def ready(page) -> None:
    page.wait_for_selector(".compare__sort", state="attached")


def test_the_deciding_columns_come_first_and_are_in_view_at_1280px(a11y_origin, page):
    page.goto(a11y_origin + "/programs/compare/")
    headers = page.eval_on_selector_all(".compare thead th", "els => els.map(el => el.textContent.trim())")
    assert headers[:7] == ["制度名", "状況", "期間", "費用負担", "措置率", "上限", "最終確認日"]
    for name in ("状況", "期間", "最終確認日"):
        box = page.locator(".compare thead th", has_text=name).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, f"{name} needs sideways scrolling: {box}"


def test_without_javascript_every_program_is_listed_in_a_sensible_order(a11y_origin, a11y_browser):
    context = a11y_browser.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(a11y_origin + "/programs/compare/")
        assert page.locator("[data-compare-tools]").is_hidden(), "controls that need the script are not shown"
        ranks = page.eval_on_selector_all(
            ".compare tbody tr td:nth-child(2)", "els => els.map(el => Number(el.dataset.sort))"
        )
        ends = page.eval_on_selector_all(".compare tbody tr td:nth-child(3)", "els => els.map(el => el.dataset.sort)")
        assert len(ranks) == 9 and ranks == sorted(ranks), (
            "実施中 first, then 開始予定, programs as of an old check, 終了"
        )
        for rank in set(ranks):
            group = [e or "9999" for r, e in zip(ranks, ends) if r == rank]
            assert group == sorted(group), "within a status, the soonest end of period first"
        assert page.locator(".compare thead button").count() == 0
    finally:
        context.close()


def test_sorting_by_a_column_header(a11y_origin, page):
    page.goto(a11y_origin + "/programs/compare/")
    ready(page)
    button = page.get_by_role("button", name="上限")
    button.click()
    header = page.locator(".compare thead th", has=button)
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.locator(".compare thead th[aria-sort]").count() == 1
    caps = page.eval_on_selector_all(".compare tbody tr td:nth-child(6)", "els => els.map(el => el.dataset.sort)")
    filled = [int(c) for c in caps if c]
    assert filled == sorted(filled) and caps[len(filled) :] == [""] * (len(caps) - len(filled)), "no value: last"
    status = page.locator("[data-compare-status]")
    assert status.get_attribute("role") == "status" and "「上限」の小さい順" in status.text_content()
    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert "大きい順" in status.text_content()
    assert "並べ替え=上限&順=降順" in unquote(page.url)
    # the cards of a phone follow the same order
    cards = page.eval_on_selector_all(".compare-card h2", "els => els.map(el => el.textContent.trim())")
    assert cards == titles(page)


def test_filters_combine_and_live_in_the_url(a11y_origin, page):
    page.goto(a11y_origin + "/programs/compare/")
    ready(page)
    page.locator("[data-compare-details] summary").click()
    page.get_by_role("checkbox", name="エンジニア").check()
    engineer = titles(page)
    assert 0 < len(engineer) < 9
    page.get_by_role("checkbox", name="プロデューサー").check()
    either = titles(page)
    assert set(engineer) < set(either), "within a facet: any of the ticked values"
    page.get_by_role("checkbox", name="財政措置").check()
    both = titles(page)
    assert set(both) <= set(either) and len(both) < len(either), "across facets: all of them"
    assert f"{len(both)}件の制度" in page.locator("[data-compare-status]").text_content()
    url = page.url
    assert "人材像=エンジニア" in unquote(url)
    # the same view from the URL alone
    page.goto(url)
    ready(page)
    assert titles(page) == both
    assert page.get_by_role("checkbox", name="財政措置").is_checked()
    assert page.locator("[data-compare-details]").evaluate("el => el.open")
    page.get_by_role("button", name="絞り込みと並べ替えを元に戻す").click()
    assert len(titles(page)) == 9 and "?" not in page.url


def test_a_filter_that_keeps_nothing_says_so(a11y_origin, page):
    page.goto(a11y_origin + "/programs/compare/?" + quote("状況") + "=" + quote("終了"))
    ready(page)
    assert titles(page) == []
    assert page.locator("[data-compare-empty]").is_visible()
    assert "9件のうち0件" in page.locator("[data-compare-status]").text_content()


def test_stale_programs_state_their_status_as_of_the_check(a11y_origin, page):
    page.goto(a11y_origin + "/programs/compare/")
    row = page.locator(".compare tbody tr", has_text="地域情報化アドバイザー制度")
    status = row.locator("td").first
    assert status.locator(".badge--unconfirmed").text_content() == "状況: 実施中", (
        "never the colour of a current status"
    )
    assert "2023年10月24日の確認時点。最終確認から3年1か月" in status.text_content()
    ended = page.locator(".compare tbody tr", has_text="都道府県等による市町村支援")
    assert "記載の終了日を過ぎています" in ended.text_content()


def test_the_sort_select_sorts_the_cards_on_a_phone(a11y_origin, a11y_browser):
    context = a11y_browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(a11y_origin + "/programs/compare/")
        ready(page)
        page.get_by_label("並べ替え", exact=True).select_option("最終確認日")
        page.get_by_label("順", exact=True).select_option("降順")
        first = page.locator(".compare-card").first
        assert "令和8年12月6日" in first.text_content()
        assert unquote(page.url).endswith("並べ替え=最終確認日&順=降順")
    finally:
        context.close()
