"""Bytes → text → YAML front matter with line numbers, and the Markdown body.

Pure: takes bytes, returns a ``Parsed`` value or problems, never raises.
YAML is read with libyaml's composer (C) and built into Python values here, so
that every key keeps its line, duplicate keys are found (PyYAML silently keeps
the last one), and aliases (the YAML-bomb vector) are refused. Dates stay
strings: the date parser reads them, with 和暦 and 年度.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import Problem, error
from .yaml_messages import reader_problem, yaml_problem
from .yaml_slips import closing_fence, suspicious_scalar

Path_ = tuple[str | int, ...]
"""Where a value sits in a document: keys and list indexes from the root."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoDatesLoader(_Loader):  # type: ignore[misc, valid-type]  # libyaml's loader when installed: chosen at run time
    """Safe loader whose plain scalars never become datetime objects."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_SCALARS = yaml.constructor.SafeConstructor()
# The safe loader's own functions for the other plain scalars, called directly:
# its construct_object() would remember every node it ever built (a leak).
_CONSTRUCTORS = {
    tag: _SCALARS.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
}


@dataclass(frozen=True)
class Parsed:
    """A content file, parsed. ``data`` is a mapping (or a list for archetypes.yaml)."""

    path: str
    data: Any
    positions: Mapping[Path_, tuple[int, int]]
    """(line, col) of each key or list item, by its path; () is the document start."""
    body: str = ""
    body_line: int = 1
    md_links: tuple[tuple[str, int, int], ...] = ()
    """(href, line, col) of each link in the body to a ``.md`` file (links between entries)."""

    def where(self, path: Path_) -> tuple[int, int]:
        """Position of ``path``, or of its nearest parent that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


def decode(raw: bytes, path: str) -> str | Problem:
    """UTF-8 (a BOM is fine) to text with LF line ends, or a problem naming the encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return error(path, 1, 1, "encoding", "ファイルが UTF-16 で保存されています。UTF-8 で保存し直してください")
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        if raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4:
            return error(
                path, 1, 1, "encoding", "ファイルが UTF-16 で保存されているようです。UTF-8 で保存し直してください"
            )
        return error(
            path,
            line,
            1,
            "nul-byte",
            "ファイルに NUL 文字（0x00）が含まれています。テキストファイルとして保存し直してください",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("cp932")
        except UnicodeDecodeError:
            return error(path, line, col, "encoding", "ファイルが UTF-8 ではありません。UTF-8 で保存し直してください")
        return error(
            path,
            line,
            col,
            "encoding",
            "ファイルが UTF-8 ではなく Shift_JIS で保存されているようです。UTF-8 で保存し直してください",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FENCE = re.compile(r"^---[ \t]*$")
# What libyaml's reader refuses in the file, also refused when written as an escape ("\x01", "\u0000").
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_front_matter(text: str, path: str) -> tuple[str, int, str, int] | Problem:
    """Front matter text and its first line, body text and its first line."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        if not text.strip():
            return error(
                path, 1, 1, "empty-file", "ファイルが空です。先頭に --- で囲んだ項目（front matter）を書いてください"
            )
        return error(
            path,
            1,
            1,
            "front-matter-missing",
            "ファイルの先頭に --- で始まる項目（front matter）がありません。1行目を --- にしてください",
        )
    for index in range(1, len(lines)):
        if _END.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, 2, body, index + 2
    line = closing_fence(lines[1:]) + 2
    return error(
        path,
        line,
        1,
        "front-matter-unclosed",
        "front matter を閉じる --- がありません。この行（本文の始まり）の前に --- だけの行を入れてください",
    )


@dataclass(frozen=True)
class YamlDoc:
    value: Any
    positions: Mapping[Path_, tuple[int, int]]


def parse_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc | tuple[Problem, ...]:
    """YAML text → value with positions, or the problems found. Lines count from ``first_line``."""
    try:
        loader = _NoDatesLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return (yaml_problem(exc, text, path, first_line),)
    except yaml.reader.ReaderError as exc:  # a control character; its position is in bytes or characters
        return (reader_problem(exc, text, path, first_line),)
    except yaml.YAMLError as exc:
        return (error(path, first_line, 1, "yaml-syntax", f"YAML として読めません（{' '.join(str(exc).split())}）"),)
    if node is None:
        return YamlDoc(None, {(): (first_line, 1)})
    builder = _Builder(path, first_line, text)
    builder.positions[()] = builder.where(node)
    value = builder.build(node, ())
    if builder.problems:
        return tuple(builder.problems)
    return YamlDoc(value, dict(builder.positions))


def parse_entry(raw: bytes, path: str) -> Parsed | tuple[Problem, ...]:
    """A Markdown entry file: front matter mapping plus body."""
    text = decode(raw, path)
    if isinstance(text, Problem):
        return (text,)
    split = split_front_matter(text, path)
    if isinstance(split, Problem):
        return (split,)
    yaml_text, yaml_line, body, body_line = split
    doc = parse_yaml(yaml_text, path, yaml_line)
    if not isinstance(doc, YamlDoc):
        return doc
    bad = _NON_PRINTABLE.search(body)
    if bad:
        line = body_line + body.count("\n", 0, bad.start())
        col = bad.start() - (body.rfind("\n", 0, bad.start()) + 1) + 1
        return (
            error(
                path,
                line,
                col,
                "control-character",
                f"本文に使えない制御文字（U+{ord(bad.group()):04X}）が含まれています。取り除いてください",
            ),
        )
    data = doc.value
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return (error(path, yaml_line, 1, "front-matter-type", "front matter は「キー: 値」の形で書いてください"),)
    positions = dict(doc.positions)
    positions[()] = (1, 1)
    return Parsed(path, data, positions, body, body_line, md_file_links(body, body_line))


def parse_data_file(raw: bytes, path: str) -> Parsed | tuple[Problem, ...]:
    """A plain YAML file (site.yaml, archetypes.yaml)."""
    text = decode(raw, path)
    if isinstance(text, Problem):
        return (text,)
    doc = parse_yaml(text, path, 1)
    if not isinstance(doc, YamlDoc):
        return doc
    return Parsed(path, doc.value, doc.positions)


MAX_DEPTH = 32
"""Deepest nesting of mappings and lists a content file may have."""


_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")


def md_file_links(body: str, body_line: int) -> tuple[tuple[str, int, int], ...]:
    """(href, line, col) of every Markdown link in ``body`` to a local ``.md`` file."""
    if ".md" not in body:
        return ()
    found: list[tuple[str, int, int]] = []
    for offset, line_text in enumerate(body.split("\n")):
        if ".md" not in line_text:
            continue
        targets = [(m.group(1), m.start(1)) for m in _INLINE_LINK.finditer(line_text)]
        ref = _REF_DEF.match(line_text)
        if ref:
            targets.append((ref.group(1), ref.start(1)))
        for href, col in targets:
            bare = href.split("#", 1)[0].split("?", 1)[0]
            if "://" not in href and bare.endswith(".md"):
                found.append((href, body_line + offset, col + 1))
    return tuple(found)


class _Builder:
    """Turns composed YAML nodes into plain values, remembering positions.

    Whoever builds a node has already recorded its position: that of its key in
    a mapping (where the messages point), of the item in a list.
    """

    def __init__(self, path: str, first_line: int, text: str) -> None:
        self.path = path
        self.text = text
        self.offset = first_line - 1
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def where(self, node: Node) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + 1 + self.offset, mark.column + 1

    def fail(self, node: Node, code: str, message: str) -> None:
        line, col = self.where(node)
        self.problems.append(error(self.path, line, col, code, message))

    def build(self, node: Node, at: Path_) -> Any:
        if len(at) > MAX_DEPTH:  # deeper than any field needs; also keeps clear of Python's recursion limit
            self.fail(node, "yaml-depth", f"入れ子が深すぎます（{MAX_DEPTH}段まで）。インデントを見直してください")
            return None
        if id(node) in self.seen:
            line, col = self.positions.get(at, self.where(node))
            self.problems.append(
                error(
                    self.path,
                    line,
                    col,
                    "yaml-alias",
                    "YAML のアンカー（&）とエイリアス（*）は使えません。値をそのまま書いてください",
                )
            )
            return None
        self.seen.add(id(node))
        kind = type(node)
        if kind is ScalarNode:
            return self.scalar(cast(ScalarNode, node))
        if kind is MappingNode:
            return self.mapping(cast(MappingNode, node), at)
        if kind is SequenceNode:
            if node.tag != _SEQ_TAG:
                self.fail(node, "yaml-tag", f"YAML のタグ「{node.tag}」は使えません")
                return None
            items = []
            for index, item in enumerate(node.value):
                here = (*at, index)
                self.positions[here] = self.where(item)
                items.append(self.build(item, here))
            return items
        self.fail(node, "yaml-syntax", "読めない YAML の値です")
        return None

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            value = node.value
        elif tag in _CONSTRUCTORS:
            try:
                value = _CONSTRUCTORS[tag](_SCALARS, node)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                self.fail(node, "yaml-syntax", f"値「{node.value}」を読めません（{exc}）")
                return None
        else:
            self.fail(node, "yaml-tag", f"YAML のタグ「{tag}」は使えません")
            return None
        if isinstance(value, float) and not math.isfinite(value):  # .inf / .nan break comparisons and JSON
            self.fail(node, "invalid-number", f"「{node.value}」は数値として使えません。ふつうの数値で書いてください")
            return None
        if not isinstance(value, str):
            return value
        bad = _NON_PRINTABLE.search(value)
        if bad:
            self.fail(
                node,
                "control-character",
                f'値に使えない制御文字（U+{ord(bad.group()):04X}）が含まれています。"…" の中の \\x や \\u による書き方も使えません',
            )
            return None
        if ":" in value or "：" in value or " - " in value or "－" in value or value[:1] == "-":
            # It parsed, but perhaps only because of a slip: a "-item" or "key:value" line, a value run on
            # over a "- item" or "key: value" line (whose text it then holds), a quote run on over keys.
            slip = suspicious_scalar(node, self.text)
            if slip is not None:
                line, col, message = slip
                self.problems.append(
                    error(
                        self.path,
                        line + 1 + self.offset,
                        col + 1,
                        "yaml-syntax",
                        f"YAML の書き方に誤りがあります: {message}",
                    )
                )
                return None
        return value

    def mapping(self, node: MappingNode, at: Path_) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            self.fail(node, "yaml-tag", f"YAML のタグ「{node.tag}」は使えません")
            return {}
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "yaml-key", "キーは文字列で書いてください（<< による結合や複合キーは使えません）")
                continue
            key = key_node.value
            if key_node.tag != _STR_TAG:
                key = str(key)
            line, col = self.where(key_node)
            if key in first_seen:
                self.fail(
                    key_node,
                    "duplicate-key",
                    f"キー「{key}」が2回書かれています（最初は{first_seen[key]}行目）。1つにまとめてください",
                )
                continue
            first_seen[key] = line
            here = (*at, key)
            self.positions[here] = (line, col)
            result[key] = self.build(value_node, here)
        return result
