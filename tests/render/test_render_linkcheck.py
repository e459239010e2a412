"""The link check: internal href/src must be output files, under base_path."""

from __future__ import annotations

import pytest
from factories import sample_config

from generator.model import OutputFile
from generator.render.linkcheck import check_links, resolve, site_links


@pytest.mark.parametrize(
    ("href", "page", "base", "target"),
    [
        ("/programs/", "index.html", "/", "programs/index.html"),
        ("/", "programs/index.html", "/", "index.html"),
        ("/dx-catalog/programs/x/", "index.html", "/dx-catalog/", "programs/x/index.html"),
        ("/dx-catalog", "index.html", "/dx-catalog/", "index.html"),
        ("/programs/", "index.html", "/dx-catalog/", "../programs/"),
        ("../x/", "programs/a/index.html", "/", "programs/x/index.html"),
        ("/tags/%E8%B2%A1%E6%94%BF/", "index.html", "/", "tags/財政/index.html"),
        ("/static/site.css?v=1#x", "index.html", "/", "static/site.css"),
        ("https://example.jp/", "index.html", "/", None),
        ("//cdn.example/x.js", "index.html", "/", None),
        ("mailto:dx@example.jp", "index.html", "/", None),
        ("#main", "index.html", "/", None),
        # relative links, as a browser reads them from the page
        ("../static/site.css", "programs/index.html", "/", "static/site.css"),
        ("../", "programs/index.html", "/", "index.html"),
        ("..", "programs/index.html", "/dx-catalog/", "index.html"),
        ("./x/", "programs/index.html", "/", "programs/x/index.html"),
        ("../../x/", "programs/index.html", "/dx-catalog/", "../x/"),
        # "." and ".." in a rooted link are resolved too (a browser opens /about/)
        ("/programs/../about/", "index.html", "/", "about/index.html"),
        ("/dx-catalog/./programs/", "index.html", "/dx-catalog/", "programs/index.html"),
        ("/dx-catalog/../programs/", "index.html", "/dx-catalog/", "../programs/"),
        ("/dx-catalogue/", "index.html", "/dx-catalog/", "../dx-catalogue/"),
    ],
)
def test_resolve(href, page, base, target):
    assert resolve(href, page, base) == target


def html(*hrefs: str) -> bytes:
    return "".join(f'<a href="{h}">x</a>' for h in hrefs).encode("utf-8")


def test_broken_links_are_reported_per_page_in_japanese():
    files = (
        OutputFile("index.html", html("/programs/", "/missing/", "/missing/", "#top", "https://example.jp/")),
        OutputFile("programs/index.html", b'<img src="/static/logo.svg" alt="">'),
    )
    problems = check_links(files, sample_config())
    assert [(p.path, p.code) for p in problems] == [
        ("index.html", "broken-link"),
        ("programs/index.html", "broken-link"),
    ]
    assert "「/missing/」" in problems[0].message and "出力にありません" in problems[0].message


def test_links_outside_base_path_are_broken():
    files = (OutputFile("index.html", html("/programs/")), OutputFile("programs/index.html", b""))
    problems = check_links(files, sample_config("/dx-catalog/"))
    assert [p.format() for p in problems] == [
        "index.html:0:0: error[broken-link]: リンク「/programs/」はサイトの外（/dx-catalog/ の外）を指しています。base_path を含むURLにしてください"
    ]


def test_feeds_and_data_written_by_other_stages_count():
    files = (
        OutputFile("index.html", b'<link rel="alternate" href="/atom.xml"><a href="/data/programs.csv">csv</a>'),
        OutputFile("atom.xml", b"", "application/atom+xml"),
        OutputFile("data/programs.csv", b"", "text/csv"),
    )
    assert check_links(files, sample_config()) == ()


def test_every_link_of_a_page_is_read_as_written():
    """Single or double quotes, entities decoded (an &amp; in a query or a folder name)."""
    files = (
        OutputFile(
            "programs/index.html",
            b"<p><a class='x' href='/a&amp;b/'>a</a> <img alt=\"\" src=\"/logo.svg\">"
            b"<a href=\"../programs/\">self</a> <a href='/programs/'>same</a></p>",
        ),
    )
    problems = check_links(files, sample_config())
    assert [p.format() for p in problems] == [
        "programs/index.html:0:0: error[broken-link]: リンク「/a&b/」の行き先（a&b/index.html）が出力にありません",
        "programs/index.html:0:0: error[broken-link]: リンク「/logo.svg」の行き先（logo.svg）が出力にありません",
    ]


def test_a_link_written_twice_is_reported_once_and_the_next_still_checked():
    files = (OutputFile("programs/a/index.html", html("/x/", "/x/", "../b/", "/about/")),)
    problems = check_links(files, sample_config())
    assert [p.message for p in problems] == [
        "リンク「/x/」の行き先（x/index.html）が出力にありません",
        "リンク「../b/」の行き先（programs/b/index.html）が出力にありません",
        "リンク「/about/」の行き先（about/index.html）が出力にありません",
    ]


def test_a_relative_link_out_of_the_base_path_is_reported_as_outside():
    files = (OutputFile("index.html", html("../../other/")),)
    assert [p.message for p in check_links(files, sample_config("/dx-catalog/"))] == [
        "リンク「../../other/」はサイトの外（/dx-catalog/ の外）を指しています。base_path を含むURLにしてください"
    ]


def test_a_page_with_a_stray_byte_is_still_checked():
    """A byte that is not UTF-8 (a pasted fragment) does not stop the check of the page's links."""
    files = (OutputFile("index.html", b"<p>\xff</p>" + html("/missing/")),)
    assert [p.message for p in check_links(files, sample_config())] == [
        "リンク「/missing/」の行き先（missing/index.html）が出力にありません"
    ]


def test_the_builds_report_of_broken_links_names_each_page_sorted():
    """What a build prints: the pages' links as kept between builds, checked against every file made."""
    pages = [
        ("programs/a/index.html", (("/dx/missing/", "missing/index.html"), ("/other/", "../other/"))),
        ("index.html", (("/dx/programs/a/", "programs/a/index.html"), ("/dx/gone.csv", "gone.csv"))),
    ]
    assert [p.format() for p in site_links(pages, frozenset({"programs/a/index.html"}), "/dx/")] == [
        "index.html:0:0: error[broken-link]: リンク「/dx/gone.csv」の行き先（gone.csv）が出力にありません",
        "programs/a/index.html:0:0: error[broken-link]: リンク「/dx/missing/」の行き先（missing/index.html）が出力にありません",
        "programs/a/index.html:0:0: error[broken-link]: リンク「/other/」はサイトの外（/dx/ の外）を指しています。"
        "base_path を含むURLにしてください",
    ]
