"""What the data exports contain: the columns of every CSV and the shape of every JSON record.

``exports`` turns these tables into bytes. Each main table has one row per public
entry; each relation table is a long-format many-to-many list (one pair per row).
References to entries that are not public (drafts, unknown keys) are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..content.dates import format_wareki
from ..model import (
    FORM_LABELS,
    HOST_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MODEL_LABELS,
    PROGRAM_STATUS_LABELS,
    ROLE_KIND_LABELS,
    ROLE_STATUS_LABELS,
    AnyEntry,
    Archetype,
    FlexDate,
    Site,
    Source,
)
from ..render.datafiles import Column

Cell = str | int | float | bool | None
Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Field:
    column: Column
    get: Callable[[Site, Any], Cell]


@dataclass(frozen=True)
class Table:
    """One CSV (and, for a collection, its JSON twin), made record by record.

    Every row belongs to one record (an entry or an archetype): an incremental
    build re-encodes the rows of the records that changed and reuses the others.
    """

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    records: Callable[[Site], tuple[Any, ...]]
    """The entries (or archetypes) the table is made from, in the order of its rows."""
    rows_of: Callable[[Site, Any], tuple[Row, ...]]
    """The rows of one record (a relation table may have none, or several)."""
    json_of: Callable[[Site, Any], dict[str, Any]] | None = None
    """The JSON object of one record, for the tables that have a JSON twin."""
    dated_by: str = "*"
    """Collection whose ``updated`` dates date this table; ``*`` for all entries."""


# --- helpers ----------------------------------------------------------------------


def public(entries: tuple[AnyEntry, ...]) -> tuple[AnyEntry, ...]:
    """The entries that are not drafts (of the four collections: archetypes have no drafts)."""
    return tuple(e for e in entries if not e.draft)


def iso(value: FlexDate | None) -> str | None:
    return value.value.isoformat() if value is not None else None


def wareki(value: FlexDate | None) -> str | None:
    return format_wareki(value.value) if value is not None else None


def page_url(site: Site, key: str) -> str:
    return site.config.absolute_url(f"{key}/")


def title_of(site: Site, key: str) -> str | None:
    """Title of a public entry or name of an archetype; None if it is not published."""
    target = site.get(key)
    if target is None or getattr(target, "draft", False):
        return None
    return target.name if isinstance(target, Archetype) else target.title


def refs(site: Site, collection: str, slugs: tuple[str, ...]) -> list[dict[str, str]]:
    """Resolved references: slug, title and page URL of each published target."""
    out = []
    for slug in slugs:
        title = title_of(site, f"{collection}/{slug}")
        if title is not None:
            out.append({"slug": slug, "title": title, "url": page_url(site, f"{collection}/{slug}")})
    return out


def _f(name: str, description: str, get: Callable[[Site, Any], Cell]) -> Field:
    return Field(Column(name, description), get)


def _dates(name: str, description: str, get: Callable[[Any], FlexDate | None], *, text: str = "") -> tuple[Field, ...]:
    """The ISO and 和暦 columns of a date; with ``text``, also the date as written (e.g. 令和7年度)."""
    fields: tuple[Field, ...] = (
        _f(name, f"{description}（西暦 YYYY-MM-DD）", lambda s, e: iso(get(e))),
        _f(f"{name}_wareki", f"{description}（和暦）", lambda s, e: wareki(get(e))),
    )
    if text:
        fields += (_f(f"{name}_text", f"{description}の原文の表記（例: {text}）", lambda s, e: written(get(e))),)
    return fields


def written(value: FlexDate | None) -> str | None:
    return value.text if value is not None else None


def _entity_table(
    name: str,
    title: str,
    description: str,
    records: Callable[[Site], tuple[Any, ...]],
    fields: tuple[Field, ...],
    to_json: Callable[[Site, Any], dict[str, Any]],
) -> Table:
    return Table(
        name=name,
        title=title,
        description=description,
        columns=tuple(f.column for f in fields),
        records=records,
        rows_of=lambda site, r: (tuple(f.get(site, r) for f in fields),),
        json_of=to_json,
        dated_by=name if name != "archetypes" else "*",
    )


def _common_json(site: Site, e: Any) -> dict[str, Any]:
    return {
        "slug": e.slug,
        "url": page_url(site, e.key),
        "title": e.title,
        "summary": e.summary,
        "body": e.body,
        "tags": list(e.tags),
        "sources": [_source_json(s) for s in e.sources],
        "updated": iso(e.updated),
        "reviewed": iso(e.reviewed),
        "stale": site.stale(e),
    }


def _source_json(s: Source) -> dict[str, Any]:
    return {
        "title": s.title,
        "publisher": s.publisher,
        "url": s.url,
        "published": iso(s.published),
        "accessed": iso(s.accessed),
        "covers": list(s.covers),
    }


def _head(name: str) -> tuple[Field, ...]:
    return (
        _f("slug", "識別子（ページURLの末尾の部分）", lambda s, e: e.slug),
        _f("title", f"{name}の名称", lambda s, e: e.title),
        _f("summary", "要約", lambda s, e: e.summary),
        _f("url", "このカタログでのページのURL", lambda s, e: page_url(s, e.key)),
    )


STALE_DESCRIPTION = (
    "最終確認日から site.yaml の review_interval_months（既定12か月）を超えたか（true / false）。"
    "true の項目の状況は最終確認日の時点のもので、ページでは「確認時点」と示しています"
)


def _tail() -> tuple[Field, ...]:
    return (
        _dates("updated", "この項目の文章の最終更新日", lambda e: e.updated)
        + _dates("reviewed", "内容を出典で最後に確かめた日（最終確認日）", lambda e: e.reviewed)
        + (_f("stale", STALE_DESCRIPTION, lambda s, e: s.stale(e)),)
    )


def status_as_of(site: Site, entry: Any) -> str:
    """The day a status is stated for: the build date, or the last review of a stale entry."""
    return site.status_date(entry).isoformat()


# --- main tables ------------------------------------------------------------------


def _program_json(site: Site, p: Any) -> dict[str, Any]:
    status = site.status(p)
    return _common_json(site, p) | {
        "official_url": p.url,
        "aliases": list(p.aliases),
        "provider": list(p.provider),
        "level": p.level,
        "level_label": LEVEL_LABELS.get(p.level),
        "kinds": list(p.kinds),
        "kind_labels": [KIND_LABELS.get(k, k) for k in p.kinds],
        "archetypes": refs(site, "archetypes", p.archetypes),
        "terms": {
            "cost_coverage": p.terms.cost_coverage,
            "fiscal_rate": p.terms.fiscal_rate,
            "annual_cap_yen": p.terms.annual_cap_yen,
            "limits": p.terms.limits,
        },
        "period": {
            "start": iso(p.period.start),
            "start_text": written(p.period.start),
            "end": iso(p.period.end),
            "end_text": written(p.period.end),
        },
        "status": status,
        "status_label": PROGRAM_STATUS_LABELS[status],
        "status_as_of": status_as_of(site, p),
    }


PROGRAMS = _entity_table(
    "programs",
    "支援制度",
    "国・都道府県・市町村によるデジタル人材確保の支援制度です。所管・種類・人材像・別名は関連表にあります。",
    lambda site: public(site.programs),
    _head("制度")
    + (
        _f("official_url", "公式ページのURL", lambda s, p: p.url),
        _f("level", "制度の主体のコード（national / prefecture / municipal）", lambda s, p: p.level),
        _f("level_label", "制度の主体（国・都道府県・市町村）", lambda s, p: LEVEL_LABELS.get(p.level)),
        _f("status", "status_as_of の日の状況のコード（active / ended / upcoming）", lambda s, p: s.status(p)),
        _f(
            "status_label",
            "status_as_of の日の状況（実施中・終了・開始予定）",
            lambda s, p: PROGRAM_STATUS_LABELS[s.status(p)],
        ),
        _f(
            "status_as_of",
            "状況を判定した日（西暦。ふつうはデータの作成日、stale が true なら最終確認日）",
            status_as_of,
        ),
        _f("cost_coverage", "費用負担", lambda s, p: p.terms.cost_coverage),
        _f("fiscal_rate", "措置率（0〜1の数値。例: 0.7）", lambda s, p: p.terms.fiscal_rate),
        _f("annual_cap_yen", "年間の上限額（円、単位なしの整数）", lambda s, p: p.terms.annual_cap_yen),
        _f("limits", "回数・時間などの制限", lambda s, p: p.terms.limits),
    )
    + _dates("period_start", "実施期間の開始日（年度の場合は4月1日）", lambda p: p.period.start, text="令和5年度")
    + _dates("period_end", "実施期間の終了日（年度の場合は翌年3月31日）", lambda p: p.period.end, text="令和7年度")
    + _tail(),
    _program_json,
)


PARTNERS = _entity_table(
    "partners",
    "連携企業",
    "都道府県と連携協定を結んだ企業です。連携分野は関連表にあります。",
    lambda site: public(site.partners),
    _head("企業")
    + (
        _f("official_url", "公式ページのURL", lambda s, p: p.url),
        _f("agreement", "協定の名称", lambda s, p: p.agreement),
        _f("unit", "協定を結んだ部門（会社全体の場合は空欄）", lambda s, p: p.unit),
    )
    + _dates("since", "協定を結んだ日（年度の場合は4月1日）", lambda p: p.since, text="令和2年度")
    + _tail(),
    lambda site, p: (
        _common_json(site, p)
        | {
            "official_url": p.url,
            "agreement": p.agreement,
            "unit": p.unit,
            "since": iso(p.since),
            "since_text": written(p.since),
            "fields": list(p.fields),
        }
    ),
)


CASES = _entity_table(
    "cases",
    "事例",
    "都道府県と市町村によるデジタル人材確保の連携事例です。制度・企業・人材像・連携の型・経過は関連表にあります。",
    lambda site: public(site.cases),
    _head("事例")
    + (
        _f("prefecture", "都道府県名", lambda s, c: c.prefecture),
        _f("municipalities", "参加する市区町村の数", lambda s, c: c.municipalities),
    )
    + _dates("started", "開始日（年度の場合は4月1日）", lambda c: c.started, text="令和5年度")
    + _tail(),
    lambda site, c: (
        _common_json(site, c)
        | {
            "prefecture": c.prefecture,
            "municipalities": c.municipalities,
            "models": list(c.models),
            "model_labels": [MODEL_LABELS.get(m, m) for m in c.models],
            "started": iso(c.started),
            "started_text": written(c.started),
            "programs": refs(site, "programs", c.programs),
            "partners": refs(site, "partners", c.partners),
            "archetypes": refs(site, "archetypes", c.archetypes),
            "timeline": [{"date": iso(t.date), "date_text": written(t.date), "event": t.event} for t in c.timeline],
        }
    ),
)


ROLES = _entity_table(
    "roles",
    "人材の役割",
    "匿名化した外部デジタル人材の役割です（個人を特定できる情報は含みません）。使える支援制度とスキルは関連表にあります。",
    lambda site: public(site.roles),
    _head("役割")
    + (
        _f("archetype", "人材像のID", lambda s, r: r.archetype),
        _f("archetype_name", "人材像の名称", lambda s, r: title_of(s, f"archetypes/{r.archetype}")),
        _f("host", "受け入れ先のコード（prefecture / municipality / joint）", lambda s, r: r.host),
        _f("host_label", "受け入れ先", lambda s, r: HOST_LABELS.get(r.host)),
        _f("prefecture", "都道府県名", lambda s, r: r.prefecture),
        _f("engagement_form", "関わり方の形態のコード", lambda s, r: r.engagement.form),
        _f("engagement_form_label", "関わり方の形態", lambda s, r: FORM_LABELS.get(r.engagement.form)),
        _f("hours_per_month", "月あたりの時間（上限、単位なし）", lambda s, r: r.engagement.hours_per_month),
        _f("remote", "リモートで働けるか（true / false）", lambda s, r: r.engagement.remote),
        _f(
            "kind",
            "役割の種類のコード（model: モデル・典型例で実際の募集ではない / real: 実際の募集・配置）",
            lambda s, r: r.kind,
        ),
        _f("kind_label", "役割の種類（モデル（典型例）・実例）", lambda s, r: ROLE_KIND_LABELS.get(r.kind)),
        _f("status", "実例の状況のコード（open / active / closed。モデルは空欄）", lambda s, r: r.status),
        _f(
            "status_label",
            "実例の状況（募集中・活動中・終了。モデルは空欄）",
            lambda s, r: ROLE_STATUS_LABELS.get(r.status or ""),
        ),
        _f(
            "status_as_of",
            "状況を判定した日（西暦。ふつうはデータの作成日、stale が true なら最終確認日。モデルは空欄）",
            lambda s, r: status_as_of(s, r) if r.status else None,
        ),
    )
    + _tail(),
    lambda site, r: (
        _common_json(site, r)
        | {
            "archetype": next(iter(refs(site, "archetypes", (r.archetype,))), None),
            "host": r.host,
            "host_label": HOST_LABELS.get(r.host),
            "prefecture": r.prefecture,
            "engagement": {
                "form": r.engagement.form,
                "form_label": FORM_LABELS.get(r.engagement.form),
                "hours_per_month": r.engagement.hours_per_month,
                "remote": r.engagement.remote,
            },
            "skills": list(r.skills),
            "programs": refs(site, "programs", r.programs),
            "kind": r.kind,
            "kind_label": ROLE_KIND_LABELS.get(r.kind),
            "status": r.status,
            "status_label": ROLE_STATUS_LABELS.get(r.status or ""),
            "status_as_of": status_as_of(site, r) if r.status else None,
        }
    ),
)


ARCHETYPES = _entity_table(
    "archetypes",
    "人材像",
    "総務省「自治体DX推進のための外部人材スキル標準」の人材像です。主な責任とスキルは関連表にあります。",
    lambda site: site.archetypes,
    (
        _f("id", "人材像のID", lambda s, a: a.id),
        _f("name", "人材像の名称", lambda s, a: a.name),
        _f("summary", "役割の要約", lambda s, a: a.summary),
        _f("url", "このカタログでのページのURL", lambda s, a: page_url(s, a.key)),
    ),
    lambda site, a: {
        "id": a.id,
        "slug": a.id,
        "url": page_url(site, a.key),
        "name": a.name,
        "summary": a.summary,
        "responsibilities": list(a.responsibilities),
        "skills": list(a.skills),
    },
)

TABLES: tuple[Table, ...] = (PROGRAMS, PARTNERS, CASES, ROLES, ARCHETYPES)
