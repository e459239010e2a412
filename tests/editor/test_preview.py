"""The dev server's preview in memory (generator/serve/preview.py, pages.py, state.py): what a change
is, what an edit touches, what is rendered again, and what the server then serves."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CHECK_AS_OF, copy_minimal_project, write_files

from generator.config import BuildOptions
from generator.content.discover import SourceFile, discover, read_entry
from generator.pipeline import build
from generator.render.templates import make_environment
from generator.serve.handler import overlay_path
from generator.serve.pages import (
    broken,
    changed_pages,
    output_paths,
    render_pages,
    tree_changes,
)
from generator.serve.preview import (
    Applied,
    Changes,
    Model,
    Refused,
    apply,
    classify,
    patch,
    prime,
    touched,
)
from generator.serve.state import LiveState, Snapshot

CASE = "content/cases/sharing.md"
PROGRAM = "content/programs/advisor.md"


def options_for(project: Path) -> BuildOptions:
    return BuildOptions(project=project, output=project / "site", as_of=CHECK_AS_OF, search=False).preview(
        "http://127.0.0.1:8000/", project / "site"
    )


def model_of(project: Path, paths: frozenset[str] = frozenset()) -> Model:
    env, problems = make_environment(project)
    assert env is not None and not problems
    model = prime(options_for(project), discover(project), paths, env)
    assert isinstance(model, Model), model
    return model


def edit(project: Path, rel: str, old: str, new: str) -> SourceFile:
    path = project / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    read = read_entry(project, rel)
    assert isinstance(read, SourceFile)
    return read


def applied(model: Model, *sources: SourceFile) -> Applied:
    result = apply(model, sources)
    assert isinstance(result, Applied), result
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_minimal_project(tmp_path / "project")


# --- what a change is -----------------------------------------------------------------------------


def test_an_edit_of_known_entry_files_is_answered_from_memory(project: Path) -> None:
    model = model_of(project)
    paths = [project / CASE, project / PROGRAM, project / CASE]
    assert classify(model, project, paths) == Changes(edited=(CASE, PROGRAM))


@pytest.mark.parametrize(
    "files, changed",
    [
        ({"content/cases/new.md": "---\ntitle: x\n---\n"}, "content/cases/new.md"),  # added
        ({CASE: None}, CASE),  # deleted
        ({}, "content/site.yaml"),
        ({}, "content/archetypes.yaml"),
        ({"themes/default/templates/base.html": "x"}, "themes/default/templates/base.html"),
        ({"content/cases/notes.txt": "x"}, "content/cases/notes.txt"),  # discovery warns about it
    ],
)
def test_everything_else_needs_a_full_build(project: Path, files: dict[str, str | None], changed: str) -> None:
    model = model_of(project)
    write_files(project, files)
    assert classify(model, project, [project / CASE, project / changed]) == Changes(full=True)


def test_an_editors_scratch_file_that_came_and_went_is_ignored(project: Path) -> None:
    model = model_of(project)
    assert (
        classify(model, project, [project / "content/cases/.sharing.md.swp", project / "content/cases/sedX1b2"])
        == Changes()
    )
    write_files(project, {"content/cases/.sharing.md.swp": "vim", "content/.DS_Store": "x"})  # still there: never read
    assert classify(
        model, project, [project / "content/cases/.sharing.md.swp", project / "content/.DS_Store", project / CASE]
    ) == Changes((CASE,))
    assert classify(None, project, [project / CASE]) == Changes(full=True)


# --- the model after an edit ------------------------------------------------------------------------


def test_a_body_edit_patches_the_linked_site_instead_of_linking_again(project: Path) -> None:
    model = model_of(project)
    result = applied(model, edit(project, CASE, "本文です。", "本文を書き換えました。"))
    site = result.model.site
    assert result.edited == ("cases/sharing",)
    assert site.index["cases/sharing"].body.strip() == "本文を書き換えました。"
    assert site.cases[0] is site.index["cases/sharing"]
    assert site.backlinks is model.site.backlinks and site.taxonomies is model.site.taxonomies  # not linked again
    assert result.model.hashes["cases/sharing"] != model.hashes["cases/sharing"]
    assert model.site.index["cases/sharing"].body.strip() == "本文です。"  # the old model is a value


def test_a_title_edit_links_again(project: Path) -> None:
    model = model_of(project)
    result = applied(model, edit(project, PROGRAM, "title: アドバイザー制度", "title: 新しい名前の制度"))
    assert result.model.site.backlinks is not model.site.backlinks
    assert result.model.site.index["programs/advisor"].title == "新しい名前の制度"


def test_a_new_body_link_links_again_and_the_linked_entry_lists_it(project: Path) -> None:
    model = model_of(project)
    source = edit(
        project, "content/roles/cio-hosakan.md", "\n---\n", "\n---\n[事例](../cases/sharing.md)を参考にしました。\n"
    )
    assert patch(model.site, [(model.files[source.path], applied(model, source).model.files[source.path])]) is None
    site = applied(model, source).model.site
    assert site.mentions["cases/sharing"] == {"roles": ("roles/cio-hosakan",)}


def test_an_edit_with_an_error_is_refused_with_every_problem(project: Path) -> None:
    model = model_of(project)
    result = apply(model, [edit(project, CASE, "title: 人材シェアリングの事例", "title:人材シェアリングの事例")])
    assert isinstance(result, Refused)
    assert [p.format() for p in result.problems if p.is_error] == [
        "content/cases/sharing.md:2:6: error[yaml-syntax]: YAML の書き方に誤りがあります: 「:」の後に半角スペースがありません。"
        "「title: 人材シェアリングの事例」のように書いてください"
    ]


def test_a_reference_an_edit_breaks_is_refused_as_a_build_refuses_it(project: Path) -> None:
    model = model_of(project)
    result = apply(model, [edit(project, CASE, "  - advisor", "  - no-such-program")])
    assert isinstance(result, Refused)
    assert [p.format() for p in result.problems if p.is_error] == [
        "content/cases/sharing.md:10:5: error[unknown-reference]: 参照先 content/programs/no-such-program.md がありません"
    ]


# --- what an edit touches and what is rendered again -----------------------------------------------


def test_a_case_body_edit_touches_its_page_the_pages_that_list_it_and_the_site_summaries(project: Path) -> None:
    model = model_of(project)
    result = applied(model, edit(project, CASE, "本文です。", "本文を書き換えました。"))
    prints, routes = touched(model, result.model)
    assert [r.output_path for r in routes] == [
        "index.html",  # the summaries of the whole site are rendered after every edit
        "programs/advisor/index.html",  # lists the case (it names the program)
        "partners/example-corp/index.html",
        "cases/index.html",
        "cases/sharing/index.html",
        "archetypes/index.html",
        "archetypes/producer/index.html",
        "providers/index.html",
        "kinds/index.html",
        "prefectures/index.html",
        "prefectures/ehime/index.html",
        "models/index.html",
        "models/talent_sharing/index.html",
        "tags/index.html",
        "about/index.html",
        "accessibility/index.html",
        "search/index.html",
        "404.html",
    ]  # not the role, the compare and finder pages, the program's kind and provider, nor data/ (a full build's)
    assert prints.keys() == model.fingerprints.keys()
    assert prints["roles/cio-hosakan/index.html"] == model.fingerprints["roles/cio-hosakan/index.html"]


def test_no_page_is_touched_by_an_edit_that_changes_no_entry(project: Path) -> None:
    model = model_of(project)
    same = applied(model, read_entry(project, CASE))  # type: ignore[arg-type]
    assert [r.output_path for r in touched(model, same.model)[1] if model.fingerprints[r.output_path] is not None] == []


@pytest.fixture
def built(project: Path) -> tuple[Path, Model]:
    """The project built as the dev server builds it, and its model with the output's paths."""
    options = options_for(project)
    assert build(options).ok
    return project, model_of(project, output_paths(options.output))


def test_pages_rendered_in_memory_are_the_bytes_a_build_writes(built: tuple[Path, Model]) -> None:
    project, model = built
    result = applied(model, edit(project, CASE, "本文です。", "本文を書き換えました。"))
    _, routes = touched(model, result.model)
    pages = render_pages(result.model, routes)
    assert pages.problems == ()
    assert "本文を書き換えました。" in pages.files["cases/sharing/index.html"].decode()
    assert build(options_for(project)).ok
    for path, data in pages.files.items():
        assert (project / "site" / path).read_bytes() == data, path


def test_a_broken_internal_href_in_a_rendered_page_is_an_error(built: tuple[Path, Model]) -> None:
    project, model = built
    result = applied(model, edit(project, CASE, "本文です。", "[一覧](/programs/no-such-page/)を見てください。"))
    pages = render_pages(result.model, touched(model, result.model)[1])
    assert pages.problems == ()
    assert [p.format() for p in broken(pages, model.paths, "/")] == [
        "cases/sharing/index.html:0:0: error[broken-link]: リンク「/programs/no-such-page/」の行き先（programs/no-such-page/index.html）が出力にありません"
    ]


def test_only_pages_whose_bytes_differ_are_published(tmp_path: Path) -> None:
    write_files(tmp_path / "gen", {"a/index.html": "old a", "b/index.html": "same b"})
    snapshot = Snapshot(1, tmp_path / "gen")
    assert changed_pages(snapshot, {"a/index.html": b"new a", "b/index.html": b"same b", "c/index.html": b"new c"}) == {
        "a/index.html": b"new a",
        "c/index.html": b"new c",
    }


# --- what the server serves -------------------------------------------------------------------------


def test_pages_rendered_in_memory_win_over_the_build_folder_until_a_newer_build_replaces_them(tmp_path: Path) -> None:
    state = LiveState()
    first = state.succeeded(tmp_path / "gen-1")
    one = state.updated({"a/index.html": b"A1"}, ("a/index.html",))
    two = state.updated({"b/index.html": b"B1"}, ())  # bytes equal to those served: no new build
    assert (one.build, one.pending, one.page("a/index.html")) == (first.build + 1, True, b"A1")
    assert (two.build, two.page("b/index.html")) == (one.build, b"B1")
    # A full build of the content as it was at ``one`` arrives: the later page stays over it.
    caught = state.caught_up(tmp_path / "gen-2", one.version, ("data/x.json",), pending=False)
    assert caught.root == tmp_path / "gen-2" and not caught.pending
    assert (caught.page("a/index.html"), caught.page("b/index.html")) == (None, b"B1")
    assert caught.as_json()["changes"] == [[1, None], [2, ["a/index.html"]], [3, ["data/x.json"]]]


def test_a_refused_edit_keeps_the_pages_rendered_before_it(tmp_path: Path) -> None:
    state = LiveState()
    state.succeeded(tmp_path / "gen-1")
    good = state.updated({"a/index.html": b"A1"}, ("a/index.html",))
    failed = state.failed(())
    assert (failed.build, failed.page("a/index.html"), failed.ok) == (good.build, b"A1", True)


def test_a_full_build_changes_the_files_whose_inode_or_bytes_differ(tmp_path: Path) -> None:
    write_files(tmp_path / "gen-1", {"a/index.html": "A", "b/index.html": "B", "data/x.json": "1", "gone.txt": "g"})
    write_files(tmp_path / "gen-2", {"a/index.html": "A2", "data/x.json": "2", "new.txt": "n"})
    (tmp_path / "gen-2/b").mkdir()
    os.link(tmp_path / "gen-1/b/index.html", tmp_path / "gen-2/b/index.html")  # the writer links unchanged files
    state = LiveState()
    state.succeeded(tmp_path / "gen-1")
    state.updated({"a/index.html": b"A2"}, ("a/index.html",))  # already served from memory
    since = state.snapshot.version
    state.updated({"b/index.html": b"B3"}, ("b/index.html",))  # newer than the build: stays
    assert tree_changes(state.snapshot, tmp_path / "gen-2", since) == ("data/x.json", "gone.txt", "new.txt")


@pytest.mark.parametrize(
    "request_path, key",
    [
        ("/", "index.html"),
        ("/cases/x/", "cases/x/index.html"),
        ("/tags/%E6%A8%99%E6%BA%96/", "tags/標準/index.html"),
        ("/404.html", "404.html"),
        ("/data/programs.json", "data/programs.json"),
    ],
)
def test_request_paths_name_output_paths(request_path: str, key: str) -> None:
    assert overlay_path(request_path) == key


def test_a_model_keeps_its_values_when_replaced(project: Path) -> None:
    model = model_of(project)
    assert replace(model, cards={}).site is model.site


# --- an edit published ------------------------------------------------------------------------------


def served_state(project: Path, model: Model) -> LiveState:
    state = LiveState()
    state.succeeded(project / "site")
    state.keep_model(model)
    return state


def test_an_edit_that_adds_a_tag_publishes_the_new_tag_page_and_links_it(built: tuple[Path, Model]) -> None:
    from generator.serve.update import update

    project, model = built
    state = served_state(project, model)
    edit(project, CASE, "updated:", "tags:\n  - 新しいタグ\nupdated:")
    outcome = update(state, model, [CASE], lambda problems: None)
    assert outcome.ok, state.snapshot.problems
    snapshot = state.snapshot
    assert snapshot.page("tags/新しいタグ/index.html") is not None
    assert "/tags/%E6%96%B0%E3%81%97%E3%81%84%E3%82%BF%E3%82%B0/" in snapshot.page("cases/sharing/index.html").decode()  # type: ignore[union-attr]
    assert (
        snapshot.pending
        and snapshot.changes[-1][1] is not None
        and "tags/新しいタグ/index.html" in snapshot.changes[-1][1]
    )
    new = state.model
    assert new is not None and "tags/新しいタグ/index.html" in new.paths


def test_a_refused_edit_is_read_again_with_the_next_one(built: tuple[Path, Model]) -> None:
    from generator.serve.update import update

    project, model = built
    state = served_state(project, model)
    edit(project, CASE, "title: 人材シェアリングの事例", "title:壊れた")
    assert not update(state, model, [CASE], lambda problems: None).ok
    assert state.dirty == {CASE} and not state.snapshot.ok
    edit(project, PROGRAM, "専門家を派遣します。", "専門家を派遣します。書き足しました。")
    assert not update(state, model, [PROGRAM], lambda problems: None).ok  # the case is still broken
    assert state.snapshot.page("programs/advisor/index.html") is None
    edit(project, CASE, "title:壊れた", "title: 直した事例")
    assert update(state, model, [CASE], lambda problems: None).ok
    assert state.snapshot.ok and state.dirty == frozenset()
    assert "書き足しました。" in state.snapshot.page("programs/advisor/index.html").decode()  # type: ignore[union-attr]
    assert "直した事例" in state.snapshot.page("cases/sharing/index.html").decode()  # type: ignore[union-attr]
