"""Pages of the preview rendered in memory, and which served pages a publication changes.

``render_pages`` renders routes of a model's Site in this process (the server has
HTTP threads: no forking) and checks the internal links of every page it renders
against the output paths being served, as a full build checks them.
``changed_pages`` compares new bytes with the bytes being served, so that an open
page reloads only when its own bytes changed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from ..render.batch import render_routes
from ..render.cards import CardKey, keep
from ..render.linkcheck import broken_links
from ..render.pages import make_renderer
from ..render.routes import Route
from .preview import Model
from .state import Snapshot


@dataclass(frozen=True)
class Pages:
    files: Mapping[str, bytes]
    """Output path → bytes of each page rendered."""
    problems: tuple[Problem, ...]
    """Template problems (links are checked by ``broken``)."""
    targets: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Output path → (href, output path) of each internal link of the page."""
    cards: Mapping[CardKey, tuple[str, str]] = field(default_factory=dict)
    """The model's cards with those rendered here (for the next edit)."""


def render_pages(model: Model, routes: Sequence[Route]) -> Pages:
    """``routes`` of the model's Site as bytes, with the template problems and the links of each page."""
    renderer = make_renderer(model.site, model.env, model.options, hashes=model.hashes, cards=model.cards)
    batch = render_routes(renderer, routes, parallel=False)
    files = {page.file.path: page.file.data for page in batch.pages}
    targets = {page.file.path: page.targets for page in batch.pages}
    cards = keep(model.cards, model.hashes, batch.cards) if batch.cards else model.cards
    return Pages(files, tuple(sorted(batch.problems)), targets, cards)


def broken(pages: Pages, existing: frozenset[str], base_path: str) -> tuple[Problem, ...]:
    """The internal links of ``pages`` to no output path in ``existing``, as a full build reports them."""
    return tuple(
        sorted(p for path, targets in pages.targets.items() for p in broken_links(path, targets, existing, base_path))
    )


def served(snapshot: Snapshot, path: str) -> bytes | None:
    """The bytes the server answers for output path ``path`` now."""
    data = snapshot.page(path)
    if data is not None or snapshot.root is None:
        return data
    try:
        return (snapshot.root / path).read_bytes()
    except OSError:
        return None


def changed_pages(snapshot: Snapshot, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The pages of ``files`` whose bytes differ from those being served."""
    return {path: data for path, data in files.items() if served(snapshot, path) != data}


def output_paths(root: Path) -> frozenset[str]:
    """Every file of a build folder, as output paths (``programs/x/index.html``)."""
    found: set[str] = set()
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found.update(prefix + name for name in names)
    return frozenset(found)


def tree_changes(snapshot: Snapshot, new_root: Path, since: int) -> tuple[str, ...]:
    """Output paths whose served bytes change when ``new_root`` (a full build of the content as
    it was at version ``since``) replaces the snapshot's folder and the pages rendered up to then.

    The writer links a file that did not change from the previous build, so an unchanged
    file has the same inode in both folders: only the others, and the pages rendered in
    memory, are compared byte for byte.
    """
    old = _inodes(snapshot.root) if snapshot.root is not None else {}
    new = _inodes(new_root)
    changed = {path for path, inode in new.items() if old.get(path) != inode} | (old.keys() - new.keys())
    changed |= {path for path, hit in snapshot.overlay.items() if hit[0] <= since}
    changed -= {path for path, hit in snapshot.overlay.items() if hit[0] > since}  # still served from memory
    out: list[str] = []
    for path in sorted(changed):
        if path.endswith(".html") and path in new:
            hit = snapshot.overlay.get(path)
            before = hit[1] if hit is not None and hit[0] <= since else served(snapshot, path)
            try:
                if before == (new_root / path).read_bytes():
                    continue
            except OSError:
                pass
        out.append(path)
    return tuple(out)


def _inodes(root: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in names:
            try:
                found[prefix + name] = os.stat(os.path.join(folder, name)).st_ino
            except OSError:
                continue
    return found
