"""The long-format relation tables of the data exports: one pair per row.

Many-to-many fields (a program's providers, a case's programs…) cannot share a
cell, so each gets its own CSV keyed by the owner's slug (or archetype id).
"""

from __future__ import annotations

from typing import Any

from ..model import KIND_LABELS, MODEL_LABELS, AnyEntry, Archetype, Site
from ..render.datafiles import Column
from .export_tables import Row, Table, iso, public, title_of, wareki, written

# --- relation tables (long format) --------------------------------------------------

_OWNER = {"programs": "program", "partners": "partner", "cases": "case", "roles": "role", "archetypes": "archetype"}
_OWNER_LABEL = {
    "programs": "支援制度",
    "partners": "連携企業",
    "cases": "事例",
    "roles": "人材の役割",
    "archetypes": "人材像",
}


def _owners(site: Site, collection: str) -> tuple[Any, ...]:
    return site.archetypes if collection == "archetypes" else public(site.collection(collection))


def _owner_column(collection: str) -> Column:
    if collection == "archetypes":
        return Column("archetype_id", "人材像のID（archetypes.csv の id）")
    return Column(f"{_OWNER[collection]}_slug", f"{_OWNER_LABEL[collection]}の slug（{collection}.csv の slug）")


def _dated_by(collection: str) -> str:
    return "*" if collection == "archetypes" else collection


def _table(
    name: str, title: str, description: str, columns: tuple[Column, ...], collection: str, rows_of: Any
) -> Table:
    """A relation table with one group of rows per record of ``collection``."""
    return Table(
        name,
        title,
        description,
        columns,
        lambda site: _owners(site, collection),
        rows_of,
        dated_by=_dated_by(collection),
    )


def _owner_key(entry: Any) -> str:
    return entry.id if isinstance(entry, Archetype) else entry.slug


def _values(
    collection: str,
    attr: str,
    column: Column,
    title: str,
    *,
    name: str | None = None,
    labels: Any = None,
    label_desc: str = "",
) -> Table:
    """One row per value of a list field, e.g. each provider of each program."""
    name = name or f"{_OWNER[collection]}_{attr}"
    columns = (_owner_column(collection), column) + ((Column(f"{column.name}_label", label_desc),) if labels else ())

    def rows_of(site: Site, e: Any) -> tuple[Row, ...]:
        return tuple((_owner_key(e), v) + ((labels.get(v, v),) if labels else ()) for v in getattr(e, attr))

    return _table(name, title, f"{title}の一覧です（1行に1組）。", columns, collection, rows_of)


def _positions(collection: str, attr: str, column: Column, title: str) -> Table:
    """Like _values, with the 1-based position, for ordered lists."""
    name = f"{_OWNER[collection]}_{attr}"
    columns = (_owner_column(collection), Column("position", "並び順（1から）"), column)

    def rows_of(site: Site, e: Any) -> tuple[Row, ...]:
        return tuple((_owner_key(e), i, v) for i, v in enumerate(getattr(e, attr), 1))

    return _table(name, title, f"{title}の一覧です（1行に1件）。", columns, collection, rows_of)


def _links(collection: str, attr: str, target: str, title: str) -> Table:
    """One row per reference from an entry to another, with the target's title."""
    name = f"{_OWNER[collection]}_{target}"
    singular = _OWNER[target]
    key_name = "archetype_id" if target == "archetypes" else f"{singular}_slug"
    label_name = "archetype_name" if target == "archetypes" else f"{singular}_title"
    columns = (
        _owner_column(collection),
        Column(key_name, f"{_OWNER_LABEL[target]}の{'ID' if target == 'archetypes' else ' slug'}（{target}.csv）"),
        Column(label_name, f"{_OWNER_LABEL[target]}の名称"),
    )

    def rows_of(site: Site, e: Any) -> tuple[Row, ...]:
        out = []
        for slug in getattr(e, attr):
            label = title_of(site, f"{target}/{slug}")
            if label is not None:
                out.append((_owner_key(e), slug, label))
        return tuple(out)

    return _table(name, title, f"{title}の対応表です（1行に1組）。", columns, collection, rows_of)


def _timeline_rows(site: Site, c: Any) -> tuple[Row, ...]:
    return tuple(
        (c.slug, i, iso(t.date), wareki(t.date), written(t.date), t.event) for i, t in enumerate(c.timeline, 1)
    )


def _public_entries(site: Site) -> tuple[AnyEntry, ...]:
    return public(site.entries())


def _tag_rows(site: Site, e: Any) -> tuple[Row, ...]:
    return tuple((e.collection, e.slug, tag) for tag in e.tags)


def _source_rows(site: Site, e: Any) -> tuple[Row, ...]:
    return tuple(
        (
            e.collection,
            e.slug,
            i,
            s.title,
            s.publisher,
            s.url,
            iso(s.published),
            wareki(s.published),
            iso(s.accessed),
            wareki(s.accessed),
        )
        for i, s in enumerate(e.sources, 1)
    )


def _cover_rows(site: Site, e: Any) -> tuple[Row, ...]:
    return tuple((e.collection, e.slug, i, path) for i, s in enumerate(e.sources, 1) for path in s.covers)


def _body_link_rows(site: Site, e: Any) -> tuple[Row, ...]:
    out = []
    for key in site.body_links.get(e.key, ()):
        title = title_of(site, key)
        if title is not None:
            collection, _, slug = key.partition("/")
            out.append((e.collection, e.slug, collection, slug, title))
    return tuple(out)


_ENTRY_KEY = (
    Column("collection", "コレクション（programs / partners / cases / roles）"),
    Column("slug", "項目の slug（各コレクションの CSV の slug）"),
)

RELATIONS: tuple[Table, ...] = (
    _values(
        "programs", "provider", Column("provider", "所管（省庁・団体）"), "支援制度の所管", name="program_providers"
    ),
    _values(
        "programs",
        "kinds",
        Column("kind", "制度の種類のコード"),
        "支援制度の種類",
        labels=KIND_LABELS,
        label_desc="制度の種類",
    ),
    _links("programs", "archetypes", "archetypes", "支援制度と人材像"),
    _values("programs", "aliases", Column("alias", "別名・旧称"), "支援制度の別名"),
    _values("partners", "fields", Column("field", "連携分野"), "連携企業の連携分野"),
    _links("cases", "programs", "programs", "事例と支援制度"),
    _links("cases", "partners", "partners", "事例と連携企業"),
    _links("cases", "archetypes", "archetypes", "事例と人材像"),
    _values(
        "cases",
        "models",
        Column("model", "連携の型のコード"),
        "事例の連携の型",
        labels=MODEL_LABELS,
        label_desc="連携の型",
    ),
    Table(
        "case_timeline",
        "事例の経過",
        "事例の主な出来事です（1行に1件）。",
        (
            _owner_column("cases"),
            Column("position", "並び順（1から）"),
            Column("date", "日付（西暦 YYYY-MM-DD。年度の場合は4月1日）"),
            Column("date_wareki", "日付（和暦）"),
            Column("date_text", "日付の原文の表記（例: 令和5年度）"),
            Column("event", "出来事"),
        ),
        lambda site: public(site.cases),
        _timeline_rows,
        dated_by="cases",
    ),
    _links("roles", "programs", "programs", "人材の役割と支援制度"),
    _values("roles", "skills", Column("skill", "主なスキル"), "人材の役割のスキル"),
    _positions("archetypes", "responsibilities", Column("responsibility", "主な責任"), "人材像の主な責任"),
    _positions("archetypes", "skills", Column("skill", "主なスキル"), "人材像の主なスキル"),
    Table(
        "entry_tags",
        "タグ",
        "各項目のタグです（1行に1組）。",
        _ENTRY_KEY + (Column("tag", "タグ"),),
        _public_entries,
        _tag_rows,
    ),
    Table(
        "entry_sources",
        "出典",
        "各項目の出典（根拠となる資料）です（1行に1件）。",
        _ENTRY_KEY
        + (
            Column("position", "出典番号（ページの「出典1」などの番号。1から）"),
            Column("title", "資料の題名"),
            Column("publisher", "資料の発行者"),
            Column("url", "資料のURL（ウェブにない資料は空欄）"),
            Column("published", "資料に書かれている日付（西暦 YYYY-MM-DD）"),
            Column("published_wareki", "資料に書かれている日付（和暦）"),
            Column("accessed", "資料を読んで確かめた日（閲覧日、西暦 YYYY-MM-DD）"),
            Column("accessed_wareki", "資料を読んで確かめた日（閲覧日、和暦）"),
        ),
        _public_entries,
        _source_rows,
    ),
    Table(
        "entry_source_covers",
        "出典が示す項目",
        "各出典が根拠となっている項目です（1行に1組）。field は各コレクションの CSV・JSON の項目名に対応します"
        "（例: terms.fiscal_rate は programs.csv の fiscal_rate）。",
        _ENTRY_KEY
        + (
            Column("position", "出典番号（entry_sources.csv の position）"),
            Column("field", "出典が示す項目（例: terms.fiscal_rate、period.end）"),
        ),
        _public_entries,
        _cover_rows,
    ),
    Table(
        "entry_links",
        "本文のリンク",
        "各項目の本文から、ほかの項目へのリンクです（1行に1組）。リンク先のページには、リンク元の項目が関連する項目として表示されます。",
        _ENTRY_KEY
        + (
            Column("target_collection", "リンク先のコレクション"),
            Column("target_slug", "リンク先の slug"),
            Column("target_title", "リンク先の名称"),
        ),
        _public_entries,
        _body_link_rows,
    ),
)
