"""The editor's configuration (/admin/config.yml) follows the schemas field for field.

Every field of every schema the editor edits must be in the generated Decap CMS
configuration, with the schema's required flag, its values with their Japanese
names, references as relation widgets and dates in the shapes `catalog check`
reads; nothing else may be in it (but the Markdown body). A schema change the
generator cannot follow fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cms.admin import BODY, admin_files, decap_config
from generator.cms.decap import BUNDLE_SRI, BUNDLE_URL, DECAP_VERSION, admin_policy
from generator.cms.fields import FILES, FOLDERS, Unsupported, collection_fields, label
from generator.config import Cms, Config
from generator.content.dates import parse_flexdate, shape_pattern
from generator.content.entries import DATE_ROLES
from generator.content.schema import SCHEMA_NAMES, enum_labels, load_schema

CONFIG = Config(title="テスト県 DX人材支援カタログ", prefecture="長野県", base_url="https://example.jp", base_path="/")
GITHUB = Cms("github", "nagano-pref/dx-catalog", "main", base_url="https://auth.example.jp/")


def _schema_fields(
    node: Mapping[str, Any], prefix: str = "", optional: bool = False
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """(path, schema, required in the form): what an optional object holds is never required in the form
    (Decap would then refuse every file without the object); an item of a list, once added, is whole."""
    required = set(node.get("required", ())) if not optional else set()
    for key, child in node.get("properties", {}).items():
        yield prefix + key, child, key in required
        yield from _schema_fields(child, f"{prefix}{key}.", optional=key not in required)
        if child.get("type") == "array" and isinstance(child.get("items"), dict):
            yield from _schema_fields(child["items"], f"{prefix}{key}[].")


def _config_fields(fields: list[dict[str, Any]], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for field in fields:
        name = prefix + field["name"]
        yield name, field
        if "fields" in field:
            yield from _config_fields(field["fields"], f"{name}[]." if field["widget"] == "list" else f"{name}.")


def _collection(document: Mapping[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in document["collections"] if c["name"] == name)


def _fields_of(document: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    collection = _collection(document, name)
    return collection["fields"] if "fields" in collection else collection["files"][0]["fields"]


DOCUMENT = decap_config(replace(CONFIG, cms=GITHUB), local=False)


def test_every_schema_is_a_collection_but_archetypes() -> None:
    names = [c["name"] for c in DOCUMENT["collections"]]
    assert names == [*FOLDERS, *FILES]
    # archetypes.yaml is a list at its top; Decap edits only files that are a mapping (fields.FILES says so).
    assert set(SCHEMA_NAMES) - set(names) == {"archetypes"}


@pytest.mark.parametrize("name", [*FOLDERS, *FILES])
def test_every_field_of_the_schema_is_in_the_configuration_and_nothing_else(name: str) -> None:
    schema = load_schema(name)
    expected = {path: (node, required) for path, node, required in _schema_fields(schema)}
    found = dict(_config_fields(_fields_of(DOCUMENT, name)))
    found.pop("body", None)
    assert list(found) == list(expected)
    for path, (node, required) in expected.items():
        field = found[path]
        assert field["required"] is required, path
        assert field["label"].endswith(f"（{path.rsplit('.', 1)[-1].removesuffix('[]')}）"), path
        if node.get("description"):
            assert field["label"].startswith(label(node)), path
            assert field.get("hint", field["label"]) in (node["description"], field["label"]), path


@pytest.mark.parametrize("name", [*FOLDERS, *FILES])
def test_each_field_has_the_widget_of_its_type(name: str) -> None:
    found = dict(_config_fields(_fields_of(DOCUMENT, name)))
    for path, node, _ in _schema_fields(load_schema(name)):
        field = found[path]
        kind = node.get("type")
        kind = kind[0] if isinstance(kind, list) else kind
        items = node.get("items", {})
        if node.get("x-format") == "flexdate":
            role = DATE_ROLES.get(tuple(p.removesuffix("[]") for p in path.split(".")), "day")
            assert (field["widget"], field["pattern"][0]) == ("string", shape_pattern(role)), path
        elif node.get("x-ref") in ("programs", "partners"):
            assert field["widget"] == "relation" and field["collection"] == node["x-ref"] and field["multiple"], path
            assert field["value_field"] == "{{slug}}" and field["display_fields"] == ["title"], path
        elif "enum" in node or "enum" in items:
            values = node.get("enum") or items["enum"]
            names = enum_labels(node.get("description", ""))
            assert field["widget"] == "select", path
            assert field["options"] == [{"label": names.get(v, v), "value": v} for v in values], path
            assert field.get("multiple", False) is (kind == "array"), path
        elif kind == "boolean":
            assert field["widget"] == "boolean", path
        elif kind in ("integer", "number"):
            assert field["widget"] == "number" and field["value_type"] == ("int" if kind == "integer" else "float"), (
                path
            )
            assert (field.get("min"), field.get("max")) == (node.get("minimum"), node.get("maximum")), path
        elif kind == "object":
            assert field["widget"] == "object" and not field["collapsed"], path
        elif kind == "array":
            assert field["widget"] == "list", path
            assert ("fields" in field) is (items.get("type") == "object"), path
            assert field.get("min", 0) == node.get("minItems", 0), path
        else:
            assert field["widget"] in ("string", "text", "select"), path
            if "pattern" in node:
                assert field["pattern"][0] == node["pattern"], path


def test_values_are_shown_with_their_japanese_names() -> None:
    level = next(f for f in _fields_of(DOCUMENT, "programs") if f["name"] == "level")
    assert level["options"] == [
        {"label": "国", "value": "national"},
        {"label": "都道府県", "value": "prefecture"},
        {"label": "市町村", "value": "municipal"},
    ]
    archetype = next(f for f in _fields_of(DOCUMENT, "roles") if f["name"] == "archetype")
    assert [o["label"] for o in archetype["options"]] == [
        "プロデューサー",
        "プロジェクトマネージャー",
        "サービスデザイナー",
        "エンジニア",
    ]


def test_the_date_shapes_are_those_the_checks_read() -> None:
    samples = [
        "2023-10-24",
        "2023/10/24",
        "2023年10月24日",
        "令和5年10月24日",
        "令和元年5月1日",
        "R5.10.24",
        "Ｒ５．１０．２４",
        "２０２３年１０月２４日",
        "令和7年度",
        "R7年度",
        "2025年度",
        "令和元年度",
        "2023年10月",
        "令和5年10月",
        "2023-10",
        "令和5年",
        "10月24日",
        "2023.10.24",
        "abc",
        "",
    ]
    for role in ("day", "start", "end"):
        pattern = re.compile(shape_pattern(role))  # Python reads it as JavaScript does (no flags, no lookbehind)
        for text in samples:
            assert bool(pattern.fullmatch(text)) is not isinstance(parse_flexdate(text, role), str), (role, text)


def test_the_body_is_markdown_kept_as_written() -> None:
    for name in FOLDERS:
        body = _collection(DOCUMENT, name)["fields"][-1]
        assert body == BODY
        assert body["widget"] == "markdown" and body["modes"] == ["raw"] and body["editor_components"] == []


def test_folder_collections_say_where_files_go_and_start_new_entries_as_drafts() -> None:
    for name in FOLDERS:
        collection = _collection(DOCUMENT, name)
        assert collection["folder"] == f"content/{name}"
        assert (collection["extension"], collection["format"]) == ("md", "yaml-frontmatter")
        assert collection["label"] == load_schema(name)["title"]
        draft = next(f for f in collection["fields"] if f["name"] == "draft")
        assert draft["default"] is True and draft["widget"] == "boolean"
    site = _collection(DOCUMENT, "site")
    assert site["files"][0]["file"] == "content/site.yaml"


def test_the_backend_comes_from_site_yaml() -> None:
    assert DOCUMENT["backend"]["name"] == "github"
    assert DOCUMENT["backend"]["repo"] == "nagano-pref/dx-catalog"
    assert DOCUMENT["backend"]["branch"] == "main"
    assert DOCUMENT["backend"]["base_url"] == "https://auth.example.jp"
    assert DOCUMENT["locale"] == "ja"
    assert DOCUMENT["site_url"] == "https://example.jp/"
    assert "local_backend" not in DOCUMENT and "publish_mode" not in DOCUMENT
    workflow = decap_config(replace(CONFIG, cms=replace(GITHUB, editorial_workflow=True)), local=False)
    assert workflow["publish_mode"] == "editorial_workflow"


def test_the_dev_server_configuration_saves_through_the_server() -> None:
    served = replace(CONFIG, base_url="http://127.0.0.1:8000")
    local = decap_config(served, local=True)
    assert local["local_backend"] == {"url": "http://127.0.0.1:8000/api/v1"}
    assert local["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8000/api/v1", "branch": "main"}
    with_cms = decap_config(replace(served, cms=GITHUB), local=True)
    assert (
        with_cms["backend"]["name"] == "github" and with_cms["local_backend"]["url"] == "http://127.0.0.1:8000/api/v1"
    )
    on_ipv6 = decap_config(replace(served, base_url="http://[::1]:8000"), local=True)
    assert on_ipv6["local_backend"] == {"url": "http://[::1]:8000/api/v1", "allowed_hosts": ["::1"]}


def test_no_editor_is_published_without_cms() -> None:
    assert admin_files(CONFIG, local=False) == ()
    names = [f.path for f in admin_files(replace(CONFIG, cms=GITHUB), local=False)]
    assert names == ["admin/index.html", "admin/config.yml", "admin/admin.js", "admin/admin.css"]
    assert [f.path for f in admin_files(CONFIG, local=True)] == names  # the dev server always has one


def test_the_page_loads_the_pinned_bundle_with_integrity_and_no_inline_code() -> None:
    page = next(
        f for f in admin_files(replace(CONFIG, cms=GITHUB), local=False) if f.path == "admin/index.html"
    ).data.decode()
    assert f'<script src="{BUNDLE_URL}" integrity="{BUNDLE_SRI}" crossorigin="anonymous"></script>' in page
    assert f"decap-cms@{DECAP_VERSION}/" in BUNDLE_URL and re.fullmatch(r"sha384-[A-Za-z0-9+/]{64}", BUNDLE_SRI)
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == [] and "style=" not in page and "<style" not in page
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert meta and meta.group(1) == admin_policy(GITHUB, local=False)
    assert '<link href="config.yml" type="text/yaml" rel="cms-config-url">' in page
    assert '<meta name="robots" content="noindex">' in page


def test_the_policy_opens_only_what_the_backend_needs() -> None:
    github = admin_policy(GITHUB, local=False)
    assert f"script-src 'self' {BUNDLE_URL} 'unsafe-eval'" in github
    assert "connect-src 'self' https://api.github.com;" in github
    assert "img-src 'self' https://avatars.githubusercontent.com;" in github
    assert "'unsafe-inline'" not in github.split("style-src")[0]  # never for scripts
    assert "frame-ancestors" not in github and "frame-ancestors 'none'" in admin_policy(
        GITHUB, local=False, header=True
    )
    gateway = admin_policy(replace(GITHUB, backend="git-gateway"), local=False)
    assert "connect-src 'self';" in gateway
    local = admin_policy(GITHUB, local=True)
    assert "connect-src 'self';" in local and "github" not in local.replace(BUNDLE_URL, "")


def test_the_configuration_file_reads_back_as_generated() -> None:
    files = admin_files(replace(CONFIG, cms=GITHUB), local=False)
    text = next(f for f in files if f.path == "admin/config.yml").data.decode()
    assert text.startswith("# 生成ファイル:")
    assert yaml.safe_load(text) == DOCUMENT


def test_a_schema_construct_without_a_widget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.cms.fields as fields

    schema = {"type": "object", "properties": {"odd": {"type": ["string", "integer"], "description": "二つの型"}}}
    monkeypatch.setattr(fields, "load_schema", lambda name: schema)
    with pytest.raises(Unsupported, match="型が複数"):
        collection_fields("programs")
    schema["properties"]["odd"] = {"type": "array", "items": {"type": "array"}}
    with pytest.raises(Unsupported):
        collection_fields("programs")


def test_labels_read_as_names() -> None:
    assert (
        label({"description": "内容（事実）を出典と照らして最後に確かめた日（最終確認日）。確認の間隔…"})
        == "内容を出典と照らして最後に確かめた日"
    )
    assert label({"description": "制度の主体: national（国）, prefecture（都道府県）"}) == "制度の主体"
    assert (
        label({"description": "一覧や検索結果に表示する要約（200文字以内。検索結果では…）"})
        == "一覧や検索結果に表示する要約"
    )
    assert label({}) == ""


def test_what_an_optional_object_holds_is_not_required_in_the_form() -> None:
    cms = next(f for f in _fields_of(DOCUMENT, "site") if f["name"] == "cms")
    assert cms["required"] is False and [f["required"] for f in cms["fields"]] == [False] * 5
    assert set(load_schema("site")["properties"]["cms"]["required"]) == {
        "backend",
        "repo",
        "branch",
    }  # the check requires them
    engagement = next(f for f in _fields_of(DOCUMENT, "roles") if f["name"] == "engagement")
    assert (
        engagement["required"] is True
        and next(f for f in engagement["fields"] if f["name"] == "form")["required"] is True
    )


def test_the_documented_policy_of_the_editor_is_the_one_it_is_built_with() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "hosting.md").read_text("utf-8")
    section = text[text.index("### 編集画面の Content-Security-Policy") :]
    policy = admin_policy(GITHUB, local=False, header=True)
    assert re.search(r"```text\n(.+?)\n```", section, re.S).group(1) == policy  # type: ignore[union-attr]
    assert f"/admin/*\n  Content-Security-Policy: {policy}\n" in section
    assert BUNDLE_SRI in text and BUNDLE_URL in text and DECAP_VERSION in text


def test_a_build_publishes_the_editor_only_while_site_yaml_asks_for_it(tmp_path: Path) -> None:
    """The real build path (pipeline.build, writer): added with cms:, gone when cms: goes, under the base path."""
    import shutil

    from conftest import CHECK_AS_OF, FIXTURES

    from generator.config import BuildOptions
    from generator.pipeline import build

    project = Path(shutil.copytree(FIXTURES / "site-basic", tmp_path / "project"))
    site_yaml = project / "content" / "site.yaml"
    plain = site_yaml.read_text("utf-8")
    options = BuildOptions(project, tmp_path / "site", CHECK_AS_OF, search=False, base_path="/dx/")
    site_yaml.write_text(plain + "cms:\n  backend: github\n  repo: nagano-pref/dx-catalog\n  branch: main\n", "utf-8")
    assert build(options).ok
    admin = tmp_path / "site" / "admin"
    assert sorted(p.name for p in admin.iterdir()) == ["admin.css", "admin.js", "config.yml", "index.html"]
    page = (admin / "index.html").read_text("utf-8")
    assert 'data-site-css="/dx/static/css/site.css"' in page and (tmp_path / "site" / "static/css/site.css").is_file()
    config = yaml.safe_load((admin / "config.yml").read_text("utf-8"))
    assert (
        config["site_url"] == "https://example.jp/dx/"
        and config["collections"][0]["preview_path"] == "programs/{{slug}}/"
    )
    assert "Disallow: /dx/admin/" in (tmp_path / "site" / "robots.txt").read_text("utf-8")
    site_yaml.write_text(plain, "utf-8")
    assert build(options).ok
    assert not admin.exists() and "Disallow" not in (tmp_path / "site" / "robots.txt").read_text("utf-8")


def test_the_editor_s_assets_count_in_the_generator_s_fingerprint() -> None:
    """A new admin.js must not be kept out of a site by the build that finds nothing changed."""
    import generator.cms
    from generator.incremental.store import FINGERPRINTED

    assets = [p for p in (Path(generator.cms.__file__).parent / "assets").iterdir() if p.is_file()]
    assert assets and all(p.suffix in FINGERPRINTED for p in assets)
