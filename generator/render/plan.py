"""Which pages the site has: one Route per page, planned from the linked Site.

A Route (``routes.py``) says where a page goes, which template renders it and with
what values; nothing here renders or writes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import partial
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from ..model import COLLECTION_LABELS, COLLECTIONS, AnyEntry, Archetype, FlexDate, Site, Taxonomy
from . import decide
from .datafiles import DataCatalog, DataFileView
from .routes import HOME, HOME_CRUMB, Crumb, Deferred, Route, term_path

NEWEST_COUNT = 6
STATUS_ORDER = ("active", "upcoming", "ended")
STATUS_HEADINGS = {"active": "実施中の制度", "upcoming": "開始予定の制度", "ended": "終了した制度"}
COLLECTION_INTROS = {
    "programs": "国・県・市町村がデジタル人材の確保を支える制度です。いま使えるものから順に並べています。",
    "partners": "県と連携協定を結び、DXの推進に協力している企業です。",
    "cases": "都道府県と市町村が協力してデジタル人材を確保した事例です。",
    "roles": "自治体で外部のデジタル人材が担っている役割です。個人を特定できる情報は載せていません。",
}


def plan(site: Site, extra: Mapping[str, Any]) -> tuple[Route, ...]:
    """Every page of the site, in a stable order."""
    routes: list[Route] = [_home(site)]
    for collection in COLLECTIONS:
        routes.append(_collection_index(site, collection))
        if collection == "programs":
            routes.append(_compare(site))
            routes.extend(_finder(site))
        routes.extend(map(_entry_route(collection), site.collection(collection)))
    routes.append(_archetype_index(site))
    routes.extend(_archetype(site, archetype) for archetype in site.archetypes)
    for taxonomy in site.taxonomies:
        if taxonomy.name == "archetypes":
            continue  # archetypes have their own pages above
        routes.append(_taxonomy_index(site, taxonomy))
        routes.extend(_taxonomy_term(site, taxonomy, term) for term in taxonomy.terms)
    routes.extend(
        Route(
            path=f"{page.slug}/",
            template="page.html",
            title=page.title,
            description=page.summary,
            crumbs=(Crumb(HOME, ""), Crumb(page.title, f"{page.slug}/")),
            context=MappingProxyType({"page": page}),
            lastmod=page.updated.value if page.updated else None,
            subject=page,
        )
        for page in site.pages
    )
    routes.append(_search(site))
    routes.append(data_page(site, extra.get("data_files", ()) or ()))
    routes.append(
        Route(
            path="404.html",
            template="404.html",
            title="ページが見つかりません",
            description="お探しのページは見つかりませんでした。",
            crumbs=(Crumb(HOME, ""), Crumb("ページが見つかりません", "404.html")),
            in_sitemap=False,
        )
    )
    return tuple(routes)


def _home(site: Site) -> Route:
    dated = [e for e in site.entries() if e.updated is not None]
    newest = heapq.nsmallest(NEWEST_COUNT, dated, key=lambda e: (-_day(e.updated).toordinal(), e.key))
    counts = tuple((c, COLLECTION_LABELS[c], len(site.collection(c))) for c in COLLECTIONS)
    kinds = next((t for t in site.taxonomies if t.name == "kinds"), None)
    return Route(
        path="",
        template="home.html",
        title=site.config.title,
        description=site.config.description,
        crumbs=(Crumb(HOME, ""),),
        context=MappingProxyType(
            {"newest": tuple(newest), "counts": counts, "kinds": kinds, "archetype_count": len(site.archetypes)}
        ),
        feeds=(("すべての更新", "atom.xml"),),
        subject=site,
    )


def _day(value: FlexDate | None) -> date:
    assert value is not None  # only entries with a date are ordered by it
    return value.value


UNCONFIRMED_HEADING = "最新の状況を確認できていない制度"
MODEL_ROLES_HEADING = "モデル（典型例）"


def _collection_groups(site: Site, collection: str) -> tuple[tuple[str | None, tuple[AnyEntry, ...], str], ...]:
    """(heading, entries, note) of each group of a collection's index page.

    Programs by status; a program whose last review is older than the interval has
    a group of its own, since its status is only what that review found. Roles:
    real postings and assignments, then models.
    """
    entries = site.collection(collection)
    if collection == "programs":
        entries = site.programs
        fresh = [p for p in entries if not site.stale(p)]
        stale = tuple(p for p in entries if site.stale(p))
        months = site.config.review_interval_months
        groups = [(STATUS_HEADINGS[s], tuple(p for p in fresh if site.status(p) == s), "") for s in STATUS_ORDER]
        groups.append(
            (
                UNCONFIRMED_HEADING,
                stale,
                f"最終確認から{months}か月を超えた制度です。状況は最終確認日の時点のもので、いまも同じとは限りません。申請の前に公式ページで確認してください。",
            )
        )
        return tuple(g for g in groups if g[1])
    if collection == "roles":
        real = tuple(r for r in site.roles if r.kind != "model")
        models = tuple(r for r in site.roles if r.kind == "model")
        if real and models:
            return (
                ("実際の募集・配置", real, ""),
                (MODEL_ROLES_HEADING, models, "実際の募集や配置ではなく、役割の例です。"),
            )
    return ((None, entries, ""),) if entries else ()


def _collection_index(site: Site, collection: str) -> Route:
    entries = site.collection(collection)
    groups = _collection_groups(site, collection)
    label = COLLECTION_LABELS[collection]
    taxonomies = tuple(
        t
        for t in site.taxonomies
        if t.name != "archetypes" and any(key.startswith(f"{collection}/") for keys in t.terms.values() for key in keys)
    )
    return Route(
        path=f"{collection}/",
        template="collection.html",
        title=label,
        description=COLLECTION_INTROS[collection],
        crumbs=(Crumb(HOME, ""), Crumb(label, f"{collection}/")),
        context=MappingProxyType(
            {"collection": collection, "groups": groups, "count": len(entries), "taxonomies": taxonomies}
        ),
        feeds=((f"{label}の更新", f"{collection}/atom.xml"),),
    )


def _compare(site: Site) -> Route:
    def context() -> Mapping[str, Any]:
        programs = decide.compare_order(site, site.programs)
        return {"programs": programs, "facets": decide.compare_facets(site, programs)}

    return Route(
        path="programs/compare/",
        template="compare.html",
        title="支援制度の比較",
        description="支援制度の状況・期間・費用負担・措置率・上限を一つの表で比べ、並べ替えや絞り込みができます。",
        crumbs=(
            Crumb(HOME, ""),
            Crumb(COLLECTION_LABELS["programs"], "programs/"),
            Crumb("制度の比較", "programs/compare/"),
        ),
        context=Deferred(context),
        feeds=((f"{COLLECTION_LABELS['programs']}の更新", "programs/atom.xml"),),
    )


FINDER_TITLE = "制度を探す"


def _finder(site: Site) -> list[Route]:
    """「制度を探す」: the start page and one page per answer to its two questions."""
    archetypes, modes = decide.archetype_choices(site), decide.mode_choices()
    shared = Deferred(lambda: _finder_shared(site))
    crumbs = (HOME_CRUMB, Crumb(COLLECTION_LABELS["programs"], "programs/"), Crumb(FINDER_TITLE, "programs/find/"))
    routes = []
    for a in archetypes:
        for m in modes:
            path = decide.finder_path(a.value, m.value)
            start = path == "programs/find/"
            title = (
                FINDER_TITLE
                if start
                else f"{FINDER_TITLE}: {a.label if a.value != decide.ANY else '人材像を問わない'} × "
                f"{m.label if m.value != decide.ANY else '関わり方を問わない'}"
            )
            routes.append(
                Route(
                    path=path,
                    template="finder.html",
                    title=title,
                    description="必要な人材像と、その人にどう関わってもらうかを選ぶと、使える支援制度と、合う理由・制限を示します。",
                    crumbs=crumbs if start else (*crumbs, Crumb(title.split(": ", 1)[1], path)),
                    context=MappingProxyType({"archetype": a, "mode": m, "finder": shared, "start": start}),
                    feeds=((f"{COLLECTION_LABELS['programs']}の更新", "programs/atom.xml"),),
                )
            )
    return routes


def _finder_shared(site: Site) -> Mapping[str, Any]:
    programs = decide.compare_order(site, site.programs)
    return {
        "archetypes": decide.archetype_choices(site),
        "modes": decide.mode_choices(),
        "programs": programs,
        "counts": decide.counts(site, programs),
        "fits": lambda a, m: decide.fits(site, programs, a, m),
        "path": decide.finder_path,
        "any": decide.ANY,
    }


def _entry_route(collection: str) -> Callable[[Any], Route]:
    """The function that plans the page of one entry of ``collection``.

    What every page of the collection shares is made once: there are thousands.
    """
    label = COLLECTION_LABELS[collection]
    template = f"{collection[:-1]}.html"
    crumbs = (HOME_CRUMB, Crumb(label, f"{collection}/"))
    feeds = ((f"{label}の更新", f"{collection}/atom.xml"),)

    def entry_route(entry: AnyEntry) -> Route:
        path = f"{collection}/{entry.slug}/"
        updated = entry.updated
        return Route(
            path=path,
            template=template,
            title=entry.title,
            description=entry.summary,
            crumbs=(*crumbs, Crumb(entry.title, path)),
            context=MappingProxyType({"entry": entry}),
            feeds=feeds,
            og_type="article",
            lastmod=updated.value if updated else None,
            subject=entry,
            draft=entry.draft,
        )

    return entry_route


def _archetype_index(site: Site) -> Route:
    return Route(
        path="archetypes/",
        template="archetypes.html",
        title="人材像",
        description="自治体DXを進めるために必要とされる4つの人材像と、それぞれを確保できる制度・役割・事例です。",
        crumbs=(Crumb(HOME, ""), Crumb("人材像", "archetypes/")),
        context=MappingProxyType({"archetypes": site.archetypes}),
    )


def _archetype(site: Site, archetype: Archetype) -> Route:
    return Route(
        path=f"{archetype.key}/",
        template="archetype.html",
        title=archetype.name,
        description=archetype.summary,
        crumbs=(Crumb(HOME, ""), Crumb("人材像", "archetypes/"), Crumb(archetype.name, f"{archetype.key}/")),
        context=MappingProxyType({"archetype": archetype}),
        feeds=((f"{archetype.name}に関する更新", f"{archetype.key}/atom.xml"),),
        subject=archetype,
    )


def _taxonomy_index(site: Site, taxonomy: Taxonomy) -> Route:
    terms = tuple(
        (term_path(taxonomy, term), taxonomy.term_labels.get(term, unquote(term)), len(keys))
        for term, keys in taxonomy.terms.items()
    )
    return Route(
        path=f"{taxonomy.name}/",
        template="taxonomy.html",
        title=f"{taxonomy.label}から探す",
        description=f"{taxonomy.label}ごとに、支援制度・事例・連携企業・人材の役割をまとめています。",
        crumbs=(Crumb(HOME, ""), Crumb(f"{taxonomy.label}から探す", f"{taxonomy.name}/")),
        context=MappingProxyType({"taxonomy": taxonomy, "terms": terms}),
    )


def _taxonomy_term(site: Site, taxonomy: Taxonomy, term: str) -> Route:
    term_label = taxonomy.term_labels.get(term, unquote(term))
    path = term_path(taxonomy, term)
    feeds: tuple[tuple[str, str], ...] = ()
    if taxonomy.name == "prefectures":
        feeds = ((f"{term_label}に関する更新", f"{path}atom.xml"),)
    return Route(
        path=path,
        template="term.html",
        title=f"{taxonomy.label}: {term_label}",
        description=f"{taxonomy.label}が「{term_label}」の支援制度・事例・連携企業・人材の役割の一覧です。",
        crumbs=(
            Crumb(HOME, ""),
            Crumb(f"{taxonomy.label}から探す", f"{taxonomy.name}/"),
            Crumb(term_label, path),
        ),
        context=Deferred(partial(_term_context, site, taxonomy, term, term_label)),
        feeds=feeds,
    )


def _term_context(site: Site, taxonomy: Taxonomy, term: str, term_label: str) -> Mapping[str, Any]:
    by_collection: dict[str, list[Any]] = {c: [] for c in COLLECTIONS}
    index = site.index
    for key in taxonomy.terms[term]:
        entry = index.get(key)
        if entry is not None:
            group = None if isinstance(entry, Archetype) else by_collection.get(entry.collection)
            if group is not None:
                group.append(entry)
    groups = tuple((COLLECTION_LABELS[c], tuple(by_collection[c])) for c in COLLECTIONS)
    return {"taxonomy": taxonomy, "term_label": term_label, "groups": tuple(g for g in groups if g[1])}


def _search(site: Site) -> Route:
    return Route(
        path="search/",
        template="search.html",
        title="検索",
        description="支援制度・事例・連携企業・人材の役割をキーワードで探せます。",
        crumbs=(Crumb(HOME, ""), Crumb("検索", "search/")),
        context=MappingProxyType({"taxonomies": tuple(t for t in site.taxonomies if t.name != "archetypes")}),
    )


def data_page(site: Site, views: Sequence[DataFileView]) -> Route:
    """The open-data page, listing the exported data files."""
    views = tuple(views)
    return Route(
        path="data/",
        template="data.html",
        title="オープンデータ",
        description="このカタログの内容を、表計算ソフトやプログラムで使えるデータとして公開しています。",
        crumbs=(Crumb(HOME, ""), Crumb("オープンデータ", "data/")),
        context=MappingProxyType({"data_files": views}),
        subject=DataCatalog(views),
    )


def entry_route(entry: Any) -> Route:
    """The page of one entry exactly as ``plan`` makes it (the dev server renders it first after an edit)."""
    return _entry_route(entry.collection)(entry)
