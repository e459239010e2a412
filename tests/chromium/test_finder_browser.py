"""「制度を探す」 as a reader uses it in Chromium, without JavaScript: two questions answered by
following links, the answers in the URL, each program with why it fits and what limits apply."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(a11y_browser):
    context = a11y_browser.new_context(
        locale="ja-JP", viewport={"width": 375, "height": 812}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_answering_both_questions_lists_the_programs_that_fit(a11y_origin, page):
    page.goto(a11y_origin + "/")
    page.get_by_role("link", name="2つの質問で制度を探す").click()
    assert page.url.endswith("/programs/find/")
    page.locator("#step-archetype + p + .finder-options").get_by_role("link", name="エンジニア").click()
    assert page.url.endswith("/programs/find/engineer/any/")
    page.locator(".finder-option", has_text="派遣を受ける").click()
    assert page.url.endswith("/programs/find/engineer/dispatch/")
    chosen = page.locator(".finder-option[aria-current=true]").all_text_contents()
    assert len(chosen) == 2 and "エンジニア" in chosen[0] and "派遣を受ける" in chosen[1]
    fits = page.locator(".fit")
    assert fits.count() == 1
    fit = fits.first
    assert "地域活性化起業人" in fit.locator("h3").text_content()
    assert "「エンジニア」が含まれます" in fit.text_content() and "「派遣を受ける」の形" in fit.text_content()
    facts = fit.locator(".fit__facts").text_content()
    assert "年560万円" in facts and "派遣期間は6か月から3年" in facts, "limits and the cap apply"
    assert "最終確認から" in fit.locator(".fit__stale").text_content(), "facts as of an old check say so"


def test_an_answer_with_no_program_offers_the_nearest_ones(a11y_origin, page):
    page.goto(a11y_origin + "/programs/find/engineer/advice/")
    assert page.locator(".fit").count() == 0
    page.get_by_role("link", name="関わり方を問わずに探す（2件）").click()
    assert page.url.endswith("/programs/find/engineer/any/")
    assert page.locator(".fit").count() == 2


def test_every_archetype_page_links_the_finder(a11y_origin, page):
    for archetype in ("producer", "project_manager", "service_designer", "engineer"):
        page.goto(a11y_origin + f"/archetypes/{archetype}/")
        link = page.locator(f"a[href='/programs/find/{archetype}/any/']")
        assert link.count() == 1, archetype
