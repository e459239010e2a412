"""JSON Schema (2020-12) validation of parsed content, with messages for editors.

The schemas in ``schemas/`` are the single description of every field: they
validate, they document (the editor's guide is generated from them) and
``catalog new`` writes its templates from them.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

import fastjsonschema

if TYPE_CHECKING:  # jsonschema is imported only when a file is refused (about 0.1 s of start-up otherwise)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from ..problems import Problem, error
from .parse import Parsed, Path_

SCHEMA_NAMES: tuple[str, ...] = ("site", "archetypes", "programs", "partners", "cases", "roles", "pages")

_TYPE_NAMES = {
    "string": "文字列",
    "integer": "整数",
    "number": "数値",
    "boolean": "true か false",
    "array": "リスト（- で始まる行）",
    "object": "「キー: 値」の組",
    "null": "空",
}


@cache
def load_schema(name: str) -> Mapping[str, Any]:
    """The published JSON Schema of a collection (or of site.yaml / archetypes.yaml)."""
    text = resources.files("generator.content").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    schema: Mapping[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


FAST_KEYWORDS: frozenset[str] = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "examples",
        "x-format",
        "x-ref",
        "type",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "minItems",
        "uniqueItems",
        "minimum",
        "maximum",
        "pattern",
    }
)
"""Keywords whose compiled check accepts nothing that jsonschema refuses (see is_valid).
A schema using any other keyword is always checked by jsonschema alone."""


def _keywords(node: Any) -> set[str]:
    """Every keyword used in a schema (the names under ``properties`` are not keywords)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    found |= _keywords(sub)
            elif key not in ("examples", "enum", "const", "required"):
                found |= _keywords(value)
    elif isinstance(node, list):
        for item in node:
            found |= _keywords(item)
    return found


@cache
def _fast_check(name: str) -> Callable[[Any], Any] | None:
    schema = load_schema(name)
    if not _keywords(schema) <= FAST_KEYWORDS:
        return None
    # use_default=False: the check must never add values to the data it reads.
    return fastjsonschema.compile(cast(dict[str, Any], schema), use_default=False, use_formats=False)


def is_valid(data: Any, schema_name: str) -> bool:
    """True only when jsonschema would report no error for ``data``.

    The compiled check (fastjsonschema) runs in a fraction of jsonschema's time.
    It is never more lenient on our schemas' keywords but can be stricter (its
    ``pattern`` ``$`` does not match before a final newline): so ``False`` only
    means "ask jsonschema", which then decides, and words every message.
    """
    check = _fast_check(schema_name)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # a refusal, or any value the compiled code cannot handle: jsonschema decides
        return False
    return True


def validate(parsed: Parsed, schema_name: str, *, skip_keys: frozenset[Path_] = frozenset()) -> tuple[Problem, ...]:
    """Every schema problem of one file, each at the line of the offending key.

    ``skip_keys`` are the paths of keys another check reports more precisely
    (the privacy guard's forbidden keys, at any depth): nothing is said of them or under them.
    """
    if is_valid(parsed.data, schema_name):
        return ()
    problems: list[Problem] = []
    for err in _validator(schema_name).iter_errors(parsed.data):
        problems.extend(_problems(err, parsed, skip_keys, load_schema(schema_name)))
    return tuple(dict.fromkeys(problems))  # jsonschema reports `required` once per missing name


def short_description(node: Mapping[str, Any] | None) -> str:
    """The first words of a field's description (措置率, 制度の正式名称): a label, or "" when too long."""
    description = node.get("description", "") if node else ""
    short = re.split(r"[（(。:、]", description, maxsplit=1)[0].strip()
    return short if len(short) <= 20 else ""


_ENUM_LABEL = re.compile(r"([a-z][a-z0-9_-]*)（([^）]+)）")


def enum_labels(description: str) -> dict[str, str]:
    """The Japanese name of each value a description lists: ``national（国）`` → {"national": "国"}."""
    return {code: label for code, label in _ENUM_LABEL.findall(description)}


def field_label(schema: Mapping[str, Any], path: Iterable[str | int]) -> str:
    """「terms.fiscal_rate」（措置率） for messages."""
    parts = [p for p in path]
    name = ".".join(str(p) if isinstance(p, str) else f"[{p + 1}番目]" for p in parts).replace(".[", "[")
    short = short_description(_subschema(schema, parts))
    if not name:
        return "この項目"
    return f"「{name}」（{short}）" if short else f"「{name}」"


def _subschema(schema: Mapping[str, Any], path: list[str | int]) -> Mapping[str, Any] | None:
    node: Mapping[str, Any] | None = schema
    for part in path:
        if node is None:
            return None
        if isinstance(part, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(part)
    return node


def _value_hint(instance: Any, options: list[Any], schema: Mapping[str, Any], at: Path_) -> str:
    """The code of a Japanese label written for a code (the field's description names them), or the nearest option."""
    described = [_subschema(schema, list(at[:n])) or {} for n in (len(at), len(at) - 1) if n >= 0]
    text = " ".join(d.get("description", "") for d in described)
    labels = {part: code for code, ja in enum_labels(text).items() for part in (ja, *ja.split("・"))}
    known = isinstance(instance, str) and instance in labels  # a list or mapping is not hashable
    close = (
        difflib.get_close_matches(instance, [str(o) for o in options], n=1, cutoff=0.6)
        if isinstance(instance, str)
        else []
    )
    if known:
        return f"「{instance}」なら {labels[instance]} と書きます。"
    if close:
        return f"「{close[0]}」の間違いではありませんか？"
    return ""


def _problems(
    err: ValidationError, parsed: Parsed, skip_keys: frozenset[Path_], schema: Mapping[str, Any]
) -> list[Problem]:
    at: Path_ = tuple(err.absolute_path)
    if any(at[:n] in skip_keys for n in range(1, len(at) + 1)):
        return []
    line, col = parsed.where(at)
    label = field_label(schema, at)
    kind = cast(str, err.validator)
    value: Any = err.validator_value
    instance: Any = err.instance

    def one(code: str, message: str, where: tuple[int, int] = (line, col)) -> list[Problem]:
        return [error(parsed.path, where[0], where[1], code, message)]

    if kind == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return [
            error(parsed.path, line, col, "missing-field", f"必須の項目「{name}」がありません{_in(label, at)}")
            for name in missing
        ]
    if kind == "additionalProperties":
        allowed = tuple((_subschema(schema, list(at)) or {}).get("properties", {}))
        extras = [k for k in instance if k not in allowed and (*at, k) not in skip_keys]
        out = []
        for key in extras:
            where = parsed.where((*at, key))
            near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            suggestion = f"「{near[0]}」の間違いではありませんか？" if near else f"使える項目: {', '.join(allowed)}"
            out += one("unknown-field", f"知らない項目「{key}」があります{_in(label, at)}。{suggestion}", where)
        return out
    if kind == "type":
        wanted: list[str] = value if isinstance(value, list) else [value]
        names = "または".join(_TYPE_NAMES.get(t, t) for t in wanted)
        return one("wrong-type", f"{label}は{names}で書いてください（いまは{_describe(instance)}）")
    if kind in ("enum", "const"):
        options = value if kind == "enum" else [value]
        hint = _value_hint(instance, options, schema, at)
        return one(
            "invalid-value", f"{label}に「{instance}」は使えません。{hint}使える値: {', '.join(map(str, options))}"
        )
    if kind == "minLength":
        return one("empty-value", f"{label}が空です")
    if kind == "maxLength":
        return one("too-long", f"{label}は{value}文字以内にしてください（いまは{len(instance)}文字）")
    if kind == "minItems":
        return one("too-few", f"{label}には少なくとも{value}個書いてください")
    if kind == "uniqueItems":
        return one("duplicate-value", f"{label}に同じ値が2回以上書かれています")
    if kind in ("minimum", "exclusiveMinimum"):
        return one("out-of-range", f"{label}は{value}以上にしてください（いまは{instance}）")
    if kind in ("maximum", "exclusiveMaximum"):
        return one("out-of-range", f"{label}は{value}以下にしてください（いまは{instance}）")
    if kind == "pattern":
        return one("invalid-value", f"{label}の書き方が正しくありません（いまは「{instance}」）。{pattern_hint(value)}")
    return one("invalid-value", f"{label}が正しくありません（{err.message}）")


def _in(label: str, at: Path_) -> str:
    return f"（{label}の中）" if at else ""


def _describe(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return f"{_TYPE_NAMES['boolean']}の {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数値 {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:30] + "…"
        return f"文字列「{shown}」"
    if isinstance(value, list):
        return "リスト"
    return "「キー: 値」の組"


def pattern_hint(pattern: str) -> str:
    """How to write a value that ``pattern`` accepts, in words."""
    if pattern.startswith("^https?://"):
        return "URL は http:// か https:// で始めてください"
    if pattern.startswith("^https://"):
        return "URL は https:// で始め、パスを付けずに書いてください（例: https://auth.example.jp）"
    if pattern.startswith("^[A-Za-z0-9_.-]+(/"):
        return "リポジトリは「所有者/名前」の形で、半角英数字と . _ - で書いてください（例: nagano-pref/dx-catalog）"
    if "a-z0-9" in pattern:
        return "ファイル名（半角英小文字・数字・ハイフン）で書いてください"
    if "都道府県" in pattern:
        return "都道府県名を「長野県」「東京都」のように書いてください"
    return f"形式: {pattern}"
