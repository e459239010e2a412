"""What the editor sends on a save, read: Decap CMS writes YAML 1.2, read here by its rules.

Decap's YAML library writes YAML 1.2, whose plain ``yes`` or ``1:20`` are strings where the
catalog's YAML 1.1 reader would take them for a boolean or a base-60 number; ``_Yaml12``
tags plain scalars as YAML 1.2's core schema does. ``merge.py`` then writes the values into
the file in the file's own style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from ..content.parse import split_front_matter

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Unreadable:
    """What the editor sent is not a file this module can read (a Japanese message)."""

    message: str


class _Yaml12(_Loader):  # type: ignore[misc, valid-type]  # libyaml's loader when installed: chosen at run time
    """Tags plain scalars as YAML 1.2's core schema does (as Decap's YAML library writes them)."""


_Yaml12.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
):
    _Yaml12.add_implicit_resolver(_tag, re.compile(_pattern), list(_first) + ([""] if _first == "~nN" else []))


def _value(node: Node) -> Any:
    if isinstance(node, MappingNode):
        return {str(_value(k)): _value(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [_value(item) for item in node.value]
    text, tag = node.value, node.tag
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return text.lower() == "true"
    if tag.endswith(":int"):
        return (
            int(text, 8 if text.startswith("0o") else 16 if text.startswith("0x") else 10)
            if text[:2] in ("0o", "0x")
            else int(text)
        )
    if tag.endswith(":float"):
        return float(
            text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf").lower().replace(".nan", "nan")
        )
    return text


def read_saved(raw: str, *, front_matter: bool) -> tuple[dict[str, Any], str | None] | Unreadable:
    """(front matter values, body) of the file Decap sends; the body is None for a plain YAML file."""
    text = raw.replace("\r\n", "\n")
    body: str | None = None
    if front_matter:
        split = split_front_matter(text, "")
        if not isinstance(split, tuple):
            return Unreadable("編集画面から届いた内容に front matter（--- で囲んだ項目）がありません")
        text, _, body, _ = split
    try:
        node = yaml.compose(text, Loader=_Yaml12)
    except yaml.YAMLError as exc:
        return Unreadable(f"編集画面から届いた内容を YAML として読めません（{' '.join(str(exc).split())}）")
    data = _value(node) if node is not None else {}
    if not isinstance(data, dict):
        return Unreadable("編集画面から届いた内容が「キー: 値」の形ではありません")
    return data, body


__all__ = ["Unreadable", "read_saved"]
