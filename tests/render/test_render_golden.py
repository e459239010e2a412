"""The small fixture site, rendered and compared with its golden output.

tests/fixtures/site-basic/ is built (pages, sitemap.xml, robots.txt: the
render stage's own files) into a temporary folder and compared byte for byte
with tests/golden/site-basic/. After an intended change to templates or
render code, regenerate the golden files, review the diff and run the test again:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/render/test_render_golden.py   # rewrites, then fails
    git diff tests/golden/
    .venv/bin/python -m pytest tests/render/test_render_golden.py

The rewriting run fails on purpose, naming the files it changed (tests/expected_files.py);
under CI=true it refuses to rewrite anything.

The same site with a ``cms:`` block in site.yaml renders the same files plus
the editor's (tests/golden/site-basic-cms/: /admin/ and robots.txt, which keeps
crawlers out of it); the site without one has no trace of the editor.
"""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

from expected_files import rewrite, update_requested

from generator.config import BuildOptions
from generator.pipeline import load
from generator.render.batch import render_site
from generator.render.templates import make_environment

HERE = Path(__file__).resolve().parents[1]
PROJECT = HERE / "fixtures" / "site-basic"
GOLDEN = HERE / "golden" / "site-basic"
AS_OF = date(2026, 11, 26)


GOLDEN_CMS = HERE / "golden" / "site-basic-cms"
CMS_BLOCK = (
    "cms:\n  backend: github\n  repo: nagano-pref/dx-catalog\n  branch: main\n  base_url: https://auth.example.jp\n"
)


def build_fixture(output: Path, project: Path = PROJECT) -> None:
    loaded = load(project, as_of=AS_OF, use_cache=False)
    assert loaded.site is not None, [p.format() for p in loaded.problems]
    env, problems = make_environment(project)
    assert env is not None and not problems
    options = BuildOptions(project=project, output=output, as_of=AS_OF)
    files, problems = render_site(loaded.site, env, options, {})
    assert problems == ()
    for file in files:
        target = output / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_fixture_site_matches_golden_output(tmp_path: Path):
    build_fixture(tmp_path / "site")
    built = tree(tmp_path / "site")
    if update_requested("UPDATE_GOLDEN"):
        stale = {GOLDEN / path: None for path in tree(GOLDEN) if path not in built}
        rewrite("UPDATE_GOLDEN", {**stale, **{GOLDEN / path: data for path, data in built.items()}})
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden), "the set of pages changed; see the docstring to update"
    for path in sorted(built):
        if built[path] != golden[path]:
            diff = "".join(
                difflib.unified_diff(
                    golden[path].decode("utf-8").splitlines(True),
                    built[path].decode("utf-8").splitlines(True),
                    f"golden/{path}",
                    f"built/{path}",
                )
            )
            raise AssertionError(f"{path} differs from the golden output:\n{diff}")


def test_with_cms_the_editor_is_added_and_nothing_else_changes(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + CMS_BLOCK, "utf-8")
    build_fixture(tmp_path / "site", project)
    built = tree(tmp_path / "site")
    editor = {path: data for path, data in built.items() if path.startswith("admin/") or path == "robots.txt"}
    if update_requested("UPDATE_GOLDEN"):
        stale = {GOLDEN_CMS / path: None for path in tree(GOLDEN_CMS) if path not in editor}
        rewrite("UPDATE_GOLDEN", {**stale, **{GOLDEN_CMS / path: data for path, data in editor.items()}})
    assert editor == tree(GOLDEN_CMS), "the editor's files changed; see the docstring to update"
    golden = tree(GOLDEN)
    assert {p: d for p, d in built.items() if p not in editor} == {p: d for p, d in golden.items() if p != "robots.txt"}
    assert b"Disallow: /admin/" in editor["robots.txt"] and b"Disallow" not in golden["robots.txt"]
    assert not any(path.startswith("admin/") for path in golden)
