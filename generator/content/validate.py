"""Validate each content file on its own: parse → schema → privacy → typed value.

One file's result never depends on another file, so files can be validated in
any order, in parallel, or reused from a cache keyed by their bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..config import Config, config_from_mapping
from ..model import COLLECTIONS, Archetype
from ..problems import Problem
from .discover import SourceFile
from .entries import Located, build_archetypes, build_entry, build_page, content_warnings
from .parse import Parsed, parse_data_file, parse_entry
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


def validate_site_config(source: SourceFile) -> SiteConfigResult:
    parsed = parse_data_file(source.data, source.path)
    if not isinstance(parsed, Parsed):
        return SiteConfigResult(None, parsed)
    if parsed.data is None:
        parsed = Parsed(parsed.path, {}, parsed.positions)
    problems = validate_schema(parsed, "site")
    if problems:
        return SiteConfigResult(None, problems)
    return SiteConfigResult(config_from_mapping(parsed.data), ())


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
    problems: list[Problem] = []
    skip: frozenset[str] = frozenset()
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

