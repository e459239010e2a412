"""Incremental builds give exactly what a cold build gives.

Each test builds a project, changes it the way an editor would, rebuilds into
the same output folder with the caches of the earlier builds, and compares the
result byte for byte with a cold build of the changed project (fresh output,
no cache). Stale output is worse than slow output: these tests guard the page
cache, the validation cache, the whole-build short cut and the writer's reuse
of the previous folder.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from factories import cold, edit, files_of, referenced_program, run, shown, tree

from generator.config import BuildOptions
from generator.parallel import forking
from generator.pipeline import build
from generator.render import batch


def test_no_op_rebuild_writes_nothing_and_matches(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    again = run(project, out)
    assert again.written == 0
    assert tree(out) == cold(project, tmp_path)


def test_editing_a_body(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    case = files_of(project, "cases")[0]
    case.write_text(case.read_text("utf-8") + "\n追記した段落です。\n", "utf-8")
    result = run(project, out)
    assert 0 < result.written < 30, "an edit rewrites its page and the pages that list it, not the site"
    assert tree(out) == cold(project, tmp_path)
    assert "追記した段落です。" in shown(out / f"cases/{case.stem}/index.html")


def test_retitling_a_referenced_entry_updates_the_pages_that_show_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    program, slug = referenced_program(project)
    text = program.read_text("utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title: "))
    edit(program, title_line, "title: 改名した支援制度")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)
    backlinked = [
        p
        for p in out.rglob("index.html")
        if f"/programs/{slug}/" in p.read_text("utf-8") and "改名した支援制度" in shown(p)
    ]
    assert len(backlinked) >= 3, "the program page, the index and the pages that link it all show the new title"


def test_adding_and_removing_a_reference_updates_backlinks(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    program, slug = referenced_program(project)
    role = next(
        f
        for f in files_of(project, "roles")
        if f"- {slug}\n" not in f.read_text("utf-8") and "programs:\n" in f.read_text("utf-8")
    )
    edit(role, "programs:\n", f"programs:\n- {slug}\n")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)
    edit(role, f"programs:\n- {slug}\n", "programs:\n")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)


def test_adding_and_removing_a_body_link_updates_the_linked_page(project: Path, tmp_path: Path) -> None:
    """A body link is a reference: the linked program's page lists the role once the role's body
    links it, and no longer when the link is gone, in incremental builds as in cold ones."""
    out = tmp_path / "site"
    run(project, out)
    role = files_of(project, "roles")[0]
    title = next(line for line in role.read_text("utf-8").splitlines() if line.startswith("title: "))[len("title: ") :]
    program = next(
        p.stem for p in files_of(project, "programs") if title not in shown(out / f"programs/{p.stem}/index.html")
    )
    page = out / f"programs/{program}/index.html"
    original = role.read_text("utf-8")
    role.write_text(original + f"\nあわせて[この制度](../programs/{program}.md)も検討してください。\n", "utf-8")
    result = run(project, out)
    assert title in shown(page), "the linked program lists the role"
    assert result.written < 30, "the role, the program and the pages that list them, not the site"
    assert tree(out) == cold(project, tmp_path)
    role.write_text(original, "utf-8")
    run(project, out)
    assert title not in shown(page)
    assert tree(out) == cold(project, tmp_path)


def test_reviewing_an_entry_again_updates_its_status_everywhere(project: Path, tmp_path: Path) -> None:
    """Moving ``reviewed`` past the interval makes the pages state the status as of that review."""
    out = tmp_path / "site"
    run(project, out)
    program = files_of(project, "programs")[0]
    line = next(ln for ln in program.read_text("utf-8").splitlines() if ln.startswith("reviewed: "))
    edit(program, line, "reviewed: '2024-01-31'")
    run(project, out)
    assert "2024年1月31日の確認時点" in shown(out / f"programs/{program.stem}/index.html")
    assert "2024年1月31日の確認時点" in shown(out / "programs/compare/index.html")
    assert tree(out) == cold(project, tmp_path)


def test_deleting_and_renaming_entries(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    everything = "".join(p.read_text("utf-8") for p in (project / "content").rglob("*.md"))
    unreferenced = [p for p in files_of(project, "roles") if p.stem not in everything.replace(p.read_text("utf-8"), "")]
    assert len(unreferenced) >= 2
    unreferenced[0].unlink()
    run(project, out)
    assert not (out / f"roles/{unreferenced[0].stem}").exists()
    assert tree(out) == cold(project, tmp_path)
    unreferenced[1].rename(unreferenced[1].with_name("renamed-role.md"))
    run(project, out)
    assert (out / "roles/renamed-role/index.html").exists()
    assert tree(out) == cold(project, tmp_path)


def test_changing_a_template_rerenders_every_page_that_uses_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    from generator.render.templates import package_theme

    override = project / "themes/default/templates"
    override.mkdir(parents=True)
    base = (package_theme() / "templates/base.html").read_text("utf-8")
    assert "</footer>" in base
    (override / "base.html").write_text(base.replace("</footer>", "<p>テーマを変えました</p></footer>", 1), "utf-8")
    run(project, out)
    pages = list(out.rglob("*.html"))
    assert pages and all("テーマを変えました" in p.read_text("utf-8") for p in pages)
    assert tree(out) == cold(project, tmp_path)


def test_changing_the_site_settings(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    settings = project / "content/site.yaml"
    text = settings.read_text("utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title: "))
    edit(settings, title_line, "title: 改名したカタログ")
    run(project, out)
    assert "改名したカタログ" in (out / "index.html").read_text("utf-8")
    assert tree(out) == cold(project, tmp_path)


def test_changing_the_build_date_recomputes_statuses(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    build(BuildOptions(project=project, output=out, as_of=date(2031, 1, 1), search=False))
    copy = tmp_path / "later"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".catalog-cache"))
    fresh = tmp_path / "later-site"
    build(BuildOptions(project=copy, output=fresh, as_of=date(2031, 1, 1), search=False))
    assert tree(out) == tree(fresh)


def test_parallel_rendering_matches_serial(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = tmp_path / "serial"
    run(project, serial)
    monkeypatch.setattr(batch, "PARALLEL_MIN_ROUTES", 1)
    monkeypatch.setattr(forking, "can_fork", lambda: True)  # whatever threads earlier tests left
    copy = tmp_path / "parallel-project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".catalog-cache"))
    parallel = tmp_path / "parallel"
    run(copy, parallel)
    assert tree(serial) == tree(parallel)


def test_a_hand_edited_output_is_not_trusted_by_the_short_cut(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    (out / "stray.html").write_text("not ours")
    run(project, out)
    assert not (out / "stray.html").exists()
    assert tree(out) == cold(project, tmp_path)
