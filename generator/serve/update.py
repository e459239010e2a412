"""The dev server's answer to an edit of entry files: from memory, in two publications.

1. The edited files are read and validated again (with every file whose earlier
   edit was refused), the Site is linked again or patched (preview.apply), and the
   edited entries' own pages are rendered and published at once.
2. The other pages the edit touches (render/deps.py fingerprints: indexes, term
   pages, the pages that list or link the entries, the pages that summarise the
   whole site) are rendered and published next.

Problems refuse the edit as a full build would: the overlay shows them and the
pages served stay the last good ones. Search index, data files, feeds and sitemap
follow with the full build the caller runs afterwards (``Snapshot.pending``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ..parallel import collector
from ..problems import Problem, has_errors, sort_problems
from ..render.plan import entry_route
from .pages import Pages, broken, changed_pages, render_pages
from .preview import Applied, Model, Refused, apply, read_changes, touched
from .state import LiveState, Snapshot

Report = Callable[[Iterable[Problem]], None]
"""Tells the editor about problems (rebuild.Rebuilder._report)."""


@dataclass(frozen=True)
class Outcome:
    snapshot: Snapshot
    ok: bool
    pages: int = 0
    """Pages rendered for the edit."""
    published: int = 0
    """Of those, pages whose bytes changed."""


def update(state: LiveState, model: Model, edited: Sequence[str], report: Report) -> Outcome:
    """Publish the edit of ``edited`` (project-relative paths of known entry files)."""
    todo = sorted({*edited, *state.dirty})
    strict = model.options.strict
    with collector.paused():
        sources = read_changes(model.options.project, todo)
        applied = sources if isinstance(sources, Refused) else apply(model, sources)
        if isinstance(applied, Refused):
            return _refuse(state, todo, applied.problems, report)
        first = render_pages(applied.model, [entry_route(applied.model.site.index[key]) for key in applied.edited])
        if has_errors(first.problems, strict=strict):
            return _refuse(state, todo, (*applied.model.problems, *first.problems), report)
        published = 0
        # A link to a page that is not served yet (a new tag's page) is checked with the other pages.
        if not broken(first, model.paths, model.site.config.base_path):
            shown = changed_pages(state.snapshot, first.files)
            state.updated(shown, tuple(sorted(shown)))
            published = len(shown)
        return _rest(state, model, applied, first, published, todo, report)


def _rest(
    state: LiveState, old: Model, applied: Applied, first: Pages, published: int, todo: Sequence[str], report: Report
) -> Outcome:
    """Phase 2: every other page the edit touches; the links of all of them checked against
    the pages of the new Site (a page no longer planned is gone, a new one is there)."""
    new = replace(applied.model, cards=first.cards)
    prints, routes = touched(old, new)
    paths = (old.paths - old.fingerprints.keys()) | prints.keys()
    second = render_pages(new, [r for r in routes if r.output_path not in first.files])
    base_path = new.site.config.base_path
    problems = sort_problems(
        (
            *new.problems,
            *first.problems,
            *second.problems,
            *broken(first, paths, base_path),
            *broken(second, paths, base_path),
        )
    )
    if has_errors(problems, strict=old.options.strict):
        return _refuse(state, todo, problems, report)
    pages = {**(first.files if not published else {}), **second.files}
    shown = changed_pages(state.snapshot, pages)
    snapshot = state.updated(shown, tuple(sorted(shown))) if shown else state.snapshot
    state.keep_model(replace(new, fingerprints=prints, cards=second.cards, paths=paths))
    report(p for p in problems if not p.is_error)
    return Outcome(snapshot, True, len(first.files) + len(second.files), published + len(shown))


def _refuse(state: LiveState, todo: Sequence[str], problems: Sequence[Problem], report: Report) -> Outcome:
    state.mark_dirty(todo)
    report(problems)
    return Outcome(state.failed(sort_problems(problems)), False)
