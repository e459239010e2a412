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

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from .. import collector
from ..problems import Problem, has_errors, sort_problems
from ..render.routes import entry_route
from .pages import Pages, changed_pages, render_pages
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
    with collector.paused():
        sources = read_changes(model.options.project, todo)
        applied = sources if isinstance(sources, Refused) else apply(model, sources)
        if isinstance(applied, Refused):
            return _refuse(state, todo, applied.problems, report)
        first = render_pages(applied.model, [entry_route(applied.model.site.index[key]) for key in applied.edited])
        if has_errors(first.problems, strict=model.options.strict):
            return _refuse(state, todo, (*applied.model.problems, *first.problems), report)
        shown = changed_pages(state.snapshot, first.files)
        state.updated(shown, tuple(sorted(shown)))
        return _rest(state, model, applied, first, len(shown), todo, report)


def _rest(state: LiveState, old: Model, applied: Applied, first: Pages, published: int, todo: Sequence[str], report: Report) -> Outcome:
    """Phase 2: every other page the edit touches."""
    new = replace(applied.model, cards=first.cards)
    prints, routes = touched(old, new)
    second = render_pages(new, [r for r in routes if r.output_path not in first.files])
    problems = sort_problems((*new.problems, *first.problems, *second.problems))
    if has_errors(problems, strict=old.options.strict):
        return _refuse(state, todo, problems, report)
    shown = changed_pages(state.snapshot, second.files)
    snapshot = state.updated(shown, tuple(sorted(shown))) if shown else state.snapshot
    state.keep_model(replace(new, fingerprints=prints, cards=second.cards))
    report(p for p in problems if not p.is_error)
    pages = len(first.files) + len(second.files)
    return Outcome(snapshot, True, pages, published + len(shown))


def _refuse(state: LiveState, todo: Sequence[str], problems: Sequence[Problem], report: Report) -> Outcome:
    state.mark_dirty(todo)
    report(problems)
    return Outcome(state.failed(sort_problems(problems)), False)
