"""What each page shows, so an incremental build knows which pages an edit touches.

A page's fingerprint is the hash of everything it is rendered from: the build's
global inputs (generator, theme, settings, build date) plus the content hashes of
the entries it shows. Pages that summarise the whole site (home, taxonomy
indexes, search, data) have no dependency set: they are always rendered, which
is cheap because there are few of them. A page whose fingerprint matches the
previous build's is not rendered again; its previous file is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from ..cache import digest
from ..model import COLLECTIONS, Site
from .routes import Route, term_path

ALWAYS = None


def route_dependencies(route: Route, site: Site, terms: Mapping[str, tuple[str, ...]] | None = None) -> frozenset[str] | None:
    """Keys of the entries and archetypes a page shows, or None for “always render”.

    ``terms`` maps each taxonomy term page's path to its entries (see ``term_pages``);
    computed once per build by the caller.
    """
    archetypes = {a.key for a in site.archetypes}
    path = route.path
    parts = path.strip("/").split("/")
    if len(parts) == 2 and path.endswith("/") and path[:-1] in site.index:
        key = path[:-1]
        refs = set(_forward(site, key))
        for keys in site.backlinks.get(key, {}).values():
            refs.update(keys)
        return frozenset({key, *refs, *archetypes})
    if path == "programs/compare/":
        return frozenset({*(p.key for p in site.programs), *archetypes})
    if len(parts) == 1 and parts[0] in COLLECTIONS and path.endswith("/"):
        return frozenset({*(e.key for e in site.collection(parts[0])), *archetypes})
    term_keys = (terms if terms is not None else term_pages(site)).get(path)
    if term_keys is not None:
        return frozenset({*term_keys, *archetypes})
    return ALWAYS


def term_pages(site: Site) -> Mapping[str, tuple[str, ...]]:
    """Path of every taxonomy term page → keys of the entries it lists."""
    return {term_path(t, term): keys for t in site.taxonomies for term, keys in t.terms.items()}


def _forward(site: Site, key: str) -> tuple[str, ...]:
    entry = site.index[key]
    collection = key.split("/", 1)[0]
    if collection == "archetypes":
        return ()
    out: list[str] = []
    for field, target in (("programs", "programs"), ("partners", "partners")):
        out.extend(f"{target}/{slug}" for slug in getattr(entry, field, ()) or ())
    return tuple(out)


def fingerprint(
    route: Route, site: Site, global_key: str, hashes: Mapping[str, str], terms: Mapping[str, tuple[str, ...]] | None = None
) -> str | None:
    """The page's input hash, or None when it must always be rendered."""
    deps = route_dependencies(route, site, terms)
    if deps is ALWAYS:
        return None
    parts = [global_key, route.path, route.template, route.title]
    for key in sorted(deps):
        parts.append(key)
        parts.append(hashes.get(key, "?"))
    return digest(*parts)


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
    terms = term_pages(site)
    for route in routes:
        fp = fingerprint(route, site, global_key, hashes, terms)
        fingerprints[route.output_path] = fp
        old = previous.get(route.output_path)
        if fp is not None and old is not None and old[0] == fp and exists(route.output_path):
            kept.append((route.output_path, old[1]))
        else:
            render.append(route)
    return RenderPlan(tuple(render), tuple(kept), fingerprints)


def encode_targets(targets: Sequence[tuple[str, str]]) -> str:
    """A page's internal links as one string: the page cache holds one per page, and a
    string is far smaller in memory and in the pickle than tuples of tuples."""
    return "\n".join(f"{href}\t{target}" for href, target in targets)


def decode_targets(blob: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(line.split("\t", 1)) for line in blob.split("\n") if line)  # type: ignore[misc]
