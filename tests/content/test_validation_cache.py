"""The validation cache gives exactly what validating again gives.

Each test validates a project (filling the cache), changes files the way an
editor (or a careless tool) would, and checks that the results read from the
cache equal those of a validation without any cache, problems included.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from benchmarks.corpus import generate, write_corpus
from generator.content.batch import validate_files
from generator.content.discover import SourceFile, discover
from generator.content.validate import validate_site_config
from generator.incremental import store as cache

AS_OF = date(2026, 11, 26)
ENTRIES = 30


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    write_corpus(generate(ENTRIES, seed=3), folder, entries=ENTRIES, seed=3)
    return folder


def validate(project: Path, **options):
    found = discover(project)
    config = next(validate_site_config(s).config for s in found.files if s.kind == "site")
    sources = [s for s in found.files if s.kind not in ("site", "archetypes")]
    return validate_files(project, sources, config, AS_OF, **{"parallel": False, **options})


def assert_cache_gives_cold_results(project: Path) -> None:
    warm = validate(project)
    again = validate(project)  # every result now read from the cache
    cold = validate(project, use_cache=False)
    assert warm.results == cold.results
    assert again.results == cold.results
    assert again.hashes == cold.hashes
    assert [r.located.entry.body for r in again.results if r.located] == [
        r.located.entry.body for r in cold.results if r.located
    ]


def entry_files(project: Path) -> list[Path]:
    return sorted((project / "content/cases").glob("*.md"))


def test_unchanged_files_come_from_the_cache_as_they_were(project: Path) -> None:
    assert_cache_gives_cold_results(project)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda text: text + "\n追記の文。\n", id="body-grows"),
        pytest.param(lambda text: text.replace("title: ", "title: 長い長い前置き ", 1), id="front-matter-grows"),
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda text: "\ufeff" + text, id="bom"),
        pytest.param(lambda text: text[: text.index("\n---\n", 4) + 5], id="empty-body"),
        pytest.param(lambda text: text.replace("title: ", "title: [", 1), id="broken-yaml"),
    ],
)
def test_an_edited_file_is_validated_again(project: Path, change) -> None:
    validate(project)
    path = entry_files(project)[3]
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    assert_cache_gives_cold_results(project)


def test_files_swapped_under_each_others_names(project: Path) -> None:
    # Same bytes as before, at other paths: a body stored by reference must come from the right file.
    validate(project)
    first, second = entry_files(project)[:2]
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    assert_cache_gives_cold_results(project)


def test_a_body_is_kept_once_not_in_the_cache(project: Path) -> None:
    """A body that is the end of its file is read back from the file; a CRLF file's body is stored."""
    path = entry_files(project)[0]
    crlf = entry_files(project)[1]
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    results = {r.source.path: r for r in validate(project).results}
    cached = b"".join(p.read_bytes() for p in (project / cache.CACHE_DIR).glob("validate-*.pickle"))
    plain_body = results[path.relative_to(project).as_posix()].located.entry.body
    crlf_body = results[crlf.relative_to(project).as_posix()].located.entry.body
    assert len(plain_body) > 100 and plain_body.encode() not in cached
    assert "\r" not in crlf_body and crlf_body.encode() in cached


def test_discovery_hashes_each_file_as_the_caches_do(project: Path) -> None:
    found = discover(project)
    assert found.files and all(s.digest == cache.digest(s.data) == s.content_hash for s in found.files)
    assert SourceFile("content/cases/x.md", "cases", "x", b"abc").content_hash == cache.digest(b"abc")


def with_body(text: str, body: str) -> str:
    return text[: text.index("\n---\n", 4) + 5] + body


def same_shard(project: Path, count: int) -> list[Path]:
    """``count`` new case files that the cache keeps in one shard (one pickle)."""
    from generator.incremental.validation import _shard

    model = entry_files(project)[0].read_text(encoding="utf-8")
    by_shard: dict[int, list[Path]] = {}
    for n in range(1000):
        path = project / f"content/cases/same-shard-{n}.md"
        group = by_shard.setdefault(_shard(path.relative_to(project).as_posix()), [])
        group.append(path)
        if len(group) == count:
            for made in group:
                made.write_text(model, encoding="utf-8")
            return group
    raise AssertionError("no shard")


def test_equal_bodies_in_one_shard(project: Path) -> None:
    # Equal short strings may be one object in memory: a body stored by reference
    # must never stand for another file's body.
    first, second, third = same_shard(project, 3)
    for path, body in ((first, "x"), (second, "x"), (third, "同じ本文です。" * 40)):
        path.write_text(with_body(path.read_text(encoding="utf-8"), body), encoding="utf-8")
    validate(project)
    second.write_text(with_body(second.read_text(encoding="utf-8"), "変えました。"), encoding="utf-8")
    assert_cache_gives_cold_results(project)
    first.write_text(with_body(first.read_text(encoding="utf-8"), "同じ本文です。" * 40), encoding="utf-8")
    assert_cache_gives_cold_results(project)
    third.write_text(with_body(third.read_text(encoding="utf-8"), "変えました。"), encoding="utf-8")
    assert_cache_gives_cold_results(project)
    second.unlink()
    assert_cache_gives_cold_results(project)


def test_results_from_workers_equal_those_made_here(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.content import batch
    from generator.parallel import forking

    monkeypatch.setattr(batch, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(forking, "cores", lambda: 2)
    monkeypatch.setattr(forking, "can_fork", lambda: True)  # whatever threads earlier tests left
    forked = validate(project, use_cache=False, parallel=True)
    here = validate(project, use_cache=False)
    assert forked.results == here.results
    validate(project, parallel=True)  # fills the cache with the workers' (shared) results
    assert validate(project).results == here.results


def test_problems_of_unchanged_files_come_out_as_in_a_cold_check(project: Path) -> None:
    """Deleting entries breaks references and body links in files that did not change:
    their positions and link targets come from the cache, the messages are the same."""
    from generator.pipeline import load

    def check(**options) -> list[str]:
        return [p.format() for p in load(project, as_of=AS_OF, parallel=False, **options).problems]

    assert check() == check(use_cache=False)
    programs = sorted((project / "content/programs").glob("*.md"))
    cases = entry_files(project)
    linked = next(p for p in programs if any(f"programs/{p.stem}" in c.read_text(encoding="utf-8") for c in cases))
    linked.unlink()
    cases[-1].unlink()
    warm = check()
    assert warm == check(use_cache=False)
    assert any("unknown-reference" in line or "unknown-link" in line for line in warm)
