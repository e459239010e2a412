"""What each page shows, so an incremental build knows which pages an edit touches.

A page's fingerprint is the hash of everything it is rendered from: the build's
global inputs (generator, theme, settings, build date) plus the content hashes of
the entries it shows. Pages that summarise the whole site (home, taxonomy
indexes, search, data) have no dependency set: they are always rendered, which
is cheap because there are few of them. A page whose fingerprint matches the
previous build's is not rendered again; its previous file is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import blake2b, sha256

from ..model import COLLECTIONS, Site
from ..render.routes import Route, term_path

ALWAYS = None


class Dependencies:
    """What every page of one build depends on, worked out once for all its routes.

    Every page that has a dependency set depends on all the archetypes (the
    theme shows them throughout), so they go once into the prefix of every
    fingerprint instead of into each page's list.
    """

    def __init__(self, site: Site, global_key: str, hashes: Mapping[str, str]) -> None:
        self.index = dict(site.index)
        self.backlinks = site.backlinks
        self.mentions = site.mentions
        self.archetypes = frozenset(a.key for a in site.archetypes)
        self.terms = term_pages(site)
        self.collections = {c: tuple(e.key for e in site.collection(c)) for c in COLLECTIONS}
        self.tokens = _Tokens((key, _token(key, value)) for key, value in hashes.items())
        self.prefix = _field(global_key).encode() + b"".join(sorted(map(self.tokens.__getitem__, self.archetypes)))

    def keys(self, path: str) -> Iterable[str] | None:
        """Keys of the entries a page shows besides the archetypes, or None for “always render”."""
        index = self.index
        if path[:-1] in index and path.endswith("/") and path.count("/") == 2:
            key = path[:-1]
            refs = [key]
            if not key.startswith("archetypes/"):
                entry = index[key]
                programs = getattr(entry, "programs", None)
                if programs:
                    refs += ["programs/" + slug for slug in programs]
                partners = getattr(entry, "partners", None)
                if partners:
                    refs += ["partners/" + slug for slug in partners]
            backlinks = self.backlinks.get(key)
            if backlinks:
                for keys in backlinks.values():
                    refs += keys
            mentions = self.mentions.get(key)  # entries whose body links this one: the page lists them
            if mentions:
                for keys in mentions.values():
                    refs += keys
            return refs
        if path == "programs/compare/" or path.startswith("programs/find/"):
            return self.collections["programs"]
        if path[:-1] in self.collections and path.endswith("/"):
            return self.collections[path[:-1]]
        return self.terms.get(path)

    def fingerprint(self, route: Route) -> str | None:
        """The page's input hash, or None when it must always be rendered.

        SHA-256 over length-prefixed fields: the build's global key, the
        archetypes, the route's path, template and title, then each key the page
        shows with its content hash. The keys come in the site's own order, not
        sorted: the same inputs give the same order, and another order only
        makes the page render again.
        """
        path = route.path
        keys = self.keys(path)
        if keys is None:
            return None
        template, title = route.template, route.title
        h = sha256(self.prefix)
        h.update(f"{len(path)}:{path}{len(template)}:{template}{len(title)}:{title}".encode())
        h.update(b"".join(map(self.tokens.__getitem__, keys)))
        return h.hexdigest()


class _Tokens(dict[str, bytes]):
    """Key → its length-prefixed key and content hash (UTF-8); a key with no hash gets ``?``."""

    def __missing__(self, key: str) -> bytes:
        return _token(key, "?")


def _field(text: str) -> str:
    """``text`` with its length in front, so that no two lists of fields join to the same string."""
    return f"{len(text)}:{text}"


def _token(key: str, content_hash: str) -> bytes:
    return f"{len(key)}:{key}{len(content_hash)}:{content_hash}".encode()


def route_dependencies(route: Route, site: Site) -> frozenset[str] | None:
    """Keys of the entries and archetypes a page shows, or None for “always render”."""
    deps = Dependencies(site, "", {})
    keys = deps.keys(route.path)
    return ALWAYS if keys is None else frozenset({*keys, *deps.archetypes})


def term_pages(site: Site) -> Mapping[str, tuple[str, ...]]:
    """Path of every taxonomy term page → keys of the entries it lists."""
    return {term_path(t, term): keys for t in site.taxonomies for term, keys in t.terms.items()}


@dataclass(frozen=True)
class RenderPlan:
    """Which pages to render and which to keep from the previous build."""

    render: tuple[Route, ...]
    kept: tuple[tuple[str, str], ...]
    """(output path, internal links as stored by ``encode_targets``) of each page kept as it was."""
    fingerprints: Mapping[str, str | None]


def plan_render(
    routes: Sequence[Route],
    site: Site,
    global_key: str,
    hashes: Mapping[str, str],
    previous: Mapping[str, tuple[str, str]],
    exists: Callable[[str], bool],
) -> RenderPlan:
    """Keep a page when its fingerprint equals the previous build's and its file is there."""
    render: list[Route] = []
    kept: list[tuple[str, str]] = []
    fingerprints: dict[str, str | None] = {}
    deps = Dependencies(site, global_key, hashes)
    for route in routes:
        fp = deps.fingerprint(route)
        path = route.output_path
        fingerprints[path] = fp
        old = previous.get(path)
        if fp is not None and old is not None and old[0] == fp and exists(path):
            kept.append((path, old[1]))
        else:
            render.append(route)
    return RenderPlan(tuple(render), tuple(kept), fingerprints)


def encode_targets(targets: Sequence[tuple[str, str]]) -> str:
    """A page's internal links as one string: the page cache holds one per page, and a
    string is far smaller in memory and in the pickle than tuples of tuples."""
    return "\n".join(f"{href}\t{target}" for href, target in targets)


def decode_targets(blob: str) -> tuple[tuple[str, str], ...]:
    # A tab on every line: each is a pair.
    return tuple(tuple(line.split("\t", 1)) for line in blob.split("\n") if line)  # type: ignore[misc]


def links_digest(blob: str) -> str:
    """A short digest of a page's encoded links: the page cache keeps it, the link lists
    themselves are in a file of their own, read only when they are needed."""
    return blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()


def known_links(stored: Mapping[str, str] | None, kept: Mapping[str, str]) -> dict[str, str]:
    """The stored link lists of the kept pages (path → links digest) that match their digest."""
    if not stored:
        return {}
    return {
        path: blob
        for path, digest in kept.items()
        if (blob := stored.get(path)) is not None and links_digest(blob) == digest
    }
