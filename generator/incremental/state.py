"""What a build takes from the previous build into the same output folder, and what it leaves.

``load`` makes the state (``Previous``) once before rendering, each part read when first used;
``save`` writes the next one (``Next``) once, after the writer swapped the new output in: only
then does the output folder hold what the state describes. Each part keys on:

- **pages** (``pages.py``): a page is kept when its fingerprint (the build's global
  key + the content hashes of the entries it shows) is the previous build's and its
  file is still in the output; state key: ``Keys.output``.
- **links**: the internal links of every kept page, in a file of their own read only
  when a file went away (a kept page may link it) or some page's links changed.
- **cards** (render/cards.py): an entry's card is kept while the entry's content hash
  is the same; state key: ``Keys.cards`` (output key + every archetype's hash).
- **exports** (output/export_rows.py): where each record's bytes are in each data
  file; the bytes are read back from the output folder and checked; key ``Keys.output``.
- **feeds** (output/feeds.py): each feed's bytes by the digest of its inputs, valid
  whatever the output folder holds; key ``Keys.site``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..config import BuildOptions
from ..model import Site
from ..output.dataset import Exported
from ..output.export_rows import Layout
from ..output.feeds import Feeds
from ..render.batch import Batch
from ..render.cards import Stored as StoredCards
from ..render.cards import keep as keep_cards
from . import store
from .pages import RenderPlan, encode_targets, known_links, links_digest

PageState = Mapping[str, tuple[str, str]]
"""Output path → (fingerprint, digest of its internal links) of each page that can be kept."""


@dataclass(frozen=True)
class Keys:
    site: str
    """Every page's inputs but its entries: generator, theme, settings, build date, drafts and serve."""
    output: str
    """``site`` and the output folder: what is kept is the files of that folder."""
    cards: str
    """``output`` and every archetype's content hash (a role's card shows its archetype)."""


def keys(site: Site, options: BuildOptions, theme_key: str, hashes: Mapping[str, str]) -> Keys:
    site_key = store.digest(
        store.generator_fingerprint(),
        theme_key,
        repr(site.config),
        site.as_of.isoformat(),
        repr((options.drafts, options.serve)),
    )
    output = store.digest(site_key, str(options.output.resolve()))
    cards = store.digest(output, *(f"{a.key}={hashes.get(a.key, '?')}" for a in site.archetypes))
    return Keys(site_key, output, cards)


@dataclass(frozen=True)
class Previous:
    """The previous build's state: one value, each part read from ``.catalog-cache/`` the first time
    it is used, and only then (the data exports read theirs in their own process, beside the pages).
    A part is empty when it was saved under other keys or describes an output folder that is gone."""

    keys: Keys
    project: Path
    output_here: bool
    """Whether the output folder exists: the parts that describe its files are empty otherwise."""

    @cached_property
    def _pages(self) -> Mapping[str, Any]:
        stored = store.load(self.project, "pages", self.keys.output) if self.output_here else None
        return stored or {}

    @property
    def pages(self) -> PageState:
        pages: PageState = self._pages.get("pages", {})
        return pages

    @property
    def paths(self) -> frozenset[str]:
        """Every file of the previous output."""
        paths: frozenset[str] = self._pages.get("paths", frozenset())
        return paths

    @property
    def links_token(self) -> str:
        """Names the file of link lists that goes with ``pages``."""
        token: str = self._pages.get("links", "")
        return token

    @cached_property
    def cards(self) -> StoredCards:
        cards: StoredCards = store.load(self.project, "cards", self.keys.cards) or {}
        return cards

    @cached_property
    def exports(self) -> Mapping[str, Layout]:
        """Where each record's bytes are in each data file, by path."""
        stored = store.load(self.project, "exports", self.keys.output) if self.output_here else None
        layouts: Mapping[str, Layout] = stored or {}
        return layouts

    @cached_property
    def feeds(self) -> Mapping[str, bytes]:
        feeds: Mapping[str, bytes] = store.load(self.project, "feeds", self.keys.site) or {}
        return feeds

    def kept_links(self, kept: Mapping[str, str]) -> dict[str, str]:
        """The stored link lists of the kept pages (path → digest of its links) that match their digest."""
        stored = store.load(self.project, "links", store.digest(self.keys.output, self.links_token))
        return known_links(stored, kept)


def load(project: Path, keys: Keys, output: Path) -> Previous:
    """The state the previous build into ``output`` left (read part by part as it is used)."""
    return Previous(keys, project, output.resolve().is_dir())


@dataclass(frozen=True)
class Next:
    """What this build leaves for the next one; parts that did not change are None (not written again)."""

    keys: Keys
    pages: PageState
    paths: frozenset[str]
    links_token: str
    links: Mapping[str, str] | None = None
    """Every kept page's link list, when some changed (a new file named by a new token)."""
    cards: StoredCards | None = None
    exports: Mapping[str, Layout] = field(default_factory=dict)
    feeds: Mapping[str, bytes] | None = None


@dataclass(frozen=True)
class KeptLinks:
    """The kept pages' stored link lists, read when a file went away (a kept page may link it)."""

    known: dict[str, str] | None = None
    """Path → encoded links of each kept page whose list could be read; None: not read (no file went away)."""
    unknown: frozenset[str] = frozenset()
    """Kept pages whose list cannot be read: rendered again, and so checked."""


def kept_links(previous: Previous, plan: RenderPlan, existing: frozenset[str]) -> KeptLinks:
    """Otherwise (no file went away) every link of a kept page still resolves, as it did when it was checked."""
    if not previous.paths - existing:
        return KeptLinks()
    kept = dict(plan.kept)
    known = previous.kept_links(kept)
    return KeptLinks(known, frozenset(kept.keys() - known.keys()))


def next_state(
    previous: Previous,
    plan: RenderPlan,
    links: KeptLinks,
    existing: frozenset[str],
    made: Made,
) -> Next:
    """The state after this build, which made ``made`` (what was rendered, exported and encoded).

    The link lists go to a new file only when some page's links changed; a kept
    page whose stored links cannot be read is left out, and so is not kept next time.
    Only pages with a fingerprint can be kept; the others are rendered every time.
    """
    rendered = made.batch.pages
    fresh = {p.file.path: encode_targets(p.targets) for p in rendered if plan.fingerprints.get(p.file.path) is not None}
    digests = {path: links_digest(blob) for path, blob in fresh.items()}
    kept = dict(plan.kept)  # path → digest of its links
    token = previous.links_token
    lists: dict[str, str] | None = None
    if (
        not token
        or links.unknown
        or any(previous.pages.get(path, ("", ""))[1] != digest for path, digest in digests.items())
    ):
        known = links.known if links.known is not None else previous.kept_links(kept)
        token = secrets.token_hex(8)
        lists = {**known, **fresh}
    described = {**{p: d for p, d in kept.items() if lists is None or p in lists}, **digests}
    pages = {
        path: (fp, described[path]) for path, fp in plan.fingerprints.items() if fp is not None and path in described
    }
    cards = keep_cards(previous.cards, made.hashes, made.batch.cards) if made.batch.cards else None
    feeds = made.feeds.memo if made.feeds.reused < len(made.feeds.files) else None
    return Next(previous.keys, pages, existing, token, lists, cards, made.exported.layouts, feeds)


@dataclass(frozen=True)
class Made:
    """What this build made that the next one may reuse."""

    hashes: Mapping[str, str]
    batch: Batch
    exported: Exported
    feeds: Feeds


def save(project: Path, state: Next) -> None:
    """Write the parts that changed; the links first: the pages name them."""
    keys = state.keys
    if state.links is not None:
        store.save(project, "links", store.digest(keys.output, state.links_token), dict(state.links))
    pages = {"pages": dict(state.pages), "paths": state.paths, "links": state.links_token}
    store.save(project, "pages", keys.output, pages)
    store.save(project, "exports", keys.output, state.exports)
    if state.cards is not None:
        store.save(project, "cards", keys.cards, state.cards)
    if state.feeds is not None:
        store.save(project, "feeds", keys.site, state.feeds)
