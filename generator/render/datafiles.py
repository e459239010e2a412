"""What the オープンデータ page says of each exported data file: one typed value per file.

The export stage (output/exports.py) describes every file it writes as a
``DataFileView`` (``DataFile.view``); the page and its Dataset JSON-LD read
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    """What the column holds, in Japanese, for the data page."""


@dataclass(frozen=True)
class DataFileView:
    path: str
    """Site path of the file (``data/programs.csv``)."""
    title: str
    description: str
    format: str
    """As the page names it, from the file's suffix (``page_format``)."""
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


def page_format(path: str, fallback: str) -> str:
    """The format the page shows: by the file's suffix (a JSON Schema is JSON, a feed XML)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"csv": "CSV", "json": "JSON", "ics": "iCalendar", "xml": "XML"}.get(suffix, fallback or suffix.upper())


@dataclass(frozen=True)
class DataCatalog:
    """What the オープンデータ page shows, as the subject of its Dataset JSON-LD."""

    files: tuple[DataFileView, ...]
