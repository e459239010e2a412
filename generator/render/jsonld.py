"""Structured data (schema.org JSON-LD) for each page.

Built as plain dicts here; the ``jsonld`` filter serialises and escapes them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..model import KIND_LABELS, AnyEntry, Archetype, Case, Partner, Program, Role, Site
from .datafiles import DataCatalog
from .routes import Route


def site_url(site: Site, path: str) -> str:
    return site.config.absolute_url(quote(path))


def graph(route: Route, site: Site) -> dict[str, Any]:
    """``@graph`` of the page: its subject (if any) and its breadcrumb trail."""
    nodes = [_breadcrumbs(route, site)]
    subject = _subject(route, site)
    if subject is not None:
        nodes.insert(0, subject)
    return {"@context": "https://schema.org", "@graph": nodes}


def _breadcrumbs(route: Route, site: Site) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": crumb.label, "item": site_url(site, crumb.path)}
            for n, crumb in enumerate(route.crumbs, start=1)
        ],
    }


def _subject(route: Route, site: Site) -> dict[str, Any] | None:
    subject = route.subject
    url = site_url(site, route.path)
    publisher = {"@type": "GovernmentOrganization", "name": site.config.publisher or site.config.prefecture}
    if isinstance(subject, (Program, Partner, Case, Role)):
        return _entry(subject, site, url, publisher)
    if isinstance(subject, Archetype):
        node = {"@type": "Occupation", "name": subject.name, "description": subject.summary, "url": url}
        if subject.responsibilities:
            node["responsibilities"] = "、".join(subject.responsibilities)
        if subject.skills:
            node["skills"] = "、".join(subject.skills)
        return node
    if isinstance(subject, DataCatalog):
        return _dataset(subject, site, url, publisher)
    if isinstance(subject, Site):
        return _website(site, publisher)
    return None


def _entry(subject: AnyEntry, site: Site, url: str, publisher: dict[str, Any]) -> dict[str, Any]:
    if isinstance(subject, Program):
        node: dict[str, Any] = {
            "@type": "GovernmentService",
            "name": subject.title,
            "description": subject.summary,
            "url": url,
            "provider": [{"@type": "GovernmentOrganization", "name": p} for p in subject.provider],
            "serviceType": [KIND_LABELS.get(k, k) for k in subject.kinds],
        }
        if subject.aliases:
            node["alternateName"] = list(subject.aliases)
        if subject.url:
            node["sameAs"] = subject.url
        return node
    if isinstance(subject, Partner):
        node = {"@type": "Organization", "name": subject.title, "description": subject.summary, "url": url}
        if subject.url:
            node["sameAs"] = subject.url
        return node
    if isinstance(subject, Case):
        node = {
            "@type": "Article",
            "headline": subject.title,
            "description": subject.summary,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": "ja",
            "publisher": publisher,
            "about": {"@type": "AdministrativeArea", "name": subject.prefecture},
        }
        if subject.updated:
            node["dateModified"] = subject.updated.value.isoformat()
        return node
    archetype = site.get(f"archetypes/{subject.archetype}")  # a Role
    node = {"@type": "Occupation", "name": subject.title, "description": subject.summary, "url": url}
    if subject.skills:
        node["skills"] = "、".join(subject.skills)
    if isinstance(archetype, Archetype):
        node["occupationalCategory"] = archetype.name
    return node


def _website(site: Site, publisher: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "WebSite",
        "name": site.config.title,
        "description": site.config.description,
        "url": site.config.site_url,
        "inLanguage": "ja",
        "publisher": publisher,
        "potentialAction": {
            "@type": "SearchAction",
            "target": site.config.absolute_url("search/") + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def _dataset(catalog: DataCatalog, site: Site, url: str, publisher: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Dataset",
        "name": f"{site.config.title}のデータ",
        "description": site.config.description or "支援制度・事例・連携企業・人材の役割のデータです。",
        "url": url,
        "inLanguage": "ja",
        "license": site.config.license.url,
        "creator": publisher,
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "name": f.title, "contentUrl": site_url(site, f.path), "encodingFormat": f.format}
            for f in catalog.files
        ],
    }
    dates = [f.updated for f in catalog.files if f.updated is not None]
    if dates:
        node["dateModified"] = max(dates).isoformat()
    return node
