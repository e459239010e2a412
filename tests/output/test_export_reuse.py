"""Incremental data exports give exactly the bytes of a cold export, and do less work.

The Site is the sample site of factories.py (``sample_site``, with its draft); the previous build's
output folder is a dict of path → bytes, and the content hash of each entry is
the hash of its value (any change of the entry changes it, as the hash of its
source file does in a real build).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from factories import FISCAL, fd, sample_site

from generator.model import Archetype, Period, Program, Site
from generator.output import exports, ical
from generator.output.export_rows import ID_SIZE, Layout, Reuse
from generator.output.exports import DataFile, export_data


def hashes_of(site: Site) -> dict[str, str]:
    return {e.key: hashlib.sha256(repr(e).encode()).hexdigest() for e in (*site.archetypes, *site.entries())}


class Output:
    """The previous build's output folder, as the writer would leave it."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.layouts: dict[str, Layout] = {}
        self.reads: list[str] = []

    def build(self, site: Site) -> tuple[DataFile, ...]:
        reuse = Reuse(hashes_of(site), dict(self.layouts), self.read, self.digest)
        made = export_data(site, reuse)
        for d in made:
            if d.file is not None:
                self.files[d.path] = d.file.data
            else:
                assert d.path in self.files, f"{d.path} kept, but there is no previous file"
        self.layouts = {d.path: d.layout for d in made if d.layout is not None}
        return made

    def read(self, path: str) -> bytes | None:
        self.reads.append(path)
        return self.files.get(path)

    def digest(self, path: str) -> str | None:
        data = self.files.get(path)
        return hashlib.sha256(data).hexdigest() if data is not None else None


def described(files: tuple[DataFile, ...]) -> list[DataFile]:
    """What the data page shows of each file (its bytes compared separately)."""
    return [replace(d, file=None, layout=None) for d in files]


def assert_same_as_cold(output: Output, made: tuple[DataFile, ...], site: Site) -> None:
    cold = export_data(site)
    assert described(made) == described(cold)
    for d in cold:
        assert d.file is not None
        assert output.files[d.path] == d.file.data, d.path


def with_programs(site: Site, *programs: Program) -> Site:
    index = {k: v for k, v in site.index.items() if not k.startswith("programs/")}
    index |= {p.key: p for p in programs if not p.draft}
    return replace(site, programs=programs, index=index)


def retitled(site: Site, key: str, title: str) -> Site:
    collection = key.split("/", 1)[0]
    if collection == "archetypes":
        archetypes = tuple(replace(a, name=title) if a.key == key else a for a in site.archetypes)
        return replace(site, archetypes=archetypes, index={**site.index, key: replace(site.index[key], name=title)})
    entries = tuple(replace(e, title=title) if e.key == key else e for e in site.collection(collection))
    index = {**site.index, key: next(e for e in entries if e.key == key)}
    return replace(site, **{collection: entries}, index=index)


def changed(site: Site, collection: str, slug: str, **fields: Any) -> Site:
    entries = tuple(replace(e, **fields) if e.slug == slug else e for e in site.collection(collection))
    index = {k: v for k, v in site.index.items() if not k.startswith(f"{collection}/")}
    index |= {e.key: e for e in entries if not e.draft}
    return replace(site, **{collection: entries}, index=index)


def extra_program(slug: str, title: str = "追加した制度") -> Program:
    return Program(
        collection="programs",
        slug=slug,
        path=f"content/programs/{slug}.md",
        title=title,
        summary="あとから加えた制度です。",
        provider=("長野県",),
        level="prefecture",
        kinds=("training",),
        archetypes=("engineer",),
        tags=("研修",),
        period=Period(end=fd("2027-03-31", "令和8年度", "fiscal_year_end")),
    )


BASE = sample_site(
    "/dx-catalog/", drafts=True, extra_programs=(extra_program("kensyu-a", "研修A"), extra_program("kensyu-b", "研修B"))
)

EDITS = {
    "a program's summary": lambda s: changed(s, "programs", "kensyu-a", summary="書き換えた要約です。"),
    "a case's body": lambda s: changed(s, "cases", "ehime-talent-sharing", body="書き換えた本文です。"),
    "the title of a program others refer to": lambda s: retitled(s, f"programs/{FISCAL}", "改名した財政措置"),
    "the title of a partner a case refers to": lambda s: retitled(s, "partners/example-corp", "改名した株式会社"),
    "the name of an archetype": lambda s: retitled(s, "archetypes/project_manager", "PM"),
    "a referenced program made a draft": lambda s: changed(s, "programs", FISCAL, draft=True),
    "a draft program published": lambda s: changed(s, "programs", "secret-draft", draft=False),
    "a program's period moved (its events change places)": lambda s: changed(
        s, "programs", "kensyu-b", period=Period(fd("2020-04-01"), fd("2021-03-31"))
    ),
    "a reference dropped": lambda s: changed(s, "cases", "ehime-talent-sharing", programs=("secret-draft",)),
    "a program deleted": lambda s: with_programs(s, *(p for p in s.programs if p.slug != "kensyu-a")),
    "a program added": lambda s: with_programs(s, *s.programs, extra_program("kensyu-c", "研修C")),
    "a program renamed": lambda s: with_programs(
        s,
        *(
            replace(p, slug="kensyu-z", path="content/programs/kensyu-z.md") if p.slug == "kensyu-a" else p
            for p in s.programs
        ),
    ),
    "every program deleted": lambda s: changed(with_programs(s), "cases", "ehime-talent-sharing", programs=()),
}


@pytest.mark.parametrize("name", EDITS)
def test_an_incremental_export_equals_a_cold_export(name: str) -> None:
    output = Output()
    output.build(BASE)
    site = EDITS[name](BASE)
    made = output.build(site)
    assert_same_as_cold(output, made, site)
    # and once more, from a folder that was itself built incrementally
    assert_same_as_cold(output, output.build(BASE), BASE)


def test_an_unchanged_site_keeps_every_data_file_without_reading_it() -> None:
    output = Output()
    first = output.build(BASE)
    again = output.build(BASE)
    remade = [d.path for d in again if d.file is not None]
    assert remade == [d.path for d in first if d.path.startswith("data/schema/")]
    assert output.reads == []
    assert described(again) == described(first)


class Touched:
    """Records the records whose rows or JSON object an export computes, by table."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: set[tuple[str, str]] = set()

        def counting(table: Any) -> Any:
            def rows_of(site: Site, record: Any) -> Any:
                self.seen.add((f"{table.name}.csv", record.key))
                return table.rows_of(site, record)

            def json_of(site: Site, record: Any) -> Any:
                self.seen.add((f"{table.name}.json", record.key))
                return table.json_of(site, record)

            return replace(table, rows_of=rows_of, json_of=json_of if table.json_of else None)

        monkeypatch.setattr(exports, "TABLES", tuple(counting(t) for t in exports.TABLES))
        monkeypatch.setattr(exports, "RELATIONS", tuple(counting(t) for t in exports.RELATIONS))
        date_event = ical.date_event

        def counting_event(site: Site, when: ical.ProgramDate) -> ical.AllDayEvent:
            self.seen.add((f"programs.ics#{when.which}", when.program.key))
            return date_event(site, when)

        monkeypatch.setattr(ical, "date_event", counting_event)

    def keys(self) -> set[str]:
        return {key for _, key in self.seen}


def test_an_edit_encodes_only_the_edited_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    output = Output()
    output.build(BASE)
    touched = Touched(monkeypatch)
    site = changed(BASE, "programs", "kensyu-a", summary="書き換えた要約です。")
    made = output.build(site)
    assert touched.keys() == {"programs/kensyu-a"}
    assert {("programs.json", "programs/kensyu-a"), ("programs.ics#end", "programs/kensyu-a")} <= touched.seen
    remade = {d.path for d in made if d.file is not None} - {d.path for d in made if d.path.startswith("data/schema/")}
    # The summary is shown in both program tables and in the calendar's event descriptions.
    assert remade == {"data/programs.json", "data/programs.csv", "data/programs.ics"}
    assert_same_as_cold(output, made, site)


def test_retitling_an_entry_reencodes_the_entries_that_show_its_title(monkeypatch: pytest.MonkeyPatch) -> None:
    output = Output()
    output.build(BASE)
    touched = Touched(monkeypatch)
    site = retitled(BASE, f"programs/{FISCAL}", "改名した財政措置")
    made = output.build(site)
    assert touched.keys() == {f"programs/{FISCAL}", "cases/ehime-talent-sharing", "roles/municipal-cio-hosakan"}
    assert "改名した財政措置".encode() in output.files["data/case_programs.csv"]
    assert_same_as_cold(output, made, site)


@pytest.mark.parametrize("path", ["data/programs.json", "data/cases.csv", "data/programs.ics"])
def test_a_changed_previous_file_is_never_trusted(path: str) -> None:
    output = Output()
    output.build(BASE)
    data = output.files[path]
    output.files[path] = data[:-2] + b"X" + data[-1:]  # same size, one byte changed by hand
    made = output.build(BASE)
    assert_same_as_cold(output, made, BASE)
    site = changed(BASE, "programs", "kensyu-b", summary="別の要約です。")  # the spliced path too
    output.files[path] = data[:-2] + b"X" + data[-1:]
    made = output.build(site)
    assert_same_as_cold(output, made, site)


def test_a_missing_previous_file_is_made_again() -> None:
    output = Output()
    output.build(BASE)
    del output.files["data/roles.json"]
    made = output.build(BASE)
    assert next(d for d in made if d.path == "data/roles.json").file is not None
    assert_same_as_cold(output, made, BASE)


def spans(layout: Layout) -> dict[bytes, tuple[int, int]]:
    return layout.spans()


@pytest.mark.parametrize("name", EDITS)
def test_a_record_whose_hash_is_unchanged_shows_the_same_bytes(name: str) -> None:
    """The hash of a record covers everything its rows show, in every table.

    A column that showed something else (say, how many cases use a program)
    would make this fail for the edits that change that, before any stale row
    could reach a user.
    """
    before = {d.path: d for d in Output().build(BASE)}
    after = {d.path: d for d in Output().build(EDITS[name](BASE))}
    compared = 0
    for path, old in before.items():
        new = after[path]
        if old.layout is None or new.layout is None:
            continue
        assert old.file is not None and new.file is not None
        old_spans, new_spans = spans(old.layout), spans(new.layout)
        for group in old_spans.keys() & new_spans.keys():
            (a, b), (c, d) = old_spans[group], new_spans[group]
            assert old.file.data[a:b] == new.file.data[c:d], path
            compared += 1
    assert compared > 0


def test_a_layout_holds_hashes_and_offsets_not_bytes() -> None:
    made = Output().build(BASE)
    cases = next(d for d in made if d.path == "data/cases.json")
    assert cases.layout is not None and cases.file is not None
    assert len(cases.layout.ids) == ID_SIZE * len(BASE.cases)
    assert "県と20市町によるデジタル人材シェアリング".encode() not in repr(cases.layout).encode()
    assert cases.layout.size == len(cases.file.data)
    assert cases.layout.digest == hashlib.sha256(cases.file.data).hexdigest()


def test_records_without_a_content_hash_are_always_encoded() -> None:
    """A record the pipeline has no hash for (none in a real build) is never taken from the previous file."""
    output = Output()
    output.build(BASE)
    site = changed(BASE, "programs", "kensyu-a", summary="書き換えた要約です。")
    hashes = {k: v for k, v in hashes_of(site).items() if k != "programs/kensyu-a"}
    made = export_data(site, Reuse(hashes, output.layouts, output.read, output.digest))
    programs = next(d for d in made if d.path == "data/programs.json")
    assert programs.file is not None and programs.layout is None
    assert programs.file.data == next(d for d in export_data(site) if d.path == "data/programs.json").file.data  # type: ignore[union-attr]


def test_archetypes_are_records_too() -> None:
    output = Output()
    output.build(BASE)
    site = retitled(BASE, "archetypes/engineer", "技術者")
    made = output.build(site)
    kept = {d.path for d in made if d.file is None}
    assert "data/partners.json" in kept and "data/archetypes.json" not in kept
    assert isinstance(site.get("archetypes/engineer"), Archetype)
    assert_same_as_cold(output, made, site)
