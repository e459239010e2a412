"""The sources of an entry: who states which of its facts, and when.

Each item of ``sources`` names a document or page (title, publisher, the date on
it, its URL and the day it was read) and, in ``covers``, the fields of the entry
it states (``terms.fiscal_rate``, ``period.end``…). Checked against the schema of
the entry's collection, after the schema itself:

- a ``covers`` path that names no field of the schema is an error (``covers-unknown``);
- a source with a URL needs the day it was read (``accessed``);
- a ``covers`` path naming a field this entry leaves empty is a warning (``covers-empty``);
- a filled ``terms.*`` or ``period.*`` value of a program that no source covers is a
  warning (``unsourced-fact``), at the line of that value; so is a program's ``modes``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from ..model import FlexDate, Source
from ..problems import Problem, error, warning
from .parse import Parsed, Path_
from .schema import field_label, load_schema

UNCOVERABLE: frozenset[str] = frozenset({"sources", "draft", "updated", "reviewed", "tags"})
"""Fields about the entry itself (its sources, dates of editing, tags), not facts a source states."""

SOURCED_GROUPS: Mapping[str, tuple[str, ...]] = {"programs": ("terms", "period")}
"""Per collection, the objects each of whose filled values a source must cover."""
SOURCED_FIELDS: Mapping[str, tuple[str, ...]] = {"programs": ("modes",)}
"""Per collection, the fields outside those objects that a source must cover when filled."""


@cache
def coverable(collection: str) -> tuple[str, ...]:
    """Every path ``covers`` may name in ``collection``, in schema order (objects and their fields)."""
    return tuple(_paths(load_schema(collection), ""))


def _paths(node: Mapping[str, Any], prefix: str) -> Iterator[str]:
    for key, child in node.get("properties", {}).items():
        if not prefix and key in UNCOVERABLE:
            continue
        path = f"{prefix}{key}"
        yield path
        if child.get("type") == "object":
            yield from _paths(child, f"{path}.")


def cover_label(collection: str, path: str) -> str:
    """A short Japanese name of the field ``path`` (措置率 for terms.fiscal_rate), from the schema."""
    node: Mapping[str, Any] | None = load_schema(collection)
    for part in path.split("."):
        node = node.get("properties", {}).get(part) if node is not None else None
    description = node.get("description", "") if node is not None else ""
    short = re.split(r"[（(。:、]", description, maxsplit=1)[0].strip()
    return short or path


def read_sources(parsed: Parsed, date_at: Callable[[Path_], FlexDate | None]) -> tuple[Source, ...]:
    """The ``Source`` values of a schema-checked entry; ``date_at`` reads (and checks) a date."""
    sources = []
    for i, item in enumerate(parsed.data.get("sources", ())):
        sources.append(
            Source(
                title=item["title"].strip(),
                publisher=item["publisher"].strip(),
                url=item.get("url"),
                published=date_at(("sources", i, "published")),
                accessed=date_at(("sources", i, "accessed")),
                covers=tuple(item.get("covers", ())),
            )
        )
    return tuple(sources)


def source_errors(parsed: Parsed, collection: str) -> list[Problem]:
    """Unknown ``covers`` paths, and URLs without the day they were read."""
    problems: list[Problem] = []
    known = coverable(collection)
    schema = load_schema(collection)
    for i, item in enumerate(parsed.data.get("sources", ())):
        if item.get("url") and item.get("accessed") is None:
            line, col = parsed.where(("sources", i, "url"))
            problems.append(
                error(
                    parsed.path,
                    line,
                    col,
                    "missing-field",
                    f"出典（sources の{i + 1}番目）に url を書いたときは、そのページを読んで確かめた日「accessed」も書いてください",
                )
            )
        for j, path in enumerate(item.get("covers", ())):
            if path in known:
                continue
            line, col = parsed.where(("sources", i, "covers", j))
            problems.append(
                error(
                    parsed.path,
                    line,
                    col,
                    "covers-unknown",
                    _unknown_cover(path, known, schema.get("title", collection)),
                )
            )
    return problems


def _unknown_cover(path: str, known: tuple[str, ...], label: str) -> str:
    if path.split(".", 1)[0] in UNCOVERABLE:
        return f"covers の「{path}」は、出典が示す事実ではなくこの項目の管理のための欄なので、covers には書けません。出典が示す項目（例: {', '.join(known[:4])}）を書いてください"
    longer = [k for k in known if k.startswith(path)]  # a field name cut short: engagement.hours
    close = longer[:1] or difflib.get_close_matches(path, known, n=1, cutoff=0.6)
    hint = f"「{close[0]}」の間違いではありませんか？" if close else f"書ける項目の例: {', '.join(known[:6])}"
    return f"covers の「{path}」は{label}の項目にありません。{hint}"


def source_warnings(parsed: Parsed, collection: str, sources: tuple[Source, ...]) -> list[Problem]:
    """``covers`` paths naming empty fields, and a program's facts that no source covers."""
    problems: list[Problem] = []
    schema = load_schema(collection)
    known = frozenset(coverable(collection))
    for i, source in enumerate(sources):
        for j, path in enumerate(source.covers):
            if path in known and not _filled(_value(parsed.data, path)):
                line, col = parsed.where(("sources", i, "covers", j))
                problems.append(
                    warning(
                        parsed.path,
                        line,
                        col,
                        "covers-empty",
                        f"出典「{source.title}」が{field_label(schema, path.split('.'))}を示すとしていますが、"
                        "この項目にはその値が書かれていません。値を書くか、covers から外してください",
                    )
                )
    filled: list[tuple[str, ...]] = [
        (group, key) for group in SOURCED_GROUPS.get(collection, ()) for key in _keys(parsed.data.get(group))
    ]
    filled += [(key,) for key in SOURCED_FIELDS.get(collection, ()) if key in parsed.data]
    for at in filled:
        path = ".".join(at)
        if _filled(_value(parsed.data, path)) and not any(s.states(path) for s in sources):
            line, col = parsed.where(at)
            problems.append(
                warning(
                    parsed.path,
                    line,
                    col,
                    "unsourced-fact",
                    f"{field_label(schema, at)}の値を示す出典がありません。この値を述べている資料を sources に書き、その covers に {path} を加えてください",
                )
            )
    return problems


def _keys(values: Any) -> tuple[str, ...]:
    return tuple(values) if isinstance(values, dict) else ()


def _value(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}
