"""Validate each content file on its own: parse → schema → privacy → typed value.

One file's result never depends on another file, so files can be validated in
any order, in parallel, or reused from a cache keyed by their bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..config import (
    PLACEHOLDER_ORIGIN,
    AddressError,
    Config,
    config_from_mapping,
    parse_base_path,
    parse_base_url,
    site_address,
)
from ..model import COLLECTIONS, Archetype
from ..problems import Problem, error, warning
from .discover import SourceFile
from .entries import Located, build_archetypes, build_entry, build_page, content_warnings
from .parse import Parsed, Path_, parse_data_file, parse_entry
from .placeholders import placeholder_problems
from .privacy import check_role, refused_keys
from .schema import validate as validate_schema
from .sources import source_warnings


@dataclass(frozen=True)
class FileResult:
    """What one file gave: a typed value (or None when it has errors) and its problems."""

    source: SourceFile
    located: Located | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class SiteConfigResult:
    config: Config | None
    problems: tuple[Problem, ...]
    base_url_at: tuple[int, int] = (1, 1)
    """Where site.yaml writes base_url (a warning about it points there)."""


def validate_site_config(source: SourceFile) -> SiteConfigResult:
    parsed = parse_data_file(source.data, source.path)
    if not isinstance(parsed, Parsed):
        return SiteConfigResult(None, parsed)
    if parsed.data is None:
        parsed = Parsed(parsed.path, {}, parsed.positions)
    problems = tuple(
        sorted((*validate_schema(parsed, "site"), *_address_problems(parsed)), key=lambda p: (p.line, p.col))
    )
    if problems:
        return SiteConfigResult(None, problems)
    return SiteConfigResult(config_from_mapping(parsed.data), (), parsed.where(("base_url",)))


def _address_problems(parsed: Parsed) -> list[Problem]:
    """base_url and base_path follow the command line's rule (config.site_address)."""
    data = parsed.data if isinstance(parsed.data, dict) else {}
    problems: list[Problem] = []

    def at(key: str, exc: AddressError) -> Problem:
        line, col = parsed.where((key,))
        return error(parsed.path, line, col, "invalid-value", str(exc) if exc.field == "both" else f"{key} の{exc}")

    for key, rule in (("base_url", parse_base_url), ("base_path", parse_base_path)):
        if isinstance(data.get(key), str):  # otherwise the schema reports it
            try:
                rule(data[key])
            except AddressError as exc:
                problems.append(at(key, exc))
    if not problems and isinstance(data.get("base_url"), str):
        try:
            site_address(data["base_url"], data.get("base_path"), url_name="base_url", path_name="base_path")
        except AddressError as exc:
            problems.append(at("base_path", exc))
    return problems


def placeholder_origin(path: str, at: tuple[int, int]) -> Problem:
    """The warning of a build for the example origin (the pipeline knows when a build publishes)."""
    return warning(
        path,
        *at,
        "placeholder-origin",
        f"公開先が例の {PLACEHOLDER_ORIGIN} のままです。ページの canonical リンク・OGP・サイトマップ・データファイルに"
        "このアドレスが載ります。公開する前に base_url を実際の公開先に書き換えるか、--base-url で指定してください",
    )


def validate_archetypes(source: SourceFile) -> tuple[tuple[Archetype, ...], tuple[Problem, ...]]:
    parsed = parse_data_file(source.data, source.path)
    if not isinstance(parsed, Parsed):
        return (), parsed
    problems = validate_schema(parsed, "archetypes")
    if problems:
        return (), problems
    return build_archetypes(parsed)


def validate_file(source: SourceFile, config: Config | None, as_of: date) -> FileResult:
    """An entry of a collection, or a page of content/pages/."""
    parsed = parse_entry(source.data, source.path)
    if not isinstance(parsed, Parsed):
        return FileResult(source, None, parsed)
    problems: list[Problem] = list(placeholder_problems(source.data, parsed))
    skip: frozenset[Path_] = frozenset()
    if source.kind == "roles":
        problems.extend(check_role(parsed))
        skip = refused_keys(parsed.data)
    schema_name = source.kind if source.kind in COLLECTIONS else "pages"
    problems.extend(validate_schema(parsed, schema_name, skip_keys=skip))
    if any(p.is_error for p in problems):
        return FileResult(source, None, tuple(problems))

    if source.kind == "pages":
        page, page_problems = build_page(parsed, source.slug)
        if page is None:
            return FileResult(source, None, page_problems)
        return FileResult(source, Located.of(page, parsed), page_problems)

    entry, entry_problems = build_entry(parsed, source.kind, source.slug)
    problems.extend(entry_problems)
    if entry is None:
        return FileResult(source, None, tuple(problems))
    problems.extend(source_warnings(parsed, source.kind, entry.sources))
    if config is not None:
        problems.extend(content_warnings(entry, parsed, config, as_of))
    return FileResult(source, Located.of(entry, parsed), tuple(problems))
