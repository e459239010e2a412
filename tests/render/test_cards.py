"""Entry cards kept between builds (render/cards.py): reused only while nothing they show changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from factories import cold, edit, files_of, run, tree

from generator.render import batch
from generator.render.cards import Cards, keep


class Entry:
    def __init__(self, key: str, title: str) -> None:
        self.key, self.title = key, title


def environment() -> jinja2.Environment:
    macros = "{% macro card(entry, level=2, dated=False) %}<h{{ level }}>{{ entry.title }}{{ '（日付つき）' if dated }}</h{{ level }}>{% endmacro %}"
    return jinja2.Environment(
        loader=jinja2.DictLoader({"_macros.html": macros}), autoescape=True, undefined=jinja2.StrictUndefined
    )


def test_a_stored_card_is_reused_only_for_the_same_content_hash() -> None:
    stored = {
        ("cases/a", 2, False): ("h1", "<h2>保存した見出し</h2>"),
        ("cases/b", 2, False): ("old", "<h2>古い見出し</h2>"),
    }
    cards = Cards(environment(), {"cases/a": "h1", "cases/b": "h2"}, stored)
    assert cards(Entry("cases/a", "新しい見出し")) == "<h2>保存した見出し</h2>"
    assert cards(Entry("cases/b", "新しい見出し")) == "<h2>新しい見出し</h2>"
    assert cards(Entry("cases/b", "新しい見出し"), 3) == "<h3>新しい見出し</h3>"
    assert cards(Entry("cases/a", "新しい見出し"), 2, True) == "<h2>新しい見出し（日付つき）</h2>", (
        "the dated card is a card of its own"
    )
    assert cards.drain() == {
        ("cases/b", 2, False): ("h2", "<h2>新しい見出し</h2>"),
        ("cases/b", 3, False): ("h2", "<h3>新しい見出し</h3>"),
        ("cases/a", 2, True): ("h1", "<h2>新しい見出し（日付つき）</h2>"),
    }
    assert cards.drain() == {}


def test_a_card_of_an_entry_without_a_content_hash_is_never_kept() -> None:
    cards = Cards(environment(), {}, {("pages/x", 2, False): ("h", "<h2>保存</h2>")})
    assert cards(Entry("pages/x", "<今の見出し>")) == "<h2>&lt;今の見出し&gt;</h2>"
    assert cards.drain() == {}


def test_keep_drops_cards_of_changed_and_deleted_entries() -> None:
    stored = {
        ("cases/a", 2, False): ("h1", "A"),
        ("cases/b", 2, False): ("h2", "B"),
        ("cases/gone", 2, False): ("h3", "G"),
    }
    fresh = {("cases/b", 2, False): ("h2new", "B2"), ("cases/c", 3, False): ("stale", "C")}
    kept = keep(stored, {"cases/a": "h1", "cases/b": "h2new", "cases/c": "h4"}, fresh)
    assert kept == {("cases/a", 2, False): ("h1", "A"), ("cases/b", 2, False): ("h2new", "B2")}


def test_renaming_an_archetype_updates_the_role_cards(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(project, out)
    run(project, out)  # cards stored by the first build are now in use
    edit(project / "content/archetypes.yaml", "name: サービスデザイナー", "name: 改名した人材像")
    run(project, out)
    roles_index = (out / "roles/index.html").read_text("utf-8")
    assert "改名した人材像" in roles_index.replace("<wbr>", "")
    assert tree(out) == cold(project, tmp_path)


def test_cards_rendered_by_workers_are_kept_and_stay_correct(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_MIN_ROUTES", 1)
    out = tmp_path / "site"
    run(project, out)
    assert (project / ".catalog-cache/cards.pickle").is_file(), "the workers' cards reach the cache"
    case = files_of(project, "cases")[0]
    text = case.read_text("utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title: "))
    edit(case, title_line, "title: 改名した事例")
    edit(files_of(project, "cases")[1], "\n---\n", "\n---\n本文の先頭に足した段落です。\n\n")
    run(project, out)
    assert "改名した事例" in (out / "cases/index.html").read_text("utf-8").replace("<wbr>", "")
    assert tree(out) == cold(project, tmp_path)
    shutil.rmtree(project / ".catalog-cache")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)
