"""The benchmark corpus generator and the pieces of the harness that are not timings."""

from __future__ import annotations

import os
import sys

import pytest
import yaml
from conftest import CHECK_AS_OF

from benchmarks.corpus import BODY_MAX, BODY_MIN, counts, generate, write_corpus
from benchmarks.hugo import convert_entry
from benchmarks.run import Sample, Summary, output_size, timed
from generator.cli import main as catalog
from generator.content.privacy import find_contact_details
from generator.pipeline import load

SMALL = 40


@pytest.fixture(scope="module")
def small_corpus() -> dict[str, str]:
    return generate(SMALL, seed=7)


def _entry_files(files: dict[str, str]) -> dict[str, str]:
    return {
        path: text for path, text in files.items() if path.count("/") == 2 and not path.startswith("content/pages/")
    }


def _body(text: str) -> str:
    return text.split("---\n", 2)[2]


def test_same_entries_and_seed_give_identical_files(small_corpus):
    assert generate(SMALL, seed=7) == small_corpus
    assert generate(SMALL, seed=8) != small_corpus


def test_written_corpus_is_byte_identical(tmp_path, small_corpus):
    write_corpus(small_corpus, tmp_path / "a", entries=SMALL, seed=7)
    write_corpus(generate(SMALL, seed=7), tmp_path / "b", entries=SMALL, seed=7)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)


def test_requested_count_spread_over_the_four_collections(small_corpus):
    per_collection = {name: 0 for name in ("programs", "partners", "cases", "roles")}
    for path in _entry_files(small_corpus):
        per_collection[path.split("/")[1]] += 1
    assert per_collection == counts(SMALL) == {"programs": 6, "partners": 4, "cases": 14, "roles": 16}
    assert counts(10_000) == {"programs": 1500, "partners": 1000, "cases": 3500, "roles": 4000}
    assert {
        "content/site.yaml",
        "content/archetypes.yaml",
        "content/pages/about.md",
        "content/pages/accessibility.md",
    } <= set(small_corpus)


def test_bodies_are_two_to_four_kilobytes(small_corpus):
    sizes = [len(_body(text).encode("utf-8")) for text in _entry_files(small_corpus).values()]
    assert len(sizes) == SMALL
    assert all(BODY_MIN <= size <= BODY_MAX for size in sizes), sizes


def test_entries_refer_to_each_other(small_corpus):
    entries = _entry_files(small_corpus)
    cases = [
        yaml.safe_load(text.split("---\n", 2)[1]) for path, text in entries.items() if path.startswith("content/cases/")
    ]
    assert all(case["programs"] for case in cases)
    assert any("](../programs/" in _body(text) for text in entries.values())


def test_roles_have_no_contact_details(small_corpus):
    roles = [text for path, text in small_corpus.items() if path.startswith("content/roles/")]
    assert roles
    assert [find_contact_details(text) for text in roles] == [()] * len(roles)


def test_small_corpus_loads_without_any_problem_and_builds(tmp_path, small_corpus):
    project = tmp_path / "project"
    write_corpus(small_corpus, project, entries=SMALL, seed=7)
    loaded = load(project, as_of=CHECK_AS_OF, use_cache=False)
    assert [p.format() for p in loaded.problems] == []
    assert loaded.site is not None and len(loaded.site.entries()) == SMALL

    code = catalog(
        [
            "build",
            "--project",
            str(project),
            "--output",
            str(project / "site"),
            "--as-of",
            "2026-11-26",
            "--no-search",
            "--quiet",
        ]
    )
    assert code == 0
    first_case = sorted((project / "content" / "cases").glob("*.md"))[0].stem
    assert (project / "site" / "cases" / first_case / "index.html").is_file()


def test_write_corpus_refuses_a_content_folder_it_did_not_write(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_corpus(generate(4), tmp_path, entries=4, seed=1)
    assert (tmp_path / "content" / "site.yaml").read_text(encoding="utf-8") == "title: mine\n"


def test_rewriting_a_corpus_replaces_its_content(tmp_path):
    write_corpus(generate(40), tmp_path, entries=40, seed=1)
    write_corpus(generate(8), tmp_path, entries=8, seed=1)
    assert len(list((tmp_path / "content").glob("*/*.md"))) == 8 + 2


def test_hugo_entry_keeps_title_date_tags_and_links_to_hugo_urls():
    text = (
        "---\ntitle: 県と市町村の共同採用\nsummary: 要約です。\nupdated: 令和8年4月1日\ntags:\n- 共同採用\nprefecture: 長野県\n---\n"
        "詳しくは[制度](../programs/nagano-dx-advisor-00001.md)をご覧ください。\n"
    )
    converted = convert_entry(text)
    front = yaml.safe_load(converted.split("---\n", 2)[1])
    assert front == {
        "title": "県と市町村の共同採用",
        "date": "2026-04-01",
        "summary": "要約です。",
        "tags": ["共同採用"],
    }
    assert converted.endswith("詳しくは[制度](/programs/nagano-dx-advisor-00001/)をご覧ください。\n")


def test_output_size_counts_hard_links_once_on_disk(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 5000)
    os.link(tmp_path / "a" / "index.html", tmp_path / "copy.html")
    (tmp_path / "data.json").write_bytes(b"{}")
    size = output_size(tmp_path)
    assert (size["files"], size["html_pages"], size["bytes"]) == (3, 2, 10002)
    single = os.lstat(tmp_path / "copy.html").st_blocks * 512 + os.lstat(tmp_path / "data.json").st_blocks * 512
    assert size["disk_bytes"] == single


def test_summary_reports_median_min_max_and_largest_peak():
    samples = [Sample(3.0, 100.0, 0, 5.0), Sample(1.0, 300.0, 0, 1.5), Sample(2.0, 200.0, 0, 3.5)]
    summary = Summary.of(samples)
    assert (summary.median_s, summary.min_s, summary.max_s, summary.max_rss_mb) == (2.0, 1.0, 3.0, 300.0)
    assert summary.cpu_median_s == 3.5
    assert summary.samples_s == (3.0, 1.0, 2.0)


def test_timed_reports_the_exit_code_of_the_child(tmp_path):
    failed = timed([sys.executable, "-c", "import sys; sys.exit(3)"], log=tmp_path / "log")
    assert failed.exit_code == 3
    ok = timed([sys.executable, "-c", "print('x', file=__import__('sys').stderr)"], log=tmp_path / "log")
    assert ok.exit_code == 0 and ok.max_rss_mb > 0
    assert (tmp_path / "log").read_text() == "x\n"


def test_the_bare_loop_writes_one_page_per_entry_on_two_processes(tmp_path, small_corpus):
    from benchmarks.floor import bare_loop, entry_files

    project = tmp_path / "project"
    write_corpus(small_corpus, project, entries=SMALL, seed=7)
    out = tmp_path / "out"
    assert bare_loop(project, out, 2) == len(entry_files(project)) == len(_entry_files(small_corpus))
    page = next(out.glob("cases/*/index.html")).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h2" in page


def test_two_generators_each_import_their_own_tree_and_are_compared(tmp_path):
    """--generator twice: each build runs with its own tree first on PYTHONPATH; the report compares the medians."""
    from benchmarks.run import format_report, use_generator

    trees = []
    for name in ("before", "after"):
        root = tmp_path / name
        (root / "generator").mkdir(parents=True)
        (root / "generator" / "__init__.py").write_text('__version__ = "0.1.0"\n', "utf-8")
        trees.append(use_generator(root))
    assert [g.env["PYTHONPATH"].split(":")[0] for g in trees] == [str(tmp_path / "before"), str(tmp_path / "after")]
    assert [g.theme for g in trees] == [tmp_path / n / "themes" / "default" for n in ("before", "after")]

    def summary(seconds: float) -> dict:
        return {"median_s": seconds, "min_s": seconds, "max_s": seconds, "max_rss_mb": 50.0, "samples_s": (seconds,)}

    catalogs = [{"no-search": {"cold": summary(2.0)}}, {"no-search": {"cold": summary(1.5)}}]
    size = {"entries": 4, "corpus_bytes": 1000, "catalog": catalogs[0], "output": {}}
    size["generators"] = [{"source": str(t.root), "catalog": c, "output": {}} for t, c in zip(trees, catalogs)]
    env = {"generator_version": "0.1.0", "commit": "", "generator_source": "x", "uncommitted_changes": False}
    env |= {"python": "3.11", "cpus": 2, "date": "2026-12-06", "load_average_at_start": [1.0, 1.0, 1.0]}
    report = {"environment": env, "label": "", "hugo": None, "runs": 1, "sizes": [size]}
    report |= {"total_seconds": 1.0, "load_average_at_end": [1.0, 1.0, 1.0]}
    text = format_report(report)
    assert f"[1] {tmp_path / 'before'}" in text and f"[2] {tmp_path / 'after'}" in text
    assert "| catalog cold (no-search)             |     2.00 |     1.50 |   0.75 |" in text
