"""Entry cards: rendered once per entry and heading level, and kept between builds.

The same card appears on many pages (collection indexes, term pages, archetype
pages, the pages that refer to the entry), and a collection index of a large
catalog holds thousands of them: a macro call costs far more than a lookup.

A card is the ``card(entry, level, dated)`` macro of ``_macros.html``. It sees only the
build's globals, so within a build its output cannot differ between pages. Between
builds it is reused when the entry's content hash is the same and the cache file's
key is: that key covers the generator, the theme's templates, the settings, the
build date, the options and every archetype (a role's card shows its archetype's
name). The contract for themes is the one collection indexes already have (see
``deps.route_dependencies``): a card shows its entry, the archetypes and site-wide
settings, never other entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup

CardKey = tuple[str, int, bool]
"""(entry key, heading level, whether it shows the update date)."""

Stored = Mapping[CardKey, tuple[str, str]]
"""(entry content hash, card HTML) by card; what the cache keeps."""


class Cards:
    """``card_once(entry, level, dated)`` for the templates of one build.

    ``hashes`` are the entries' content hashes; ``stored`` the cards of earlier
    builds under the same cache key. Cards of entries without a content hash are
    rendered and memoised for this build only.
    """

    def __init__(
        self, env: jinja2.Environment, hashes: Mapping[str, str] = {}, stored: Mapping[CardKey, tuple[str, str]] = {}
    ) -> None:
        self._env = env
        self._hashes = hashes
        self._stored = stored
        self._done: dict[CardKey, Markup] = {}
        self._new: dict[CardKey, tuple[str, str]] = {}

    def __call__(self, entry: Any, level: int = 2, dated: bool = False) -> Markup:
        key = (entry.key, level, bool(dated))
        html = self._done.get(key)
        if html is not None:
            return html
        own = self._hashes.get(entry.key)
        kept = self._stored.get(key)
        if own is not None and kept is not None and kept[0] == own:
            html = Markup(kept[1])
        else:
            macros = self._env.get_template("_macros.html").module
            # A template's macros are the attributes of its module.
            html = macros.card(entry, level, dated)  # type: ignore[attr-defined]
            if own is not None:
                self._new[key] = (own, str(html))
        self._done[key] = html
        return html

    def drain(self) -> dict[CardKey, tuple[str, str]]:
        """The cards rendered (not reused) since the last call: a worker sends them to the parent."""
        new, self._new = self._new, {}
        return new


def keep(
    stored: Stored, hashes: Mapping[str, str], *fresh: Mapping[CardKey, tuple[str, str]]
) -> dict[CardKey, tuple[str, str]]:
    """The cards worth saving: the stored ones whose entry is unchanged, and the fresh ones.

    Cards of entries that are gone or changed are dropped, so the cache never
    grows beyond one card per entry and level.
    """
    out = {key: card for key, card in stored.items() if hashes.get(key[0]) == card[0]}
    for cards in fresh:
        out.update((key, card) for key, card in cards.items() if hashes.get(key[0]) == card[0])
    return out
