"""Atom feeds (RFC 4287) of updated entries: all, per collection, per archetype, per prefecture.

``/atom.xml``, ``/<collection>/atom.xml``, ``/archetypes/<id>/atom.xml`` and
``/prefectures/<slug>/atom.xml``. Entry ids are the absolute page URLs; ``updated``
comes from each entry's ``updated`` date (the build date when it has none), never
from the clock. The XML is built with ElementTree, so every text is escaped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from ..content.prefectures import PREFECTURES, prefecture_slug
from ..model import COLLECTION_LABELS, COLLECTIONS, AnyEntry, OutputFile, Site

ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
MEDIA_TYPE = "application/atom+xml"

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Feed:
    path: str
    """Where the feed is written, e.g. ``programs/atom.xml``."""
    page: str
    """The site path of the page it is about, e.g. ``programs/``."""
    title: str
    entries: tuple[AnyEntry, ...]


def build_feeds(site: Site) -> tuple[OutputFile, ...]:
    """Every Atom feed of the site."""
    return tuple(OutputFile(f.path, encode_feed(site, f), MEDIA_TYPE) for f in plan_feeds(site))


def plan_feeds(site: Site) -> tuple[Feed, ...]:
    """Which feeds exist and which public entries each holds (newest first, at most 50)."""
    entries = tuple(e for e in site.entries() if not e.draft)
    name = site.config.title
    feeds = [Feed("atom.xml", "", f"{name}：更新情報", entries)]
    for collection in COLLECTIONS:
        label = COLLECTION_LABELS[collection]
        chosen = tuple(e for e in entries if e.collection == collection)
        feeds.append(Feed(f"{collection}/atom.xml", f"{collection}/", f"{name}：{label}の更新", chosen))
    for archetype in site.archetypes:
        chosen = tuple(e for e in entries if archetype.id in _archetypes_of(e))
        page = f"archetypes/{archetype.id}/"
        feeds.append(Feed(f"{page}atom.xml", page, f"{name}：人材像「{archetype.name}」の更新", chosen))
    for slug, label, chosen in _prefecture_groups(site, entries):
        page = f"prefectures/{slug}/"
        feeds.append(Feed(f"{page}atom.xml", page, f"{name}：{label}の更新", chosen))
    return tuple(Feed(f.path, f.page, f.title, newest_first(site, f.entries)[:MAX_ENTRIES]) for f in feeds)


def newest_first(site: Site, entries: Iterable[AnyEntry]) -> tuple[AnyEntry, ...]:
    """Newest ``updated`` first; ties by key, so the order is stable."""
    by_key = sorted(entries, key=lambda e: e.key)
    return tuple(sorted(by_key, key=lambda e: _updated(site, e), reverse=True))


def _updated(site: Site, entry: AnyEntry) -> date:
    return entry.updated.value if entry.updated is not None else site.as_of


def _archetypes_of(entry: AnyEntry) -> tuple[str, ...]:
    """The archetypes an entry concerns: a program's or case's list, a role's one."""
    if entry.collection == "roles":
        return (entry.archetype,)  # type: ignore[union-attr]
    return tuple(getattr(entry, "archetypes", ()))


def _prefecture_groups(site: Site, entries: tuple[AnyEntry, ...]) -> list[tuple[str, str, tuple[AnyEntry, ...]]]:
    """(slug, name, entries) per prefecture.

    The link stage's ``prefectures`` taxonomy decides, so that a feed exists for
    every prefecture page; without one, cases and roles are grouped by their field.
    """
    public = {e.key: e for e in entries}
    taxonomy = next((t for t in site.taxonomies if t.name == "prefectures"), None)
    if taxonomy is not None:
        return [
            (
                prefecture_slug(term) if term in PREFECTURES else term,
                taxonomy.term_labels.get(term, term),
                tuple(public[k] for k in keys if k in public),
            )
            for term, keys in sorted(taxonomy.terms.items())
        ]
    groups: dict[str, list[AnyEntry]] = {}
    for e in entries:
        name = getattr(e, "prefecture", None)
        if name in PREFECTURES:
            groups.setdefault(name, []).append(e)
    return [(PREFECTURES[name], name, tuple(es)) for name, es in sorted(groups.items(), key=lambda g: PREFECTURES[g[0]])]


# --- XML ------------------------------------------------------------------------


def clean(text: str, *, one_line: bool = False) -> str:
    """Drop characters XML 1.0 cannot hold; titles also lose their line breaks."""
    text = _INVALID_XML.sub("", text)
    return _SPACES.sub(" ", text).strip() if one_line else text


def rfc3339(day: date) -> str:
    """Midnight of the day in Japan time: the dates of the content are Japanese."""
    return f"{day.isoformat()}T00:00:00+09:00"


def encode_feed(site: Site, feed: Feed) -> bytes:
    config = site.config
    self_url = config.absolute_url(feed.path)
    days = [_updated(site, e) for e in feed.entries]
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    _text(root, "id", self_url)
    _text(root, "title", clean(feed.title, one_line=True))
    _text(root, "updated", rfc3339(max(days) if days else site.as_of))
    ET.SubElement(root, "link", {"rel": "self", "type": MEDIA_TYPE, "href": self_url})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": config.absolute_url(feed.page)})
    author = ET.SubElement(root, "author")
    _text(author, "name", clean(config.publisher or config.title, one_line=True))
    _text(root, "rights", clean(config.license.name, one_line=True))
    _text(root, "generator", "catalog")
    for entry in feed.entries:
        root.append(_entry(site, entry))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _entry(site: Site, entry: AnyEntry) -> ET.Element:
    url = site.config.absolute_url(f"{entry.collection}/{entry.slug}/")
    element = ET.Element("entry")
    _text(element, "id", url)
    _text(element, "title", clean(entry.title, one_line=True))
    _text(element, "updated", rfc3339(_updated(site, entry)))
    ET.SubElement(element, "link", {"rel": "alternate", "type": "text/html", "href": url})
    label = COLLECTION_LABELS.get(entry.collection, entry.collection)
    ET.SubElement(element, "category", {"term": entry.collection, "label": label})
    summary = ET.SubElement(element, "summary", {"type": "text"})
    summary.text = clean(entry.summary)
    return element


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = text
    return child
