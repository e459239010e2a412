"""The editor's guide (Japanese Markdown), generated so that it can never drift.

The field tables come from the JSON Schemas in ``content/schemas/``; the date
table is computed by the date parser; the error and privacy examples are the
messages the checks really give for small broken files. Only the prose and the
meaning of each error code are written here (a test checks that every code the
checks use is explained). ``render_guide`` is pure; the CLI writes the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, cast

from ..content.dates import Role as DateRole
from ..content.dates import parse_flexdate
from ..content.discover import SourceFile
from ..content.privacy import FORBIDDEN_KEYS, HISTORY_WORDS
from ..content.schema import load_schema
from ..content.validate import validate_file
from ..model import COLLECTIONS
from .guide_codes import CODES
from .guide_text import EDITOR, INTRO, LAYOUT, PREVIEW, PRIVACY, READING_ERRORS, SOURCES, WORKFLOW
from .scaffold import scaffold

EXAMPLE_DAY = date(2026, 4, 1)
"""Fixed day for generated examples, so the guide is the same on every run."""

_PATTERNS = {
    "^.+[都道府県]$": "「都」「道」「府」「県」で終わる名前",
    "^https?://[^/\\s\"'<>\\\\]+/?$": "https://example.jp のように、パスを含まないURL（空白・引用符・< > \\ は使えません）",
    "^/([A-Za-z0-9._~-]+/)*$": "/ で始まり / で終わるパス（半角英数字と . _ ~ -）",
    "^[a-z0-9][a-z0-9-]*$": "ファイル名（半角英小文字・数字・ハイフン）",
    "^https://[^/\\s\"'<>\\\\]+/?$": "https://auth.example.jp のように、https:// で始まりパスを含まないURL",
    "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$": "所有者/名前（半角英数字と . _ -。例: nagano-pref/dx-catalog）",
}
"""Patterns of the schemas in words an editor reads."""

_TYPES = {"string": "文字列", "integer": "整数", "number": "数値", "boolean": "true / false", "object": "組"}


def render_guide() -> str:
    parts = [
        INTRO,
        WORKFLOW,
        SOURCES,
        _dates_section(),
        PRIVACY.format(
            keys="、".join(f"`{k}`" for k in sorted(FORBIDDEN_KEYS)),
            history="、".join(HISTORY_WORDS),
            examples=_privacy_examples(),
        ),
        READING_ERRORS.format(anatomy=_anatomy(), examples=_error_examples(), codes=_code_table()),
        PREVIEW,
        EDITOR,
        LAYOUT,
        "## 項目の一覧\n\n各ファイルに書ける項目です。JSON Schema（`generator/content/schemas/`）から自動で作っています。"
        "「必須」の項目は必ず書きます。「任意」の項目は、使わなければ書かなくてかまいません。",
    ]
    for name in (*COLLECTIONS, "pages", "site", "archetypes"):
        parts.append(_schema_section(name))
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


# --- fields -----------------------------------------------------------------------------------


def _schema_section(name: str) -> str:
    schema = load_schema(name)
    where = _location(name)
    lines = [
        f"### {schema.get('title', name)}（{where}）",
        "",
        schema.get("description", ""),
        "",
        "| 項目 | 必須 | 型 | 説明 | 使える値 | 例 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    root = schema["items"] if schema.get("type") == "array" else schema
    if schema.get("type") == "array":
        lines[2] += " ファイルは「- id: …」で始まる組のリストです。"
    for label, node, required in _rows(root, ""):
        cells = [f"`{label}`", required, _type(node), node.get("description", ""), _allowed(node), _example(node)]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _location(name: str) -> str:
    if name in ("site", "archetypes"):
        return f"content/{name}.yaml"
    return f"content/{name}/ファイル名.md"


def _rows(node: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    required = set(node.get("required", ()))
    for key, child in node.get("properties", {}).items():
        label = f"{prefix}{key}"
        if key in required:
            need = f"必須（{prefix.rstrip('.').removesuffix('[]')} を書くとき）" if prefix else "必須"
        else:
            need = "任意"
        yield label, child, need
        if child.get("type") == "object" and "properties" in child:
            yield from _rows(child, f"{label}.")
        items = child.get("items", {})
        if child.get("type") == "array" and items.get("type") == "object":
            yield from _rows(items, f"{label}[].")


def _type(node: Mapping[str, Any]) -> str:
    if node.get("x-format") == "flexdate":
        return "日付"
    kind = node.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "array":
        items = node.get("items", {})
        inner = "組" if items.get("type") == "object" else _type(items)
        return f"{inner}のリスト"
    return _TYPES.get(str(kind), str(kind))


def _allowed(node: Mapping[str, Any]) -> str:
    target = node.get("items", node) if node.get("type") == "array" else node
    notes: list[str] = []
    if "enum" in target:
        notes.append("、".join(f"`{v}`" for v in target["enum"]))
    if node.get("x-ref") and node.get("x-ref") != "archetypes":
        notes.append(f"content/{node['x-ref']}/ にあるファイル名（.md を除く）")
    elif node.get("x-ref") == "archetypes":
        notes.append("content/archetypes.yaml にある人材像")
    if target.get("x-format") == "flexdate":
        notes.append("日付（下の「日付と年度の書き方」）")
    if target.get("pattern") == "^https?://":
        notes.append("http:// か https:// で始まるURL")
    elif target.get("pattern") and "enum" not in target and not node.get("x-ref"):
        notes.append(_PATTERNS.get(target["pattern"], f"形式: `{target['pattern']}`"))
    if "maxLength" in target:
        notes.append(f"{target['maxLength']}文字以内")
    if "minimum" in target or "maximum" in target:
        notes.append(f"{target.get('minimum', '')}〜{target.get('maximum', '')}")
    if node.get("minItems"):
        notes.append(f"{node['minItems']}個以上")
    if node.get("uniqueItems"):
        notes.append("同じ値は1回だけ")
    return "。".join(notes)


def _example(node: Mapping[str, Any]) -> str:
    examples = node.get("examples")
    if not examples or (node.get("type") == "object" and "properties" in node):
        return ""
    value = examples[0]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return ""  # shown field by field in the rows below
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# --- dates ----------------------------------------------------------------------------------------

_DATE_EXAMPLES = (
    "2023-10-24",
    "2023年10月24日",
    "令和5年10月24日",
    "令和元年5月1日",
    "R5.10.24",
    "令和7年度",
    "R7年度",
    "2025年度",
    "令和元年度",
)


def _dates_section() -> str:
    rows = [
        "| 書き方 | 日付として（updated など） | 期間の開始として（start） | 期間の終了として（end） |",
        "| --- | --- | --- | --- |",
    ]
    for text in _DATE_EXAMPLES:
        cells = [f"`{text}`"] + [_date_cell(text, role) for role in ("day", "start", "end")]
        rows.append("| " + " | ".join(cells) + " |")
    return (
        "## 日付と年度の書き方\n\n"
        "日付は西暦（`2023-10-24`、`2023年10月24日`）でも和暦（`令和5年10月24日`）でも書けます。1年目は「元年」と書けます"
        "（`令和元年5月1日`）。数字は全角でもかまいません。西暦の `2023-10-24` は、YAML が日付として読まないよう"
        '`"2023-10-24"` のように `"` で囲むと確実です。\n\n'
        "**年度**は4月1日から翌年の3月31日までです（令和7年度 = 2025年4月1日〜2026年3月31日）。年度は期間（`period` の"
        "`start`・`end`、事例の `started` など）にだけ書けます。開始に書くとその年度の4月1日、終了に書くと翌年3月31日の意味に"
        "なります。下の表は、このツールが実際にどう読むかです。\n\n" + "\n".join(rows)
    )


def _date_cell(text: str, role: str) -> str:
    parsed = parse_flexdate(text, cast(DateRole, role))
    if isinstance(parsed, str):
        return "書けません"
    return f"{parsed.value.year}年{parsed.value.month}月{parsed.value.day}日"


# --- examples of real messages -------------------------------------------------------------------


def _problems_for(kind: str, text: str) -> list[tuple[str, str]]:
    """(offending line, formatted message) for every problem the checks find in ``text``."""
    path = f"content/{kind}/example.md"
    result = validate_file(SourceFile(path, kind, "example", text.encode("utf-8")), None, EXAMPLE_DAY)
    lines = text.split("\n")
    return [(lines[p.line - 1].strip() if 0 < p.line <= len(lines) else "", p.format()) for p in result.problems]


def _valid(kind: str) -> str:
    """A valid entry as `catalog new` writes it, without its comments (shorter examples)."""
    text = scaffold(kind, "example", today=EXAMPLE_DAY, existing={})
    _, front, body = text.split("---\n", 2)
    kept = [
        line.split("  # ", 1)[0] for line in front.split("\n") if not line.lstrip().startswith("#") and line.strip()
    ]
    return "---\n" + "\n".join(kept) + "\n---\n" + body


def _broken_examples() -> Iterable[tuple[str, str, str]]:
    """(what the editor did, kind, file text)."""
    program = _valid("programs")
    yield "項目名のつづりを間違えた", "programs", program.replace("\nlevel:", "\nlevl:", 1)
    yield "決められた値の代わりに日本語で書いた", "programs", program.replace("level: national", "level: 国", 1)
    yield "ない日付を書いた", "programs", program.replace('reviewed: "2026-04-01"', "reviewed: 令和5年2月30日", 1)
    yield "期間の終わりが始まりより前になった", "programs", program.replace("end: 令和7年度", "end: 令和4年度", 1)
    yield (
        "値の中に「:」を書いた",
        "programs",
        program.replace("title: 地域情報化アドバイザー制度", "title: 地域情報化アドバイザー制度: 総務省", 1),
    )
    yield "字下げにタブを使った", "programs", program.replace("  - 総務省", "\t- 総務省", 1)
    yield "「:」の後に半角スペースを入れなかった", "programs", program.replace("level: national", "level:national", 1)
    yield "「:」を全角で書いた", "programs", program.replace("level: national", "level： national", 1)
    yield '引用符（"）を閉じ忘れた', "programs", program.replace('updated: "2026-04-01"', 'updated: "2026-04-01', 1)
    yield (
        "値の一部だけを引用符で囲んだ",
        "programs",
        program.replace("title: 地域情報化アドバイザー制度", 'title: "地域情報化アドバイザー" 制度', 1),
    )
    yield "リストの「-」の後に半角スペースを入れなかった", "programs", program.replace("  - 総務省", "  -総務省", 1)
    yield "字下げがそろっていない", "programs", program.replace("  cost_coverage:", "   cost_coverage:", 1)
    yield "フロントマターを閉じる --- を消した", "programs", program.replace("---\n## ", "## ", 1)
    published = program.replace("draft: true", "draft: false", 1).replace(
        "（申し込み先や手続きの流れを書きます）", "窓口は総務省です。", 1
    )
    left = published.replace("level: national", "level: national  # ← 書き換えてください", 1)
    yield "例の値や例の文を残したまま下書きをやめた", "programs", left
    yield (
        "出典の covers に書いた項目名を間違えた",
        "programs",
        program.replace("covers: [terms.fiscal_rate", "covers: [terms.fiscal_rat", 1),
    )


def _anatomy() -> str:
    """The parts of one real message."""
    _, kind, text = next(iter(_broken_examples()))
    path = f"content/{kind}/example.md"
    found = validate_file(SourceFile(path, kind, "example", text.encode("utf-8")), None, EXAMPLE_DAY).problems
    problem = max(found, key=lambda p: p.line)
    return (
        f"```text\n{problem.format()}\n```\n\n"
        f"- `{problem.path}` … 問題のあるファイル\n"
        f"- `{problem.line}:{problem.col}` … その行と、行の何文字目か（列）。エディタでこの行を開きます。0 のときはファイル全体の問題です\n"
        f"- `{problem.severity.value}` … `error` は直すまで公開されない問題、`warning` は公開はされるが確かめてほしいこと\n"
        f"- `[{problem.code}]` … 問題の種類（コード）。下の表で意味と直し方を調べられます\n"
        f"- そのあと … 何が問題で、どう直せばよいか"
    )


def _error_examples() -> str:
    blocks = []
    for what, kind, text in _broken_examples():
        shown = _problems_for(kind, text)
        body = "\n".join(f"{line}\n  → {message}" if line else message for line, message in shown)
        blocks.append(f"**{what}**\n\n```text\n{body}\n```")
    return "\n\n".join(blocks)


_PRIVACY_LINES = (
    "連絡先は taro.yamada@example.jp です。",
    "電話 090-1234-5678 までどうぞ。",
    "電話 ０２６－２３２－０１１１ です。",
    "〒380-8570 長野市",
    "https://x.com/yamada_taro で発信しています。",
)


def _privacy_examples() -> str:
    role = _valid("roles")
    body = "\n".join(_PRIVACY_LINES)
    text = role.replace("updated:", "name: 山田太郎\nupdated:", 1) + "## 経歴\n" + body + "\n"
    shown = _problems_for("roles", text)
    return "```text\n" + "\n".join(f"{line}\n  → {message}" for line, message in shown) + "\n```"


def _code_table() -> str:
    rows = ["| コード | 意味 | 直し方 |", "| --- | --- | --- |"]
    for code, (meaning, fix) in sorted(CODES.items()):
        rows.append(f"| `{code}` | {_cell(meaning)} | {_cell(fix)} |")
    return "\n".join(rows)


def codes_explained() -> frozenset[str]:
    return frozenset(CODES)


__all__ = ["codes_explained", "render_guide"]
