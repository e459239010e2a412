"""Atom feeds (RFC 4287) of updated entries: all, per collection, per archetype, per prefecture.

``/atom.xml``, ``/<collection>/atom.xml``, ``/archetypes/<id>/atom.xml`` and
``/prefectures/<slug>/atom.xml``. Entry ids are the absolute page URLs; ``updated``
comes from each entry's ``updated`` date (the build date when it has none), never
from the clock. The XML is built with ElementTree, so every text is escaped.

A feed is encoded from its ``FeedInputs`` alone (the strings it prints); the next
build reuses its bytes when the digest of those inputs is the same, so an edit
that no feed shows (a body, a field feeds do not print) encodes nothing.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from ..content.prefectures import PREFECTURES, prefecture_slug
from ..model import COLLECTION_LABELS, COLLECTIONS, AnyEntry, OutputFile, Role, Site

ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
MEDIA_TYPE = "application/atom+xml"

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_FIRST = itemgetter(0)


@dataclass(frozen=True)
class Feed:
    path: str
    """Where the feed is written, e.g. ``programs/atom.xml``."""
    page: str
    """The site path of the page it is about, e.g. ``programs/``."""
    title: str
    entries: tuple[AnyEntry, ...]


@dataclass(frozen=True)
class Feeds:
    files: tuple[OutputFile, ...]
    memo: Mapping[str, bytes]
    """The bytes of each feed by the digest of its inputs, for the next build's ``previous``."""
    reused: int = 0
    """How many feeds came from ``previous`` instead of being encoded."""


def build_feeds(site: Site, previous: Mapping[str, bytes] | None = None) -> Feeds:
    """Every Atom feed of the site; a feed whose inputs digest is in ``previous`` is taken from it.

    A feed is encoded from nothing but its ``FeedInputs`` (the strings it prints), and
    the digest is over all of them: equal digests mean equal bytes.
    """
    previous = previous or {}
    items: dict[str, Item] = {}
    files: list[OutputFile] = []
    memo: dict[str, bytes] = {}
    reused = 0
    for feed in plan_feeds(site):
        inputs = feed_inputs(site, feed, items)
        key = hashlib.sha256(repr(inputs).encode()).hexdigest()
        data = previous.get(key)
        if data is None:
            data = encode_inputs(inputs)
        else:
            reused += 1
        memo[key] = data
        files.append(OutputFile(feed.path, data, MEDIA_TYPE))
    return Feeds(tuple(files), memo, reused)


def plan_feeds(site: Site) -> tuple[Feed, ...]:
    """Which feeds exist and which public entries each holds (newest first, at most 50).

    The public entries are put in order once; each feed takes the first 50 of its
    own in that order, looking no further than it needs to.
    """
    keyed = newest_first(site, (e for e in site.entries() if not e.draft))
    ordered = tuple(e for _, e in keyed)
    name = site.config.title
    feeds = [Feed("atom.xml", "", f"{name}：更新情報", ordered[:MAX_ENTRIES])]
    for collection in COLLECTIONS:
        label = COLLECTION_LABELS[collection]
        chosen = _first(e for e in ordered if e.collection == collection)
        feeds.append(Feed(f"{collection}/atom.xml", f"{collection}/", f"{name}：{label}の更新", chosen))
    for archetype in site.archetypes:
        chosen = _first(e for e in ordered if archetype.id in _archetypes_of(e))
        page = f"archetypes/{archetype.id}/"
        feeds.append(Feed(f"{page}atom.xml", page, f"{name}：人材像「{archetype.name}」の更新", chosen))
    rank = {key: i for i, (key, _) in enumerate(keyed)}
    for slug, label, keys in _prefecture_groups(site, ordered):
        newest = sorted(rank[k] for k in keys if k in rank)[:MAX_ENTRIES]
        page = f"prefectures/{slug}/"
        feeds.append(Feed(f"{page}atom.xml", page, f"{name}：{label}の更新", tuple(ordered[i] for i in newest)))
    return tuple(feeds)


def _first(entries: Iterable[AnyEntry]) -> tuple[AnyEntry, ...]:
    return tuple(islice(entries, MAX_ENTRIES))


def newest_first(site: Site, entries: Iterable[AnyEntry]) -> list[tuple[str, AnyEntry]]:
    """(key, entry), newest ``updated`` first; ties by key, so the order is stable."""
    keyed = sorted([(e.key, e) for e in entries], key=_FIRST)  # keys are unique: entries are never compared
    as_of = site.as_of
    keyed.sort(key=lambda pair: pair[1].updated.value if pair[1].updated is not None else as_of, reverse=True)
    return keyed


def _updated(site: Site, entry: AnyEntry) -> date:
    return entry.updated.value if entry.updated is not None else site.as_of


def _archetypes_of(entry: AnyEntry) -> tuple[str, ...]:
    """The archetypes an entry concerns: a program's or case's list, a role's one."""
    if isinstance(entry, Role):
        return (entry.archetype,)
    return tuple(getattr(entry, "archetypes", ()))


def _prefecture_groups(site: Site, entries: tuple[AnyEntry, ...]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(slug, name, entry keys) per prefecture.

    The link stage's ``prefectures`` taxonomy decides, so that a feed exists for
    every prefecture page; without one, cases and roles are grouped by their field.
    The keys may name drafts and other entries not in ``entries``.
    """
    taxonomy = next((t for t in site.taxonomies if t.name == "prefectures"), None)
    if taxonomy is not None:
        return [
            (prefecture_slug(term) if term in PREFECTURES else term, taxonomy.term_labels.get(term, term), keys)
            for term, keys in sorted(taxonomy.terms.items())
        ]
    groups: dict[str, list[str]] = {}
    for e in entries:
        name = getattr(e, "prefecture", None)
        if isinstance(name, str) and name in PREFECTURES:
            groups.setdefault(name, []).append(e.key)
    return [
        (PREFECTURES[name], name, tuple(keys)) for name, keys in sorted(groups.items(), key=lambda g: PREFECTURES[g[0]])
    ]


# --- XML ------------------------------------------------------------------------


def clean(text: str, *, one_line: bool = False) -> str:
    """Drop characters XML 1.0 cannot hold; titles also lose their line breaks."""
    text = _INVALID_XML.sub("", text)
    return _SPACES.sub(" ", text).strip() if one_line else text


def rfc3339(day: date) -> str:
    """Midnight of the day in Japan time: the dates of the content are Japanese."""
    return f"{day.isoformat()}T00:00:00+09:00"


class Item(NamedTuple):
    """What a feed prints of one entry."""

    url: str
    title: str
    updated: date
    collection: str
    label: str
    summary: str


class FeedInputs(NamedTuple):
    """Everything a feed's bytes are made from; ``encode_inputs`` reads nothing else."""

    self_url: str
    page_url: str
    language: str
    title: str
    author: str
    rights: str
    as_of: date
    items: tuple[Item, ...]


def feed_inputs(site: Site, feed: Feed, items: dict[str, Item] | None = None) -> FeedInputs:
    """The inputs of one feed; ``items`` remembers each entry's item across the feeds of a build."""
    config = site.config
    known = items if items is not None else {}
    chosen: list[Item] = []
    for entry in feed.entries:
        key = entry.key
        item = known.get(key)
        if item is None:
            item = known[key] = _item(site, entry)
        chosen.append(item)
    return FeedInputs(
        config.absolute_url(feed.path),
        config.absolute_url(feed.page),
        config.language,
        clean(feed.title, one_line=True),
        clean(config.publisher or config.title, one_line=True),
        clean(config.license.name, one_line=True),
        site.as_of,
        tuple(chosen),
    )


def _item(site: Site, entry: AnyEntry) -> Item:
    return Item(
        site.config.absolute_url(f"{entry.collection}/{entry.slug}/"),
        clean(entry.title, one_line=True),
        _updated(site, entry),
        entry.collection,
        COLLECTION_LABELS.get(entry.collection, entry.collection),
        clean(entry.summary),
    )


def encode_feed(site: Site, feed: Feed) -> bytes:
    return encode_inputs(feed_inputs(site, feed))


def encode_inputs(inputs: FeedInputs) -> bytes:
    days = [item.updated for item in inputs.items]
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": inputs.language})
    _text(root, "id", inputs.self_url)
    _text(root, "title", inputs.title)
    _text(root, "updated", rfc3339(max(days) if days else inputs.as_of))
    ET.SubElement(root, "link", {"rel": "self", "type": MEDIA_TYPE, "href": inputs.self_url})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": inputs.page_url})
    author = ET.SubElement(root, "author")
    _text(author, "name", inputs.author)
    _text(root, "rights", inputs.rights)
    _text(root, "generator", "catalog")
    for item in inputs.items:
        root.append(_entry(item))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _entry(item: Item) -> ET.Element:
    element = ET.Element("entry")
    _text(element, "id", item.url)
    _text(element, "title", item.title)
    _text(element, "updated", rfc3339(item.updated))
    ET.SubElement(element, "link", {"rel": "alternate", "type": "text/html", "href": item.url})
    ET.SubElement(element, "category", {"term": item.collection, "label": item.label})
    summary = ET.SubElement(element, "summary", {"type": "text"})
    summary.text = item.summary
    return element


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = text
    return child
