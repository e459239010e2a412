"""A site's own theme folder: overrides win, and its mistakes become Problems."""

from __future__ import annotations

from pathlib import Path

from factories import sample_options, sample_site

from generator.render.batch import render_site
from generator.render.templates import make_environment, static_files


def override(project: Path, name: str, text: str) -> None:
    path = project / "themes" / "default" / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_override_template_is_used(tmp_path: Path):
    override(tmp_path, "404.html", '{% extends "base.html" %}{% block content %}<h1>独自の404</h1>{% endblock %}')
    env, problems = make_environment(tmp_path)
    assert problems == () and env is not None
    files, problems = render_site(sample_site(), env, sample_options(), {})
    assert problems == ()
    html = next(f for f in files if f.path == "404.html").data.decode("utf-8")
    assert "独自の404" in html


def test_syntax_error_in_override_is_a_problem(tmp_path: Path):
    override(tmp_path, "page.html", "<h1>{{ page.title }</h1>\n")
    env, problems = make_environment(tmp_path)
    assert env is None
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("themes/default/templates/page.html", 1, "template-syntax")
    ]
    assert "テンプレート" in problems[0].message


def test_undefined_value_in_override_is_a_problem_not_a_traceback(tmp_path: Path):
    override(
        tmp_path,
        "page.html",
        '{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.no_such_field }}</h1>\n{% endblock %}\n',
    )
    env, problems = make_environment(tmp_path)
    assert env is not None
    files, problems = render_site(sample_site(), env, sample_options(), {})
    assert {p.code for p in problems} == {"template-error"}
    assert {p.path for p in problems} == {"themes/default/templates/page.html"}
    assert all(p.line == 3 for p in problems)
    assert "about/index.html" not in {f.path for f in files}


def test_static_override_beats_the_default(tmp_path: Path):
    css = tmp_path / "themes" / "default" / "static" / "css" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_text("body { color: black; }\n", encoding="utf-8")
    files = {f.path: f for f in static_files(tmp_path)}
    assert files["static/css/site.css"].data == b"body { color: black; }\n"
    assert files["static/css/site.css"].media_type == "text/css"
    assert "static/favicon.svg" in files


def test_default_css_follows_the_design_facts():
    css = next(f for f in static_files(Path("/nonexistent")) if f.path == "static/css/site.css").data.decode("utf-8")
    assert "line-height: 1.7" in css and "letter-spacing: 0.02em" in css
    assert "font-size: 1rem" in css
    assert "html {\n  font-size" not in css  # the reader's root size is never fixed
    assert "@media print" in css and "forced-colors" in css and "prefers-reduced-motion" in css
    assert "outline: none" not in css
