"""The files of /admin/: the page, Decap CMS's configuration, the page's own script and style (pure).

``admin_files`` is called by the render stage: for a build only when site.yaml
has a ``cms:`` block (otherwise the site has no /admin/ at all), and always for
`catalog serve`, whose /admin/ saves through the server itself (``local``):
Decap's local backend, answered by generator/serve/cms_api.py at ``LOCAL_API``.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from typing import Any

import yaml

from ..config import Config
from ..content.schema import load_schema
from ..model import OutputFile
from .decap import BUNDLE_SRI, BUNDLE_URL, admin_policy
from .fields import FILES, FOLDERS, collection_fields

ADMIN = "admin/"
LOCAL_API = "api/v1"
"""Where `catalog serve` answers Decap's local backend, under the server's root (as decap-server does)."""
MEDIA_FOLDER = "content/media"
"""Decap requires one; the catalog has no images to upload, and the local backend refuses uploads."""
NEW_SLUG = "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}"
"""File name of an entry made in the editor. Decap makes names from a field of the entry and
the catalog's are Japanese titles, which are not file names (content/discover.py's SLUG):
the moment of creation is, and stays unique. docs/editing.md says how to rename."""
LOCAL_HOSTS = ("localhost", "127.0.0.1")
"""Host names on which Decap looks for a local backend by itself."""


def admin_files(config: Config, *, local: bool) -> tuple[OutputFile, ...]:
    """The files of /admin/, or none when the site has no editor (no ``cms:``, not serving)."""
    if config.cms is None and not local:
        return ()
    document = decap_config(config, local=local)
    header = "# 生成ファイル: catalog が generator/content/schemas/*.json から作ります。直接編集しないでください。\n"
    text = header + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    return (
        OutputFile(f"{ADMIN}index.html", admin_page(config, local=local).encode("utf-8"), "text/html"),
        OutputFile(f"{ADMIN}config.yml", text.encode("utf-8"), "text/yaml"),
        OutputFile(f"{ADMIN}admin.js", asset("admin.js"), "text/javascript"),
        OutputFile(f"{ADMIN}admin.css", asset("admin.css"), "text/css"),
    )


def decap_config(config: Config, *, local: bool) -> dict[str, Any]:
    """Decap CMS's configuration: the backend, then every collection and field from the schemas."""
    site_url = config.site_url
    document: dict[str, Any] = {"backend": _backend(config, local=local)}
    if local:
        document["local_backend"] = {"url": config.absolute_url(LOCAL_API)}
        host = _host(site_url)
        if host not in LOCAL_HOSTS:
            document["local_backend"]["allowed_hosts"] = [host]
    elif config.cms is not None and config.cms.editorial_workflow:
        document["publish_mode"] = "editorial_workflow"
    document.update(
        locale="ja",
        site_url=site_url,
        display_url=site_url,
        show_preview_links=True,
        media_folder=MEDIA_FOLDER,
        slug={"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        collections=[*(folder_collection(name) for name in FOLDERS), *(file_collection(name) for name in FILES)],
    )
    return document


def _backend(config: Config, *, local: bool) -> dict[str, Any]:
    cms = config.cms
    if cms is None:  # `catalog serve` of a site without cms: the local backend is the only one
        return {"name": "proxy", "proxy_url": config.absolute_url(LOCAL_API), "branch": "main"}
    backend: dict[str, Any] = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch}
    if cms.base_url:
        backend["base_url"] = cms.base_url.rstrip("/")
    if cms.editorial_workflow:
        backend["squash_merges"] = True
    backend["commit_messages"] = {
        "create": "{{collection}}: {{slug}} を追加（編集画面）",
        "update": "{{collection}}: {{slug}} を更新（編集画面）",
        "delete": "{{collection}}: {{slug}} を削除（編集画面）",
        "uploadMedia": "ファイル {{path}} を追加（編集画面）",
        "deleteMedia": "ファイル {{path}} を削除（編集画面）",
    }
    return backend


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")


def folder_collection(name: str) -> dict[str, Any]:
    """content/<name>/*.md: one entry per file, its front matter and its Markdown body."""
    schema = load_schema(name)
    title = schema.get("title", name)
    fields = [{**f, "default": True} if f["name"] == "draft" else f for f in collection_fields(name)]
    has_draft = any(f["name"] == "draft" for f in fields)
    collection: dict[str, Any] = {
        "name": name,
        "label": title,
        "label_singular": title,
        "description": schema.get("description", ""),
        "folder": f"content/{name}",
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": True,
        "delete": True,
        "slug": NEW_SLUG,
        "identifier_field": "title",
        "summary": "{{title}}{{draft | ternary('（下書き）', '')}}" if has_draft else "{{title}}",
        "preview_path": f"{name}/{{{{slug}}}}/" if name != "pages" else "{{slug}}/",
        "sortable_fields": ["title", "commit_date"],
        "editor": {"preview": True},
        "fields": [*fields, BODY],
    }
    if has_draft:
        collection["view_filters"] = [{"label": "下書き", "field": "draft", "pattern": True}]
    return collection


BODY: dict[str, Any] = {
    "name": "body",
    "label": "本文（Markdown）",
    "required": False,
    "hint": "見出しは「## 」で始めます。ほかの項目へのリンクは [地域情報化アドバイザー制度](../programs/chiiki-johoka-advisor.md) のようにファイルへの相対リンクで書きます",
    "widget": "markdown",
    "modes": ["raw"],
    "editor_components": [],
}
"""Markdown as written, beside its preview. Decap's rich-text mode would save the whole body again
in its own Markdown style on any change (every "- " list item became "* "), so it is not offered.
No images or code blocks (whose editor Decap loads from the CDN apart): the catalog has none."""


def file_collection(name: str) -> dict[str, Any]:
    """content/<name>.yaml: one file, all of it front matter."""
    schema = load_schema(name)
    title = schema.get("title", name)
    return {
        "name": name,
        "label": title,
        "description": schema.get("description", ""),
        "editor": {"preview": False},
        "files": [
            {
                "name": name,
                "label": f"{title}（content/{name}.yaml）",
                "file": f"content/{name}.yaml",
                "fields": collection_fields(name),
            }
        ],
    }


def admin_page(config: Config, *, local: bool) -> str:
    """The page that loads Decap CMS: its own policy, no inline script or style."""
    policy = admin_policy(config.cms, local=local)
    site_css = config.url("static/css/site.css")
    return (
        "<!doctype html>\n"
        '<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>編集画面 | {escape(config.title, quote=False)}</title>\n"
        '<link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
        '<link rel="stylesheet" href="admin.css">\n'
        "</head>\n<body>\n"
        "<noscript>編集画面を使うには JavaScript を有効にしてください。</noscript>\n"
        f'<script src="{BUNDLE_URL}" integrity="{BUNDLE_SRI}" crossorigin="anonymous"></script>\n'
        f'<script src="admin.js" data-site-css="{_attr(site_css)}" data-local="{str(local).lower()}"></script>\n'
        "</body>\n</html>\n"
    )


def _attr(text: str) -> str:
    return escape(text, quote=False).replace('"', "&quot;")


@cache
def asset(name: str) -> bytes:
    return resources.files("generator.cms").joinpath("assets", name).read_bytes()


__all__ = ["ADMIN", "LOCAL_API", "admin_files", "decap_config"]
