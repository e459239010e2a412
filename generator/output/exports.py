"""Open data under ``data/``: JSON and CSV per collection, long-format relation CSVs,
the JSON Schemas of the collections and the iCalendar file of program periods.

CSVs follow デジタル庁's machine-readability rules: header on line 1, one value per
cell, numbers without units, an empty cell for unknown, ISO dates with a separate
和暦 column, many-to-many relations in their own long-format files, UTF-8 with a BOM
(so that Excel opens them) and CRLF line ends. A text cell that a spreadsheet could
read as a formula gets a leading apostrophe. JSON is UTF-8 without BOM, sorted keys.

Everything is computed from the Site; only the writer puts the bytes on disk.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Sequence

from ..content.schema import load_schema
from ..model import COLLECTION_LABELS, COLLECTIONS, OutputFile, Site
from . import ical
from .export_relations import RELATIONS
from .export_tables import TABLES, Cell, Column, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could run as a formula in a spreadsheet."""

SCHEMA_COLLECTIONS = ("programs", "partners", "cases", "roles", "archetypes")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

CSV_NOTE = (
    "文字コードは UTF-8（BOM付き）、改行は CRLF、1行目が項目名です。日付は西暦（YYYY-MM-DD）で、"
    "和暦は末尾が _wareki の列にあります。数値に単位は付けず、不明な値は空欄です（0 ではありません）。"
    "セル内の改行は空白に置き換えています。表計算ソフトで数式として実行されないよう、"
    "= + - @ タブ・復帰文字で始まる文字列の先頭にはアポストロフィ（'）を付けています。"
)
JSON_NOTE = (
    "文字コードは UTF-8（BOMなし）。1件が1つのオブジェクトの配列で、キーは名前順です。"
    "日付は西暦（YYYY-MM-DD）、url は各項目のページ、参照先は slug・title・url で示します。"
)


@dataclass(frozen=True)
class DataFile:
    """One downloadable file and what the data page says about it."""

    file: OutputFile
    title: str
    format: str
    """"CSV", "JSON", "JSON Schema", "iCalendar" or "Atom"."""
    records: int | None
    """Rows without the header, array items or events; None when it has no such count."""
    columns: tuple[Column, ...]
    description: str
    updated: date | None = None
    """Latest ``updated`` of the entries in the file (None for schemas): from content, not the clock."""
    encoding: str = "UTF-8"

    @property
    def size(self) -> int:
        return len(self.file.data)

    @property
    def path(self) -> str:
        """Site path of the file (``data/programs.csv``)."""
        return self.file.path


Memo = Callable[[str, Callable[[], "DataFile"]], "DataFile"]
"""memo(path, make): a DataFile unchanged since the previous build, or make()."""


def _no_memo(path: str, make: Callable[[], "DataFile"]) -> "DataFile":
    return make()


def export_data(site: Site, memo: Memo = _no_memo) -> tuple[DataFile, ...]:
    """Every file under ``data/``, in the order the data page lists them.

    ``memo`` lets an incremental build reuse files whose inputs did not change
    (see ``data_dependencies``).
    """
    files: list[DataFile] = []
    for table in TABLES:
        files.append(memo(f"data/{table.name}.json", lambda table=table: _json_file(site, table)))
        files.append(memo(f"data/{table.name}.csv", lambda table=table: _csv_file(site, table)))
    files += [memo(f"data/{r.name}.csv", lambda r=r: _csv_file(site, r)) for r in RELATIONS]
    files += [_schema_file(site, name) for name in SCHEMA_COLLECTIONS]
    files.append(memo("data/programs.ics", lambda: _calendar_file(site)))
    return tuple(files)


def data_dependencies(path: str) -> tuple[str, ...]:
    """The collections whose entries a data file is made from (``*``: every collection).

    A table names the titles of the entries it refers to, so it also depends on them.
    """
    name = path.rsplit("/", 1)[-1].split(".", 1)[0]
    for prefix, collections in (
        ("program", ("programs", "archetypes")),
        ("partner", ("partners",)),
        ("case", ("cases", "programs", "partners", "archetypes")),
        ("role", ("roles", "programs", "archetypes")),
        ("archetype", ("archetypes",)),
    ):
        if name.startswith(prefix):
            return collections
    return ("*",)


def _calendar_file(site: Site) -> "DataFile":
    data, count = ical.programs_calendar(site)
    return (
        DataFile(
            file=OutputFile("data/programs.ics", data, "text/calendar"),
            title="支援制度の期間（iCalendar）",
            format="iCalendar",
            records=count,
            columns=(),
            updated=latest_update(site, "programs"),
            description=(
                "支援制度の実施期間の開始日と終了日を終日の予定にしたカレンダーです（RFC 5545）。"
                "カレンダーアプリでこのURLを購読すると、制度の終了日などを確認できます。"
            ),
        )
    )


def latest_update(site: Site, collection: str) -> date | None:
    """Newest ``updated`` among the public entries of a collection (``*``: of all)."""
    names = COLLECTIONS if collection == "*" else (collection,)
    days = [e.updated.value for n in names for e in site.collection(n) if not e.draft and e.updated is not None]
    return max(days, default=None)


# --- CSV ------------------------------------------------------------------------


def csv_cell(value: Cell) -> str:
    """How one value is written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = "'" + value if value.startswith(FORMULA_START) else value
    return _LINE_BREAK.sub(" ", text)


def encode_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with BOM, CRLF line ends, header on line 1."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _csv_file(site: Site, table: Table) -> DataFile:
    rows = table.rows(site)
    data = encode_csv([c.name for c in table.columns], rows)
    return DataFile(
        file=OutputFile(f"data/{table.name}.csv", data, "text/csv; charset=utf-8"),
        title=f"{table.title}（CSV）",
        format="CSV",
        records=len(rows),
        columns=table.columns,
        description=f"{table.description}{CSV_NOTE}",
        updated=latest_update(site, table.dated_by),
        encoding="UTF-8（BOM付き）",
    )


# --- JSON -----------------------------------------------------------------------


def encode_json(value: Any) -> bytes:
    """Stable JSON: sorted keys, no ASCII escaping, trailing newline.

    A list of records is written one record per line (readable, diffable, and
    encoded by the json module's C encoder, which ``indent`` would turn off);
    anything else with a 2-space indent.
    """
    if isinstance(value, list):
        if not value:
            return b"[]\n"
        lines = (json.dumps(item, ensure_ascii=False, sort_keys=True) for item in value)
        return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def _json_file(site: Site, table: Table) -> DataFile:
    items = table.json(site) if table.json is not None else []
    return DataFile(
        file=OutputFile(f"data/{table.name}.json", encode_json(items), "application/json"),
        title=f"{table.title}（JSON）",
        format="JSON",
        records=len(items),
        columns=(),
        description=f"{table.description}{JSON_NOTE}",
        updated=latest_update(site, table.dated_by),
    )


# --- JSON Schema ----------------------------------------------------------------


def _schema_file(site: Site, name: str) -> DataFile:
    """The schema of a collection's source files, with an ``$id`` where it is published."""
    path = f"data/schema/{name}.schema.json"
    schema = dict(load_schema(name))  # a copy: load_schema's value is shared
    schema["$id"] = site.config.absolute_url(path)
    label = COLLECTION_LABELS.get(name, name)
    return DataFile(
        file=OutputFile(path, encode_json(schema), "application/schema+json"),
        title=f"{label}のスキーマ（JSON Schema）",
        format="JSON Schema",
        records=None,
        columns=(),
        description=(
            f"{label}の元データ（content/ のファイル）の項目と値の決まりを JSON Schema（2020-12）で"
            "記述したものです。JSON の書き出しでは、参照が slug・title・url のオブジェクトに、"
            "公式ページの url が official_url に、日付が西暦になり、ページの url などが加わります。"
        ),
    )
