"""Atom feeds: valid XML, required elements, stable ids, dates from content, hostile text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from types import MappingProxyType

import pytest
from factories import AS_OF, FISCAL, HOSTILE, fd, sample_site

from generator.model import Program, Taxonomy
from generator.output.feeds import MAX_ENTRIES, build_feeds

A = "{http://www.w3.org/2005/Atom}"


def parse_all(site) -> dict[str, ET.Element]:
    return {f.path: ET.fromstring(f.data) for f in build_feeds(site).files}


def entry_ids(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{A}id") for e in feed.findall(f"{A}entry")]


def test_expected_feeds_exist():
    feeds = parse_all(sample_site("/dx-catalog/", drafts=True))
    assert set(feeds) == {
        "atom.xml",
        "programs/atom.xml",
        "partners/atom.xml",
        "cases/atom.xml",
        "roles/atom.xml",
        "archetypes/producer/atom.xml",
        "archetypes/project_manager/atom.xml",
        "archetypes/service_designer/atom.xml",
        "archetypes/engineer/atom.xml",
        "prefectures/ehime/atom.xml",
        "prefectures/nagano/atom.xml",
    }


def test_required_atom_elements():
    site = sample_site("/dx-catalog/", drafts=True)
    for output in build_feeds(site).files:
        assert output.media_type == "application/atom+xml"
        assert output.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        feed = ET.fromstring(output.data)
        assert feed.tag == f"{A}feed"
        for tag in ("id", "title", "updated"):
            assert feed.findtext(f"{A}{tag}"), (output.path, tag)
        assert feed.find(f"{A}author/{A}name").text == "長野県企画振興部DX推進課"
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
        assert links["self"] == "https://example.jp/dx-catalog/" + output.path
        assert links["alternate"] == "https://example.jp/dx-catalog/" + output.path.removesuffix("atom.xml")
        for entry in feed.findall(f"{A}entry"):
            for tag in ("id", "title", "updated", "summary"):
                assert entry.find(f"{A}{tag}") is not None, (output.path, tag)
            link = entry.find(f"{A}link")
            assert link.get("rel") == "alternate" and link.get("href") == entry.findtext(f"{A}id")


def test_all_updates_newest_first_without_drafts():
    feed = parse_all(sample_site("/dx-catalog/", drafts=True))["atom.xml"]
    assert entry_ids(feed) == [
        "https://example.jp/dx-catalog/roles/municipal-cio-hosakan/",
        "https://example.jp/dx-catalog/programs/hostile/",
        "https://example.jp/dx-catalog/cases/ehime-talent-sharing/",
        "https://example.jp/dx-catalog/partners/example-corp/",
        "https://example.jp/dx-catalog/programs/digital-talent-fiscal-measure/",
        "https://example.jp/dx-catalog/programs/chiiki-johoka-advisor/",
    ], "newest first, then by key; no draft"
    assert feed.findtext(f"{A}updated") == "2025-06-01T00:00:00+09:00"
    updated = [e.findtext(f"{A}updated") for e in feed.findall(f"{A}entry")]
    assert updated == sorted(updated, reverse=True)


def test_topic_feeds_hold_the_right_entries():
    feeds = parse_all(sample_site("/dx-catalog/", drafts=True))
    assert entry_ids(feeds["archetypes/producer/atom.xml"]) == [
        "https://example.jp/dx-catalog/roles/municipal-cio-hosakan/",
        "https://example.jp/dx-catalog/cases/ehime-talent-sharing/",
        "https://example.jp/dx-catalog/programs/digital-talent-fiscal-measure/",
        "https://example.jp/dx-catalog/programs/chiiki-johoka-advisor/",
    ]
    assert entry_ids(feeds["archetypes/project_manager/atom.xml"]) == [
        "https://example.jp/dx-catalog/cases/ehime-talent-sharing/",
        "https://example.jp/dx-catalog/programs/digital-talent-fiscal-measure/",
    ]
    assert entry_ids(feeds["archetypes/engineer/atom.xml"]) == [
        "https://example.jp/dx-catalog/programs/chiiki-johoka-advisor/"
    ]
    assert entry_ids(feeds["archetypes/service_designer/atom.xml"]) == []
    assert feeds["archetypes/service_designer/atom.xml"].findtext(f"{A}updated") == "2026-11-26T00:00:00+09:00"
    assert entry_ids(feeds["prefectures/ehime/atom.xml"]) == [
        "https://example.jp/dx-catalog/cases/ehime-talent-sharing/"
    ]
    assert "愛媛県" in feeds["prefectures/ehime/atom.xml"].findtext(f"{A}title")
    assert len(entry_ids(feeds["programs/atom.xml"])) == 3


def test_prefecture_feeds_follow_the_taxonomy_when_there_is_one():
    site = sample_site("/dx-catalog/", drafts=True)
    taxonomy = Taxonomy(
        name="prefectures",
        label="都道府県",
        terms=MappingProxyType(
            {"hiroshima": ("cases/ehime-talent-sharing",), "nagano": ("programs/hostile", "programs/secret-draft")}
        ),
        term_labels=MappingProxyType({"hiroshima": "広島県", "nagano": "長野県"}),
    )
    feeds = parse_all(replace(site, taxonomies=(taxonomy,)))
    assert "prefectures/ehime/atom.xml" not in feeds
    assert entry_ids(feeds["prefectures/nagano/atom.xml"]) == ["https://example.jp/dx-catalog/programs/hostile/"]
    assert "広島県" in feeds["prefectures/hiroshima/atom.xml"].findtext(f"{A}title")


def test_hostile_text_is_escaped():
    output = next(
        f for f in build_feeds(sample_site("/dx-catalog/", drafts=True)).files if f.path == "programs/atom.xml"
    )
    assert b"<script>" not in output.data
    feed = ET.fromstring(output.data)
    titles = [e.findtext(f"{A}title") for e in feed.findall(f"{A}entry")]
    assert " ".join(HOSTILE.split()) in titles, "escaped, read back intact, on one line"
    assert all("\n" not in t for t in titles)


def test_control_characters_do_not_break_the_xml():
    bad = Program(
        collection="programs",
        slug="bad",
        path="content/programs/bad.md",
        title="制御\x00文字\x1b]]>",
        summary="a\x07b & <c>",
        provider=("x",),
        level="national",
        kinds=("matching",),
    )
    feed = parse_all(sample_site("/dx-catalog/", drafts=True, extra_programs=(bad,)))["programs/atom.xml"]
    entry = next(e for e in feed.findall(f"{A}entry") if e.findtext(f"{A}id").endswith("/programs/bad/"))
    assert entry.findtext(f"{A}title") == "制御文字]]>"
    assert entry.findtext(f"{A}summary") == "ab & <c>"
    assert entry.findtext(f"{A}updated") == f"{AS_OF.isoformat()}T00:00:00+09:00", "no updated → build date"


def test_at_most_50_entries_and_deterministic():
    extra = tuple(
        Program(
            collection="programs",
            slug=f"p{i:03d}",
            path=f"content/programs/p{i:03d}.md",
            title=f"制度{i}",
            summary="要約",
            updated=fd(date(2020, 1, 1 + i % 28).isoformat()),
            provider=("x",),
            level="national",
            kinds=("matching",),
        )
        for i in range(60)
    )
    site = sample_site("/dx-catalog/", drafts=True, extra_programs=extra)
    feeds = parse_all(site)
    assert len(entry_ids(feeds["atom.xml"])) == MAX_ENTRIES
    assert [f.data for f in build_feeds(site).files] == [
        f.data for f in build_feeds(sample_site("/dx-catalog/", drafts=True, extra_programs=extra)).files
    ]


def test_root_base_path():
    feed = parse_all(sample_site(drafts=True))["atom.xml"]
    assert feed.findtext(f"{A}id") == "https://example.jp/atom.xml"
    assert entry_ids(feed)[0] == "https://example.jp/roles/municipal-cio-hosakan/"


def test_real_content_has_a_feed_for_every_topic_page(real_site):
    feeds = parse_all(real_site)
    prefectures = next(t for t in real_site.taxonomies if t.name == "prefectures")
    assert prefectures.terms, "the real content has cases in several prefectures"
    for slug, keys in prefectures.terms.items():
        ids = entry_ids(feeds[f"prefectures/{slug}/atom.xml"])
        assert ids == [
            real_site.config.absolute_url(f"{k}/")
            for k in sorted(keys, key=lambda k: (-real_site.get(k).updated.value.toordinal(), k))
        ]
    for archetype in real_site.archetypes:
        assert f"archetypes/{archetype.id}/atom.xml" in feeds
    assert len(entry_ids(feeds["atom.xml"])) == min(50, len(real_site.entries()))


def test_prefecture_table():
    from generator.content.prefectures import PREFECTURES, prefecture_slug

    assert len(PREFECTURES) == 47
    assert len(set(PREFECTURES.values())) == 47, "every slug is unique"
    assert all(slug.isascii() and slug.isalpha() and slug.islower() for slug in PREFECTURES.values())
    assert [prefecture_slug(n) for n in ("長野県", "愛媛県", "広島県", "東京都", "北海道", "京都府")] == [
        "nagano",
        "ehime",
        "hiroshima",
        "tokyo",
        "hokkaido",
        "kyoto",
    ]
    assert prefecture_slug(" 大阪府 ") == "osaka"
    with pytest.raises(ValueError, match="都道府県名ではありません"):
        prefecture_slug("長埜県")


def test_feeds_are_reused_only_when_their_inputs_are_the_same():
    site = sample_site("/dx-catalog/", drafts=True)
    first = build_feeds(site)
    again = build_feeds(site, first.memo)
    assert again.reused == len(first.files) and again.files == first.files
    program = next(p for p in site.programs if p.slug == FISCAL)
    changes = {
        "title": replace(program, title="改めた題名"),
        "summary": replace(program, summary="改めた要約"),
        "updated": replace(program, updated=fd("2025-12-01")),
        "draft": replace(program, draft=True),
    }
    for what, changed in changes.items():
        other = replace(site, programs=tuple(changed if p.key == changed.key else p for p in site.programs))
        other = replace(other, index=MappingProxyType({**other.index, changed.key: changed}))
        reused = build_feeds(other, first.memo)
        assert reused.files == build_feeds(other).files, what
        assert reused.reused < len(first.files), what
        untouched = {f.path for f in first.files} - {
            "atom.xml",
            "programs/atom.xml",
            "archetypes/producer/atom.xml",
            "archetypes/project_manager/atom.xml",
        }
        assert {f.path for f in reused.files if f in first.files} >= untouched, what
    for other in (
        replace(site, as_of=date(2027, 1, 1)),
        replace(site, config=replace(site.config, base_url="https://example.org")),
    ):
        reused = build_feeds(other, first.memo)
        assert reused.files == build_feeds(other).files
        assert reused.reused == 0


def test_a_memo_is_read_only_under_its_own_digest():
    site = sample_site("/dx-catalog/", drafts=True)
    first = build_feeds(site)
    forged = {key: b"<forged/>" for key in first.memo}
    assert all(b"forged" in f.data for f in build_feeds(site, forged).files)
    changed = replace(site, config=replace(site.config, title="別のカタログ"))
    assert not any(b"forged" in f.data for f in build_feeds(changed, forged).files)
