"""Site configuration (content/site.yaml) and the options of one build.

``site.yaml`` is parsed by the content stage like every other YAML file (with
line numbers and problems); this module only turns the resulting mapping into a
frozen ``Config`` and applies command-line overrides, which beat the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit


@dataclass(frozen=True)
class License:
    name: str = "CC BY 4.0"
    url: str = "https://creativecommons.org/licenses/by/4.0/deed.ja"


@dataclass(frozen=True)
class Config:
    title: str
    prefecture: str
    base_url: str
    """Origin of the published site (``https://example.jp``); any path in it is ignored,
    the path comes from ``base_path``."""
    base_path: str
    """Path under which the site is hosted; always starts and ends with '/'."""
    description: str = ""
    language: str = "ja"
    license: License = License()
    publisher: str = ""
    review_interval_months: int = 12
    """How long an entry's last review (``reviewed``) stays current, in calendar months
    (see ``freshness``): past it, pages state facts as of the review and ``check`` warns."""
    summary_search_max: int = 120
    """A summary longer than this is cut in search snippets: a warning."""

    def with_overrides(self, *, base_url: str | None = None, base_path: str | None = None) -> "Config":
        """Command-line options beat site.yaml."""
        changes: dict[str, Any] = {}
        if base_path is not None:
            changes["base_path"] = normalize_base_path(base_path)
        if base_url is not None:
            changes["base_url"] = base_url.rstrip("/")
        return replace(self, **changes) if changes else self

    @property
    def site_url(self) -> str:
        """Absolute URL of the site root, ending with '/'."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{self.base_path}"

    def absolute_url(self, path: str) -> str:
        """Absolute URL of a site path given relative to the root (``programs/x/``)."""
        return self.site_url + path.lstrip("/")

    def url(self, path: str) -> str:
        """Root-relative URL (with base_path) of a site path (``programs/x/``)."""
        return self.base_path + path.lstrip("/")


@dataclass(frozen=True)
class BuildOptions:
    """What a `catalog build` / `serve` run was asked to do."""

    project: Path
    output: Path
    as_of: date
    drafts: bool = False
    strict: bool = False
    search: bool = True
    quiet: bool = False
    serve: bool = False
    """Dev-server build: drafts marked, live-reload hook injected."""


def normalize_base_path(value: str) -> str:
    value = "/" + value.strip().strip("/")
    return value if value == "/" else value + "/"


def config_from_mapping(data: Mapping[str, Any]) -> Config:
    """Build a Config from an already validated site.yaml mapping."""
    license_data = data.get("license") or {}
    if isinstance(license_data, str):
        license_value = License(name=license_data)
    else:
        license_value = License(**{k: v for k, v in license_data.items() if k in ("name", "url")})
    return Config(
        title=data["title"],
        prefecture=data["prefecture"],
        base_url=str(data.get("base_url", "http://localhost:8000")).rstrip("/"),
        base_path=normalize_base_path(str(data.get("base_path", "/"))),
        description=data.get("description", ""),
        language=data.get("language", "ja"),
        license=license_value,
        publisher=data.get("publisher", data["prefecture"]),
        review_interval_months=int(data.get("review_interval_months", 12)),
        summary_search_max=int(data.get("summary_search_max", 120)),
    )
