"""The sample site (``sample_site`` of factories.py) that the render and output tests share.

Its entries are literal values, linked by the link stage; these tests check that it is what its
docstring and docs/testing.md say it is, so that the tests reading it can rely on that.
"""

from __future__ import annotations

from factories import AS_OF, FISCAL, HOSTILE, sample_site

from generator.model import Program


def test_sample_site_is_consistent():
    site = sample_site()
    for key, by_collection in site.backlinks.items():
        assert site.get(key) is not None
        for keys in by_collection.values():
            assert all(site.get(k) is not None for k in keys)


def test_the_sample_site_holds_what_its_docstring_says():
    site = sample_site()
    assert site.as_of == AS_OF and site.config.base_path == "/"
    assert [a.id for a in site.archetypes] == ["producer", "project_manager", "service_designer", "engineer"]
    assert [e.key for e in site.entries()] == [
        "programs/chiiki-johoka-advisor",
        f"programs/{FISCAL}",
        "programs/hostile",
        "partners/example-corp",
        "cases/ehime-talent-sharing",
        "roles/municipal-cio-hosakan",
    ]
    assert not any(e.draft for e in site.entries()) and [p.slug for p in site.pages] == ["about", "accessibility"]
    fiscal = site.get(f"programs/{FISCAL}")
    assert isinstance(fiscal, Program)
    assert site.stale(fiscal) and site.status(fiscal) == "active" and site.status_by_dates(fiscal) == "ended"
    assert site.backlinks[f"programs/{FISCAL}"] == {
        "cases": ("cases/ehime-talent-sharing",),
        "roles": ("roles/municipal-cio-hosakan",),
    }
    assert dict(site.body_links) == {
        f"programs/{FISCAL}": ("cases/ehime-talent-sharing",),
        "cases/ehime-talent-sharing": (f"programs/{FISCAL}",),
    }
    assert site.get("programs/hostile").title == HOSTILE
    assert sample_site("/dx-catalog/").config.absolute_url("programs/") == "https://example.jp/dx-catalog/programs/"


def test_the_sample_site_with_drafts_adds_a_draft_program_that_the_case_names():
    site = sample_site(drafts=True)
    assert [p.slug for p in site.programs if p.draft] == ["secret-draft"]
    assert site.get("programs/secret-draft") is not None
    assert site.backlinks["programs/secret-draft"] == {"cases": ("cases/ehime-talent-sharing",)}
    plain = sample_site()
    assert [e.key for e in site.entries() if not e.draft] == [e.key for e in plain.entries()]
