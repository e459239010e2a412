"""An entry saved in the editor, written back into its file: every line the editor did not change stays.

Decap CMS sends the whole file as its own YAML library writes it: keys in the
order of the configuration, flow lists turned into blocks, comments dropped,
dates unquoted. Written as it comes, opening an entry and saving it would
rewrite it; a one-word change would be a diff of the whole file. Instead, the
values Decap sends are compared with those of the file, and only what differs
is written again, in the file's own style:

- a value that did not change keeps its lines byte for byte (quotes, comments, order);
- a changed mapping or block list keeps its unchanged members; a changed item of
  a list is matched with its old place (``difflib``) so the others stay;
- a changed scalar or flow list is written anew on its key's line (a comment on that
  line goes: it most often is the scaffold's ``# ← 書き換えてください``);
- a new key goes where the schema puts it among the keys the file has; an optional
  key the editor emptied ("", [], {}) is removed, as if it had never been written;
- the body stays unless its text changed (a final newline more or less is no change).

A new file is written in the same style, keys in the schema's order. Decap writes
YAML 1.2, whose plain ``yes`` or ``1:20`` are strings; it is read by YAML 1.2's
rules (``saved.read_saved``), and anything written anew is quoted where the catalog's YAML 1.1
reader would take it for something else (as ``catalog new`` writes values).
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_EMPTY: tuple[object, ...] = ("", None, [], {})


# --- comparing ----------------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal as the catalog reads them: 1 and 1.0 are the same number, True is not 1, order of keys does not matter."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- writing values anew, in the house style ------------------------------------------------------------

_SPECIAL_FLOW = re.compile(r"[\[\]{},]")


def scalar(value: Any, *, flow: bool = False, style: str | None = None) -> str:
    """One YAML scalar as the catalog's files write it: plain when the YAML 1.1 reader
    reads it back as the same text, otherwise in double quotes (dates always are)."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else json.dumps(str(value))
    text = str(value)
    quoted = json.dumps(text, ensure_ascii=False)
    if style in ('"', "'") or "\n" in text or text != text.strip() or (flow and _SPECIAL_FLOW.search(text)):
        return quoted
    try:
        plain = yaml.load(f"k: {text}", Loader=_Loader) == {"k": text} and " #" not in text
    except (yaml.YAMLError, ValueError, OverflowError):  # 2026-02-30 is a timestamp that is no day
        plain = False
    return text if plain else quoted


def emit(key: str, value: Any, indent: int, *, in_item: bool = False) -> list[str]:
    """The lines of ``key: value`` at ``indent``: lists as blocks, lists of scalars inside a list item
    on one line (``covers: [a, b]``), as the catalog's files write them."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{key}: {{}}"]
        return [f"{pad}{key}:", *(line for k, v in value.items() for line in emit(k, v, indent + 2, in_item=in_item))]
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []"]
        if in_item and not any(isinstance(v, (dict, list)) for v in value):
            return [f"{pad}{key}: [" + ", ".join(scalar(v, flow=True) for v in value) + "]"]
        return [f"{pad}{key}:", *(line for item in value for line in emit_item(item, indent + 2))]
    return [f"{pad}{key}: {scalar(value)}"]


def emit_item(item: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(item, dict) and item:
        lines: list[str] = []
        for n, (k, v) in enumerate(item.items()):
            first = emit(k, v, indent + 2, in_item=True)
            lines.append((f"{pad}- " if n == 0 else f"{pad}  ") + first[0][indent + 2 :])
            lines.extend(first[1:])
        return lines
    if isinstance(item, (dict, list)):
        return [f"{pad}- {'{}' if isinstance(item, dict) else '[]'}"]
    return [f"{pad}- {scalar(item)}"]


def emit_file(data: Mapping[str, Any], order: Sequence[str], body: str | None) -> str:
    """A new file: keys in the schema's order (others after them), empty values left out."""
    keys = sorted(
        (k for k, v in data.items() if not _empty(v)), key=lambda k: (order.index(k) if k in order else len(order), k)
    )
    front = [line for k in keys for line in emit(k, data[k], 0)]
    if body is None:
        return "\n".join(front) + "\n"
    return "---\n" + "\n".join(front) + "\n---\n" + _body_text(body)


def _empty(value: Any) -> bool:
    return any(value is e or (type(value) is type(e) and value == e) for e in _EMPTY)


def _body_text(body: str) -> str:
    body = body.replace("\r\n", "\n")
    return body.rstrip("\n") + "\n" if body.strip() else ""


# --- merging into the old file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """The lines of one member of a block mapping or list: comments and blank lines before it, then its own."""

    lead: tuple[int, int]
    own: tuple[int, int]


def _last_line(node: Node, lines: Sequence[str], start: int) -> int:
    """The last line that holds part of ``node`` (trailing comments and blank lines excluded)."""
    mark = node.end_mark
    # A block collection ends where the next token starts: at the indent of the following line.
    ends_before = mark.line >= len(lines) or not lines[mark.line][: mark.column].strip()
    last = mark.line - 1 if ends_before else mark.line
    last = min(max(last, start), len(lines) - 1)
    while last > start and _filler(lines[last]):
        last -= 1
    return last


def _filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _spans(starts: Sequence[int], nodes: Sequence[Node], lines: Sequence[str], first: int) -> list[_Span]:
    spans, previous_end = [], first - 1
    for start, node in zip(starts, nodes):
        end = _last_line(node, lines, start)
        spans.append(_Span((previous_end + 1, start - 1), (start, end)))
        previous_end = end
    return spans


class _Merger:
    """Writes a block mapping or list again from its old lines and new values (see the module's docstring)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def take(self, span: tuple[int, int]) -> list[str]:
        return self.lines[span[0] : span[1] + 1]

    def mapping(
        self, node: MappingNode, old: Mapping[str, Any], new: Mapping[str, Any], first: int, schema: Mapping[str, Any]
    ) -> list[str]:
        """The lines of a block mapping whose members start at line ``first`` (comments before them included)."""
        pairs = [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]
        spans = _spans([k.start_mark.line for k, _ in pairs], [v for _, v in pairs], self.lines, first)
        properties = schema.get("properties", {})
        blocks: list[tuple[str, list[str]]] = []
        for (key_node, value_node), span in zip(pairs, spans):
            key = key_node.value
            if key not in new or (_empty(new[key]) and not _empty(old.get(key))):
                continue  # removed, or emptied by the editor: gone with the comments before it
            if key in old and same(old[key], new[key]):
                blocks.append((key, self.take(span.lead) + self.take(span.own)))
            else:
                lines = self.changed(key_node, value_node, old.get(key), new[key], span, properties.get(key, {}))
                blocks.append((key, self.take(span.lead) + lines))
        if pairs:
            column = pairs[0][0].start_mark.column
            in_item = self._item_key(pairs[0][0].start_mark.line, column)
            for key in (k for k in new if k not in old and not _empty(new[k])):
                _insert(blocks, key, emit(key, new[key], column, in_item=in_item), tuple(properties))
        return [line for _, block in blocks for line in block]

    def changed(
        self, key_node: ScalarNode, value_node: Node, old: Any, new: Any, span: _Span, schema: Mapping[str, Any]
    ) -> list[str]:
        column = key_node.start_mark.column
        head = self.lines[span.own[0]]
        prefix = head[:column]  # "" at the top, spaces in a mapping, "- " before the first key of a list item
        block = not getattr(value_node, "flow_style", True)
        if (
            block
            and value_node.value
            and isinstance(value_node, MappingNode)
            and isinstance(old, dict)
            and isinstance(new, dict)
        ):
            start = value_node.value[0][0].start_mark.line
            return self.lines[span.own[0] : start] + self.mapping(value_node, old, new, start, schema)
        if (
            block
            and value_node.value
            and isinstance(value_node, SequenceNode)
            and isinstance(old, list)
            and isinstance(new, list)
        ):
            start = value_node.value[0].start_mark.line
            return self.lines[span.own[0] : start] + self.sequence(value_node, old, new, start, schema.get("items", {}))
        in_item = self._item_key(span.own[0], column) or (isinstance(value_node, SequenceNode) and not block)
        fresh = emit(key_node.value, new, column, in_item=in_item)
        style = (
            value_node.style
            if isinstance(value_node, ScalarNode) and isinstance(old, str) and isinstance(new, str)
            else None
        )
        if style and len(fresh) == 1:
            fresh = [f"{' ' * column}{key_node.value}: {scalar(new, style=style)}"]
        return [prefix + fresh[0][column:], *fresh[1:]]

    def _item_key(self, line: int, column: int) -> bool:
        """Whether the key at (line, column) belongs to an item of a list ("- key:" or a key under it)."""
        if self.lines[line][:column].rstrip().endswith("-"):
            return True
        for above in range(line - 1, -1, -1):
            text = self.lines[above]
            if _filler(text):
                continue
            indent = len(text) - len(text.lstrip(" "))
            if indent < column:
                return text[indent : indent + 2] == "- " and indent == column - 2
        return False

    def sequence(
        self, node: SequenceNode, old: list[Any], new: list[Any], first: int, schema: Mapping[str, Any]
    ) -> list[str]:
        """The lines of a block list: unchanged items kept, changed ones merged or written anew at the items' indent."""
        items = node.value
        spans = _spans([i.start_mark.line for i in items], items, self.lines, first)
        dash = items[0].start_mark.column - 2
        matcher = difflib.SequenceMatcher(
            a=[_canonical(v) for v in old], b=[_canonical(v) for v in new], autojunk=False
        )
        out: list[str] = []
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            if tag == "equal":
                for index in range(a0, a1):
                    out += self.take(spans[index].lead) + self.take(spans[index].own)
                continue
            for offset, index in enumerate(range(b0, b1)):
                was = a0 + offset if tag == "replace" and a0 + offset < a1 else None
                if was is None:
                    out += emit_item(new[index], dash)
                    continue
                out += self.take(spans[was].lead)
                item = items[was]
                if (
                    isinstance(item, MappingNode)
                    and not item.flow_style
                    and item.value
                    and isinstance(old[was], dict)
                    and isinstance(new[index], dict)
                ):
                    out += self.mapping(item, old[was], new[index], item.start_mark.line, schema)
                else:
                    out += emit_item(new[index], dash)
        return out


def _insert(blocks: list[tuple[str, list[str]]], key: str, lines: list[str], order: Sequence[str]) -> None:
    """Put a new key after the last key the file has that comes before it in the schema."""
    rank = order.index(key) if key in order else len(order)
    at = 0
    for position, (other, _) in enumerate(blocks):
        if (order.index(other) if other in order else len(order)) <= rank:
            at = position + 1
    blocks.insert(at, (key, lines))


_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def merge(
    old_text: str,
    old_data: Mapping[str, Any],
    new_data: Mapping[str, Any],
    new_body: str | None,
    schema: Mapping[str, Any],
    *,
    old_body: str | None,
) -> str:
    """The old file's text with the new values and body merged in (see the module's docstring).

    ``old_body`` is None for a plain YAML file (site.yaml), the body of a Markdown entry otherwise.
    """
    newline = "\r\n" if "\r\n" in old_text else "\n"
    bom = "\ufeff" if old_text.startswith("\ufeff") else ""
    text = old_text[len(bom) :].replace("\r\n", "\n")
    head = rest = ""
    front = text
    if old_body is not None:
        opening = text.index("\n") + 1
        closing = _FENCE_END.search(text, opening)
        assert closing is not None  # the old file was read as an entry
        head, front, rest = text[:opening], text[opening : closing.start()], text[closing.start() :]
    lines = front.split("\n")
    if lines[-1] == "":
        lines.pop()
    node = yaml.compose(front, Loader=_Loader) if front.strip() else None
    if isinstance(node, MappingNode) and node.value:
        merged = _Merger(lines).mapping(node, old_data, new_data, 0, schema)
        last = max(_last_line(v, lines, k.start_mark.line) for k, v in node.value)
        merged += lines[last + 1 :]
    else:
        merged = lines + [line for key, value in new_data.items() if not _empty(value) for line in emit(key, value, 0)]
    result = "\n".join(merged) + ("\n" if merged else "")
    if old_body is not None:
        if new_body is not None and new_body.rstrip("\n") != old_body.rstrip("\n"):
            fence = rest.split("\n", 1)[0]
            rest = fence + "\n" + _body_text(new_body)
        result = head + result + rest
    return bom + result.replace("\n", newline)


__all__ = ["emit_file", "merge", "same", "scalar"]
