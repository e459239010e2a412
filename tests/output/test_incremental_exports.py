"""Incremental builds give the data exports of a cold build, byte for byte.

Built through the whole pipeline on a generated corpus (see factories.py):
the previous data files are reused from the output folder and the build cache
keeps only where each record's bytes are, never the bytes.
"""

from __future__ import annotations

from pathlib import Path

from factories import cold, edit, files_of, referenced_program, run, tree

from generator.incremental import store as cache


def data_tree(out: Path) -> dict[str, str]:
    return {path: digest for path, digest in tree(out).items() if path.startswith("data/")}


def test_editing_a_case_rewrites_only_what_shows_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    before = data_tree(out)
    case = files_of(project, "cases")[0]
    case.write_text(case.read_text("utf-8") + "\n追記した段落です。\n", "utf-8")
    run(project, out)
    after = data_tree(out)
    assert after == data_tree_of_cold(project, tmp_path)
    changed = {p for p in after if after[p] != before[p]} - {"data/index.html"}  # the data page states each file's size
    assert changed == {"data/cases.json"}, "only the JSON has bodies"
    assert "追記した段落です。" in (out / "data/cases.json").read_text("utf-8")


def data_tree_of_cold(project: Path, tmp_path: Path) -> dict[str, str]:
    return {path: digest for path, digest in cold(project, tmp_path).items() if path.startswith("data/")}


def test_retitling_a_referenced_program_updates_the_rows_of_others(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    program, _ = referenced_program(project)
    title_line = next(line for line in program.read_text("utf-8").splitlines() if line.startswith("title: "))
    edit(program, title_line, "title: 改名した支援制度")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)
    for name in ("programs.csv", "programs.json", "cases.json", "case_programs.csv"):
        assert "改名した支援制度" in (out / "data" / name).read_text("utf-8-sig"), name


def test_deleting_and_adding_entries(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    everything = "".join(p.read_text("utf-8") for p in (project / "content").rglob("*.md"))
    role = next(p for p in files_of(project, "roles") if p.stem not in everything.replace(p.read_text("utf-8"), ""))
    text = role.read_text("utf-8")
    role.unlink()
    run(project, out)
    assert role.stem not in (out / "data/roles.csv").read_text("utf-8-sig")
    assert tree(out) == cold(project, tmp_path)
    role.with_name("added-role.md").write_text(text, "utf-8")
    run(project, out)
    assert "added-role" in (out / "data/roles.csv").read_text("utf-8-sig")
    assert tree(out) == cold(project, tmp_path)


def test_a_data_file_edited_by_hand_is_made_again(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    for name in ("cases.json", "roles.csv"):
        path = out / "data" / name
        data = path.read_bytes()
        path.write_bytes(data[:-3] + b"X" + data[-2:])  # same size
    case = files_of(project, "cases")[1]
    case.write_text(case.read_text("utf-8") + "\n別の段落です。\n", "utf-8")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)


def test_the_exports_cache_holds_no_file_contents(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    stored = (project / cache.CACHE_DIR / "exports.pickle").read_bytes()
    case = files_of(project, "cases")[0]
    title = next(line for line in case.read_text("utf-8").splitlines() if line.startswith("title: "))[7:]
    assert title.encode() in (out / "data/cases.json").read_bytes()
    assert title.encode() not in stored
    assert len(stored) < (out / "data/cases.json").stat().st_size
