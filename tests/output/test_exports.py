"""Data exports: CSV and JSON per collection, relation CSVs, schemas and the calendar.

The Site is the sample site of factories.py (``sample_site``) under a sub-path, as a build that
shows drafts links it, so these tests do not depend on reading files and prove that drafts never
reach a data file. The data files of the fixture site (tests/fixtures/site-basic/) are also
compared byte for byte with tests/golden/site-basic-exports/; after an intended change to the exports:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/output/test_exports.py -k golden   # rewrites, then fails
    git diff tests/golden/site-basic-exports/
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from expected_files import rewrite, update_requested
from factories import FISCAL, HOSTILE, sample_site

from generator.model import (
    KIND_LABELS,
    MODEL_LABELS,
    Site,
)
from generator.output.exports import DataFile, csv_cell, export_data
from generator.pipeline import load

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site-basic"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "site-basic-exports"


def files_by_path(site: Site) -> dict[str, DataFile]:
    return {f.file.path: f for f in export_data(site)}


def read_csv(data_file: DataFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_file.file.data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def exported() -> dict[str, DataFile]:
    return files_by_path(sample_site("/dx-catalog/", drafts=True))


def test_every_collection_has_json_and_csv_and_schema(exported):
    for name in ("programs", "partners", "cases", "roles", "archetypes"):
        assert exported[f"data/{name}.json"].format == "JSON"
        assert exported[f"data/{name}.csv"].format == "CSV"
        assert exported[f"data/schema/{name}.schema.json"].format == "JSON Schema"
    for name in (
        "program_archetypes",
        "program_providers",
        "program_kinds",
        "case_programs",
        "case_partners",
        "case_archetypes",
        "case_models",
        "case_timeline",
        "role_programs",
        "entry_tags",
        "entry_sources",
        "entry_source_covers",
        "entry_links",
    ):
        assert exported[f"data/{name}.csv"].records is not None
    assert exported["data/programs.ics"].format == "iCalendar"
    assert all(f.file.path.startswith("data/") for f in exported.values())


def test_csv_encoding_header_and_line_ends(exported):
    for f in exported.values():
        if f.format != "CSV":
            continue
        data = f.file.data
        assert data.startswith(b"\xef\xbb\xbf"), f.file.path
        text = data[3:].decode("utf-8")
        assert text.endswith("\r\n")
        assert "\n" not in text.replace("\r\n", ""), f"bare line break in {f.file.path}"
        header = next(csv.reader(io.StringIO(text)))
        assert header == [c.name for c in f.columns]
        assert all(c.description for c in f.columns)
        assert len(read_csv(f)) == f.records


def test_programs_csv_values(exported):
    rows = {r["slug"]: r for r in read_csv(exported["data/programs.csv"])}
    assert set(rows) == {"chiiki-johoka-advisor", "digital-talent-fiscal-measure", "hostile"}, "drafts never appear"
    row = rows["digital-talent-fiscal-measure"]
    assert row["fiscal_rate"] == "0.7"
    assert row["annual_cap_yen"] == "5600000"
    assert row["period_end"] == "2026-03-31"
    assert row["period_end_wareki"] == "令和8年3月31日"
    assert row["period_end_text"] == "令和7年度"
    # Reviewed on 2023-10-24, more than 12 months before the build date: the status is the one
    # that review found (the period then ran to 2026-03-31), dated by that review, and marked stale.
    assert row["status"] == "active" and row["status_label"] == "実施中"
    assert row["status_as_of"] == "2023-10-24" and row["stale"] == "true"
    assert row["reviewed"] == "2023-10-24" and row["reviewed_wareki"] == "令和5年10月24日"
    assert row["url"] == "https://example.jp/dx-catalog/programs/digital-talent-fiscal-measure/"
    hostile = rows["hostile"]
    assert hostile["annual_cap_yen"] == "" and hostile["fiscal_rate"] == "", "unknown is empty, never 0"
    assert hostile["period_start"] == "" and hostile["status"] == "active"
    assert hostile["official_url"] == "https://example.org/official"


def test_formula_injection_is_neutralised(exported):
    rows = {r["slug"]: r for r in read_csv(exported["data/programs.csv"])}
    assert rows["hostile"]["title"].startswith("'=HYPERLINK")
    assert rows["hostile"]["summary"] == "'-1+1 @SUM(A1) 要約 二行目"
    providers = [
        r["provider"] for r in read_csv(exported["data/program_providers.csv"]) if r["program_slug"] == "hostile"
    ]
    assert providers == ["長野県", "'+cmd"]
    for f in exported.values():
        if f.format == "CSV":
            for row in read_csv(f):
                assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
    assert "'" in exported["data/programs.csv"].format_note, "the data page explains the apostrophe"


def test_csv_cell_formats():
    assert csv_cell(None) == ""
    assert csv_cell(0) == "0"
    assert csv_cell(10.0) == "10"
    assert csv_cell(0.7) == "0.7"
    assert csv_cell(True) == "true"
    assert csv_cell("@x") == "'@x"
    assert csv_cell("\tx") == "'\tx"
    assert csv_cell("a\r\nb") == "a b"
    assert csv_cell("a\rb") == "a b"  # a lone carriage return (old Mac line end) too
    assert csv_cell("a\nb") == "a b"


def test_relation_csvs_are_long_format_and_skip_drafts(exported):
    pairs = [
        (r["program_slug"], r["archetype_id"], r["archetype_name"])
        for r in read_csv(exported["data/program_archetypes.csv"])
    ]
    assert pairs == [
        ("chiiki-johoka-advisor", "producer", "プロデューサー"),
        ("chiiki-johoka-advisor", "engineer", "エンジニア"),
        ("digital-talent-fiscal-measure", "producer", "プロデューサー"),
        ("digital-talent-fiscal-measure", "project_manager", "プロジェクトマネージャー"),
    ]
    case_programs = [(r["case_slug"], r["program_slug"]) for r in read_csv(exported["data/case_programs.csv"])]
    assert case_programs == [("ehime-talent-sharing", "digital-talent-fiscal-measure")], "a draft target is left out"
    assert [
        (r["case_slug"], r["partner_slug"], r["partner_title"]) for r in read_csv(exported["data/case_partners.csv"])
    ] == [("ehime-talent-sharing", "example-corp", "株式会社例")]
    assert [(r["role_slug"], r["program_slug"]) for r in read_csv(exported["data/role_programs.csv"])] == [
        ("municipal-cio-hosakan", "digital-talent-fiscal-measure")
    ]
    tags = {(r["collection"], r["slug"], r["tag"]) for r in read_csv(exported["data/entry_tags.csv"])}
    assert ("cases", "ehime-talent-sharing", "人材シェアリング") in tags and len(tags) == 3
    kinds = [
        (r["kind"], r["kind_label"])
        for r in read_csv(exported["data/program_kinds.csv"])
        if r["program_slug"] == "hostile"
    ]
    assert kinds == [("advisor_dispatch", "アドバイザー派遣"), ("training", "育成・研修")]
    timeline = read_csv(exported["data/case_timeline.csv"])
    assert timeline == [
        {
            "case_slug": "ehime-talent-sharing",
            "position": "1",
            "date": "2022-04-01",
            "date_wareki": "令和4年4月1日",
            "date_text": "令和4年度",
            "event": "枠組みを構築",
        }
    ]
    all_text = b"".join(f.file.data for f in exported.values())
    assert "下書きの制度".encode() not in all_text and b"secret-draft" not in all_text


def test_stale_and_reviewed_in_every_collection(exported):
    for name in ("programs", "partners", "cases", "roles"):
        columns = [c.name for c in exported[f"data/{name}.csv"].columns]
        assert {"reviewed", "reviewed_wareki", "stale"} <= set(columns), name
        for record in json.loads(exported[f"data/{name}.json"].file.data):
            assert isinstance(record["stale"], bool) and "reviewed" in record
    stale = {r["slug"]: r["stale"] for r in read_csv(exported["data/programs.csv"])}
    assert stale == {"chiiki-johoka-advisor": "true", "digital-talent-fiscal-measure": "true", "hostile": "true"}
    assert [r["stale"] for r in read_csv(exported["data/partners.csv"])] == ["true"]
    assert [r["stale"] for r in read_csv(exported["data/cases.csv"])] == ["false"]


def test_sources_and_what_they_cover(exported):
    sources = read_csv(exported["data/entry_sources.csv"])
    hostile = next(r for r in sources if r["slug"] == "hostile")
    assert hostile["publisher"] == "'=発行者", "formula-like text is neutralised here too"
    assert (hostile["accessed"], hostile["accessed_wareki"], hostile["published"]) == (
        "2024-04-01",
        "令和6年4月1日",
        "",
    )
    covers = [
        (r["collection"], r["slug"], r["position"], r["field"])
        for r in read_csv(exported["data/entry_source_covers.csv"])
    ]
    assert covers == [
        ("programs", "digital-talent-fiscal-measure", "1", "terms.fiscal_rate"),
        ("programs", "digital-talent-fiscal-measure", "1", "period.end"),
        ("roles", "municipal-cio-hosakan", "1", "status"),
    ]


def test_json_is_utf8_sorted_with_urls_status_and_resolved_refs(exported):
    data = exported["data/programs.json"].file.data
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\n")
    assert "財政措置".encode() in data, "no ASCII escaping"
    items = json.loads(data)
    assert [p["slug"] for p in items] == ["chiiki-johoka-advisor", "digital-talent-fiscal-measure", "hostile"]
    assert exported["data/programs.json"].records == 3
    program = items[1]
    assert list(program) == sorted(program)
    assert program["url"] == "https://example.jp/dx-catalog/programs/digital-talent-fiscal-measure/"
    assert program["status"] == "active" and program["status_label"] == "実施中"
    assert program["stale"] is True and program["reviewed"] == "2023-10-24" and program["status_as_of"] == "2023-10-24"
    assert program["sources"] == [
        {
            "title": "県・市町村共同によるデジタル人材の確保について",
            "publisher": "長野県企画振興部DX推進課",
            "url": None,
            "published": "2023-10-24",
            "accessed": None,
            "covers": ["terms.fiscal_rate", "period.end"],
        }
    ]
    assert program["archetypes"][0] == {
        "slug": "producer",
        "title": "プロデューサー",
        "url": "https://example.jp/dx-catalog/archetypes/producer/",
    }
    assert program["period"] == {
        "start": "2023-04-01",
        "start_text": "令和5年度",
        "end": "2026-03-31",
        "end_text": "令和7年度",
    }
    assert program["terms"]["fiscal_rate"] == 0.7 and program["terms"]["annual_cap_yen"] == 5600000
    assert program["body"] == "## 対象経費\n\n[事例](../cases/ehime-talent-sharing.md)を参照してください。\n"
    assert items[2]["title"] == HOSTILE, "JSON keeps text as written"
    case = json.loads(exported["data/cases.json"].file.data)[0]
    assert [p["slug"] for p in case["programs"]] == ["digital-talent-fiscal-measure"]
    assert case["partners"][0]["url"] == "https://example.jp/dx-catalog/partners/example-corp/"
    role = json.loads(exported["data/roles.json"].file.data)[0]
    assert role["archetype"]["title"] == "プロデューサー" and role["updated"] == "2025-06-01"
    assert (role["kind"], role["kind_label"], role["status"], role["status_as_of"]) == (
        "real",
        "実例",
        "active",
        "2026-11-26",
    )
    assert role["stale"] is False and "background" not in role
    case = json.loads(exported["data/cases.json"].file.data)[0]
    assert case["reviewed"] == "2026-01-10" and case["stale"] is False


def _as_source(record: dict, schema: dict) -> dict:
    """Turn an exported JSON record back into the shape of a source file.

    Leaves out what the export adds (page url, labels, status, body…), renames
    official_url back to url and turns resolved references back into slugs.
    """
    fields = {k: v for k, v in record.items() if k != "url"}
    if "official_url" in fields:
        fields["url"] = fields.pop("official_url")
    props = schema["properties"]
    return {k: _unresolve(v, props[k]) for k, v in fields.items() if k in props and v is not None}


def _unresolve(value, prop: dict):
    if isinstance(value, dict) and "slug" in value:
        return value["slug"]
    if isinstance(value, dict):
        sub = prop.get("properties", {})
        return {k: v for k, v in value.items() if k in sub and v is not None}
    if isinstance(value, list):
        return [_unresolve(v, prop.get("items", {})) for v in value]
    return value


@pytest.mark.parametrize("name", ["programs", "partners", "cases", "roles"])
def test_json_records_match_the_published_schemas(exported, name):
    schema = json.loads(exported[f"data/schema/{name}.schema.json"].file.data)
    assert schema["$id"] == f"https://example.jp/dx-catalog/data/schema/{name}.schema.json"
    records = json.loads(exported[f"data/{name}.json"].file.data)
    assert records
    for record in records:
        jsonschema.validate(_as_source(record, schema), schema)


def test_archetypes_json_matches_its_schema(exported):
    schema = json.loads(exported["data/schema/archetypes.schema.json"].file.data)
    records = json.loads(exported["data/archetypes.json"].file.data)
    assert [a["id"] for a in records] == ["producer", "project_manager", "service_designer", "engineer"]
    source = [
        {k: v for k, v in a.items() if k in ("id", "name", "summary", "responsibilities", "skills")} for a in records
    ]
    jsonschema.validate(source, schema)


def test_export_is_deterministic():
    first = [(f.file.path, f.file.data) for f in export_data(sample_site("/dx-catalog/", drafts=True))]
    second = [(f.file.path, f.file.data) for f in export_data(sample_site("/dx-catalog/", drafts=True))]
    assert first == second
    assert len({path for path, _ in first}) == len(first), "no two files share a path"


def test_data_file_descriptions(exported):
    for f in exported.values():
        assert f.title and f.description
        assert f.size == len(f.file.data) > 0
    assert "BOM" in exported["data/programs.csv"].format_note
    assert exported["data/programs.ics"].records == 3
    assert exported["data/programs.csv"].path == "data/programs.csv"
    assert exported["data/programs.csv"].encoding == "UTF-8（BOM付き）"
    assert exported["data/programs.json"].encoding == "UTF-8"


def test_update_dates_come_from_content(exported):
    assert exported["data/programs.csv"].updated == date(2024, 4, 1), "newest program; the draft is ignored"
    assert exported["data/case_programs.csv"].updated == date(2023, 10, 24)
    assert exported["data/entry_tags.csv"].updated == date(2025, 6, 1), "all entries"
    assert exported["data/programs.ics"].updated == date(2024, 4, 1)
    assert exported["data/programs.json"].updated == date(2024, 4, 1)
    assert exported["data/schema/programs.schema.json"].updated is None


# --- the real content ----------------------------------------------------------------


def test_real_content_exports_match_content_and_schemas(real_site):
    exported = files_by_path(real_site)
    for name in ("programs", "partners", "cases", "roles"):
        entries = [e for e in real_site.collection(name) if not e.draft]
        rows = read_csv(exported[f"data/{name}.csv"])
        assert [r["slug"] for r in rows] == [e.slug for e in entries]
        assert [r["title"] for r in rows] == [csv_cell(e.title) for e in entries]
        schema = json.loads(exported[f"data/schema/{name}.schema.json"].file.data)
        records = json.loads(exported[f"data/{name}.json"].file.data)
        assert [r["slug"] for r in records] == [e.slug for e in entries]
        for record in records:
            jsonschema.validate(_as_source(record, schema), schema)
    statuses = {r["slug"]: r["status"] for r in read_csv(exported["data/programs.csv"])}
    assert statuses == {p.slug: real_site.status(p) for p in real_site.programs}
    pairs = {(r["program_slug"], r["archetype_id"]) for r in read_csv(exported["data/program_archetypes.csv"])}
    assert pairs == {(p.slug, a) for p in real_site.programs for a in p.archetypes}
    case_programs = {(r["case_slug"], r["program_slug"]) for r in read_csv(exported["data/case_programs.csv"])}
    assert case_programs == {(c.slug, p) for c in real_site.cases for p in c.programs}
    events = sum((p.period.start is not None) + (p.period.end is not None) for p in real_site.programs)
    assert exported["data/programs.ics"].records == events


# --- what each data file says about itself (the data page lists it) ------------------------------


def test_each_data_file_has_its_media_type_format_and_record_count(exported):
    kinds = {".csv": ("text/csv; charset=utf-8", "CSV"), ".ics": ("text/calendar", "iCalendar")}
    for path, f in exported.items():
        if path.startswith("data/schema/"):
            media, form = "application/schema+json", "JSON Schema"
        elif path.endswith(".json"):
            media, form = "application/json", "JSON"
        else:
            media, form = kinds[path[path.rindex(".") :]]
        assert (f.path, f.file.media_type, f.format) == (path, media, form), path
        if form == "CSV":
            assert f.records == len(read_csv(f)), path
        elif form == "JSON":
            assert f.records == len(json.loads(f.file.data)), path
        elif form == "JSON Schema":
            assert f.records is None and f.updated is None and f.columns == ()
            assert json.loads(f.file.data)["$id"] == f"https://example.jp/dx-catalog/{path}"


def test_encode_json_one_record_a_line_or_indented():
    from generator.output.exports import encode_json

    assert encode_json([]) == b"[]\n"
    assert encode_json([{"b": 1, "a": "日本"}, {"c": None}]) == '[\n{"a": "日本", "b": 1},\n{"c": null}\n]\n'.encode()
    assert encode_json({"b": [1], "a": "日本"}) == '{\n  "a": "日本",\n  "b": [\n    1\n  ]\n}\n'.encode()


def test_csv_cell_of_a_text_subclass():
    class Text(str):
        pass

    assert csv_cell(Text("=1+1")) == "'=1+1"
    assert csv_cell(Text("a\nb")) == "a b"
    assert csv_cell(Text("ok")) == "ok"
    assert csv_cell(False) == "false"


def test_the_calendar_file_is_one_whole_calendar(exported):
    """What a calendar app subscribes to: one VCALENDAR holding one VEVENT per start or end day."""
    calendar = exported["data/programs.ics"]
    text = calendar.file.data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert text.count("BEGIN:VCALENDAR") == text.count("END:VCALENDAR") == 1
    assert text.count("BEGIN:VEVENT") == calendar.records > 0
    assert calendar.columns == ()  # the data page lists no columns for it
    assert calendar.title == "支援制度の期間（iCalendar）"
    assert calendar.description == (
        "支援制度の実施期間の開始日と終了日を終日の予定にしたカレンダーです（RFC 5545）。"
        "カレンダーアプリでこのURLを購読すると、制度の終了日などを確認できます。"
    )


def test_encode_csv_writes_the_header_then_each_row_by_the_csv_rules():
    from generator.output.exports import encode_csv

    assert (
        encode_csv(["name", "rate"], [["=1+1", 0.5], ["a\nb", None]])
        == "\ufeffname,rate\r\n'=1+1,0.5\r\na b,\r\n".encode()
    )


def test_the_data_page_says_how_json_files_are_written_and_names_each_schema(exported):
    from generator.output.exports import JSON_NOTE

    programs = exported["data/programs.json"]
    assert (programs.format_note, programs.columns) == (JSON_NOTE, ())
    titles = [f.title for path, f in exported.items() if path.startswith("data/schema/")]
    assert titles == [
        f"{label}のスキーマ（JSON Schema）" for label in ("支援制度", "連携企業", "事例", "人材の役割", "人材像")
    ]
    schema = exported["data/schema/cases.schema.json"]
    assert schema.description == (
        "事例の元データ（content/ のファイル）の項目と値の決まりを JSON Schema（2020-12）で記述したものです。"
        "JSON の書き出しでは、参照が slug・title・url のオブジェクトに、公式ページの url が official_url に、"
        "日付が西暦になり、ページの url などが加わります。"
    )


def _data_page_entry(f: DataFile) -> str:
    """What the data page says of a file (its view): title, format, size, count, dates, every column's meaning."""
    v = f.view()
    head = f"{v.path}\t{v.title}\t{v.format}\t{v.size_text}\t{v.records}\t{v.updated}\t{v.encoding}\n"
    lines = [f"  {v.description}\n", *(f"  - {c.name}: {c.description}\n" for c in v.columns)]
    return head + "".join(lines) + (f"  note: {v.format_note}\n" if v.format_note else "")


def test_the_fixture_sites_data_files_and_data_page_match_their_golden_files():
    """What a data user downloads, byte for byte (every column, value and JSON key, the published
    schemas, the calendar), and what the data page says of each file (data-page.txt), for a small
    site of every collection."""
    loaded = load(FIXTURE, as_of=date(2026, 11, 26), use_cache=False)
    assert loaded.site is not None
    files = export_data(loaded.site)
    built = {f.path.removeprefix("data/"): f.file.data for f in files if f.file is not None}
    built["data-page.txt"] = "".join(_data_page_entry(f) for f in files).encode("utf-8")
    if update_requested("UPDATE_GOLDEN"):
        stale = {
            path: None
            for path in GOLDEN.rglob("*")
            if path.is_file() and path.relative_to(GOLDEN).as_posix() not in built
        }
        rewrite("UPDATE_GOLDEN", {**stale, **{GOLDEN / path: data for path, data in built.items()}})
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(golden), "the set of data files changed; see the module's docstring to update"
    for path in sorted(built):
        diff = difflib.unified_diff(
            golden[path].decode("utf-8").splitlines(True), built[path].decode("utf-8").splitlines(True), path, path
        )
        assert built[path] == golden[path], "".join(diff)


def test_a_build_with_drafts_exports_no_draft_nor_a_reference_to_one():
    """`catalog build --drafts` and the preview link drafts (they are in the site's index), but the
    data files are the public catalog: a case's reference to a draft program is left out there too."""
    site = sample_site(drafts=True)
    drafts = [e for e in site.entries() if e.draft]
    assert [e.slug for e in drafts] == ["secret-draft"]
    assert "programs/secret-draft" in site.index  # linked: a build with drafts shows it
    exported = files_by_path(site)
    assert [(r["case_slug"], r["program_slug"]) for r in read_csv(exported["data/case_programs.csv"])] == [
        ("ehime-talent-sharing", FISCAL)
    ]
    case = json.loads(exported["data/cases.json"].file.data)[0]
    assert [p["slug"] for p in case["programs"]] == [FISCAL]
    assert all(b"secret-draft" not in f.file.data for f in exported.values())


def test_every_kind_and_model_the_schemas_allow_has_its_label():
    """The exports' *_label columns name each code in Japanese; a code without one would show as itself."""
    schemas = Path(__file__).resolve().parents[2] / "generator" / "content" / "schemas"
    kinds = json.loads((schemas / "programs.schema.json").read_text("utf-8"))["properties"]["kinds"]
    models = json.loads((schemas / "cases.schema.json").read_text("utf-8"))["properties"]["models"]
    assert set(kinds["items"]["enum"]) == set(KIND_LABELS)
    assert set(models["items"]["enum"]) == set(MODEL_LABELS)
