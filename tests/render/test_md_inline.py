"""The fast inline pass (generator/render/md_inline.py) gives Python-Markdown's output exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import PAYLOADS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from generator.render import md_inline
from generator.render.markdown import _converter, stock_converter

ROOT = Path(__file__).resolve().parents[2]

# Each inline pattern, its near misses, and text where patterns meet.
SNIPPETS: tuple[str, ...] = (
    "地域情報化アドバイザーの派遣（総務省）",
    "`code` and ``two `ticks` `` and \\`not code\\` and \\\\`code after escaped backslash`",
    "\\*not em\\* \\_nor\\_ \\[x\\] \\\\ \\# \\< \\&",
    '[制度](../programs/x.md) [参照][ref] [ref] [ref][] ![図](a.png) ![図][ref] ![ref]\n\n[ref]: https://example.jp/ "題"',
    "![not an image] !not [a link",
    "<https://www.pref.nagano.lg.jp/> <mailto:dx@example.jp> <dx@example.jp> <not a link>",
    "行末に空白二つ  \n次の行",
    "<span>inline html</span> <!-- comment --> <?pi?> <![CDATA[x]]> a < b > c",
    "&amp; &#12354; &#x3042; & alone &nbsp; AT&T",
    "*em* **strong** ***both*** _em_ __strong__ * not * _ not _ 2*3*4 snake_case_name",
    "**[太字のリンク](https://example.jp/)** と *`コード`* と [*強調*](x.md)",
    '<a href="javascript:alert(1)">x</a> [x](javascript:alert(1))',
    "| 列 | 値 |\n|---|---|\n| *a* | `b` |\n| [c](d.md) | e&f |",
    "# 見出し *強調*\n\n## 見出し `code`\n\n### 見出し & 記号\n\n## 見出し *強調*",
    "```\n*not* [processed] <b>\n```\n\n    indented *code*\n",
    "- *a*\n- [b](c.md)\n  - `d`\n1. e  \n   f\n",
    "> 引用 *強調*\n> [リンク](x.md)",
    "\u3000全角空白 と 半角*空白* と\ttab",
    "",
)


def _pair(text: str) -> tuple[str, str]:
    stock, fast = stock_converter(), _converter()
    stock.reset()
    fast.reset()
    return stock.convert(text), fast.convert(text)


def test_the_build_uses_the_fast_pass():
    assert type(_converter().treeprocessors["inline"]) is md_inline.FastInlineProcessor
    assert [type(t).__name__ for t in _converter().treeprocessors][1:] == [
        type(t).__name__ for t in stock_converter().treeprocessors
    ][1:]


def test_every_required_expression_is_the_installed_one():
    # If Python-Markdown changes a pattern, its entry in REQUIRED must be read again.
    registry = stock_converter().inlinePatterns
    for name, (expression, _) in md_inline.REQUIRED.items():
        assert registry[name].pattern == expression, name
    assert {item.name for item in registry._priority} == set(md_inline.REQUIRED)


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets(text):
    stock, fast = _pair(text)
    assert fast == stock


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_payloads(payload):
    stock, fast = _pair(f"前 {payload} 後\n\n- {payload}\n\n## {payload}\n")
    assert fast == stock


def test_every_body_of_the_real_content_and_the_fixtures():
    files = [*ROOT.glob("content/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md")]
    assert len(files) > 40
    for path in files:
        stock, fast = _pair(path.read_text(encoding="utf-8"))
        assert fast == stock, path


def test_a_generated_corpus():
    bodies = [text for path, text in generate(400, seed=7).items() if path.endswith(".md")]
    assert len(bodies) >= 400
    for text in bodies:
        stock, fast = _pair(text)
        assert fast == stock


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "*",
                "_",
                "`",
                "\\",
                "[",
                "]",
                "(",
                ")",
                "!",
                "<",
                ">",
                "&",
                ";",
                "#",
                "  \n",
                "\n",
                " ",
                "a",
                "日本",
                "x.md",
                "http://",
                "@",
                "1",
            ]
        ),
        max_size=40,
    )
)
def test_any_mix_of_markdown_punctuation(pieces):
    stock, fast = _pair("".join(pieces))
    assert fast == stock


def test_a_pattern_whose_expression_changed_is_always_applied(monkeypatch):
    # As if Python-Markdown had changed the entity pattern: its needs are unknown, so it is applied.
    monkeypatch.setitem(md_inline.REQUIRED, "entity", ("(something else)", ("&",)))
    converter = stock_converter()
    md_inline.install(converter)
    converter.convert("&amp; と `x`")
    processor = converter.treeprocessors["inline"]
    by_name = {name: processor._required[i] for i, name in enumerate(_names(converter))}
    assert by_name["entity"] is None
    assert by_name["backtick"] == ("`",)
    assert processor._none_can_match is None  # no early exit while one pattern's needs are unknown
    assert converter.convert("&amp; と `x`") == stock_converter().convert("&amp; と `x`")


def test_another_inline_pass_is_left_in_place():
    converter = stock_converter()

    class Other(md_inline.InlineProcessor):
        pass

    other = Other(converter)
    converter.treeprocessors.register(other, "inline", md_inline.INLINE_PRIORITY)
    md_inline.install(converter)
    assert converter.treeprocessors["inline"] is other


def _names(converter) -> list[str]:
    patterns = list(converter.inlinePatterns)
    return [next(name for name in md_inline.REQUIRED if converter.inlinePatterns[name] is p) for p in patterns]
