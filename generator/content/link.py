"""The link stage: one global step over all validated entries.

Checks every cross-reference (front-matter references and Markdown links to
entry files), computes backlinks and taxonomies, and returns the immutable
``Site`` the render stage reads. Nothing refers backwards by hand: a program's
cases are the cases that name it. A link in an entry's body is a reference too:
the linked entry lists the linking one (``Site.mentions``), and pages, data
exports and the incremental build's dependencies all read it from the Site.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, cast

from ..config import Config
from ..model import (
    COLLECTIONS,
    KIND_LABELS,
    MODEL_LABELS,
    AnyEntry,
    Archetype,
    Case,
    Entry,
    Page,
    Partner,
    Program,
    Role,
    Site,
    Taxonomy,
)
from ..problems import Problem, error
from .entries import Located, link_targets
from .mdlinks import PAGES_DIR
from .parse import md_file_links
from .prefectures import PREFECTURES, prefecture_slug

LEVEL_ORDER = {"national": 0, "prefecture": 1, "municipal": 2}
ROLE_STATUS_ORDER = {"open": 0, "active": 1, "closed": 3}
MODEL_ROLE_ORDER = 2
"""Models (examples, never postings) come after the real roles that are open or active."""

# (field, target collection) of the references each collection makes.
REFERENCES: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType(
    {
        "programs": (("archetypes", "archetypes"),),
        "partners": (),
        "cases": (("programs", "programs"), ("partners", "partners"), ("archetypes", "archetypes")),
        "roles": (("archetype", "archetypes"), ("programs", "programs")),
    }
)


@dataclass(frozen=True)
class Linked:
    site: Site | None
    problems: tuple[Problem, ...]


def link(
    config: Config,
    as_of: date,
    archetypes: Sequence[Archetype],
    located: Sequence[Located],
    pages: Sequence[Page],
    *,
    drafts: bool = False,
    unavailable: frozenset[str] = frozenset(),
) -> Linked:
    """Resolve references among entries and build the Site (None when a reference is broken).

    ``unavailable`` are keys of entry files that exist but have errors of their
    own: references to them are not reported a second time.
    """
    entries = [(item, item.entry) for item in located if isinstance(item.entry, (Program, Partner, Case, Role))]
    published = {entry.key: entry for _, entry in entries if drafts or not entry.draft}
    shown_pages = [page for page in pages if drafts or not page.draft]
    known = _Known(published, {entry.key for _, entry in entries}, frozenset(a.id for a in archetypes), unavailable)
    problems = _reference_problems(entries, shown_pages, known, drafts)
    if any(p.is_error for p in problems):
        return Linked(None, tuple(problems))
    ordered = _order(config, archetypes, published.values())
    keys_of = {name: tuple(e.key for e in ordered[name]) for name in COLLECTIONS}
    index: dict[str, AnyEntry | Archetype] = {a.key: a for a in archetypes}
    for name in COLLECTIONS:
        index.update(zip(keys_of[name], ordered[name]))
    backlinks = _backlinks(ordered, keys_of)
    body_links = _body_link_targets(entries, published)
    site = Site(
        config=config,
        as_of=as_of,
        archetypes=tuple(archetypes),
        programs=cast(tuple[Program, ...], ordered["programs"]),
        partners=cast(tuple[Partner, ...], ordered["partners"]),
        cases=cast(tuple[Case, ...], ordered["cases"]),
        roles=cast(tuple[Role, ...], ordered["roles"]),
        pages=tuple(sorted(shown_pages, key=lambda p: p.slug)),
        backlinks=backlinks,
        taxonomies=_taxonomies(ordered, keys_of),
        index=MappingProxyType(index),
        body_links=body_links,
        mentions=_mentions(keys_of, body_links, backlinks, index),
    )
    return Linked(site, tuple(problems))


@dataclass(frozen=True)
class _Known:
    """What a reference may point at."""

    published: Mapping[str, AnyEntry]
    all_keys: set[str]
    """Every entry, drafts included."""
    archetype_ids: frozenset[str]
    unavailable: frozenset[str]


def _reference_problems(
    entries: Sequence[tuple[Located, AnyEntry]], pages: Sequence[Page], known: _Known, drafts: bool
) -> list[Problem]:
    """Every broken reference: in the fields of each entry, then in the bodies of entries and pages."""
    problems: list[Problem] = []
    page_slugs = frozenset(page.slug for page in pages)
    for item, entry in entries:
        if not drafts and entry.draft:
            continue
        problems.extend(_field_problems(item, entry, known))
        problems.extend(
            _body_links(entry.path, item.md_links, known.published, known.all_keys, known.unavailable, page_slugs)
        )
    for page in pages:
        links = link_targets(page.path, md_file_links(page.body, page.body_line))
        problems.extend(_body_links(page.path, links, known.published, known.all_keys, known.unavailable, page_slugs))
    return problems


def _field_problems(item: Located, entry: AnyEntry, known: _Known) -> Iterator[Problem]:
    for field, target in REFERENCES[entry.collection]:
        values = getattr(entry, field)
        single = isinstance(values, str)
        for index, slug in enumerate((values,) if single else values):
            if target == "archetypes":
                if slug not in known.archetype_ids:
                    line, col = item.where((field,) if single else (field, index))
                    listed = ", ".join(sorted(known.archetype_ids))
                    message = f"人材像「{slug}」は content/archetypes.yaml にありません（ある人材像: {listed}）"
                    yield error(entry.path, line, col, "unknown-reference", message)
                continue
            key = f"{target}/{slug}"
            if key in known.published or key in known.unavailable:
                continue
            line, col = item.where((field,) if single else (field, index))
            if key in known.all_keys:
                message = f"「{key}」は下書き（draft: true）なので、公開される項目から参照できません"
                yield error(entry.path, line, col, "draft-reference", message)
            else:
                yield error(entry.path, line, col, "unknown-reference", f"参照先 content/{key}.md がありません")


Ordered = Mapping[str, tuple[AnyEntry, ...]]
"""Each collection's published entries, in presentation order."""


def _order(config: Config, archetypes: Sequence[Archetype], published: Iterable[AnyEntry]) -> Ordered:
    by_collection: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
    for entry in published:
        by_collection[entry.collection].append(entry)
    order = {a.id: i for i, a in enumerate(archetypes)}
    home = config.prefecture
    jis = {name: i for i, name in enumerate(PREFECTURES)}  # north to south, as the prefecture taxonomy

    def case_order(c: Case) -> tuple[bool, int, str, str]:
        return (c.prefecture != home, jis.get(c.prefecture, 99), c.title, c.slug)

    def role_order(r: Role) -> tuple[int, int, str, str]:
        return (ROLE_STATUS_ORDER.get(r.status or "", MODEL_ROLE_ORDER), order.get(r.archetype, 99), r.title, r.slug)

    programs: list[Program] = by_collection["programs"]
    partners: list[Partner] = by_collection["partners"]
    return {
        "programs": tuple(sorted(programs, key=lambda p: (LEVEL_ORDER[p.level], p.title, p.slug))),
        "partners": tuple(sorted(partners, key=lambda p: (p.title, p.slug))),
        "cases": tuple(sorted(by_collection["cases"], key=case_order)),
        "roles": tuple(sorted(by_collection["roles"], key=role_order)),
    }


def _body_links(
    path: str,
    links: Iterable[tuple[str, int, int, str]],
    published: Mapping[str, Entry],
    all_keys: set[str],
    unavailable: frozenset[str] = frozenset(),
    pages: frozenset[str] = frozenset(),
) -> Iterable[Problem]:
    for href, line, col, target in links:
        if target in published:
            continue  # nearly every link: to a published entry
        folder, _, name = target.partition("/")
        key = target if folder in COLLECTIONS else None
        page = name if folder == PAGES_DIR else None
        if page is not None:
            if page not in pages:
                yield error(path, line, col, "unknown-link", f"リンク先 content/pages/{page}.md がありません")
        elif key is None:
            yield error(
                path,
                line,
                col,
                "unknown-link",
                f"リンク先「{href}」は項目のファイルではありません。../programs/ファイル名.md のように書いてください",
            )
        elif key not in published and key not in unavailable:
            reason = "下書きです" if key in all_keys else "ありません"
            yield error(path, line, col, "unknown-link", f"リンク先 content/{key}.md が{reason}")


def _backlinks(ordered: Ordered, keys: Mapping[str, tuple[str, ...]]) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name in COLLECTIONS:  # presentation order, so backlinks come out sorted
        references = REFERENCES[name]
        for entry, key in zip(ordered[name], keys[name]):
            for field, target in references:
                values = getattr(entry, field)
                for slug in (values,) if isinstance(values, str) else values:
                    found[f"{target}/{slug}"][name].append(key)
    return MappingProxyType(
        {key: MappingProxyType({c: tuple(v) for c, v in refs.items()}) for key, refs in sorted(found.items())}
    )


def _body_link_targets(
    entries: Sequence[tuple[Located, AnyEntry]], published: Mapping[str, Entry]
) -> Mapping[str, tuple[str, ...]]:
    """Each published entry → the published entries its body links, each once, never itself."""
    found: dict[str, tuple[str, ...]] = {}
    for item, entry in entries:
        if not item.md_links:
            continue
        key = entry.key
        if key not in published:
            continue
        targets = tuple(dict.fromkeys(t for _, _, _, t in item.md_links if t != key and t in published))
        if targets:
            found[key] = targets
    return MappingProxyType(found)


def _mentions(
    keys: Mapping[str, tuple[str, ...]],
    body_links: Mapping[str, tuple[str, ...]],
    backlinks: Mapping[str, Mapping[str, tuple[str, ...]]],
    index: Mapping[str, AnyEntry | Archetype],
) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """Linked entry → collection → the entries whose body links it, in presentation order.

    Left out are the pairs whose fields already join them, either way (the linking
    entry names the linked one, or the linked one names the linking one): the
    linked entry's page shows those already.
    """
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name in COLLECTIONS:
        for key in keys[name]:
            for target in body_links.get(key, ()):
                if key in backlinks.get(target, {}).get(name, ()) or key in _named(index[target]):
                    continue
                found[target][name].append(key)
    return MappingProxyType(
        {key: MappingProxyType({c: tuple(v) for c, v in refs.items()}) for key, refs in sorted(found.items())}
    )


def _named(entry: AnyEntry | Archetype) -> frozenset[str]:
    """Keys of the entries an entry names in its fields (an archetype names none)."""
    if isinstance(entry, Archetype):
        return frozenset()
    named: set[str] = set()
    for field, target in REFERENCES[entry.collection]:
        values = getattr(entry, field)
        named.update(f"{target}/{slug}" for slug in ((values,) if isinstance(values, str) else values))
    return frozenset(named)


TERM_SLUG_MAX_BYTES = 96
"""Longest term slug in UTF-8 bytes: a file name may have 255, and URLs stay shareable."""


def term_slug(term: str) -> str:
    """A URL path segment for a free-text term (tags, providers): readable, never a path.

    A long term is cut at a character boundary and keeps a short hash of the whole
    term, so that two long terms with the same beginning get different pages.
    """
    text = unicodedata.normalize("NFKC", term).strip().lower()
    text = re.sub(r"[^\w-]+", "-", text).strip("-_") or "term"
    if len(text.encode("utf-8")) <= TERM_SLUG_MAX_BYTES:
        return text
    suffix = "-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    head = text.encode("utf-8")[: TERM_SLUG_MAX_BYTES - len(suffix)].decode("utf-8", "ignore")
    return head.rstrip("-_") + suffix


def _taxonomies(ordered: Ordered, keys: Mapping[str, tuple[str, ...]]) -> tuple[Taxonomy, ...]:
    def group(
        pairs: Iterable[tuple[str, str, str]], name: str, label: str, order: Sequence[str] | None = None
    ) -> Taxonomy:
        terms: dict[str, dict[str, None]] = {}  # keys in first-seen order, each once
        labels: dict[str, str] = {}  # the first label seen for each term
        for slug, term_label, key in pairs:
            found = terms.get(slug)
            if found is None:
                found = terms[slug] = {}
                labels[slug] = term_label
            found[key] = None
        chosen = [t for t in order if t in terms] if order is not None else sorted(terms)
        return Taxonomy(
            name,
            label,
            MappingProxyType({k: tuple(terms[k]) for k in chosen}),
            MappingProxyType({k: labels[k] for k in chosen}),
        )

    # A few hundred terms, each used tens of thousands of times: slugs made once per build.
    slug_of = functools.cache(term_slug)
    prefecture_of = functools.cache(prefecture_slug)

    def keyed(name: str) -> Iterable[tuple[Any, str]]:
        return zip(ordered[name], keys[name])

    return (
        group(((slug_of(p), p, key) for e, key in keyed("programs") for p in e.provider), "providers", "所管"),
        group(
            ((k, KIND_LABELS[k], key) for e, key in keyed("programs") for k in e.kinds),
            "kinds",
            "制度の種類",
            tuple(KIND_LABELS),
        ),
        group(
            [
                (prefecture_of(e.prefecture), e.prefecture, key)
                for name in ("cases", "roles")
                for e, key in keyed(name)
                if e.prefecture
            ],
            "prefectures",
            "都道府県",
            tuple(PREFECTURES.values()),
        ),
        group(
            ((m, MODEL_LABELS[m], key) for e, key in keyed("cases") for m in e.models),
            "models",
            "連携の型",
            tuple(MODEL_LABELS),
        ),
        group(((slug_of(t), t, key) for name in COLLECTIONS for e, key in keyed(name) for t in e.tags), "tags", "タグ"),
    )
