"""What Pagefind reads of a page (generator/output/search_text.py): tokens and the index copy."""

from __future__ import annotations

import re

import pytest

from generator.output.search_text import TITLE_TOKENS, index_copy, index_tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("長野県", "長 長野 野県 県"),
        ("県", "県"),
        ("長野県の取組", "長 長野 野県 県の の取 取組 組"),
        # NFKC and lower case: full-width letters, half-width katakana, ideographic space.
        ("ＤＸ推進　ｶﾀｶﾅ", "dx 推 推進 進 カ カタ タカ カナ ナ"),
        # Letters, digits and runs of kanji and kana are separate words; punctuation separates.
        ("年3回まで", "年 3 回 回ま まで で"),
        ("JIS X 8341-3:2016", "jis x 8341 3 2016"),
        ("経営・財務", "経 経営 営 財 財務 務"),
        ("（モデル）", "モ モデ デル ル"),
        ("snake_case", "snake case"),
        # ー and 々 belong to the run; dakuten stay (デ is not テ).
        ("データ々", "デ デー ータ タ々 々"),
        ("", ""),
        ("、。「」", ""),
    ],
)
def test_index_tokens(text, tokens):
    assert index_tokens(text) == tokens


def page(body: str) -> str:
    return f'<!doctype html><html lang="ja"><head><title>t</title></head><body><nav>ナビ</nav><main data-pagefind-body>{body}</main><footer>フッター</footer></body></html>'


def blocks(copy: str) -> list[str]:
    """The indexed blocks of a copy, as 'tag: tokens'."""
    body = copy.split("</div>", 1)[1]
    return [f"{tag}: {text}" for tag, text in re.findall(r"<(h\d|p)>([^<]*)</\1>", body)]


def test_only_the_pages_own_text_is_indexed():
    copy = index_copy(
        page(
            '<h1>制度</h1><p class="badges" data-pagefind-ignore><span>実施中</span></p>'
            "<table><caption>概要</caption><tr><th>所管</th><td>総務省</td></tr></table>"
            '<section data-pagefind-ignore><h2>関連</h2><ul class="cards"><li><h3>他の制度</h3></li></ul></section>'
            "<form><label>検索</label></form><svg><text>図</text></svg><p>本文<em>強調</em>です。</p>"
        )
    )
    assert blocks(copy) == ["h1: 制 制度 度", "p: 総 総務 務省 省", "p: 本 本文 文強 強調 調で です す"]
    assert "ナビ" not in copy and "フッター" not in copy and "他の" not in copy


def test_headings_keep_their_level_and_blocks_do_not_join():
    copy = index_copy(page("<h1>題</h1><h2>節</h2><ul><li>一つ</li><li>二つ<br>三つ</li></ul>"))
    assert blocks(copy) == ["h1: 題", "h2: 節", "p: 一 一つ つ", "p: 二 二つ つ", "p: 三 三つ つ"]


def test_metadata_is_copied_as_written_and_the_title_added_as_tokens():
    copy = index_copy(
        page(
            '<div hidden data-pagefind-ignore><span data-pagefind-filter="所管">内閣府（地方創生）</span>'
            '<span data-pagefind-meta="summary">ＤＸの（モデル）です。</span>'
            '<span data-pagefind-sort="updated">２０２３-10-24</span></div><h1>市町村CIO補佐官（モデル）</h1>'
        )
    )
    head = copy.split("</div>", 1)[0]
    assert '<span data-pagefind-filter="所管">内閣府（地方創生）</span>' in head
    assert '<span data-pagefind-meta="summary">ＤＸの（モデル）です。</span>' in head
    assert '<span data-pagefind-sort="updated">2023-10-24</span>' in head  # sort values NFKC
    assert '<span data-pagefind-meta="title">市町村CIO補佐官（モデル）</span>' in head
    tokens = "市 市町 町村 村 cio 補 補佐 佐官 官 モ モデ デル ル"
    assert f'<span data-pagefind-meta="{TITLE_TOKENS}">{tokens}</span>' in head
    assert blocks(copy) == [f"h1: {tokens}"]


def test_a_title_meta_of_the_page_is_kept():
    copy = index_copy(page('<span data-pagefind-meta="title">別の題</span><h1>見出し</h1>'))
    assert copy.count('data-pagefind-meta="title"') == 1
    assert f'<span data-pagefind-meta="{TITLE_TOKENS}">別 別の の題 題</span>' in copy


def test_nothing_outside_the_body_and_no_markup_from_text():
    copy = index_copy(
        "<html><body><p>外</p><main data-pagefind-body><h1>&lt;b&gt;題&amp;</h1>"
        "<script>if (a<b) x()</script><!-- <p>注</p> --><p>本文</p></main></body></html>"
    )
    assert blocks(copy) == ["h1: b 題", "p: 本 本文 文"]
    assert "外" not in copy and "注" not in copy


def test_ignore_all_also_drops_metadata():
    copy = index_copy(
        page('<div data-pagefind-ignore="all"><span data-pagefind-filter="種別">事例</span></div><h1>題</h1>')
    )
    assert "data-pagefind-filter" not in copy
