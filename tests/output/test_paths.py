"""No slug, tag, provider, prefecture, link or template can make the build write
outside its output folder or read outside the project and its theme folders."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import check_lines, copy_minimal_project, write_files

from generator.config import BuildOptions
from generator.content.link import TERM_SLUG_MAX_BYTES, term_slug
from generator.output.writer import safe_relative
from generator.pipeline import build

AS_OF = date(2026, 11, 26)
ACCESSIBILITY = "---\ntitle: アクセシビリティ方針\nsummary: 方針です。\n---\n本文です。\n"

HOSTILE_TERMS = (
    "../../etc",
    "..",
    ".",
    "/abs",
    "/",
    "a/b",
    "a\\b",
    "..\\..\\windows",
    "%2e%2e",
    "..%2f..%2fetc",
    "~root",
    "?q=1#frag",
    "index.html",
    "-",
    "_",
    "a\u2028b",
    "ｐｒｏｖｉｄｅｒ",
    "x" * 300,
    "長" * 100,
    "長" * 99 + "野",
)


def build_project(project: Path, out: Path):
    return build(BuildOptions(project=project, output=out, as_of=AS_OF, search=False))


def all_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.parametrize("term", HOSTILE_TERMS, ids=lambda t: repr(t[:20]))
def test_term_slug_is_one_safe_path_segment(term: str) -> None:
    slug = term_slug(term)
    assert re.fullmatch(r"[\w-]+", slug), slug
    assert slug not in {".", ".."} and not slug.startswith(("-", "_"))
    assert len(slug.encode("utf-8")) <= TERM_SLUG_MAX_BYTES
    assert safe_relative(f"tags/{slug}/index.html").parts == ("tags", slug, "index.html")


def test_long_terms_with_the_same_beginning_keep_their_own_pages() -> None:
    first, second = "長" * 99 + "野", "長" * 99 + "県"
    assert term_slug(first) != term_slug(second)
    assert term_slug(first) == term_slug(first)
    assert term_slug(first).startswith("長" * 20)


def test_terms_that_differ_only_in_width_or_case_share_a_page() -> None:
    assert term_slug("ｐｒｏｖｉｄｅｒ") == term_slug("PROVIDER") == term_slug("provider") == "provider"


def test_hostile_providers_and_tags_are_written_inside_the_output(tmp_path: Path) -> None:
    project = copy_minimal_project(tmp_path / "project")
    providers = [t for t in HOSTILE_TERMS]
    tags = [t for t in HOSTILE_TERMS if len(t) <= 40]
    path = project / "content/programs/advisor.md"
    text = path.read_text(encoding="utf-8").replace(
        "provider:\n  - 総務省", f"provider: {json.dumps(providers, ensure_ascii=False)}"
    )
    write_files(
        project,
        {
            "content/programs/advisor.md": text.replace(
                "kinds:", f"tags: {json.dumps(tags, ensure_ascii=False)}\nkinds:"
            ),
            "content/pages/accessibility.md": ACCESSIBILITY,
        },
    )
    before = all_files(tmp_path)
    out = tmp_path / "site"
    result = build_project(project, out)
    assert result.ok, [p.format() for p in result.problems]
    after = all_files(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(("site/", "project/.catalog-cache/"))} == before
    for taxonomy, terms in (("providers", providers), ("tags", tags)):
        pages = {p.parent.name for p in (out / taxonomy).glob("*/index.html")}
        assert pages == {term_slug(t) for t in terms}
    for written in out.rglob("*"):
        assert written.resolve().is_relative_to(out.resolve())
        assert len(written.name.encode("utf-8")) <= 255


def test_a_nul_in_a_tag_is_refused(tmp_path: Path) -> None:
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/programs/advisor.md"
    path.write_text(path.read_text(encoding="utf-8").replace("kinds:", 'tags: ["a\\u0000b"]\nkinds:'), encoding="utf-8")
    assert check_lines(project) == [
        'content/programs/advisor.md:7:8: error[control-character]: 値に使えない制御文字（U+0000）が含まれています。"…" の中の \\x や \\u による書き方も使えません'
    ]


@pytest.mark.parametrize("name", ["../../etc/県", "/etc/県", "長野県/../../県", "..県"])
def test_prefectures_must_be_real_prefectures(tmp_path: Path, name: str) -> None:
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/cases/sharing.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "prefecture: 愛媛県", f"prefecture: {json.dumps(name, ensure_ascii=False)}"
        ),
        encoding="utf-8",
    )
    assert check_lines(project) == [
        f"content/cases/sharing.md:4:1: error[invalid-value]: 「{name}」は都道府県名ではありません（例: 長野県、東京都、大阪府、北海道）"
    ]


LINKS_OUT = (
    "../../../../etc/passwd.md",
    "/etc/passwd.md",
    "../programs/../../../x.md",
    "%2e%2e/%2e%2e/etc/passwd.md",
    "..%2f..%2fetc%2fpasswd.md",
    "../programs/advisor.md/../../../../etc/passwd.md",
    "../pages/../../../etc/passwd.md",
    "../../content/programs/advisor.md/../../../etc/passwd.md",
)


@pytest.mark.parametrize("href", LINKS_OUT)
def test_markdown_links_outside_the_content_are_errors(tmp_path: Path, href: str) -> None:
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/programs/advisor.md"
    path.write_text(path.read_text(encoding="utf-8") + f"[秘密]({href})\n", encoding="utf-8")
    assert check_lines(project) == [
        f"content/programs/advisor.md:30:6: error[unknown-link]: リンク先「{href}」は項目のファイルではありません。../programs/ファイル名.md のように書いてください"
    ]


def test_a_link_with_a_file_scheme_is_dropped_not_read(tmp_path: Path) -> None:
    project = copy_minimal_project(tmp_path / "project")
    (tmp_path / "secret.md").write_text("SECRET", encoding="utf-8")
    path = project / "content/programs/advisor.md"
    write_files(
        project,
        {
            "content/programs/advisor.md": path.read_text(encoding="utf-8") + f"[秘密](file://{tmp_path}/secret.md)\n",
            "content/pages/accessibility.md": ACCESSIBILITY,
        },
    )
    result = build_project(project, tmp_path / "site")
    assert result.ok, [p.format() for p in result.problems]
    page = (tmp_path / "site/programs/advisor/index.html").read_text(encoding="utf-8")
    assert "<a>秘密</a>" in page
    assert not any(b"SECRET" in data for data in all_files(tmp_path / "site").values())


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd",
        "../../../secret.txt",
        "/etc/passwd",
        "..\\..\\..\\secret.txt",
        "base.html/../../../../secret.txt",
    ],
)
def test_a_theme_template_cannot_include_files_outside_the_theme(tmp_path: Path, name: str) -> None:
    project = copy_minimal_project(tmp_path / "project")
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    write_files(
        project,
        {
            "content/pages/accessibility.md": ACCESSIBILITY,
            "themes/default/templates/page.html": '{% extends "base.html" %}{% block content %}{% include "'
            + name.replace("\\", "\\\\")
            + '" %}{% endblock %}\n',
        },
    )
    out = tmp_path / "site"
    result = build_project(project, out)
    assert not result.ok and not out.exists()
    assert [p.format() for p in result.problems] == [
        f"themes/default/templates/page.html:1:0: error[template-error]: テンプレート「{name}」が見つかりません（ページ {page}/index.html）"
        for page in ("about", "accessibility")
    ]


@pytest.mark.parametrize("part, name", [("static", "leak.txt"), ("templates", "evil.html"), ("static", "css")])
def test_symbolic_links_out_of_the_theme_are_refused(tmp_path: Path, part: str, name: str) -> None:
    """Without this the build would copy any readable file (a CI secret, ~/.ssh) into the site."""
    project = copy_minimal_project(tmp_path / "project")
    secret = tmp_path / "outside"
    (secret / "css").mkdir(parents=True)
    (secret / "secret.txt").write_text("SECRET", encoding="utf-8")
    (secret / "css" / "site.css").write_text("SECRET", encoding="utf-8")
    write_files(project, {"content/pages/accessibility.md": ACCESSIBILITY})
    folder = project / "themes/default" / part
    folder.mkdir(parents=True)
    target = secret / ("css" if name == "css" else "secret.txt")
    os.symlink(target, folder / name)
    out = tmp_path / "site"
    result = build_project(project, out)
    assert not result.ok and not out.exists()
    shown = f"themes/default/{part}/{name}"
    problems = [p.format() for p in result.problems]
    assert problems[0] == (
        f"{shown}:0:0: error[unsafe-path]: テーマのフォルダの外を指すシンボリックリンク「{name}」は使えません。ファイルをテーマのフォルダに置いてください"
    )


def test_symbolic_links_inside_the_theme_are_fine(tmp_path: Path) -> None:
    project = copy_minimal_project(tmp_path / "project")
    write_files(
        project, {"content/pages/accessibility.md": ACCESSIBILITY, "themes/default/static/img/logo.svg": "<svg/>"}
    )
    os.symlink("img/logo.svg", project / "themes/default/static/logo.svg")
    result = build_project(project, tmp_path / "site")
    assert result.ok, [p.format() for p in result.problems]
    assert (tmp_path / "site/static/logo.svg").read_text(encoding="utf-8") == "<svg/>"


def test_a_committed_cache_link_does_not_make_the_build_write_elsewhere(tmp_path: Path) -> None:
    project = copy_minimal_project(tmp_path / "project")
    write_files(project, {"content/pages/accessibility.md": ACCESSIBILITY})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(project / ".catalog-cache", ignore_errors=True)  # in case the fixture folder has one
    os.symlink(elsewhere, project / ".catalog-cache")
    result = build_project(project, tmp_path / "site")
    assert result.ok, [p.format() for p in result.problems]
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("linked", ["themes", "themes/default", "themes/default/static"])
def test_a_theme_folder_linked_out_of_the_project_is_refused(tmp_path: Path, linked: str) -> None:
    project = copy_minimal_project(tmp_path / "project")
    write_files(project, {"content/pages/accessibility.md": ACCESSIBILITY})
    below = "themes/default/static"[len(linked) + 1 :]  # what the link's target holds of the theme path
    outside = tmp_path / "home"
    write_files(outside, {f"{below}/id_rsa".lstrip("/"): "SECRET"})
    (project / linked).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, project / linked)
    out = tmp_path / "site"
    result = build_project(project, out)
    assert not result.ok and not out.exists()
    folder = "themes/default/static"
    assert [p.format() for p in result.problems][0] == (
        f"{folder}:0:0: error[unsafe-path]: テーマのフォルダ「{folder}」がプロジェクトの外を指しています。シンボリックリンクではなくフォルダを置いてください"
    )
