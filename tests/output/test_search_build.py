"""The search index: Pagefind over the built site, reused when no indexed page changed,
and a failed index fails the build and leaves the previous site."""

from __future__ import annotations

import json
import stat
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import copy_minimal_project, write_files

from generator.config import BuildOptions
from generator.output import search
from generator.output.search import (
    FINGERPRINT_FILE,
    SearchIndexError,
    SearchStats,
    build_index,
    indexed_pages,
)
from generator.pipeline import build

REAL_PROJECT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)


def options(project: Path, output: Path, *, search_on: bool = True) -> BuildOptions:
    return BuildOptions(project=project, output=output, as_of=AS_OF, search=search_on)


def marked_pages(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if b"data-pagefind-body" in p.read_bytes() and p.name != "404.html" and "pagefind" not in p.parts
    }


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "site"
    result = build(options(REAL_PROJECT, out))
    assert result.ok, [p.format() for p in result.problems if p.is_error]
    return result, out


# --- the index of the real site ---


def test_real_site_index_has_every_marked_page(real_build):
    result, out = real_build
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.5.2"
    assert list(entry["languages"]) == ["und"]  # the bigram copies, in a language Pagefind does not segment
    # Every entry, archetype and content page, and nothing else (no index, taxonomy or 404 page).
    pages = marked_pages(out)
    assert entry["languages"]["und"]["page_count"] == len(pages) == real_page_count()
    assert "programs/chiiki-johoka-advisor/index.html" in pages
    assert "programs/index.html" not in pages


def real_page_count() -> int:
    """Pages with their own content in the real project: every entry and content page, and the archetypes."""
    content = REAL_PROJECT / "content"
    archetypes = yaml.safe_load((content / "archetypes.yaml").read_text(encoding="utf-8"))
    return len(list(content.glob("*/*.md"))) + len(archetypes)


def test_real_site_stats(real_build):
    result, out = real_build
    stats = result.search
    assert isinstance(stats, SearchStats)
    assert stats.pages == real_page_count()
    assert stats.reused is False
    on_disk = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file())
    assert stats.bytes == on_disk > 0
    assert stats.seconds > 0


def test_only_the_api_bundle_is_published(real_build):
    _, out = real_build
    names = {p.name for p in (out / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", FINGERPRINT_FILE} <= names
    assert not {n for n in names if "-ui." in n or n == "pagefind-highlight.js"}


def test_pages_keep_the_text_as_written(tmp_path):
    """NFKC is applied to the copies Pagefind reads, never to the published pages."""
    project = copy_minimal_project(tmp_path / "project")
    page = project / "content/programs/advisor.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("専門家を派遣します。", "ＤＸの専門家を派遣します。"), encoding="utf-8"
    )
    out = tmp_path / "site"
    assert build(options(project, out)).ok
    assert "ＤＸの専門家を派遣します。" in (out / "programs/advisor/index.html").read_text(encoding="utf-8")


# --- reuse ---


def touch_output_only(project: Path) -> None:
    """A change to the output that no indexed page shows: a new static file of the theme.

    (A build with no change at all does not run the writer or the indexer.)
    """
    write_files(project, {"themes/default/static/notice.txt": f"{len(list(project.rglob('*')))}\n"})


def test_unchanged_pages_reuse_the_index(tmp_path):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    first = build(options(project, out))
    assert first.ok and first.search.reused is False
    before = (out / "pagefind" / "pagefind-entry.json").stat().st_ino

    touch_output_only(project)
    second = build(options(project, out))
    assert second.ok and second.written > 0
    assert second.search.reused is True
    assert second.search.pages == first.search.pages
    assert second.search.bytes == first.search.bytes
    assert (out / "pagefind" / "pagefind-entry.json").stat().st_ino == before  # hard-linked, not rewritten


def test_a_changed_page_rebuilds_the_index(tmp_path):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(options(project, out)).ok
    role = project / "content/roles/cio-hosakan.md"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "月10時間ほど関わります。", "月10時間ほど関わります。オンライン会議が中心です。"
        ),
        encoding="utf-8",
    )
    again = build(options(project, out))
    assert again.ok
    assert again.search.reused is False


def test_a_different_base_path_rebuilds_the_index(tmp_path):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(options(project, out)).ok
    again = build(replace(options(project, out), base_path="/dx-catalog/"))
    assert again.ok
    assert again.search.reused is False


def test_a_damaged_previous_index_is_not_reused(tmp_path):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(options(project, out)).ok
    (out / "pagefind" / "pagefind.js").unlink()
    touch_output_only(project)
    again = build(options(project, out))
    assert again.ok
    assert again.search.reused is False
    assert (out / "pagefind" / "pagefind.js").is_file()


def test_no_search_builds_no_index(tmp_path):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    result = build(options(project, out, search_on=False))
    assert result.ok
    assert result.search is None
    assert not (out / "pagefind").exists()


# --- failures leave the previous site ---


def failing_pagefind(tmp_path: Path) -> Path:
    script = tmp_path / "fake-pagefind"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nprint('Error: the index could not be written', file=sys.stderr)\nsys.exit(1)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_failing_pagefind_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(options(project, out)).ok
    old_page = (out / "programs/advisor/index.html").read_bytes()
    old_entry = (out / "pagefind/pagefind-entry.json").read_bytes()

    page = project / "content/programs/advisor.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("専門家を派遣します。", "専門家を派遣します。新しい文です。"),
        encoding="utf-8",
    )
    fake = failing_pagefind(tmp_path)
    monkeypatch.setattr(search, "pagefind_executable", lambda: fake)
    result = build(options(project, out))

    assert result.ok is False
    assert [p.format() for p in result.problems if p.is_error] == [
        "pagefind:0:0: error[search-index]: 検索インデックスを作れませんでした: "
        "Pagefind が失敗しました（終了コード 1）: Error: the index could not be written"
    ]
    assert (out / "programs/advisor/index.html").read_bytes() == old_page
    assert (out / "pagefind/pagefind-entry.json").read_bytes() == old_entry
    # Only the spare (the writer's reusable previous site) may stay beside the output.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site") and p.name != ".site.spare") == []


def test_missing_pagefind_binary_fails_the_build(tmp_path, monkeypatch):
    project = copy_minimal_project(tmp_path / "project")
    out = tmp_path / "site"
    monkeypatch.setattr(search, "pagefind_executable", lambda: tmp_path / "no-such-pagefind")
    result = build(options(project, out))
    assert result.ok is False
    (problem,) = [p for p in result.problems if p.is_error]
    assert problem.code == "search-index"
    assert problem.message.startswith("検索インデックスを作れませんでした: Pagefind を起動できません")
    assert not out.exists()


def test_a_site_without_marked_pages_is_an_error(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html lang="ja"><body><main>本文</main></body></html>', encoding="utf-8")
    with pytest.raises(SearchIndexError) as caught:
        build_index(site, None)
    assert str(caught.value) == "検索の対象になるページ（data-pagefind-body のあるページ）が 1 つもありません"


def test_the_404_page_is_never_indexed(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    body = '<html lang="ja"><body><main data-pagefind-body><h1>見出し</h1></main></body></html>'
    (site / "404.html").write_text(body, encoding="utf-8")
    (site / "a/index.html").write_text(body, encoding="utf-8")
    (site / "b.html").write_text("<html><body>印のないページ</body></html>", encoding="utf-8")
    assert indexed_pages(site) == ("a/index.html",)


# --- the copies Pagefind reads ---


def test_pagefind_reads_bigram_copies_and_the_pages_stay_as_written(tmp_path, monkeypatch):
    """The copies in the scratch folder are search_text.index_copy of each page; the site is untouched."""
    from generator.output import search_text

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = '<html lang="ja"><body><main data-pagefind-body><h1>ＤＸ推進（モデル）</h1></main></body></html>'
    (site / "a/index.html").write_text(page, encoding="utf-8")
    seen = {}

    def fake_run(command, **kwargs):
        source = Path(command[command.index("--site") + 1])
        seen["copy"] = (source / "a/index.html").read_text(encoding="utf-8")
        seen["language"] = command[command.index("--force-language") + 1]
        raise OSError("stop here")

    monkeypatch.setattr(search.subprocess, "run", fake_run)
    with pytest.raises(SearchIndexError):
        build_index(site, None, executable=tmp_path / "pagefind")
    assert seen == {"copy": search_text.index_copy(page), "language": "und"}
    assert "<h1>dx 推 推進 進 モ モデ デル ル</h1>" in seen["copy"]
    assert (site / "a/index.html").read_text(encoding="utf-8") == page


def test_index_folder_collision_is_an_error(tmp_path):
    """A page that would land in pagefind/ (e.g. content/pages/pagefind.md) is refused before anything is written."""
    from datetime import date

    from generator.config import BuildOptions
    from generator.model import OutputFile
    from generator.output.writer import write_site

    out = tmp_path / "site"
    page = OutputFile("pagefind/index.html", "<main data-pagefind-body>本文</main>".encode())
    opts = BuildOptions(project=tmp_path, output=out, as_of=date(2026, 11, 26))
    result = write_site((page,), opts, index=lambda work, previous: pytest.fail("the indexer must not run"))
    assert [p.code for p in result.problems] == ["unsafe-path"]
    assert "「pagefind/」があります" in result.problems[0].message
    assert not out.exists()


def test_scratch_copies_are_removed_after_a_failure(tmp_path):
    scratch_dirs = [Path(tempfile.gettempdir()), Path("/dev/shm")]
    before = {p for d in scratch_dirs if d.is_dir() for p in d.glob("catalog-search-*")}
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<main data-pagefind-body>本文</main>", encoding="utf-8")
    with pytest.raises(SearchIndexError):
        build_index(site, None, executable=failing_pagefind(tmp_path))
    assert {p for d in scratch_dirs if d.is_dir() for p in d.glob("catalog-search-*")} == before


def test_cli_exits_3_when_the_indexer_fails(tmp_path, monkeypatch, capsys):
    from generator.cli import EXIT_FAILED, main

    project = copy_minimal_project(tmp_path / "project")
    monkeypatch.setattr(search, "pagefind_executable", lambda: failing_pagefind(tmp_path))
    code = main(
        ["build", "--project", str(project), "--output", str(tmp_path / "site"), "--as-of", "2026-11-26", "--quiet"]
    )
    assert code == EXIT_FAILED
    err = capsys.readouterr().err
    assert (
        "pagefind:0:0: error[search-index]: 検索インデックスを作れませんでした: Pagefind が失敗しました（終了コード 1）"
        in err
    )
    assert not (tmp_path / "site").exists()
