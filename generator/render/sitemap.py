"""sitemap.xml and robots.txt: absolute URLs from base_url and base_path."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote
from xml.sax.saxutils import escape

from ..model import Site
from .routes import Route


def sitemap_xml(site: Site, routes: Iterable[Route]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for route in routes:
        if not route.in_sitemap or route.draft:
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(site.config.absolute_url(quote(route.path)))}</loc>")
        if route.lastmod is not None:
            lines.append(f"    <lastmod>{route.lastmod.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site: Site) -> str:
    """Everything may be crawled but the editor's page (/admin/, published only with ``cms:``)."""
    editor = f"Disallow: {site.config.url('admin/')}\n" if site.config.cms is not None else ""
    return f"User-agent: *\nAllow: /\n{editor}\nSitemap: {site.config.absolute_url('sitemap.xml')}\n"
