"""Japanese line breaks (generator/render/phrases.py): BudouX's phrases, kept only where a reader
expects a break, joined by <wbr>; and the templates that use them."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from generator.render.phrases import Phrases, join, split


@pytest.fixture(scope="module")
def phrases() -> Phrases:
    return Phrases()


def breaks(phrases: Phrases, text: str) -> list[str]:
    return list(phrases.parts(text))


def fixed(*pieces: str):
    """A parser that returns the given pieces, whatever it is asked."""
    return lambda text: list(pieces)


def test_phrases_join_back_to_the_text(phrases):
    for text in (
        "長野県 自治体DX人材支援カタログ",
        "都道府県等による市町村支援のためのデジタル人材の確保に係る地方財政措置",
        "事例 3件",
        "実施中（2023年10月24日の確認時点）",
        "",
        "  ",
        "CIO補佐官",
    ):
        assert "".join(phrases.parts(text)) == text


def test_a_katakana_word_is_never_split(phrases):
    assert breaks(phrases, "プロジェクトマネージャー") == ["プロジェクトマネージャー"]
    assert split("プロジェクトマネージャー", fixed("プロジェクト", "マネー", "ジャー")) == ("プロジェクトマネージャー",)


def test_a_number_stays_with_its_counter(phrases):
    assert split("事例3件", fixed("事例", "3", "件")) == ("事例3件",)
    assert split("県と20市町", fixed("県と", "20", "市町")) == ("県と", "20市町")
    assert split("最終確認から3年1か月", fixed("最終確認から", "3年1か", "月")) == ("最終確認から", "3年1か月")
    assert split("令和8年", fixed("令和", "8年")) == ("令和8年",)
    # a space is a break of its own, and the count after it stays whole (BudouX alone splits 事|例 3件)
    assert breaks(phrases, "事例 3件") == ["事例 ", "3件"]
    assert breaks(phrases, "使える制度 2件 · 役割 1件 · 事例 3件")[-1] == "3件"


def test_no_break_inside_kanji_latin_or_before_closing_punctuation():
    assert split("損害保険", fixed("損", "害保険")) == ("損害保険",)
    assert split("CIO補佐官", fixed("CI", "O補佐官")) == ("CIO補佐官",)
    assert split("確認時点）", fixed("確認時点", "）")) == ("確認時点）",)
    assert split("（モデル）", fixed("（", "モデル）")) == ("（モデル）",)


def test_hiragana_breaks_only_after_a_particle():
    assert split("支援のための", fixed("支援の", "ための")) == ("支援の", "ための")
    assert split("あいおい", fixed("あい", "おい")) == ("あいおい",)


def test_a_long_phrase_may_also_break_where_katakana_meets_kanji():
    assert split("長野県DX戦略推進パートナー連携協定", fixed("長野県DX戦略推進パートナー連携協定")) == (
        "長野県DX戦略推進",
        "パートナー",
        "連携協定",
    )
    assert split("人材パートナー", fixed("人材パートナー")) == ("人材パートナー",)  # short: kept whole


def test_the_site_title_never_breaks_inside_katakana(phrases):
    assert breaks(phrases, "長野県 自治体DX人材支援カタログ")[-1].endswith("カタログ")
    assert all("カタ" not in p or "カタログ" in p for p in breaks(phrases, "長野県 自治体DX人材支援カタログ"))


def test_the_filter_escapes_and_marks_breaks(phrases):
    assert phrases("この制度で確保できる人材の役割") == Markup("この<wbr>制度で<wbr>確保できる<wbr>人材の<wbr>役割")
    assert phrases("<b>人材</b>の役割") == Markup("&lt;b&gt;人材&lt;/b&gt;の<wbr>役割")
    assert phrases(Markup("<em>x</em>")) == Markup("<em>x</em>"), "markup is left as its author wrote it"
    assert phrases(None) == Markup("")
    assert join(("長野県 ", "自治体")) == Markup("長野県 自治体"), "no <wbr> after a space"


def test_each_string_is_parsed_once_per_build():
    calls = []
    phrases = Phrases()
    real = phrases._parse
    phrases._parse = lambda text: calls.append(text) or real(text)
    for _ in range(3):
        phrases("制度を探す")
        phrases.parts("制度を探す")
    assert calls == ["制度を探す"]


def test_a_range_may_break_after_its_wave_dash(phrases):
    assert breaks(phrases, "令和5年度〜令和7年度末")[0].endswith("〜")
    assert breaks(phrases, "〜令和7年度末（2026年3月31日）")[0].startswith("〜令和"), "never a line of 〜 alone"
