"""The fast preview end to end: `.venv/bin/catalog serve` started as the README starts it (no extra
flags: port 8000, the search index on) in a copy of the project, then edits as an editor makes them —
in a text editor and through the editor's /admin/ backend. No timing is asserted: the terminal says
which way each change was answered, and the pages served say what they show."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from terminal import Served, fetch, port_8000_in_use, scratch_project

PREVIEW = "http://127.0.0.1:8000/"
SOURCE = "content/programs/chiiki-johoka-advisor.md"
PAGE = PREVIEW + "programs/chiiki-johoka-advisor/"
UPDATED = "検索とデータファイルを更新しました"


def until(check: Callable[[], object], what: str, tries: int = 600) -> None:
    """Poll ``check`` (an answer is at most a few seconds away; bounded for a broken server)."""
    for _ in range(tries):
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not seen: {what}")


def search_index_is_whole() -> str:
    """The entry file of the served search index, after checking that every shard's metadata file it
    names is served too (a half-written index would name files that are not there yet)."""
    status, shards = fetch(PREVIEW + "pagefind/catalog-shards.json")
    assert status == 200, shards
    entries = []
    for shard in json.loads(shards)["shards"]:
        folder = PREVIEW + "pagefind/" + (shard["folder"] + "/" if shard["folder"] else "")
        status, entry = fetch(folder + "pagefind-entry.json")
        assert status == 200, (shard, entry)
        for language in json.loads(entry)["languages"].values():
            with urllib.request.urlopen(f"{folder}pagefind.{language['hash']}.pf_meta", timeout=10) as meta:
                assert meta.status == 200 and meta.read()
        entries.append(entry)
    return "\n".join(entries)


def state() -> dict[str, Any]:
    return dict(json.loads(fetch(PREVIEW + "_catalog/problems.json")[1]))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Served]]:
    if port_8000_in_use():
        message = "port 8000 is in use by another program: the README's preview cannot start as written"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    project = scratch_project(tmp_path / "project")
    preview = Served(".venv/bin/catalog serve", project)
    try:
        preview.wait_for(lambda line: line.startswith(f"プレビュー: {PREVIEW}"))
        yield project, preview
    finally:
        code = preview.ctrl_c()
        assert code == 0, "\n".join(preview.seen)
        assert not port_8000_in_use()


def test_an_edit_is_served_from_memory_then_search_follows_whole_and_a_slip_keeps_the_last_good_page(
    served: tuple[Path, Served],
) -> None:
    project, preview = served
    source = project / SOURCE
    good = source.read_text("utf-8")
    index_before = search_index_is_whole()

    # An edit of the body: answered from memory (the terminal says so), the page shows it.
    source.write_text(good + "\n速いプレビューで確かめた一文です。\n", "utf-8")
    answered = preview.wait_for(lambda line: line.startswith("ビルド 2:"))
    assert "ページを描き直し" in answered and "検索とデータファイルはこのあと更新します" in answered
    assert "速いプレビューで確かめた一文です。" in fetch(PAGE)[1]

    # Meanwhile the search index is the previous one, whole, until the new one is swapped in whole.
    seen = []
    until(lambda: seen.append(search_index_is_whole()) or not state()["pending"], "the background build")
    preview.wait_for(lambda line: line.startswith(UPDATED))
    index_after = search_index_is_whole()
    assert index_after != index_before and set(seen) <= {index_before, index_after}
    status, data = fetch(PREVIEW + "data/programs.json")
    assert status == 200 and "速いプレビューで確かめた一文です。" in data

    # A slip: the overlay's problems say where; the page stays the last good one.
    slipped = good.replace("level: national", "level:national", 1) + "\n保存されない一文です。\n"
    source.write_text(slipped, "utf-8")
    preview.wait_for(lambda line: "error[yaml-syntax]" in line)
    until(lambda: not state()["ok"], "the problems")
    problems = state()["problems"]
    assert [(p["path"], p["code"]) for p in problems] == [(SOURCE, "yaml-syntax")]
    body = fetch(PAGE)[1]
    assert "速いプレビューで確かめた一文です。" in body and "保存されない一文です。" not in body

    # Another file edited while the slip is there: refused too, as `catalog build` refuses it.
    other = project / "content/programs/keiei-zaimu-management.md"
    other_good = other.read_text("utf-8")
    other.write_text(other_good + "\n別のファイルの一文です。\n", "utf-8")
    preview.wait_for(lambda line: line.startswith("問題があるため"))
    assert "別のファイルの一文です。" not in fetch(PREVIEW + "programs/keiei-zaimu-management/")[1]

    # The fix: both edits are served, the problems are gone.
    source.write_text(good + "\n直したあとの一文です。\n", "utf-8")
    preview.wait_for(lambda line: line.startswith("直った問題"))
    until(lambda: state()["ok"], "the fix")
    assert "直したあとの一文です。" in fetch(PAGE)[1]
    assert "別のファイルの一文です。" in fetch(PREVIEW + "programs/keiei-zaimu-management/")[1]


def test_an_added_file_and_a_template_change_run_a_full_build(served: tuple[Path, Served]) -> None:
    project, preview = served
    advisor = (project / SOURCE).read_text("utf-8")
    (project / "content/programs/new-program.md").write_text(
        advisor.replace("title: 地域情報化アドバイザー制度", "title: 新しく足した制度", 1), "utf-8"
    )
    answered = preview.wait_for(lambda line: line.startswith("ビルド 2:"))
    assert "ページを描き直し" not in answered  # a full build
    assert "新しく足した制度" in fetch(PREVIEW + "programs/new-program/")[1]
    (project / "content/programs/new-program.md").unlink()
    preview.wait_for(lambda line: line.startswith("ビルド 3:"))
    assert fetch(PREVIEW + "programs/new-program/")[0] == 404
    # After a full build the content is in memory again: the next edit is answered from it.
    source = project / SOURCE
    source.write_text(advisor + "\nまた速くなった一文です。\n", "utf-8")
    assert "ページを描き直し" in preview.wait_for(lambda line: line.startswith("ビルド 4:"))
    assert "また速くなった一文です。" in fetch(PAGE)[1]


def test_a_save_in_the_editor_is_served_from_memory(served: tuple[Path, Served]) -> None:
    project, preview = served
    old = (project / SOURCE).read_text("utf-8")
    raw = old + "\n編集画面から保存した一文です。\n"
    body = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"slug": "chiiki-johoka-advisor", "path": SOURCE, "raw": raw}],
            "assets": [],
            "options": {"commitMessage": "x", "useWorkflow": False, "status": ""},
        },
    }
    request = urllib.request.Request(
        PREVIEW + "api/v1", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200
    assert "ページを描き直し" in preview.wait_for(lambda line: line.startswith("ビルド 2:"))
    assert "編集画面から保存した一文です。" in fetch(PAGE)[1]
