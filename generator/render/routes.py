"""A Route: one page of the site as planned — where it goes, which template renders it, with what values.

``plan.py`` makes one Route per page from the linked Site; the render stage renders them and
the incremental build keys each page on its Route. Paths are site paths relative to the root,
unquoted (``programs/x/``, ``tags/標準/``); ``pages.py`` turns them into URLs under base_path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from ..model import Taxonomy

HOME = "ホーム"
"""The first crumb of every page."""


@dataclass(frozen=True)
class Crumb:
    label: str
    path: str


HOME_CRUMB = Crumb(HOME, "")


@dataclass(frozen=True)
class Route:
    path: str
    """Site path of the page: ``""`` for home, ``programs/x/``, or ``404.html``."""
    template: str
    title: str
    description: str
    crumbs: tuple[Crumb, ...]
    """From ホーム to the page itself."""
    context: Mapping[str, Any] = field(default_factory=dict)
    feeds: tuple[tuple[str, str], ...] = ()
    """(title, site path) of the Atom feeds that concern this page."""
    og_type: str = "website"
    lastmod: date | None = None
    in_sitemap: bool = True
    subject: Any = None
    """The entry, archetype or page the route shows, for JSON-LD."""
    draft: bool = False

    @property
    def output_path(self) -> str:
        if self.path == "" or self.path.endswith("/"):
            return f"{self.path}index.html"
        return self.path


class Deferred(Mapping[str, Any]):
    """A page's template values, worked out the first time the page is rendered.

    Most pages of an incremental build are kept, not rendered: a term page's
    groups of entries are not gathered for nothing. ``make`` must be a pure
    function of values that do not change (the Site is frozen).
    """

    def __init__(self, make: Callable[[], Mapping[str, Any]]) -> None:
        self._make = make

    @cached_property
    def _values(self) -> Mapping[str, Any]:
        return MappingProxyType(dict(self._make()))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def term_path(taxonomy: Taxonomy, term: str) -> str:
    """Site path of a taxonomy term page; the term may arrive percent-encoded."""
    return f"{taxonomy.name}/{unquote(term)}/"
