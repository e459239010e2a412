"""Site configuration (content/site.yaml) and the options of one run, each made in one place.

``site.yaml`` is parsed by the content stage like every other YAML file (with
line numbers and problems); this module turns the resulting mapping into a
frozen ``Config``. ``resolve_options`` turns what a command was asked (by the
command line or a caller) into the one ``BuildOptions`` value that check, build
and serve run with. The site's address follows one rule wherever it is written
(``base_url``/``base_path`` in site.yaml, ``--base-url``/``--base-path``):
``site_address``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
PLACEHOLDER_ORIGIN = "https://example.github.io"
"""The origin of the example site.yaml: a build that would publish it warns."""


@dataclass(frozen=True)
class License:
    name: str = "CC BY 4.0"
    url: str = "https://creativecommons.org/licenses/by/4.0/deed.ja"


@dataclass(frozen=True)
class Contact:
    """Where readers can ask the publisher (site.yaml's ``contact``)."""

    name: str
    url: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Cms:
    """The browser editor published at ``/admin/`` (site.yaml's ``cms:``; see generator/cms/)."""

    backend: str
    """``github``, ``gitlab`` or ``git-gateway``: where Decap CMS commits."""
    repo: str
    branch: str
    base_url: str | None = None
    """The OAuth server that signs editors in (None: Decap's default, Netlify's)."""
    editorial_workflow: bool = False


@dataclass(frozen=True)
class Config:
    title: str
    prefecture: str
    base_url: str
    """Origin of the published site (``https://example.jp``), without a path: the path is ``base_path``."""
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
    contact: Contact | None = None
    """The publisher's contact, shown on the about and accessibility pages and in the footer."""
    cms: Cms | None = None
    """The browser editor, when site.yaml asks for one; None: no /admin/ is published."""

    def with_overrides(self, *, base_url: str | None = None, base_path: str | None = None) -> Config:
        """Command-line options (already resolved by ``site_address``) beat site.yaml."""
        changes: dict[str, Any] = {}
        if base_path is not None:
            changes["base_path"] = base_path
        if base_url is not None:
            changes["base_url"] = base_url
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


# --- The site's address: one rule for site.yaml and the command line ---------------------------

_ORIGIN = re.compile(r"(https?)://([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?", re.ASCII | re.IGNORECASE)
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*", re.ASCII)
URL_HINT = "https://example.org や https://example.org/dx-catalog/ のように、http:// か https:// で始めて書いてください（? や # は付けられません）"
PATH_HINT = "/ や /dx-catalog/ のように、半角英数字と - _ . ~ のフォルダ名を / で区切って書いてください（「.」で始まるフォルダ名は使えません）"


class AddressError(ValueError):
    """A base URL or base path that the rule refuses; ``field`` says which ("url", "path", "both")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def parse_base_path(text: str) -> str:
    """``dx-catalog``, ``/dx-catalog`` and ``/dx-catalog/`` are all ``/dx-catalog/``; ``""`` is ``/``.

    Folders are ASCII letters, digits and ``- _ . ~``, none starting with '.': no
    '..' can climb out, and no hidden folder (which many hosts refuse to serve).
    """
    stripped = text.strip()
    if stripped.strip("/") == "":
        if stripped.count("/") > 1:
            raise AddressError("path", f"「{text}」はパスとして使えません。{PATH_HINT}")
        return "/"
    parts = stripped.strip("/").split("/")
    if not all(_SEGMENT.fullmatch(part) for part in parts):
        raise AddressError("path", f"「{text}」はパスとして使えません。{PATH_HINT}")
    return "/" + "/".join(parts) + "/"


def parse_base_url(text: str) -> tuple[str, str | None]:
    """``https://example.org/dx-catalog/`` → (``https://example.org``, ``/dx-catalog/``).

    The path is None when the URL has none (``https://example.org`` or ``…org/``):
    the base path is then left to whoever else gives it.
    """
    match = _ORIGIN.match(text)
    rest = text[match.end() :] if match else ""
    if match is None or (rest and not rest.startswith("/")) or any(c in rest for c in "?#"):
        raise AddressError("url", f"「{text}」は公開先の URL として使えません。{URL_HINT}")
    origin = f"{match.group(1).lower()}://{match.group(2).lower()}{match.group(3) or ''}"
    if rest.strip("/") == "":
        return origin, None
    try:
        return origin, parse_base_path(rest)
    except AddressError:
        raise AddressError("url", f"「{text}」は公開先の URL として使えません。{URL_HINT}。{PATH_HINT}") from None


def site_address(
    base_url: str | None, base_path: str | None, *, url_name: str = "--base-url", path_name: str = "--base-path"
) -> tuple[str | None, str | None]:
    """(origin, path) from a base URL and a base path, either or both absent (None).

    A path in the URL is the base path unless one is given; two different paths are an error.
    """
    origin, url_path = parse_base_url(base_url) if base_url is not None else (None, None)
    path = parse_base_path(base_path) if base_path is not None else None
    if url_path is not None and path is not None and url_path != path:
        raise AddressError(
            "both",
            f"{url_name} のパス（{url_path}）と {path_name}（{path}）が違います。"
            f"どちらか一方だけを書くか、同じパスにしてください",
        )
    return origin, path if path is not None else url_path


def config_from_mapping(data: Mapping[str, Any]) -> Config:
    """A Config from an already validated site.yaml mapping (``site_address`` accepted its address)."""
    license_data = data.get("license") or {}
    if isinstance(license_data, str):
        license_value = License(name=license_data)
    else:
        license_value = License(**{k: v for k, v in license_data.items() if k in ("name", "url")})
    origin, path = site_address(str(data.get("base_url", "http://localhost:8000")), data.get("base_path"))
    return Config(
        title=data["title"],
        prefecture=data["prefecture"],
        base_url=origin or "",
        base_path=path or "/",
        description=data.get("description", ""),
        language=data.get("language", "ja"),
        license=license_value,
        publisher=data.get("publisher", data["prefecture"]),
        review_interval_months=int(data.get("review_interval_months", 12)),
        summary_search_max=int(data.get("summary_search_max", 120)),
        contact=Contact(**data["contact"]) if data.get("contact") else None,
        cms=_cms(data.get("cms")),
    )


def _cms(data: Mapping[str, Any] | None) -> Cms | None:
    if not data:
        return None
    return Cms(
        backend=data["backend"],
        repo=data["repo"],
        branch=data["branch"],
        base_url=data.get("base_url"),
        editorial_workflow=bool(data.get("editorial_workflow", False)),
    )


# --- The options of one run ----------------------------------------------------------------------


@dataclass(frozen=True)
class BuildOptions:
    """What one `catalog check`, `build` or `serve` run does; made by ``resolve_options``.

    Tests may build one directly with literal values: every field is already resolved.
    """

    project: Path
    output: Path
    as_of: date
    drafts: bool = False
    strict: bool = False
    search: bool = True
    quiet: bool = False
    base_url: str | None = None
    """Origin that beats site.yaml's (None: site.yaml's)."""
    base_path: str | None = None
    """Base path that beats site.yaml's (None: site.yaml's, or the path of site.yaml's base_url)."""
    serve: bool = False
    """Dev-server build: drafts shown and marked, live-reload hook injected, built in one process."""

    def preview(self, url: str, output: Path) -> BuildOptions:
        """The same run as the dev server builds it: for ``url`` (its root), drafts shown, into ``output``."""
        return replace(
            self, output=output, drafts=True, serve=True, quiet=True, base_url=url.rstrip("/"), base_path="/"
        )


def build_date(explicit: date | None = None, environ: Mapping[str, str] | None = None) -> date:
    """--as-of, else SOURCE_DATE_EPOCH (reproducible builds), else today in Japan."""
    if explicit is not None:
        return explicit
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).astimezone(JST).date()
    return datetime.now(JST).date()


def resolve_options(
    project: Path = Path("."),
    *,
    output: Path | None = None,
    as_of: date | None = None,
    drafts: bool = False,
    strict: bool = False,
    search: bool = True,
    quiet: bool = False,
    base_url: str | None = None,
    base_path: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> BuildOptions:
    """The one place a run's options get their defaults; AddressError for an address the rule refuses.

    Defaults: the output is the project's ``site/``; the date is ``build_date``'s.
    """
    origin, path = site_address(base_url, base_path)
    return BuildOptions(
        project=project,
        output=output if output is not None else project / "site",
        as_of=build_date(as_of, environ),
        drafts=drafts,
        strict=strict,
        search=search,
        quiet=quiet,
        base_url=origin,
        base_path=path,
    )
