"""`catalog new <collection> <slug>`: a new entry written from its JSON Schema.

Every field of the schema is present, each under a short Japanese comment that
says what it is and whether it is required. Values come from the schema's
``examples`` and are marked ``# ← 書き換えてください``; references to other
entries use entries that exist in the project, so the file passes
``catalog check`` as generated. A new entry starts as a draft; once it is not,
every mark or example sentence left in it is an error (content/placeholders.py),
so an example is never published.

``scaffold`` is pure (schema + facts → text); ``create_entry`` is the only
function here that touches the disk.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..content.discover import SLUG, _slug_message
from ..content.placeholders import BODIES, FILL_IN, MARK
from ..content.schema import load_schema
from ..model import COLLECTIONS

NEW_COLLECTIONS: tuple[str, ...] = (*COLLECTIONS, "pages")


@dataclass(frozen=True)
class Created:
    path: Path


@dataclass(frozen=True)
class Refused:
    message: str


def scaffold(collection: str, slug: str, *, today: date, existing: Mapping[str, Sequence[str]]) -> str:
    """The text of a new entry of ``collection``.

    ``existing`` maps a collection to the slugs it already has; reference
    fields use them so that the new entry links to something real.
    """
    schema = load_schema(collection)
    required = set(schema.get("required", ()))
    lines = [
        "---",
        f"# content/{collection}/{slug}.md — {schema.get('title', collection)}",
        f"# 「{MARK[2:]}」の値は例です。この項目の内容に書き換え、行末の印も消してください（残っていると公開できません）。",
        "# 「任意」の項目は、使わなければ項目ごと消してかまいません。",
        "# 公開するときは draft を false にします。書いたら `make check` で確かめましょう。",
    ]
    for key, node in schema.get("properties", {}).items():
        lines.append("")
        field = _field(key, node, key in required, 0, today=today, existing=existing)
        if collection == "roles" and key == "status":
            # The example role is a model (kind: model), which has no status: shown, not set.
            field = [
                line
                if line.startswith("#")
                else f"# {line.split('  #', 1)[0]}  ← kind: real（実際の募集・配置）にしたら、行頭の # を消して書きます"
                for line in field
            ]
        lines.extend(field)
    lines.append("---")
    return "\n".join(lines) + "\n" + BODIES.get(collection, "")


def create_entry(project: Path, collection: str, slug: str, *, today: date) -> Created | Refused:
    """Write ``content/<collection>/<slug>.md``; refuse an invalid or existing slug."""
    if collection not in NEW_COLLECTIONS:
        return Refused(f"「{collection}」という種類はありません。使えるのは {', '.join(NEW_COLLECTIONS)} です")
    if not SLUG.match(slug):
        return Refused(_slug_message(slug))
    content = project / "content"
    if not content.is_dir():
        return Refused(
            f"content/ フォルダがありません（{project}）。プロジェクトのフォルダで実行するか --project で指定してください"
        )
    folder = content / collection
    taken = {p.stem.lower(): p.name for p in folder.glob("*.md")} if folder.is_dir() else {}
    if slug.lower() in taken:
        return Refused(
            f"content/{collection}/{taken[slug.lower()]} はもうあります。別のファイル名にするか、そのファイルを編集してください"
        )
    existing = {name: _slugs(content / name) for name in NEW_COLLECTIONS}
    existing["archetypes"] = _archetype_ids(content / "archetypes.yaml")
    text = scaffold(collection, slug, today=today, existing=existing)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    try:
        # "x": never overwrite a file created between the check and now.
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        return Refused(f"content/{collection}/{slug}.md はもうあります")
    return Created(path)


def _slugs(folder: Path) -> tuple[str, ...]:
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.md") if SLUG.match(p.stem)))


def _archetype_ids(path: Path) -> tuple[str, ...]:
    """The ids in archetypes.yaml, or () when it cannot be read (check reports why)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()
    if not isinstance(data, list):
        return ()
    return tuple(str(item["id"]) for item in data if isinstance(item, dict) and "id" in item)


def _field(
    key: str,
    node: Mapping[str, Any],
    required: bool,
    indent: int,
    *,
    today: date,
    existing: Mapping[str, Sequence[str]],
) -> list[str]:
    pad = " " * indent
    need = "必須" if required else "任意"
    description = node.get("description", "")
    lines = [f"{pad}# {need}: {description}" if description else f"{pad}# {need}"]
    value, mark = _value(key, node, today=today, existing=existing)
    suffix = f"  {mark}" if mark else ""
    if node.get("type") == "object" and "properties" in node and isinstance(value, dict):
        lines.append(f"{pad}{key}:")
        child_required = set(node.get("required", ()))
        for child, child_node in node["properties"].items():
            lines.extend(_field(child, child_node, child in child_required, indent + 2, today=today, existing=existing))
        return lines
    if isinstance(value, list):
        lines.extend(_item_comments(node, pad))
        if not value:
            return [*lines, f"{pad}{key}: []{suffix}"]
        lines.append(f"{pad}{key}:{suffix}")
        for item in value:
            lines.extend(_list_item(item, indent + 2, today))
        return lines
    return [*lines, f"{pad}{key}: {_scalar(value)}{suffix}"]


def _value(key: str, node: Mapping[str, Any], *, today: date, existing: Mapping[str, Sequence[str]]) -> tuple[Any, str]:
    """(value, comment after it) for one field."""
    if key == "draft":
        return True, "# 公開するときは false にします"
    if key in ("updated", "reviewed"):
        return today.isoformat(), "# 書いた日・確認した日"
    ref = node.get("x-ref")
    if ref == "archetypes" and existing.get(ref):
        # The archetypes a project defines (content/archetypes.yaml) may be fewer than the schema allows.
        ids = existing[ref]
        if node.get("type") == "array":
            return [e for e in (node.get("examples") or [[]])[0] if e in ids] or [ids[0]], MARK
        return (node["examples"][0] if node.get("examples", [None])[0] in ids else ids[0]), MARK
    if ref and ref != "archetypes" and node.get("type") == "array":
        slugs = existing.get(ref, ())
        listed = [e for e in (node.get("examples") or [[]])[0] if e in slugs]
        chosen = listed or list(slugs[:1])
        where = f"content/{ref}/ のファイル名（.md を除く）"
        return chosen, (f"{MARK}（{where}）" if chosen else f"# {where}を書きます")
    if node.get("type") == "object" and "properties" in node:
        return {}, ""
    examples = node.get("examples")
    if examples:
        return examples[0], MARK
    return _fallback(node), MARK


def _fallback(node: Mapping[str, Any]) -> Any:
    kind = node.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if "enum" in node:
        return node["enum"][0]
    if kind == "array":
        item = node.get("items", {})
        return [_fallback(item)] if node.get("minItems") else []
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return node.get("minimum", 0)
    return FILL_IN


def _item_comments(node: Mapping[str, Any], pad: str) -> list[str]:
    """For a list of objects (sources), one comment line per field of an item."""
    items = node.get("items", {})
    if items.get("type") != "object":
        return []
    required = set(items.get("required", ()))
    return [
        f"{pad}#   {name}（{'必須' if name in required else '任意'}）: {child.get('description', '')}"
        for name, child in items.get("properties", {}).items()
    ]


def _list_item(item: Any, indent: int, today: date) -> list[str]:
    pad = " " * indent
    if isinstance(item, dict):
        out = []
        for n, (k, v) in enumerate(item.items()):
            lead = f"{pad}- " if n == 0 else f"{pad}  "
            if k == "accessed":
                v = today.isoformat()  # the day it was read: today, as updated and reviewed
            shown = "[" + ", ".join(_scalar(x) for x in v) + "]" if isinstance(v, list) else _scalar(v)
            out.append(f"{lead}{k}: {shown}")
        return out
    return [f"{pad}- {_scalar(item)}"]


def _scalar(value: Any) -> str:
    """One YAML scalar; dates and anything YAML would misread are quoted."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text} and " #" not in text
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok else json.dumps(text, ensure_ascii=False)
