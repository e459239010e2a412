"""A save from the editor changes only the lines of what the editor changed (generator/cms/merge.py).

Decap CMS sends the whole file in its own YAML style; ``decap_style`` below writes
a file the way it does (keys in the configuration's order, block lists, dates
unquoted, no comments). The browser tests (test_cms_browser.py) do the same
through the real editor.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cms.merge import emit_file, merge, same, scalar
from generator.cms.saved import Unreadable, read_saved
from generator.content.parse import Parsed, parse_data_file, parse_entry
from generator.content.schema import load_schema

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = sorted((ROOT / "content").glob("*/*.md"))


class _Decap(yaml.SafeDumper):
    """Writes as Decap's YAML library does: a date-like string stays plain (YAML 1.2 has no timestamps)."""


_Decap.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def decap_style(data: dict[str, Any], body: str | None, order: list[str]) -> str:
    ordered = {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
    text = yaml.dump(ordered, Dumper=_Decap, allow_unicode=True, sort_keys=False, default_flow_style=False, width=80)
    return text if body is None else f"---\n{text}---\n{body}"


def _kind(path: Path) -> str:
    return path.parent.name


def _saved(path: Path, data: dict[str, Any], body: str | None) -> str:
    """The file after the editor saved ``data`` and ``body`` over ``path``."""
    raw = path.read_bytes()
    schema = load_schema(_kind(path))
    old = parse_entry(raw, "x")
    assert isinstance(old, Parsed)
    sent = read_saved(decap_style(data, body, list(schema["properties"])), front_matter=True)
    assert not isinstance(sent, Unreadable)
    return merge(raw.decode("utf-8"), old.data, sent[0], sent[1], schema, old_body=old.body)


def _entry(path: Path) -> Parsed:
    parsed = parse_entry(path.read_bytes(), "x")
    assert isinstance(parsed, Parsed)
    return parsed


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saving_a_real_entry_unchanged_keeps_every_byte(path: Path) -> None:
    entry = _entry(path)
    assert _saved(path, entry.data, entry.body) == path.read_text("utf-8")


def test_saving_site_yaml_unchanged_keeps_every_byte() -> None:
    path = ROOT / "content" / "site.yaml"
    old = parse_data_file(path.read_bytes(), "x")
    assert isinstance(old, Parsed)
    sent = read_saved(decap_style(old.data, None, list(load_schema("site")["properties"])), front_matter=False)
    assert not isinstance(sent, Unreadable)
    assert merge(
        path.read_text("utf-8"), old.data, sent[0], None, load_schema("site"), old_body=None
    ) == path.read_text("utf-8")


def _diff(old: str, new: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


ADVISOR = ROOT / "content" / "programs" / "chiiki-johoka-advisor.md"


def test_one_changed_value_is_one_changed_line() -> None:
    entry = _entry(ADVISOR)
    data = copy.deepcopy(entry.data)
    data["updated"] = "2026-12-24"
    data["sources"][1]["accessed"] = "2026-12-24"
    assert _diff(ADVISOR.read_text("utf-8"), _saved(ADVISOR, data, entry.body)) == [
        '-    accessed: "2026-12-06"',
        '+    accessed: "2026-12-24"',
        '-updated: "2026-12-06"',
        '+updated: "2026-12-24"',
    ]


def test_new_values_go_where_the_schema_puts_them_in_the_file_s_style() -> None:
    entry = _entry(ADVISOR)
    data = copy.deepcopy(entry.data)
    data["terms"]["fiscal_rate"] = 0.5
    data["period"]["end"] = "令和9年度"
    data["sources"].insert(
        0,
        {
            "title": "新しい資料",
            "publisher": "総務省",
            "published": "2026-12-01",
            "covers": ["terms.fiscal_rate", "period.end"],
        },
    )
    data["tags"].append("新しいタグ: 例")
    assert _diff(ADVISOR.read_text("utf-8"), _saved(ADVISOR, data, entry.body)) == [
        "+  fiscal_rate: 0.5",
        "+  end: 令和9年度",
        "+  - title: 新しい資料",
        "+    publisher: 総務省",
        '+    published: "2026-12-01"',
        "+    covers: [terms.fiscal_rate, period.end]",
        '+  - "新しいタグ: 例"',
    ]


def test_removed_and_emptied_values_go_with_their_lines() -> None:
    entry = _entry(ADVISOR)
    data = copy.deepcopy(entry.data)
    del data["aliases"]
    data["url"] = ""  # Decap sends an emptied text field as ""
    data["sources"].pop(2)
    diff = _diff(ADVISOR.read_text("utf-8"), _saved(ADVISOR, data, entry.body))
    assert diff == [
        "-aliases:",
        "-  - 「地域情報化アドバイザー」派遣事業",
        "-  - 地域情報化アドバイザー",
        "-url: https://dx-navi.soumu.go.jp/support/advisor",
        "-  - title: 四情懇ニュース 令和7年度 第29号（10月1日）",
        "-    publisher: 四国情報通信懇談会",
        '-    published: "2025-10-01"',
        "-    url: http://www.shikoku-ict.jp/yonjonews07291001",
        '-    accessed: "2026-12-06"',
    ]


def test_a_changed_body_is_taken_and_an_unchanged_one_kept() -> None:
    entry = _entry(ADVISOR)
    text = ADVISOR.read_text("utf-8")
    assert _saved(ADVISOR, entry.data, entry.body.rstrip("\n")) == text  # a final newline more or less is no change
    changed = _saved(ADVISOR, entry.data, entry.body.replace("## 注意", "## 注意点"))
    assert _diff(text, changed) == ["-## 注意", "+## 注意点"]


def test_comments_quotes_and_flow_lists_of_hand_written_files_stay() -> None:
    text = (
        "---\n"
        "# 支援制度のメモ\n"
        "title: 'テスト制度'\n"
        "summary: 要約です。  # あとで見直す\n"
        "level: national  # ← 書き換えてください\n"
        "kinds: [advisor_dispatch]\n"
        "updated: 2026-12-06\n"
        "---\n"
        "本文\n"
    )
    old = parse_entry(text.encode(), "x")
    assert isinstance(old, Parsed)
    data = {**old.data, "level": "prefecture", "kinds": ["advisor_dispatch", "training"], "title": "テスト制度2"}
    merged = merge(text, old.data, data, "本文\n", load_schema("programs"), old_body=old.body)
    assert merged == (
        "---\n"
        "# 支援制度のメモ\n"
        'title: "テスト制度2"\n'
        "summary: 要約です。  # あとで見直す\n"
        "level: prefecture\n"
        "kinds: [advisor_dispatch, training]\n"
        "updated: 2026-12-06\n"
        "---\n"
        "本文\n"
    )


def test_line_ends_and_byte_order_mark_are_kept() -> None:
    text = "\ufeff---\r\ntitle: テスト\r\nsummary: 要約\r\n---\r\n本文\r\n"
    old = parse_entry(text.encode(), "x")
    assert isinstance(old, Parsed)
    assert merge(text, old.data, dict(old.data), old.body, load_schema("pages"), old_body=old.body) == text
    changed = merge(
        text, old.data, {**old.data, "summary": "新しい要約"}, old.body, load_schema("pages"), old_body=old.body
    )
    assert changed == "\ufeff---\r\ntitle: テスト\r\nsummary: 新しい要約\r\n---\r\n本文\r\n"


def test_yaml_1_2_strings_are_read_as_strings_and_written_back_safely() -> None:
    sent = read_saved(
        "---\ntitle: yes\nsummary: 1:20\ntags:\n  - on\n  - 0o17\nupdated: 2026-12-06\n---\n", front_matter=True
    )
    assert not isinstance(sent, Unreadable)
    data, body = sent
    assert data == {"title": "yes", "summary": "1:20", "tags": ["on", 15], "updated": "2026-12-06"} and body == ""
    text = emit_file(
        {"title": "yes", "summary": "1:20", "tags": ["on"], "updated": "2026-12-06"},
        ("title", "summary", "tags", "updated"),
        "",
    )
    assert text == '---\ntitle: "yes"\nsummary: "1:20"\ntags:\n  - "on"\nupdated: "2026-12-06"\n---\n'
    parsed = parse_entry(text.encode(), "x")
    assert isinstance(parsed, Parsed) and parsed.data["title"] == "yes" and parsed.data["summary"] == "1:20"


def test_what_is_not_a_file_is_refused_in_words() -> None:
    assert isinstance(read_saved("title: x\n", front_matter=True), Unreadable)
    assert isinstance(read_saved("---\n- a\n---\n", front_matter=True), Unreadable)
    assert isinstance(read_saved("---\ntitle: [\n---\n", front_matter=True), Unreadable)


def test_same_compares_as_the_catalog_reads() -> None:
    assert same(1, 1.0) and same({"a": [1, "x"]}, {"a": [1.0, "x"]})
    assert not same(True, 1) and not same("1", 1) and not same([1], [1, 2]) and not same({"a": 1}, {"b": 1})


@pytest.mark.parametrize(
    "value",
    ["2026-12-06", "2026-02-30", "a: b", "- x", "#x", "yes", "null", "1.5", " spaced", "@x", "`x", "x, y", "[x]"],
)
def test_scalars_read_back_as_written(value: str) -> None:
    for flow in (False, True):
        text = scalar(value, flow=flow)
        shown = f"k: [{text}]" if flow else f"k: {text}"
        assert yaml.safe_load(shown) == {"k": [value] if flow else value}


_TEXT = st.text(alphabet=st.sampled_from("あいう漢字ab1 :#-[],'\"、。"), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=_TEXT,
    tags=st.lists(_TEXT, max_size=3, unique=True),
    cover=st.lists(
        st.sampled_from(["terms.limits", "terms.cost_coverage", "period.start", "aliases"]), max_size=3, unique=True
    ),
    drop_aliases=st.booleans(),
    source=st.integers(min_value=0, max_value=2),
)
def test_any_edit_reads_back_as_the_editor_left_it(
    title: str, tags: list[str], cover: list[str], drop_aliases: bool, source: int
) -> None:
    entry = _entry(ADVISOR)
    data = copy.deepcopy(entry.data)
    data["title"] = title
    data["tags"] = tags
    data["sources"][source]["covers"] = cover
    if drop_aliases:
        del data["aliases"]
    merged = parse_entry(_saved(ADVISOR, data, entry.body).encode("utf-8"), "x")
    assert isinstance(merged, Parsed)
    expected = {k: v for k, v in data.items() if v not in ([], "")}
    expected["sources"] = [{k: v for k, v in s.items() if v != []} for s in data["sources"]]
    assert merged.data == expected
    assert merged.body == entry.body
