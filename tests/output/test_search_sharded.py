"""A site whose search index is split into shards (a tiny shard limit): the index folders,
the search page merging them in the browser, and an edit that re-indexes only its shards."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import SiteServer, build_site, launch_chromium, watch
from conftest import copy_minimal_project, write_files
from search_pages import found_count, indexed_pages, result_urls, search_for, wait_for_answer

from generator import pipeline
from generator.config import BuildOptions
from generator.output.search import FINGERPRINT_FILE, MANIFEST_FILE, build_index
from generator.output.search_shards import plan_shards
from generator.pipeline import build

LIMIT = 2
WORD = "shardcheck"
"""A word only the cloned entries contain."""

PROGRAMS = {
    "advisor-b": ("2026-05-01", "engineer"),
    "advisor-c": ("2026-02-01", "producer"),
    "advisor-d": ("2025-11-01", "engineer"),
}
ROLES = {
    "role-b": ("2026-04-01", "engineer"),
    "role-c": ("2026-01-01", "engineer"),
    "role-d": ("2025-10-01", "producer"),
}
"""Slug → (updated, archetype): dates interleave across collections, so a sorted list must merge shards."""


def sharded_project(dest: Path) -> Path:
    project = copy_minimal_project(dest)
    program = (project / "content/programs/advisor.md").read_text(encoding="utf-8")
    role = (project / "content/roles/cio-hosakan.md").read_text(encoding="utf-8")
    files = {}
    for slug, (updated, archetype) in PROGRAMS.items():
        text = program.replace("title: アドバイザー制度", f"title: アドバイザー制度{slug[-1].upper()}")
        text = text.replace('updated: "2026-06-01"', f'updated: "{updated}"').replace(
            "  - producer", f"  - {archetype}"
        )
        files[f"content/programs/{slug}.md"] = text + f"\n{WORD} の確認です。\n"
    for slug, (updated, archetype) in ROLES.items():
        text = role.replace("title: CIO補佐官（モデル）", f"title: CIO補佐官{slug[-1].upper()}（モデル）")
        text = text.replace('updated: "2026-06-01"', f'updated: "{updated}"').replace(
            "archetype: producer", f"archetype: {archetype}"
        )
        files[f"content/roles/{slug}.md"] = text + f"\n{WORD} の確認です。\n"
    write_files(project, files)
    return project


def shard_index(site: Path, previous: Path | None = None):
    return build_index(site, previous, shard_limit=LIMIT, split_from=0)


def fragment_urls(folder: Path) -> set[str]:
    urls = set()
    for fragment in (folder / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    project = sharded_project(tmp_path_factory.mktemp("sharded") / "project")
    site = build_site(project, project.parent / "site")  # one index, as a small site has
    stats = shard_index(site, None)  # then split, as a large site would be
    return site, stats


# --- the index folders ---


def test_the_index_is_split_by_collection_and_by_hash(sharded_site):
    site, stats = sharded_site
    pages = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("index.html") if b"data-pagefind-body" in p.read_bytes()
    )
    assert len(pages) == 14  # 4 programs, 4 roles, a case, a partner, 2 archetypes, about, accessibility
    names = [s.name for s in plan_shards(tuple(pages), limit=LIMIT, split_from=0)]
    assert stats.shards == tuple(names)
    assert stats.reused_shards == () and stats.reused is False
    assert stats.pages == len(pages)
    manifest = json.loads((site / "pagefind" / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["shards"]] == names
    assert sum(s["pages"] for s in manifest["shards"]) == len(pages)
    for shard in manifest["shards"]:
        folder = site / "pagefind" / shard["folder"]
        assert (folder / "pagefind.js").is_file() and (folder / FINGERPRINT_FILE).is_file()
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["und"]["page_count"] == shard["pages"]
        collection = shard["name"].rsplit("-", 1)[0]
        if collection in ("programs", "partners", "cases", "roles"):
            # Each shard holds its collection's pages only.
            assert {url.split("/")[1] for url in fragment_urls(folder)} == {collection}
    assert sum(s["sort"]["updated"][0][1] > 0 for s in manifest["shards"]) == len(manifest["shards"])
    # The pages outside the collections were split too, so the root holds no index of its own:
    # the single index the first build made there is gone.
    assert "other" not in names
    nested = {s["folder"].rstrip("/") for s in manifest["shards"]}
    assert {p.name for p in (site / "pagefind").iterdir()} == {MANIFEST_FILE, *nested}


def test_the_split_site_has_several_shards_per_collection(sharded_site):
    _, stats = sharded_site
    assert sum(name.startswith("programs-") for name in stats.shards) >= 2
    assert sum(name.startswith("roles-") for name in stats.shards) >= 2


# --- the search page merges the shards ---


@pytest.fixture(scope="module")
def served(sharded_site):
    site, _ = sharded_site
    with SiteServer(site) as server, launch_chromium() as browser:
        yield server, site, browser


@pytest.fixture
def tab(served):
    _, _, browser = served
    context = browser.new_context(locale="ja-JP")
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_a_query_finds_pages_of_every_shard_newest_first(served, tab):
    server, site, _ = served
    seen = watch(tab, server.origin)
    pages = indexed_pages(site)
    tab.goto(f"{server.origin}/search/?q={WORD}&sort=updated")
    status = wait_for_answer(tab, WORD)
    found = result_urls(tab)
    expected = {f"/programs/{slug}/" for slug in PROGRAMS} | {f"/roles/{slug}/" for slug in ROLES}
    assert found_count(status) == len(found) == 6 and set(found) == expected
    manifest = json.loads((site / "pagefind" / MANIFEST_FILE).read_text(encoding="utf-8"))
    holders = {
        s["name"]
        for s in manifest["shards"]
        for url in fragment_urls(site / "pagefind" / s["folder"])
        if url in expected
    }
    assert len(holders) >= 3  # the results come from several shards
    # 更新日の新しい順, across the shards: programs and roles interleave.
    assert [pages[url].sort for url in found] == [
        "2026-05-01",
        "2026-04-01",
        "2026-02-01",
        "2026-01-01",
        "2025-11-01",
        "2025-10-01",
    ]
    assert seen.problems() == []


@pytest.mark.browser
def test_facet_counts_add_up_across_shards(served, tab):
    server, site, _ = served
    seen = watch(tab, server.origin)
    pages = indexed_pages(site)
    tab.goto(server.origin + "/search/")
    search_for(tab, WORD)
    expected = {
        url
        for url, page in pages.items()
        if WORD in "".join(page.text) and "エンジニア" in page.filters.get("人材像", ())
    }
    assert {url.split("/")[1] for url in expected} == {"programs", "roles"}
    label = tab.locator("label", has_text=re.compile("^エンジニア（"))
    assert label.text_content() == f"エンジニア（{len(expected)}件）" == "エンジニア（4件）"
    before = tab.locator("[data-search-status]").text_content()
    tab.get_by_role("checkbox", name=re.compile("^エンジニア")).check()
    status = wait_for_answer(tab, WORD, after=before)
    assert found_count(status) == 4 and set(result_urls(tab)) == expected
    assert seen.problems() == []


@pytest.mark.browser
def test_a_facet_alone_lists_every_shard_newest_first(served, tab):
    server, site, _ = served
    pages = indexed_pages(site)
    tab.goto(f"{server.origin}/search/?{quote('種別')}={quote('人材の役割')}")
    status = wait_for_answer(tab)
    found = result_urls(tab)
    assert found_count(status) == 4
    assert found == ["/roles/cio-hosakan/", "/roles/role-b/", "/roles/role-c/", "/roles/role-d/"]
    assert [pages[url].sort for url in found] == ["2026-06-01", "2026-04-01", "2026-01-01", "2025-10-01"]


# --- an edit re-indexes only its shards ---


def test_an_edit_reindexes_only_the_shards_of_the_changed_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(
        pipeline,
        "search_indexer",
        lambda language: (
            lambda site, previous: build_index(site, previous, language=language, shard_limit=LIMIT, split_from=0)
        ),
    )
    project = sharded_project(tmp_path / "project")
    out = tmp_path / "site"
    options = BuildOptions(project=project, output=out, as_of=date(2026, 11, 26), search=True)
    first = build(options)
    assert first.ok and first.search.reused_shards == ()
    entries = {
        name: (out / "pagefind" / folder / "pagefind-entry.json").stat().st_ino
        for name, folder in _folders(out).items()
    }
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("index.html")}

    role = project / "content/roles/role-c.md"
    role.write_text(
        role.read_text(encoding="utf-8").replace("の確認です。", "の確認です。オンラインで関わります。"),
        encoding="utf-8",
    )
    second = build(options)
    assert second.ok
    changed = {
        rel for rel, data in before.items() if (out / rel).read_bytes() != data and b"data-pagefind-body" in data
    }
    assert changed == {"roles/role-c/index.html"}
    indexed = tuple(sorted(rel for rel, data in before.items() if b"data-pagefind-body" in data))
    shard_of = {page: s.name for s in plan_shards(indexed, limit=LIMIT, split_from=0) for page in s.pages}
    reindexed = set(second.search.shards) - set(second.search.reused_shards)
    assert reindexed == {shard_of["roles/role-c/index.html"]}
    assert second.search.shards == first.search.shards and second.search.reused is False
    # The other shards were hard-linked from the previous build, not written again.
    for name, folder in _folders(out).items():
        same = (out / "pagefind" / folder / "pagefind-entry.json").stat().st_ino == entries[name]
        assert same == (name not in reindexed), name
    # The new word is found.
    assert "オンライン" in (out / "roles/role-c/index.html").read_text(encoding="utf-8")


def _folders(site: Path) -> dict[str, str]:
    manifest = json.loads((site / "pagefind" / MANIFEST_FILE).read_text(encoding="utf-8"))
    return {s["name"]: s["folder"] for s in manifest["shards"]}


def test_the_build_line_says_how_many_shards_were_indexed(tmp_path, monkeypatch, capsys):
    from generator.cli import main

    monkeypatch.setattr(
        pipeline,
        "search_indexer",
        lambda language: lambda site, previous: build_index(site, previous, language=language, split_from=0),
    )
    project = copy_minimal_project(tmp_path / "project")
    argv = ["build", "--project", str(project), "--output", str(tmp_path / "site"), "--as-of", "2026-11-26"]
    assert main(argv) == 0
    assert "（索引 5 個のうち 5 個を作成、" in capsys.readouterr().err
    role = project / "content/roles/cio-hosakan.md"
    role.write_text(role.read_text(encoding="utf-8") + "\nオンライン会議が中心です。\n", encoding="utf-8")
    assert main(argv) == 0
    assert "（索引 5 個のうち 1 個を作成、" in capsys.readouterr().err
    write_files(project, {"themes/default/static/notice.txt": "a file no indexed page shows\n"})
    assert main(argv) == 0
    assert "（索引 5 個とも再利用）" in capsys.readouterr().err
