"""Compiled templates kept in the build cache (templates.SignedBytecodeCache)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator.render.templates import SignedBytecodeCache


def environment(folder: Path, project: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=SignedBytecodeCache(project), autoescape=True
    )


def test_a_template_is_compiled_once_and_recompiled_when_its_source_changes(tmp_path: Path, monkeypatch) -> None:
    folder, project = tmp_path / "templates", tmp_path / "project"
    folder.mkdir()
    project.mkdir()
    (folder / "page.html").write_text("<p>{{ name }}さん</p>", "utf-8")
    assert environment(folder, project).get_template("page.html").render(name="山田") == "<p>山田さん</p>"
    assert list((project / ".catalog-cache").glob("template-*.pickle"))

    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert environment(folder, project).get_template("page.html").render(name="<b>") == "<p>&lt;b&gt;さん</p>"
    assert compiled == [], "the second environment loads the compiled code"

    (folder / "page.html").write_text("<p>{{ name }}様</p>", "utf-8")
    assert environment(folder, project).get_template("page.html").render(name="山田") == "<p>山田様</p>"
    assert compiled == ["page.html"]


def test_a_tampered_cache_file_is_not_loaded(tmp_path: Path) -> None:
    folder, project = tmp_path / "templates", tmp_path / "project"
    folder.mkdir()
    project.mkdir()
    (folder / "page.html").write_text("<p>{{ name }}</p>", "utf-8")
    environment(folder, project).get_template("page.html")
    (stored,) = (project / ".catalog-cache").glob("template-*.pickle")
    data = bytearray(stored.read_bytes())
    data[-5] ^= 0xFF
    stored.write_bytes(bytes(data))
    assert environment(folder, project).get_template("page.html").render(name="ok") == "<p>ok</p>"
