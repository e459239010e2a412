"""What Pagefind reads of a page: its own text, as overlapping character bigrams.

Pagefind's extended build splits Japanese into dictionary words when it indexes
(Lindera) and splits the query differently in the browser (``Intl.Segmenter``),
so a compound indexed as 地方|創生 is not found when typed as 地方創生 (Pagefind
issue #1237). Search engines that handle Japanese index runs of kanji and kana as
overlapping character bigrams and split the query the same way (Lucene's CJK
bigram analysis). The index therefore reads a copy of each page written here:

- only the page's own text: what is inside ``data-pagefind-body`` and outside
  ``data-pagefind-ignore`` (lists of other entries, badges, navigation), without
  table headers and captions (labels, not content), scripts, forms or SVG;
- NFKC-normalised and lower-cased (ＤＸ = DX, ｶﾀｶﾅ = カタカナ);
- every run of kanji and kana as its first character, its overlapping pairs and
  its last character (長野県 → 長 長野 野県 県; a run of one character is that
  character), every other word as itself, everything else a space. The single
  characters let a query find a run's edge next to another word (年3回 in
  年3回まで) and a lone character anywhere; headings stay headings, so that
  Pagefind weighs a title above the body;
- the page's ``data-pagefind-meta``, ``-filter`` and ``-sort`` elements copied, as
  written (the result list shows them; sort values NFKC), and the title again as
  tokens (``title_tokens``), for Pagefind's title boost.

Pagefind indexes the copy as language ``und`` (no segmenter: every space-separated
token is one word). ``static/js/search-query.js`` splits a query with the same
rules; a test compares both on every character and on the real pages.

Nothing here reads or writes files.
"""

from __future__ import annotations

import html
import re
import unicodedata
from operator import add

INDEX_LANGUAGE = "und"
"""The language Pagefind indexes the copies as: one that it does not segment."""

CJK = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u3096\u3099-\u309c\u309d-\u309f"  # hiragana, voicing marks, iteration marks
    "\u30a1-\u30fa\u30fc-\u30ff"  # katakana and ー (not ・)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kanji
    "\U00020000-\U0003ffff"
)
"""The characters whose runs are split into bigrams; static/js/search-query.js has the same list."""

TITLE_TOKENS = "title_tokens"
"""The meta field holding the title as tokens: Pagefind boosts the pages whose title has the
query's words through it (the search page gives it Pagefind's default title weight)."""

_WORDS = re.compile(f"([{CJK}]+)|([^\\W_{CJK}]+)")
"""A run of kanji and kana, or a word of other letters and digits; anything else separates."""

INLINE = frozenset(
    (
        "a abbr b bdi bdo cite code data del dfn em i ins kbd mark q rp rt ruby s samp small span "
        "strong sub sup time u var wbr"
    ).split()
)
"""Elements that do not end a run of text (their text joins the text around them)."""
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
SKIPPED = frozenset("script style template noscript svg form select textarea button iframe object canvas".split())
"""Elements Pagefind never indexes the text of (it skips forms and SVG too)."""
LABELS = frozenset({"th", "caption"})
"""Table headers and captions: labels of the values beside them, not text of the page."""
HEADINGS = {f"h{n}": n for n in range(1, 7)}

_MARKUP = re.compile(
    r"<!--.*?-->|<(?:script|style)\b.*?</(?:script|style)\s*>"  # comments, scripts and styles: never text
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|[^<]+|<",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_DATA_ATTRIBUTES = ("data-pagefind-meta", "data-pagefind-filter", "data-pagefind-sort")


def index_tokens(text: str) -> str:
    """``text`` as the space-separated tokens Pagefind indexes (empty when it has no word)."""
    tokens: list[str] = []
    for run, word in _WORDS.findall(unicodedata.normalize("NFKC", text).lower()):
        if word:
            tokens.append(word)
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.append(run[0])
            tokens.extend(map(add, run, run[1:]))
            tokens.append(run[-1])
    return " ".join(tokens)


def _attributes(source: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(source)
    }


class _Walk:
    """One pass over a page: the blocks of indexed text and the copied metadata elements."""

    def __init__(self) -> None:
        # Each open element: (name, in body, ignored, ignored with "all", label or skipped).
        self.stack: list[tuple[str, bool, bool, bool, bool]] = [("", False, False, False, False)]
        self.names: list[str] = [""]
        self.blocks: list[tuple[int, str]] = []
        self.heading = 0
        self.buffer: list[str] = []
        self.copied: list[str] = []
        self.capture: tuple[str, str, str] | None = None  # (name, start tag, kind) of a metadata element
        self.captured: list[str] = []
        self.title: str | None = None
        """The text of the page's own ``data-pagefind-meta="title"`` element, if it has one."""

    def flush(self) -> None:
        if self.buffer:
            self.blocks.append((self.heading, html.unescape("".join(self.buffer))))
            self.buffer = []

    def start(self, name: str, source: str, raw: str) -> None:
        _, body, ignored, ignored_all, hidden = self.stack[-1]
        attrs = _attributes(source) if "data-" in source else {}
        if name not in INLINE:
            self.flush()
        if not ignored_all and self.capture is None:
            kind = next((a for a in _DATA_ATTRIBUTES if a in attrs), None)
            if kind is not None:
                self.copy(name, source, raw, kind, attrs[kind])
        if name in VOID or source.rstrip().endswith("/"):
            return
        if name in HEADINGS:
            self.heading = HEADINGS[name]
        self.names.append(name)
        self.stack.append(
            (
                name,
                body or "data-pagefind-body" in attrs,
                ignored or "data-pagefind-ignore" in attrs,
                ignored_all or attrs.get("data-pagefind-ignore", "").strip() == "all",
                hidden or name in LABELS or name in SKIPPED,
            )
        )

    def copy(self, name: str, source: str, raw: str, kind: str, value: str) -> None:
        """Copy a metadata element: at once when it has no text, else at its end tag."""
        key, colon, inline = value.partition(":")
        is_title = kind == "data-pagefind-meta" and key.strip() == "title"
        if is_title and colon:
            self.title = inline
        if name in VOID or source.rstrip().endswith("/"):
            self.copied.append(raw)
        else:
            self.capture, self.captured = (name, raw, "title" if is_title and not colon else kind), []

    def end(self, name: str) -> None:
        if name not in INLINE:
            self.flush()
        if self.capture is not None and self.capture[0] == name:
            tag, raw, kind = self.capture
            text = "".join(self.captured)
            if kind == "title":
                self.title = html.unescape(text)
            elif kind == "data-pagefind-sort":
                text = html.escape(unicodedata.normalize("NFKC", html.unescape(text)), quote=False)
            self.copied.append(f"{raw}{text}</{tag}>")
            self.capture = None
        if name in self.names:
            while self.names.pop() != name:
                self.stack.pop()
            self.stack.pop()
        if name in HEADINGS:
            self.heading = 0

    def text(self, text: str) -> None:
        if self.capture is not None:
            self.captured.append(text)
        _, body, ignored, _, hidden = self.stack[-1]
        if body and not ignored and not hidden:
            self.buffer.append(text)


def index_copy(page_html: str) -> str:
    """The page as Pagefind should read it (see the module's docstring).

    The page is read from its first ``data-pagefind-body`` element on: metadata elements belong
    inside it (the theme's partials/search_meta.html is).
    """
    walk = _Walk()
    mark = page_html.find("data-pagefind-body")
    for match in _MARKUP.finditer(page_html, max(page_html.rfind("<", 0, mark), 0) if mark >= 0 else len(page_html)):
        closing, name, source = match.group(1), match.group(2), match.group(3)
        if name is None:
            token = match.group()
            if token[0] != "<" or len(token) == 1:
                walk.text(token)
        elif closing:
            walk.end(name.lower())
        else:
            walk.start(name.lower(), source or "", match.group())
    walk.flush()
    parts = ['<!doctype html><html><head><meta charset="utf-8"></head><body><div data-pagefind-body>']
    parts.append("<div data-pagefind-ignore>")
    parts.extend(walk.copied)
    title = walk.title
    if title is None:
        title = next((" ".join(text.split()) for level, text in walk.blocks if level == 1), "")
        parts.append(f'<span data-pagefind-meta="title">{html.escape(title, quote=False)}</span>')
    parts.append(f'<span data-pagefind-meta="{TITLE_TOKENS}">{index_tokens(title)}</span>')
    parts.append("</div>")
    for level, text in walk.blocks:
        tokens = index_tokens(text)
        if tokens:
            tag = f"h{level}" if level else "p"
            parts.append(f"<{tag}>{tokens}</{tag}>")
    parts.append("</div></body></html>\n")
    return "".join(parts)
