"""Which shard of the search index each page goes to (pure, literal data)."""

from __future__ import annotations

import pytest

from generator.output.search_shards import (
    SHARD_LIMIT,
    SPLIT_FROM,
    Shard,
    group_of,
    plan_shards,
    sort_runs,
    sort_values,
    sub_shard_count,
    sub_shard_of,
)


def page(collection: str, slug: str) -> str:
    return f"{collection}/{slug}/index.html"


SITE = (
    "about/index.html",
    "accessibility/index.html",
    "archetypes/engineer/index.html",
    page("cases", "nagano"),
    page("partners", "hitachi"),
    page("programs", "advisor"),
    page("programs", "partner"),
    page("roles", "cio"),
    page("roles", "engineer"),
    page("roles", "designer"),
)


def test_defaults():
    assert SHARD_LIMIT == 2_000
    assert SPLIT_FROM == 1_000


def test_a_small_site_is_one_shard_in_the_index_folder():
    assert plan_shards(SITE) == (Shard("all", tuple(sorted(SITE))),)
    assert plan_shards(SITE)[0].folder == ""


def test_a_split_site_has_a_shard_per_collection_and_one_for_the_other_pages():
    shards = plan_shards(SITE, split_from=0)
    assert [(s.name, s.folder) for s in shards] == [
        ("other", ""),
        ("programs", "programs/"),
        ("partners", "partners/"),
        ("cases", "cases/"),
        ("roles", "roles/"),
    ]
    assert shards[0].pages == ("about/index.html", "accessibility/index.html", "archetypes/engineer/index.html")
    assert shards[4].pages == (page("roles", "cio"), page("roles", "designer"), page("roles", "engineer"))
    # Every page is in exactly one shard.
    assert sorted(p for s in shards for p in s.pages) == sorted(SITE)


def test_the_split_starts_at_split_from():
    assert len(plan_shards(SITE, split_from=11)) == 1
    assert len(plan_shards(SITE, split_from=10)) == 5


def test_an_empty_collection_has_no_shard():
    shards = plan_shards(("about/index.html", page("roles", "cio")), split_from=0)
    assert [s.name for s in shards] == ["other", "roles"]


def test_group_of():
    assert group_of(page("roles", "cio")) == "roles"
    assert group_of("archetypes/engineer/index.html") == "other"
    assert group_of("about/index.html") == "other"
    # A top-level page that happens to share a collection's name is not in the collection.
    assert group_of("roles") == "other"


@pytest.mark.parametrize(
    ("size", "limit", "count"),
    [(0, 2, 1), (2, 2, 1), (3, 2, 2), (4, 2, 2), (5, 2, 4), (8, 2, 4), (9, 2, 8),
     (20_000, 20_000, 1), (20_001, 20_000, 2), (40_000, 20_000, 2), (40_001, 20_000, 4)],
)  # fmt: skip
def test_sub_shard_count_is_a_power_of_two_by_size_bucket(size, limit, count):
    assert sub_shard_count(size, limit) == count


def test_sub_shard_of_is_a_stable_hash_of_the_path():
    # Literal values: the same on every machine and Python run (no PYTHONHASHSEED).
    assert [sub_shard_of(page("roles", f"r{n}"), 4) for n in range(8)] == [2, 0, 1, 1, 0, 1, 1, 3]
    assert sub_shard_of(page("roles", "cio"), 1) == 0


def test_a_large_collection_is_split_and_a_page_keeps_its_sub_shard():
    roles = tuple(page("roles", f"r{n}") for n in range(5))
    shards = plan_shards(("about/index.html", *roles), limit=2, split_from=0)
    # 5 pages over a limit of 2 → 4 sub-shards; nobody hashes to the 4th, which is left out.
    assert [s.name for s in shards] == ["other", "roles-1", "roles-2", "roles-3"]
    assert [s.folder for s in shards] == ["", "roles-1/", "roles-2/", "roles-3/"]
    assert {p: s.name for s in shards for p in s.pages} == {
        "about/index.html": "other",
        page("roles", "r0"): "roles-3",
        page("roles", "r1"): "roles-1",
        page("roles", "r2"): "roles-2",
        page("roles", "r3"): "roles-2",
        page("roles", "r4"): "roles-1",
    }
    # One more page in the same size bucket (5 → 6 pages, still 4 sub-shards): nobody moves.
    grown = plan_shards(("about/index.html", *roles, page("roles", "r5")), limit=2, split_from=0)
    before = {p: s.name for s in shards for p in s.pages}
    after = {p: s.name for s in grown for p in s.pages}
    assert {p: after[p] for p in before} == before
    assert after[page("roles", "r5")] == "roles-2"


def test_empty_sub_shards_are_left_out():
    roles = (page("roles", "r4"), page("roles", "r0"), page("roles", "r1"))
    # 3 pages over a limit of 1 → 4 sub-shards: r1 and r4 hash to the 1st, r0 to the 3rd.
    assert [s.name for s in plan_shards(roles, limit=1, split_from=0)] == ["roles-1", "roles-3"]


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError):
        plan_shards(SITE, limit=0)


def test_sort_values_reads_both_forms():
    html = (
        b"<main data-pagefind-body><div hidden data-pagefind-ignore>"
        b'<span data-pagefind-meta="updated">\xe4\xbb\xa4\xe5\x92\x8c5\xe5\xb9\xb4</span>'
        b'<span data-pagefind-sort="updated">2023-10-24</span>'
        b'<span data-pagefind-sort="title:\xef\xbc\xa4X &amp; more"></span>'
        b"</div></main>"
    )
    # The value Pagefind reads from the NFKC copy: ＤX → DX; the character reference is text.
    assert sort_values(html) == {"updated": "2023-10-24", "title": "DX & more"}
    assert sort_values(b"<main data-pagefind-body>no sort key</main>") == {}


def test_sort_runs_count_each_value_from_the_largest_down():
    values = [
        {"updated": "2023-10-24"},
        {"updated": "2026-11-26"},
        {"updated": "0000-00-00"},
        {"updated": "2023-10-24"},
        {},
    ]
    assert sort_runs(values) == {"updated": [["2026-11-26", 1], ["2023-10-24", 2], ["0000-00-00", 1]]}
    assert sort_runs([]) == {}
