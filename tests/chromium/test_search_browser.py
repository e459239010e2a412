"""The search page in headless Chromium, against the real site served over HTTP.

What a visitor sees: typed Japanese queries find the pages whose own text contains them and
no other, results show the pages' text as written and quote a sentence of it, facets narrow,
the URL keeps the search (and the box shows it at once), an IME conversion Enter does nothing,
nothing goes wrong in the console, and all of it works under a sub-path too.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from browser import REAL_PROJECT, SiteServer, build_site, launch_chromium, watch
from conftest import copy_minimal_project
from search_pages import (
    _Indexed,
    found_count,
    indexed_pages,
    result_urls,
    search_for,
    wait_for_answer,
)

pytestmark = pytest.mark.browser

SUB_PATH = "/dx-catalog/"


# --- what the built pages say, read from the HTML (the expected answers) ---


CJK = "\u3005-\u3007\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def contains(text: str, word: str) -> bool:
    """``word`` is in ``text`` (both NFKC, lower case) and does not cut a word of letters or digits:
    DX is in 「DXの推進」 but not in 「DXShip」; kanji and kana match anywhere (地域 in 地域情報化)."""
    text, word = (unicodedata.normalize("NFKC", s).lower() for s in (text, word))
    latin = f"[^\\W_{CJK}]"
    before = f"(?<!{latin})" if re.match(latin, word) else ""
    after = f"(?!{latin})" if re.search(f"{latin}$", word) else ""
    return re.search(before + re.escape(word) + after, text) is not None


def containing(pages: dict[str, _Indexed], query: str) -> set[str]:
    """URLs of the pages whose own text contains every word of ``query`` (within one block)."""
    words = unicodedata.normalize("NFKC", query).split()
    return {url for url, page in pages.items() if all(any(contains(b, w) for b in page.blocks()) for w in words)}


# --- fixtures: sites built once per session, a server, a browser ---


@pytest.fixture(scope="session")
def chromium():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    site = build_site(REAL_PROJECT, tmp_path_factory.mktemp("search-real") / "site")
    with SiteServer(site) as server:
        yield server, site


@pytest.fixture(scope="session")
def sub_path_site(tmp_path_factory):
    parent = tmp_path_factory.mktemp("search-sub")
    site = build_site(REAL_PROJECT, parent / SUB_PATH.strip("/"), base_path=SUB_PATH)
    with SiteServer(parent) as server:
        yield server, site


@pytest.fixture(scope="session")
def probe_site(tmp_path_factory):
    """The minimal site with one page that says デジタル and one that says only テシタル."""
    project = copy_minimal_project(tmp_path_factory.mktemp("search-probe") / "project")
    partner = project / "content/partners/example-corp.md"
    partner.write_text(
        partner.read_text(encoding="utf-8") + "\nテシタルという言葉だけが出てくる段落です。\n", encoding="utf-8"
    )
    program = project / "content/programs/advisor.md"
    program.write_text(program.read_text(encoding="utf-8") + "\nデジタル技術の専門家です。\n", encoding="utf-8")
    site = build_site(project, project.parent / "site")
    with SiteServer(site) as server:
        yield server, site


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="ja-JP")
    tab = context.new_page()
    yield tab
    context.close()


# --- helpers that act like a visitor ---


def wait_for_new_answer(page, before: str) -> str:
    """Wait until the live region reports an answer other than ``before`` (a facet was ticked:
    until the new answer is in, the region still says the old one)."""
    page.wait_for_function(
        "old => { const s = document.querySelector('[data-search-status]').textContent; return s !== old && /件/.test(s); }",
        arg=before,
    )
    return page.locator("[data-search-status]").text_content()


# --- the tests ---


@pytest.mark.parametrize(
    "query",
    [
        "人材",
        "自治体",
        "地域情報化アドバイザー",
        "ＤＸ",
        "DX人材",
        "愛媛",
        "エンジニア",
        "市町村",
        "年3回",
        "支",
        "CIO 措置率",
    ],
)
def test_typed_queries_find_exactly_the_pages_that_contain_them(real_site, page, query):
    server, site = real_site
    seen = watch(page, server.origin)
    page.goto(server.origin + "/search/")
    status = search_for(page, query)
    pages = indexed_pages(site)
    expected = containing(pages, query)
    assert expected, f"the real content should contain {query}"
    if query == "DX人材":  # the site's subject, but said in so many words on few pages
        assert len(expected) < len(pages) / 4
    assert found_count(status) == len(expected)
    assert status.endswith(f"{len(expected)}件見つかりました。")
    assert set(result_urls(page)) == expected
    assert seen.problems() == []


@pytest.mark.parametrize("query", ["ぬるぽがっ", "xyzzy", "量子コンピュータ", "観光振興", "DX人材 xyzzy"])
def test_a_query_without_a_real_match_says_nothing_was_found(real_site, page, query):
    """No page for words the catalog does not have, even when Pagefind would shorten an unknown word
    to one it knows (xyzzy → x) or drop it from the query."""
    server, _ = real_site
    page.goto(server.origin + "/search/")
    status = search_for(page, query)
    assert status == f"「{query}」で見つかりませんでした（0件）。"
    assert result_urls(page) == []
    assert page.locator("[data-search-empty]").is_visible()


def test_full_width_query_is_normalised_and_shown(real_site, page):
    server, _ = real_site
    page.goto(server.origin + "/search/")
    status = search_for(page, "ＤＸ推進")
    assert status.startswith("「DX推進」で")
    assert "q=DX%E6%8E%A8%E9%80%B2" in page.url  # the URL keeps the normalised query


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_cards_show_title_summary_kind_and_status(real_site, page):
    server, _ = real_site
    page.goto(server.origin + "/search/?q=" + quote("地域情報化アドバイザー"))
    wait_for_answer(page, "地域情報化アドバイザー")
    card = page.locator("[data-search-results] > li", has=page.locator("a[href='/programs/chiiki-johoka-advisor/']"))
    assert card.locator("h2").text_content() == "地域情報化アドバイザー制度"
    assert card.locator(".card__kind").text_content() == "支援制度"
    # 実施中, or — when the entry's last review is older than the interval — 実施中 as of that review
    # (in the page's own full-width brackets), on a badge never coloured as current.
    badge = card.locator(".badge")
    assert re.fullmatch(r"状況: 実施中(（\d{4}年\d{1,2}月\d{1,2}日の確認時点）)?", badge.text_content())
    if "確認時点" in badge.text_content():
        assert "badge--unconfirmed" in badge.get_attribute("class")
    assert (
        card.locator(".card__summary").text_content()
        == front_matter(REAL_PROJECT / "content/programs/chiiki-johoka-advisor.md")["summary"]
    )
    assert re.fullmatch(
        r"更新日: 令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）", card.locator(".search-result__updated").text_content()
    )
    excerpt = card.locator(".search-result__excerpt")
    excerpt.wait_for()
    assert excerpt.locator("mark").first.text_content() == "地域情報化アドバイザー"


def test_results_show_the_text_as_the_pages_write_it(real_site, page):
    """Titles, summaries and quotes keep full-width brackets and the like (not the NFKC copy)."""
    server, _ = real_site
    page.goto(server.origin + "/search/?q=" + quote("CIO補佐官"))
    wait_for_answer(page, "CIO補佐官")
    titles = page.eval_on_selector_all("[data-search-results] h2", "hs => hs.map(h => h.textContent)")
    assert "市町村CIO補佐官（モデル）" in titles
    summaries = page.locator("[data-search-results] .card__summary").all_text_contents()
    assert any("（措置率0.7）" in text for text in summaries)
    assert not any("(" in text for text in titles + summaries)


def excerpts(page) -> list[tuple[str, str]]:
    """(result URL, quoted passage) of every result that has one, once all have been read."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-search-results] > li')].every(li => li.dataset.passage)"
    )
    return page.eval_on_selector_all(
        "[data-search-results] > li:has(.search-result__excerpt)",
        "lis => lis.map(li => [li.querySelector('h2 a').getAttribute('href'), li.querySelector('.search-result__excerpt').textContent])",
    )


@pytest.mark.parametrize("query", ["人材の役割", "事例", "年3回", "特別交付税", "プロデューサー", "愛媛"])
def test_quotes_are_sentences_of_the_page_without_labels(real_site, page, query):
    server, site = real_site
    pages = indexed_pages(site)
    page.goto(server.origin + "/search/?q=" + quote(query))
    wait_for_answer(page, query)
    quoted = excerpts(page)
    assert quoted
    for url, text in quoted:
        assert "活動中" not in text and "制度の概要" not in text
        body = text.removeprefix("…").removesuffix("…")
        block = next((b for b in pages[url].blocks() if body in b), None)
        assert block is not None, (url, text)  # the page's own text, word for word
        start = block.index(body)
        # It starts where the block or a sentence starts, or (cut) after a phrase boundary.
        assert start == 0 or block[start - 1] in "。！？!?、，,「（( ", (url, text, block)
        assert text.startswith("…") == (start > 0 and block[start - 1] not in "。！？!?"), (url, text)


def test_the_query_is_in_the_box_before_the_index_has_loaded(real_site, page):
    server, _ = real_site
    held = []
    page.route("**/pagefind/catalog-shards.json", lambda route: held.append(route))
    page.goto(server.origin + "/search/?q=" + quote("地域情報化アドバイザー") + "&sort=updated")
    page.wait_for_function("() => document.querySelector('#search-query').value !== ''")
    assert page.locator("#search-query").input_value() == "地域情報化アドバイザー"
    assert page.locator("#search-sort").input_value() == "updated"
    assert (
        page.locator("[data-search-status]").text_content() == "「地域情報化アドバイザー」を検索する準備をしています…"
    )
    assert held and page.locator("[data-search][data-ready]").count() == 0  # the index is still held back
    held[0].continue_()
    assert found_count(wait_for_answer(page, "地域情報化アドバイザー")) > 0


def test_dakuten_are_not_ignored(probe_site, page):
    """デジタル must not find text that only says テシタル (Pagefind strips dakuten unless told not to)."""
    server, _ = probe_site
    seen = watch(page, server.origin)
    page.goto(server.origin + "/search/")
    search_for(page, "デジタル")
    found = result_urls(page)
    assert "/programs/advisor/" in found
    assert "/partners/example-corp/" not in found
    search_for(page, "テシタル")
    assert result_urls(page) == ["/partners/example-corp/"]
    assert seen.problems() == []


def test_a_facet_narrows_the_results_and_counts_the_rest(real_site, page):
    server, site = real_site
    seen = watch(page, server.origin)
    pages = indexed_pages(site)
    page.goto(server.origin + "/search/")
    before = search_for(page, "人材")
    everything = found_count(before)
    engineer = page.get_by_role("checkbox", name=re.compile("^エンジニア"))
    label = page.locator("label", has_text=re.compile("^エンジニア（"))
    expected = {url for url in containing(pages, "人材") if "エンジニア" in pages[url].filters.get("人材像", ())}
    assert label.text_content() == f"エンジニア（{len(expected)}件）"
    engineer.check()
    status = wait_for_new_answer(page, before)
    assert 0 < found_count(status) < everything
    assert set(result_urls(page)) == expected
    assert "%E4%BA%BA%E6%9D%90%E5%83%8F=%E3%82%A8%E3%83%B3%E3%82%B8%E3%83%8B%E3%82%A2" in page.url  # 人材像=エンジニア
    assert seen.problems() == []


def test_url_state_restores_a_search(real_site, page):
    server, site = real_site
    seen = watch(page, server.origin)
    pages = indexed_pages(site)
    page.goto(f"{server.origin}/search/?q={quote('人材')}&{quote('人材像')}={quote('エンジニア')}&sort=updated")
    status = wait_for_answer(page, "人材")
    assert page.locator("#search-query").input_value() == "人材"
    assert page.get_by_role("checkbox", name=re.compile("^エンジニア")).is_checked()
    assert page.locator("#search-sort").input_value() == "updated"
    found = result_urls(page)
    expected = {url for url in containing(pages, "人材") if "エンジニア" in pages[url].filters.get("人材像", ())}
    assert found_count(status) == len(found) and set(found) == expected
    dates = [pages[url].sort for url in found]
    assert dates == sorted(dates, reverse=True)  # 更新日の新しい順
    assert seen.problems() == []


def test_back_button_returns_to_the_previous_search(real_site, page):
    server, _ = real_site
    page.goto(server.origin + "/search/")
    before = search_for(page, "人材")
    everything = found_count(before)
    page.get_by_role("checkbox", name=re.compile("^エンジニア")).check()
    narrowed = found_count(wait_for_new_answer(page, before))
    assert narrowed < everything
    page.go_back()
    page.wait_for_function("() => !location.search.includes('%E4%BA%BA%E6%9D%90%E5%83%8F=')")
    page.wait_for_function(
        "n => /(\\d+)件見つかりました/.test(document.querySelector('[data-search-status]').textContent)"
        " && document.querySelector('[data-search-status]').textContent.includes(n + '件')",
        arg=everything,
    )
    assert not page.get_by_role("checkbox", name=re.compile("^エンジニア")).is_checked()


def test_enter_confirming_an_ime_conversion_does_nothing(real_site, page):
    server, _ = real_site
    seen = watch(page, server.origin)
    page.goto(server.origin + "/search/")
    search_for(page, "人材")
    url, length = page.url, page.evaluate("history.length")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "じちたい", "selectionStart": 4, "selectionEnd": 4})
    prevented = page.evaluate(
        """() => {
          const event = new KeyboardEvent("keydown", {key: "Enter", code: "Enter", isComposing: true, bubbles: true, cancelable: true});
          document.querySelector("#search-query").dispatchEvent(event);
          return event.defaultPrevented;
        }"""
    )
    assert prevented is True  # the browser's own submission is stopped too
    assert page.url == url and page.evaluate("history.length") == length and navigations == []

    # Confirming the conversion and pressing Enter again does search, and keeps the old search in history.
    cdp.send("Input.insertText", {"text": "自治体"})
    page.keyboard.press("Enter")
    wait_for_answer(page, "人材自治体")
    assert page.evaluate("history.length") == length + 1
    assert "q=" + quote("人材自治体") in page.url
    assert seen.problems() == []


def test_no_results_explain_and_link_the_index_pages(real_site, page):
    server, _ = real_site
    page.goto(server.origin + "/search/")
    status = search_for(page, "ぬるぽがっ")
    assert status == "「ぬるぽがっ」で見つかりませんでした（0件）。"
    empty = page.locator("[data-search-empty]")
    assert empty.is_visible()
    links = empty.locator("a").evaluate_all("links => links.map(a => [a.textContent, a.getAttribute('href')])")
    assert links == [
        ["支援制度", "/programs/"],
        ["人材像", "/archetypes/"],
        ["人材の役割", "/roles/"],
        ["事例", "/cases/"],
        ["連携企業", "/partners/"],
    ]


def test_facets_and_more_results_work_from_the_keyboard(real_site, page):
    server, _ = real_site
    page.goto(server.origin + "/search/")
    before = search_for(page, "人材")
    everything = found_count(before)
    assert everything > 20  # more than one page of results
    page.locator("[data-search-more]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] > li').length > 20")
    assert page.evaluate(
        "document.activeElement.closest('li') === document.querySelectorAll('[data-search-results] > li')[20]"
    )
    page.get_by_role("checkbox", name=re.compile("^事例")).focus()
    page.keyboard.press("Space")
    assert found_count(wait_for_new_answer(page, before)) < everything


def test_the_header_search_box_opens_the_search(real_site, page):
    server, _ = real_site
    page.goto(server.origin + "/programs/")
    page.locator("#site-search").fill("愛媛")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert found_count(wait_for_answer(page, "愛媛")) > 0


def test_without_javascript_the_page_says_so_and_links_the_lists(real_site, chromium):
    server, _ = real_site
    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(server.origin + "/search/?q=" + quote("人材"))
        # Playwright turns scripts off without telling the HTML parser, so <noscript> stays unrendered
        # here; its text is what a browser without JavaScript shows.
        assert "このページの検索にはJavaScriptを使います" in tab.locator("[data-search] noscript").text_content()
        assert tab.get_by_role("link", name="支援制度", exact=True).first.is_visible()
        assert tab.locator("[data-search-facets]").is_hidden()
    finally:
        context.close()


def test_everything_works_under_a_sub_path(sub_path_site, page):
    server, site = sub_path_site
    seen = watch(page, server.origin)
    page.goto(server.origin + SUB_PATH + "search/")
    status = search_for(page, "愛媛")
    expected = containing(indexed_pages(site, SUB_PATH), "愛媛")
    found = result_urls(page)
    assert found_count(status) == len(expected) and set(found) == expected
    assert all(url.startswith(SUB_PATH) for url in found)
    before = page.locator("[data-search-status]").text_content()
    page.get_by_role("checkbox", name=re.compile("^事例")).check()
    wait_for_answer(page, "愛媛", after=before)
    assert page.url.startswith(server.origin + SUB_PATH + "search/?")
    first = page.locator("[data-search-results] h2 a").first
    with page.expect_navigation():
        first.click()
    assert page.url.startswith(server.origin + SUB_PATH + "cases/")
    assert seen.problems() == []
