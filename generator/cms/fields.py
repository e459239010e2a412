"""JSON Schemas → the collections and fields of Decap CMS's configuration (pure).

Every field the editor sees comes from a schema: its label from the first words
of the description (``short_description``, as the checks' messages name it) with
the key, its hint from the whole description, its widget from the type. Values
the schema lists (``enum``) are drop-downs showing their Japanese names (the
same names the checks use, ``enum_labels``); references to other entries are
relation widgets that show titles; dates are text in the shapes ``catalog check``
reads (``shape_pattern``), with the fiscal year only where the field takes one
(``DATE_ROLES``). A schema construct this module does not know raises
``Unsupported``: a new kind of field cannot silently go missing from the editor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..content.dates import shape_pattern
from ..content.entries import DATE_ROLES
from ..content.schema import enum_labels, load_schema, pattern_hint, short_description
from ..model import COLLECTIONS

FOLDERS: tuple[str, ...] = (*COLLECTIONS, "pages")
"""The folder collections (content/<name>/*.md), in the order the editor lists them."""
FILES: tuple[str, ...] = ("site",)
"""The single files the editor edits (content/<name>.yaml). ``archetypes.yaml`` is not one:
its top level is a list, and Decap CMS edits only files whose top level is a mapping."""
TEXT_AREA_LENGTH = 200
"""Strings that may be this long or longer are edited in a box of several lines."""
REFERENCED = {"programs": "programs", "partners": "partners"}
"""``x-ref`` targets that are folder collections (relation widgets); ``archetypes`` are a list of values."""

_DATE_HINTS = {
    "day": "日付は 2023-10-24、2023年10月24日、令和5年10月24日、R5.10.24 のように書きます",
    "start": "日付（2023-10-24、令和5年10月24日）か年度（令和7年度、2025年度）で書きます。年度はその年の4月1日からの意味です",
    "end": "日付（2023-10-24、令和5年10月24日）か年度（令和7年度、2025年度）で書きます。年度は翌年3月31日までの意味です",
}


class Unsupported(ValueError):
    """A schema construct the editor's configuration has no widget for."""


def collection_fields(name: str) -> list[dict[str, Any]]:
    """The fields of one collection (``programs``…, ``pages``, ``site``), in the schema's order."""
    schema = load_schema(name)
    return _fields(schema, (), name)


def _fields(
    node: Mapping[str, Any], at: tuple[str, ...], collection: str, *, optional: bool = False
) -> list[dict[str, Any]]:
    """``optional``: the fields of an optional object (``cms``), which the form cannot require:
    Decap would refuse to save any file without the object. The check requires them when it is written."""
    required = set(node.get("required", ())) if not optional else set()
    return [
        _field(key, child, key in required, (*at, key), collection) for key, child in node.get("properties", {}).items()
    ]


def _field(key: str, node: Mapping[str, Any], required: bool, at: tuple[str, ...], collection: str) -> dict[str, Any]:
    name = label(node)
    field: dict[str, Any] = {"name": key, "label": f"{name}（{key}）" if name else key, "required": required}
    description = node.get("description", "")
    if description and description != name:
        field["hint"] = description
    field.update(_widget(node, at, collection, required))
    return field


_ASIDE = re.compile(r"（[^（）]*）|\([^()]*\)")


def label(node: Mapping[str, Any]) -> str:
    """A form label from a description: its first sentence without what is in brackets
    (内容（事実）を…確かめた日（最終確認日）。… → 内容を出典と照らして最後に確かめた日); the
    checks' short name when that is too long."""
    text, previous = node.get("description", ""), None
    while text != previous:
        previous, text = text, _ASIDE.sub("", text)
    text = re.split(r"[。:：]", text, maxsplit=1)[0].strip()
    return text if 0 < len(text) <= 24 else short_description(node)


def _kind(node: Mapping[str, Any]) -> str:
    kind = node.get("type")
    if isinstance(kind, list):
        if len(kind) != 1:
            raise Unsupported(f"型が複数の項目（{kind}）には入力欄を作れません")
        kind = kind[0]
    return str(kind)


def _widget(node: Mapping[str, Any], at: tuple[str, ...], collection: str, required: bool) -> dict[str, Any]:
    kind = _kind(node)
    if node.get("x-format") == "flexdate":
        role = DATE_ROLES.get(at, "day")
        return {"widget": "string", "pattern": [shape_pattern(role), _DATE_HINTS[role]]}
    if "enum" in node:
        return {"widget": "select", "options": _options(node, node)}
    if "const" in node:
        return {"widget": "select", "options": [{"label": str(node["const"]), "value": node["const"]}]}
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind in ("integer", "number"):
        widget: dict[str, Any] = {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
        if "minimum" in node:
            widget["min"] = node["minimum"]
        if "maximum" in node:
            widget["max"] = node["maximum"]
        if kind == "number":
            widget["step"] = 0.01
        return widget
    if kind == "string":
        return _string(node)
    if kind == "object" and "properties" in node:
        return {"widget": "object", "collapsed": False, "fields": _fields(node, at, collection, optional=not required)}
    if kind == "array":
        return _array(node, at, collection)
    raise Unsupported(f"{'.'.join(at)}: 型「{kind}」の項目には入力欄を作れません")


def _string(node: Mapping[str, Any]) -> dict[str, Any]:
    widget: dict[str, Any] = {"widget": "text" if node.get("maxLength", 0) >= TEXT_AREA_LENGTH else "string"}
    if "pattern" in node:
        widget["pattern"] = [node["pattern"], pattern_hint(node["pattern"])]
    elif "maxLength" in node:
        limit = node["maxLength"]
        widget["pattern"] = [f"^[\\s\\S]{{0,{limit}}}$", f"{limit}文字以内で書いてください"]
    return widget


def _array(node: Mapping[str, Any], at: tuple[str, ...], collection: str) -> dict[str, Any]:
    items = node.get("items", {})
    bounds = {"min": node["minItems"]} if node.get("minItems") else {}
    ref = node.get("x-ref")
    if ref in REFERENCED:
        return {
            "widget": "relation",
            "collection": REFERENCED[ref],
            "value_field": "{{slug}}",
            "search_fields": ["title"],
            "display_fields": ["title"],
            "multiple": True,
            "options_length": 1000,
            **bounds,
        }
    if "enum" in items:
        return {"widget": "select", "multiple": True, "options": _options(items, node), **bounds}
    item_kind = _kind(items)
    singular = label(node) or at[-1]
    if item_kind == "object" and "properties" in items:
        first = next(iter(items["properties"]))
        return {
            "widget": "list",
            "label_singular": singular,
            "collapsed": False,
            "summary": f"{{{{fields.{first}}}}}",
            "fields": _fields(items, at, collection),
            **bounds,
        }
    if item_kind == "string":
        item = {"name": "item", "label": singular, **_string(items)}
        return {"widget": "list", "label_singular": singular, "collapsed": False, "field": item, **bounds}
    raise Unsupported(f"{'.'.join(at)}: 型「{item_kind}」のリストには入力欄を作れません")


def _options(values: Mapping[str, Any], described: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each allowed value with its Japanese name from the description (the value itself when it has none)."""
    labels = enum_labels(described.get("description", ""))
    return [{"label": labels.get(str(value), str(value)), "value": value} for value in values["enum"]]


__all__ = ["FILES", "FOLDERS", "Unsupported", "collection_fields"]
