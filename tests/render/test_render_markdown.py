"""Markdown bodies: entry links resolved, hostile HTML removed, headings under the page h1."""

from __future__ import annotations

import pytest
from factories import sample_site

from generator.content.mdlinks import md_link_key
from generator.render.markdown import markdown_to_html

CASE = "content/cases/ehime-talent-sharing.md"


@pytest.mark.parametrize(
    ("source", "href", "key"),
    [
        (CASE, "../programs/chiiki-johoka-advisor.md", "programs/chiiki-johoka-advisor"),
        (CASE, "../programs/chiiki-johoka-advisor.md#概要", "programs/chiiki-johoka-advisor"),
        (CASE, "hiroshima-dxship.md", "cases/hiroshima-dxship"),
        ("content/pages/about.md", "../roles/municipal-cio-hosakan.md", "roles/municipal-cio-hosakan"),
        (CASE, "/content/partners/hitachi.md", "partners/hitachi"),
        (CASE, "../pages/about.md", None),
        (CASE, "../../README.md", None),
        (CASE, "https://example.jp/programs/x.md", None),
        (CASE, "../programs/", None),
        (CASE, "#概要", None),
        (CASE, "../programs/sub/x.md", None),
    ],
)
def test_md_link_key(source, href, key):
    assert md_link_key(source, href) == key


def test_entry_links_become_page_urls():
    html = markdown_to_html("[制度](../programs/chiiki-johoka-advisor.md#条件)", CASE, sample_site())
    assert 'href="/programs/chiiki-johoka-advisor/#条件"' in html


def test_entry_links_follow_base_path():
    html = markdown_to_html("[制度](../programs/chiiki-johoka-advisor.md)", CASE, sample_site("/dx-catalog/"))
    assert 'href="/dx-catalog/programs/chiiki-johoka-advisor/"' in html


def test_page_links_become_page_urls():
    html = markdown_to_html("[方針](../pages/accessibility.md)", CASE, sample_site())
    assert 'href="/accessibility/"' in html


def test_external_links_are_kept():
    html = markdown_to_html("[総務省](https://www.soumu.go.jp/)", CASE, sample_site())
    assert 'href="https://www.soumu.go.jp/"' in html


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert(1)</script>本文", ("<script", "alert(1)")),
        ('<img src="x" onerror="alert(1)">', ("onerror", "<img")),
        ("[押す](javascript:alert(1))", ("javascript:",)),
        ('<a href="JaVaScRiPt:alert(1)">押す</a>', ("javascript:", "JaVaScRiPt")),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">押す</a>', ("data:",)),
        ('<p onclick="alert(1)" style="color:red">本文</p>', ("onclick", "style=")),
        ('<iframe src="https://evil.example/"></iframe>', ("<iframe", "evil.example")),
        ("<style>body{display:none}</style>", ("<style", "display:none")),
        ("<svg><script>alert(1)</script></svg>", ("<svg", "alert(1)")),
        ("<!-- <script>x</script> -->", ("<!--", "<script")),
    ],
)
def test_hostile_html_is_removed(body, forbidden):
    html = markdown_to_html(body, CASE, sample_site())
    for text in forbidden:
        assert text not in html


def test_safe_markup_is_kept():
    body = "## 概要\n\n| 項目 | 内容 |\n| --- | --- |\n| 措置率 | 0.7 |\n\n- 一\n- 二\n\n`code`\n"
    html = markdown_to_html(body, CASE, sample_site())
    assert '<h2 id="概要">概要</h2>' in html
    assert '<th scope="col">項目</th>' in html
    assert "<td>0.7</td>" in html
    assert "<li>一</li>" in html
    assert "<code>code</code>" in html


def test_headings_start_below_the_page_title():
    html = markdown_to_html("# 大見出し\n\n## 小見出し\n", CASE, sample_site())
    assert "<h1" not in html
    assert '<h2 id="大見出し">' in html
    assert '<h3 id="小見出し">' in html


def test_converter_state_does_not_leak_between_bodies():
    site = sample_site()
    first = markdown_to_html("## 見出し\n", CASE, site)
    second = markdown_to_html("## 見出し\n", CASE, site)
    assert first == second


def _reference(body: str, source: str, site) -> str:
    from generator.render.markdown import _converter, sanitize_rewriting

    converter = _converter()
    converter.reset()
    return sanitize_rewriting(converter.convert(body), source, site)


LINK_BODIES = (
    "[制度](../programs/chiiki-johoka-advisor.md) と [事例](hiroshima-dxship.md#成果) と [外部](https://example.jp/a.md)",
    "[about](../pages/about.md) [なし](../pages/none.md) [tag](/content/partners/example-corp.md?x=1#y)",
    '<a href="../programs/chiiki-johoka-advisor.md" title="a>b">raw</a> <a title="x" href="x&#46;md">entity</a>',
    '[q](../programs/chiiki-johoka-advisor.md#"><script>alert(1)</script>) [amp](../programs/a.md#a&b) [nb](../programs/a.md#a\u00a0b)',
    "[t](../programs/a.md \"title with .md\") [j](javascript:alert('x.md')) ![img](../programs/a.md)",
    "本文に .md と書いただけ。[abbr](<../programs/a b.md>) [pct](../programs/%61.md)",
    '<abbr title="a.md">略</abbr> <a href=\'../cases/x.md\'>single</a> <a  href="../cases/y.md"  >spaces</a>',
)


@pytest.mark.parametrize("body", LINK_BODIES)
def test_link_rewriting_after_sanitising_equals_rewriting_while_sanitising(body):
    site = sample_site("/dx-catalog/")
    assert markdown_to_html(body, CASE, site) == _reference(body, CASE, site)


def test_rewriting_after_sanitising_on_every_body():
    from pathlib import Path

    from hostile import PAYLOADS

    from benchmarks.corpus import generate

    root = Path(__file__).resolve().parents[2]
    site = sample_site()
    bodies = [(str(p.relative_to(root)), p.read_text(encoding="utf-8")) for p in root.glob("content/**/*.md")]
    bodies += [
        (f"content/{path.split('/')[-2]}/{path.split('/')[-1]}", text)
        for path, text in generate(300, seed=3).items()
        if path.endswith(".md")
    ]
    bodies += [(CASE, f'[{p}](../programs/a.md#{p}) [x](../cases/{p}.md) <a href="{p}.md">{p}</a>') for p in PAYLOADS]
    assert len(bodies) > 300
    for source, body in bodies:
        assert markdown_to_html(body, source, site) == _reference(body, source, site), source


@pytest.mark.parametrize(
    ("body", "reference"),
    [
        ("[制度](../programs/chiiki-johoka-advisor.md#条件) と [外部](https://example.jp/)", False),
        ("本文だけ", False),
        ('<a href="hiroshima-dxship&#46;md">文字参照</a>', False),  # nh3 writes it back as ".md"
        ('<a href="hiroshima-dxship.md#x&amp;y">アンパサンド</a>', True),
        ("[q](../programs/chiiki-johoka-advisor.md#a&b)", True),
    ],
)
def test_only_links_it_cannot_read_exactly_take_the_reference_path(monkeypatch, body, reference):
    from generator.render import markdown as module

    calls = []
    original = module.sanitize_rewriting
    monkeypatch.setattr(module, "sanitize_rewriting", lambda *args: calls.append(args) or original(*args))
    html = markdown_to_html(body, CASE, sample_site())
    assert bool(calls) is reference
    if "制度" in body:
        assert 'href="/programs/chiiki-johoka-advisor/#条件"' in html
    if "文字参照" in body:
        assert 'href="/cases/hiroshima-dxship/"' in html


def test_every_heading_level_moves_one_down_under_the_page_title():
    body = "# 一\n\n## 二\n\n### 三\n\n#### 四\n\n##### 五\n\n###### 六\n"
    assert markdown_to_html(body, CASE, sample_site()) == (
        '<h2 id="一">一</h2>\n<h3 id="二">二</h3>\n<h4 id="三">三</h4>\n'
        '<h5 id="四">四</h5>\n<h6 id="五">五</h6>\n<h6 id="六">六</h6>'
    )


def test_a_body_without_a_top_heading_keeps_its_levels():
    assert markdown_to_html("### 三\n\n#### 四\n", CASE, sample_site()) == '<h3 id="三">三</h3>\n<h4 id="四">四</h4>'


def test_a_link_to_a_page_that_does_not_exist_is_left_as_written():
    html = markdown_to_html("[なし](../pages/none.md) [方針](../pages/accessibility.md)", CASE, sample_site())
    assert html == '<p><a href="../pages/none.md">なし</a> <a href="/accessibility/">方針</a></p>'


def test_the_converter_as_a_page_shows_it():
    """Tables, fenced code, a numbered list then a bulleted one, heading ids in Japanese, no permalink mark.

    Built afresh here: the build keeps one converter, so only the first body rendered would reach its set-up.
    """
    from generator.render.markdown import _cleaner, stock_converter

    body = (
        "## 概要 と Q&A\n\n| 項目 | 内容 |\n| --- | --- |\n| 措置率 | 0.7 |\n\n```\n<b>コード</b>\n```\n\n"
        "1. 一\n2. 二\n\n- 三\n\n---\n"
    )
    assert _cleaner().clean(stock_converter().convert(body)) == (
        '<h2 id="概要-と-qa">概要 と Q&amp;A</h2>\n<table>\n<thead>\n<tr>\n<th scope="col">項目</th>\n'
        '<th scope="col">内容</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>措置率</td>\n<td>0.7</td>\n</tr>\n</tbody>\n'
        "</table>\n<pre><code>&lt;b&gt;コード&lt;/b&gt;\n</code></pre>\n<ol>\n<li>一</li>\n<li>二</li>\n</ol>\n"
        "<ul>\n<li>三</li>\n</ul>\n<hr>"
    )
