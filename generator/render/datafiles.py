"""A read-only view of the exported data files, for the オープンデータ page.

The export stage describes its files in ``extra["data_files"]``; this module
reads them generically (objects or mappings) so the page does not depend on
the exact class the export stage uses. Known fields: ``path`` (site path,
required), ``title``, ``description``, ``media_type`` or ``format``, ``size``
or ``bytes`` (bytes), ``records`` or ``record_count``, ``updated`` (date or
FlexDate), ``encoding``, ``columns`` (items with ``name`` and ``description``,
or pairs), ``format_note`` (how every file of its format is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from ..model import FlexDate


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class DataFileView:
    path: str
    title: str
    description: str
    format: str
    size: int | None
    records: int | None
    updated: date | None
    encoding: str
    columns: tuple[Column, ...]
    format_note: str = ""

    @property
    def size_text(self) -> str:
        if self.size is None:
            return ""
        if self.size < 1024:
            return f"{self.size}バイト"
        return f"{self.size / 1024:.1f}KB"


def _field(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, dict) and name in item:
            return item[name]
        if not isinstance(item, dict) and hasattr(item, name):
            return getattr(item, name)
    return None


def _format(path: str, media_type: str | None) -> str:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"csv": "CSV", "json": "JSON", "ics": "iCalendar", "xml": "XML"}.get(suffix, media_type or suffix.upper())


def _columns(raw: Any) -> tuple[Column, ...]:
    columns = []
    for col in raw or ():
        if isinstance(col, (tuple, list)) and len(col) == 2:
            columns.append(Column(str(col[0]), str(col[1])))
        else:
            columns.append(Column(str(_field(col, "name") or ""), str(_field(col, "description") or "")))
    return tuple(columns)


def data_file_views(items: Iterable[Any]) -> tuple[DataFileView, ...]:
    views = []
    for item in items:
        path = str(_field(item, "path") or "").lstrip("/")
        if not path:
            continue
        updated = _field(item, "updated")
        if isinstance(updated, FlexDate):
            updated = updated.value
        views.append(
            DataFileView(
                path=path,
                title=str(_field(item, "title", "label", "name") or path),
                description=str(_field(item, "description") or ""),
                format=_format(path, _field(item, "format", "media_type")),
                size=_field(item, "size", "bytes"),
                records=_field(item, "records", "record_count"),
                updated=updated if isinstance(updated, date) else None,
                encoding=str(_field(item, "encoding") or ""),
                columns=_columns(_field(item, "columns")),
                format_note=str(_field(item, "format_note") or ""),
            )
        )
    return tuple(views)


@dataclass(frozen=True)
class DataCatalog:
    """What the オープンデータ page shows, as the subject of its Dataset JSON-LD."""

    files: tuple[DataFileView, ...]
