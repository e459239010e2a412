"""Markdown bodies → safe HTML.

Python-Markdown turns the body into HTML; nh3 keeps only the tags and attributes
a catalog page needs, so raw HTML in an entry can never run script on the site;
links to other entries' files are then rewritten to their pages. The rewriting
is done on nh3's output, which one prebuilt set of rules makes; a body whose links
that way cannot read exactly goes through ``sanitize_rewriting``, where nh3 calls
back for every link, and both give the same bytes (tests/render/test_render_markdown.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..content.mdlinks import md_link_fragment, md_link_key, md_link_page
from ..model import Site
from .md_inline import install as install_fast_inline

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "del",
        "ins",
        "sub",
        "sup",
        "abbr",
        "small",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed together with everything inside them, not just unwrapped.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"})


class _PageOutline(Treeprocessor):
    """Headings start at h2 (the page title is the only h1); header cells get scope."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
        if headings:
            shift = 2 - min(int(el.tag[1]) for el in headings)
            if shift > 0:
                for el in headings:
                    el.tag = f"h{min(int(el.tag[1]) + shift, 6)}"
        for thead in root.iter("thead"):
            for th in thead.iter("th"):
                th.set("scope", "col")


class _OutlineExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before toc (priority 5) so that ids are given to the final headings.
        md.treeprocessors.register(_PageOutline(md), "catalog_outline", 6)


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter for the whole build; ``reset()`` clears it between bodies."""
    converter = stock_converter()
    install_fast_inline(converter)  # same output, about 40 % less time (see md_inline.py)
    return converter


def stock_converter() -> markdown.Markdown:
    """The converter as Python-Markdown and its extensions make it."""
    return markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            _OutlineExtension(),
            "toc",
        ],
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        output_format="html",
    )


def markdown_to_html(body: str, source_path: str, site: Site) -> str:
    """Render an entry's Markdown body to sanitised HTML.

    ``source_path`` is the entry's file relative to the project; relative links
    to other entries' ``.md`` files are resolved from it.
    """
    converter = _converter()
    converter.reset()
    html = converter.convert(body)
    clean = _cleaner().clean(html)
    if ".md" not in clean:
        return clean  # no link to rewrite: what sanitising with the rewriting filter gives
    rewritten = _rewrite_clean_links(clean, source_path, site)
    return rewritten if rewritten is not None else sanitize_rewriting(html, source_path, site)


def sanitize_rewriting(html: str, source_path: str, site: Site) -> str:
    """nh3 with the links to entry files rewritten as it reads them: the reference path."""

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return _rewrite_href(value, source_path, site)
        return value

    return nh3.clean(html, **_CLEAN_ARGS, attribute_filter=keep_attribute)


_CLEAN_ARGS: Mapping[str, Any] = MappingProxyType(
    {
        "tags": ALLOWED_TAGS,
        "clean_content_tags": DROP_WITH_CONTENT,
        "attributes": {tag: frozenset(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},  # nh3 wants a dict
        "url_schemes": URL_SCHEMES,
        "link_rel": None,  # no target=_blank is allowed, so rel adds nothing
        "strip_comments": True,
    }
)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """nh3's rules built once (``nh3.clean`` builds them on every call: half its time here)."""
    return nh3.Cleaner(**_CLEAN_ARGS)


# In nh3's output every attribute value is double-quoted with ``"<>&`` escaped, so a
# ``<a `` is a tag and ``href="…"`` inside it is the whole value.
_CLEAN_HREF = re.compile(r'(<a\s(?:[^>]*?\s)?href=")([^"]*)"')
_ESCAPED_IN_ATTRIBUTES = frozenset('&"<>\u00a0')


def _rewrite_clean_links(clean: str, source_path: str, site: Site) -> str | None:
    """``clean`` with its links to entry files rewritten; None when a link needs the reference path.

    That is a value holding a character reference, or a new value holding a character
    nh3 would escape: rare, and then nh3 itself is left to read and write them.
    """
    needs_reference = False

    def rewrite(match: re.Match[str]) -> str:
        nonlocal needs_reference
        value = match.group(2)
        if ".md" not in value:
            return match.group(0)
        new = None if "&" in value else _rewrite_href(value, source_path, site)
        if new is None or not _ESCAPED_IN_ATTRIBUTES.isdisjoint(new):
            needs_reference = True
            return match.group(0)
        return f'{match.group(1)}{new}"'

    rewritten = _CLEAN_HREF.sub(rewrite, clean)
    return None if needs_reference else rewritten


def _rewrite_href(href: str, source_path: str, site: Site) -> str | None:
    """The page URL for a link to an entry or page file; other links unchanged."""
    key = md_link_key(source_path, href)
    if key is not None:
        return site.config.url(f"{key}/") + md_link_fragment(href)
    page_slug = md_link_page(source_path, href)
    if page_slug is not None and any(page.slug == page_slug for page in site.pages):
        return site.config.url(f"{quote(page_slug)}/") + md_link_fragment(href)
    return href
