"""Open data under ``data/``: JSON and CSV per collection, long-format relation CSVs,
the JSON Schemas of the collections and the iCalendar file of program periods.

CSVs follow デジタル庁's machine-readability rules: header on line 1, one value per
cell, numbers without units, an empty cell for unknown, ISO dates with a separate
和暦 column, many-to-many relations in their own long-format files, UTF-8 with a BOM
(so that Excel opens them) and CRLF line ends. A text cell that a spreadsheet could
read as a formula gets a leading apostrophe. JSON is UTF-8 without BOM, sorted keys.

Everything is computed from the Site; only the writer puts the bytes on disk. An
incremental build re-encodes only the records that changed (see ``export_rows``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..content.schema import load_schema
from ..model import COLLECTION_LABELS, COLLECTIONS, OutputFile, Site
from ..render.datafiles import Column, DataFileView, page_format
from . import ical
from .export_relations import RELATIONS
from .export_rows import Assembled, Frame, Layout, Reuse, assemble, part_id, record_ids
from .export_tables import TABLES, Cell, Table

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
    "reviewed は内容を出典で最後に確かめた日（最終確認日）、stale はそこから確認の間隔を超えたか（true なら"
    "状況 status は最終確認日 status_as_of の時点のもの）です。sources の各出典は発行者・資料の日付・閲覧日と、"
    "その出典が示す項目（covers）を持ちます。"
)


@dataclass(frozen=True)
class DataFile:
    """One downloadable file and what the data page says about it."""

    path: str
    """Site path of the file (``data/programs.csv``)."""
    file: OutputFile | None
    """The file to write; None when the previous build's file at ``path`` is kept as it is."""
    size: int
    title: str
    format: str
    """"CSV", "JSON", "JSON Schema", "iCalendar" or "Atom"."""
    records: int | None
    """Rows without the header, array items or events; None when it has no such count."""
    columns: tuple[Column, ...]
    description: str
    """What the file holds (the data page shows it in the file's row)."""
    format_note: str = ""
    """How every file of its format is written (CSV_NOTE, JSON_NOTE): the data page says it once."""
    updated: date | None = None
    """Latest ``updated`` of the entries in the file (None for schemas): from content, not the clock."""
    encoding: str = "UTF-8"
    layout: Layout | None = field(default=None, compare=False, repr=False)
    """Where each record's bytes are, for the next incremental build."""

    def view(self) -> DataFileView:
        """What the data page says of the file."""
        fields = (self.title, self.description, page_format(self.path, self.format), self.size, self.records)
        return DataFileView(self.path, *fields, self.updated, self.encoding, self.columns, self.format_note)


def export_data(site: Site, reuse: Reuse | None = None) -> tuple[DataFile, ...]:
    """Every file under ``data/``, in the order the data page lists them.

    With ``reuse`` (an incremental build), the records that did not change since
    the previous build are not encoded again, and unchanged files are kept.
    """
    ids = record_ids(site, reuse.hashes) if reuse is not None else {}
    # By object: the tables' records are the site's own objects, and a key is a string built anew at each call.
    by_object = {id(r): ids.get(r.key) for r in (*site.archetypes, *site.entries())}
    run = _Run(site, by_object, reuse, {name: latest_update(site, name) for name in (*COLLECTIONS, "*")})
    files: list[DataFile] = []
    for table in TABLES:
        files.append(_json_file(run, table))
        files.append(_csv_file(run, table))
    files += [_csv_file(run, r) for r in RELATIONS]
    files += [_schema_file(site, name) for name in SCHEMA_COLLECTIONS]
    files.append(_calendar_file(run))
    return tuple(files)


@dataclass(frozen=True)
class _Run:
    """What every file of one export_data call shares."""

    site: Site
    ids: Mapping[int, bytes | None]
    """The hash of each record's rows (see ``record_ids``), by ``id()`` of the record."""
    reuse: Reuse | None
    updated: Mapping[str, date | None]
    """``latest_update`` of each collection and of ``*``, computed once."""

    def ids_of(self, records: Sequence[Any]) -> list[bytes | None]:
        ids = self.ids
        return [ids.get(id(r)) for r in records]


def _output(path: str, built: Assembled, media_type: str) -> tuple[OutputFile | None, int]:
    if built.data is None:
        assert built.layout is not None
        return None, built.layout.size
    return OutputFile(path, built.data, media_type), len(built.data)


def _calendar_file(run: _Run) -> DataFile:
    path, site = "data/programs.ics", run.site
    dates = ical.program_dates(site)
    ids = [part_id(run.ids.get(id(d.program)), d.which) for d in dates]

    def encode(todo: Sequence[int]) -> list[bytes]:
        return [ical.encode_event(ical.date_event(site, dates[i])) for i in todo]

    head, tail = ical.programs_calendar_frame(site)
    built, count = assemble(path, ids, encode, Frame(prefix=head, suffix=tail), run.reuse, lambda data, groups: groups)
    file, size = _output(path, built, "text/calendar")
    return DataFile(
        path=path,
        file=file,
        size=size,
        title="支援制度の期間（iCalendar）",
        format="iCalendar",
        records=count,
        columns=(),
        updated=run.updated["programs"],
        description=(
            "支援制度の実施期間の開始日と終了日を終日の予定にしたカレンダーです（RFC 5545）。"
            "カレンダーアプリでこのURLを購読すると、制度の終了日などを確認できます。"
        ),
        layout=built.layout,
    )


def latest_update(site: Site, collection: str) -> date | None:
    """Newest ``updated`` among the public entries of a collection (``*``: of all)."""
    names = COLLECTIONS if collection == "*" else (collection,)
    days = [e.updated.value for n in names for e in site.collection(n) if not e.draft and e.updated is not None]
    return max(days, default=None)


# --- CSV ------------------------------------------------------------------------


def csv_cell(value: Cell) -> str:
    """How one value is written in a CSV cell."""
    if value.__class__ is str:  # the common case first: most cells are text
        text = "'" + value if value.startswith(FORMULA_START) else value
        return _LINE_BREAK.sub(" ", text) if "\n" in text or "\r" in text else text
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


def encode_csv_groups(groups: Sequence[Sequence[Sequence[Cell]]]) -> list[bytes]:
    """The CSV lines of each group of rows (CRLF after each line), encoded in one pass.

    A cell never holds a line break (``csv_cell`` replaces them), so the text
    splits back into exactly one line per row.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([csv_cell(v) for v in row] for rows in groups for row in rows)
    lines = buffer.getvalue().split("\r\n")
    out: list[bytes] = []
    at = 0
    for rows in groups:
        out.append("".join(line + "\r\n" for line in lines[at : at + len(rows)]).encode("utf-8"))
        at += len(rows)
    return out


def _csv_records(data: bytes, groups: int) -> int:
    return data.count(b"\r\n") - 1  # one line per row (see encode_csv_groups), and the header


def _csv_file(run: _Run, table: Table) -> DataFile:
    path, site = f"data/{table.name}.csv", run.site
    records = table.records(site)
    header = encode_csv([c.name for c in table.columns], ())

    def encode(todo: Sequence[int]) -> list[bytes]:
        return encode_csv_groups([table.rows_of(site, records[i]) for i in todo])

    built, count = assemble(path, run.ids_of(records), encode, Frame(prefix=header), run.reuse, _csv_records)
    file, size = _output(path, built, "text/csv; charset=utf-8")
    return DataFile(
        path=path,
        file=file,
        size=size,
        title=f"{table.title}（CSV）",
        format="CSV",
        records=count,
        columns=table.columns,
        description=table.description,
        format_note=CSV_NOTE,
        updated=run.updated[table.dated_by],
        encoding="UTF-8（BOM付き）",
        layout=built.layout,
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


_JSON_RECORDS = Frame(prefix=b"[\n", separator=b",\n", suffix=b"\n]\n", empty=b"[]\n")
"""The frame of ``encode_json``'s list: one record per line."""


def _json_file(run: _Run, table: Table) -> DataFile:
    path, site = f"data/{table.name}.json", run.site
    records = table.records(site) if table.json_of is not None else ()
    json_of = table.json_of

    def encode(todo: Sequence[int]) -> list[bytes]:
        assert json_of is not None
        return [json.dumps(json_of(site, records[i]), ensure_ascii=False, sort_keys=True).encode("utf-8") for i in todo]

    built, count = assemble(path, run.ids_of(records), encode, _JSON_RECORDS, run.reuse, lambda data, groups: groups)
    file, size = _output(path, built, "application/json")
    return DataFile(
        path=path,
        file=file,
        size=size,
        title=f"{table.title}（JSON）",
        format="JSON",
        records=count,
        columns=(),
        description=table.description,
        format_note=JSON_NOTE,
        updated=run.updated[table.dated_by],
        layout=built.layout,
    )


# --- JSON Schema ----------------------------------------------------------------


def _schema_file(site: Site, name: str) -> DataFile:
    """The schema of a collection's source files, with an ``$id`` where it is published."""
    path = f"data/schema/{name}.schema.json"
    schema = dict(load_schema(name))  # a copy: load_schema's value is shared
    schema["$id"] = site.config.absolute_url(path)
    label = COLLECTION_LABELS.get(name, name)
    data = encode_json(schema)
    return DataFile(
        path=path,
        file=OutputFile(path, data, "application/schema+json"),
        size=len(data),
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
