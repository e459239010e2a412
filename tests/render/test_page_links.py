"""The kept pages' internal links, stored apart from the page cache and read only when needed."""

from __future__ import annotations

from pathlib import Path

from factories import cold, files_of, run, tree

from generator.incremental.pages import known_links, links_digest


def test_known_links_are_those_whose_digest_matches() -> None:
    stored = {"a/index.html": "/b/\tb/index.html", "c/index.html": "/x/\tx/index.html"}
    kept = {
        "a/index.html": links_digest("/b/\tb/index.html"),
        "c/index.html": links_digest("/y/\ty/index.html"),
        "d/index.html": "0",
    }
    assert known_links(stored, kept) == {"a/index.html": "/b/\tb/index.html"}
    assert known_links(None, kept) == {}


def unreferenced_roles(project: Path) -> list[Path]:
    everything = "".join(p.read_text("utf-8") for p in (project / "content").rglob("*.md"))
    return [p for p in files_of(project, "roles") if p.stem not in everything.replace(p.read_text("utf-8"), "")]


def test_an_edit_that_changes_no_link_leaves_the_links_file_alone(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    links = project / ".catalog-cache/links.pickle"
    before = links.stat().st_mtime_ns, links.read_bytes()
    case = files_of(project, "cases")[0]
    case.write_text(case.read_text("utf-8") + "\n追記した段落です。\n", "utf-8")
    run(project, out)
    assert (links.stat().st_mtime_ns, links.read_bytes()) == before
    assert tree(out) == cold(project, tmp_path)


def test_without_the_links_file_a_deletion_renders_the_kept_pages_again(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    (project / ".catalog-cache/links.pickle").unlink()
    case = files_of(project, "cases")[0]
    case.write_text(case.read_text("utf-8") + "\n追記した段落です。\n", "utf-8")
    run(project, out)  # no link changed, no file went away: the missing file is not needed
    gone = unreferenced_roles(project)[0]
    gone.unlink()
    result = run(project, out)  # a file went away: the kept pages' links must be checked
    assert result.written > 0
    assert not (out / f"roles/{gone.stem}").exists()
    assert tree(out) == cold(project, tmp_path)
    assert (project / ".catalog-cache/links.pickle").is_file(), "a complete links file again"
    unreferenced_roles(project)[0].unlink()
    run(project, out)
    assert tree(out) == cold(project, tmp_path)


def test_a_damaged_links_file_is_not_trusted(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    links = project / ".catalog-cache/links.pickle"
    data = bytearray(links.read_bytes())
    data[-3] ^= 0xFF
    links.write_bytes(bytes(data))
    unreferenced_roles(project)[0].unlink()
    run(project, out)
    assert tree(out) == cold(project, tmp_path)
