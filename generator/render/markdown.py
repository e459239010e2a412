"""Markdown bodies → safe HTML.

Python-Markdown turns the body into HTML; links to other entries' files are
rewritten to their pages; nh3 then keeps only the tags and attributes a catalog
page needs, so raw HTML in an entry can never run script on the site.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from functools import lru_cache
from urllib.parse import quote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..model import Site
from ..content.mdlinks import md_link_fragment, md_link_key, md_link_page
from .md_inline import install as install_fast_inline

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote", "del", "ins",
        "sub", "sup", "abbr", "small", "ul", "ol", "li", "dl", "dt", "dd",
        "h2", "h3", "h4", "h5", "h6",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
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

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return _rewrite_href(value, source_path, site)
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=keep_attribute,
        link_rel=None,  # no target=_blank is allowed, so rel adds nothing
        strip_comments=True,
    )


def _rewrite_href(href: str, source_path: str, site: Site) -> str | None:
    """The page URL for a link to an entry or page file; other links unchanged."""
    key = md_link_key(source_path, href)
    if key is not None:
        return site.config.url(f"{key}/") + md_link_fragment(href)
    page_slug = md_link_page(source_path, href)
    if page_slug is not None and any(page.slug == page_slug for page in site.pages):
        return site.config.url(f"{quote(page_slug)}/") + md_link_fragment(href)
    return href
