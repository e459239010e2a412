"""The query side of the search (static/js/search-query.js, search-snippet.js) in Chromium.

The browser splits a query with the indexer's rules (generator/output/search_text.py): both are
compared on every character and on the text of the real pages. The other pure functions of the
two modules are tested on literal data.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from browser import REAL_PROJECT, SiteServer, launch_chromium

from generator.output.search_text import index_tokens

pytestmark = pytest.mark.browser

STATIC = REAL_PROJECT / "themes" / "default" / "static"


@pytest.fixture(scope="module")
def js():
    """A function calling an exported function of a module of static/js/ in Chromium."""
    with SiteServer(STATIC) as server, launch_chromium() as chromium:
        page = chromium.new_page()
        page.goto(server.origin + "/")

        def call(module: str, name: str, *args):
            return page.evaluate(
                "async ([module, name, args]) => (await import(module))[name](...args)",
                [f"/js/{module}", name, list(args)],
            )

        def run(script: str, arg=None):
            return page.evaluate(script, arg)

        call.run = run
        yield call


def every_character() -> list[str]:
    """Every character this Python's Unicode assigns, but surrogates, private use and controls
    (a newer Unicode in Chromium only adds characters, which Python does not know)."""
    return [
        chr(code)
        for code in range(0x20, sys.maxunicode + 1)
        if unicodedata.category(chr(code)) not in ("Cn", "Cs", "Co", "Cc")
    ]


def test_browser_and_indexer_split_every_character_alike(js):
    samples = []
    for ch in every_character():
        samples += [ch, f"字{ch}字", f"a{ch}1"]
    browser = js.run(
        """async (texts) => { const q = await import('/js/search-query.js');
             return texts.map((t) => q.indexTokens(t).join(' ')); }""",
        samples,
    )
    differ = [(text, index_tokens(text), got) for text, got in zip(samples, browser) if index_tokens(text) != got]
    assert differ == []


def test_browser_and_indexer_split_the_real_pages_alike(js, tmp_path_factory):
    from browser import build_site
    from search_pages import indexed_pages

    site = build_site(REAL_PROJECT, tmp_path_factory.mktemp("tokens") / "site")
    texts = ["\n".join(page.blocks()) for page in indexed_pages(site).values()]
    browser = js.run(
        "async (texts) => { const q = await import('/js/search-query.js'); return texts.map((t) => q.indexTokens(t).join(' ')); }",
        texts,
    )
    assert browser == [index_tokens(text) for text in texts]


@pytest.mark.parametrize(
    ("word", "tokens", "prefix"),
    [
        ("県", ["県"], True),
        ("長野県", ["長野", "野県"], False),
        ("地方創生", ["地方", "方創", "創生"], False),
        ("年3回", ["年", "3", "回"], False),
        ("DX推進課", ["dx", "推", "推進", "進課"], False),
        ("ＤＸ", ["dx"], False),
        ("経営・財務", ["経営", "営", "財", "財務"], False),
        ("ｺﾆｶ", ["コニ", "ニカ"], False),
    ],
)
def test_a_word_is_looked_up_as_the_phrase_of_its_tokens(js, word, tokens, prefix):
    assert js("search-query.js", "wordQuery", word) == {"tokens": tokens, "prefix": prefix}


def test_query_words_drop_what_has_nothing_to_look_up(js):
    assert js("search-query.js", "queryWords", "　「」 人材 、") == [{"tokens": ["人材"], "prefix": False}]


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("市町村CIO補佐官（モデル）", "cio補佐官", ["CIO補佐官"]),
        ("ＤＸの推進", "DX", ["ＤＸ"]),
        ("経営、財務の強化", "経営・財務", ["経営", "財務"]),
        ("地域の地域", "地域", ["地域", "地域"]),
        ("ﾃﾞｼﾞﾀﾙ人材", "デジタル", ["ﾃﾞｼﾞﾀﾙ"]),
        ("無関係", "人材", []),
        # A word of letters or digits is marked only where it is a whole word, as the index finds it.
        ("DXShipとDXの推進", "dx", ["DX"]),
        ("令和3年と30人", "3", ["3"]),
        # A character whose NFKC form is several is marked whole.
        ("㍿の取組", "株式", ["㍿"]),
    ],
)
def test_matches_are_found_in_the_text_as_written(js, text, query, marked):
    ranges = js("search-query.js", "matchRanges", text, query)
    assert [text[start:end] for start, end in ranges] == marked


BLOCKS_PAGE = """<html><body><nav>ナビ</nav><main data-pagefind-body>
<h1>地域情報化アドバイザー制度</h1><p data-pagefind-ignore>実施中 支援制度</p>
<p class="lead">専門家を派遣する制度です。</p>
<table><caption>制度の概要</caption><tr><th>回数・時間の制限</th><td>現地派遣は年3回まで</td></tr></table>
<p>アドバイザーは<strong>助言</strong>をします。派遣は年3回までです。</p>
<section data-pagefind-ignore><h2>この制度で確保できる人材の役割</h2><ul class="cards"><li>活動中 人材の役割</li></ul></section>
</main></body></html>"""


def test_page_blocks_are_the_pages_own_text(js):
    blocks = js.run(
        "async (html) => (await import('/js/search-snippet.js')).blocksOf(new DOMParser().parseFromString(html, 'text/html'))",
        BLOCKS_PAGE,
    )
    assert blocks == [
        "地域情報化アドバイザー制度",
        "専門家を派遣する制度です。",
        "現地派遣は年3回まで",
        "アドバイザーは助言をします。派遣は年3回までです。",
    ]


def test_a_passage_is_a_whole_sentence_with_most_of_the_words(js):
    blocks = [
        "地域情報化アドバイザー制度",
        "専門家を派遣する制度です。",
        "現地派遣は年3回まで",
        "アドバイザーは助言をします。派遣は年3回までです。",
    ]
    shown = ["地域情報化アドバイザー制度", "専門家を派遣する制度です。"]
    found = js("search-snippet.js", "passage", blocks, "派遣 年3回", shown)
    assert found["text"] == "派遣は年3回までです。"
    assert [found["text"][a:b] for a, b in found["ranges"]] == ["派遣", "年3回"]
    # Words only in the title or the summary: nothing to quote.
    assert js("search-snippet.js", "passage", blocks, "専門家", shown) is None


def test_a_long_passage_starts_at_a_phrase_boundary(js):
    sentence = (
        "この制度は、"
        + "市町村が外部の専門家を招くときの費用を国が支える仕組みで" * 5
        + "、対象となる経費には特別交付税措置があります。"
    )
    found = js("search-snippet.js", "passage", [sentence], "特別交付税")
    assert found["text"].startswith("…")
    assert found["text"][1:] in sentence
    assert sentence[sentence.index(found["text"][1:]) - 1] == "、"  # it starts right after a 、
    assert len(found["text"]) <= 122
    assert [found["text"][a:b] for a, b in found["ranges"]] == ["特別交付税"]
