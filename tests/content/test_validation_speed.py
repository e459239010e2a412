"""The fast paths of validation change no result: the compiled schema check, the
YAML builder and the worker pool give what the slow, plain ways give."""

from __future__ import annotations

import gc
import math
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from yaml.nodes import Node

from generator.content import batch, privacy, schema
from generator.content.discover import discover
from generator.content.parse import Parsed, _NoDatesLoader, parse_entry, parse_yaml
from generator.content.privacy import check_role
from generator.content.schema import SCHEMA_NAMES, is_valid, load_schema
from generator.content.validate import validate_file
from generator.parallel import forking

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------
# Documents drawn from a schema: each value is valid, or now and then (and
# independently) a near miss or anything at all, so that about half of the
# documents are valid and the others are wrong in one or a few places.

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**13), 10**13),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
any_json = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)


def documents(node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    valid, near = _valid(node), _near_miss(node)

    @st.composite
    def draw(d: st.DrawFn) -> Any:
        roll = d(st.integers(0, 99))  # shrinks towards a valid value
        if roll >= 98:
            return d(any_json)
        return d(near) if roll >= 95 else d(valid)

    return draw()


def _kind(node: Mapping[str, Any]) -> str | None:
    kind = node.get("type")
    return kind[0] if isinstance(kind, list) else kind


def _valid(node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    kind = _kind(node)
    low, high = node.get("minimum", -1000), node.get("maximum", 10**13)
    if kind == "object":
        return _mapping(node)
    if kind == "array":
        items = documents(node.get("items", {}))
        size = node.get("minItems", 0)
        return st.lists(items, min_size=size, max_size=size + 3, unique_by=repr if node.get("uniqueItems") else None)
    if kind == "integer":
        return st.one_of(st.integers(low, high), st.integers(low, min(high, 1000)).map(float))  # 2.0 is an integer too
    if kind == "number":
        return st.one_of(st.integers(low, high), st.floats(low, high))
    if kind == "boolean":
        return st.booleans()
    if kind != "string":
        return any_json
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    shortest, longest = node.get("minLength", 0), node.get("maxLength", 30)
    if "pattern" in node:
        # Not fullmatch: the pattern may stand inside a longer string, as jsonschema's search allows.
        return st.from_regex(node["pattern"]).filter(lambda s: shortest <= len(s) <= longest)
    return st.text(min_size=shortest, max_size=longest)


def _near_miss(node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    kind = _kind(node)
    if kind == "object":
        return _mapping(node, wrong=True)
    if kind == "array":
        items = _valid(node.get("items", {}))
        size = node.get("minItems", 0)
        return st.one_of(
            st.lists(items, min_size=1, max_size=2).map(lambda xs: xs + xs[:1]),  # a repeated item
            st.lists(items, max_size=max(0, size - 1)),
        )
    if kind in ("integer", "number"):
        low, high = node.get("minimum", -1000), node.get("maximum", 10**13)
        return st.sampled_from([low - 1, high + 1, low - 0.5, high + 0.5, 1.5, True, False, "1", None])
    if kind == "boolean":
        return st.sampled_from(["true", 1, 0, None])
    options: list[st.SearchStrategy[Any]] = [st.text(max_size=12), st.just(""), st.integers(), st.none()]
    if "enum" in node:
        options += [st.sampled_from(node["enum"]).map(lambda v: v[:-1]), st.sampled_from(node["enum"]).map(str.upper)]
    if "const" in node:
        options += [st.just(node["const"].upper()), st.just(node["const"] + " ")]
    if "maxLength" in node:
        options += [st.text(min_size=node["maxLength"] + 1, max_size=node["maxLength"] + 2)]
    return st.one_of(options)


def _mapping(node: Mapping[str, Any], *, wrong: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    values = {key: documents(sub) for key, sub in node.get("properties", {}).items()}
    required = list(node.get("required", ()))

    @st.composite
    def draw(d: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key in required or d(st.booleans()):
                out[key] = d(value)
        if wrong:
            if required and d(st.booleans()):
                out.pop(d(st.sampled_from(required)), None)
            else:
                out[d(st.sampled_from(["nmae", "extra", "Title", "1"]))] = d(json_scalars)
        return out

    return draw()


def _newline_before_end(value: Any) -> bool:
    """A string ending in a newline: jsonschema's ``$`` matches before it, the compiled check's does not."""
    if isinstance(value, str):
        return value.endswith("\n")
    if isinstance(value, dict):
        return any(_newline_before_end(v) for v in value.values())
    if isinstance(value, list):
        return any(_newline_before_end(v) for v in value)
    return False


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_compiled_check_is_used_for_every_schema(name):
    # Every keyword our schemas use has been checked for the compiled code, so valid files skip jsonschema.
    assert schema._fast_check(name) is not None


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_compiled_check_and_jsonschema_agree(name):
    full = Draft202012Validator(load_schema(name))

    @SETTINGS
    @given(documents(load_schema(name)))
    def agree(doc):
        errors = list(full.iter_errors(doc))
        if is_valid(doc, name):
            assert errors == [], "the compiled check let through what jsonschema refuses"
        elif not errors:
            # The one known difference, harmless: the compiled check is stricter, so jsonschema decides.
            assert _newline_before_end(doc)

    agree()


def test_a_final_newline_is_left_to_jsonschema():
    doc = {
        "title": "T",
        "summary": "S",
        "prefecture": "長野県\n",
        "sources": [{"title": "資料", "publisher": "県"}],
        "updated": "2026-01-01",
        "reviewed": "2026-01-01",
    }
    assert list(Draft202012Validator(load_schema("cases")).iter_errors(doc)) == []
    assert not is_valid(doc, "cases")
    assert schema.validate(Parsed("content/cases/x.md", doc, {(): (1, 1)}), "cases") == ()


def test_a_schema_with_a_keyword_not_vetted_has_no_compiled_check(monkeypatch):
    monkeypatch.setattr(schema, "load_schema", lambda name: {"type": "object", "propertyNames": {"maxLength": 3}})
    schema._fast_check.cache_clear()
    try:
        assert schema._fast_check("programs") is None
        assert not is_valid({"toolong": 1}, "programs")
    finally:
        schema._fast_check.cache_clear()


# ---------------------------------------------------------------------------
# Whole files: every fixture, valid and invalid, gives the same problems either way.


def _content_files() -> list:
    projects = [REPO, *sorted(p for p in FIXTURES.iterdir() if (p / "content").is_dir())]
    projects += sorted(p for p in (FIXTURES / "invalid").iterdir() if (p / "content").is_dir())
    files = []
    for project in projects:
        files += [f for f in discover(project).files if f.kind not in ("site", "archetypes")]
    return files


def test_every_fixture_file_validates_the_same_without_the_compiled_check(monkeypatch):
    files = _content_files()
    assert len(files) > 50
    fast = [validate_file(f, None, AS_OF) for f in files]
    monkeypatch.setattr(schema, "is_valid", lambda data, name: False)
    slow = [validate_file(f, None, AS_OF) for f in files]
    assert [r.problems for r in fast] == [r.problems for r in slow]
    assert [r.located for r in fast] == [r.located for r in slow]
    assert any(r.problems for r in slow) and any(r.located for r in slow)


def test_workers_give_what_one_process_gives(monkeypatch, tmp_path):
    files = _content_files()
    serial = batch.validate_files(tmp_path, files, None, AS_OF, use_cache=False, parallel=False)
    monkeypatch.setattr(batch, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(forking, "cores", lambda: 2)
    monkeypatch.setattr(forking, "can_fork", lambda: True)  # whatever threads earlier tests left
    forked = batch.validate_files(tmp_path, files, None, AS_OF, use_cache=False, parallel=True)
    assert [(r.source, r.located, r.problems) for r in forked.results] == [
        (r.source, r.located, r.problems) for r in serial.results
    ]
    assert gc.isenabled()


def test_results_read_back_from_the_cache_are_the_same(monkeypatch, tmp_path):
    files = _content_files()
    first = batch.validate_files(tmp_path, files, None, AS_OF, parallel=False)

    def not_again(*args):
        raise AssertionError("validated again instead of read from the cache")

    monkeypatch.setattr(batch, "validate_file", not_again)
    again = batch.validate_files(tmp_path, files, None, AS_OF, parallel=False)
    assert [(r.located, r.problems) for r in again.results] == [(r.located, r.problems) for r in first.results]
    assert gc.isenabled()


# ---------------------------------------------------------------------------
# The YAML builder gives PyYAML's own values, and keeps no node alive.

YAML_TEXT = st.text(st.sampled_from(list(":-[]{}'\"#\n %,.~0123456789abexyzあ年+_")), max_size=120)
PLAIN = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        [
            "true",
            "False",
            "yes",
            "no",
            "on",
            "null",
            "~",
            "",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "+12",
            "-0",
            ".5",
            "1e3",
            "1.5e-3",
            "0777",
            "190:20:30",
            "2023-10-24",
            "令和5年度",
        ]
    ),
)


def _str_keys_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) for k in value) and all(_str_keys_only(v) for v in value.values())
    if isinstance(value, list):
        return all(_str_keys_only(v) for v in value)
    return True


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


REFUSED_ON_PURPOSE = {
    "yaml-alias",
    "yaml-tag",
    "duplicate-key",
    "yaml-key",
    "yaml-depth",
    "invalid-number",
    "control-character",
    "yaml-syntax",
}
"""What the builder may refuse in YAML that PyYAML reads: aliases, tags, duplicate or non-text keys,
deep nesting, .inf/.nan, control characters, and a slip (``key:value``, ``-item``, a run-on value)
reported as yaml-syntax. Valid YAML without these is accepted: tests/content/test_properties.py."""


def _check_against_pyyaml(text: str) -> None:
    try:
        expected = yaml.load(text, Loader=_NoDatesLoader)
    except yaml.YAMLError:
        return
    doc = parse_yaml(text, "content/x.yaml")
    if isinstance(doc, tuple):
        assert doc and {p.code for p in doc} <= REFUSED_ON_PURPOSE, [p.format() for p in doc]
        assert all(p.is_error and p.path == "content/x.yaml" and p.line >= 1 for p in doc)
        return
    if _str_keys_only(expected):  # else keys PyYAML would not keep as text
        assert _same(doc.value, expected)


@SETTINGS
@given(YAML_TEXT)
def test_the_builder_gives_pyyamls_values_for_yaml_like_text(text):
    _check_against_pyyaml(text)


@SETTINGS
@given(st.lists(st.tuples(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), PLAIN), max_size=6))
def test_the_builder_gives_pyyamls_values_for_plain_scalars(pairs):
    _check_against_pyyaml("".join(f"{key}: {value}\n" for key, value in pairs))
    _check_against_pyyaml("items:\n" + "".join(f"  - {value}\n" for _, value in pairs))


def test_parsing_keeps_no_yaml_node_alive():
    text = "---\ntitle: T\ncount: 3\nrate: 0.5\nflag: true\nnothing: null\nlist:\n  - 1\n  - {a: 2}\n---\nbody\n"
    parse_entry(text.encode(), "content/programs/x.md")  # anything built once and kept on first use
    gc.collect()
    before = sum(isinstance(o, Node) for o in gc.get_objects())
    for _ in range(20):
        assert isinstance(parse_entry(text.encode(), "content/programs/x.md"), Parsed)
    gc.collect()
    assert sum(isinstance(o, Node) for o in gc.get_objects()) == before


def test_positions_name_every_key_and_item():
    text = "a: 1\nb:\n  - x\n  - c: 2\n    d: [3, 4]\n"
    doc = parse_yaml(text, "content/x.yaml", first_line=2)
    assert not isinstance(doc, tuple)
    assert dict(doc.positions) == {
        (): (2, 1),
        ("a",): (2, 1),
        ("b",): (3, 1),
        ("b", 0): (4, 5),
        ("b", 1): (5, 5),
        ("b", 1, "c"): (5, 5),
        ("b", 1, "d"): (6, 5),
        ("b", 1, "d", 0): (6, 9),
        ("b", 1, "d", 1): (6, 12),
    }


# ---------------------------------------------------------------------------
# The privacy guard's one search of a whole role finds whatever a search of each line finds.

CONTACT_PIECES = st.sampled_from(
    [
        "0",
        "3",
        "090",
        "1234",
        "5678",
        "-",
        "ー",
        "－",
        "(",
        ")",
        " ",
        "+81",
        "〒",
        "380-0837",
        "@",
        "＠",
        "at",
        " at ",
        "(at)",
        "アット",
        ".",
        "(dot)",
        "example",
        "jp",
        "com",
        "https://",
        "http://",
        "www.",
        "twitter.com/",
        "x.com/",
        "github.com/",
        "youtube.com/",
        "/@",
        "bsky.app/profile/",
        "ＣＯＭ",
        "０９０",
        "長野県",
        "令和5年",
        "2023",
        "。",
        "\t",
    ]
)
contact_like = st.lists(CONTACT_PIECES, max_size=12).map("".join)


@SETTINGS
@given(st.lists(contact_like, max_size=6), st.lists(contact_like, max_size=3))
def test_a_role_is_searched_whole_then_line_by_line(lines, values):
    data = {f"k{i}": value for i, value in enumerate(values)}
    positions = {(): (1, 1), **{(key,): (2 + i, 3) for i, key in enumerate(data)}}
    parsed = Parsed("content/roles/x.md", data, positions, "\n".join(lines), 20)
    expected = [
        (line, code, shown)
        for (key,), (line, _) in list(positions.items())[1:]
        for code, _, shown in privacy._matches(data[key])
    ]
    expected += [(20 + i, code, shown) for i, text in enumerate(lines) for code, _, shown in privacy._matches(text)]
    assert [(p.line, p.code, p.message.split("「")[1].split("」")[0]) for p in check_role(parsed)] == expected


@SETTINGS
@given(contact_like)
def test_the_quick_test_of_social_urls_never_misses_one(text):
    text = unicodedata.normalize("NFKC", text)
    if privacy._SOCIAL.search(text):
        assert privacy._SOCIAL_ENDINGS.search(text)
